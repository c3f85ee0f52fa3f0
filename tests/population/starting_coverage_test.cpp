// The national scenario starts each province from its own Dec 2023 active count
// (population.initial_coverage_from = "province_active_2023_12"), with DKI Jakarta's excess
// over its residents registered by head offices (population.head_office), and the provinces
// without a count estimated with a factor that moves them.

#include "population/starting_coverage.hpp"
#include "support/test_support.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

using namespace ulcsim;

namespace {

constexpr double scale = 200; // about 725,000 agents: synthesis only, a second or two

struct ProvinceStart {
    double registered = 0;                ///< active participants registered in the province
    double resident = 0;                  ///< covered residents
    double employed = 0;                  ///< resident workers
    double registered_from_elsewhere = 0; ///< registered here, living in another province
};

/// Active participants at the start (the synthesised population, before the first month),
/// by province, in workers.
std::map<std::string, ProvinceStart> start_by_province(const Scenario& s) {
    const Population pop = synthesise_population(s, 0);
    const auto table = s.region_table.regions();
    const auto province = [&](std::size_t k) { return table[s.regions[k]].province_code; };
    std::map<std::string, ProvinceStart> out;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const RegionSlots& r = pop.region_slots[k];
        ProvinceStart& home = out[province(k)];
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a) {
            home.employed += scale;
            if (!pop.covered(a, -1)) continue;
            home.resident += scale;
            std::size_t at = k;
            if (pop.payer[a] == static_cast<std::uint8_t>(Payer::employer)) {
                if (pop.registration_region[a] == outside_scenario) continue;
                at = pop.registration_region[a];
            }
            out[province(at)].registered += scale;
            if (province(at) != province(k)) out[province(at)].registered_from_elsewhere += scale;
        }
    }
    return out;
}

Scenario national(std::vector<std::string> overrides = {}) {
    overrides.push_back("population.scale=" + std::to_string(scale));
    return load_scenario(test::scenarios_dir() / "indonesia.toml", overrides);
}

const std::vector<std::string> without_count{"75", "76", "81", "82", "91",
                                             "92", "93", "94", "95", "96"};

} // namespace

TEST(StartingCoverage, AShiftMovesAShareOnTheLogOddsScaleAndKeepsItsEnds) {
    EXPECT_DOUBLE_EQ(detail::shifted(0.3, 0), 0.3);
    EXPECT_DOUBLE_EQ(detail::shifted(0, 5), 0);
    EXPECT_DOUBLE_EQ(detail::shifted(1, -5), 1);
    // logit(0.5) + log 3 = log 3: 3 / 4.
    EXPECT_NEAR(detail::shifted(0.5, std::log(3.0)), 0.75, 1e-15);
    EXPECT_LT(detail::shifted(0.9, 10), 1);
}

// Each of the 28 provinces with a Dec 2023 count starts with that many active participants
// registered in it. Tolerance: the agents are drawn, so 4 binomial standard errors of the
// province's count (n agents, share p registered there), plus 1% for the rounding of each
// kab/kota's workers to whole agents and the provinces.csv totals against the sum of their
// kab/kota.
TEST(StartingCoverage, TheNationStartsFromEachProvincesDecember2023ActiveCount) {
    const Scenario s = national();
    const auto start = start_by_province(s);
    int checked = 0;
    for (const Province& p : s.region_table.provinces()) {
        if (!p.bpjstk_active_2023_12) continue;
        const ProvinceStart& got = start.at(p.code);
        const double target = static_cast<double>(*p.bpjstk_active_2023_12);
        const double n = got.employed / scale, share = std::min(1.0, target / got.employed);
        const double tolerance = 4 * scale * std::sqrt(n * share * (1 - share)) + 0.01 * target;
        EXPECT_NEAR(got.registered, target, tolerance) << p.code << " " << p.name;
        ++checked;
    }
    EXPECT_EQ(checked, 28);

    // DKI Jakarta counts more participants than it has workers; its residents are not all
    // covered: the rest are registered there by head offices from the other provinces.
    const ProvinceStart& dki = start.at("31");
    EXPECT_GT(dki.registered, dki.employed);
    EXPECT_LT(dki.resident, 0.8 * dki.employed);
    EXPECT_GT(dki.registered_from_elsewhere, 0.25 * dki.registered);
}

// The 10 eastern provinces without a count: an estimate that stays below the national
// remainder (41.56m − 39.78m = 1.78m) at the default factor, and that the factor moves in
// proportion (1.37 takes them to about that remainder).
TEST(StartingCoverage, ProvincesWithoutACountFollowTheirFactor) {
    const auto total = [](const std::map<std::string, ProvinceStart>& start) {
        double sum = 0;
        for (const std::string& code : without_count)
            sum += start.at(code).registered;
        return sum;
    };
    const double at_one = total(start_by_province(national()));
    const double raised =
        total(start_by_province(national({"population.unobserved_province_factor=1.37"})));
    EXPECT_GT(at_one, 0.9e6);
    EXPECT_LT(at_one, 1.78e6);
    // Coverage in these provinces is far from its ceiling, so the count is nearly
    // proportional to the factor (4% for sampling and the log-odds curvature).
    EXPECT_NEAR(raised / at_one, 1.37, 0.04 * 1.37);
}

// Without the key every region starts from the scenario's shares: the shipped national
// baseline's old start, Jawa Tengah well above its count (the reason for the key).
TEST(StartingCoverage, WithoutTheKeyProvincesStartFromTheNationalShares) {
    const Scenario s =
        national({"population.initial_coverage_from=scenario", "population.head_office.share=0"});
    const auto start = start_by_province(s);
    const double jateng = static_cast<double>(
        *s.region_table.provinces()[*s.region_table.find_province("33")].bpjstk_active_2023_12);
    EXPECT_GT(start.at("33").registered, 1.3 * jateng);
    EXPECT_EQ(start.at("31").registered_from_elsewhere, 0);
}
