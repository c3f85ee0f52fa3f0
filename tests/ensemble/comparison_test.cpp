// Scenarios measured side by side (compare, sweep): one plan for all of them, the first the
// reference, paired differences zero for a scenario against itself and equal to the mean of
// the per-replicate differences otherwise.

#include "support/test_support.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/vary.hpp"

#include <cmath>
#include <gtest/gtest.h>

using namespace ulcsim;

TEST(MeasureScenarios, OnePlanPairedDifferencesAgainstTheFirstScenario) {
    const Scenario base =
        load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", {"population.scale=20"});
    const Scenario stopped =
        vary(base, "programme.kota-magelang-apbd.budget_idr_per_year.2025", std::int64_t{0});
    OutcomeSettings settings;
    settings.start = base.run.start;
    settings.months = base.run.months;
    settings.coverage_months = default_coverage_months(base.run.start, base.run.months);
    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);

    int plans = 0;
    std::size_t outcomes = 0;
    ExecutionContext context;
    context.threads = 2;
    const PlanRunner run_on_two_threads = runner_on(context);
    const MeasuredScenarios m = measure_scenarios(
        {base, base, stopped}, 6, settings,
        [&](const RunPlan& plan, const EnsembleOptions& options) {
            ++plans;
            EXPECT_EQ(plan.size(), 3u);
            EXPECT_EQ(plan.replicates(), 18u);
            run_on_two_threads(plan, options);
        },
        [&](std::size_t, std::uint32_t, const ReplicateOutcome&) { ++outcomes; });
    EXPECT_EQ(plans, 1);
    EXPECT_EQ(outcomes, 18u);
    ASSERT_EQ(m.values.size(), 3u);
    ASSERT_EQ(m.levels.size(), 3u);
    const auto mean = static_cast<std::size_t>(Statistic::mean);
    bool any_difference = false;
    for (std::size_t k = 0; k < measures.size(); ++k) {
        // The same scenario on the same seed: the same replicates exactly.
        for (std::uint32_t r = 0; r < 6; ++r)
            if (!std::isnan(m.values[0][r][k])) {
                ASSERT_EQ(m.values[1][r][k], m.values[0][r][k]);
            }
        if (!std::isnan(m.differences[1][k][mean])) {
            EXPECT_EQ(m.differences[1][k][mean], 0.0);
        }
        any_difference = any_difference || (!std::isnan(m.differences[2][k][mean]) &&
                                            m.differences[2][k][mean] != 0.0);
    }
    // Without the 2025 budget something differs (cost, members).
    EXPECT_TRUE(any_difference);
}
