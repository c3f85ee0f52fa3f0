#include "ulcsim/goal_seek.hpp"

#include "ulcsim/worker_attributes.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace ulcsim {

std::optional<std::int64_t> smallest_meeting(std::int64_t lowest, std::int64_t highest,
                                             std::int64_t start,
                                             const std::function<bool(std::int64_t)>& met) {
    if (highest < lowest)
        throw std::invalid_argument("smallest_meeting: highest " + std::to_string(highest) +
                                    " is below lowest " + std::to_string(lowest));
    if (met(lowest)) return lowest;
    if (highest == lowest) return std::nullopt;
    // Double from the start (a scenario's own value is usually close) until the goal is met.
    std::int64_t failed = lowest;
    std::int64_t k = std::min(std::max({lowest + 1, start, std::int64_t{1}}), highest);
    while (!met(k)) {
        failed = k;
        if (k == highest) return std::nullopt;
        k = k > highest / 2 ? highest : 2 * k;
    }
    // met(k), not met(failed): bisect.
    std::int64_t hi = k;
    while (hi - failed > 1) {
        const std::int64_t mid = failed + (hi - failed) / 2;
        (met(mid) ? hi : failed) = mid;
    }
    return hi;
}

std::optional<MonotoneViolation> monotone_violation(const std::map<std::int64_t, bool>& met,
                                                    SeekDirection direction) {
    // Walk the candidates in the lever's direction: once one has met the goal, every later
    // one must too.
    std::optional<std::int64_t> first_met;
    const auto step = [&](std::int64_t candidate, bool meets) -> std::optional<MonotoneViolation> {
        if (meets && !first_met) first_met = candidate;
        if (!meets && first_met) return MonotoneViolation{*first_met, candidate};
        return std::nullopt;
    };
    if (direction == SeekDirection::up) {
        for (const auto& [candidate, meets] : met)
            if (const auto v = step(candidate, meets)) return v;
    } else {
        for (auto it = met.rbegin(); it != met.rend(); ++it)
            if (const auto v = step(it->first, it->second)) return v;
    }
    return std::nullopt;
}

GoalAnswer seek_monotone(std::int64_t count, std::int64_t start, SeekDirection direction,
                         const std::function<bool(std::int64_t)>& met) {
    if (count < 1)
        throw std::invalid_argument("seek_monotone: " + std::to_string(count) + " candidates");
    const bool up = direction == SeekDirection::up;
    // Searching down is searching up over the candidates counted from the top.
    const auto candidate = [&](std::int64_t k) { return up ? k : count - 1 - k; };
    std::map<std::int64_t, bool> tried;
    const auto meets = [&](std::int64_t k) {
        const std::int64_t c = candidate(k);
        if (const auto found = tried.find(c); found != tried.end()) return found->second;
        return tried[c] = met(c);
    };
    GoalAnswer answer;
    const std::int64_t from = std::clamp<std::int64_t>(candidate(start), 0, count - 1);
    const auto k = smallest_meeting(0, count - 1, from, meets);
    if (!k) return answer;
    answer.candidate = candidate(*k);
    meets(count - 1); // the far end: met too, if the goal is monotone
    answer.not_monotone = monotone_violation(tried, direction);
    return answer;
}

std::pair<double, double> wilson_interval_95(std::size_t successes, std::size_t n) {
    if (n == 0) throw std::invalid_argument("wilson_interval_95: no trials");
    const double z = 1.959963984540054, nn = static_cast<double>(n);
    const double p = static_cast<double>(successes) / nn;
    const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::optional<ForecastArea> goal_area(const Scenario& scenario, const std::string& code) {
    const std::vector<ForecastArea> areas = forecast_areas(scenario);
    std::optional<ForecastArea> found;
    for (const ForecastArea& a : areas)
        if (a.code == code || (code.empty() && a.level == "scenario")) found = a;
    // All of a one-region (or one-province) scenario is better named by that region.
    if (found && code.empty())
        for (const ForecastArea& a : areas)
            if (a.regions == found->regions) return a;
    return found;
}

std::vector<KeyValue> programme_lever_keys(const Scenario& scenario, std::size_t programme,
                                           ProgrammeLever lever, std::int64_t value) {
    const FundingProgramme& p = scenario.programmes.at(programme);
    const std::string prefix = "programme." + p.name + ".";
    std::vector<KeyValue> keys;
    if (lever == ProgrammeLever::yearly_budget) {
        std::set<int> years;
        for (const CoverageWindow& w : p.windows)
            for (int t = 0; t < w.months(); ++t)
                years.insert((w.start + t).year());
        for (const int y : years)
            keys.push_back({prefix + "budget_idr_per_year." + std::to_string(y), value});
        return keys;
    }
    const std::size_t last = p.windows.size() - 1;
    const Month end = p.windows[last].start + static_cast<int>(value - 1);
    keys.push_back({prefix + "window." + std::to_string(last) + ".end", end});
    if (!p.budget_idr_per_year.empty()) {
        const auto& [last_year, amount] = *p.budget_idr_per_year.rbegin();
        for (int y = last_year + 1; y <= end.year(); ++y)
            keys.push_back({prefix + "budget_idr_per_year." + std::to_string(y), amount});
    }
    return keys;
}

LeverRange default_lever_range(const Scenario& scenario, std::size_t programme,
                               ProgrammeLever lever, Month by, std::int64_t step,
                               std::optional<std::int64_t> most) {
    const FundingProgramme& p = scenario.programmes.at(programme);
    LeverRange range;
    if (lever == ProgrammeLever::yearly_budget) {
        range.step =
            step > 0 ? step : std::max<std::int64_t>(1, std::llround(12 * p.premium_idr_per_month));
        double workers = 0;
        for (const std::size_t r : p.regions)
            workers += static_cast<double>(scenario.employed_workers(r));
        range.lowest = 0;
        range.highest = most ? *most : std::llround(12 * p.premium_idr_per_month * workers);
        range.start = p.budget_idr_per_year.empty()
                          ? 1
                          : std::llround(p.budget_idr_per_year.begin()->second /
                                         static_cast<double>(range.step));
        return range;
    }
    range.step = 1;
    range.lowest = 1;
    range.highest = by - p.windows.back().start + 1;
    if (most) range.highest = std::min(range.highest, *most);
    range.start = p.windows.back().months();
    return range;
}

namespace {

// The keys of a programme's lever, once the programme is known to exist.
GoalSeeker::LeverKeys programme_keys(const Scenario& base, std::size_t programme,
                                     ProgrammeLever lever) {
    if (programme >= base.programmes.size())
        throw std::invalid_argument("GoalSeeker: the scenario has no programme " +
                                    std::to_string(programme));
    return [&base, programme, lever](std::int64_t value) {
        return programme_lever_keys(base, programme, lever, value);
    };
}

} // namespace

GoalSeeker::GoalSeeker(const Scenario& base, std::size_t programme, ProgrammeLever lever,
                       CoverageGoal goal, PlanRunner run)
    : GoalSeeker(base, programme_keys(base, programme, lever), std::move(goal), std::move(run)) {}

GoalSeeker::GoalSeeker(const Scenario& base, const KeyLever& lever, CoverageGoal goal,
                       PlanRunner run)
    : GoalSeeker(
          base, [lever](std::int64_t candidate) { return lever.keys(candidate); }, std::move(goal),
          std::move(run)) {}

GoalSeeker::GoalSeeker(const Scenario& base, LeverKeys keys, CoverageGoal goal, PlanRunner run)
    : base_(base), keys_(std::move(keys)), goal_(std::move(goal)), run_(std::move(run)) {
    if (goal_.by < base_.run.start || goal_.by > base_.run.last_month())
        throw std::invalid_argument("GoalSeeker: the goal's month " + goal_.by.to_string() +
                                    " is outside the run");
    if (!run_) throw std::invalid_argument("GoalSeeker: no runner");
}

const GoalTrial& GoalSeeker::evaluate(std::int64_t value) {
    if (const auto found = trials_.find(value); found != trials_.end()) return found->second;
    GoalTrial trial;
    trial.value = value;
    trial.keys = keys_(value);
    const auto month = static_cast<std::size_t>(goal_.by - base_.run.start);
    // Months after the goal's cannot change whether it was met by then.
    const Scenario s = with_horizon(vary(base_, trial.keys), static_cast<int>(month) + 1);
    const auto R = static_cast<std::uint32_t>(s.run.replicates);
    std::vector<int> first(R, -1);
    std::vector<double> coverage(R);
    const std::vector<ForecastArea> areas{goal_.area};
    const std::array<Segment, 3> segments{Segment::formal, Segment::informal, Segment::vulnerable};
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        first[r] = first_passages(series, areas, goal_.reach, s.ulc.measure)[0];
        coverage[r] = group_coverage(series, goal_.area.regions, segments, s.ulc.measure, month);
    };
    RunPlan plan;
    add_replicates(plan, s, R, posterior_);
    run_(plan, options);
    trial.replicates = R;
    for (std::uint32_t r = 0; r < R; ++r)
        trial.reached += goal_.in_month ? coverage[r] >= goal_.reach
                                        : first[r] >= 0 && first[r] <= static_cast<int>(month);
    trial.probability = static_cast<double>(trial.reached) / R;
    trial.coverage_at_date = summarise(coverage);
    const GoalTrial& stored = trials_.emplace(value, std::move(trial)).first->second;
    if (on_trial) on_trial(stored);
    return stored;
}

std::optional<std::int64_t> GoalSeeker::smallest(const LeverRange& range) {
    const auto steps = smallest_meeting(
        range.lowest / range.step, range.highest / range.step, range.start,
        [&](std::int64_t k) { return evaluate(k * range.step).probability >= goal_.probability; });
    if (!steps) return std::nullopt;
    return *steps * range.step;
}

GoalAnswer GoalSeeker::seek(const KeyLever& lever) {
    return seek_monotone(lever.count, lever.start, lever.direction, [&](std::int64_t candidate) {
        return evaluate(candidate).probability >= goal_.probability;
    });
}

} // namespace ulcsim
