#include "ulcsim/population.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ulcsim {

std::vector<int> share_regions(const Scenario& scenario, int ranks) {
    if (ranks < 1)
        throw std::invalid_argument("share_regions: " + std::to_string(ranks) +
                                    " ranks (at least 1)");
    const std::size_t regions = scenario.regions.size();
    const auto p = static_cast<std::size_t>(ranks);
    std::vector<int> out(regions, 0);
    if (p >= regions) {
        // One region each; the ranks beyond them simulate none.
        for (std::size_t k = 0; k < regions; ++k)
            out[k] = static_cast<int>(k);
        return out;
    }
    // Agents before each region in scenario order: rank r starts at the region boundary
    // nearest to r/P of all agents, leaving at least one region to each rank.
    std::vector<double> before(regions + 1, 0.0);
    for (std::size_t k = 0; k < regions; ++k)
        before[k + 1] = before[k] + agents_in_region(scenario, k);
    std::size_t first = 0;
    for (std::size_t r = 1; r < p; ++r) {
        const double target = before[regions] * static_cast<double>(r) / static_cast<double>(p);
        std::size_t b = first + 1;
        while (b + 1 <= regions - (p - r) &&
               std::abs(before[b + 1] - target) < std::abs(before[b] - target))
            ++b;
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(first),
                  out.begin() + static_cast<std::ptrdiff_t>(b), static_cast<int>(r - 1));
        first = b;
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), static_cast<int>(p - 1));
    return out;
}

} // namespace ulcsim
