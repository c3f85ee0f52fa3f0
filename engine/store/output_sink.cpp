#include "ulcsim/output_sink.hpp"

#include "output_lock.hpp"
#include "stale_temporaries.hpp"
#include "ulcsim/input_error.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace ulcsim {

namespace {

// A fixed table rather than a container: remove_temporary_files() runs in signal handlers,
// which may neither allocate nor take a lock the interrupted code could hold.
constexpr std::size_t temporary_capacity = 32;
constexpr std::size_t no_slot = temporary_capacity;

struct TemporaryEntry {
    std::atomic<bool> claimed{false};
    std::atomic<bool> ready{false};
    char path[4096];
};

} // namespace

struct OutputSink::Impl {
    bool discard = false;
    std::vector<std::filesystem::path> inputs;
    TemporaryEntry entries[temporary_capacity];
    std::vector<std::filesystem::path> claimed;
    // Declared after the entries: a lock is removed (and its entry dropped) before they go.
    std::vector<std::pair<std::unique_ptr<store::OutputLock>, std::size_t>> locks;

    ~Impl() {
        for (auto& [lock, slot] : locks) {
            drop(slot);
            lock.reset();
        }
    }

    std::size_t add(const std::filesystem::path& path) {
        const std::string text = path.string();
        if (text.size() >= sizeof(TemporaryEntry::path)) return no_slot;
        for (std::size_t i = 0; i < temporary_capacity; ++i) {
            bool expected = false;
            if (!entries[i].claimed.compare_exchange_strong(expected, true)) continue;
            std::memcpy(entries[i].path, text.c_str(), text.size() + 1);
            entries[i].ready = true;
            return i;
        }
        return no_slot; // more than any command keeps: this one is not removed on abort
    }

    void drop(std::size_t i) {
        if (i >= temporary_capacity) return;
        entries[i].ready = false;
        entries[i].claimed = false;
    }
};

OutputSink::OutputSink(bool discard) : impl_(std::make_unique<Impl>()) {
    impl_->discard = discard;
}

OutputSink::~OutputSink() = default;

bool OutputSink::discards() const {
    return impl_->discard;
}

void OutputSink::protect_input(const std::filesystem::path& input) {
    impl_->inputs.push_back(input);
}

void OutputSink::refuse_if_input(const std::filesystem::path& output) const {
    if (impl_->discard) return;
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path where = fs::weakly_canonical(output, ec);
    for (const fs::path& input : impl_->inputs) {
        std::error_code same_ec, canonical_ec;
        // equivalent() follows symbolic links and tells hard links apart from copies; the
        // canonical paths cover an input that is gone by now.
        const bool same = fs::equivalent(output, input, same_ec) ||
                          (!ec && where == fs::weakly_canonical(input, canonical_ec));
        if (same)
            throw InputError(Diagnostic{
                {output.string(), 0, 0, false},
                "",
                "this command reads it (" + input.string() +
                    "); writing an output over an input would destroy it: choose another "
                    "output name"});
    }
}

std::vector<std::filesystem::path> OutputSink::claim(const std::filesystem::path& output) {
    if (impl_->discard) return {};
    std::error_code ec;
    std::filesystem::path key = std::filesystem::weakly_canonical(output, ec);
    if (ec) key = output;
    if (std::find(impl_->claimed.begin(), impl_->claimed.end(), key) != impl_->claimed.end())
        return {};
    auto lock = std::make_unique<store::OutputLock>(output);
    const std::size_t slot = impl_->add(lock->path());
    impl_->locks.emplace_back(std::move(lock), slot);
    impl_->claimed.push_back(key);
    return store::remove_stale_temporaries(output);
}

void OutputSink::remove_temporary_files() noexcept {
    for (TemporaryEntry& e : impl_->entries)
        if (e.ready) ::unlink(e.path);
}

OutputSink::Temporary::Temporary(OutputSink* sink, const std::filesystem::path& path)
    : sink_(sink), slot_(sink ? sink->impl_->add(path) : no_slot) {}

OutputSink::Temporary::~Temporary() {
    if (sink_) sink_->impl_->drop(slot_);
}

} // namespace ulcsim
