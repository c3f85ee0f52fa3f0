// Readers of the compare and sweep result files (ulcsim/result_file.hpp).

#include "ulcsim/result_file.hpp"

#include "optional_reads.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <stdexcept>

namespace ulcsim {

namespace {

using detail::members_or_none;

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string> attribute(const RunFileReader& file, const std::string& object,
                                     const std::string& name) {
    return detail::optional_attribute(file, object, name);
}

/// The replicates behind the measures: the last dimension of /values.
std::optional<std::size_t> replicates_of(const RunFileReader& file,
                                         const std::vector<std::string>& top) {
    if (!contains(top, "values")) return std::nullopt;
    const StoredArray values = file.array("/values");
    if (values.dims.empty()) return std::nullopt;
    return values.dims.back();
}

} // namespace

OutputKind output_kind(const RunFileReader& file) {
    const std::vector<std::string> top = members_or_none(file, "/");
    if (attribute(file, "/meta", "scenario_name") && contains(top, "months") &&
        contains(top, "regions"))
        return OutputKind::run;
    if (contains(top, "scenarios")) return OutputKind::comparison;
    if (contains(top, "grid")) return OutputKind::sweep;
    if (contains(top, "optimiser") || contains(top, "posterior")) return OutputKind::fit;
    return OutputKind::unknown;
}

ComparisonFile read_comparison(const RunFileReader& file) {
    const std::vector<std::string> top = members_or_none(file, "/");
    ComparisonFile c;
    c.engine_version = attribute(file, "/meta", "engine_version");
    c.method = attribute(file, "/meta", "method");
    c.scenarios = file.strings("/scenarios/name");
    if (contains(top, "months")) c.months = file.strings("/months");
    c.replicates = replicates_of(file, top);
    c.measures = file.strings("/measures/name");
    c.units = file.strings("/measures/units");
    c.statistics = file.array("/statistics");
    c.differences = file.array("/differences");
    const std::vector<std::size_t> shape{c.scenarios.size(), c.measures.size(),
                                         summary_statistic_count};
    if (c.units.size() != c.measures.size() || c.statistics.dims != shape ||
        c.differences.dims != shape)
        throw std::runtime_error("/statistics and /differences do not match /scenarios and "
                                 "/measures");
    return c;
}

SweepFile read_sweep(const RunFileReader& file) {
    const std::vector<std::string> top = members_or_none(file, "/");
    SweepFile s;
    s.engine_version = attribute(file, "/meta", "engine_version");
    const std::vector<std::string> grid = members_or_none(file, "/grid");
    for (std::size_t a = 0;; ++a) {
        const std::string axis = "axis_" + std::to_string(a);
        if (!contains(grid, axis)) break;
        s.axes.push_back({attribute(file, "/grid/" + axis, "key").value_or(axis),
                          file.strings("/grid/" + axis)});
    }
    s.replicates = replicates_of(file, top);
    if (contains(top, "measures")) s.measures = file.strings("/measures/name");
    return s;
}

} // namespace ulcsim
