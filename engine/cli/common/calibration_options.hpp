#pragma once
// What `calibrate` and `forecast --backtest` share: the options that choose what to fit and
// how hard to try, the calibration itself with progress on stderr, and its reports (the
// table, the fit file, the calibrated scenario).

#include "ensemble_command.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim::cli {

struct CalibrationCommandOptions {
    std::vector<std::string> fit;    ///< comma-separated lists, as given
    std::vector<std::string> priors; ///< KEY=LO:HI
    int evaluations = 200;
    int particles = 100;
    int generations = 10;
    int loss_replicates = 4;
    double tolerance_pp = 0.5;

    /// Adds --fit, --prior, --evaluations, --particles, --generations, --tolerance and
    /// --loss-replicates.
    void add_to(boost::program_options::options_description& options);
    /// The parameters to fit in `scenario` with their priors; a UsageError for an unknown or
    /// unfittable key, a malformed or empty prior, or no --fit at all.
    std::vector<CalibrationParameter> parameters(const Scenario& scenario) const;
    /// Checks the numbers and returns the settings (the seed is the scenario's).
    CalibrationSettings settings(const Scenario& scenario) const;
};

/// Observations of the scenario before `cut_off` (all when none is given); a UsageError
/// naming the file when there are none.
std::vector<Observation> observations_to_fit(const Scenario& scenario,
                                             std::optional<Month> cut_off);

/// Runs the calibration with a line of progress on stderr every few seconds (unless quiet).
CalibrationResult run_calibration(CalibrationProblem& problem, const CalibrationSettings& settings,
                                  bool quiet);

/// The terminal report: parameters (start, estimate, posterior mean and 90% interval) and
/// observations (observed, simulated at the start and at the estimate).
void print_calibration(const CalibrationProblem& problem, const CalibrationResult& result,
                       std::ostream& out);

/// /parameters, /observations, /optimiser and /posterior of the fit file (layout in
/// README.md).
void write_calibration(ArrayWriter& out, const CalibrationProblem& problem,
                       const CalibrationResult& result);

/// One row per observation: where, when, observed, simulated at the start and the
/// estimate with its 90% interval over replicates, and the source.
void write_calibration_csv(std::ostream& out, const CalibrationProblem& problem,
                           const CalibrationResult& result);

/// One row per posterior draw: weight, distance, and the parameter values.
void write_posterior_csv(std::ostream& out, const CalibrationProblem& problem,
                         const CalibrationResult& result);

/// The calibrated scenario: `extends` the original (relative to where it is written) and
/// sets only the fitted values, with the fit summarised in comments.
void write_calibrated_scenario(std::ostream& out, const std::filesystem::path& written_to,
                               const Scenario& original, const CalibrationProblem& problem,
                               const CalibrationResult& result,
                               const std::vector<std::string>& overrides);

/// Posterior draws read back from a fit file: the keys, the draws and their weights.
struct PosteriorDraws {
    std::vector<std::string> keys;
    std::vector<std::vector<double>> draws; ///< [draw][parameter]
    std::vector<double> weights;
};
/// Reads /posterior of a fit file written by calibrate; a UsageError naming the file when
/// it is missing, unreadable or not a fit file, or a key cannot be fitted.
PosteriorDraws read_posterior(const std::filesystem::path& fit_file);

} // namespace ulcsim::cli
