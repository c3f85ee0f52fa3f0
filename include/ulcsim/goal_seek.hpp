#pragma once
/// \file
/// Goal seeking: the smallest value of a lever (a programme's yearly budget, its funded months,
/// any numeric scenario key; or, for a key that helps as it falls, the largest) for which a
/// goal is met — for a planner, "what budget gets
/// coverage to 40% by 2026 with 80% probability?". The goal is met or not for each candidate by
/// an ensemble, which is costly, so the search evaluates as few candidates as it can and never
/// one twice; it assumes the goal is monotone in the lever (more money never hurts) and, for a
/// key, checks that assumption on the candidates it tried.

#include "ulcsim/calendar.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"
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

/// Which way a lever helps a goal. up: the goal is met from some value on, and the answer is
/// the smallest value that meets it (more money, a higher enrolment hazard). down: the goal is
/// met up to some value, and the answer is the largest value that meets it (a lapse hazard).
enum class SeekDirection : std::uint8_t { up, down };

/// Two tried candidates that contradict a goal monotone in the lever's direction: `met` meets
/// the goal and `missed`, beyond it in that direction, does not.
struct MonotoneViolation {
    std::int64_t met = 0;
    std::int64_t missed = 0;
};

/// What a search over candidates 0 … count − 1 gave: the candidate meeting the goal (smallest
/// for up, largest for down; nullopt when none tried meets it) and, when the candidates tried
/// contradict monotonicity, two that show it. With a violation the candidate means nothing.
struct GoalAnswer {
    std::optional<std::int64_t> candidate;
    std::optional<MonotoneViolation> not_monotone;
};

/// smallest_meeting over candidates 0 … count − 1 in `direction` (down searches from the top:
/// candidate count − 1 − k is tried as k), starting from `start` (clamped), and then, once an
/// answer is found, the candidate at the far end in that direction (the highest for up): the
/// search alone only tries candidates consistent with what it has seen, so without that one a
/// goal that is not monotone in the lever would pass unnoticed. Each candidate is evaluated at
/// most once. Throws std::invalid_argument when count < 1.
GoalAnswer seek_monotone(std::int64_t count, std::int64_t start, SeekDirection direction,
                         const std::function<bool(std::int64_t)>& met);

/// The first pair of candidates in `met` (candidate → whether it met the goal) that
/// contradicts a goal monotone in `direction`, or nullopt.
std::optional<MonotoneViolation> monotone_violation(const std::map<std::int64_t, bool>& met,
                                                    SeekDirection direction);

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
    /// Met when coverage is at or above `reach` in the month `by` itself (`target --at`),
    /// not in some month up to it (`--by`): a budget that lifts coverage over the line in one
    /// month and lets it fall back meets the second and not the first.
    bool in_month = false;
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

/// A numeric key of the table (ulcsim/scenario_keys.hpp) as a goal seek's lever: candidate i
/// of 0 … count − 1 sets the key to lowest + i × step. The key is any number or whole number
/// the table marks variable, named as `--set` and `sweep` name it.
struct KeyLever {
    std::string key; ///< a concrete path, entries by name where they have one
    KeyType type = KeyType::number;
    double lowest = 0;
    double highest = 0; ///< the largest candidate is lowest + (count − 1) × step ≤ highest
    double step = 1;
    std::int64_t count = 1;
    std::int64_t start = 0; ///< the scenario's own value as a candidate (where the search starts)
    SeekDirection direction = SeekDirection::up;

    /// Candidate i's value: a whole number for an integer key; for a number, lowest + i × step
    /// as 12 significant digits show it, so that the value run is the one printed.
    ScenarioValue value(std::int64_t candidate) const;
    /// The key and candidate i's value, for vary().
    std::vector<KeyValue> keys(std::int64_t candidate) const;
};

/// What a goal seek over a key is asked to vary; absent bounds and step come from the table.
struct KeyLeverRequest {
    std::string key;
    std::optional<double> lowest;
    std::optional<double> highest;
    std::optional<double> step;
    SeekDirection direction = SeekDirection::up;
};

/// The most candidates a key lever may have: beyond it a step is finer than the 12 digits a
/// value is written with can tell apart over most ranges.
inline constexpr std::int64_t key_lever_most_candidates = 1'000'000;

/// The lever for `request` on the table's row `row` (already found for request.key), whose
/// value in the scenario is `current` (nullopt when not given and without a default). Bounds
/// default to the row's range (an open lower bound to one step above it); the step defaults
/// to 1 for a whole number, 0.01 for a share or probability, and a hundredth of the range
/// when both bounds are given; otherwise it is required. Throws std::invalid_argument, saying
/// what is wrong with which option, for a key that is not a number, not variable, an
/// unbounded range without the bound given, bounds outside the row's range or in the wrong
/// order, a step ≤ 0 (or not whole for a whole number), or more than
/// key_lever_most_candidates candidates.
KeyLever key_lever(const ScenarioKey& row, const KeyLeverRequest& request,
                   std::optional<double> current);

/// The lever for `request` in `scenario`: the key found in the table (std::invalid_argument
/// for an unknown key, with the validator's "did you mean"), resolved in the scenario
/// (InputError, as vary() reports it, for an entry the scenario lacks), with its value there
/// as the start.
KeyLever key_lever(const Scenario& scenario, const KeyLeverRequest& request);

/// What one candidate value gave: the share of replicates whose area reached the goal by its
/// date, and the area's coverage in that month.
struct GoalTrial {
    /// The candidate: rupiah or months for a programme's lever, the candidate index for a key.
    std::int64_t value = 0;
    std::vector<KeyValue> keys; ///< what sets the lever to the candidate
    double probability = 0;
    std::size_t reached = 0;
    std::size_t replicates = 0;
    std::array<double, summary_statistic_count> coverage_at_date{};
};

/// Goal seeking over one lever: of one programme, or a key. Every candidate is an ensemble of the
/// scenario's replicates on its seed (common random numbers: candidates differ only through
/// the programme), simulated only up to the goal's month; each is evaluated once.
class GoalSeeker {
public:
    /// The keys a candidate sets.
    using LeverKeys = std::function<std::vector<KeyValue>(std::int64_t)>;

    /// Throws std::invalid_argument for a programme the scenario lacks or a goal month outside
    /// the run.
    GoalSeeker(const Scenario& base, std::size_t programme, ProgrammeLever lever, CoverageGoal goal,
               PlanRunner run);
    /// Over a key lever: a candidate is the lever's candidate index. Throws as above for the
    /// goal's month.
    GoalSeeker(const Scenario& base, const KeyLever& lever, CoverageGoal goal, PlanRunner run);

    const CoverageGoal& goal() const { return goal_; }

    /// The candidate's trial (evaluated on first use). `on_trial` sees each new one.
    const GoalTrial& evaluate(std::int64_t value);
    std::function<void(const GoalTrial&)> on_trial;

    /// The smallest value of the range meeting the goal, or nullopt when even the highest
    /// does not (smallest_meeting over the range's steps).
    std::optional<std::int64_t> smallest(const LeverRange& range);

    /// seek_monotone() over the candidates of `lever` (the one the seeker was made with), a
    /// candidate meeting the goal when its probability is at least the goal's.
    GoalAnswer seek(const KeyLever& lever);

    const std::map<std::int64_t, GoalTrial>& trials() const { return trials_; }

    /// Runs every candidate's replicates on the posterior's draws (add_replicates,
    /// ulcsim/posterior_plan.hpp), so that a candidate's probability holds the parameters'
    /// uncertainty. The posterior must outlive the seeker.
    void draw_parameters_from(const PosteriorDraws& posterior) { posterior_ = &posterior; }

private:
    GoalSeeker(const Scenario& base, LeverKeys keys, CoverageGoal goal, PlanRunner run);

    const Scenario& base_;
    LeverKeys keys_;
    CoverageGoal goal_;
    PlanRunner run_;
    const PosteriorDraws* posterior_ = nullptr;
    std::map<std::int64_t, GoalTrial> trials_;
};

} // namespace ulcsim
