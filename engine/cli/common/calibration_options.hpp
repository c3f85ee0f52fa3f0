#pragma once
// What `calibrate` and `forecast --backtest` share: the options that choose what to fit and
// how hard to try (checked by the library: ulcsim/calibration_plan.hpp), the calibration
// itself with progress on stderr, and its table in the terminal. The fit file and the
// calibrated scenario are the library's (ulcsim/fit_file.hpp, ulcsim/calibrated_scenario.hpp).

#include "ensemble_command.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/calibration_plan.hpp"
#include "ulcsim/scenario.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// The library's calibration options (ulcsim/calibration_plan.hpp) on the command line.
struct CalibrationCommandOptions : CalibrationOptions {
    /// Adds --fit, --prior, --evaluations, --particles, --generations, --tolerance and
    /// --loss-replicates.
    void add_to(boost::program_options::options_description& options);
};

/// A line of progress on stderr every few seconds (nothing when quiet), as
/// CalibrationProblem::on_batch.
std::function<void(std::int64_t simulations)> calibration_progress(bool quiet);

/// Runs the calibration with calibration_progress.
CalibrationResult run_calibration(CalibrationProblem& problem, const CalibrationSettings& settings,
                                  bool quiet);

/// The terminal report: parameters (start, estimate, posterior mean and 90% interval) and
/// observations (observed, simulated at the start and at the estimate).
void print_calibration(const CalibrationProblem& problem, const CalibrationResult& result,
                       std::ostream& out);

} // namespace ulcsim::cli
