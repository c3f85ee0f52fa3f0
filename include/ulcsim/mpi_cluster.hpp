#pragma once
/// \file
/// The Cluster of an Open MPI job (builds with ULCSIM_MPI=ON only): MPI_COMM_WORLD's ranks.

#include "ulcsim/cluster.hpp"

namespace ulcsim {

class MpiCluster final : public Cluster {
public:
    /// Initialises MPI (calls from one thread at a time: the ensemble serialises them) and
    /// finalises it in the destructor. One per process.
    MpiCluster(int& argc, char**& argv);
    ~MpiCluster() override;
    MpiCluster(const MpiCluster&) = delete;
    MpiCluster& operator=(const MpiCluster&) = delete;

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    /// Ranks of this job on this machine, this one included: they share its cores.
    int ranks_on_this_machine() const { return local_size_; }
    /// Ends every rank of the job at once with this exit status.
    [[noreturn]] void abort(int status);

    void sum(std::span<std::int64_t> values) override;
    void sum(std::span<double> values) override;
    std::vector<std::uint64_t> gather_all(std::span<const std::uint64_t> values) override;
    void broadcast(std::vector<std::byte>& bytes, int root) override;
    void send(int to, std::span<const std::byte> bytes) override;
    bool try_receive(std::vector<std::byte>& bytes, int& from) override;

private:
    int rank_ = 0;
    int size_ = 1;
    int local_size_ = 1;
};

} // namespace ulcsim
