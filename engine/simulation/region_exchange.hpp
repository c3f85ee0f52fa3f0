#pragma once
// What couples the regions of one replicate when they are simulated by several processes:
// the programmes' totals and candidates, and the participants an employer registers in
// another region. The simulation always goes through an exchange; a single process is the
// exchange with one member, where every region is its own and every collective is the
// identity, so that one code path serves both.

#include "ulcsim/cluster.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace ulcsim::detail {

class RegionExchange {
public:
    virtual ~RegionExchange() = default;

    /// Whether this process simulates each scenario region (1) or another does (0).
    std::span<const std::uint8_t> owned() const { return owned_; }
    /// The rank of each region, for synthesis (empty: this process has every region).
    virtual std::span<const int> region_ranks() const = 0;
    virtual int rank() const = 0;

    // Collective: every member calls, in the same order.

    /// Element-wise sums over the members. Integers are exact in any order; doubles are
    /// exact when at most one member holds a nonzero value in each element.
    virtual void sum(std::span<std::int64_t> values) = 0;
    virtual void sum(std::span<double> values) = 0;
    /// Replaces `values` with every member's, concatenated in rank order.
    virtual void gather(std::vector<std::uint64_t>& values) = 0;

protected:
    std::vector<std::uint8_t> owned_;
};

/// One process simulating every region.
class SingleProcessExchange final : public RegionExchange {
public:
    explicit SingleProcessExchange(std::size_t regions) { owned_.assign(regions, 1); }
    std::span<const int> region_ranks() const override { return {}; }
    int rank() const override { return 0; }
    void sum(std::span<std::int64_t>) override {}
    void sum(std::span<double>) override {}
    void gather(std::vector<std::uint64_t>&) override {}
};

/// The ranks of a cluster, each simulating the regions `region_ranks` gives it. Throws
/// std::invalid_argument unless region_ranks has one rank of the cluster per region.
class ClusterExchange final : public RegionExchange {
public:
    ClusterExchange(Cluster& cluster, std::vector<int> region_ranks, std::size_t regions);
    std::span<const int> region_ranks() const override { return region_ranks_; }
    int rank() const override { return cluster_.rank(); }
    void sum(std::span<std::int64_t> values) override { cluster_.sum(values); }
    void sum(std::span<double> values) override { cluster_.sum(values); }
    void gather(std::vector<std::uint64_t>& values) override {
        values = cluster_.gather_all(values);
    }

private:
    Cluster& cluster_;
    std::vector<int> region_ranks_;
};

} // namespace ulcsim::detail
