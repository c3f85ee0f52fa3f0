// Population synthesis: the agents match the scenario's counts and shares (statistical
// checks with fixed seeds and stated tolerances), fit in 16 bytes each, and are the same for
// any thread count.

#include "support/test_support.hpp"
#include "ulcsim/population.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

const Scenario& jawa_tengah_sample() {
    // Jawa Tengah at 1 agent per 100 workers: about 209,000 agents over 35 regions.
    static const Scenario s = test::load_scenario_text(R"(
[run]
start = "2024-01"
seed = 42
[regions]
include = ["33"]
[population]
scale = 100
[population.initial_coverage]
formal_employer = 0.6
informal_self = 0.137
vulnerable_self = 0.069
[[commuting]]
from = "33.08"
to = "33.71"
share = 0.2
)");
    return s;
}

/// A binomial count's deviation from its mean, in standard deviations.
double z_score(double hits, double n, double p) {
    return (hits - n * p) / std::sqrt(n * p * (1 - p));
}

} // namespace

TEST(Population, FitsInSixteenBytesPerAgent) {
    EXPECT_LE(Population::bytes_per_agent, 16u);
    const Population p = synthesise_population(jawa_tengah_sample(), 0);
    const std::size_t column_bytes =
        sizeof(p.village[0]) + sizeof(p.registration_region[0]) + sizeof(p.covered_since[0]) +
        sizeof(p.paid_until[0]) + sizeof(p.traits[0]) + sizeof(p.age_years[0]) +
        sizeof(p.income_band[0]) + sizeof(p.awareness[0]) + sizeof(p.payer[0]);
    EXPECT_EQ(column_bytes, Population::bytes_per_agent);
}

TEST(Population, EachRegionGetsItsWorkersOverScale) {
    const Scenario& s = jawa_tengah_sample();
    const Population p = synthesise_population(s, 0);
    std::vector<std::uint32_t> counts(s.regions.size());
    ASSERT_EQ(p.region_slots.size(), s.regions.size());
    std::uint32_t next = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const RegionSlots& r = p.region_slots[k];
        EXPECT_EQ(r.first, next); // one block after the other, no room without entrants
        EXPECT_EQ(r.capacity, r.used);
        next = r.first + r.capacity;
        counts[k] = r.used;
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
            ASSERT_EQ(p.region_of(a), k);
    }
    std::size_t total = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const double expected = static_cast<double>(s.employed_workers(s.regions[k])) / 100;
        EXPECT_NEAR(counts[k], expected, 0.5) << s.region_table.regions()[s.regions[k]].name;
        total += counts[k];
    }
    EXPECT_EQ(total, p.size());
    EXPECT_NEAR(static_cast<double>(p.size()), 20.86e6 / 100, 35 * 0.5);
}

TEST(Population, SegmentsMatchTheFormalShareExactly) {
    const Scenario& s = jawa_tengah_sample();
    const Population p = synthesise_population(s, 0);
    std::array<double, segment_count> counts{};
    for (std::size_t i = 0; i < p.size(); ++i)
        counts[static_cast<std::size_t>(p.segment(i))] += 1;
    const double n = static_cast<double>(p.size());
    // Per region the counts are rounded, so the total is within half an agent per region.
    EXPECT_NEAR(counts[0], n * 0.4036, 35 * 0.5);
    EXPECT_NEAR(counts[2], n * (1 - 0.4036) * 0.25, 35 * 1.0);
}

TEST(Population, InitialCoverageAndTraitsFollowTheirShares) {
    const Scenario& s = jawa_tengah_sample();
    const Population p = synthesise_population(s, 0);
    std::array<double, segment_count> n{}, covered{}, fearful{};
    std::array<double, occupation_count> vulnerable_occupations{};
    std::array<double, income_band_count> vulnerable_income{};
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto g = static_cast<std::size_t>(p.segment(i));
        n[g] += 1;
        covered[g] +=
            p.covered(i, -1); // the synthesised state is the end of the month before the run
        fearful[g] += p.fears_bansos(i);
        EXPECT_EQ(p.ever_covered(i), p.covered(i, -1));
        if (g == 2) {
            vulnerable_occupations[static_cast<std::size_t>(p.occupation(i))] += 1;
            vulnerable_income[p.income_band_of(i)] += 1;
        }
    }
    // |z| < 4.5 for every check: with fixed seeds these are fixed numbers, and 4.5 sd leaves
    // no room for a biased sampler to pass at this sample size.
    EXPECT_LT(std::abs(z_score(covered[0], n[0], 0.6)), 4.5);
    EXPECT_LT(std::abs(z_score(covered[1], n[1], 0.137)), 4.5);
    EXPECT_LT(std::abs(z_score(covered[2], n[2], 0.069)), 4.5);
    EXPECT_EQ(fearful[0], 0);
    EXPECT_LT(std::abs(z_score(fearful[1], n[1], 0.15)), 4.5);
    EXPECT_LT(std::abs(z_score(fearful[2], n[2], 0.40)), 4.5);
    const PopulationSpec defaults = default_population();
    for (std::size_t o = 0; o < occupation_count; ++o) {
        const double share = defaults.occupation_shares[2][o];
        if (share == 0)
            EXPECT_EQ(vulnerable_occupations[o], 0) << occupation_names[o];
        else
            EXPECT_LT(std::abs(z_score(vulnerable_occupations[o], n[2], share)), 4.5)
                << occupation_names[o];
    }
    EXPECT_EQ(vulnerable_income[3] + vulnerable_income[4], 0); // the default gives them 0
    EXPECT_LT(std::abs(z_score(vulnerable_income[0], n[2], 0.60)), 4.5);
}

TEST(Population, AgesAndVillagesStayInRange) {
    const Scenario& s = jawa_tengah_sample();
    const Population p = synthesise_population(s, 0);
    double awareness_formal = 0, formal = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        ASSERT_GE(p.age_years[i], 15);
        ASSERT_LT(p.age_years[i], s.behaviour.exit_age_years);
        const Region& r =
            s.region_table.regions()[s.regions[p.region_of(static_cast<std::uint32_t>(i))]];
        ASSERT_LT(p.village[i], r.villages());
        ASSERT_LE(p.income_band_of(i), 4);
        if (p.segment(i) == Segment::formal) {
            awareness_formal += p.awareness[i];
            formal += 1;
        }
    }
    // Uniform awareness on [0.2, 1] × 255: mean 153, sd 47 per agent.
    EXPECT_NEAR(awareness_formal / formal, 0.6 * 255, 4.5 * 47 / std::sqrt(formal));
}

TEST(Population, CommutersRegisterWhereTheFlowsSay) {
    const Scenario& s = jawa_tengah_sample();
    const Population p = synthesise_population(s, 0);
    const auto index_of_code = [&](const std::string& code) {
        for (std::size_t k = 0; k < s.regions.size(); ++k)
            if (s.region_table.regions()[s.regions[k]].code == code) return k;
        return s.regions.size();
    };
    const std::size_t kab = index_of_code("33.08"), kota = index_of_code("33.71");
    double formal = 0, commuting = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p.segment(i) != Segment::formal) {
            EXPECT_EQ(p.registration_region[i], p.region_of(static_cast<std::uint32_t>(i)));
            continue;
        }
        if (p.region_of(static_cast<std::uint32_t>(i)) == kab) {
            formal += 1;
            commuting += p.registration_region[i] == kota;
        } else {
            EXPECT_EQ(p.registration_region[i], p.region_of(static_cast<std::uint32_t>(i)));
        }
    }
    EXPECT_LT(std::abs(z_score(commuting, formal, 0.2)), 4.5);
}

TEST(Population, SameSeedSameAgentsForAnyThreadCount) {
    const Scenario& s = jawa_tengah_sample();
    const auto build = [&](int threads) {
        tbb::task_arena arena(threads);
        return arena.execute([&] { return synthesise_population(s, 3); });
    };
    const Population one = build(1), two = build(2), four = build(4);
    for (const Population* other : {&two, &four}) {
        ASSERT_EQ(one.region_slots.size(), other->region_slots.size());
        for (std::size_t k = 0; k < one.region_slots.size(); ++k) {
            EXPECT_EQ(one.region_slots[k].first, other->region_slots[k].first);
            EXPECT_EQ(one.region_slots[k].used, other->region_slots[k].used);
        }
        EXPECT_EQ(one.village, other->village);
        EXPECT_EQ(one.registration_region, other->registration_region);
        EXPECT_EQ(one.traits, other->traits);
        EXPECT_EQ(one.age_years, other->age_years);
        EXPECT_EQ(one.income_band, other->income_band);
        EXPECT_EQ(one.awareness, other->awareness);
        EXPECT_EQ(one.payer, other->payer);
    }
    const Population other_replicate = synthesise_population(s, 4);
    EXPECT_NE(one.traits, other_replicate.traits);
}

TEST(Population, KelurahanOnlyCityUsesItsSeventeenKelurahan) {
    const Scenario s = test::load_scenario_text(R"(
[run]
start = "2024-01"
[regions]
include = ["33.71"]
)");
    const Population p = synthesise_population(s, 0);
    std::array<int, 17> per_village{};
    for (std::uint16_t v : p.village) {
        ASSERT_LT(v, 17);
        ++per_village[v];
    }
    for (int count : per_village)
        EXPECT_GT(count, 0);
}
