// Readers of the compare and sweep result files (ulcsim/result_file.hpp).

#include "ulcsim/result_file.hpp"

#include "dataset_names.hpp"
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
    if (!contains(top, dataset::leaf(dataset::values))) return std::nullopt;
    const StoredArray values = file.array(dataset::values);
    if (values.dims.empty()) return std::nullopt;
    return values.dims.back();
}

} // namespace

OutputKind output_kind(const RunFileReader& file) {
    const std::vector<std::string> top = members_or_none(file, "/");
    if (attribute(file, dataset::meta, "scenario_name") &&
        contains(top, dataset::leaf(dataset::months)) &&
        contains(top, dataset::leaf(dataset::regions)))
        return OutputKind::run;
    if (contains(top, dataset::leaf(dataset::scenarios))) return OutputKind::comparison;
    if (contains(top, dataset::leaf(dataset::grid))) return OutputKind::sweep;
    if (contains(top, "optimiser") || contains(top, "posterior")) return OutputKind::fit;
    return OutputKind::unknown;
}

ComparisonFile read_comparison(const RunFileReader& file) {
    const std::vector<std::string> top = members_or_none(file, "/");
    ComparisonFile c;
    c.engine_version = attribute(file, dataset::meta, "engine_version");
    c.method = attribute(file, dataset::meta, "method");
    c.scenarios = file.strings(dataset::scenario_names);
    if (contains(top, dataset::leaf(dataset::months))) c.months = file.strings(dataset::months);
    c.replicates = replicates_of(file, top);
    c.measures = file.strings(dataset::measure_names);
    c.units = file.strings(dataset::measure_units);
    c.statistics = file.array(dataset::statistics);
    c.differences = file.array(dataset::differences);
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
    s.engine_version = attribute(file, dataset::meta, "engine_version");
    const std::vector<std::string> grid = members_or_none(file, dataset::grid);
    for (std::size_t a = 0;; ++a) {
        const std::string axis = dataset::grid_axis_name(a);
        if (!contains(grid, axis)) break;
        const std::string path = dataset::in(dataset::grid, axis);
        s.axes.push_back({attribute(file, path, "key").value_or(axis), file.strings(path)});
    }
    s.replicates = replicates_of(file, top);
    if (contains(top, dataset::leaf(dataset::measures)))
        s.measures = file.strings(dataset::measure_names);
    if (contains(top, dataset::leaf(dataset::statistics)))
        s.statistics = file.array(dataset::statistics);
    if (contains(top, dataset::leaf(dataset::differences)))
        s.differences = file.array(dataset::differences);
    return s;
}

} // namespace ulcsim
