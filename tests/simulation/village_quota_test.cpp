// A programme's cap per village (Dana Desa paid out of each desa's own allocation): no desa
// ever holds more members than its cap, a cap no village can reach changes nothing (bit for
// bit), a cap that binds lowers the programme's members, and the allocation is the same for
// any number of threads and for a replicate split by region over several ranks.

#include "support/test_support.hpp"
#include "support/thread_cluster.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>
#include <map>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

// Kota Sawahlunto: 27 desa and 10 kelurahan, about 36,100 workers at scale 1. The quota of
// 3,000 is filled in the first month without a cap (about 16,500 informal and vulnerable
// workers live in the desa), about 110 members a desa.
constexpr const char* sawahlunto = R"(
[run]
start = "2024-01"
months = 12
seed = 5

[regions]
include = ["13.73"]

[[programme]]
name = "dana-desa"
kind = "dana_desa"
villages = "desa"
quota_workers = 3_000

[programme.eligibility]
segments = ["informal", "vulnerable"]

[[programme.window]]
start = "2024-02"
end = "2024-12"
)";

Scenario scenario(const std::vector<std::string>& overrides = {}, const char* text = sawahlunto) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", text), overrides);
}

const std::string cap_40 = "programme.dana-desa.quota_per_village=40";
constexpr std::uint16_t sawahlunto_desa = 27;

ReplicateSeries run_in_arena(const Scenario& s, std::uint32_t replicate, int threads) {
    tbb::task_arena arena(threads);
    ReplicateSeries out;
    arena.execute([&] { out = simulate_replicate(s, replicate); });
    return out;
}

double members(const ReplicateSeries& r, std::size_t t) {
    return r.at(ProgrammeMetric::members, t, 0);
}

} // namespace

TEST(VillageQuota, NoDesaHoldsMoreMembersThanItsCapInAnyMonth) {
    const Scenario s = scenario({cap_40});
    ReplicateSimulation sim(s, 0);
    std::size_t villages_at_cap = 0;
    while (sim.months_done() < s.run.months) {
        sim.step();
        const Population& pop = sim.population();
        const RegionSlots r = pop.region_slots[0];
        std::map<std::uint16_t, int> by_village;
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
            if (pop.payer[a] == static_cast<std::uint8_t>(Payer::programme_base))
                ++by_village[pop.village[a]];
        for (const auto& [village, n] : by_village) {
            ASSERT_LE(n, 40) << "village " << village << " after month " << sim.months_done();
            ASSERT_LT(village, sawahlunto_desa) << "a kelurahan member of a desa programme";
        }
        if (sim.months_done() == s.run.months)
            for (const auto& [village, n] : by_village)
                villages_at_cap += n == 40 ? 1 : 0;
    }
    // The cap binds: about 110 members a desa want in, so every desa fills to its cap.
    EXPECT_GE(villages_at_cap, 25u);
}

TEST(VillageQuota, ACapNoVillageReachesChangesNothing) {
    const ReplicateSeries without = run_in_arena(scenario(), 1, 2);
    const ReplicateSeries with =
        run_in_arena(scenario({"programme.dana-desa.quota_per_village=1000000"}), 1, 2);
    EXPECT_GT(members(without, 6), 2'900) << "the programme must have members to compare";
    EXPECT_TRUE(with.series == without.series);
    EXPECT_TRUE(with.programme_series == without.programme_series);
}

TEST(VillageQuota, ABindingCapLowersTheMembersToTheVillagesCaps) {
    const ReplicateSeries without = run_in_arena(scenario(), 2, 2);
    const ReplicateSeries with = run_in_arena(scenario({cap_40}), 2, 2);
    for (std::size_t t = 1; t < with.months; ++t) {
        SCOPED_TRACE("month " + std::to_string(t));
        EXPECT_LE(members(with, t), 40.0 * sawahlunto_desa);
        // Leavers are replaced in the month they leave while each desa has candidates.
        EXPECT_GE(members(with, t), 40.0 * sawahlunto_desa - 10);
        EXPECT_GT(members(without, t), 2'900.0);
    }
    // Nothing but the programme's allocation differs before the window opens.
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t g = 0; g < segment_count; ++g)
            EXPECT_EQ(with.at(static_cast<SeriesMetric>(m), 0, 0, static_cast<Segment>(g)),
                      without.at(static_cast<SeriesMetric>(m), 0, 0, static_cast<Segment>(g)));
}

TEST(VillageQuota, TheSameForAnyNumberOfThreads) {
    const Scenario s = scenario({cap_40});
    const ReplicateSeries one = run_in_arena(s, 3, 1);
    for (int threads : {2, 4}) {
        const ReplicateSeries more = run_in_arena(s, 3, threads);
        EXPECT_TRUE(more.series == one.series) << threads << " threads";
        EXPECT_TRUE(more.programme_series == one.programme_series) << threads << " threads";
    }
}

// Kota Solok (13 kelurahan), Sawahlunto and Padang Panjang (16 kelurahan), a region a rank:
// the candidates of one programme come from every rank's villages.
constexpr const char* three_kota = R"(
[run]
start = "2024-01"
months = 8
seed = 9

[regions]
include = ["13.72", "13.73", "13.74"]

[[programme]]
name = "villages"
kind = "other"
quota_workers = 20_000
quota_per_village = 60

[programme.eligibility]
segments = ["informal", "vulnerable"]

[[programme.window]]
start = "2024-02"
end = "2024-08"
)";

TEST(VillageQuota, AReplicateSplitByRegionTakesTheSameWorkers) {
    const Scenario s = scenario({}, three_kota);
    const ReplicateSeries one = run_in_arena(s, 4, 2);
    // 13 + 37 + 16 villages at 60 each: the caps, not the quota, bound the members.
    EXPECT_LE(one.at(ProgrammeMetric::members, 7, 0), 60.0 * 66);
    EXPECT_GE(one.at(ProgrammeMetric::members, 7, 0), 60.0 * 66 - 20);
    for (int ranks = 2; ranks <= 3; ++ranks) {
        std::vector<ReplicateSeries> out(static_cast<std::size_t>(ranks));
        const std::vector<int> region_ranks = share_regions(s, ranks);
        test::on_every_rank(ranks, 1, [&](int r, Cluster& cluster) {
            SimulationOptions options;
            options.cluster = &cluster;
            options.region_ranks = region_ranks;
            out[static_cast<std::size_t>(r)] = simulate_replicate(s, 4, options);
        });
        for (const ReplicateSeries& rank : out) {
            EXPECT_TRUE(rank.series == one.series) << ranks << " ranks";
            EXPECT_TRUE(rank.programme_series == one.programme_series) << ranks << " ranks";
        }
    }
}
