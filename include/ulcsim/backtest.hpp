#pragma once
/// \file
/// Backtests: a forecast made without the observations from a cut-off month on, set against
/// them. Each held-out observation gets the distribution over replicates of its simulated
/// value; the score says how far the mean is from what was observed and whether the
/// observation falls inside the forecast's 80% and 95% intervals. Beside it, two naive
/// forecasts a model must beat to be worth its cost: persistence (the last value observed
/// before the cut-off, of the same region, segment and measure) and the linear trend through
/// the last two such values.

#include "ulcsim/calendar.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cstddef>
#include <limits>
#include <vector>

namespace ulcsim {

/// Quantile levels of a backtest's predictions: the 95% and 80% intervals and the median.
inline constexpr std::array<double, 5> backtest_levels{0.025, 0.10, 0.50, 0.90, 0.975};

/// Whether the interval [lower, upper] holds the observation: comes within its error band of
/// the figure (the band is the figure's own uncertainty, see Observation::error_band).
inline bool interval_holds(double lower, double upper, const Observation& observation) {
    return lower - observation.error_band <= observation.value &&
           observation.value <= upper + observation.error_band;
}

/// The prediction of one held-out observation: its distribution over replicates.
struct BacktestRow {
    std::array<double, backtest_levels.size()> quantiles{}; ///< type 7, as the summaries
    double mean = 0;
    double error = 0; ///< mean − observed
    bool inside_80 = false;
    bool inside_95 = false;
    /// The naive forecasts of the observation, NaN when the scenario has too few earlier
    /// observations of its series (one for persistence, two in different months for the trend).
    double persistence = std::numeric_limits<double>::quiet_NaN();
    double linear_trend = std::numeric_limits<double>::quiet_NaN();
};

/// How the held-out observations compare with the forecast made without them.
struct Backtest {
    Month cut_off;
    std::vector<Observation> held_out;
    /// By held-out observation: the earlier observations of its series, oldest first.
    std::vector<std::vector<Observation>> history;
    std::vector<std::vector<double>> predicted; ///< [observation][replicate]
    std::vector<BacktestRow> rows;              ///< by observation, once scored

    /// The observations of `scenario` from `cut_off` on, with room for `replicates`
    /// predictions each.
    static Backtest holding_out(const Scenario& scenario, Month cut_off, std::size_t replicates);

    /// Fills `rows` from `predicted`. Throws std::invalid_argument when an observation has no
    /// prediction.
    void score();
};

/// The errors of a scored backtest over its observations.
struct BacktestSummary {
    std::size_t observations = 0;
    double mean_absolute_error = 0; ///< share
    double root_mean_squared_error = 0;
    std::size_t inside_80 = 0;
    std::size_t inside_95 = 0;

    /// The same model against persistence, on the observations persistence can forecast
    /// (their number, the model's and persistence's mean absolute errors there); and likewise
    /// against the linear trend. The errors are NaN when no observation can be compared.
    struct AgainstReference {
        std::size_t observations = 0;
        double model_error = std::numeric_limits<double>::quiet_NaN();
        double reference_error = std::numeric_limits<double>::quiet_NaN();
        /// model_error / reference_error: below 1 the model beats the reference.
        double ratio() const { return model_error / reference_error; }
    };
    AgainstReference persistence;
    AgainstReference linear_trend;
};
BacktestSummary summarise_backtest(const Backtest& backtest);

} // namespace ulcsim
