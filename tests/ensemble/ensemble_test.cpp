// Ensembles: replicates of several scenarios run together give exactly what each replicate
// gives alone, whatever the threads, the number in memory at once or the replicate ranges.

#include "support/test_support.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/simulation.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <map>
#include <stdexcept>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

using Results = std::map<std::pair<std::size_t, std::uint32_t>, ReplicateSeries>;

Results run(const std::vector<Scenario>& scenarios, std::vector<ReplicateRange> ranges, int threads,
            std::size_t concurrent = 0) {
    RunPlan plan;
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        plan.add(scenarios[i], ranges[i]);
    Results results;
    ExecutionContext context;
    context.threads = threads;
    context.replicates_at_once = concurrent;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t m, std::uint32_t r, ReplicateSeries&& series) {
        EXPECT_TRUE(results.emplace(std::make_pair(m, r), std::move(series)).second)
            << "replicate " << r << " of member " << m << " delivered twice";
    };
    run_ensemble(plan, context, options);
    return results;
}

} // namespace

TEST(Ensemble, EqualsSequentialReplicatesBitForBitAtAnyThreadCount) {
    const auto scenarios = test::two_small_scenarios();
    Results sequential;
    tbb::task_arena one(1);
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        for (std::uint32_t r = 0; r < 3; ++r)
            one.execute([&] { sequential[{i, r}] = simulate_replicate(scenarios[i], r); });
    for (const int threads : {1, 2, 4}) {
        for (const std::size_t concurrent : {std::size_t{0}, std::size_t{1}}) {
            const Results parallel = run(scenarios, {{0, 3}, {0, 3}}, threads, concurrent);
            ASSERT_EQ(parallel.size(), sequential.size());
            for (const auto& [key, series] : sequential) {
                EXPECT_EQ(parallel.at(key).series, series.series)
                    << threads << " threads, member " << key.first << " replicate " << key.second;
                EXPECT_EQ(parallel.at(key).programme_series, series.programme_series);
            }
        }
    }
}

TEST(Ensemble, ReplicateRangesSplitWithoutChangingAnyReplicate) {
    // What a distributed run relies on: replicates 2..4 on their own are replicates 2..4 of
    // the whole range.
    const auto scenarios = test::two_small_scenarios();
    const Results whole = run(scenarios, {{0, 5}, {0, 2}}, 2);
    const Results part = run(scenarios, {{2, 3}, {1, 1}}, 2);
    ASSERT_EQ(part.size(), 4u);
    for (const auto& [key, series] : part)
        EXPECT_EQ(series.series, whole.at(key).series) << key.first << " " << key.second;
    EXPECT_EQ(part.count({0, 0}), 0u);
    EXPECT_EQ(part.count({0, 4}), 1u);
}

TEST(Ensemble, ProgressCountsEveryAgentMonthAndReplicate) {
    const auto scenarios = test::two_small_scenarios();
    RunPlan plan;
    plan.add(scenarios[0], {0, 2});
    plan.add(scenarios[1], {0, 1});
    EnsembleProgress last;
    int calls = 0;
    ExecutionContext context;
    context.threads = 2;
    context.on_progress = [&](const EnsembleProgress& p) {
        EXPECT_GE(p.agent_months_done, last.agent_months_done);
        EXPECT_LE(p.agent_months_done, p.agent_months_total);
        last = p;
        ++calls;
    };
    run_ensemble(plan, context);
    EXPECT_EQ(plan.agent_months(), last.agent_months_total);
    const std::int64_t total =
        2 * 20 * starting_agents(scenarios[0]) + 20 * starting_agents(scenarios[1]);
    EXPECT_EQ(last.agent_months_total, total);
    EXPECT_EQ(last.agent_months_done, total);
    EXPECT_EQ(last.replicates_done, 3u);
    EXPECT_EQ(last.replicates_total, 3u);
    EXPECT_GE(calls, 3);
}

TEST(Ensemble, AFailingCallbackStopsTheEnsembleAndIsRethrown) {
    const auto scenarios = test::two_small_scenarios();
    const RunPlan plan = [&] {
        RunPlan p;
        p.add(scenarios[0], {0, 8});
        return p;
    }();
    int delivered = 0;
    ExecutionContext context;
    context.threads = 2;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t, ReplicateSeries&&) {
        ++delivered;
        throw std::runtime_error("disk full");
    };
    EXPECT_THROW(
        {
            try {
                run_ensemble(plan, context, options);
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(), "disk full");
                throw;
            }
        },
        std::runtime_error);
    EXPECT_EQ(delivered, 1) << "no replicate is delivered after a failure";

    int months = 0;
    ExecutionContext stop = context;
    stop.on_progress = [&](const EnsembleProgress&) {
        if (++months == 5) throw std::runtime_error("interrupted");
    };
    EXPECT_THROW(run_ensemble(plan, stop), std::runtime_error);
    EXPECT_LT(months, 8 * 20) << "the ensemble stopped early";
}

TEST(Ensemble, TheStopFlagStopsBetweenMonthsWithoutDeliveringMore) {
    const auto scenarios = test::two_small_scenarios();
    RunPlan plan;
    plan.add(scenarios[0], {0, 8});
    std::atomic<bool> stop{false};
    int months = 0, delivered = 0;
    ExecutionContext context;
    context.threads = 2;
    context.stop = &stop;
    // A signal handler sets the flag; here the progress callback does, after 5 months.
    context.on_progress = [&](const EnsembleProgress&) {
        if (++months == 5) stop = true;
    };
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t, ReplicateSeries&&) { ++delivered; };
    EXPECT_THROW(run_ensemble(plan, context, options), Stopped);
    EXPECT_LT(months, 8 * 20) << "the ensemble stopped early";
    EXPECT_LT(delivered, 8);
}

TEST(RunPlan, CountsReplicatesAndAgentMonthsOverItsEntries) {
    const auto scenarios = test::two_small_scenarios();
    RunPlan plan = RunPlan::replicates_of(scenarios[0]);
    const auto r0 = static_cast<std::uint32_t>(scenarios[0].run.replicates);
    EXPECT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].replicates.first, 0u);
    EXPECT_EQ(plan[0].replicates.count, r0);
    EXPECT_EQ(plan.add(scenarios[1], {3, 2}), 1u);
    EXPECT_EQ(plan.replicates(), r0 + 2);
    EXPECT_EQ(plan.agent_months(), starting_agents(scenarios[0]) * scenarios[0].run.months * r0 +
                                       starting_agents(scenarios[1]) * scenarios[1].run.months * 2);
    EXPECT_EQ(&plan.scenario(1), plan[1].scenario.get());
    EXPECT_THROW(plan.add(std::shared_ptr<const Scenario>(), {0, 1}), std::invalid_argument);
}

TEST(Ensemble, NothingToRunIsNotAnError) {
    const auto scenarios = test::two_small_scenarios();
    bool called = false;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t, ReplicateSeries&&) { called = true; };
    RunPlan none;
    none.add(scenarios[0], {0, 0});
    run_ensemble(none, {}, options);
    run_ensemble(RunPlan{}, {}, options);
    EXPECT_FALSE(called);
}

TEST(RunPlan, AnEntrysSeedIsTheSeedItsReplicatesRunOn) {
    const Scenario s = test::two_small_scenarios()[0];
    // A seed above 2^63, which no scenario file can hold.
    const std::uint64_t seed = 0x9E3779B97F4A7C15ull;
    RunPlan plan;
    plan.add(s, {0, 2}, seed);
    plan.add(s, {0, 2});
    Results results;
    ExecutionContext context;
    context.threads = 2;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t m, std::uint32_t r, ReplicateSeries&& series) {
        results.emplace(std::make_pair(m, r), std::move(series));
    };
    run_ensemble(plan, context, options);
    SimulationOptions on_seed;
    on_seed.seed = seed;
    for (std::uint32_t r = 0; r < 2; ++r) {
        EXPECT_EQ(results.at({0, r}).series, simulate_replicate(s, r, on_seed).series);
        EXPECT_EQ(results.at({1, r}).series, simulate_replicate(s, r).series);
        EXPECT_NE(results.at({0, r}).series, results.at({1, r}).series);
    }
}
