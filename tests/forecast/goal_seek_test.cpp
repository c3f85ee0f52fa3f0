// Goal seeking's search, on numbers: it finds the smallest value meeting a monotone goal (or,
// searching down, the largest), evaluates no candidate twice and few in all, says when nothing
// in range meets it and when the goal is not monotone; a key of the table as a lever.

#include "support/test_support.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

using namespace ulcsim;

namespace {

/// A goal met from `threshold` on, counting how often each candidate is evaluated.
struct Goal {
    std::int64_t threshold;
    std::map<std::int64_t, int> evaluated;
    bool operator()(std::int64_t k) {
        ++evaluated[k];
        return k >= threshold;
    }
};

std::optional<std::int64_t> seek(Goal& goal, std::int64_t lowest, std::int64_t highest,
                                 std::int64_t start) {
    return smallest_meeting(lowest, highest, start, [&](std::int64_t k) { return goal(k); });
}

} // namespace

TEST(GoalSeek, FindsTheSmallestValueMeetingAMonotoneGoalAnywhereInRange) {
    for (const std::int64_t start : {0, 1, 7, 40, 1000})
        for (std::int64_t threshold = 0; threshold <= 100; ++threshold) {
            Goal goal{threshold, {}};
            const auto found = seek(goal, 0, 100, start);
            ASSERT_TRUE(found) << "threshold " << threshold << " start " << start;
            EXPECT_EQ(*found, threshold) << "start " << start;
            for (const auto& [k, times] : goal.evaluated)
                EXPECT_EQ(times, 1) << "candidate " << k << " evaluated twice";
            // Doubling then bisecting: about 2 log2(range) evaluations at most.
            EXPECT_LE(goal.evaluated.size(), 16u) << "threshold " << threshold;
        }
}

TEST(GoalSeek, SaysWhenNothingInRangeMeetsTheGoal) {
    Goal goal{101, {}};
    EXPECT_FALSE(seek(goal, 0, 100, 5));
    EXPECT_EQ(goal.evaluated.count(100), 1u) << "the largest value is tried";
    Goal single{5, {}};
    EXPECT_FALSE(seek(single, 3, 3, 3));
    EXPECT_EQ(single.evaluated.size(), 1u);
}

TEST(GoalSeek, StartsFromTheGivenValueAndDoubles) {
    // A scenario's own budget is usually close to the answer: the search starts there.
    Goal goal{37, {}};
    EXPECT_EQ(seek(goal, 0, 1000, 30), 37);
    auto it = goal.evaluated.begin();
    EXPECT_EQ(it->first, 0) << "the lowest value is tried first";
    EXPECT_TRUE(goal.evaluated.count(30));
    EXPECT_TRUE(goal.evaluated.count(60)) << "doubled from 30";
    EXPECT_FALSE(goal.evaluated.count(120)) << "no doubling past the first success";
}

TEST(GoalSeek, NeverOverflowsNearTheLargestIntegers) {
    const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 1;
    Goal goal{big - 5, {}};
    EXPECT_EQ(seek(goal, 0, big, 1), big - 5);
    EXPECT_THROW(seek(goal, 10, 9, 0), std::invalid_argument);
}

TEST(GoalSeek, WilsonIntervalMatchesPublishedValuesAndStaysInsideZeroAndOne) {
    // 8 of 10: Wilson 95% interval [0.4902, 0.9433] (Newcombe 1998, method 3).
    const auto [lo, hi] = wilson_interval_95(8, 10);
    EXPECT_NEAR(lo, 0.4902, 5e-4);
    EXPECT_NEAR(hi, 0.9433, 5e-4);
    const auto [lo0, hi0] = wilson_interval_95(0, 20);
    EXPECT_EQ(lo0, 0.0);
    EXPECT_NEAR(hi0, 0.1611, 5e-4);
    const auto [lo1, hi1] = wilson_interval_95(20, 20);
    EXPECT_NEAR(lo1, 0.8389, 5e-4);
    EXPECT_EQ(hi1, 1.0);
    EXPECT_THROW(wilson_interval_95(0, 0), std::invalid_argument);
}

// The goal seeker on a scenario: the keys a lever sets, its default range, a trial's
// probability against a full-length run of the same variant, each candidate simulated once,
// and the answer meeting the goal where one step less does not.

namespace {

const Scenario& kota_magelang_2025() {
    static const Scenario s = load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml",
                                            {"population.scale=20", "run.replicates=8"});
    return s;
}

std::size_t apbd(const Scenario& s) {
    for (std::size_t j = 0; j < s.programmes.size(); ++j)
        if (s.programmes[j].name == "kota-magelang-apbd") return j;
    ADD_FAILURE() << "no kota-magelang-apbd programme";
    return 0;
}

/// run_ensemble on two threads, counting the plans it runs.
struct CountingRunner {
    int plans = 0;
    void operator()(const RunPlan& plan, const EnsembleOptions& options) {
        ++plans;
        ExecutionContext context;
        context.threads = 2;
        run_ensemble(plan, context, options);
    }
};

CoverageGoal goal_for(const Scenario& s, double reach, const char* by, double probability) {
    return {*goal_area(s, ""), reach, *Month::parse(by), probability};
}

} // namespace

TEST(GoalSeeker, ABudgetIsSetInEveryYearTheProgrammeFundsAndMonthsExtendTheLastWindow) {
    const Scenario& s = kota_magelang_2025();
    const std::size_t p = apbd(s);
    const auto budget = programme_lever_keys(s, p, ProgrammeLever::yearly_budget, 5'000'000);
    ASSERT_EQ(budget.size(), 2u); // windows in 2024 and 2025
    EXPECT_EQ(budget[0].key, "programme.kota-magelang-apbd.budget_idr_per_year.2024");
    EXPECT_EQ(budget[1].key, "programme.kota-magelang-apbd.budget_idr_per_year.2025");
    EXPECT_EQ(std::get<std::int64_t>(budget[1].value), 5'000'000);

    // 18 months from 2025-01 end in 2026-06; 2026 gets 2025's budget.
    const auto months = programme_lever_keys(s, p, ProgrammeLever::funded_months, 18);
    ASSERT_EQ(months.size(), 2u);
    EXPECT_EQ(months[0].key, "programme.kota-magelang-apbd.window.1.end");
    EXPECT_EQ(std::get<Month>(months[0].value), *Month::parse("2026-06"));
    EXPECT_EQ(months[1].key, "programme.kota-magelang-apbd.budget_idr_per_year.2026");
    EXPECT_EQ(std::get<double>(months[1].value),
              s.programmes[p].budget_idr_per_year.rbegin()->second);
    // The keys make a valid scenario with the longer window.
    const Scenario longer = vary(s, months);
    EXPECT_EQ(longer.programmes[p].windows.back().months(), 18);
}

TEST(GoalSeeker, TheDefaultRangeIsAYearOfPremiumPerWorkerOrTheMonthsUpToTheDate) {
    const Scenario& s = kota_magelang_2025();
    const std::size_t p = apbd(s);
    const FundingProgramme& f = s.programmes[p];
    const Month by = *Month::parse("2025-12");
    const LeverRange budget = default_lever_range(s, p, ProgrammeLever::yearly_budget, by);
    EXPECT_EQ(budget.step, std::llround(12 * f.premium_idr_per_month));
    EXPECT_EQ(budget.lowest, 0);
    double workers = 0;
    for (const std::size_t r : f.regions)
        workers += static_cast<double>(s.employed_workers(r));
    EXPECT_EQ(budget.highest, std::llround(12 * f.premium_idr_per_month * workers));
    EXPECT_EQ(default_lever_range(s, p, ProgrammeLever::yearly_budget, by, 1000, 9000).highest,
              9000);

    const LeverRange months = default_lever_range(s, p, ProgrammeLever::funded_months, by);
    EXPECT_EQ(months.lowest, 1);
    EXPECT_EQ(months.highest, 12); // 2025-01 … 2025-12
    EXPECT_EQ(months.start, 12);   // the window's own length
    EXPECT_EQ(default_lever_range(s, p, ProgrammeLever::funded_months, by, 0, 5).highest, 5);
}

TEST(GoalSeeker, ATrialIsTheShareOfReplicatesOfTheFullRunThatReachTheGoalByItsDate) {
    const Scenario& s = kota_magelang_2025();
    const std::size_t p = apbd(s);
    CountingRunner runner;
    GoalSeeker seek(s, p, ProgrammeLever::funded_months, goal_for(s, 0.30, "2025-09", 0.5),
                    std::ref(runner));
    int seen = 0;
    seek.on_trial = [&](const GoalTrial&) { ++seen; };
    const GoalTrial trial = seek.evaluate(9);
    EXPECT_EQ(seek.evaluate(9).value, 9); // cached: not simulated again
    EXPECT_EQ(runner.plans, 1);
    EXPECT_EQ(seen, 1);
    EXPECT_EQ(trial.replicates, 8u);

    // The same variant run for its whole horizon, measured independently: the goal seeker
    // simulates only up to the date, which must not change the replicates' months.
    const Scenario full = vary(s, trial.keys);
    ASSERT_EQ(full.run.months, 36);
    const std::vector<ForecastArea> areas{seek.goal().area};
    std::size_t reached = 0;
    for (std::uint32_t r = 0; r < 8; ++r) {
        const ReplicateSeries series = simulate_replicate(full, r);
        const int first = first_passages(series, areas, 0.30, full.ulc.measure)[0];
        reached += first >= 0 && first <= 20; // 2025-09 is month 20 from 2024-01
    }
    EXPECT_EQ(trial.reached, reached);
    EXPECT_DOUBLE_EQ(trial.probability, static_cast<double>(reached) / 8);
}

// `target --at`: a trial counts the replicates whose coverage in the goal's month itself is at
// or above the goal, measured here on the full runs; the reach is set between the replicates'
// values in that month so that the count is neither 0 nor all. Counting "by" the month can only
// count more, and does count what the first passages say.
TEST(GoalSeeker, ATrialAtAMonthCountsTheReplicatesAtOrAboveTheGoalInThatMonth) {
    const Scenario& s = kota_magelang_2025();
    const std::size_t p = apbd(s);
    // Nine funded months from 2025-01 end in 2025-09; by 2026-06 coverage has fallen back.
    const int month = 29; // 2026-06 from 2024-01
    CoverageGoal goal = goal_for(s, 0.30, "2026-06", 0.5);
    const std::array<Segment, 3> segments{Segment::formal, Segment::informal, Segment::vulnerable};
    const Scenario full = vary(
        s,
        GoalSeeker(s, p, ProgrammeLever::funded_months, goal, CountingRunner{}).evaluate(9).keys);
    std::vector<ReplicateSeries> runs;
    std::vector<double> in_month;
    for (std::uint32_t r = 0; r < 8; ++r) {
        runs.push_back(simulate_replicate(full, r));
        in_month.push_back(group_coverage(runs.back(), goal.area.regions, segments,
                                          full.ulc.measure, static_cast<std::size_t>(month)));
    }
    std::vector<double> sorted = in_month;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_LT(sorted[2], sorted[3]);
    goal.reach = (sorted[2] + sorted[3]) / 2; // five replicates at or above it in the month

    std::size_t at = 0, by = 0;
    const std::vector<ForecastArea> areas{goal.area};
    for (std::uint32_t r = 0; r < 8; ++r) {
        at += in_month[r] >= goal.reach;
        const int first = first_passages(runs[r], areas, goal.reach, full.ulc.measure)[0];
        by += first >= 0 && first <= month;
    }
    ASSERT_EQ(at, 5u);
    // Coverage fell back after funding: more replicates were above the line in some month up
    // to then than are in it, or the test would not tell the two apart.
    ASSERT_GT(by, at);

    goal.in_month = true;
    const GoalTrial in =
        GoalSeeker(s, p, ProgrammeLever::funded_months, goal, CountingRunner{}).evaluate(9);
    goal.in_month = false;
    const GoalTrial up_to =
        GoalSeeker(s, p, ProgrammeLever::funded_months, goal, CountingRunner{}).evaluate(9);
    EXPECT_EQ(in.reached, at);
    EXPECT_EQ(up_to.reached, by);
    EXPECT_GE(up_to.reached, in.reached);
}

TEST(GoalSeeker, TheAnswerMeetsTheGoalAndOneStepLessDoesNot) {
    const Scenario& s = kota_magelang_2025();
    const std::size_t p = apbd(s);
    CountingRunner runner;
    // Coverage with the window's 12 months funded in 2025 against stopping sooner: a goal in
    // between the months' outcomes is met from some number of months on.
    GoalSeeker seek(s, p, ProgrammeLever::funded_months, goal_for(s, 0.0, "2025-12", 1.0),
                    std::ref(runner));
    const GoalTrial& none = seek.evaluate(1);
    const GoalTrial& all = seek.evaluate(12);
    const double middle = (none.coverage_at_date[static_cast<std::size_t>(Statistic::mean)] +
                           all.coverage_at_date[static_cast<std::size_t>(Statistic::mean)]) /
                          2;
    ASSERT_LT(none.coverage_at_date[0], all.coverage_at_date[0]);

    GoalSeeker goal(s, p, ProgrammeLever::funded_months, goal_for(s, middle, "2025-12", 0.5),
                    std::ref(runner));
    const LeverRange range =
        default_lever_range(s, p, ProgrammeLever::funded_months, *Month::parse("2025-12"));
    const auto answer = goal.smallest(range);
    ASSERT_TRUE(answer);
    EXPECT_GE(goal.evaluate(*answer).probability, 0.5);
    if (*answer > range.lowest) {
        EXPECT_LT(goal.evaluate(*answer - 1).probability, 0.5);
    }
    // Each candidate once: the runs are the trials.
    EXPECT_EQ(static_cast<std::size_t>(runner.plans), 2 + goal.trials().size());

    // A goal beyond reach says so.
    GoalSeeker beyond(s, p, ProgrammeLever::funded_months, goal_for(s, 0.99, "2025-12", 0.5),
                      std::ref(runner));
    EXPECT_FALSE(beyond.smallest(range));
}

TEST(GoalSeeker, RefusesAProgrammeOrADateTheScenarioLacks) {
    const Scenario& s = kota_magelang_2025();
    CountingRunner runner;
    EXPECT_THROW(GoalSeeker(s, s.programmes.size(), ProgrammeLever::yearly_budget,
                            goal_for(s, 0.3, "2025-12", 0.5), std::ref(runner)),
                 std::invalid_argument);
    EXPECT_THROW(GoalSeeker(s, apbd(s), ProgrammeLever::yearly_budget,
                            goal_for(s, 0.3, "2027-01", 0.5), std::ref(runner)),
                 std::invalid_argument);
    EXPECT_FALSE(goal_area(s, "99.99"));
    EXPECT_TRUE(goal_area(s, "33.71"));
}

// Searching over candidates in either direction, and telling a goal that is not monotone in
// the lever from one that is.

namespace {

/// A goal over candidates, counting how often each is evaluated.
struct CandidateGoal {
    std::function<bool(std::int64_t)> meets;
    std::map<std::int64_t, int> evaluated;
    bool operator()(std::int64_t k) {
        ++evaluated[k];
        return meets(k);
    }
};

GoalAnswer seek_in(CandidateGoal& goal, std::int64_t count, std::int64_t start,
                   SeekDirection direction) {
    return seek_monotone(count, start, direction, [&](std::int64_t k) { return goal(k); });
}

} // namespace

TEST(SeekMonotone, FindsTheSmallestGoingUpAndTheLargestGoingDownEachCandidateOnce) {
    for (const std::int64_t start : {0, 3, 50, 100})
        for (std::int64_t threshold = 0; threshold <= 100; ++threshold) {
            CandidateGoal rising{[=](std::int64_t k) { return k >= threshold; }, {}};
            const GoalAnswer up = seek_in(rising, 101, start, SeekDirection::up);
            ASSERT_TRUE(up.candidate) << threshold;
            EXPECT_EQ(*up.candidate, threshold) << "start " << start;
            EXPECT_FALSE(up.not_monotone);
            EXPECT_EQ(rising.evaluated.count(100), 1u) << "the far end is tried";

            CandidateGoal falling{[=](std::int64_t k) { return k <= threshold; }, {}};
            const GoalAnswer down = seek_in(falling, 101, start, SeekDirection::down);
            ASSERT_TRUE(down.candidate) << threshold;
            EXPECT_EQ(*down.candidate, threshold) << "start " << start;
            EXPECT_FALSE(down.not_monotone);
            EXPECT_EQ(falling.evaluated.count(0), 1u) << "the far end going down is the lowest";

            for (const CandidateGoal* g : {&rising, &falling}) {
                for (const auto& [k, times] : g->evaluated)
                    EXPECT_EQ(times, 1) << "candidate " << k << " evaluated twice";
                EXPECT_LE(g->evaluated.size(), 18u) << "threshold " << threshold;
            }
        }
}

TEST(SeekMonotone, SaysWhenNoCandidateMeetsTheGoalWithoutCallingItNonMonotone) {
    CandidateGoal never{[](std::int64_t) { return false; }, {}};
    const GoalAnswer up = seek_in(never, 50, 10, SeekDirection::up);
    EXPECT_FALSE(up.candidate);
    EXPECT_FALSE(up.not_monotone);
    EXPECT_EQ(never.evaluated.count(49), 1u);
    const GoalAnswer down = seek_in(never, 50, 10, SeekDirection::down);
    EXPECT_FALSE(down.candidate);
    EXPECT_EQ(never.evaluated.count(0), 1u);
    EXPECT_THROW(seek_in(never, 0, 0, SeekDirection::up), std::invalid_argument);
}

TEST(SeekMonotone, AGoalThatFallsWhereItShouldRiseIsReportedNotAnswered) {
    // A lapse hazard searched upwards: the lowest value meets the goal, the highest does not.
    CandidateGoal falling{[](std::int64_t k) { return k <= 40; }, {}};
    const GoalAnswer wrong_way = seek_in(falling, 101, 20, SeekDirection::up);
    ASSERT_TRUE(wrong_way.not_monotone);
    EXPECT_EQ(wrong_way.not_monotone->met, 0);
    EXPECT_EQ(wrong_way.not_monotone->missed, 100);

    // Met only in a band: up, the answer 30 is contradicted by the far end.
    CandidateGoal band{[](std::int64_t k) { return k >= 30 && k <= 60; }, {}};
    const GoalAnswer up = seek_in(band, 101, 20, SeekDirection::up);
    ASSERT_TRUE(up.not_monotone);
    EXPECT_EQ(up.not_monotone->met, 30);
    EXPECT_EQ(up.not_monotone->missed, 100);
    CandidateGoal band_down{[](std::int64_t k) { return k >= 30 && k <= 60; }, {}};
    const GoalAnswer down = seek_in(band_down, 101, 80, SeekDirection::down);
    ASSERT_TRUE(down.not_monotone);
    EXPECT_EQ(down.not_monotone->met, 60);
    EXPECT_EQ(down.not_monotone->missed, 0);
}

TEST(SeekMonotone, AViolationIsTheFirstMetCandidateFollowedByAMiss) {
    const std::map<std::int64_t, bool> tried{{0, false}, {3, true}, {5, true}, {9, false}};
    const auto up = monotone_violation(tried, SeekDirection::up);
    ASSERT_TRUE(up);
    EXPECT_EQ(up->met, 3);
    EXPECT_EQ(up->missed, 9);
    const auto down = monotone_violation(tried, SeekDirection::down);
    ASSERT_TRUE(down);
    EXPECT_EQ(down->met, 5);
    EXPECT_EQ(down->missed, 0);
    EXPECT_FALSE(monotone_violation({{0, false}, {4, true}, {7, true}}, SeekDirection::up));
    EXPECT_FALSE(monotone_violation({{0, true}, {4, true}, {7, false}}, SeekDirection::down));
    EXPECT_FALSE(monotone_violation({}, SeekDirection::up));
}

// A key of the table as a lever: the grid of candidates from the key's range, the defaults
// of the step, and what is refused.

namespace {

std::string refusal(const ScenarioKey& row, const KeyLeverRequest& request) {
    try {
        key_lever(row, request, std::nullopt);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

KeyLeverRequest request_for(std::string key, std::optional<double> lowest = std::nullopt,
                            std::optional<double> highest = std::nullopt,
                            std::optional<double> step = std::nullopt,
                            SeekDirection direction = SeekDirection::up) {
    return {std::move(key), lowest, highest, step, direction};
}

const ScenarioKey& table_row(std::string_view path) {
    const ScenarioKey* row = find_scenario_key(path);
    if (!row) throw std::logic_error("no key " + std::string(path));
    return *row;
}

} // namespace

TEST(KeyLever, TheGridRunsOverTheKeysRangeInWholeStepsWithExactValues) {
    // A whole number: steps of 1 over its range, values whole.
    const ScenarioKey& months = table_row("programme.*.months_per_member");
    const KeyLever m = key_lever(months, request_for("programme.p.months_per_member"), 6.0);
    EXPECT_EQ(m.lowest, months.lower);
    EXPECT_EQ(m.highest, months.upper);
    EXPECT_EQ(m.step, 1);
    EXPECT_EQ(m.count, static_cast<std::int64_t>(months.upper - months.lower) + 1);
    EXPECT_EQ(std::get<std::int64_t>(m.value(0)), static_cast<std::int64_t>(months.lower));
    EXPECT_EQ(std::get<std::int64_t>(m.value(m.count - 1)),
              static_cast<std::int64_t>(months.upper));
    EXPECT_EQ(m.start, 6 - static_cast<std::int64_t>(months.lower)) << "the scenario's value";
    ASSERT_EQ(m.keys(2).size(), 1u);
    EXPECT_EQ(m.keys(2)[0].key, "programme.p.months_per_member");
    EXPECT_THROW(m.value(m.count), std::out_of_range);

    // A share: a hundredth of [0, 1] by default, each value the decimal it prints as.
    const ScenarioKey& share = table_row("behaviour.registration_success");
    ASSERT_EQ(share.quantity, Quantity::probability);
    const KeyLever s = key_lever(share, request_for("behaviour.registration_success"), 0.7);
    EXPECT_EQ(s.count, 101);
    EXPECT_DOUBLE_EQ(s.step, 0.01);
    EXPECT_EQ(std::get<double>(s.value(37)), 0.37);
    EXPECT_EQ(std::get<double>(s.value(100)), 1.0);
    EXPECT_EQ(s.start, 70);
    EXPECT_EQ(format_scenario_value(s.value(29)), "0.29");

    // A hazard over a range the caller gives, with its own step: the top value included when
    // the step divides the range, left out when it does not.
    const ScenarioKey& hazard = table_row("behaviour.h_lapse");
    const KeyLever h = key_lever(hazard, request_for("behaviour.h_lapse", 0.02, 0.1, 0.005), 0.065);
    EXPECT_EQ(h.count, 17);
    EXPECT_EQ(std::get<double>(h.value(16)), 0.1);
    EXPECT_EQ(std::get<double>(h.value(3)), 0.035);
    EXPECT_EQ(h.start, 9); // 0.065 = 0.02 + 9 × 0.005
    EXPECT_EQ(key_lever(hazard, request_for("behaviour.h_lapse", 0.02, 0.1, 0.03), 0.065).count, 3);
    // Both bounds given and no step: a hundredth of them.
    const KeyLever hundred = key_lever(hazard, request_for("behaviour.h_lapse", 0.0, 0.2), 0.065);
    EXPECT_EQ(hundred.count, 101);
    EXPECT_DOUBLE_EQ(hundred.step, 0.002);

    // Searching down with no value in the scenario starts at the top.
    const ScenarioKey& quota = table_row("programme.*.quota_workers");
    const KeyLever q = key_lever(
        quota, request_for("programme.p.quota_workers", 1, 500, std::nullopt, SeekDirection::down),
        std::nullopt);
    EXPECT_EQ(q.count, 500);
    EXPECT_EQ(q.start, 499);
    EXPECT_EQ(q.direction, SeekDirection::down);
}

TEST(KeyLever, AnOpenLowerBoundStartsOneStepAboveIt) {
    const ScenarioKey& premium = table_row("benefits.self_premium_idr_per_month");
    ASSERT_TRUE(premium.lower_open);
    const KeyLever p = key_lever(
        premium, request_for("benefits.self_premium_idr_per_month", std::nullopt, 100'000, 1000),
        16'800.0);
    EXPECT_EQ(p.lowest, 1000);
    EXPECT_EQ(p.count, 100);
    EXPECT_EQ(std::get<double>(p.value(15)), 16'000);
    EXPECT_EQ(p.start, 16); // 16,800 rounds to 17,000
    EXPECT_NE(refusal(premium, request_for("benefits.self_premium_idr_per_month", 0, 100, 1))
                  .find("--lowest 0: outside the range of"),
              std::string::npos);
}

TEST(KeyLever, RefusesWhatCannotBeSearchedSayingWhichOptionIsWrong) {
    const ScenarioKey& hazard = table_row("behaviour.h_lapse");
    const ScenarioKey& integer = table_row("behaviour.arrears_months");
    const struct {
        const ScenarioKey* row;
        KeyLeverRequest request;
        std::string message;
    } cases[] = {
        {&hazard, request_for("behaviour.h_lapse"),
         "--step is required for behaviour.h_lapse (a real number in"},
        {&hazard, request_for("behaviour.h_lapse", std::nullopt, std::nullopt, 0.0),
         "--step 0: must be above 0"},
        {&hazard, request_for("behaviour.h_lapse", std::nullopt, std::nullopt, -0.01),
         "--step -0.01: must be above 0"},
        {&hazard, request_for("behaviour.h_lapse", 0.5, 0.1, 0.01),
         "--lowest 0.5 is above --highest 0.1"},
        {&hazard, request_for("behaviour.h_lapse", 11.0, std::nullopt, 0.01),
         "--lowest 11: outside the range of behaviour.h_lapse"},
        {&hazard, request_for("behaviour.h_lapse", std::nullopt, -1.0, 0.01),
         "--highest -1: outside the range of behaviour.h_lapse"},
        {&hazard, request_for("behaviour.h_lapse", 0.0, 10.0, 1e-6),
         "10000001 candidates between 0 and 10, more than the 1000000 allowed"},
        {&integer, request_for("behaviour.arrears_months", std::nullopt, std::nullopt, 0.5),
         "--step 0.5: behaviour.arrears_months is a whole number, so the step must be too"},
        {&integer, request_for("behaviour.arrears_months", 1.5),
         "--lowest 1.5: behaviour.arrears_months is a whole number"},
        {&table_row("policy.*.start"), request_for("policy.p.start"),
         "policy.p.start (month) is not a number"},
        {&table_row("programme.*.targeting"), request_for("programme.p.targeting"),
         "programme.p.targeting (string) is not a number"},
        {&table_row("population.age_bands.15-24"), request_for("population.age_bands.15-24"),
         "population.age_bands.15-24 cannot be varied"},
    };
    for (const auto& c : cases)
        EXPECT_NE(refusal(*c.row, c.request).find(c.message), std::string::npos)
            << c.message << "\n got: " << refusal(*c.row, c.request);

    // A range the table leaves open needs the bound from the caller.
    ScenarioKey open = hazard;
    open.upper = std::numeric_limits<double>::infinity();
    EXPECT_NE(refusal(open, request_for("x", std::nullopt, std::nullopt, 0.1))
                  .find("x has no upper bound in the key table: give --highest"),
              std::string::npos);
    EXPECT_EQ(refusal(open, request_for("x", std::nullopt, 5.0, 0.1)), "(accepted)");
    open.upper = 1;
    open.lower = -std::numeric_limits<double>::infinity();
    EXPECT_NE(refusal(open, request_for("x", std::nullopt, std::nullopt, 0.1))
                  .find("x has no lower bound in the key table: give --lowest"),
              std::string::npos);
}

// A key lever on a scenario, and the goal seeker searching it both ways.

TEST(KeyLever, OnAScenarioTheKeyIsNamedAsSetNamesItAndStartsAtTheScenariosValue) {
    const Scenario& s = kota_magelang_2025();
    const KeyLever by_position = key_lever(s, request_for("programme.0.acceptance"));
    EXPECT_EQ(by_position.key, "programme." + s.programmes[0].name + ".acceptance");
    EXPECT_EQ(by_position.start,
              std::llround(*scenario_number(s, by_position.key) / by_position.step));
    const KeyLever h0 = key_lever(s, request_for("behaviour.h0_self", 0.0, 0.05, 0.001));
    EXPECT_EQ(h0.start, std::llround(*scenario_number(s, "behaviour.h0_self") / 0.001));

    try {
        key_lever(s, request_for("behaviour.h0_sel", 0.0, 1.0));
        ADD_FAILURE() << "an unknown key was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("behaviour.h0_sel: unknown key"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(key_lever(s, request_for("programme.nope.acceptance")), InputError);
    // The kind of key is told before the missing entry.
    EXPECT_THROW(key_lever(s, request_for("programme.nope.name")), std::invalid_argument);
}

namespace {

double mean_coverage(const GoalTrial& trial) {
    return trial.coverage_at_date[static_cast<std::size_t>(Statistic::mean)];
}

} // namespace

TEST(GoalSeeker, OnAKeyTheAnswerMeetsTheGoalAndOneStepTowardsTheOtherEndDoesNot) {
    const Scenario& s = kota_magelang_2025();
    CountingRunner runner;
    // Self-enrolment helps coverage as it rises; a goal half-way between its ends is met from
    // some value on.
    const KeyLever h0 = key_lever(s, request_for("behaviour.h0_self", 0.0, 0.04, 0.005));
    ASSERT_EQ(h0.count, 9);
    GoalSeeker probe(s, h0, goal_for(s, 0.0, "2025-12", 1.0), std::ref(runner));
    const double low = mean_coverage(probe.evaluate(0)), high = mean_coverage(probe.evaluate(8));
    ASSERT_LT(low + 0.01, high) << "self-enrolment must move coverage for this test";
    EXPECT_EQ(probe.evaluate(3).keys.at(0).key, "behaviour.h0_self");
    EXPECT_EQ(std::get<double>(probe.evaluate(3).keys.at(0).value), 0.015);

    GoalSeeker up(s, h0, goal_for(s, (low + high) / 2, "2025-12", 0.5), std::ref(runner));
    const GoalAnswer rising = up.seek(h0);
    ASSERT_TRUE(rising.candidate);
    EXPECT_FALSE(rising.not_monotone);
    EXPECT_GT(*rising.candidate, 0);
    EXPECT_GE(up.evaluate(*rising.candidate).probability, 0.5);
    EXPECT_LT(up.evaluate(*rising.candidate - 1).probability, 0.5);
    EXPECT_GE(up.evaluate(8).probability, 0.5) << "the far end was tried and meets it";

    // The lapse hazard helps as it falls: searched down, the answer is the largest value that
    // meets the goal; searched up, the goal is reported as not monotone.
    const KeyLever lapse_down =
        key_lever(s, request_for("behaviour.h_lapse", 0.01, 0.17, 0.02, SeekDirection::down));
    GoalSeeker lapse_probe(s, lapse_down, goal_for(s, 0.0, "2025-12", 1.0), std::ref(runner));
    const double least = mean_coverage(lapse_probe.evaluate(0));
    const double most = mean_coverage(lapse_probe.evaluate(lapse_down.count - 1));
    ASSERT_GT(least, most + 0.005) << "lapses must move coverage for this test";
    const CoverageGoal middle = goal_for(s, (least + most) / 2, "2025-12", 0.5);
    GoalSeeker down(s, lapse_down, middle, std::ref(runner));
    const GoalAnswer falling = down.seek(lapse_down);
    ASSERT_TRUE(falling.candidate);
    EXPECT_FALSE(falling.not_monotone);
    ASSERT_LT(*falling.candidate, lapse_down.count - 1);
    EXPECT_GE(down.evaluate(*falling.candidate).probability, 0.5);
    EXPECT_LT(down.evaluate(*falling.candidate + 1).probability, 0.5);

    KeyLever lapse_up = lapse_down;
    lapse_up.direction = SeekDirection::up;
    lapse_up.start = 0;
    GoalSeeker wrong_way(s, lapse_up, middle, std::ref(runner));
    const GoalAnswer contradicted = wrong_way.seek(lapse_up);
    ASSERT_TRUE(contradicted.not_monotone);
    EXPECT_EQ(contradicted.not_monotone->met, 0);
    EXPECT_EQ(contradicted.not_monotone->missed, lapse_up.count - 1);
}
