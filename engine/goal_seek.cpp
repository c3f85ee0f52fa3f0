#include "ulcsim/goal_seek.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ulcsim {

std::optional<std::int64_t> smallest_meeting(std::int64_t lowest, std::int64_t highest,
                                             std::int64_t start,
                                             const std::function<bool(std::int64_t)>& met) {
    if (highest < lowest)
        throw std::invalid_argument("smallest_meeting: highest " + std::to_string(highest) +
                                    " is below lowest " + std::to_string(lowest));
    if (met(lowest)) return lowest;
    if (highest == lowest) return std::nullopt;
    // Double from the start (a scenario's own value is usually close) until the goal is met.
    std::int64_t failed = lowest;
    std::int64_t k = std::min(std::max({lowest + 1, start, std::int64_t{1}}), highest);
    while (!met(k)) {
        failed = k;
        if (k == highest) return std::nullopt;
        k = k > highest / 2 ? highest : 2 * k;
    }
    // met(k), not met(failed): bisect.
    std::int64_t hi = k;
    while (hi - failed > 1) {
        const std::int64_t mid = failed + (hi - failed) / 2;
        (met(mid) ? hi : failed) = mid;
    }
    return hi;
}

std::pair<double, double> wilson_interval_95(std::size_t successes, std::size_t n) {
    if (n == 0) throw std::invalid_argument("wilson_interval_95: no trials");
    const double z = 1.959963984540054, nn = static_cast<double>(n);
    const double p = static_cast<double>(successes) / nn;
    const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

} // namespace ulcsim
