// One replicate split by region across the ranks of a cluster (ranks run as threads here, see
// support/thread_cluster.hpp): every rank's series are the whole replicate's, bit for bit
// those of one process, for 1 to 4 ranks, with ranks that own no region, programmes whose
// candidates come from several ranks' regions, renewal that cannot take every member,
// and employers registering workers in another rank's region. Also: share_regions, and that
// a rank's population holds, and touches, only its own regions.

#include "support/test_support.hpp"
#include "support/thread_cluster.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <exception>
#include <gtest/gtest.h>
#include <malloc.h>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/mman.h>
#include <tbb/task_arena.h>
#include <thread>
#include <unistd.h>

using namespace ulcsim;

namespace {

ReplicateSeries run_in_arena(const Scenario& s, std::uint32_t replicate, int threads) {
    tbb::task_arena arena(threads);
    ReplicateSeries out;
    arena.execute([&] { out = simulate_replicate(s, replicate); });
    return out;
}

/// Every rank's take_series() of replicate `replicate` split as `region_ranks` says.
std::vector<ReplicateSeries> run_split(const Scenario& s, std::uint32_t replicate, int ranks,
                                       int threads, std::vector<int> region_ranks = {}) {
    if (region_ranks.empty()) region_ranks = share_regions(s, ranks);
    std::vector<ReplicateSeries> out(static_cast<std::size_t>(ranks));
    test::on_every_rank(ranks, threads, [&](int r, Cluster& cluster) {
        SimulationOptions options;
        options.cluster = &cluster;
        options.region_ranks = region_ranks;
        out[static_cast<std::size_t>(r)] = simulate_replicate(s, replicate, options);
    });
    return out;
}

/// Where two series first differ, as metric, month, region and segment; "" if they do not.
std::string first_difference(const ReplicateSeries& a, const ReplicateSeries& b) {
    if (a.series.size() != b.series.size() ||
        a.programme_series.size() != b.programme_series.size())
        return "different shapes";
    for (std::size_t i = 0; i < a.series.size(); ++i)
        if (a.series[i] != b.series[i]) {
            const std::size_t g = i % segment_count;
            const std::size_t k = i / segment_count % a.regions;
            const std::size_t t = i / segment_count / a.regions % a.months;
            const std::size_t m = i / a.series_block();
            std::ostringstream out;
            out << series_metric_names[m] << " month " << t << " region " << k << " segment " << g
                << ": " << a.series[i] << " vs " << b.series[i];
            return out.str();
        }
    for (std::size_t i = 0; i < a.programme_series.size(); ++i)
        if (a.programme_series[i] != b.programme_series[i]) {
            const std::size_t j = i % a.programmes;
            const std::size_t t = i / a.programmes % a.months;
            const std::size_t m = i / a.programme_block();
            std::ostringstream out;
            out << "programme " << j << " " << programme_metric_names[m] << " month " << t << ": "
                << a.programme_series[i] << " vs " << b.programme_series[i];
            return out.str();
        }
    return "";
}

/// Exact equality of every rank's series with one process's.
void expect_same_as_one_process(const std::vector<ReplicateSeries>& ranks,
                                const ReplicateSeries& one, const std::string& what) {
    for (std::size_t r = 0; r < ranks.size(); ++r) {
        SCOPED_TRACE(what + ", rank " + std::to_string(r) + " of " + std::to_string(ranks.size()));
        EXPECT_EQ(ranks[r].months, one.months);
        EXPECT_EQ(ranks[r].regions, one.regions);
        EXPECT_EQ(ranks[r].programmes, one.programmes);
        EXPECT_TRUE(ranks[r].series == one.series) << first_difference(ranks[r], one);
        EXPECT_TRUE(ranks[r].programme_series == one.programme_series)
            << first_difference(ranks[r], one);
    }
}

Scenario jawa_tengah(int months) {
    // 2024-01 …: the Kota Magelang window opens in Jul 2024, closes in Dec and renews into
    // 2025; Pati's and Klaten's DBHCHT windows run Jul–Dec 2025; Kendal's sponsors all along.
    return load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                         {"population.scale=200", "run.months=" + std::to_string(months)});
}

/// Jawa Tengah at 1 agent per 200 workers with programmes over many regions, so that
/// candidates for the same places come from several ranks: a province-wide programme that
/// takes the lowest incomes first, with too few places for its candidates and a second window
/// whose quota cannot renew every member; an earlier programme over part of the same regions
/// (its members are passed over by the later one); and a later programme without limits
/// whose members were candidates of the limited ones first.
Scenario province_wide_programmes() {
    return test::load_scenario_text(R"(
[run]
start = "2024-01"
months = 16
seed = 20240901
[regions]
include = ["33"]
[population]
scale = 200
[population.initial_coverage]
formal_employer = 0.6
informal_self = 0.137
vulnerable_self = 0.069
[[commuting]]
from = "33.08"
to = "33.71"
share = 0.2
[[commuting]]
from = "33.74"
to = "33.01"
share = 0.1

[[programme]]
name = "pantura-first"
kind = "apbd_province"
regions = ["33.24", "33.25", "33.26", "33.27", "33.28", "33.29", "33.74", "33.75", "33.76"]
quota_workers = 60_000
outreach_per_month = 30_000
acceptance = 0.8
targeting = "lowest_income_first"
[programme.eligibility]
segments = ["informal", "vulnerable"]
[[programme.window]]
start = "2024-03"
end = "2024-12"

[[programme]]
name = "province-lowest-income"
kind = "apbd_province"
quota_workers = 400_000
outreach_per_month = 150_000
acceptance = 0.7
targeting = "lowest_income_first"
renewal = true
[programme.eligibility]
segments = ["informal", "vulnerable"]
max_income_band = 2
[[programme.window]]
start = "2024-03"
end = "2024-08"
[[programme.window]]
start = "2024-09"
end = "2025-03"
quota_workers = 250_000

[[programme]]
name = "fishers-everyone"
kind = "csr"
acceptance = 0.9
[programme.eligibility]
segments = ["informal", "vulnerable"]
occupations = ["fisher", "farmer"]
max_income_band = 1
[[programme.window]]
start = "2024-04"
end = "2024-10"
)");
}

} // namespace

// ---- share_regions -------------------------------------------------------------------

TEST(ShareRegions, ContiguousBalancedAndEveryRegionAssigned) {
    const Scenario s = jawa_tengah(2);
    const std::size_t regions = s.regions.size();
    ASSERT_EQ(regions, 35u);
    std::vector<double> agents(regions);
    double largest = 0;
    for (std::size_t k = 0; k < regions; ++k) {
        agents[k] = agents_in_region(s, k);
        largest = std::max(largest, agents[k]);
    }
    const double total = std::accumulate(agents.begin(), agents.end(), 0.0);
    for (int ranks = 1; ranks <= 35; ++ranks) {
        SCOPED_TRACE(std::to_string(ranks) + " ranks");
        const std::vector<int> share = share_regions(s, ranks);
        ASSERT_EQ(share.size(), regions);
        EXPECT_EQ(share.front(), 0);
        EXPECT_EQ(share.back(), ranks - 1);
        std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
        for (std::size_t k = 0; k < regions; ++k) {
            if (k > 0) {
                // Contiguous runs in scenario order, and no rank without a region.
                ASSERT_TRUE(share[k] == share[k - 1] || share[k] == share[k - 1] + 1)
                    << "region " << k;
            }
            load[static_cast<std::size_t>(share[k])] += agents[k];
        }
        // Each rank's boundary is the nearest to its share of the agents, so no rank is
        // further from the mean than a region's agents (one on either side at most).
        const double mean = total / ranks;
        for (int r = 0; r < ranks; ++r) {
            EXPECT_GT(load[static_cast<std::size_t>(r)], 0) << "rank " << r;
            EXPECT_LE(load[static_cast<std::size_t>(r)], mean + 2 * largest) << "rank " << r;
        }
        if (ranks <= 4) {
            // Few ranks over 35 regions: within one region of the mean.
            for (int r = 0; r < ranks; ++r)
                EXPECT_NEAR(load[static_cast<std::size_t>(r)], mean, largest) << "rank " << r;
        }
        EXPECT_EQ(share, share_regions(s, ranks)) << "deterministic";
    }
}

TEST(ShareRegions, MoreRanksThanRegionsLeavesTheLastRanksWithout) {
    const Scenario s = jawa_tengah(2);
    const std::vector<int> share = share_regions(s, 40);
    ASSERT_EQ(share.size(), 35u);
    for (std::size_t k = 0; k < share.size(); ++k)
        EXPECT_EQ(share[k], static_cast<int>(k));
    const Scenario one = load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml");
    EXPECT_EQ(share_regions(one, 3), std::vector<int>{0});
    EXPECT_EQ(share_regions(one, 1), std::vector<int>{0});
    EXPECT_THROW(share_regions(one, 0), std::invalid_argument);
    EXPECT_THROW(share_regions(one, -2), std::invalid_argument);
}

// ---- the whole replicate, bit for bit -------------------------------------------------

TEST(RegionSplit, OneRegionOnRankZeroAndNothingOnTheOthers) {
    // Kota Magelang alone: ranks 1 … P − 1 own no region, yet take part in every exchange
    // and return the whole series. 18 months: the APBD window opens in Jul 2024 and renews
    // into Jan 2025.
    const Scenario s =
        load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", {"run.months=18"});
    const ReplicateSeries one = run_in_arena(s, 3, 2);
    double members = 0;
    for (std::size_t t = 0; t < one.months; ++t)
        members = std::max(members, one.at(ProgrammeMetric::members, t, 0));
    ASSERT_GT(members, 1000) << "the APBD programme enrols its workers";
    for (int ranks = 1; ranks <= 4; ++ranks)
        expect_same_as_one_process(run_split(s, 3, ranks, 1 + ranks % 2), one,
                                   "Kota Magelang, " + std::to_string(ranks) + " ranks");
}

TEST(RegionSplit, JawaTengahWithItsProgrammesIsTheSameOnEveryRankCount) {
    // 2024-01 … 2026-02: every programme window of the scenario opens and closes (Kota
    // Magelang's renews), with candidates and members on different ranks.
    const Scenario s = jawa_tengah(26);
    const ReplicateSeries one = run_in_arena(s, 1, 2);
    for (std::size_t j = 0; j < s.programmes.size(); ++j) {
        double members = 0;
        for (std::size_t t = 0; t < one.months; ++t)
            members = std::max(members, one.at(ProgrammeMetric::members, t, j));
        EXPECT_GT(members, 0) << s.programmes[j].name << " never has members";
    }
    for (int ranks = 1; ranks <= 4; ++ranks)
        expect_same_as_one_process(run_split(s, 1, ranks, 1 + ranks % 2), one,
                                   "Jawa Tengah, " + std::to_string(ranks) + " ranks");
}

TEST(RegionSplit, TheWorkforceFollowingTheSeriesIsTheSameOnEveryRankCount) {
    // Entrants fill each region's gap to the employment series from its own rank's count of
    // leavers: the split replicate is the one process's, from 2022 (before the series) on.
    const Scenario s = load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                                     {"population.scale=400", "run.start=2022-02", "run.months=14",
                                      "population.workforce_from=\"bps_employment_by_province\"",
                                      "observation=[]"});
    const ReplicateSeries one = run_in_arena(s, 2, 2);
    EXPECT_GT(one.total(SeriesMetric::labour_force, 13), one.total(SeriesMetric::labour_force, 0));
    for (int ranks = 2; ranks <= 3; ++ranks)
        expect_same_as_one_process(run_split(s, 2, ranks, 1 + ranks % 2), one,
                                   "Jawa Tengah following the series, " + std::to_string(ranks) +
                                       " ranks");
}

TEST(RegionSplit, EmployersRegisteringInAnotherRanksRegion) {
    // Sawahlunto's coverage share rests on workers living in the three neighbours whose
    // employers register them in Sawahlunto: with the regions on different ranks, the
    // participants registered there come from every rank.
    const Scenario s = load_scenario(test::scenarios_dir() / "sawahlunto.toml",
                                     {"population.scale=4", "run.months=14"});
    const ReplicateSeries one = run_in_arena(s, 0, 2);
    for (int ranks = 2; ranks <= 4; ++ranks)
        expect_same_as_one_process(run_split(s, 0, ranks, 2), one,
                                   "Sawahlunto, " + std::to_string(ranks) + " ranks");
}

TEST(RegionSplit, ProgrammesOverRegionsOfSeveralRanksTakeTheSameWorkers) {
    const Scenario s = province_wide_programmes();
    const ReplicateSeries one = run_in_arena(s, 2, 2);

    // The province-wide programme must be limited by its places (more candidates than
    // places), and its members must live in regions of several ranks; renewal into the
    // second window must leave members out.
    const std::size_t province = 1;
    const auto members = [&](std::size_t t) {
        return one.at(ProgrammeMetric::members, t, province);
    };
    const std::size_t march = 2, september = 8;
    EXPECT_EQ(one.at(ProgrammeMetric::enrolled, march, province), 150'000)
        << "the outreach limit, not the candidates, limits the first month";
    EXPECT_GT(members(september - 1), 250'000);
    EXPECT_EQ(one.at(ProgrammeMetric::renewed, september, province), 250'000)
        << "the second window's quota renews only some of the members";
    EXPECT_GT(one.at(ProgrammeMetric::members, 5, 0), 0);
    EXPECT_GT(one.at(ProgrammeMetric::members, 5, 2), 0);

    for (int ranks = 2; ranks <= 4; ++ranks) {
        const std::vector<int> share = share_regions(s, ranks);
        // In March only the first two programmes have members, and outside the first one's
        // regions they are the province-wide programme's.
        const std::vector<std::size_t>& first = s.programmes[0].regions;
        std::set<int> ranks_with_members;
        for (std::size_t k = 0; k < s.regions.size(); ++k) {
            if (std::find(first.begin(), first.end(), s.regions[k]) != first.end()) continue;
            double covered = 0;
            for (std::size_t g = 0; g < segment_count; ++g)
                covered +=
                    one.at(SeriesMetric::covered_programme, march, k, static_cast<Segment>(g));
            if (covered > 0) ranks_with_members.insert(share[k]);
        }
        EXPECT_GE(ranks_with_members.size(), 2u)
            << "the province-wide programme's members live in regions of several ranks";
        expect_same_as_one_process(run_split(s, 2, ranks, 1 + ranks % 2), one,
                                   "province-wide programmes, " + std::to_string(ranks) + " ranks");
    }
    // Any split works, not only contiguous runs: regions dealt out in turn.
    std::vector<int> dealt(s.regions.size());
    for (std::size_t k = 0; k < dealt.size(); ++k)
        dealt[k] = static_cast<int>(k % 3);
    expect_same_as_one_process(run_split(s, 2, 3, 2, dealt), one,
                               "province-wide programmes, regions dealt to 3 ranks");
}

// ---- what a rank holds ---------------------------------------------------------------

namespace {

/// Pages of [begin, end) the process has in memory (mincore), counting only whole pages.
std::size_t resident_pages(const void* begin, const void* end) {
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
    const auto to = reinterpret_cast<std::uintptr_t>(end) / page * page;
    if (to <= from) return 0;
    std::vector<unsigned char> in_core((to - from) / page);
    if (mincore(reinterpret_cast<void*>(from), to - from, in_core.data()) != 0)
        throw std::runtime_error("mincore failed");
    return static_cast<std::size_t>(
        std::count_if(in_core.begin(), in_core.end(), [](unsigned char c) { return c & 1; }));
}

template <typename Column>
bool same_block(const Column& a, const Column& b, const RegionSlots& r) {
    return std::equal(a.begin() + r.first, a.begin() + r.first + r.used, b.begin() + r.first);
}

} // namespace

TEST(RegionSplit, ARankSynthesisesAndTouchesOnlyItsRegions) {
    // Large columns come straight from the kernel (a fixed threshold turns off glibc's
    // adaptive one, which would serve them from reused heap memory), so the pages nobody
    // writes are never given memory: a rank's pages of the other ranks' regions must stay
    // out of memory through synthesis and the months simulated.
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    // One agent per 20 workers: ~30,000 agents a region, many pages of each column.
    const Scenario s =
        load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                      {"population.scale=20", "run.months=4", "behaviour.entry_rate=0.002"});
    const int ranks = 3;
    const std::vector<int> share = share_regions(s, ranks);

    tbb::task_arena arena(2);
    std::unique_ptr<ReplicateSimulation> single;
    arena.execute([&] { single = std::make_unique<ReplicateSimulation>(s, 5); });
    const Population& whole = single->population();

    std::vector<std::string> problems(static_cast<std::size_t>(ranks));
    test::on_every_rank(ranks, 1, [&](int rank, Cluster& cluster) {
        std::ostringstream out;
        SimulationOptions options;
        options.cluster = &cluster;
        options.region_ranks = share;
        ReplicateSimulation split(s, 5, options);
        const Population& mine = split.population();
        if (mine.size() != whole.size()) out << "population of " << mine.size() << " slots; ";
        for (std::size_t k = 0; k < s.regions.size(); ++k) {
            const RegionSlots& r = mine.region_slots[k];
            const RegionSlots& w = whole.region_slots[k];
            if (r.first != w.first || r.used != w.used || r.capacity != w.capacity)
                out << "region " << k << "'s slots differ; ";
            if (share[k] != rank) continue;
            if (!same_block(mine.village, whole.village, r) ||
                !same_block(mine.registration_region, whole.registration_region, r) ||
                !same_block(mine.covered_since, whole.covered_since, r) ||
                !same_block(mine.paid_until, whole.paid_until, r) ||
                !same_block(mine.traits, whole.traits, r) ||
                !same_block(mine.age_years, whole.age_years, r) ||
                !same_block(mine.income_band, whole.income_band, r) ||
                !same_block(mine.awareness, whole.awareness, r) ||
                !same_block(mine.payer, whole.payer, r))
                out << "region " << k << "'s agents differ from one process's; ";
        }
        const auto untouched = [&](const char* when) {
            std::size_t resident = 0, pages = 0;
            const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
            // The allocator may write the first bytes of a block (AddressSanitizer fills the
            // first 4 KiB), so the column's first two pages are left out.
            const std::uint16_t* v = mine.village.data();
            const std::uint16_t* from = v + 2 * page / sizeof(std::uint16_t);
            for (std::size_t k = 0; k < s.regions.size(); ++k) {
                if (share[k] == rank) continue;
                const RegionSlots& r = mine.region_slots[k];
                const std::uint16_t* begin = std::max(v + r.first, from);
                const std::uint16_t* end = v + r.first + r.capacity;
                if (end <= begin) continue;
                resident += resident_pages(begin, end);
                pages += static_cast<std::size_t>(end - begin) * sizeof(std::uint16_t) / page;
            }
            if (resident > 0)
                out << when << ": " << resident << " of " << pages
                    << " pages of other ranks' regions are in memory; ";
            return pages;
        };
        if (untouched("after synthesis") == 0) out << "no page to check; ";
        while (split.months_done() < s.run.months)
            split.step();
        untouched("after the months");
        split.take_series();
        problems[static_cast<std::size_t>(rank)] = out.str();
    });
    for (int r = 0; r < ranks; ++r)
        EXPECT_EQ(problems[static_cast<std::size_t>(r)], "") << "rank " << r;
}

TEST(RegionSplit, RefusesCheckpointsAndBadRegionRanks) {
    const Scenario s =
        load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", {"run.months=2"});
    test::on_every_rank(1, 1, [&](int, Cluster& cluster) {
        SimulationOptions options;
        options.cluster = &cluster;
        options.region_ranks = {0};
        ReplicateSimulation split(s, 0, options);
        split.step();
        EXPECT_THROW(split.capture_state(), std::invalid_argument);
        EXPECT_THROW(split.take_state(), std::invalid_argument);

        ReplicateSimulation plain(s, 0);
        plain.step();
        EXPECT_THROW(ReplicateSimulation(s, plain.capture_state(), options), std::invalid_argument);

        options.region_ranks = {};
        EXPECT_THROW(ReplicateSimulation(s, 0, options), std::invalid_argument);
        options.region_ranks = {1};
        EXPECT_THROW(ReplicateSimulation(s, 0, options), std::invalid_argument);
    });
}
