#pragma once
// The skill of a calibration in the terminal (forecast --backtest A,B,… / --rolling, calibrate
// --skill, forecast --posterior): the rolling-origin table and whether it meets issue 18's goal.

#include "ulcsim/rolling_backtest.hpp"

#include <cstddef>
#include <ostream>

namespace ulcsim::cli {

/// The table by horizon and overall: points, model MAE and RMSE, the achieved rate of the
/// replicates' 80% interval and of the 80% and 95% intervals with the discrepancy, the MAE of
/// persistence and of the linear trend on the points they can forecast and the model's
/// ratio to each; then the discrepancy and the goal (model ≤ 0.8 × persistence, 80%
/// intervals within 10 points of nominal), met or not.
void print_skill(const Skill& skill, std::ostream& out);

/// Announces a rolling-origin backtest of `cut_offs` origins on stderr ("ulcsim COMMAND:
/// …") and returns the progress line each origin's fit prints; both silent when `quiet`.
OriginFitted rolling_backtest_progress(const char* command, std::size_t cut_offs, bool quiet);

/// What a forecast without a calibration must say: its behaviour parameters are priors and
/// nobody has measured its skill.
void print_prior_warning(std::ostream& out);

} // namespace ulcsim::cli
