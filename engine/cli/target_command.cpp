#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "forecast_output.hpp"
#include "terminal_format.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"

#include <boost/program_options.hpp>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

std::string probability_text(double p) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << p * 100 << '%';
    return out.str();
}

double share_option(const std::string& option, const std::string& text) {
    return std::stod(threshold_value(option, text));
}

/// A candidate's keys as --set text, to reproduce it.
std::vector<std::string> override_texts(const GoalTrial& trial) {
    std::vector<std::string> texts;
    for (const KeyValue& kv : trial.keys)
        texts.push_back(kv.key + "=" + format_scenario_value(kv.value));
    return texts;
}

std::string lever_label(ProgrammeLever lever, std::int64_t value) {
    return lever == ProgrammeLever::yearly_budget
               ? rupiah(static_cast<double>(value)) + " a year"
               : std::to_string(value) + (value == 1 ? " month" : " months");
}

} // namespace

int target_command(const std::vector<std::string>& args) {
    std::string file, reach_text, by_text, probability_text_in, programme_name, vary, area;
    std::int64_t step = 0, most = 0;
    EnsembleCommandOptions common;
    po::options_description options(
        "Usage: ulcsim target FILE --reach X --by YYYY-MM --probability P --programme NAME\n"
        "                    --vary budget|months [options]\n\n"
        "Goal seeking: the smallest budget (rupiah a year, the same in every year the\n"
        "programme funds) or number of funded months (of its last window) of one programme\n"
        "for which the probability that coverage reaches X by the date is at least P. Each\n"
        "candidate is an ensemble on the same seed (common random numbers), so the\n"
        "probability changes only through the programme; the search doubles until the goal\n"
        "is met, then bisects. Prints the answer, its probability with a 95% interval, the\n"
        "step below it, and the --set overrides that reproduce it with `ulcsim forecast`.\n"
        "Coverage is the scenario's ulc.measure over --area (default: all its regions).\n"
        "Exit status: 0 done (also when the goal cannot be met: the output says so), 2 bad\n"
        "input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help");
    common.add_to(options, "not used (target writes no file)");
    options.add_options()("reach", po::value<std::string>(&reach_text),
                          "coverage to reach: a share (0.40) or a percentage (40%)")(
        "by", po::value<std::string>(&by_text), "month YYYY-MM by which to reach it")(
        "probability", po::value<std::string>(&probability_text_in),
        "required probability, a share or a percentage (e.g. 0.8 or 80%)")(
        "programme", po::value<std::string>(&programme_name), "the programme to vary (its name)")(
        "vary", po::value<std::string>(&vary), "budget or months")(
        "area", po::value<std::string>(&area),
        "region or province code whose coverage counts (default: all regions of the scenario)")(
        "step", po::value<std::int64_t>(&step),
        "budget resolution in rupiah (default: one worker-year of the programme's premium)")(
        "max", po::value<std::int64_t>(&most),
        "largest budget (rupiah a year) or number of months to try (default: the premium of "
        "every worker of the programme's regions for a year; for months, up to --by)");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("target: no scenario file given (see ulcsim target --help)");
    for (const char* required : {"reach", "by", "probability", "programme", "vary"})
        if (!vm.count(required))
            throw UsageError(std::string("target: --") + required +
                             " is required (see ulcsim target --help)");
    if (vary != "budget" && vary != "months")
        throw UsageError("--vary must be 'budget' or 'months', not '" + vary + "'");
    const bool vary_budget = vary == "budget";
    const double reach = share_option("--reach", reach_text);
    if (!(reach > 0 && reach <= 2)) throw UsageError("--reach must be above 0 and at most 200%");
    const double probability = share_option("--probability", probability_text_in);
    if (!(probability > 0 && probability <= 1))
        throw UsageError("--probability must be above 0 and at most 1 (100%)");
    const Month by = month_option("--by", by_text);
    const std::vector<std::string> overrides = common.scenario_overrides(vm);
    const RunResources resources = common.resources(vm);

    const Scenario base = load_input_scenario(file, overrides);
    if (by < base.run.start || by > base.run.last_month())
        throw UsageError("--by " + by_text + ": outside the run (" + base.run.start.to_string() +
                         " … " + base.run.last_month().to_string() + ")");
    std::size_t programme = base.programmes.size();
    std::string names;
    for (std::size_t j = 0; j < base.programmes.size(); ++j) {
        if (base.programmes[j].name == programme_name) programme = j;
        names += (names.empty() ? "" : ", ") + base.programmes[j].name;
    }
    if (programme == base.programmes.size())
        throw UsageError("--programme " + programme_name + ": the scenario has no such programme" +
                         (names.empty() ? std::string(" (it has none)") : " (" + names + ")"));
    const FundingProgramme& p = base.programmes[programme];

    const ProgrammeLever lever =
        vary_budget ? ProgrammeLever::yearly_budget : ProgrammeLever::funded_months;
    if (vary_budget && vm.count("step") && step < 1)
        throw UsageError("--step must be at least 1 (rupiah)");
    if (!vary_budget && by - p.windows.back().start + 1 < 1)
        throw UsageError("--by " + by_text + ": before the programme's last window starts (" +
                         p.windows.back().start.to_string() + "): no funded month can count");
    const LeverRange range =
        default_lever_range(base, programme, lever, by, vary_budget && vm.count("step") ? step : 0,
                            vm.count("max") ? std::optional(most) : std::nullopt);
    if (range.highest < range.lowest + range.step)
        throw UsageError("--max " + std::to_string(most) + ": leaves nothing to search");

    const std::optional<ForecastArea> goal_region = goal_area(base, area);
    if (!goal_region) {
        std::string codes;
        for (const ForecastArea& a : forecast_areas(base))
            codes += (codes.empty() ? "" : ", ") + a.code;
        throw UsageError("--area " + area + ": not an area of the scenario (" + codes + ")");
    }
    GoalSeeker seek(base, programme, lever, {*goal_region, reach, by, probability},
                    [&](const RunPlan& plan, const EnsembleOptions& ensemble) {
                        run_ensemble_with_progress(plan, ensemble, resources, true);
                    });
    const auto label = [&](std::int64_t value) { return lever_label(lever, value); };
    if (!common.quiet)
        seek.on_trial = [&](const GoalTrial& trial) {
            std::cerr << "  " << label(trial.value) << ": P(reached by " << by.to_string()
                      << ") = " << probability_text(trial.probability) << '\n';
        };
    const ForecastArea& goal_place = seek.goal().area;
    if (!common.quiet)
        std::cerr << "ulcsim target: smallest " << (vary_budget ? "yearly budget" : "funded months")
                  << " of " << p.name << " with P(" << goal_place.name << " "
                  << coverage_measure_names[static_cast<std::size_t>(base.ulc.measure)] << " ≥ "
                  << percent_text(reach) << " by " << by.to_string() << ") ≥ "
                  << probability_text(probability) << ", " << base.run.replicates
                  << " replicates per candidate\n";
    const std::optional<std::int64_t> answer = seek.smallest(range);

    std::cout << "Goal: P(" << goal_place.name << " (" << goal_place.code << ") "
              << coverage_measure_names[static_cast<std::size_t>(base.ulc.measure)] << " ≥ "
              << percent_text(reach) << " by " << by.to_string() << ") ≥ "
              << probability_text(probability) << ", varying the "
              << (vary_budget ? "yearly budget" : "funded months of the last window") << " of "
              << p.name << "\n";
    if (!answer) {
        const std::int64_t highest = range.highest / range.step * range.step;
        const GoalTrial& top = seek.evaluate(highest);
        std::cout << "Not reachable: even " << label(highest)
                  << " gives P = " << probability_text(top.probability)
                  << (vary_budget ? " (the programme's quota, outreach or eligible pool limits "
                                    "it before its budget does)"
                                  : "")
                  << ".\n";
        return 0;
    }
    const GoalTrial& found = seek.evaluate(*answer);
    const auto [low, high] = wilson_interval_95(found.reached, found.replicates);
    const auto mean = static_cast<std::size_t>(Statistic::mean);
    const auto p05 = static_cast<std::size_t>(Statistic::p05);
    const auto p95 = static_cast<std::size_t>(Statistic::p95);
    std::cout << "Answer: " << label(*answer) << ": P = " << probability_text(found.probability)
              << " (" << found.reached << " of " << found.replicates << " replicates; 95% interval "
              << probability_text(low) << " – " << probability_text(high) << "); coverage in "
              << by.to_string() << " "
              << measure_with_interval(found.coverage_at_date[mean], found.coverage_at_date[p05],
                                       found.coverage_at_date[p95], "share", false)
              << "\n";
    if (*answer > range.lowest) {
        const GoalTrial& below = seek.evaluate(*answer - range.step);
        std::cout << "One step less, " << label(below.value)
                  << ": P = " << probability_text(below.probability) << " (" << below.reached
                  << " of " << below.replicates << ")\n";
    } else {
        std::cout << "This is the smallest value searched: the goal is met without more.\n";
    }
    std::cout << "Reproduce with: ulcsim forecast " << file;
    for (const std::string& o : overrides)
        std::cout << " --set " << o;
    for (const std::string& o : override_texts(found))
        std::cout << " --set " << o;
    std::cout << " --threshold " << percent_text(reach) << " --by " << by.to_string() << '\n';
    std::cout << "Candidates tried: " << seek.trials().size() << '\n';
    return 0;
}

} // namespace ulcsim::cli
