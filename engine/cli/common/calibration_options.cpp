#include "calibration_options.hpp"

#include "commands.hpp"
#include "terminal_format.hpp"
#include "ulcsim/calibrated_scenario.hpp"
#include "ulcsim/observation_columns.hpp"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

/// A number for a person: 4 significant digits.
std::string number(double v) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream out;
    out << std::setprecision(4) << v;
    return out.str();
}

std::string percentage_points(double share_difference) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << share_difference * 100 << " pp";
    return out.str();
}

} // namespace

void CalibrationCommandOptions::add_to(po::options_description& options) {
    options.add_options()("fit", po::value<std::vector<std::string>>(&fit)->composing(),
                          "parameters to fit, comma-separated (repeatable): any key `ulcsim keys "
                          "--fittable` lists, behaviour keys also by their own name (h0_self, "
                          "h_lapse), programme keys by the programme's name "
                          "(programme.NAME.continue_after_subsidy)")(
        "prior", po::value<std::vector<std::string>>(&priors)->composing(),
        "prior range of a fitted parameter, KEY=LOW:HIGH within the key's range (repeatable; "
        "default: the key's stated prior where `ulcsim keys` gives one, otherwise shares 0–1, "
        "hazards, rates and amounts the scenario's value ÷5 … ×5, coefficients ± "
        "max(1, 2×|value|))")("evaluations", po::value<int>(&evaluations),
                              "Nelder–Mead loss evaluations at most (default 200)")(
        "loss-replicates", po::value<int>(&loss_replicates),
        "replicates averaged in each loss evaluation, common random numbers (default 4)")(
        "particles", po::value<int>(&particles),
        "ABC-SMC particles for the posterior (default 100; 0: point estimate only)")(
        "generations", po::value<int>(&generations), "ABC-SMC generations at most (default 10)")(
        "tolerance", po::value<double>(&tolerance_pp),
        "ABC-SMC stops at this root mean squared error, in percentage points (default 0.5: "
        "the rounding of a share quoted in whole percent)");
}

std::function<void(std::int64_t)> calibration_progress(bool quiet) {
    if (quiet) return nullptr;
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    return [started, last = started](std::int64_t simulations) mutable {
        const auto now = Clock::now();
        if (now - last < std::chrono::seconds(2)) return;
        last = now;
        std::cerr << "  calibrating: " << with_thousands(simulations) << " simulations, "
                  << std::chrono::duration_cast<std::chrono::seconds>(now - started).count()
                  << " s\n";
    };
}

CalibrationResult run_calibration(CalibrationProblem& problem, const CalibrationSettings& settings,
                                  bool quiet) {
    problem.on_batch = calibration_progress(quiet);
    CalibrationResult result = calibrate(problem, settings);
    problem.on_batch = nullptr;
    return result;
}

void print_calibration(const CalibrationProblem& problem, const CalibrationResult& r,
                       std::ostream& out) {
    const auto& parameters = problem.parameters();
    out << "Parameters (estimate: Nelder–Mead on the mean of replicates with common random "
           "numbers; posterior: ABC-SMC)\n";
    std::vector<std::vector<std::string>> table{
        {"parameter", "prior", "start", "estimate", "posterior mean [90%]"}};
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const std::string posterior =
            r.has_posterior ? posterior_summary(r.posterior, i) : std::string();
        table.push_back(
            {parameters[i].key,
             number(parameters[i].prior.lower) + " … " + number(parameters[i].prior.upper),
             number(parameters[i].start), number(r.estimate.minimum[e]), posterior});
    }
    print_table(table, out);
    out << "\nObservations (simulated: mean over replicates [90% interval] at the estimate)\n";
    std::vector<std::vector<std::string>> obs{
        {"observation", "measure", "observed", "at start", "at estimate"}};
    const auto& observations = problem.observations();
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        obs.push_back({observation_label(o),
                       std::string(coverage_measure_names[static_cast<std::size_t>(o.measure)]),
                       measure_value(o.value, "share", false),
                       measure_value(r.simulated_at_start[i], "share", false),
                       measure_with_interval(r.simulated_mean[i], r.simulated_p05[i],
                                             r.simulated_p95[i], "share", false)});
    }
    print_table(obs, out);
    out << "\nRoot mean squared error: " << percentage_points(std::sqrt(r.start_loss))
        << " at the start, " << percentage_points(std::sqrt(r.estimate.loss))
        << " at the estimate (" << r.estimate.evaluations << " evaluations; "
        << r.estimate.stopped_because << ")\n";
    if (r.has_posterior)
        out << "Posterior: " << r.posterior.draws.rows() << " particles, "
            << r.posterior.tolerances.size() << " generations, final tolerance "
            << percentage_points(r.posterior.tolerances.back()) << " RMSE, "
            << r.posterior.simulations << " simulations (" << r.posterior.stopped_because << ")\n";
}

} // namespace ulcsim::cli
