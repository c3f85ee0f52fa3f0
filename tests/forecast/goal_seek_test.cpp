// Goal seeking's search, on numbers: it finds the smallest value meeting a monotone goal,
// evaluates no candidate twice and few in all, and says when nothing in range meets it.

#include "support/test_support.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <stdexcept>

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
