#include "ulcsim/sweep_grid.hpp"

namespace ulcsim {

std::size_t grid_points(const std::vector<SweepAxis>& axes) {
    std::size_t points = 1;
    for (const SweepAxis& axis : axes)
        points *= axis.values.size();
    return points;
}

std::vector<std::size_t> grid_coordinates(const std::vector<SweepAxis>& axes, std::size_t point) {
    std::vector<std::size_t> at(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
        at[a] = point % axes[a].values.size();
        point /= axes[a].values.size();
    }
    return at;
}

std::vector<Scenario> grid_scenarios(const Scenario& base, const std::vector<SweepAxis>& axes) {
    std::vector<Scenario> scenarios;
    const std::size_t points = grid_points(axes);
    scenarios.reserve(points);
    for (std::size_t point = 0; point < points; ++point) {
        const std::vector<std::size_t> at = grid_coordinates(axes, point);
        std::vector<KeyValue> values;
        for (std::size_t a = 0; a < axes.size(); ++a)
            values.push_back({axes[a].key, axes[a].values[at[a]]});
        scenarios.push_back(vary(base, values));
    }
    return scenarios;
}

} // namespace ulcsim
