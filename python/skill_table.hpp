#pragma once
// A calibration's rolling-origin skill as Python receives it: the skill CSV's columns
// (ulcsim/skill_file.hpp), one row per horizon and a last row for all horizons together, as
// NumPy arrays; and the model discrepancy.

#include "ulcsim/rolling_backtest.hpp"

#include <pybind11/pybind11.h>

namespace ulcsim::python {

pybind11::dict skill_table(const Skill& skill);

} // namespace ulcsim::python
