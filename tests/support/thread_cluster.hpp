#pragma once
// A Cluster whose ranks are threads of one process, for testing what runs across processes
// without MPI: make(P) gives P ranks sharing one state, each to be used by its own thread.
// Every collective is a rendezvous of all ranks (deposit, barrier, read, barrier), and checks
// that every rank made the same call with the same length, so that a rank calling out of
// order fails the test rather than mixing up data. A rank that waits more than a minute for
// the others aborts the process (a deadlock would otherwise hang the test).

#include "ulcsim/cluster.hpp"

#include <exception>
#include <memory>
#include <tbb/task_arena.h>
#include <thread>
#include <vector>

namespace ulcsim::test {

class ThreadCluster final : public Cluster {
public:
    /// The ranks 0 … ranks − 1 of one cluster.
    static std::vector<std::unique_ptr<ThreadCluster>> make(int ranks);

    int rank() const override { return rank_; }
    int size() const override;

    void sum(std::span<std::int64_t> values) override;
    void sum(std::span<double> values) override;
    std::vector<std::uint64_t> gather_all(std::span<const std::uint64_t> values) override;
    void broadcast(std::vector<std::byte>& bytes, int root) override;

    void send(int to, std::span<const std::byte> bytes) override;
    bool try_receive(std::vector<std::byte>& bytes, int& from) override;

    /// Collective calls this rank has made.
    long collectives() const { return collectives_; }

    struct Shared;

private:
    ThreadCluster(std::shared_ptr<Shared> shared, int rank);

    std::shared_ptr<Shared> shared_;
    int rank_;
    long collectives_ = 0;
};

/// Runs `body(rank, cluster)` for every rank of a fresh cluster of `ranks`, each on its own
/// thread and in its own TBB arena of `threads` threads (so that work stealing never makes
/// one rank's thread run another rank's tasks, which may block in a collective). Rethrows
/// the first exception a rank threw.
template <typename Body>
void on_every_rank(int ranks, int threads, Body&& body) {
    auto clusters = ThreadCluster::make(ranks);
    std::vector<std::exception_ptr> failed(static_cast<std::size_t>(ranks));
    std::vector<std::thread> running;
    for (int r = 0; r < ranks; ++r)
        running.emplace_back([&, r] {
            try {
                tbb::task_arena arena(threads);
                arena.execute([&] { body(r, *clusters[static_cast<std::size_t>(r)]); });
            } catch (...) {
                failed[static_cast<std::size_t>(r)] = std::current_exception();
            }
        });
    for (std::thread& t : running)
        t.join();
    for (const std::exception_ptr& e : failed)
        if (e) std::rethrow_exception(e);
}

} // namespace ulcsim::test
