#pragma once
/// \file
/// The result files of `compare` and `sweep` read back (ResultFileWriter writes them):
///   /meta                  attributes engine_version, method, scenario_toml (sweep)
///   /scenarios/name        [scenario] (compare; the first is the base)
///   /grid/axis_<a>         [value] TOML text of each value of axis a, attribute key (sweep)
///   /measures/name, units  [measure]
///   /months                [month] (compare)
///   /statistics, /differences  [scenario or grid axes…, measure, statistic]
///   /values                [scenario or grid axes…, measure, replicate]
/// and which kind of ulcsim file an HDF5 file is.

#include "ulcsim/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// What an HDF5 file with /meta is, from the groups it holds.
enum class OutputKind { run, comparison, sweep, fit, unknown };
OutputKind output_kind(const RunFileReader& file);

struct ComparisonFile {
    std::optional<std::string> engine_version, method;
    std::vector<std::string> scenarios;
    std::vector<std::string> measures, units;
    std::vector<std::string> months;
    StoredArray statistics, differences; ///< [scenario, measure, statistic]
    std::optional<std::size_t> replicates;
};
/// Throws std::runtime_error naming the object when one is missing or the shapes disagree.
ComparisonFile read_comparison(const RunFileReader& file);

struct SweepFile {
    std::optional<std::string> engine_version;
    struct Axis {
        std::string key;
        std::vector<std::string> values; ///< TOML text
    };
    std::vector<Axis> axes;
    std::vector<std::string> measures;
    std::optional<std::size_t> replicates;
};
SweepFile read_sweep(const RunFileReader& file);

} // namespace ulcsim
