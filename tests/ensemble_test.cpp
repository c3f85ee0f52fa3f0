// Ensembles: replicates of several scenarios run together give exactly what each replicate
// gives alone, whatever the threads, the number in memory at once or the replicate ranges.

#include "support/test_support.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>
#include <map>
#include <stdexcept>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

using Results = std::map<std::pair<std::size_t, std::uint32_t>, ReplicateSeries>;

Results run(const std::vector<Scenario>& scenarios, std::vector<ReplicateRange> ranges, int threads,
            std::size_t concurrent = 0) {
    std::vector<EnsembleMember> members;
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        members.push_back({&scenarios[i], ranges[i]});
    Results results;
    EnsembleOptions options;
    options.threads = threads;
    options.concurrent_replicates = concurrent;
    options.on_replicate = [&](std::size_t m, std::uint32_t r, ReplicateSeries&& series) {
        EXPECT_TRUE(results.emplace(std::make_pair(m, r), std::move(series)).second)
            << "replicate " << r << " of member " << m << " delivered twice";
    };
    run_ensemble(members, options);
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
    std::vector<EnsembleMember> members{{&scenarios[0], {0, 2}}, {&scenarios[1], {0, 1}}};
    EnsembleProgress last;
    int calls = 0;
    EnsembleOptions options;
    options.threads = 2;
    options.on_progress = [&](const EnsembleProgress& p) {
        EXPECT_GE(p.agent_months_done, last.agent_months_done);
        EXPECT_LE(p.agent_months_done, p.agent_months_total);
        last = p;
        ++calls;
    };
    run_ensemble(members, options);
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
    std::vector<EnsembleMember> members{{&scenarios[0], {0, 8}}};
    int delivered = 0;
    EnsembleOptions options;
    options.threads = 2;
    options.on_replicate = [&](std::size_t, std::uint32_t, ReplicateSeries&&) {
        ++delivered;
        throw std::runtime_error("disk full");
    };
    EXPECT_THROW(
        {
            try {
                run_ensemble(members, options);
            } catch (const std::runtime_error& e) {
                EXPECT_STREQ(e.what(), "disk full");
                throw;
            }
        },
        std::runtime_error);
    EXPECT_EQ(delivered, 1) << "no replicate is delivered after a failure";

    int months = 0;
    EnsembleOptions stop;
    stop.threads = 2;
    stop.on_progress = [&](const EnsembleProgress&) {
        if (++months == 5) throw std::runtime_error("interrupted");
    };
    EXPECT_THROW(run_ensemble(members, stop), std::runtime_error);
    EXPECT_LT(months, 8 * 20) << "the ensemble stopped early";
}

TEST(Ensemble, NothingToRunIsNotAnError) {
    const auto scenarios = test::two_small_scenarios();
    bool called = false;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t, ReplicateSeries&&) { called = true; };
    run_ensemble({{&scenarios[0], {0, 0}}}, options);
    run_ensemble({}, options);
    EXPECT_FALSE(called);
    EXPECT_THROW(run_ensemble({{nullptr, {0, 1}}}, options), std::invalid_argument);
}
