#pragma once
/// \file
/// A backtest in its outputs (`forecast --backtest`): /backtest in the run file and the
/// <name>.backtest.csv beside it, and the typed reader of /backtest. Layout, one entry per
/// held-out observation: region, segment, month, observed (ulcsim/observation_columns.hpp),
/// predicted_mean, error, inside_80, inside_95 [observation]; predicted_quantile
/// [observation, quantile] at quantile_level [quantile] (ulcsim/backtest.hpp); attribute
/// cut_off (YYYY-MM).

#include "ulcsim/backtest.hpp"
#include "ulcsim/observation_columns.hpp"
#include "ulcsim/store.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim {

/// /backtest of a scored backtest.
void write_backtest(ArrayWriter& out, const Backtest& backtest);

/// One row per held-out observation: where, when, measure, observed, the predicted mean and
/// quantiles, the error and whether it is inside the 80% and 95% intervals (1 or 0).
void write_backtest_csv(std::ostream& out, const Backtest& backtest);

/// /backtest read back.
struct BacktestFile {
    std::optional<std::string> cut_off;
    ObservationColumns observations;
    std::vector<double> predicted_mean, error, inside_80, inside_95;
    /// The naive forecasts (NaN where the series has too few earlier values, or the file
    /// predates them).
    std::vector<double> persistence, linear_trend;
};
/// Throws std::runtime_error naming the dataset when one is missing or the lengths differ.
BacktestFile read_backtest(const RunFileReader& file);

} // namespace ulcsim
