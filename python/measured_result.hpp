#pragma once
// Scenarios measured side by side (compare, sweep) as Python receives them: the measures'
// names, labels and units, values [scenario, replicate, measure], and the statistics of the
// levels and of the paired differences against the first [scenario, measure, statistic].

#include "ulcsim/comparison.hpp"
#include "ulcsim/outcome.hpp"

#include <pybind11/pybind11.h>
#include <string>
#include <vector>

namespace ulcsim::python {

pybind11::dict measured_result(const std::vector<std::string>& scenario_names,
                               const std::vector<OutcomeMeasure>& measures,
                               const MeasuredScenarios& measured);

} // namespace ulcsim::python
