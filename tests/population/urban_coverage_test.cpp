// Kota start with more of their workers covered than kabupaten
// (population.urban_coverage_shift): a shift by urban share that each province's part of the
// scenario absorbs, so the coverage the scenario states for the province is kept.

#include "population/starting_coverage.hpp"
#include "support/test_support.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ulcsim;

namespace {

Scenario jawa_tengah(std::vector<std::string> overrides = {}) {
    return load_scenario(test::scenarios_dir() / "jawa-tengah.toml", overrides);
}

/// Each region's start as population synthesis builds it before any shift: the scenario's
/// shares, its workers, and its urban share from the region data.
std::vector<detail::RegionStart> unshifted(const Scenario& s) {
    std::vector<detail::RegionStart> out(s.regions.size());
    const auto table = s.region_table.regions();
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const Region& r = table[s.regions[k]];
        const RegionShares shares = region_shares(s, s.regions[k]);
        out[k].workers = static_cast<double>(s.employed_workers(s.regions[k]));
        out[k].formal_share = shares.formal_share;
        out[k].vulnerable_share_of_informal = shares.vulnerable_share_of_informal;
        out[k].coverage = {s.population.initial_coverage.formal_employer,
                           s.population.initial_coverage.informal_self,
                           s.population.initial_coverage.vulnerable_self};
        out[k].urban_share = static_cast<double>(r.kelurahan) / r.villages();
    }
    return out;
}

double logit(double p) {
    return std::log(p / (1 - p));
}

/// Expected covered workers of one segment over all regions.
double covered(const std::vector<detail::RegionStart>& regions, std::size_t g) {
    double sum = 0;
    for (const auto& r : regions) {
        const double informal = r.workers * (1 - r.formal_share);
        const double workers = g == 0   ? r.workers * r.formal_share
                               : g == 1 ? informal * (1 - r.vulnerable_share_of_informal)
                                        : informal * r.vulnerable_share_of_informal;
        sum += workers * r.coverage[g];
    }
    return sum;
}

} // namespace

// Jawa Tengah states PU 60% and BPU 12% for the province: after the shift each segment's
// expected covered workers are the same to rounding (1e-9 relative), and on the log-odds
// scale any two regions differ by u times the difference of their urban shares, exactly
// (1e-9): the province's own amount cancels between them.
TEST(UrbanCoverage, KotaStartAboveKabupatenAndTheProvinceKeepsItsStatedCoverage) {
    const Scenario s = jawa_tengah();
    const double u = s.population.urban_coverage_shift;
    ASSERT_GT(u, 0);
    const auto before = unshifted(s);
    auto after = before;
    detail::spread_by_urban_share(s, after);
    for (std::size_t g = 0; g < segment_count; ++g)
        EXPECT_NEAR(covered(after, g) / covered(before, g), 1, 1e-9) << "segment " << g;

    const auto table = s.region_table.regions();
    std::size_t kota = 0, kabupaten = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        if (table[s.regions[k]].kind == RegionKind::kota) {
            ++kota;
            EXPECT_GT(after[k].coverage[0], 0.60) << table[s.regions[k]].name;
        } else if (after[k].urban_share < 0.05) {
            ++kabupaten;
            EXPECT_LT(after[k].coverage[0], 0.60) << table[s.regions[k]].name;
        }
        for (std::size_t g = 0; g < segment_count; ++g)
            EXPECT_NEAR(logit(after[k].coverage[g]) - logit(after[0].coverage[g]),
                        u * (after[k].urban_share - after[0].urban_share), 1e-9);
    }
    EXPECT_EQ(kota, 6u); // Jawa Tengah's six kota (regions.csv)
    EXPECT_GT(kabupaten, 0u);
}

// A share the scenario sets for a region stays as set; the others absorb the province's part.
// At u = 0, or when every free region has the same urban share, nothing moves at all (bit
// for bit), which keeps the one-region scenarios' numbers as they were.
TEST(UrbanCoverage, StatedSharesAndEqualUrbanSharesAreLeftExactlyAlone) {
    {
        const Scenario s = jawa_tengah();
        auto regions = unshifted(s);
        const auto table = s.region_table.regions();
        const auto semarang = std::find_if(regions.begin(), regions.end(), [&](const auto& r) {
            return table[s.regions[&r - regions.data()]].code == "33.74";
        });
        ASSERT_NE(semarang, regions.end());
        semarang->stated[0] = true;
        semarang->coverage[0] = 0.42;
        detail::spread_by_urban_share(s, regions);
        EXPECT_EQ(semarang->coverage[0], 0.42);
        EXPECT_NE(semarang->coverage[1], s.population.initial_coverage.informal_self);
    }
    {
        const Scenario s = jawa_tengah({"population.urban_coverage_shift=0"});
        const auto before = unshifted(s);
        auto after = before;
        detail::spread_by_urban_share(s, after);
        for (std::size_t k = 0; k < after.size(); ++k)
            EXPECT_EQ(after[k].coverage, before[k].coverage);
    }
    {
        const Scenario s = jawa_tengah();
        auto before = unshifted(s);
        for (auto& r : before)
            r.urban_share = 0.25;
        auto after = before;
        detail::spread_by_urban_share(s, after);
        for (std::size_t k = 0; k < after.size(); ++k)
            EXPECT_EQ(after[k].coverage, before[k].coverage);
    }
}

// The synthesised workers follow: in Jawa Tengah at 20 workers per agent (about 1 m agents)
// the employer-covered share of Kota Semarang's and Kabupaten Grobogan's (7 kelurahan among
// 280 villages) formal workers is each within 4 binomial standard errors of the shifted share,
// and the kota's exceeds the kabupaten's by more than 4 standard errors of the difference.
// Kota Magelang alone (one region) is the same population with the shift as without it.
TEST(UrbanCoverage, TheSynthesisedWorkersCarryTheShift) {
    const Scenario s = jawa_tengah({"population.scale=20"});
    const Population pop = synthesise_population(s, 0);
    auto expected = unshifted(s);
    detail::spread_by_urban_share(s, expected);
    const auto table = s.region_table.regions();
    struct Share {
        double observed, expected, se;
    };
    const auto formal_covered = [&](const std::string& code) {
        const auto at = std::find_if(s.regions.begin(), s.regions.end(),
                                     [&](std::size_t r) { return table[r].code == code; });
        const auto k = static_cast<std::size_t>(at - s.regions.begin());
        const RegionSlots& r = pop.region_slots[k];
        double n = 0, c = 0;
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a) {
            if (!pop.in_labour_force(a) || pop.segment(a) != Segment::formal) continue;
            ++n;
            c += pop.covered(a, -1) ? 1 : 0;
        }
        const double p = expected[k].coverage[0];
        return Share{c / n, p, std::sqrt(p * (1 - p) / n)};
    };
    const Share kota = formal_covered("33.74"), kab = formal_covered("33.15");
    EXPECT_NEAR(kota.observed, kota.expected, 4 * kota.se);
    EXPECT_NEAR(kab.observed, kab.expected, 4 * kab.se);
    EXPECT_GT(kota.observed - kab.observed, 4 * std::hypot(kota.se, kab.se));

    const auto magelang = [](const std::string& shift) {
        return synthesise_population(
            load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml",
                          {"population.urban_coverage_shift=" + shift}),
            0);
    };
    const Population with = magelang("0.5"), without = magelang("0");
    ASSERT_EQ(with.payer.size(), without.payer.size());
    EXPECT_TRUE(std::equal(with.payer.begin(), with.payer.end(), without.payer.begin()));
    EXPECT_TRUE(std::equal(with.traits.begin(), with.traits.end(), without.traits.begin()));
}
