// The planner's summary (ulcsim/planner_summary.hpp): its accounting on totals small enough to
// work out by hand, and on a real run against the baseline the report simulates.

#include "support/test_support.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

namespace ulcsim {
namespace {

namespace fs = std::filesystem;

/// Four months, two replicates, 100 workers throughout; a programme with members in the
/// second and third months and Rp100 of premiums in each; coverage reaches 25% in the third.
RunTotals hand_made_run() {
    RunTotals t;
    t.scenario = "policy";
    t.months = {"2025-01", "2025-02", "2025-03", "2025-04"};
    t.seed = 7;
    t.replicates = 2;
    t.labour_force = {{100, 100, 100, 100}, {100, 100, 100, 100}};
    t.covered = {{10, 20, 30, 25}, {10, 22, 28, 24}};
    t.programme_members = {{0, 5, 5, 0}, {0, 5, 5, 0}};
    t.policy_cost_idr = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    t.programmes = {"apbd"};
    t.programme_kinds = {"apbd_kabkota"};
    t.spent_idr = {{{0, 100, 100, 0}}, {{0, 100, 100, 0}}};
    t.ulc = UlcDefinition{0.25, CoverageMeasure::resident_coverage};
    return t;
}

RunTotals hand_made_baseline() {
    RunTotals t = hand_made_run();
    t.scenario = "baseline";
    t.covered = {{10, 12, 14, 16}, {10, 11, 12, 13}};
    t.programme_members = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    t.programmes.clear();
    t.programme_kinds.clear();
    t.spent_idr = {{}, {}};
    return t;
}

TEST(PlannerSummary, HandMadeTotalsGiveTheNumbersWorkedOutByHand) {
    const RunTotals run = hand_made_run(), base = hand_made_baseline();
    const PlannerSummary s = planner_summary(run, &base, BaselineSource::given);
    // 1. Covered workers: means 10, 21, 29, 24.5; the peak in the third month.
    EXPECT_DOUBLE_EQ(s.covered_start.mean, 10);
    EXPECT_DOUBLE_EQ(s.covered_end.mean, 24.5);
    EXPECT_DOUBLE_EQ(s.covered_end.p05, 24.05); // 24 + 0.05 × (25 − 24)
    EXPECT_DOUBLE_EQ(s.covered_end.p95, 24.95);
    EXPECT_DOUBLE_EQ(s.covered_peak.mean, 29);
    EXPECT_EQ(s.peak_month, "2025-03");
    EXPECT_DOUBLE_EQ(s.coverage_end.mean, 24.5);
    // 2. Added, paired: replicate 0 adds 0, 8, 16, 9 (33 worker-months), replicate 1 adds
    // 0, 11, 16, 11 (38).
    ASSERT_TRUE(s.paired);
    ASSERT_EQ(s.added_workers.size(), 4u);
    EXPECT_DOUBLE_EQ(s.added_workers[1].mean, 9.5);
    EXPECT_DOUBLE_EQ(s.added_workers[1].p05, 8.15);
    EXPECT_DOUBLE_EQ(s.added_workers[3].mean, 10);
    EXPECT_DOUBLE_EQ(s.added_points[2].mean, 16);
    EXPECT_DOUBLE_EQ(s.added_worker_months.mean, 35.5);
    EXPECT_DOUBLE_EQ(s.added_worker_months.p05, 33.25);
    EXPECT_EQ(s.peak_effect_month, 2u);
    ASSERT_TRUE(s.funding_end_month.has_value());
    EXPECT_EQ(*s.funding_end_month, 3u); // members in months 1 and 2: funding ends in month 3
    // 3. Rupiah: Rp200 per replicate.
    ASSERT_EQ(s.spending.size(), 1u);
    EXPECT_EQ(s.spending[0].programme, "apbd");
    EXPECT_EQ(s.spending[0].kind, "apbd_kabkota");
    EXPECT_DOUBLE_EQ(s.spending[0].idr, 200);
    EXPECT_DOUBLE_EQ(s.money_idr.mean, 200);
    EXPECT_DOUBLE_EQ(s.baseline_money_idr, 0);
    // 4. Rp200 over 35.5 added worker-months: 200 × 12 / 35.5 per worker-year; each replicate's
    // own cost bounds the interval (2400/38 and 2400/33).
    ASSERT_TRUE(s.cost_per_added_worker_year_idr.has_value());
    EXPECT_DOUBLE_EQ(s.cost_per_added_worker_year_idr->mean, 200 / (35.5 / 12));
    EXPECT_GT(s.cost_per_added_worker_year_idr->p05, 2400.0 / 38 - 1e-9);
    EXPECT_LT(s.cost_per_added_worker_year_idr->p95, 2400.0 / 33 + 1e-9);
    // 5. Both replicates reach 25% in the third month.
    ASSERT_TRUE(s.goal.has_value());
    EXPECT_EQ(s.goal->measure, "resident_coverage");
    EXPECT_DOUBLE_EQ(s.goal->probability, 1);
    ASSERT_TRUE(s.goal->median_month.has_value());
    EXPECT_EQ(*s.goal->median_month, 2u);
    EXPECT_EQ(s.goal->settling_months, 4u);
    EXPECT_DOUBLE_EQ(s.goal->settles_at, (10 + 21 + 29 + 24.5) / 4);
}

TEST(PlannerSummary, AThresholdNotReachedSaysWhereCoverageSettles) {
    RunTotals run = hand_made_run();
    run.ulc = UlcDefinition{0.29, CoverageMeasure::resident_coverage};
    const PlannerSummary s = planner_summary(run, nullptr, BaselineSource::not_given);
    ASSERT_TRUE(s.goal.has_value());
    // Replicate 0 reaches 29% (30 of 100) in the third month, replicate 1 never (28 at most).
    EXPECT_DOUBLE_EQ(s.goal->probability, 0.5);
    ASSERT_TRUE(s.goal->median_month.has_value());
    EXPECT_EQ(*s.goal->median_month, 2u);
    run.ulc->threshold = 0.5;
    const PlannerSummary never = planner_summary(run, nullptr, BaselineSource::not_given);
    EXPECT_DOUBLE_EQ(never.goal->probability, 0);
    EXPECT_FALSE(never.goal->median_month.has_value());
    EXPECT_NEAR(never.goal->settles_at, 21.125, 1e-12);
    // No baseline: nothing added and no cost per worker.
    EXPECT_EQ(never.baseline, BaselineSource::not_given);
    EXPECT_TRUE(never.added_workers.empty());
    EXPECT_FALSE(never.cost_per_added_worker_year_idr.has_value());
}

TEST(PlannerSummary, DifferentSeedsAreComparedByTheirMeansWithoutAnInterval) {
    const RunTotals run = hand_made_run();
    RunTotals base = hand_made_baseline();
    base.seed = 8;
    const PlannerSummary s = planner_summary(run, &base, BaselineSource::given);
    EXPECT_FALSE(s.paired);
    EXPECT_DOUBLE_EQ(s.added_workers[1].mean, 21 - 11.5);
    EXPECT_TRUE(std::isnan(s.added_workers[1].p05));
    EXPECT_DOUBLE_EQ(s.added_worker_months.mean, 35.5);
    EXPECT_DOUBLE_EQ(s.cost_per_added_worker_year_idr->mean, 200 / (35.5 / 12));
    EXPECT_TRUE(std::isnan(s.cost_per_added_worker_year_idr->p95));
}

TEST(PlannerSummary, ABaselineOverOtherMonthsIsRefused) {
    const RunTotals run = hand_made_run();
    RunTotals base = hand_made_baseline();
    base.months[0] = "2024-12";
    EXPECT_THROW(planner_summary(run, &base, BaselineSource::given), std::invalid_argument);
}

/// Kota Magelang 2025 for ten months (its programme from the seventh), kept replicate by
/// replicate, as `ulcsim run` writes it.
fs::path run_file(const test::ScratchDir& dir, const std::vector<std::string>& settings) {
    const Scenario s = load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", settings);
    const fs::path file = dir.path() / "km.h5";
    RunFileWriter writer(file, s, run_info_of(s, 2, true), nullptr);
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        writer.write_replicate(r, series);
    };
    ExecutionContext context;
    context.threads = 2;
    run_ensemble(RunPlan::replicates_of(s), context, options);
    write_summary(writer, s, static_cast<std::size_t>(s.run.replicates));
    writer.commit();
    return file;
}

TEST(PlannerSummary, ARunAgainstItsSimulatedBaselineKeepsTheAccountingIdentities) {
    const test::ScratchDir dir;
    const std::vector<std::string> settings{"run.months=10", "run.replicates=4", "run.seed=99"};
    const fs::path file = run_file(dir, settings);
    const RunTotals run = read_run_totals(file);
    EXPECT_EQ(run.area.level, "kabkota");
    EXPECT_EQ(run.area.name, "Kota Magelang");
    ASSERT_EQ(run.covered.size(), 4u);
    ASSERT_EQ(run.programmes.size(), 1u);
    EXPECT_EQ(run.programme_kinds[0], "apbd_kabkota");
    ASSERT_TRUE(run.ulc.has_value());

    // Simulating the stored scenario again gives the file's numbers exactly: the baseline the
    // report simulates draws the same random numbers as the run.
    ExecutionContext context;
    context.threads = 2;
    const Scenario again = load_scenario_text(run.scenario_toml, "stored");
    const RunTotals replay = simulate_run_totals(again, context);
    EXPECT_EQ(replay.covered, run.covered);
    EXPECT_EQ(replay.spent_idr, run.spent_idr);

    const BaselinePlan plan = baseline_of(run);
    ASSERT_TRUE(plan.scenario.has_value()) << plan.why_not;
    EXPECT_TRUE(plan.scenario->programmes.empty());
    const RunTotals base = simulate_run_totals(*plan.scenario, context);
    // Before the programme's first month (2024-07) the two runs are the same workers.
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t m = 0; m < 6; ++m)
            EXPECT_EQ(base.covered[r][m], run.covered[r][m]) << r << " " << m;

    const PlannerSummary s = planner_summary(run, &base, BaselineSource::simulated);
    ASSERT_TRUE(s.paired);
    double worker_months = 0, spent = 0;
    for (const SummaryInterval& added : s.added_workers)
        worker_months += added.mean;
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t m = 0; m < run.months.size(); ++m)
            spent +=
                run.spent_idr[r][0][m] + run.policy_cost_idr[r][m] - base.policy_cost_idr[r][m];
    spent /= 4;
    EXPECT_NEAR(s.added_worker_months.mean, worker_months, 1e-9 * worker_months);
    EXPECT_GT(s.added_worker_months.mean, 0);
    EXPECT_DOUBLE_EQ(s.added_workers[0].mean, 0);
    EXPECT_GT(s.spending[0].idr, 0);
    ASSERT_TRUE(s.cost_per_added_worker_year_idr.has_value());
    // The cost per added covered worker-year: spending ÷ added worker-months × 12.
    EXPECT_NEAR(s.cost_per_added_worker_year_idr->mean, spent / s.added_worker_months.mean * 12,
                1e-9 * s.cost_per_added_worker_year_idr->mean);
    EXPECT_LE(s.cost_per_added_worker_year_idr->p05, s.cost_per_added_worker_year_idr->p95);
    EXPECT_FALSE(s.funding_end_month.has_value()); // funded to the end of the run
    ASSERT_TRUE(s.goal.has_value());
    EXPECT_GE(s.goal->settles_at, 0);
}

TEST(PlannerSummary, ABaselineThatCannotBeMadeSaysWhy) {
    RunTotals run = hand_made_run();
    // No programmes: nothing to compare against, and no reason to give.
    RunTotals plain = hand_made_baseline();
    const BaselinePlan none = baseline_of(plain);
    EXPECT_FALSE(none.scenario.has_value());
    EXPECT_EQ(none.why_not, "");
    run.scenario_toml = "";
    EXPECT_EQ(baseline_of(run).why_not, "the run file does not hold its scenario");
    // A stored scenario that names files cannot be read back from its text.
    run.file = "km.h5";
    run.scenario_toml = "[run]\nname = \"x\"\nstart = \"2025-01\"\nmonths = 4\n"
                        "[regions]\ninclude = [\"33.71\"]\ndata_dir = \"my-data\"\n";
    const BaselinePlan named = baseline_of(run);
    EXPECT_FALSE(named.scenario.has_value());
    EXPECT_EQ(named.why_not.rfind("its stored scenario cannot be run again here (km.h5", 0), 0u)
        << named.why_not;
    EXPECT_NE(named.why_not.find("data_dir"), std::string::npos) << named.why_not;
    run.from_checkpoint = "earlier.h5";
    EXPECT_EQ(baseline_of(run).why_not,
              "the run continues from a checkpoint (earlier.h5), which the report cannot replay");
}

TEST(PlannerSummary, ACompareResultGivesTheNumbersCompareItselfReports) {
    // 2025 funds the programme through 2025 where 2024 stops in 2024-12: over 18 months the
    // later scenario adds workers, and the summary must say what `compare` says.
    const test::ScratchDir dir;
    const fs::path file = dir.path() / "compare.h5";
    const test::ProcessResult made =
        test::run_program({"compare", (test::scenarios_dir() / "kota-magelang-2024.toml").string(),
                           (test::scenarios_dir() / "kota-magelang-2025.toml").string(), "-o",
                           file.string(), "--replicates", "3", "--months", "18", "--quiet"});
    ASSERT_EQ(made.status, 0) << made.err;
    const ComparedTotals compared = read_compared_totals(file);
    ASSERT_TRUE(compared.common_random_numbers);
    ASSERT_EQ(compared.scenarios.size(), 2u);
    const PlannerSummary s =
        planner_summary(compared.scenarios[1], &compared.scenarios[0], BaselineSource::compared);
    ASSERT_TRUE(s.paired);
    const ComparisonFile c = read_comparison(RunFileReader(file));
    const auto difference = [&](const std::string& measure) {
        const auto m = static_cast<std::size_t>(
            std::find(c.measures.begin(), c.measures.end(), measure) - c.measures.begin());
        EXPECT_LT(m, c.measures.size()) << measure;
        return c.differences.values[(1 * c.measures.size() + m) * summary_statistic_count];
    };
    EXPECT_GT(s.added_worker_months.mean, 0);
    EXPECT_NEAR(s.added_worker_months.mean, difference("covered_worker_months"),
                1e-9 * s.added_worker_months.mean);
    ASSERT_TRUE(s.cost_per_added_worker_year_idr.has_value());
    EXPECT_NEAR(s.cost_per_added_worker_year_idr->mean,
                difference("cost_per_added_covered_worker_year_idr"),
                1e-9 * s.cost_per_added_worker_year_idr->mean);
    EXPECT_NEAR(s.money_idr.mean - s.baseline_money_idr, difference("money_spent_idr"), 1e-3);
    EXPECT_NEAR(s.added_points.back().mean / 100, difference("coverage_rate_2025-06"), 1e-12);
}

TEST(PlannerSummary, AFileThatIsNotARunIsAnInputError) {
    const test::ScratchDir dir;
    const fs::path text = dir.write("notes.h5", "not HDF5\n");
    try {
        read_run_totals(text);
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(text.string() + ": error: ", 0), 0u) << e.what();
    }
}

} // namespace
} // namespace ulcsim
