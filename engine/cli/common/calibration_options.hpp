#pragma once
// What `calibrate` and `forecast --backtest` share: the options that choose what to fit and
// how hard to try, the calibration itself with progress on stderr, and its table in the
// terminal. The fit file and the calibrated scenario are the library's
// (ulcsim/fit_file.hpp, ulcsim/calibrated_scenario.hpp).

#include "ensemble_command.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/scenario.hpp"

#include <boost/program_options.hpp>
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

} // namespace ulcsim::cli
