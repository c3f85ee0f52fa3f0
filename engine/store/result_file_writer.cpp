// The output of compare, sweep and calibrate: named arrays under /meta's engine version.

#include "dataset_names.hpp"
#include "hdf5_file.hpp"
#include "temporary_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/version.hpp"

#include <optional>
#include <stdexcept>
#include <system_error>

namespace ulcsim {

struct ResultFileWriter::Impl {
    std::filesystem::path output;
    std::filesystem::path temporary;
    hdf5::Context context;
    bool created = false;
    bool committed = false;
    hdf5::Handle file;
    OutputSink* sink = nullptr;
    bool discard = false;
    std::optional<OutputSink::Temporary> temporary_mark;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // As RunFileWriter::Impl: also runs when the constructor throws. Swallows everything.
    ~Impl() {
        if (committed || !created) return;
        file.reset();
        std::error_code ec;
        std::filesystem::remove(temporary, ec);
    }
};

ResultFileWriter::ResultFileWriter(const std::filesystem::path& output, OutputSink* sink)
    : impl_(std::make_unique<Impl>()) {
    hdf5::silence();
    Impl& s = *impl_;
    s.sink = sink;
    s.discard = sink && sink->discards();
    s.output = output;
    s.temporary = store::temporary_path_for(output);
    s.context.file = s.temporary;
    s.context.output = output;
    const hdf5::Context& c = s.context;

    s.file = hdf5::create_output_file(output, "result file", c, s.discard);
    s.created = true;
    s.temporary_mark.emplace(s.sink, s.temporary);
    write_into(s.file.get(), "result file " + output.string(), s.temporary, output);

    hdf5::Handle meta = hdf5::create_group(s.file.get(), dataset::meta, c);
    hdf5::write_string_attribute(meta.get(), dataset::meta, "engine_version",
                                 std::string(engine_version()), c);
    hdf5::check(meta.close(), c, "close group", dataset::meta);
}

ResultFileWriter::~ResultFileWriter() = default;

const std::filesystem::path& ResultFileWriter::temporary_path() const {
    return impl_->temporary;
}

void ResultFileWriter::commit() {
    hdf5::silence();
    Impl& s = *impl_;
    if (s.committed) throw std::logic_error("result file: commit called twice");
    hdf5::flush(s.file.get(), s.context);
    stop_writing();
    hdf5::check(s.file.close(), s.context, "close file", "/");
    if (s.sink) s.sink->refuse_if_input(s.output);
    store::move_into_place(s.temporary, s.output, s.discard);
    s.committed = true;
}

} // namespace ulcsim
