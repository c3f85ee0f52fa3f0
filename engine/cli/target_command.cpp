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

/// What one candidate value gave: the share of replicates at the target by the date.
struct Trial {
    std::int64_t value = 0; ///< rupiah per year, or funded months
    double probability = 0;
    std::size_t reached = 0;
    std::size_t replicates = 0;
    std::vector<std::string> overrides; ///< as --set text, to reproduce it
    std::array<double, summary_statistic_count> coverage_at_date{};
};

/// A candidate: the keys that give the programme a value, typed and as --set text.
struct Candidate {
    std::vector<KeyValue> values;
    std::vector<std::string> overrides;

    void set(const std::string& key, ScenarioValue value, std::string text) {
        overrides.push_back(key + "=" + std::move(text));
        values.push_back({key, std::move(value)});
    }
};

std::string probability_text(double p) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << p * 100 << '%';
    return out.str();
}

double share_option(const std::string& option, const std::string& text) {
    return std::stod(threshold_value(option, text));
}

class GoalSeek {
public:
    GoalSeek(const Scenario& base, std::size_t programme, bool vary_budget, std::string area,
             double reach, Month by, const RunResources& resources, bool quiet)
        : base_(base), programme_(base.programmes[programme]), vary_budget_(vary_budget),
          area_code_(std::move(area)), reach_(reach), by_(by), resources_(resources),
          quiet_(quiet) {
        const std::vector<ForecastArea> areas = forecast_areas(base);
        for (const ForecastArea& a : areas)
            if (a.code == area_code_ || (area_code_.empty() && a.level == "scenario")) area_ = a;
        // All of a one-region (or one-province) scenario is better named by that region.
        if (area_code_.empty())
            for (const ForecastArea& a : areas)
                if (a.regions == area_.regions) {
                    area_ = a;
                    break;
                }
        if (area_.regions.empty()) {
            std::string codes;
            for (const ForecastArea& a : areas)
                codes += (codes.empty() ? "" : ", ") + a.code;
            throw UsageError("--area " + area_code_ + ": not an area of the scenario (" + codes +
                             ")");
        }
    }

    const ForecastArea& area() const { return area_; }

    /// The keys that give the programme `value`.
    Candidate candidate(std::int64_t value) const {
        Candidate c;
        const std::string prefix = "programme." + programme_.name + ".";
        if (vary_budget_) {
            // The same amount in every fiscal year in which the programme funds a month.
            std::set<int> years;
            for (const CoverageWindow& w : programme_.windows)
                for (int t = 0; t < w.months(); ++t)
                    years.insert((w.start + t).year());
            for (const int y : years)
                c.set(prefix + "budget_idr_per_year." + std::to_string(y), value,
                      std::to_string(value));
            return c;
        }
        // Months funded in the last window, from its start. Years the longer window reaches
        // get the last year's budget: a year without one would fund nothing.
        const std::size_t last = programme_.windows.size() - 1;
        const CoverageWindow& w = programme_.windows[last];
        const Month end = w.start + static_cast<int>(value - 1);
        c.set(prefix + "window." + std::to_string(last) + ".end", end, end.to_string());
        if (!programme_.budget_idr_per_year.empty()) {
            const auto& [last_year, amount] = *programme_.budget_idr_per_year.rbegin();
            std::ostringstream text;
            text << std::setprecision(15) << amount;
            for (int y = last_year + 1; y <= end.year(); ++y)
                c.set(prefix + "budget_idr_per_year." + std::to_string(y), amount, text.str());
        }
        return c;
    }

    Trial evaluate(std::int64_t value) {
        if (const auto found = trials_.find(value); found != trials_.end()) return found->second;
        Trial trial;
        trial.value = value;
        const Candidate c = candidate(value);
        trial.overrides = c.overrides;
        const Scenario s = vary(base_, c.values);
        const auto R = static_cast<std::uint32_t>(s.run.replicates);
        const std::size_t month = static_cast<std::size_t>(by_ - s.run.start);
        std::vector<int> first(R, -1);
        std::vector<double> coverage(R);
        EnsembleOptions options;
        const std::vector<ForecastArea> areas{area_};
        const std::array<Segment, 3> segments{Segment::formal, Segment::informal,
                                              Segment::vulnerable};
        options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
            // Only the months up to the date matter.
            first[r] = first_passages(series, areas, reach_, s.ulc.measure)[0];
            coverage[r] = group_coverage(series, area_.regions, segments, s.ulc.measure, month);
        };
        Scenario shortened = s;
        shortened.run.months = static_cast<int>(month) + 1;
        RunPlan plan;
        plan.add(std::move(shortened), {0, R});
        run_ensemble_with_progress(plan, options, resources_, true);
        trial.replicates = R;
        for (const int m : first)
            trial.reached += m >= 0 && m <= static_cast<int>(month);
        trial.probability = static_cast<double>(trial.reached) / R;
        trial.coverage_at_date = summarise(coverage);
        if (!quiet_)
            std::cerr << "  " << label(value) << ": P(reached by " << by_.to_string()
                      << ") = " << probability_text(trial.probability) << '\n';
        trials_[value] = trial;
        return trial;
    }

    std::string label(std::int64_t value) const {
        return vary_budget_ ? rupiah(static_cast<double>(value)) + " a year"
                            : std::to_string(value) + (value == 1 ? " month" : " months");
    }

    const std::map<std::int64_t, Trial>& trials() const { return trials_; }

private:
    const Scenario& base_;
    const FundingProgramme& programme_;
    bool vary_budget_;
    std::string area_code_;
    ForecastArea area_;
    double reach_;
    Month by_;
    RunResources resources_;
    bool quiet_;
    std::map<std::int64_t, Trial> trials_;
};

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

    const Scenario base = load_scenario(file, overrides);
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

    std::int64_t lowest = 0, highest = 0;
    if (vary_budget) {
        if (vm.count("step") && step < 1) throw UsageError("--step must be at least 1 (rupiah)");
        if (!vm.count("step"))
            step = std::max<std::int64_t>(1, std::llround(12 * p.premium_idr_per_month));
        double workers = 0;
        for (const std::size_t r : p.regions)
            workers += static_cast<double>(base.employed_workers(r));
        highest = vm.count("max") ? most : std::llround(12 * p.premium_idr_per_month * workers);
    } else {
        step = 1;
        lowest = 1;
        highest = by - p.windows.back().start + 1;
        if (highest < 1)
            throw UsageError("--by " + by_text + ": before the programme's last window starts (" +
                             p.windows.back().start.to_string() + "): no funded month can count");
        if (vm.count("max")) highest = std::min(highest, most);
    }
    if (highest < lowest + step)
        throw UsageError("--max " + std::to_string(most) + ": leaves nothing to search");

    GoalSeek seek(base, programme, vary_budget, area, reach, by, resources, common.quiet);
    if (!common.quiet)
        std::cerr << "ulcsim target: smallest " << (vary_budget ? "yearly budget" : "funded months")
                  << " of " << p.name << " with P(" << seek.area().name << " "
                  << coverage_measure_names[static_cast<std::size_t>(base.ulc.measure)] << " ≥ "
                  << percent_text(reach) << " by " << by.to_string() << ") ≥ "
                  << probability_text(probability) << ", " << base.run.replicates
                  << " replicates per candidate\n";

    // Candidates are multiples of the step, k ∈ [lowest/step, highest/step].
    const auto value_of = [&](std::int64_t k) { return k * step; };
    // Double from the scenario's own value (or one step) until the goal is met.
    std::int64_t start = 1;
    if (vary_budget && !p.budget_idr_per_year.empty())
        start = std::llround(p.budget_idr_per_year.begin()->second / static_cast<double>(step));
    else if (!vary_budget)
        start = p.windows.back().months();
    const std::optional<std::int64_t> answer =
        smallest_meeting(lowest / step, highest / step, start, [&](std::int64_t k) {
            return seek.evaluate(value_of(k)).probability >= probability;
        });

    std::cout << "Goal: P(" << seek.area().name << " (" << seek.area().code << ") "
              << coverage_measure_names[static_cast<std::size_t>(base.ulc.measure)] << " ≥ "
              << percent_text(reach) << " by " << by.to_string() << ") ≥ "
              << probability_text(probability) << ", varying the "
              << (vary_budget ? "yearly budget" : "funded months of the last window") << " of "
              << p.name << "\n";
    if (!answer) {
        const Trial& top = seek.evaluate(value_of(highest / step));
        std::cout << "Not reachable: even " << seek.label(value_of(highest / step))
                  << " gives P = " << probability_text(top.probability)
                  << (vary_budget ? " (the programme's quota, outreach or eligible pool limits "
                                    "it before its budget does)"
                                  : "")
                  << ".\n";
        return 0;
    }
    const Trial& found = seek.evaluate(value_of(*answer));
    const auto [low, high] = wilson_interval_95(found.reached, found.replicates);
    const auto mean = static_cast<std::size_t>(Statistic::mean);
    const auto p05 = static_cast<std::size_t>(Statistic::p05);
    const auto p95 = static_cast<std::size_t>(Statistic::p95);
    std::cout << "Answer: " << seek.label(value_of(*answer))
              << ": P = " << probability_text(found.probability) << " (" << found.reached << " of "
              << found.replicates << " replicates; 95% interval " << probability_text(low) << " – "
              << probability_text(high) << "); coverage in " << by.to_string() << " "
              << measure_with_interval(found.coverage_at_date[mean], found.coverage_at_date[p05],
                                       found.coverage_at_date[p95], "share", false)
              << "\n";
    if (*answer * step > lowest) {
        const Trial& below = seek.evaluate(value_of(*answer - 1));
        std::cout << "One step less, " << seek.label(below.value)
                  << ": P = " << probability_text(below.probability) << " (" << below.reached
                  << " of " << below.replicates << ")\n";
    } else {
        std::cout << "This is the smallest value searched: the goal is met without more.\n";
    }
    std::cout << "Reproduce with: ulcsim forecast " << file;
    for (const std::string& o : overrides)
        std::cout << " --set " << o;
    for (const std::string& o : found.overrides)
        std::cout << " --set " << o;
    std::cout << " --threshold " << percent_text(reach) << " --by " << by.to_string() << '\n';
    std::cout << "Candidates tried: " << seek.trials().size() << '\n';
    return 0;
}

} // namespace ulcsim::cli
