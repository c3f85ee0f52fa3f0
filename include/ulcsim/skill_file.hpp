#pragma once
/// \file
/// A rolling-origin backtest (ulcsim/rolling_backtest.hpp) in the outputs. `forecast
/// --backtest A,B,…` / `--rolling` writes every point under /backtest/rolling and the skill
/// under /backtest/rolling/skill; `calibrate --skill` writes the skill into the fit file
/// (/skill); `forecast --posterior` copies the skill of its fit file to /forecast/skill.
///
/// Points, along "point" (every origin's held-out observations, origin by origin): cut_off
/// (YYYY-MM), horizon (months after it), region, segment, month, observed
/// (ulcsim/observation_columns.hpp), predicted_mean, error, inside_80, inside_95,
/// widened_inside_80, widened_inside_95, persistence, linear_trend, discrepancy_sd;
/// predicted_quantile and widened_quantile [point, quantile] at quantile_level [quantile].
///
/// Skill, along "row" (the horizons of skill_horizons, then all horizons together):
/// horizon_from, horizon_to (−1: no end), points, mean_absolute_error,
/// root_mean_squared_error, inside_80, inside_95, widened_inside_80, widened_inside_95,
/// persistence_points, persistence_model_error, persistence_error, linear_trend_points,
/// linear_trend_model_error, linear_trend_error; cut_off [origin]; discrepancy_variance
/// [term] (level, per month of horizon) and discrepancy_errors [1].

#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/store.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace ulcsim {

/// Where a skill table is kept: a fit file's own (/skill), a rolling backtest's
/// (/backtest/rolling/skill), or the one a forecast copied from its fit file (/forecast/skill).
enum class SkillPlace { fit, rolling_backtest, forecast };

void write_skill(ArrayWriter& out, SkillPlace place, const Skill& skill);
/// Reads what write_skill() wrote; throws std::runtime_error naming the dataset when one is
/// missing or the lengths differ.
Skill read_skill(const RunFileReader& file, SkillPlace place);
/// The skill at `place`, or nothing when the file has none there.
std::optional<Skill> read_skill_if_any(const RunFileReader& file, SkillPlace place);

/// /backtest/rolling: every point and the skill.
void write_rolling_backtest(ArrayWriter& out, const RollingBacktest& rolling);

/// One row per point: cut-off, horizon, the observation, the predicted mean and quantiles,
/// the widened 80% and 95% intervals, whether it is inside each, and the naive forecasts.
void write_rolling_backtest_csv(std::ostream& out, const RollingBacktest& rolling);
/// One row per horizon row of the skill (the last: all horizons).
void write_skill_csv(std::ostream& out, const Skill& skill);

} // namespace ulcsim
