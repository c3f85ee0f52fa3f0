#pragma once
/// \file
/// `ulcsim calibrate` as an operation of the library, so that the program and the Python
/// module (ulcsim.calibrate) run it the same way: the options as a user gives them, checked
/// and turned into the parameters, settings and observations to fit (plan_calibration); the
/// calibration itself, with the rolling-origin skill when asked (run_calibration_plan); and
/// its outputs, committed together (write_calibration): the calibrated scenario (TOML), the fit
/// file (.fit.h5), the fit and posterior CSVs and, with the skill, the skill and
/// rolling-backtest CSVs.

#include "ulcsim/calendar.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/execution.hpp"
#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

class OutputSink;

/// What to fit and how hard to try, as `calibrate` and `forecast --backtest` take it. The
/// checks throw OptionError naming the option as the program spells it (--fit, --prior, …).
struct CalibrationOptions {
    std::vector<std::string> fit;    ///< keys, each text possibly a comma-separated list
    std::vector<std::string> priors; ///< KEY=LOW:HIGH
    int evaluations = 200;
    int particles = 100;
    int generations = 10;
    int loss_replicates = 4;
    double tolerance_pp = 0.5;

    /// The parameters to fit in `scenario` with their priors; an OptionError for an unknown
    /// or unfittable key, a key named twice, a malformed, empty or out-of-range prior, a prior
    /// of a key not fitted, or nothing to fit.
    std::vector<CalibrationParameter> parameters(const Scenario& scenario) const;
    /// Checks the numbers and returns the settings (the seed is the scenario's).
    CalibrationSettings settings(const Scenario& scenario) const;
};

/// Observations of the scenario before `cut_off` (all when none is given); an OptionError
/// naming the file when there are none.
std::vector<Observation> observations_to_fit(const Scenario& scenario,
                                             std::optional<Month> cut_off);

/// A calibration checked and ready to run.
struct CalibrationPlan {
    /// As loaded, with `overrides` applied.
    Scenario scenario;
    /// The --set texts (and run.seed) the scenario was loaded with: listed in the calibrated
    /// scenario's comments, not set in it.
    std::vector<std::string> overrides;
    std::vector<CalibrationParameter> parameters;
    CalibrationSettings settings;
    /// The scenario with only the observations fitted: the skill is measured on them as if
    /// they were all there is.
    Scenario fitted_only;
    /// The rolling backtest's cut-offs; empty when no skill is measured.
    std::vector<Month> skill_cut_offs;

    const std::vector<Observation>& observations() const { return fitted_only.observations; }
    bool measures_skill() const { return !skill_cut_offs.empty(); }
};

/// Checks `options` against `scenario` (loaded with `overrides`): the parameters, the
/// settings, the observations before `until`, and with `skill` the cut-offs of the
/// rolling-origin backtest. OptionError as CalibrationOptions, and for a skill without a
/// posterior (particles 0) or without a cut-off.
CalibrationPlan plan_calibration(const Scenario& scenario, std::vector<std::string> overrides,
                                 const CalibrationOptions& options, std::optional<Month> until,
                                 bool skill);

/// A calibration made.
struct CalibrationOutcome {
    CalibrationProblem problem;
    CalibrationResult result;
    std::optional<RollingBacktest> rolling; ///< with the skill
    std::optional<Skill> skill;
};

/// How a calibration reports its progress.
struct CalibrationProgress {
    /// After every batch of parameter points: the simulations run so far.
    std::function<void(std::int64_t simulations)> on_batch;
    /// As the skill's rolling backtest starts: returns what to call after each origin's fit.
    std::function<OriginFitted()> on_skill_start;
};

/// Calibrates on `context` (its stop flag ends it with Stopped), then measures the skill
/// when the plan asks for it.
CalibrationOutcome run_calibration_plan(const CalibrationPlan& plan,
                                        const ExecutionContext& context,
                                        const CalibrationProgress& progress = {});

/// Where a calibration's outputs go: the calibrated scenario and, beside it (its extension
/// replaced), the others.
struct CalibrationPaths {
    std::filesystem::path scenario, fit, fit_csv, posterior_csv, skill_csv, rolling_csv;
    explicit CalibrationPaths(const std::filesystem::path& calibrated_scenario);
};

/// Writes every output of the calibration: the fit file (/meta, the fit and, with the skill,
/// /skill), the calibrated scenario, the fit and posterior CSVs and, with the skill, the
/// skill and rolling-backtest CSVs; all committed together (ulcsim/text_outputs.hpp), the
/// temporary files registered with `sink`, `before_commit` called once they are complete.
void write_calibration(const CalibrationPlan& plan, const CalibrationOutcome& outcome,
                       const CalibrationPaths& paths, OutputSink* sink,
                       const std::function<void()>& before_commit = {});

} // namespace ulcsim
