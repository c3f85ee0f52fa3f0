// Ensembles shared by the ranks of a cluster (ranks run as threads here, see
// support/thread_cluster.hpp; tests/mpi/ runs the program under mpirun): whether replicates
// or regions are split, the replicates delivered are bit for bit those of one process, each
// exactly once, on rank 0 or on every rank as asked; checkpoint states travel to rank 0; ranks
// given different ensembles, and checkpoints of replicates split by region, are refused.

#include "support/test_support.hpp"
#include "support/thread_cluster.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

using Key = std::pair<std::size_t, std::uint32_t>;
using Results = std::map<Key, ReplicateSeries>;

RunPlan plan_of(const std::vector<Scenario>& scenarios, std::uint32_t replicates) {
    RunPlan plan;
    for (const Scenario& s : scenarios)
        plan.add(s, {0, replicates});
    return plan;
}

/// The context of one rank of `ranks`, for the questions that only count ranks.
struct RanksOnly final : Cluster {
    explicit RanksOnly(int n) : n_(n) {}
    int rank() const override { return 0; }
    int size() const override { return n_; }
    void sum(std::span<std::int64_t>) override { unused(); }
    void sum(std::span<double>) override { unused(); }
    std::vector<std::uint64_t> gather_all(std::span<const std::uint64_t>) override { unused(); }
    void broadcast(std::vector<std::byte>&, int) override { unused(); }
    void send(int, std::span<const std::byte>) override { unused(); }
    bool try_receive(std::vector<std::byte>&, int&) override { unused(); }

private:
    [[noreturn]] static void unused() { throw std::logic_error("RanksOnly only counts ranks"); }
    int n_;
};

Results alone(const std::vector<Scenario>& scenarios, std::uint32_t replicates) {
    Results out;
    tbb::task_arena one(1);
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        for (std::uint32_t r = 0; r < replicates; ++r)
            one.execute([&] { out[{i, r}] = simulate_replicate(scenarios[i], r); });
    return out;
}

/// What each rank's on_replicate received when every rank runs the ensemble.
std::vector<Results> shared(const std::vector<Scenario>& scenarios, std::uint32_t replicates,
                            int ranks, EnsembleOptions options,
                            Distribution distribution = Distribution::automatic) {
    std::vector<Results> received(static_cast<std::size_t>(ranks));
    const RunPlan plan = plan_of(scenarios, replicates);
    test::on_every_rank(ranks, 1, [&](int rank, Cluster& cluster) {
        EnsembleOptions mine = options;
        ExecutionContext context;
        context.cluster = &cluster;
        context.threads = 1;
        context.distribution = distribution;
        Results& got = received[static_cast<std::size_t>(rank)];
        mine.on_replicate = [&](std::size_t m, std::uint32_t r, ReplicateSeries&& series) {
            EXPECT_TRUE(got.emplace(Key{m, r}, std::move(series)).second)
                << "rank " << rank << ": replicate " << r << " of member " << m << " twice";
        };
        run_ensemble(plan, context, mine);
    });
    return received;
}

void expect_same(const Results& expected, const Results& got, const std::string& where) {
    ASSERT_EQ(got.size(), expected.size()) << where;
    for (const auto& [key, series] : expected) {
        ASSERT_TRUE(got.count(key))
            << where << ": member " << key.first << " replicate " << key.second << " missing";
        EXPECT_EQ(got.at(key).series, series.series)
            << where << ": member " << key.first << " replicate " << key.second;
        EXPECT_EQ(got.at(key).programme_series, series.programme_series)
            << where << ": member " << key.first << " replicate " << key.second;
    }
}

} // namespace

TEST(ClusterEnsemble, RanksShareTheReplicatesAndRankZeroReceivesEveryOneOnce) {
    const auto scenarios = test::two_small_scenarios();
    const Results expected = alone(scenarios, 3);
    EnsembleOptions options;
    options.results_on = ResultsOn::rank_zero;
    for (const int ranks : {2, 3, 4}) {
        RanksOnly counted(ranks);
        ExecutionContext context;
        context.cluster = &counted;
        ASSERT_FALSE(splits_regions(plan_of(scenarios, 3), options, context));
        const std::vector<Results> got = shared(scenarios, 3, ranks, options);
        expect_same(expected, got[0], std::to_string(ranks) + " ranks, rank 0");
        for (int r = 1; r < ranks; ++r)
            EXPECT_TRUE(got[static_cast<std::size_t>(r)].empty()) << "rank " << r;
    }
}

TEST(ClusterEnsemble, EveryRankReceivesEveryReplicateWhenItDecidesFromThem) {
    const auto scenarios = test::two_small_scenarios();
    const Results expected = alone(scenarios, 3);
    EnsembleOptions options; // results on every rank, the default
    const std::vector<Results> got = shared(scenarios, 3, 4, options);
    for (int r = 0; r < 4; ++r)
        expect_same(expected, got[static_cast<std::size_t>(r)], "rank " + std::to_string(r));
}

TEST(ClusterEnsemble, FewerReplicatesThanRanksSplitTheRegionsOfEach) {
    std::vector<Scenario> jt;
    jt.push_back(load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                               {"population.scale=400", "run.months=20"}));
    const Results expected = alone(jt, 2);
    EnsembleOptions options;
    options.results_on = ResultsOn::rank_zero;
    RanksOnly three(3), two(2);
    ExecutionContext on_three, on_two;
    on_three.cluster = &three;
    on_two.cluster = &two;
    EXPECT_TRUE(splits_regions(plan_of(jt, 2), options, on_three));
    EXPECT_FALSE(splits_regions(plan_of(jt, 2), options, on_two));
    EXPECT_LT(largest_agent_share(plan_of(jt, 2), options, on_three), 1.0);
    EXPECT_EQ(largest_agent_share(plan_of(jt, 2), options, on_two), 1.0);
    std::vector<Results> got = shared(jt, 2, 3, options);
    expect_same(expected, got[0], "automatic, 3 ranks, rank 0");
    EXPECT_TRUE(got[1].empty() && got[2].empty());

    // Forced, with as many replicates as ranks; and on every rank.
    options.results_on = ResultsOn::every_rank;
    on_two.distribution = Distribution::regions;
    EXPECT_TRUE(splits_regions(plan_of(jt, 2), options, on_two));
    got = shared(jt, 2, 2, options, Distribution::regions);
    expect_same(expected, got[0], "regions, 2 ranks, rank 0");
    expect_same(expected, got[1], "regions, 2 ranks, rank 1");
}

TEST(ClusterEnsemble, CheckpointStatesTravelToRankZero) {
    const auto scenarios = test::two_small_scenarios();
    const RunPlan plan = plan_of(scenarios, 2);
    const auto states_of = [&](Cluster* cluster, int rank) {
        std::map<Key, ReplicateState> states;
        ExecutionContext context;
        context.threads = 1;
        context.cluster = cluster;
        EnsembleOptions options;
        options.results_on = ResultsOn::rank_zero;
        options.checkpoint_after_months = 7;
        options.on_checkpoint = [&](std::size_t m, std::uint32_t r, ReplicateState&& state) {
            EXPECT_TRUE(states.emplace(Key{m, r}, std::move(state)).second);
        };
        run_ensemble(plan, context, options);
        if (rank != 0) {
            EXPECT_TRUE(states.empty()) << "rank " << rank;
        }
        return states;
    };
    const std::map<Key, ReplicateState> expected = states_of(nullptr, 0);
    ASSERT_EQ(expected.size(), 4u);
    std::map<Key, ReplicateState> got;
    test::on_every_rank(3, 1, [&](int rank, Cluster& cluster) {
        auto states = states_of(&cluster, rank);
        if (rank == 0) got = std::move(states);
    });
    ASSERT_EQ(got.size(), expected.size());
    for (const auto& [key, e] : expected) {
        const ReplicateState& g = got.at(key);
        const std::string where =
            "member " + std::to_string(key.first) + " replicate " + std::to_string(key.second);
        EXPECT_EQ(g.replicate, e.replicate) << where;
        EXPECT_EQ(g.month.index(), e.month.index()) << where;
        EXPECT_EQ(g.region_codes, e.region_codes) << where;
        EXPECT_EQ(g.programme_names, e.programme_names) << where;
        EXPECT_EQ(g.labour_force, e.labour_force) << where;
        EXPECT_EQ(g.village_covered, e.village_covered) << where;
        EXPECT_EQ(g.programme_members, e.programme_members) << where;
        EXPECT_EQ(g.committed_idr, e.committed_idr) << where;
        ASSERT_EQ(g.population.region_slots.size(), e.population.region_slots.size()) << where;
        for (std::size_t k = 0; k < e.population.region_slots.size(); ++k) {
            const RegionSlots& slots = e.population.region_slots[k];
            EXPECT_EQ(g.population.region_slots[k].used, slots.used) << where;
            for (std::uint32_t a = slots.first; a < slots.first + slots.used; ++a) {
                ASSERT_EQ(g.population.traits[a], e.population.traits[a]) << where << " slot " << a;
                ASSERT_EQ(g.population.payer[a], e.population.payer[a]) << where << " slot " << a;
                ASSERT_EQ(g.population.paid_until[a], e.population.paid_until[a])
                    << where << " slot " << a;
                ASSERT_EQ(g.population.awareness[a], e.population.awareness[a])
                    << where << " slot " << a;
            }
        }
    }
}

TEST(ClusterEnsemble, RanksGivenDifferentEnsemblesAreRefusedOnEveryRank) {
    const auto scenarios = test::two_small_scenarios();
    auto reseeded = scenarios;
    reseeded[1].run.seed += 1;
    int refused = 0;
    std::mutex count;
    test::on_every_rank(3, 1, [&](int rank, Cluster& cluster) {
        ExecutionContext context;
        context.cluster = &cluster;
        context.threads = 1;
        const RunPlan plan = plan_of(rank == 2 ? reseeded : scenarios, 2);
        try {
            run_ensemble(plan, context);
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("rank 2 was given another ensemble than rank 0"),
                      std::string::npos)
                << e.what();
            std::lock_guard lock(count);
            ++refused;
        }
    });
    EXPECT_EQ(refused, 3);
}

TEST(ClusterEnsemble, CheckpointsOfReplicatesSplitByRegionAreRefused) {
    const auto scenarios = test::two_small_scenarios();
    int refused = 0;
    std::mutex count;
    test::on_every_rank(2, 1, [&](int, Cluster& cluster) {
        ExecutionContext context;
        context.cluster = &cluster;
        context.distribution = Distribution::regions;
        EnsembleOptions options;
        options.results_on = ResultsOn::rank_zero;
        options.checkpoint_after_months = 5;
        options.on_checkpoint = [](std::size_t, std::uint32_t, ReplicateState&&) {};
        try {
            run_ensemble(plan_of(scenarios, 1), context, options);
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("checkpoints need whole replicates"),
                      std::string::npos)
                << e.what();
            std::lock_guard lock(count);
            ++refused;
        }
    });
    EXPECT_EQ(refused, 2);
}
