#pragma once
/// \file
/// The result files of `compare` and `sweep`, written into a ResultFileWriter and read back:
///   /meta                  attributes engine_version, method, scenario_toml (sweep)
///   /scenarios/name, scenario_toml  [scenario] (compare; the first is the base)
///   /grid/axis_<a>         [value] TOML text of each value of axis a, attribute key (sweep)
///   /grid/keys             [axis] (sweep)
///   /measures/name, units  [measure]; /statistic [statistic]
///   /months                [month] (compare)
///   /statistics, /differences  [scenario or grid axes…, measure, statistic]
///   /values                [scenario or grid axes…, measure, replicate]
///   /monthly/<series>      [scenario, replicate, month] (compare): coverage_rate, covered,
///                          labour_force, programme_members, programme_spent_idr,
///                          former_members_covered, policy_cost_idr
/// and which kind of ulcsim file an HDF5 file is. Beside each, a CSV of the levels and
/// differences (mean and 90% interval): one row per measure and scenario (compare) or one per
/// grid point (sweep).

#include "ulcsim/comparison.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/sweep_grid.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim {

/// A comparison of `scenarios` (the first the base) into `out`: every group but /meta's engine
/// version. `outcomes` are each replicate's monthly totals, [scenario][replicate];
/// `independent_seeds` says the scenarios ran on their own seeds rather than common random
/// numbers.
void write_comparison(ArrayWriter& out, const std::vector<Scenario>& scenarios,
                      bool independent_seeds, const std::vector<OutcomeMeasure>& measures,
                      const MeasuredScenarios& measured,
                      const std::vector<std::vector<ReplicateOutcome>>& outcomes);
void write_comparison_csv(std::ostream& out, const std::vector<Scenario>& scenarios,
                          const std::vector<OutcomeMeasure>& measures,
                          const MeasuredScenarios& measured);

/// A sweep over the grid of `axes` into `out`; `scenarios` are its points in order
/// (grid_scenarios()), the first recorded as /meta@scenario_toml.
void write_sweep(ArrayWriter& out, const std::vector<SweepAxis>& axes,
                 const std::vector<Scenario>& scenarios,
                 const std::vector<OutcomeMeasure>& measures, const MeasuredScenarios& measured);
void write_sweep_csv(std::ostream& out, const std::vector<SweepAxis>& axes,
                     const std::vector<OutcomeMeasure>& measures,
                     const MeasuredScenarios& measured);

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
    /// [axis 0, axis 1, …, measure, statistic]; empty when the file has none.
    StoredArray statistics, differences;
};
SweepFile read_sweep(const RunFileReader& file);

} // namespace ulcsim
