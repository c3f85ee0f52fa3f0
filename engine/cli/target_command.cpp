#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "forecast_output.hpp"
#include "posterior_option.hpp"
#include "terminal_format.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"
#include "workbook_option.hpp"

#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
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

/// "P(Kota Magelang (33.71) coverage_share ≥ 30% by 2025-12) ≥ 80%"
/// "by 2025-12" (in some month up to it) or "in 2025-12" (--at: in that month).
std::string when_text(const CoverageGoal& goal) {
    return (goal.in_month ? "in " : "by ") + goal.by.to_string();
}

std::string goal_text(const CoverageGoal& goal, CoverageMeasure measure) {
    return "P(" + goal.area.name + " (" + goal.area.code + ") " +
           std::string(coverage_measure_names[static_cast<std::size_t>(measure)]) + " ≥ " +
           percent_text(goal.reach) + " " + when_text(goal) + ") ≥ " +
           probability_text(goal.probability);
}

void print_answer(const std::string& label, const GoalTrial& found, Month by) {
    const auto [low, high] = wilson_interval_95(found.reached, found.replicates);
    const auto mean = static_cast<std::size_t>(Statistic::mean);
    const auto p05 = static_cast<std::size_t>(Statistic::p05);
    const auto p95 = static_cast<std::size_t>(Statistic::p95);
    std::cout << "Answer: " << label << ": P = " << probability_text(found.probability) << " ("
              << found.reached << " of " << found.replicates << " replicates; 95% interval "
              << probability_text(low) << " – " << probability_text(high) << "); coverage in "
              << by.to_string() << " "
              << measure_with_interval(found.coverage_at_date[mean], found.coverage_at_date[p05],
                                       found.coverage_at_date[p95], "share", false)
              << "\n";
}

void print_reproduce(const std::string& file, const std::vector<std::string>& overrides,
                     const GoalTrial& found, const CoverageGoal& goal) {
    // `forecast` answers "by": the first month at or above the threshold. "In" a month is the
    // run's coverage in that month, which `run` writes.
    std::cout << "Reproduce with: ulcsim " << (goal.in_month ? "run " : "forecast ") << file;
    for (const std::string& o : overrides)
        std::cout << " --set " << o;
    for (const std::string& o : override_texts(found))
        std::cout << " --set " << o;
    if (goal.in_month)
        std::cout << " (coverage in " << goal.by.to_string() << ": its summary CSV)\n";
    else
        std::cout << " --threshold " << percent_text(goal.reach) << " --by " << goal.by.to_string()
                  << '\n';
}

/// An option's number; a UsageError naming the option otherwise.
double number_option(const std::string& option, const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw UsageError(option + " " + text + ": not a number");
    return value;
}

/// Writes the workbook of --xlsx, when given: every candidate tried, in the lever's order,
/// with `value_of` its value in the lever's units.
void write_workbook(const std::optional<std::filesystem::path>& xlsx, TargetOutcome outcome,
                    const std::map<std::int64_t, GoalTrial>& trials,
                    const std::function<double(std::int64_t)>& value_of,
                    std::optional<std::int64_t> answer) {
    if (!xlsx) return;
    for (const auto& [candidate, trial] : trials)
        outcome.candidates.push_back({value_of(candidate), &trial, candidate == answer});
    commit_with_text_files({workbook_output(*xlsx,
                                            [&](const std::filesystem::path& book) {
                                                write_target_workbook(book, outcome);
                                            })},
                           [] {});
    std::cout << xlsx->string() << ": written\n";
}

/// What `target --vary KEY` was given beside the goal.
struct KeySearch {
    std::string file;
    std::vector<std::string> overrides;
    KeyLeverRequest request;
    RunResources resources;
    bool quiet = false;
    const PosteriorDraws* posterior = nullptr;
    std::optional<std::filesystem::path> xlsx;
};

/// Goal seeking over a numeric key: the smallest (or, searching down, the largest) value that
/// meets the goal, or why there is none.
int seek_key(const Scenario& base, const KeySearch& search, CoverageGoal goal) {
    KeyLever lever;
    try {
        lever = key_lever(base, search.request);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("target: ") + e.what());
    }
    const bool up = lever.direction == SeekDirection::up;
    const auto label = [&](std::int64_t candidate) {
        return format_scenario_value(lever.value(candidate));
    };
    GoalSeeker seek(base, lever, std::move(goal),
                    [&](const RunPlan& plan, const EnsembleOptions& ensemble) {
                        run_ensemble_with_progress(plan, ensemble, search.resources, true);
                    });
    if (search.posterior) seek.draw_parameters_from(*search.posterior);
    const CoverageGoal& g = seek.goal();
    if (!search.quiet) {
        seek.on_trial = [&](const GoalTrial& trial) {
            std::cerr << "  " << lever.key << " = " << label(trial.value) << ": P(reached "
                      << when_text(g) << ") = " << probability_text(trial.probability) << '\n';
        };
        std::cerr << "ulcsim target: " << (up ? "smallest" : "largest") << " value of " << lever.key
                  << " with " << goal_text(g, base.ulc.measure) << ", " << lever.count
                  << " candidates, " << base.run.replicates << " replicates per candidate\n";
    }
    const GoalAnswer answer = seek.seek(lever);

    std::cout << "Goal: " << goal_text(g, base.ulc.measure) << ", varying " << lever.key << " from "
              << label(0) << " to " << label(lever.count - 1) << " in steps of "
              << format_scenario_value(
                     lever.type == KeyType::integer
                         ? ScenarioValue{static_cast<std::int64_t>(std::llround(lever.step))}
                         : ScenarioValue{lever.step})
              << " (the " << (up ? "smallest" : "largest") << " value that meets it)\n";
    const std::string key = lever.key;
    TargetOutcome outcome;
    outcome.goal = goal_text(g, base.ulc.measure);
    outcome.lever = key;
    outcome.by = g.by;
    const auto value_of = [&](std::int64_t candidate) {
        const ScenarioValue v = lever.value(candidate);
        if (const double* x = std::get_if<double>(&v)) return *x;
        if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
        return static_cast<double>(candidate);
    };
    if (answer.not_monotone) {
        const GoalTrial& met = seek.evaluate(answer.not_monotone->met);
        const GoalTrial& missed = seek.evaluate(answer.not_monotone->missed);
        std::cout << "Not monotone: the goal is met at " << key << " = " << label(met.value)
                  << " (P = " << probability_text(met.probability) << ") but not at the "
                  << (up ? "higher " : "lower ") << label(missed.value)
                  << " (P = " << probability_text(missed.probability)
                  << "), so no value of the key is the answer. If the goal gets easier as " << key
                  << " " << (up ? "falls" : "rises") << ", search with --direction "
                  << (up ? "down" : "up") << "; otherwise narrow --lowest/--highest to where it "
                  << "is monotone.\n";
        std::cout << "Candidates tried: " << seek.trials().size() << '\n';
        outcome.answer = "none: the goal is not monotone in " + key + " over the range searched";
        write_workbook(search.xlsx, outcome, seek.trials(), value_of, std::nullopt);
        return 0;
    }
    if (!answer.candidate) {
        const std::int64_t last = up ? lever.count - 1 : 0;
        const GoalTrial& end = seek.evaluate(last);
        std::cout << "Not reachable: even " << key << " = " << label(last) << " (the "
                  << (up ? "highest" : "lowest")
                  << " value searched) gives P = " << probability_text(end.probability) << ".\n";
        std::cout << "Candidates tried: " << seek.trials().size() << '\n';
        outcome.answer = "not reachable: even " + key + " = " + label(last) +
                         " gives P = " + probability_text(end.probability);
        write_workbook(search.xlsx, outcome, seek.trials(), value_of, std::nullopt);
        return 0;
    }
    const GoalTrial& found = seek.evaluate(*answer.candidate);
    print_answer(key + " = " + label(found.value), found, g.by);
    const std::int64_t next = *answer.candidate + (up ? -1 : 1);
    if (next >= 0 && next < lever.count) {
        const GoalTrial& beyond = seek.evaluate(next);
        std::cout << (up ? "One step less, " : "One step more, ") << label(beyond.value)
                  << ": P = " << probability_text(beyond.probability) << " (" << beyond.reached
                  << " of " << beyond.replicates << ")\n";
    } else {
        std::cout << "This is the " << (up ? "smallest" : "largest")
                  << " value searched: the goal is met without going further.\n";
    }
    print_reproduce(search.file, search.overrides, found, g);
    std::cout << "Candidates tried: " << seek.trials().size() << '\n';
    outcome.answer = key + " = " + label(found.value);
    write_workbook(search.xlsx, outcome, seek.trials(), value_of, *answer.candidate);
    return 0;
}

} // namespace

int target_command(const std::vector<std::string>& args) {
    std::string file, reach_text, by_text, at_text, probability_text_in, programme_name, vary, area;
    std::string step_text, lowest_text, highest_text, direction = "up";
    std::int64_t most = 0;
    EnsembleCommandOptions common;
    PosteriorOption posterior_option;
    WorkbookOption workbook;
    po::options_description options(
        "Usage: ulcsim target FILE --reach X --by|--at YYYY-MM --probability P --programme NAME\n"
        "                    --vary budget|months [options]\n"
        "       ulcsim target FILE --reach X --by|--at YYYY-MM --probability P --vary KEY\n"
        "                    [--lowest A] [--highest B] [--step S] [--direction up|down]\n\n"
        "Goal seeking: the smallest budget (rupiah a year, the same in every year the\n"
        "programme funds) or number of funded months (of its last window) of one programme\n"
        "for which the probability that coverage reaches X by the date (--by: in some month\n"
        "up to it) or is at X or above in that month (--at) is at least P. Each\n"
        "candidate is an ensemble on the same seed (common random numbers), so the\n"
        "probability changes only through the programme; the search doubles until the goal\n"
        "is met, then bisects. Prints the answer, its probability with a 95% interval, the\n"
        "step below it, and the --set overrides that reproduce it with `ulcsim forecast`;\n"
        "with --xlsx also an Excel workbook of every candidate tried.\n"
        "Coverage is the scenario's ulc.measure over --area (default: all its regions).\n\n"
        "Without --programme, --vary KEY varies any number or whole number a sweep may vary\n"
        "(ulcsim keys --variable), named as for --set (behaviour.h0_self,\n"
        "programme.NAME.acceptance, policy.0.register_multiplier). Candidates run from\n"
        "--lowest to --highest (default: the key's range in the key table) in steps of\n"
        "--step (default: 1 for a whole number; a hundredth of the range for a share or a\n"
        "probability, or when both --lowest and --highest are given; otherwise required).\n"
        "--direction up (default) finds the smallest value that meets the goal, for a key\n"
        "that helps as it rises; down the largest, for one that helps as it falls (a lapse\n"
        "hazard). The goal must be monotone in the key: the search also tries the far end\n"
        "of the range and says so, instead of giving an answer, when the candidates tried\n"
        "contradict that.\n\n"
        "Exit status: 0 done (also when the goal cannot be met or is not monotone in the\n"
        "key: the output says so), 2 bad input, 1 internal failure, 130 interrupted.\n\n"
        "Options");
    options.add_options()("help,h", "show this help");
    common.add_to(options, "not used (target writes no HDF5 file; see --xlsx)");
    posterior_option.add_to(options);
    workbook.add_to(options, "sheets Summary (the goal and the answer) and Target (every "
                             "candidate tried: its probability of meeting the goal and its "
                             "coverage in the goal's month)");
    options.add_options()("reach", po::value<std::string>(&reach_text),
                          "coverage to reach: a share (0.40) or a percentage (40%)")(
        "by", po::value<std::string>(&by_text),
        "month YYYY-MM by which to reach it: in any month up to it (the first passage)")(
        "at", po::value<std::string>(&at_text),
        "month YYYY-MM in which coverage must be at or above it (instead of --by: coverage "
        "that reaches it earlier and falls back does not count)")(
        "probability", po::value<std::string>(&probability_text_in),
        "required probability, a share or a percentage (e.g. 0.8 or 80%)")(
        "programme", po::value<std::string>(&programme_name), "the programme to vary (its name)")(
        "vary", po::value<std::string>(&vary),
        "with --programme: budget or months; without: a numeric scenario key")(
        "area", po::value<std::string>(&area),
        "region or province code whose coverage counts (default: all regions of the scenario)")(
        "step", po::value<std::string>(&step_text),
        "resolution: rupiah for --vary budget (default: one worker-year of the programme's "
        "premium); in the key's unit for --vary KEY (default above)")(
        "max", po::value<std::int64_t>(&most),
        "largest budget (rupiah a year) or number of months to try (default: the premium of "
        "every worker of the programme's regions for a year; for months, up to --by)")(
        "lowest", po::value<std::string>(&lowest_text),
        "--vary KEY: the lowest value to try (default: the key's lower bound)")(
        "highest", po::value<std::string>(&highest_text),
        "--vary KEY: the highest value to try (default: the key's upper bound)")(
        "direction", po::value<std::string>(&direction),
        "--vary KEY: up (the smallest value meeting the goal) or down (the largest)");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("target: no scenario file given (see ulcsim target --help)");
    for (const char* required : {"reach", "probability", "vary"})
        if (!vm.count(required))
            throw UsageError(std::string("target: --") + required +
                             " is required (see ulcsim target --help)");
    if (vm.count("by") == vm.count("at"))
        throw UsageError("target: give the month as --by YYYY-MM (reached in some month up to "
                         "it) or --at YYYY-MM (coverage in that month), one of them");
    const bool in_month = vm.count("at") > 0;
    const std::string month_flag = in_month ? "--at" : "--by";
    if (in_month) by_text = at_text;
    const bool by_key = !vm.count("programme");
    if (by_key && (vary == "budget" || vary == "months"))
        throw UsageError("target: --vary " + vary + " needs --programme NAME");
    if (!by_key && vary != "budget" && vary != "months")
        throw UsageError("--vary must be 'budget' or 'months', not '" + vary + "'");
    if (direction != "up" && direction != "down")
        throw UsageError("--direction must be 'up' or 'down', not '" + direction + "'");
    if (by_key && vm.count("max"))
        throw UsageError("target: --max is for a programme's budget or months; with --vary KEY "
                         "give --highest");
    if (!by_key)
        for (const char* key_only : {"lowest", "highest", "direction"})
            if (vm.count(key_only))
                throw UsageError(std::string("target: --") + key_only +
                                 " is for --vary KEY, not for a programme's budget or months");
    const bool vary_budget = vary == "budget";
    const double reach = share_option("--reach", reach_text);
    if (!(reach > 0 && reach <= 2)) throw UsageError("--reach must be above 0 and at most 200%");
    const double probability = share_option("--probability", probability_text_in);
    if (!(probability > 0 && probability <= 1))
        throw UsageError("--probability must be above 0 and at most 1 (100%)");
    const Month by = month_option(month_flag, by_text);
    const std::vector<std::string> overrides = common.scenario_overrides(vm);
    const RunResources resources = common.resources(vm);

    const Scenario base = load_input_scenario(file, overrides);
    // Each candidate's replicates run on the posterior's draws, so that its probability of
    // meeting the goal holds what is not known of the behaviour.
    const std::optional<ChosenPosterior> posterior = posterior_option.choose(vm, {&base});
    const std::optional<std::filesystem::path> xlsx = workbook.path();
    if (posterior && !common.quiet)
        std::cerr << "ulcsim target: each replicate runs with a posterior draw ("
                  << posterior->source() << ")\n";
    if (by < base.run.start || by > base.run.last_month())
        throw UsageError(month_flag + " " + by_text + ": outside the run (" +
                         base.run.start.to_string() + " … " + base.run.last_month().to_string() +
                         ")");
    const std::optional<ForecastArea> goal_region = goal_area(base, area);
    if (!goal_region) {
        std::string codes;
        for (const ForecastArea& a : forecast_areas(base))
            codes += (codes.empty() ? "" : ", ") + a.code;
        throw UsageError("--area " + area + ": not an area of the scenario (" + codes + ")");
    }
    const CoverageGoal goal{*goal_region, reach, by, probability, in_month};
    if (by_key) {
        KeySearch search{file,      overrides,    {},
                         resources, common.quiet, posterior ? &posterior->draws : nullptr,
                         xlsx};
        search.request.key = vary;
        if (vm.count("lowest")) search.request.lowest = number_option("--lowest", lowest_text);
        if (vm.count("highest")) search.request.highest = number_option("--highest", highest_text);
        if (vm.count("step")) search.request.step = number_option("--step", step_text);
        search.request.direction = direction == "up" ? SeekDirection::up : SeekDirection::down;
        return seek_key(base, search, goal);
    }

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
    std::int64_t step = 0;
    if (vm.count("step")) {
        const auto [end, error] =
            std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
        if (error != std::errc() || end != step_text.data() + step_text.size())
            throw UsageError("--step " + step_text + ": a whole number of rupiah");
    }
    if (vary_budget && vm.count("step") && step < 1)
        throw UsageError("--step must be at least 1 (rupiah)");
    if (!vary_budget && by - p.windows.back().start + 1 < 1)
        throw UsageError(month_flag + " " + by_text +
                         ": before the programme's last window starts (" +
                         p.windows.back().start.to_string() + "): no funded month can count");
    const LeverRange range =
        default_lever_range(base, programme, lever, by, vary_budget && vm.count("step") ? step : 0,
                            vm.count("max") ? std::optional(most) : std::nullopt);
    if (range.highest < range.lowest + range.step)
        throw UsageError("--max " + std::to_string(most) + ": leaves nothing to search");

    GoalSeeker seek(base, programme, lever, goal,
                    [&](const RunPlan& plan, const EnsembleOptions& ensemble) {
                        run_ensemble_with_progress(plan, ensemble, resources, true);
                    });
    if (posterior) seek.draw_parameters_from(posterior->draws);
    const auto label = [&](std::int64_t value) { return lever_label(lever, value); };
    if (!common.quiet)
        seek.on_trial = [&](const GoalTrial& trial) {
            std::cerr << "  " << label(trial.value) << ": P(reached " << when_text(goal)
                      << ") = " << probability_text(trial.probability) << '\n';
        };
    const ForecastArea& goal_place = seek.goal().area;
    if (!common.quiet)
        std::cerr << "ulcsim target: smallest " << (vary_budget ? "yearly budget" : "funded months")
                  << " of " << p.name << " with P(" << goal_place.name << " "
                  << coverage_measure_names[static_cast<std::size_t>(base.ulc.measure)] << " ≥ "
                  << percent_text(reach) << " " << when_text(goal) << ") ≥ "
                  << probability_text(probability) << ", " << base.run.replicates
                  << " replicates per candidate\n";
    const std::optional<std::int64_t> answer = seek.smallest(range);
    TargetOutcome outcome;
    outcome.goal = goal_text(seek.goal(), base.ulc.measure);
    outcome.lever =
        (vary_budget ? "yearly budget of " : "funded months of the last window of ") + p.name;
    outcome.units = vary_budget ? "Rp a year" : "months";
    outcome.rupiah = vary_budget;
    outcome.by = by;
    const auto value_of = [](std::int64_t v) { return static_cast<double>(v); };

    std::cout << "Goal: " << goal_text(seek.goal(), base.ulc.measure) << ", varying the "
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
        outcome.answer = "not reachable: even " + label(highest) +
                         " gives P = " + probability_text(top.probability);
        write_workbook(xlsx, outcome, seek.trials(), value_of, std::nullopt);
        return 0;
    }
    const GoalTrial& found = seek.evaluate(*answer);
    print_answer(label(*answer), found, by);
    if (*answer > range.lowest) {
        const GoalTrial& below = seek.evaluate(*answer - range.step);
        std::cout << "One step less, " << label(below.value)
                  << ": P = " << probability_text(below.probability) << " (" << below.reached
                  << " of " << below.replicates << ")\n";
    } else {
        std::cout << "This is the smallest value searched: the goal is met without more.\n";
    }
    print_reproduce(file, overrides, found, goal);
    std::cout << "Candidates tried: " << seek.trials().size() << '\n';
    outcome.answer = label(*answer);
    write_workbook(xlsx, outcome, seek.trials(), value_of, *answer);
    return 0;
}

} // namespace ulcsim::cli
