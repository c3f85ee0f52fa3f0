#include "region_exchange.hpp"

#include <stdexcept>
#include <string>

namespace ulcsim::detail {

ClusterExchange::ClusterExchange(Cluster& cluster, std::vector<int> region_ranks,
                                 std::size_t regions)
    : cluster_(cluster), region_ranks_(std::move(region_ranks)) {
    if (region_ranks_.size() != regions)
        throw std::invalid_argument("region_ranks has " + std::to_string(region_ranks_.size()) +
                                    " entries for " + std::to_string(regions) + " regions");
    owned_.assign(regions, 0);
    for (std::size_t k = 0; k < regions; ++k) {
        if (region_ranks_[k] < 0 || region_ranks_[k] >= cluster_.size())
            throw std::invalid_argument("region_ranks gives a region to rank " +
                                        std::to_string(region_ranks_[k]) + " of " +
                                        std::to_string(cluster_.size()));
        owned_[k] = region_ranks_[k] == cluster_.rank();
    }
}

} // namespace ulcsim::detail
