// The simulation's bookkeeping and promises: accounting identities every month in every
// region, programme budgets, quotas, outreach and windows, determinism across thread counts
// and seeds, benefit amounts, and the Kota Magelang figures the engine was built to answer.

#include "support/test_support.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

ReplicateSeries run_in_arena(const Scenario& s, std::uint32_t replicate, int threads) {
    tbb::task_arena arena(threads);
    ReplicateSeries out;
    arena.execute([&] { out = simulate_replicate(s, replicate); });
    return out;
}

double sum_over_segments(const ReplicateSeries& r, SeriesMetric m, std::size_t t,
                         std::size_t region) {
    double sum = 0;
    for (std::size_t g = 0; g < segment_count; ++g)
        sum += r.at(m, t, region, static_cast<Segment>(g));
    return sum;
}

/// Scenarios that exercise every mechanism: commuting, several programmes with budgets,
/// quotas, outreach, sponsors, renewal, villages scope, enforcement and campaigns.
std::vector<Scenario> accounting_scenarios() {
    std::vector<Scenario> out;
    out.push_back(load_scenario(test::scenarios_dir() / "sawahlunto.toml",
                                {"population.scale=4", "run.months=30"}));
    out.push_back(load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                                {"population.scale=400", "run.months=30"}));
    out.push_back(load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml"));
    // Members funded for months of their own, co-payment, registration by the worker.
    out.push_back(load_scenario(test::scenarios_dir() / "experiments" / "subsidy-trial-half.toml"));
    out.push_back(
        load_scenario(test::scenarios_dir() / "experiments" / "subsidy-trial-full-assisted.toml"));
    return out;
}

void check_accounting(const Scenario& s, const ReplicateSeries& r) {
    for (std::size_t t = 0; t < r.months; ++t)
        for (std::size_t k = 0; k < r.regions; ++k) {
            for (std::size_t gi = 0; gi < segment_count; ++gi) {
                const auto g = static_cast<Segment>(gi);
                const auto at = [&](SeriesMetric m, std::size_t month) {
                    return r.at(m, month, k, g);
                };
                ASSERT_EQ(at(SeriesMetric::covered, t), at(SeriesMetric::covered_employer, t) +
                                                            at(SeriesMetric::covered_self, t) +
                                                            at(SeriesMetric::covered_programme, t))
                    << s.run.name << " month " << t << " region " << k << " segment " << gi;
                if (t == 0) continue;
                ASSERT_EQ(at(SeriesMetric::covered, t),
                          at(SeriesMetric::covered, t - 1) + at(SeriesMetric::enrolled, t) -
                              at(SeriesMetric::lapsed, t) - at(SeriesMetric::covered_exits, t) +
                              at(SeriesMetric::covered_moved_in, t) -
                              at(SeriesMetric::covered_moved_out, t))
                    << s.run.name << " month " << t << " region " << k << " segment " << gi;
                ASSERT_LE(at(SeriesMetric::covered, t), at(SeriesMetric::labour_force, t));
                ASSERT_LE(at(SeriesMetric::covered_former_members, t),
                          at(SeriesMetric::covered_employer, t) +
                              at(SeriesMetric::covered_self, t));
            }
            if (t == 0) continue;
            // Segment moves shift workers between segments; only these change the total.
            ASSERT_EQ(sum_over_segments(r, SeriesMetric::labour_force, t, k),
                      sum_over_segments(r, SeriesMetric::labour_force, t - 1, k) +
                          sum_over_segments(r, SeriesMetric::entrants, t, k) -
                          sum_over_segments(r, SeriesMetric::deaths, t, k) -
                          sum_over_segments(r, SeriesMetric::aged_out, t, k))
                << s.run.name << " month " << t << " region " << k;
        }

    // The programmes' spending, counted by where their members live, is what they spent.
    for (std::size_t t = 0; t < r.months; ++t) {
        double spent = 0, by_region = 0;
        for (std::size_t j = 0; j < s.programmes.size(); ++j)
            spent += r.at(ProgrammeMetric::spent_idr, t, j);
        for (std::size_t k = 0; k < r.regions; ++k)
            by_region += sum_over_segments(r, SeriesMetric::programme_paid_idr, t, k);
        ASSERT_NEAR(by_region, spent, 1e-9 * spent) << s.run.name << " month " << t;
    }

    for (std::size_t j = 0; j < s.programmes.size(); ++j) {
        const FundingProgramme& p = s.programmes[j];
        std::map<int, double> spent_by_year;
        for (std::size_t t = 0; t < r.months; ++t) {
            const Month month = s.run.start + static_cast<int>(t);
            const CoverageWindow* window = nullptr;
            for (const CoverageWindow& w : p.windows)
                if (w.start <= month && month <= w.end) window = &w;
            const double members = r.at(ProgrammeMetric::members, t, j);
            const double spent = r.at(ProgrammeMetric::spent_idr, t, j);
            // Funded member-months × the programme's share of the premium.
            EXPECT_DOUBLE_EQ(spent, members * (1 - p.member_share) * p.premium_idr_per_month);
            // A member funded for months of his own is funded after the window closes.
            if (!window && p.months_per_member)
                for (const CoverageWindow& w : p.windows)
                    if (w.start <= month && month <= w.end + (*p.months_per_member - 1))
                        window = &w;
            spent_by_year[month.year()] += spent;
            double in_regions = 0;
            for (std::size_t k = 0; k < r.regions; ++k)
                in_regions += sum_over_segments(r, SeriesMetric::covered_programme, t, k);
            EXPECT_LE(members, in_regions) << p.name;
            if (!window) {
                EXPECT_EQ(members, 0)
                    << p.name << " has members outside its windows in " << month.to_string();
                EXPECT_EQ(r.at(ProgrammeMetric::enrolled, t, j), 0) << p.name;
                continue;
            }
            if (!(window->start <= month && month <= window->end)) {
                EXPECT_EQ(r.at(ProgrammeMetric::enrolled, t, j), 0) << p.name;
            }
            const auto quota = window->quota_workers ? window->quota_workers : p.quota_workers;
            if (quota) {
                EXPECT_LE(members, static_cast<double>(*quota)) << p.name;
            }
            if (p.outreach_per_month) {
                EXPECT_LE(r.at(ProgrammeMetric::enrolled, t, j),
                          static_cast<double>(*p.outreach_per_month))
                    << p.name;
            }
            if (!p.budget_idr_per_year.empty()) {
                const auto budget = p.budget_idr_per_year.find(month.year());
                const double limit = budget == p.budget_idr_per_year.end() ? 0 : budget->second;
                EXPECT_LE(r.at(ProgrammeMetric::committed_idr, t, j), limit + 1e-6) << p.name;
                EXPECT_EQ(r.at(ProgrammeMetric::budget_idr, t, j), limit) << p.name;
            }
        }
        for (const auto& [year, amount] : p.budget_idr_per_year)
            EXPECT_LE(spent_by_year[year], amount + 1e-6) << p.name << " " << year;
    }
}

} // namespace

TEST(Simulation, AccountingHoldsEveryMonthInEveryRegion) {
    for (const Scenario& s : accounting_scenarios())
        for (std::uint32_t replicate = 0; replicate < 2; ++replicate)
            check_accounting(s, simulate_replicate(s, replicate));
}

TEST(Simulation, ProgrammesInTheAccountingScenariosActuallyEnrol) {
    // Guards the accounting test against passing on programmes that never do anything.
    for (const Scenario& s : accounting_scenarios()) {
        const ReplicateSeries r = simulate_replicate(s, 0);
        for (std::size_t j = 0; j < s.programmes.size(); ++j) {
            double enrolled = 0;
            for (std::size_t t = 0; t < r.months; ++t)
                enrolled += r.at(ProgrammeMetric::enrolled, t, j);
            const bool has_window =
                std::any_of(s.programmes[j].windows.begin(), s.programmes[j].windows.end(),
                            [&](const CoverageWindow& w) { return w.start <= s.run.last_month(); });
            if (has_window) {
                EXPECT_GT(enrolled, 0) << s.run.name << ": " << s.programmes[j].name;
            }
        }
    }
}

TEST(Simulation, IdenticalForOneTwoAndFourThreads) {
    // Kota Magelang refills places freed by deaths from candidates kept by several threads;
    // Jawa Tengah has many regions and programmes. Which thread gets which chunk varies
    // from run to run, so each thread count runs twice.
    const std::vector<Scenario> scenarios{
        load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml", {"run.months=18"}),
        load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                      {"population.scale=200", "run.months=18"})};
    for (const Scenario& s : scenarios)
        for (std::uint32_t replicate : {0u, 3u}) {
            const ReplicateSeries one = run_in_arena(s, replicate, 1);
            for (int threads : {2, 2, 4, 4}) {
                const ReplicateSeries other = run_in_arena(s, replicate, threads);
                EXPECT_EQ(one.series, other.series) << s.run.name << ", " << threads;
                EXPECT_EQ(one.programme_series, other.programme_series)
                    << s.run.name << ", " << threads;
            }
        }
}

TEST(Simulation, IdenticalOnEveryPhiloxKernel) {
    // The month's draws come from the widest Philox kernel the CPU has (AVX-512, AVX2 or
    // the portable path); each must give the same run. On a CPU without one of them the
    // comparison is of a narrower path with itself, which the test cannot help.
    struct WidestKernel { // restores the default however the test ends
        explicit WidestKernel(PhiloxKernel k) { detail::limit_philox_kernel(k); }
        ~WidestKernel() { detail::limit_philox_kernel(PhiloxKernel::avx512); }
    };
    const Scenario s = load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                                     {"population.scale=200", "run.months=18"});
    std::vector<ReplicateSeries> runs;
    for (const PhiloxKernel k :
         {PhiloxKernel::portable, PhiloxKernel::avx2, PhiloxKernel::avx512}) {
        const WidestKernel widest(k);
        runs.push_back(run_in_arena(s, 1, 2));
    }
    RecordProperty("kernel", CounterRng::kernel_name(CounterRng::kernel()));
    for (std::size_t k = 1; k < runs.size(); ++k) {
        EXPECT_EQ(runs[0].series, runs[k].series) << k;
        EXPECT_EQ(runs[0].programme_series, runs[k].programme_series) << k;
    }
}

TEST(Simulation, SameSeedSameRunDifferentSeedDifferentRun) {
    const Scenario s = load_scenario(test::scenarios_dir() / "sawahlunto.toml",
                                     {"population.scale=4", "run.months=12"});
    const Scenario other = load_scenario(test::scenarios_dir() / "sawahlunto.toml",
                                         {"population.scale=4", "run.months=12", "run.seed=8"});
    const ReplicateSeries a = simulate_replicate(s, 0);
    EXPECT_EQ(a.series, simulate_replicate(s, 0).series);
    EXPECT_NE(a.series, simulate_replicate(other, 0).series);
    EXPECT_NE(a.series, simulate_replicate(s, 1).series) << "replicates draw their own numbers";
}

TEST(Simulation, EntrantsFollowTheEntryRateAndFitTheReservedSlots) {
    const Scenario s =
        load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                      {"population.scale=200", "run.months=60", "behaviour.entry_rate=0.01"});
    ReplicateSimulation sim(s, 0);
    while (sim.months_done() < s.run.months)
        sim.step();
    for (const RegionSlots& r : sim.population().region_slots)
        EXPECT_LE(r.used, r.capacity);
    const ReplicateSeries r = sim.take_series();
    double entrants = 0, expected = 0;
    for (std::size_t t = 1; t < r.months; ++t) {
        entrants += r.total(SeriesMetric::entrants, t);
        expected += 0.01 * r.total(SeriesMetric::labour_force, t - 1);
    }
    // Each region's monthly count is rounded up or down at random: the total is within
    // a few hundred agents (× scale 200) of the expectation.
    EXPECT_NEAR(entrants, expected, 0.002 * expected);
}

TEST(Simulation, JkmPaysTheWaitingPeriodAmountInTheFirstThreeMonthsOfMembership) {
    // Everyone joins a programme in the first month; deaths are frequent, so every month
    // has claims. Members who die in their first three months get Rp10 million, later Rp42m.
    const Scenario s = test::load_scenario_text(R"(
[run]
start = "2024-01"
months = 8
[regions]
include = ["33.71"]
[population]
formal_share = 0
vulnerable_share_of_informal = 1
[population.initial_coverage]
vulnerable_self = 0
[population.fears_bansos]
vulnerable = 0
[behaviour]
h0_self = 0
entry_rate = 0
h_informal_to_formal = 0
h_vulnerable_to_informal = 0
[behaviour.mortality]
"15-24" = 0.02
"25-34" = 0.02
"35-44" = 0.02
"45-54" = 0.02
"55-64" = 0.02
"65+" = 0.02
[[programme]]
name = "everyone"
kind = "apbd_kabkota"
acceptance = 1
[programme.eligibility]
segments = ["vulnerable"]
[[programme.window]]
start = "2024-01"
end = "2024-12"
)");
    const ReplicateSeries r = simulate_replicate(s, 0);
    EXPECT_EQ(r.total(SeriesMetric::jkm_claims, 0), 0) << "no one was covered at the start";
    for (std::size_t t = 1; t < r.months; ++t) {
        const double claims = r.total(SeriesMetric::jkm_claims, t);
        ASSERT_GT(claims, 100) << "month " << t;
        EXPECT_EQ(r.total(SeriesMetric::jkm_paid_idr, t),
                  claims * (t < 3 ? 10'000'000.0 : 42'000'000.0))
            << "month " << t;
        EXPECT_EQ(r.total(SeriesMetric::jkk_paid_idr, t),
                  r.total(SeriesMetric::jkk_claims, t) * 5'000'000.0);
    }
}

TEST(Simulation, CoverageShareCountsWorkersWhereTheirEmployerRegistersThem) {
    const Scenario s = load_scenario(test::scenarios_dir() / "sawahlunto.toml",
                                     {"population.scale=2", "run.months=3"});
    const ReplicateSeries r = simulate_replicate(s, 0);
    const auto sawahlunto = static_cast<std::size_t>(
        std::lower_bound(s.regions.begin(), s.regions.end(), *s.region_table.find_region("13.73")) -
        s.regions.begin());
    for (std::size_t t = 0; t < r.months; ++t) {
        EXPECT_GT(sum_over_segments(r, SeriesMetric::covered_registered, t, sawahlunto),
                  1.1 * sum_over_segments(r, SeriesMetric::covered, t, sawahlunto))
            << "neighbours' commuters are registered in Sawahlunto";
        // Every covered worker is registered somewhere in the scenario (no outside flows).
        EXPECT_EQ(r.total(SeriesMetric::covered_registered, t), r.total(SeriesMetric::covered, t));
    }
}

// ---- Kota Magelang 2024: the case the engine was built for ---------------------------

namespace {

const Scenario& magelang_2024(const std::vector<std::string>& more = {}) {
    static std::map<std::vector<std::string>, Scenario> cache;
    auto it = cache.find(more);
    if (it == cache.end())
        it = cache
                 .emplace(more,
                          load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml", more))
                 .first;
    return it->second;
}

constexpr std::size_t july_2024 = 6, december_2024 = 11, january_2025 = 12;

} // namespace

TEST(KotaMagelang2024, FundsAbout2044WorkersFromJulyToDecember) {
    const Scenario& s = magelang_2024();
    for (std::uint32_t replicate = 0; replicate < 4; ++replicate) {
        const ReplicateSeries r = simulate_replicate(s, replicate);
        double spent = 0;
        for (std::size_t t = 0; t < r.months; ++t) {
            const double members = r.at(ProgrammeMetric::members, t, 0);
            spent += r.at(ProgrammeMetric::spent_idr, t, 0);
            if (t >= july_2024 && t <= december_2024)
                EXPECT_NEAR(members, 2044, 0.01 * 2044) << "month " << t;
            else
                EXPECT_EQ(members, 0) << "month " << t;
        }
        EXPECT_EQ(r.at(ProgrammeMetric::enrolled, july_2024, 0), 2044)
            << "the 2024 budget pays for exactly 2,044 six-month enrolments in July";
        EXPECT_NEAR(spent, 2044 * 6 * 16'800.0, 0.01 * 2044 * 6 * 16'800.0);
        EXPECT_LE(spent, 206'035'200.0);
    }
}

TEST(KotaMagelang2024, AfterTheWindowCoverageFallsByTheShareThatDoesNotContinue) {
    // Common random numbers: with continue_after_subsidy 1 and 0 the runs are identical up to
    // December 2024; in January 2025 they differ by the members who reach the end of the
    // subsidy, and the default run keeps about a third of them.
    const std::string key = "programme.kota-magelang-apbd.continue_after_subsidy=";
    const Scenario& all = magelang_2024({key + "1"});
    const Scenario& none = magelang_2024({key + "0"});
    const Scenario& third = magelang_2024();
    double continuing = 0, members = 0;
    for (std::uint32_t replicate = 0; replicate < 4; ++replicate) {
        const ReplicateSeries a = simulate_replicate(all, replicate);
        const ReplicateSeries n = simulate_replicate(none, replicate);
        const ReplicateSeries d = simulate_replicate(third, replicate);
        for (std::size_t t = 0; t <= december_2024; ++t)
            ASSERT_EQ(a.total(SeriesMetric::covered, t), n.total(SeriesMetric::covered, t));
        const double december = a.at(ProgrammeMetric::members, december_2024, 0);
        EXPECT_EQ(a.at(ProgrammeMetric::members, january_2025, 0), 0);
        EXPECT_EQ(a.at(ProgrammeMetric::left, january_2025, 0), december);
        // The difference is every December member who meets the end of the subsidy in
        // January: all of them but the few who die or are taken on by an employer first.
        const double reached = a.total(SeriesMetric::covered, january_2025) -
                               n.total(SeriesMetric::covered, january_2025);
        EXPECT_LE(reached, december);
        EXPECT_GE(reached, december - 0.005 * december);
        continuing += d.total(SeriesMetric::covered, january_2025) -
                      n.total(SeriesMetric::covered, january_2025);
        members += reached;
    }
    // Binomial share of 4 × ~2,044 members: standard error ≈ 0.0052; 4 SE ≈ 0.021.
    const double se = std::sqrt(0.33 * 0.67 / members);
    EXPECT_NEAR(continuing / members, 0.33, 4 * se);
}
