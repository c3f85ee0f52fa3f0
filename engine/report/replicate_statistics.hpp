#pragma once
// Statistics over replicates as the report and the planner's summary state them: the mean
// and the 5th and 95th percentiles by linear interpolation between order statistics (as the
// run's own summaries are computed), skipping values that are not finite.

#include <algorithm>
#include <cmath>
#include <vector>

namespace ulcsim::report_detail {

inline double quantile(std::vector<double> values, double level) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = level * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
}

inline double mean_of(const std::vector<double>& values) {
    double sum = 0;
    std::size_t n = 0;
    for (const double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    return n ? sum / static_cast<double>(n) : std::nan("");
}

} // namespace ulcsim::report_detail
