#pragma once
/// \file
/// A sweep's grid: the product of axes, each a scenario key and the values it takes, the
/// first axis varying slowest. Every point is a variant of one base (vary()), so any key the
/// table lets a sweep vary can be an axis, and a point that makes the scenario invalid is
/// reported like a bad --set before anything runs.

#include "ulcsim/scenario.hpp"
#include "ulcsim/vary.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace ulcsim {

struct SweepAxis {
    std::string key;
    std::vector<ScenarioValue> values;
    std::vector<std::string> labels; ///< each value as the outputs show it
};

/// Points of the grid: the product of the axes' sizes (1 for no axes).
std::size_t grid_points(const std::vector<SweepAxis>& axes);

/// The value index on each axis of grid point `point` (row-major: the last axis fastest).
std::vector<std::size_t> grid_coordinates(const std::vector<SweepAxis>& axes, std::size_t point);

/// The scenario of every grid point, in order: vary() of the base with each axis's value.
std::vector<Scenario> grid_scenarios(const Scenario& base, const std::vector<SweepAxis>& axes);

} // namespace ulcsim
