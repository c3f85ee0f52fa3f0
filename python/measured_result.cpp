#include "measured_result.hpp"

#include "numpy_arrays.hpp"
#include "ulcsim/summary.hpp"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

using Statistics = MeasuredScenarios::Statistics;

py::array_t<double> statistics_array(const std::vector<std::vector<Statistics>>& by_scenario) {
    const std::size_t S = by_scenario.size(), M = S ? by_scenario[0].size() : 0;
    std::vector<double> values;
    values.reserve(S * M * summary_statistic_count);
    for (const auto& measures : by_scenario)
        for (const Statistics& s : measures)
            values.insert(values.end(), s.begin(), s.end());
    return numpy_array(std::move(values), {S, M, summary_statistic_count});
}

} // namespace

py::dict measured_result(const std::vector<std::string>& scenario_names,
                         const std::vector<OutcomeMeasure>& measures,
                         const MeasuredScenarios& measured) {
    py::list measure_rows;
    for (const OutcomeMeasure& om : measures) {
        py::dict row;
        row["name"] = om.name;
        row["label"] = om.label;
        row["units"] = om.units;
        row["difference_only"] = om.difference_only;
        measure_rows.append(row);
    }
    const std::size_t S = measured.values.size();
    const std::size_t R = S ? measured.values[0].size() : 0;
    std::vector<double> values;
    values.reserve(S * R * measures.size());
    for (const auto& by_replicate : measured.values)
        for (const auto& v : by_replicate)
            values.insert(values.end(), v.begin(), v.end());
    py::dict result;
    result["scenarios"] = scenario_names;
    result["measures"] = measure_rows;
    result["statistics"] =
        std::vector<std::string>(summary_statistic_names.begin(), summary_statistic_names.end());
    result["values"] = numpy_array(std::move(values), {S, R, measures.size()});
    result["levels"] = statistics_array(measured.levels);
    result["differences"] = statistics_array(measured.differences);
    return result;
}

} // namespace ulcsim::python
