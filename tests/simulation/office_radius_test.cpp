// Outreach within a radius of the BPJS office ("no one uncovered within 5 km of an office",
// KRjogja, 9 Oct 2024): the villages' distances follow the disc model of the region data, and
// a campaign with within_km_of_office changes the workers of the villages within the radius
// only. A paired run with common random numbers: peer effects and moves between segments are
// off, so that a change in one village cannot reach another; every worker of a village beyond
// the radius then ends exactly as without the campaign.

#include "month_parameters.hpp"
#include "support/test_support.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <gtest/gtest.h>

using namespace ulcsim;
using detail::village_km_to_office;

TEST(OfficeRadius, VillagesFillTheDiscByAreaKelurahanNearestTheOffice) {
    // Kabupaten Kulon Progo (regions.csv): 87 desa and 1 kelurahan, 9.0 km on average.
    const double km = 9.0, radius = 1.5 * km;
    const std::uint16_t villages = 88, desa = 87;
    EXPECT_LT(village_km_to_office(km, villages, desa, 87),
              village_km_to_office(km, villages, desa, 0))
        << "the kelurahan is the nearest village";
    int within = 0;
    double mean = 0;
    for (std::uint16_t v = 0; v < villages; ++v) {
        const double d = village_km_to_office(km, villages, desa, v);
        EXPECT_GT(d, 0);
        EXPECT_LT(d, radius);
        within += d <= 5 ? 1 : 0;
        mean += d / villages;
        if (v > 0 && v < desa) {
            EXPECT_GT(d,
                      village_km_to_office(km, villages, desa, static_cast<std::uint16_t>(v - 1)));
        }
    }
    // The share within 5 km is (5 / R)² of the villages, as of the workers spread evenly over
    // the disc: 88 × 0.137 = 12.1, so 12 villages; the villages' mean distance is the region's.
    EXPECT_EQ(within, 12);
    EXPECT_NEAR(mean, km, 0.02 * km);
}

namespace {

constexpr const char* kulon_progo = R"(
[run]
start = "2025-01"
months = 12
seed = 3

[regions]
include = ["34.01"]

[population]
scale = 10

[behaviour]
b_peer = 0
awareness_peer_gain = 0
h_formal_to_informal = 0
h_informal_to_formal = 0
h_informal_to_vulnerable = 0
h_vulnerable_to_informal = 0

[[policy]]
name = "outreach"
kind = "campaign"
start = "2025-02"
awareness_gain = 0.05
fear_reduction = 0.10
)";

Scenario scenario(const std::vector<std::string>& overrides) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", kulon_progo), overrides);
}

Population final_population(const Scenario& s) {
    ReplicateSimulation sim(s, 0);
    while (sim.months_done() < s.run.months)
        sim.step();
    return sim.take_state().population;
}

} // namespace

TEST(OfficeRadius, TheOutreachChangesOnlyTheWorkersOfVillagesWithinTheRadius) {
    const Population base = final_population(scenario({"policy=[]"}));
    const Population near = final_population(scenario({"policy.outreach.within_km_of_office=5"}));
    const Population everywhere = final_population(scenario({}));
    ASSERT_EQ(base.size(), near.size());
    const RegionSlots r = base.region_slots[0];
    const auto km_of = [](std::uint16_t v) { return village_km_to_office(9.0, 88, 87, v); };
    std::size_t changed_within = 0, changed_everywhere_beyond = 0;
    double gain_within = 0, workers_within = 0;
    for (std::uint32_t a = r.first; a < r.first + r.used; ++a) {
        const bool within = km_of(base.village[a]) <= 5;
        const bool same = base.awareness[a] == near.awareness[a] &&
                          base.traits[a] == near.traits[a] && base.payer[a] == near.payer[a] &&
                          base.paid_until[a] == near.paid_until[a];
        if (!within) {
            ASSERT_TRUE(same) << "slot " << a << " of village " << base.village[a] << " ("
                              << km_of(base.village[a]) << " km) changed";
            changed_everywhere_beyond += base.awareness[a] != everywhere.awareness[a] ? 1 : 0;
            continue;
        }
        changed_within += same ? 0 : 1;
        if (AgentTraits{base.traits[a]}.segment_bits() == no_worker) continue;
        gain_within += near.awareness[a] - base.awareness[a];
        ++workers_within;
    }
    // 11 months at 0.05 of 255 a month, less 2% decay a month: about +117 within the radius.
    EXPECT_GT(changed_within, 1000u);
    EXPECT_GT(gain_within / workers_within, 80);
    // Without the radius the same campaign reaches the villages beyond it too.
    EXPECT_GT(changed_everywhere_beyond, 10'000u);
}

TEST(OfficeRadius, ARadiusBeyondEveryVillageIsTheCampaignEverywhere) {
    const ReplicateSeries everywhere = simulate_replicate(scenario({}), 1);
    const ReplicateSeries wide =
        simulate_replicate(scenario({"policy.outreach.within_km_of_office=1000"}), 1);
    EXPECT_TRUE(wide.series == everywhere.series);
}
