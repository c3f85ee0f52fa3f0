#include "ulcsim/calibration_plan.hpp"

#include "ulcsim/calibrated_scenario.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/skill_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/text_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ulcsim {

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

double parse_bound(const std::string& prior, const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(v))
        throw OptionError("--prior " + prior + ": expected KEY=LOW:HIGH with numbers");
    return v;
}

} // namespace

std::vector<CalibrationParameter> CalibrationOptions::parameters(const Scenario& scenario) const {
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
                throw OptionError(std::string("--fit: ") + e.what());
            }
            for (const CalibrationParameter& q : parameters)
                if (q.key == p.key) throw OptionError("--fit: " + p.key + " is named twice");
            parameters.push_back(p);
        }
    }
    if (parameters.empty())
        throw OptionError(
            "no parameters to fit: give --fit KEY[,KEY…] (e.g. --fit h0_self,h_lapse)");
    for (const std::string& prior : priors) {
        const auto equals = prior.find('='), colon = prior.find(':', equals);
        if (equals == std::string::npos || colon == std::string::npos)
            throw OptionError("--prior " + prior + ": expected KEY=LOW:HIGH");
        std::string key;
        try {
            key = calibration_parameter(scenario, trimmed(prior.substr(0, equals))).key;
        } catch (const std::invalid_argument& e) {
            throw OptionError(std::string("--prior: ") + e.what());
        }
        const auto p = std::find_if(parameters.begin(), parameters.end(),
                                    [&](const CalibrationParameter& q) { return q.key == key; });
        if (p == parameters.end())
            throw OptionError("--prior " + prior + ": " + key +
                              " is not among the --fit parameters");
        const double low =
            parse_bound(prior, trimmed(prior.substr(equals + 1, colon - equals - 1)));
        const double high = parse_bound(prior, trimmed(prior.substr(colon + 1)));
        if (!(low < high)) throw OptionError("--prior " + prior + ": LOW must be below HIGH");
        // Every point of the prior must make a valid scenario.
        const ScenarioKey& k = *find_scenario_key(key);
        if (low < k.lower || (k.lower_open && low <= k.lower) || high > k.upper)
            throw OptionError("--prior " + prior + ": outside the range of " + key + " (" +
                              number(k.lower) + " … " + number(k.upper) + ")");
        p->prior = {low, high};
    }
    // The search starts from the scenario's value, or the nearest point of the prior.
    for (CalibrationParameter& p : parameters)
        p.start = std::clamp(p.start, p.prior.lower, p.prior.upper);
    return parameters;
}

CalibrationSettings CalibrationOptions::settings(const Scenario& scenario) const {
    if (evaluations < 10 || evaluations > 100'000)
        throw OptionError("--evaluations must be between 10 and 100000");
    if (loss_replicates < 1 || loss_replicates > 1000)
        throw OptionError("--loss-replicates must be between 1 and 1000");
    if (particles != 0 && (particles < 2 || particles > 100'000))
        throw OptionError("--particles must be 0 or between 2 and 100000");
    if (generations < 1 || generations > 50)
        throw OptionError("--generations must be between 1 and 50");
    if (!(tolerance_pp >= 0 && tolerance_pp <= 100))
        throw OptionError("--tolerance must be between 0 and 100 (percentage points)");
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
        throw OptionError(scenario.file.string() + ": no observations" +
                          (cut_off ? " before " + cut_off->to_string() : std::string()) +
                          " to fit (add [[observation]] tables: scenarios/README.md)");
    return fitted;
}

CalibrationPlan plan_calibration(const Scenario& scenario, std::vector<std::string> overrides,
                                 const CalibrationOptions& options, std::optional<Month> until,
                                 bool skill) {
    CalibrationPlan plan{scenario,
                         std::move(overrides),
                         options.parameters(scenario),
                         options.settings(scenario),
                         scenario,
                         {}};
    plan.fitted_only.observations = observations_to_fit(scenario, until);
    if (skill) {
        if (plan.settings.particles == 0)
            throw OptionError("--skill needs a posterior: --particles must not be 0");
        plan.skill_cut_offs = rolling_cut_offs(plan.fitted_only, plan.parameters.size());
        if (plan.skill_cut_offs.empty())
            throw OptionError("--skill: " + scenario.file.string() +
                              " has no month with an observation and at least " +
                              std::to_string(plan.parameters.size()) +
                              " observations before it, so no skill can be measured (add dated "
                              "[[observation]]s)");
    }
    return plan;
}

CalibrationOutcome run_calibration_plan(const CalibrationPlan& plan,
                                        const ExecutionContext& context,
                                        const CalibrationProgress& progress) {
    CalibrationOutcome outcome{
        CalibrationProblem(plan.scenario, plan.parameters, plan.observations(), context),
        {},
        {},
        {}};
    outcome.problem.on_batch = progress.on_batch;
    outcome.result = calibrate(outcome.problem, plan.settings);
    outcome.problem.on_batch = nullptr;
    if (plan.measures_skill()) {
        outcome.rolling = run_rolling_backtest(
            plan.fitted_only, outcome.problem.parameters(), plan.skill_cut_offs, plan.settings,
            context, progress.on_skill_start ? progress.on_skill_start() : OriginFitted{});
        outcome.skill = summarise_rolling(*outcome.rolling);
    }
    return outcome;
}

CalibrationPaths::CalibrationPaths(const std::filesystem::path& calibrated_scenario)
    : scenario(calibrated_scenario), fit(path_beside(calibrated_scenario, ".fit.h5")),
      fit_csv(path_beside(calibrated_scenario, ".fit.csv")),
      posterior_csv(path_beside(calibrated_scenario, ".posterior.csv")),
      skill_csv(path_beside(calibrated_scenario, ".skill.csv")),
      rolling_csv(path_beside(calibrated_scenario, ".rolling-backtest.csv")) {}

void write_calibration(const CalibrationPlan& plan, const CalibrationOutcome& outcome,
                       const CalibrationPaths& paths, OutputSink* sink,
                       const std::function<void()>& before_commit) {
    const CalibrationProblem& problem = outcome.problem;
    const CalibrationResult& result = outcome.result;
    ResultFileWriter writer(paths.fit, sink);
    write_fit_meta(writer, plan.scenario, paths.scenario.filename().string());
    write_fit(writer, problem, result);
    std::vector<TextOutput> texts{
        {paths.scenario,
         [&](std::ostream& out) {
             write_calibrated_scenario(out, paths.scenario, plan.scenario, problem, result,
                                       plan.overrides);
         }},
        {paths.fit_csv, [&](std::ostream& out) { write_fit_csv(out, problem, result); }},
        {paths.posterior_csv,
         [&](std::ostream& out) { write_posterior_csv(out, problem, result); }}};
    if (outcome.skill) {
        write_skill(writer, SkillPlace::fit, *outcome.skill);
        texts.push_back(
            {paths.skill_csv, [&](std::ostream& out) { write_skill_csv(out, *outcome.skill); }});
        texts.push_back({paths.rolling_csv, [&](std::ostream& out) {
                             write_rolling_backtest_csv(out, *outcome.rolling);
                         }});
    }
    commit_with_text_files(
        texts, [&] { writer.commit(); }, sink, before_commit);
}

} // namespace ulcsim
