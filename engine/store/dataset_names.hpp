#pragma once
// Where each dataset family lives in the output files: the one place that spells the paths,
// for every writer and reader (the layout is documented in ulcsim/store.hpp).

#include <cstddef>
#include <string>
#include <string_view>

namespace ulcsim::dataset {

inline const std::string meta = "/meta";
inline const std::string months = "/months";
inline const std::string regions = "/regions";
inline const std::string region_code = "/regions/code";
inline const std::string region_name = "/regions/name";
inline const std::string region_province = "/regions/province";
inline const std::string series = "/series";
inline const std::string programmes = "/programs";
inline const std::string programme_names = "/programs/names";
inline const std::string checkpoint = "/checkpoint";
inline const std::string checkpoint_agents = "/checkpoint/agents";

// Statistics over replicates (ulcsim/summary.hpp): per region in the group itself, the other
// levels in its subgroups.
inline const std::string summary = "/summary";
inline const std::string summary_statistic = "/summary/statistic";
inline const std::string summary_province = "/summary/province";
inline const std::string summary_nation = "/summary/nation";
inline const std::string summary_programmes = "/summary/programs";

// `forecast`'s first passages (ulcsim/forecast_file.hpp).
inline const std::string forecast = "/forecast";
inline const std::string forecast_areas = "/forecast/areas";
inline const std::string forecast_posterior = "/forecast/posterior";
// The same record in a run or comparison file whose replicates ran on a posterior's draws.
inline const std::string replicate_parameters = "/replicate_parameters";
inline const std::string backtest = "/backtest";
inline const std::string backtest_rolling = "/backtest/rolling";

// A fit file (ulcsim/fit_file.hpp): the parameters, the observations fitted, the optimiser's
// record and the posterior's draws.
inline const std::string fit_parameters = "/parameters";
inline const std::string fit_observations = "/observations";
inline const std::string fit_optimiser = "/optimiser";
inline const std::string fit_posterior = "/posterior";

// A run against its scenario's observations (ulcsim/observation_tracks_file.hpp).
inline const std::string observation_tracks = "/observation_tracks";

// Skill tables (ulcsim/skill_file.hpp): a fit file's, a rolling backtest's, a forecast's copy.
inline const std::string fit_skill = "/skill";
inline const std::string rolling_skill = "/backtest/rolling/skill";
inline const std::string forecast_skill = "/forecast/skill";

// The result files of `compare` and `sweep` (ulcsim/result_file.hpp); /months as in a run.
inline const std::string scenarios = "/scenarios";
inline const std::string scenario_names = "/scenarios/name";
inline const std::string scenario_tomls = "/scenarios/scenario_toml";
inline const std::string grid = "/grid";
inline const std::string grid_keys = "/grid/keys";
inline const std::string measures = "/measures";
inline const std::string measure_names = "/measures/name";
inline const std::string measure_units = "/measures/units";
inline const std::string statistic = "/statistic";
inline const std::string values = "/values";
inline const std::string statistics = "/statistics";
inline const std::string differences = "/differences";
inline const std::string monthly = "/monthly";

/// A member of a group: in("/series", "covered") is "/series/covered".
inline std::string in(const std::string& group, std::string_view name) {
    return group + "/" + std::string(name);
}

/// The last part of a path, as its group lists it: leaf("/summary/nation") is "nation".
inline std::string leaf(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

/// The name of a sweep's axis `a` in /grid ("axis_0", …), which is also its dimension's.
inline std::string grid_axis_name(std::size_t a) {
    return "axis_" + std::to_string(a);
}

} // namespace ulcsim::dataset
