#pragma once
/// \file
/// The processes of a distributed run, as the engine needs them: who am I, how many are we,
/// and the few collective operations that split an ensemble's replicates, or one replicate's
/// regions, across processes. The engine does not depend on MPI: builds with ULCSIM_MPI get
/// an Open MPI implementation (ulcsim/mpi_cluster.hpp); tests use one that runs the ranks as
/// threads of one process.
///
/// Every collective call must be made by every rank, in the same order. Sums over integers
/// are exact, so they do not depend on the order in which an implementation adds the ranks.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ulcsim {

class Cluster {
public:
    virtual ~Cluster() = default;

    /// This process, 0 … size() − 1; rank 0 writes the output.
    virtual int rank() const = 0;
    virtual int size() const = 0;

    // ---- collective: every rank calls, in the same order -------------------------------

    /// Element-wise sums over the ranks, on every rank.
    virtual void sum(std::span<std::int64_t> values) = 0;
    /// Element-wise sums over the ranks, on every rank. Exact when at most one rank holds a
    /// nonzero value in each element (regions owned by one rank each), whatever the order.
    virtual void sum(std::span<double> values) = 0;
    /// Every rank's values, concatenated in rank order, on every rank.
    virtual std::vector<std::uint64_t> gather_all(std::span<const std::uint64_t> values) = 0;
    /// Rank `root`'s bytes on every rank (`bytes` is resized on the others).
    virtual void broadcast(std::vector<std::byte>& bytes, int root) = 0;

    // ---- point to point, for results travelling to rank 0 ------------------------------

    /// Sends bytes to rank `to`; returns when the buffer may be reused.
    virtual void send(int to, std::span<const std::byte> bytes) = 0;
    /// A message sent to this rank, if one has arrived: its bytes and its sender. Never
    /// waits, so the caller can check for interruption between polls.
    virtual bool try_receive(std::vector<std::byte>& bytes, int& from) = 0;
};

} // namespace ulcsim
