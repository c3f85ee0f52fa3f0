#pragma once
/// \file
/// Goal seeking: the smallest value of a lever (a programme's yearly budget, its funded months,
/// any numeric scenario key) for which a goal is met — for a planner, "what budget gets
/// coverage to 40% by 2026 with 80% probability?". The goal is met or not for each candidate by
/// an ensemble, which is costly, so the search evaluates as few candidates as it can and never
/// one twice; it assumes the goal is monotone in the lever (more money never hurts).

#include "ulcsim/calendar.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ulcsim {

/// The smallest k in [lowest, highest] with met(k), for a `met` that is false up to some k and
/// true from it; nullopt when met(highest) is false. Tries `lowest`; then `start` (clamped to
/// (lowest, highest]), doubling until the goal is met or `highest` is reached; then bisects
/// between the last candidate that failed and the first that met it. Throws
/// std::invalid_argument when highest < lowest.
std::optional<std::int64_t> smallest_meeting(std::int64_t lowest, std::int64_t highest,
                                             std::int64_t start,
                                             const std::function<bool(std::int64_t)>& met);

/// Wilson score interval for a binomial proportion (95%): honest at 0 and 1, where the normal
/// approximation collapses to a point. `n` must be positive.
std::pair<double, double> wilson_interval_95(std::size_t successes, std::size_t n);

/// The area whose coverage a goal counts: the scenario's area with `code`, or with an empty
/// code the whole scenario (named by its one region or province when it has only one). Nullopt
/// when no area has the code (forecast_areas() lists them).
std::optional<ForecastArea> goal_area(const Scenario& scenario, const std::string& code);

/// What a planner asks of a programme: that coverage of `area` (the scenario's ulc.measure)
/// reach `reach` by the month `by` with at least the probability `probability`.
struct CoverageGoal {
    ForecastArea area;
    double reach = 0;
    Month by;
    double probability = 0;
};

/// The lever of a programme a goal seek varies.
enum class ProgrammeLever : std::uint8_t {
    /// Rupiah a year, the same in every fiscal year in which the programme funds a month.
    yearly_budget,
    /// Months funded by the programme's last window, from its start.
    funded_months,
};

/// The keys that give the programme `value` of the lever. For funded months, the years the
/// longer window reaches get the last year's budget, since a year without one funds nothing.
std::vector<KeyValue> programme_lever_keys(const Scenario& scenario, std::size_t programme,
                                           ProgrammeLever lever, std::int64_t value);

/// The candidates a goal seek may try: multiples of `step` in [lowest, highest], starting the
/// search from `start` (the scenario's own value, in steps).
struct LeverRange {
    std::int64_t lowest = 0;
    std::int64_t highest = 0;
    std::int64_t step = 1;
    std::int64_t start = 1; ///< in steps
};

/// The default range of a lever: a budget from 0 to the premium of every employed worker of
/// the programme's regions for a year, in steps of one worker-year of premium (or `step` when
/// positive), starting from the programme's first yearly budget; funded months from 1 to the
/// months between the last window's start and `by`, starting from the window's length.
/// `most`, when given, is the highest value instead (for a budget) or caps it (for months).
LeverRange default_lever_range(const Scenario& scenario, std::size_t programme,
                               ProgrammeLever lever, Month by, std::int64_t step = 0,
                               std::optional<std::int64_t> most = std::nullopt);

/// What one candidate value gave: the share of replicates whose area reached the goal by its
/// date, and the area's coverage in that month.
struct GoalTrial {
    std::int64_t value = 0;
    std::vector<KeyValue> keys; ///< what gives the programme the value
    double probability = 0;
    std::size_t reached = 0;
    std::size_t replicates = 0;
    std::array<double, summary_statistic_count> coverage_at_date{};
};

/// Goal seeking over one lever of one programme. Every candidate is an ensemble of the
/// scenario's replicates on its seed (common random numbers: candidates differ only through
/// the programme), simulated only up to the goal's month; each is evaluated once.
class GoalSeeker {
public:
    /// Throws std::invalid_argument for a programme the scenario lacks or a goal month outside
    /// the run.
    GoalSeeker(const Scenario& base, std::size_t programme, ProgrammeLever lever, CoverageGoal goal,
               PlanRunner run);

    const CoverageGoal& goal() const { return goal_; }

    /// The candidate's trial (evaluated on first use). `on_trial` sees each new one.
    const GoalTrial& evaluate(std::int64_t value);
    std::function<void(const GoalTrial&)> on_trial;

    /// The smallest value of the range meeting the goal, or nullopt when even the highest
    /// does not (smallest_meeting over the range's steps).
    std::optional<std::int64_t> smallest(const LeverRange& range);

    const std::map<std::int64_t, GoalTrial>& trials() const { return trials_; }

private:
    const Scenario& base_;
    std::size_t programme_;
    ProgrammeLever lever_;
    CoverageGoal goal_;
    PlanRunner run_;
    std::map<std::int64_t, GoalTrial> trials_;
};

} // namespace ulcsim
