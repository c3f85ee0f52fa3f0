#pragma once
/// \file
/// `ulcsim forecast` as an operation of the library, so that the program and the Python
/// module (ulcsim.forecast) run it the same way, file for file:
///   1. forecast_parameters(): where the behaviour parameters come from — the scenario's own
///      values, a calibration's posterior (each replicate on a draw), or a backtest that
///      calibrates on the observations before a cut-off (one cut-off, several, or every one
///      of a rolling-origin backtest) and runs on that posterior, with the skill it measures;
///   2. forecast_settings(): the threshold, the months to report and the model discrepancy
///      the skill adds to the intervals;
///   3. record_forecast(): the replicates into the run file, then the summaries, observation
///      tracks, /forecast, the replicates' parameters, the skill and the backtest;
///   4. forecast_text_outputs(): the CSV files beside the run file, to commit with it
///      (ulcsim/text_outputs.hpp).

#include "ulcsim/backtest.hpp"
#include "ulcsim/calendar.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/calibration_plan.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/execution.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/text_outputs.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// A posterior chosen for a run: the file it was read from and its draws.
struct ChosenDraws {
    std::filesystem::path file;
    bool of_scenario = false; ///< the scenario's run.posterior, not one given
    PosteriorDraws draws;
};

/// Where a forecast's behaviour parameters come from: at most one of a posterior, a backtest
/// and a rolling backtest.
struct ForecastParameterOptions {
    std::optional<ChosenDraws> posterior;
    /// "YYYY-MM" (one cut-off) or "YYYY-MM,YYYY-MM,…" (several); empty: no backtest.
    std::string backtest;
    /// A rolling-origin backtest from every month with an observation that has at least as
    /// many observations before it as parameters fitted.
    bool rolling = false;
    /// The backtests' calibration; without fit, they score the scenario as it is.
    CalibrationOptions calibration;
};

/// How forecast_parameters() reports what it does.
struct ForecastParameterProgress {
    /// After every batch of parameter points of a calibration: the simulations run so far.
    std::function<void(std::int64_t simulations)> on_batch;
    /// Before and after the calibration of a single backtest.
    std::function<void(const CalibrationProblem& problem)> on_backtest_calibrating;
    std::function<void(const CalibrationProblem& problem, const CalibrationResult& result)>
        on_backtest_calibrated;
    /// As a rolling backtest of `cut_offs` origins starts: returns what to call after each
    /// origin's fit.
    std::function<OriginFitted(std::size_t cut_offs)> on_rolling_start;
};

/// The forecast's parameters and what the backtests measured.
struct ForecastParameters {
    /// Each replicate on its posterior draw (none: the scenario's values).
    std::optional<PosteriorPlan> per_replicate;
    std::string parameter_source; ///< as /replicate_parameters records it
    /// The held-out observations of the (last) cut-off; predicted as the forecast runs.
    std::optional<Backtest> backtest;
    /// The (last) cut-off's calibration, stored in the run file.
    std::optional<CalibrationProblem> backtest_problem;
    std::optional<CalibrationResult> backtest_fit;
    std::optional<RollingBacktest> rolling;
    /// The rolling backtest's, or the one stored in the posterior's fit file.
    std::optional<Skill> skill;
    /// The month after the last observation fitted: the model discrepancy starts there.
    std::optional<Month> fitted_until;
    /// Backtests without a fit: they score the scenario's own (prior) parameters.
    bool as_it_is = false;
};

/// Makes the parameters (runs the backtests' calibrations on `context`). OptionError (with
/// the program's option names) for a cut-off that is no month or has no observation before
/// or from it, a backtest without a posterior, or no cut-off for a rolling backtest; as
/// CalibrationOptions for the calibration's options.
ForecastParameters forecast_parameters(const Scenario& scenario,
                                       const ForecastParameterOptions& options,
                                       const ExecutionContext& context,
                                       const ForecastParameterProgress& progress = {});

/// The scenario's ulc.threshold and ulc.measure, the months `by` (every December and the
/// last month when empty) and the model discrepancy of the skill, when it has one.
ForecastSettings forecast_settings(const Scenario& scenario, std::vector<Month> by,
                                   const ForecastParameters& parameters);

/// What record_forecast() made.
struct RecordedForecast {
    Forecast forecast;
    EnsembleSummary summary;
};

/// Runs the replicates with `run` (on the posterior plan when there is one) into `writer`,
/// made for `scenario`, and writes the summaries, observation tracks, /forecast, the
/// replicates' parameters, the rolling backtest or skill, and the backtest (scored here) with
/// its fit. `also` sees each replicate first (the program's workbook totals). The caller
/// commits, with forecast_text_outputs().
RecordedForecast
record_forecast(RunFileWriter& writer, const Scenario& scenario, const ForecastSettings& settings,
                ForecastParameters& parameters, const PlanRunner& run,
                const std::function<void(std::uint32_t, const ReplicateSeries&)>& also = {});

/// The files beside a forecast's run file `output`, their extension replaced.
struct ForecastPaths {
    std::filesystem::path run, summary, forecast, programmes, backtest, rolling, skill;
    explicit ForecastPaths(const std::filesystem::path& output);
};

/// The CSV files a forecast writes beside its run file: the summary, forecast and programmes
/// CSVs; the backtest's; the rolling backtest's and the skill's. They refer to `scenario`,
/// `recorded` and `parameters`, which must outlive the commit.
std::vector<TextOutput> forecast_text_outputs(const ForecastPaths& paths, const Scenario& scenario,
                                              const RecordedForecast& recorded,
                                              const ForecastParameters& parameters);

} // namespace ulcsim
