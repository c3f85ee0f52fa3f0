#include "support/thread_cluster.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace ulcsim::test {

namespace {

enum class Op { sum_int, sum_double, gather, broadcast };

const char* name_of(Op op) {
    switch (op) {
    case Op::sum_int:
        return "sum(int64)";
    case Op::sum_double:
        return "sum(double)";
    case Op::gather:
        return "gather_all";
    case Op::broadcast:
        return "broadcast";
    }
    return "?";
}

/// What one rank brings to a collective.
struct Deposit {
    Op op = Op::sum_int;
    std::size_t elements = 0;
    int root = 0;
    std::vector<std::byte> bytes;
};

/// Element i of a deposit of Ts (copied: the bytes hold no T objects).
template <typename T>
T element(const Deposit& d, std::size_t i) {
    T value;
    std::memcpy(&value, d.bytes.data() + i * sizeof(T), sizeof(T));
    return value;
}

} // namespace

struct ThreadCluster::Shared {
    explicit Shared(int n) : ranks(n), deposits(static_cast<std::size_t>(n)), mailboxes(n) {}

    struct Mailbox {
        std::mutex mutex;
        std::deque<std::pair<int, std::vector<std::byte>>> messages;
    };

    const int ranks;
    std::mutex mutex;
    std::condition_variable all_arrived;
    int arrived = 0;
    std::uint64_t generation = 0;
    std::vector<Deposit> deposits; ///< by rank; written before the first barrier of a call
    std::vector<Mailbox> mailboxes;

    /// Returns when every rank has arrived. The mutex orders the deposits made before it
    /// before the reads made after it.
    void barrier(int rank) {
        std::unique_lock lock(mutex);
        const std::uint64_t mine = generation;
        if (++arrived == ranks) {
            arrived = 0;
            ++generation;
            all_arrived.notify_all();
            return;
        }
        if (!all_arrived.wait_for(lock, std::chrono::minutes(5),
                                  [&] { return generation != mine; })) {
            std::fprintf(stderr,
                         "ThreadCluster: rank %d waited five minutes for the others in a "
                         "collective (a rank skipped a call?)\n",
                         rank);
            std::abort();
        }
    }

    /// Deposits this rank's part, waits for all, lets `read` see every rank's part, and waits
    /// again so that no rank deposits the next call's part while another still reads.
    template <typename Read>
    void collective(int rank, Deposit mine, Read&& read) {
        deposits[static_cast<std::size_t>(rank)] = std::move(mine);
        barrier(rank);
        const Deposit& first = deposits.front();
        std::string mismatch;
        for (int r = 0; r < ranks; ++r) {
            const Deposit& d = deposits[static_cast<std::size_t>(r)];
            const bool same_length = first.op == Op::gather || d.elements == first.elements;
            if (d.op != first.op || !same_length || d.root != first.root)
                mismatch = "rank 0 called " + std::string(name_of(first.op)) + " with " +
                           std::to_string(first.elements) + " elements, rank " + std::to_string(r) +
                           " " + name_of(d.op) + " with " + std::to_string(d.elements);
        }
        if (mismatch.empty()) read(deposits);
        barrier(rank);
        // Every rank sees the same deposits, so every rank throws.
        if (!mismatch.empty()) throw std::logic_error("ThreadCluster: " + mismatch);
    }
};

std::vector<std::unique_ptr<ThreadCluster>> ThreadCluster::make(int ranks) {
    if (ranks < 1) throw std::invalid_argument("ThreadCluster: at least one rank");
    auto shared = std::make_shared<Shared>(ranks);
    std::vector<std::unique_ptr<ThreadCluster>> out;
    for (int r = 0; r < ranks; ++r)
        out.push_back(std::unique_ptr<ThreadCluster>(new ThreadCluster(shared, r)));
    return out;
}

ThreadCluster::ThreadCluster(std::shared_ptr<Shared> shared, int rank)
    : shared_(std::move(shared)), rank_(rank) {}

int ThreadCluster::size() const {
    return shared_->ranks;
}

namespace {

template <typename T>
Deposit deposit_of(Op op, std::span<const T> values, int root = 0) {
    Deposit d;
    d.op = op;
    d.elements = values.size();
    d.root = root;
    d.bytes.resize(values.size_bytes());
    if (!values.empty()) std::memcpy(d.bytes.data(), values.data(), values.size_bytes());
    return d;
}

/// Element-wise sums in rank order: the same result on every rank.
template <typename T>
void sum_in_rank_order(std::span<T> values, const std::vector<Deposit>& deposits) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        T total = element<T>(deposits.front(), i);
        for (std::size_t r = 1; r < deposits.size(); ++r)
            total += element<T>(deposits[r], i);
        values[i] = total;
    }
}

} // namespace

void ThreadCluster::sum(std::span<std::int64_t> values) {
    ++collectives_;
    shared_->collective(rank_, deposit_of(Op::sum_int, std::span<const std::int64_t>(values)),
                        [&](const std::vector<Deposit>& all) { sum_in_rank_order(values, all); });
}

void ThreadCluster::sum(std::span<double> values) {
    ++collectives_;
    shared_->collective(rank_, deposit_of(Op::sum_double, std::span<const double>(values)),
                        [&](const std::vector<Deposit>& all) { sum_in_rank_order(values, all); });
}

std::vector<std::uint64_t> ThreadCluster::gather_all(std::span<const std::uint64_t> values) {
    ++collectives_;
    std::vector<std::uint64_t> out;
    shared_->collective(rank_, deposit_of(Op::gather, values),
                        [&](const std::vector<Deposit>& all) {
                            for (const Deposit& d : all)
                                for (std::size_t i = 0; i < d.elements; ++i)
                                    out.push_back(element<std::uint64_t>(d, i));
                        });
    return out;
}

void ThreadCluster::broadcast(std::vector<std::byte>& bytes, int root) {
    ++collectives_;
    const std::span<const std::byte> mine =
        rank_ == root ? std::span<const std::byte>(bytes) : std::span<const std::byte>{};
    Deposit d = deposit_of(Op::broadcast, mine, root);
    d.elements = 0; // lengths differ by design
    shared_->collective(rank_, std::move(d), [&](const std::vector<Deposit>& all) {
        if (rank_ != root) bytes = all[static_cast<std::size_t>(root)].bytes;
    });
}

void ThreadCluster::send(int to, std::span<const std::byte> bytes) {
    Shared::Mailbox& box = shared_->mailboxes[static_cast<std::size_t>(to)];
    const std::lock_guard lock(box.mutex);
    box.messages.emplace_back(rank_, std::vector<std::byte>(bytes.begin(), bytes.end()));
}

bool ThreadCluster::try_receive(std::vector<std::byte>& bytes, int& from) {
    Shared::Mailbox& box = shared_->mailboxes[static_cast<std::size_t>(rank_)];
    const std::lock_guard lock(box.mutex);
    if (box.messages.empty()) return false;
    from = box.messages.front().first;
    bytes = std::move(box.messages.front().second);
    box.messages.pop_front();
    return true;
}

} // namespace ulcsim::test
