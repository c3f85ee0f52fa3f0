#pragma once
/// \file
/// Rolling-origin backtests: the skill of a calibration measured as a user would meet it. For
/// each of several cut-offs T, the parameters are fitted (ABC-SMC, ulcsim/calibration.hpp) on
/// the observations before T only, the posterior forecast predicts those from T on, and every
/// prediction of every origin is scored together: mean absolute error, root mean squared
/// error, the achieved rate of the 80% and 95% intervals, beside persistence and the linear
/// trend on the same points (ulcsim/backtest.hpp), overall and by horizon (months after T).
///
/// Every origin also gets intervals widened by a model discrepancy (ulcsim/model_discrepancy.hpp)
/// estimated without the points it holds out: from its own fit's residuals (all before T) and
/// the errors of the other origins on observations that T does not hold out. The widened
/// intervals are therefore scored out of sample, and their achieved rate is the honest
/// answer to "does 80% mean 80%?".

#include "ulcsim/backtest.hpp"
#include "ulcsim/calendar.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/execution.hpp"
#include "ulcsim/model_discrepancy.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// One origin: the backtest made from the fit on the observations before its cut-off.
struct BacktestOrigin {
    Backtest backtest;
    /// The calibration on the observations before the cut-off, with its posterior.
    CalibrationResult fit;
    /// The fit's own residuals (observed − mean at the estimate, h = 0), by fitted observation.
    std::vector<Observation> fitted;
    std::vector<ForecastError> fit_residuals;
    /// Estimated without the points held out here (filled by RollingBacktest::score).
    ModelDiscrepancy discrepancy;
    /// By held-out observation: the months after the cut-off, and the quantiles at
    /// backtest_levels of the predictions widened by the discrepancy.
    std::vector<int> horizon;
    std::vector<std::array<double, backtest_levels.size()>> widened;
    std::vector<bool> widened_inside_80, widened_inside_95;
};

struct RollingBacktest {
    std::vector<BacktestOrigin> origins;

    /// Scores every origin's backtest, estimates each origin's discrepancy without the points
    /// it holds out, and widens its intervals. Throws std::invalid_argument as
    /// Backtest::score does.
    void score();

    /// The discrepancy from every error of every origin (the fits' residuals and all
    /// held-out errors): what a forecast made with the calibration adds to its spread.
    ModelDiscrepancy discrepancy() const;
};

/// The skill over a range of horizons (or all of them).
struct SkillRow {
    int horizon_from = 0; ///< months after the cut-off, inclusive
    int horizon_to = -1;  ///< inclusive; −1: no end
    std::size_t points = 0;
    double mean_absolute_error = std::numeric_limits<double>::quiet_NaN(); ///< share
    double root_mean_squared_error = std::numeric_limits<double>::quiet_NaN();
    /// Achieved rates (share of the points inside), of the replicates' intervals and of the
    /// intervals widened by the discrepancy. NaN without points.
    double inside_80 = std::numeric_limits<double>::quiet_NaN();
    double inside_95 = std::numeric_limits<double>::quiet_NaN();
    double widened_inside_80 = std::numeric_limits<double>::quiet_NaN();
    double widened_inside_95 = std::numeric_limits<double>::quiet_NaN();
    BacktestSummary::AgainstReference persistence, linear_trend;
};

/// The horizons the skill is broken down by: 0–5, 6–11, 12–23 and 24 or more months.
inline constexpr std::array<std::array<int, 2>, 4> skill_horizons{
    {{0, 5}, {6, 11}, {12, 23}, {24, -1}}};

/// The skill of a calibration: by horizon (one row per skill_horizons entry) and overall
/// (horizon 0 … no end), with the discrepancy from every origin.
struct Skill {
    std::vector<Month> cut_offs;
    std::vector<SkillRow> by_horizon;
    SkillRow overall;
    ModelDiscrepancy discrepancy;
};
Skill summarise_rolling(const RollingBacktest& rolling);

/// The cut-offs a rolling backtest uses by default: every month in which an observation
/// falls that has at least one observation from it on and `fitted_at_least` (≥ 1) before it.
/// Months between two observations split the observations as the later one does, so they
/// add no origin.
std::vector<Month> rolling_cut_offs(const Scenario& scenario, std::size_t fitted_at_least);

/// Called after each origin's fit (for progress and reports).
using OriginFitted = std::function<void(Month cut_off, const CalibrationProblem& problem,
                                        const CalibrationResult& fit)>;

/// Runs the rolling-origin backtest of `parameters` on `scenario`: for every cut-off a
/// CalibrationProblem on the observations before it, calibrate() with `settings` (which must
/// make a posterior), then posterior_plan() of the scenario's replicates run to the last
/// held-out month, and the scored result. Without parameters nothing is fitted: every origin
/// scores the scenario as it is (its own, prior parameters), which is the skill a forecast
/// without a calibration has; `settings` and `on_fitted` are then not used. Throws
/// std::invalid_argument for no cut-offs, a cut-off with no observation before or from it,
/// or settings without particles when fitting.
RollingBacktest
run_rolling_backtest(const Scenario& scenario, const std::vector<CalibrationParameter>& parameters,
                     const std::vector<Month>& cut_offs, const CalibrationSettings& settings,
                     const ExecutionContext& context, const OriginFitted& on_fitted = {});

} // namespace ulcsim
