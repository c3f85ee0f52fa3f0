#include "calibration_options.hpp"

#include "commands.hpp"
#include "terminal_format.hpp"
#include "ulcsim/calibrated_scenario.hpp"
#include "ulcsim/observation_columns.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

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

double parse_bound(const std::string& prior, const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(v))
        throw UsageError("--prior " + prior + ": expected KEY=LOW:HIGH with numbers");
    return v;
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

std::vector<CalibrationParameter>
CalibrationCommandOptions::parameters(const Scenario& scenario) const {
    std::vector<CalibrationParameter> parameters;
    for (const std::string& list : fit) {
        std::stringstream items(list);
        std::string item;
        while (std::getline(items, item, ',')) {
            item = trimmed(item);
            if (item.empty()) continue;
            CalibrationParameter p;
            try {
                p = calibration_parameter(scenario, item);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--fit: ") + e.what());
            }
            for (const CalibrationParameter& q : parameters)
                if (q.key == p.key) throw UsageError("--fit: " + p.key + " is named twice");
            parameters.push_back(p);
        }
    }
    if (parameters.empty())
        throw UsageError(
            "no parameters to fit: give --fit KEY[,KEY…] (e.g. --fit h0_self,h_lapse)");
    for (const std::string& prior : priors) {
        const auto equals = prior.find('='), colon = prior.find(':', equals);
        if (equals == std::string::npos || colon == std::string::npos)
            throw UsageError("--prior " + prior + ": expected KEY=LOW:HIGH");
        std::string key;
        try {
            key = calibration_parameter(scenario, trimmed(prior.substr(0, equals))).key;
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--prior: ") + e.what());
        }
        const auto p = std::find_if(parameters.begin(), parameters.end(),
                                    [&](const CalibrationParameter& q) { return q.key == key; });
        if (p == parameters.end())
            throw UsageError("--prior " + prior + ": " + key +
                             " is not among the --fit parameters");
        const double low =
            parse_bound(prior, trimmed(prior.substr(equals + 1, colon - equals - 1)));
        const double high = parse_bound(prior, trimmed(prior.substr(colon + 1)));
        if (!(low < high)) throw UsageError("--prior " + prior + ": LOW must be below HIGH");
        // Every point of the prior must make a valid scenario.
        const ScenarioKey& k = *find_scenario_key(key);
        if (low < k.lower || (k.lower_open && low <= k.lower) || high > k.upper)
            throw UsageError("--prior " + prior + ": outside the range of " + key + " (" +
                             number(k.lower) + " … " + number(k.upper) + ")");
        p->prior = {low, high};
    }
    // The search starts from the scenario's value, or the nearest point of the prior.
    for (CalibrationParameter& p : parameters)
        p.start = std::clamp(p.start, p.prior.lower, p.prior.upper);
    return parameters;
}

CalibrationSettings CalibrationCommandOptions::settings(const Scenario& scenario) const {
    if (evaluations < 10 || evaluations > 100'000)
        throw UsageError("--evaluations must be between 10 and 100000");
    if (loss_replicates < 1 || loss_replicates > 1000)
        throw UsageError("--loss-replicates must be between 1 and 1000");
    if (particles != 0 && (particles < 2 || particles > 100'000))
        throw UsageError("--particles must be 0 or between 2 and 100000");
    if (generations < 1 || generations > 50)
        throw UsageError("--generations must be between 1 and 50");
    if (!(tolerance_pp >= 0 && tolerance_pp <= 100))
        throw UsageError("--tolerance must be between 0 and 100 (percentage points)");
    CalibrationSettings s;
    s.max_evaluations = evaluations;
    s.replicates = static_cast<std::uint32_t>(loss_replicates);
    s.particles = static_cast<std::size_t>(particles);
    s.generations = generations;
    s.tolerance = tolerance_pp / 100;
    s.seed = scenario.run.seed;
    return s;
}

std::vector<Observation> observations_to_fit(const Scenario& scenario,
                                             std::optional<Month> cut_off) {
    std::vector<Observation> fitted;
    for (const Observation& o : scenario.observations)
        if (!cut_off || o.month < *cut_off) fitted.push_back(o);
    if (fitted.empty())
        throw UsageError(scenario.file.string() + ": no observations" +
                         (cut_off ? " before " + cut_off->to_string() : std::string()) +
                         " to fit (add [[observation]] tables: scenarios/README.md)");
    return fitted;
}

CalibrationResult run_calibration(CalibrationProblem& problem, const CalibrationSettings& settings,
                                  bool quiet) {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    auto last = started;
    if (!quiet)
        problem.on_batch = [&](std::int64_t simulations) {
            const auto now = Clock::now();
            if (now - last < std::chrono::seconds(2)) return;
            last = now;
            std::cerr << "  calibrating: " << with_thousands(simulations) << " simulations, "
                      << std::chrono::duration_cast<std::chrono::seconds>(now - started).count()
                      << " s\n";
        };
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
