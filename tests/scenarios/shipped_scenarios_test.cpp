// Every scenario we ship validates, and the figures they cite (docs/SOURCES.md,
// scenarios/data/observations.csv) are the ones the issues ask for.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>
#include <set>

using namespace ulcsim;

namespace {

std::vector<std::string> shipped_files() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(test::scenarios_dir()))
        if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

Scenario shipped(const std::string& name) {
    return load_scenario(test::scenarios_dir() / (name + ".toml"));
}

const FundingProgramme& programme(const Scenario& s, const std::string& name) {
    for (const FundingProgramme& p : s.programmes)
        if (p.name == name) return p;
    throw std::runtime_error("no programme " + name);
}

} // namespace

class ShippedScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedScenario, Validates) {
    try {
        const Scenario s = shipped(GetParam());
        EXPECT_FALSE(s.regions.empty());
        EXPECT_GT(s.total_employed_workers(), 0);
    } catch (const InputError& e) {
        FAIL() << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(All, ShippedScenario, ::testing::ValuesIn(shipped_files()),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(ShippedScenarios, AllSixAreThere) {
    const auto files = shipped_files();
    for (const char* name : {"kota-magelang-2024", "kota-magelang-2025", "jawa-tengah",
                             "di-yogyakarta", "sawahlunto", "indonesia"})
        EXPECT_NE(std::find(files.begin(), files.end(), name), files.end()) << name;
}

TEST(ShippedScenarios, KotaMagelang2024FundsTheCitedProgramme) {
    const Scenario s = shipped("kota-magelang-2024");
    ASSERT_EQ(s.regions.size(), 1u);
    EXPECT_EQ(s.region_table.regions()[s.regions[0]].code, "33.71");
    const FundingProgramme& p = programme(s, "kota-magelang-apbd");
    EXPECT_DOUBLE_EQ(p.premium_idr_per_month, 16'800); // docs/PRIORS.md §1
    ASSERT_EQ(p.windows.size(), 1u);
    EXPECT_EQ(p.windows[0].start, Month(2024, 7));
    EXPECT_EQ(p.windows[0].end, Month(2024, 12));
    EXPECT_EQ(p.quota_workers, 2300); // target
    // The budget buys exactly 2,044 workers for the six months.
    EXPECT_DOUBLE_EQ(p.budget_idr_per_year.at(2024), 2044.0 * 6 * 16'800);
    EXPECT_TRUE(p.eligibility.segments[static_cast<std::size_t>(Segment::vulnerable)]);
}

TEST(ShippedScenarios, KotaMagelang2025ExtendsTo12MonthsOf2025) {
    const Scenario a = shipped("kota-magelang-2024");
    const Scenario b = shipped("kota-magelang-2025");
    const FundingProgramme& p = programme(b, "kota-magelang-apbd");
    ASSERT_EQ(p.windows.size(), 2u);
    EXPECT_EQ(p.windows[1].start, Month(2025, 1));
    EXPECT_EQ(p.windows[1].end, Month(2025, 12));
    EXPECT_TRUE(p.renewal);
    // Same place, same horizon and seed: a like-for-like comparison.
    EXPECT_EQ(a.run.start, b.run.start);
    EXPECT_EQ(a.run.months, b.run.months);
    EXPECT_EQ(a.run.seed, b.run.seed);
    EXPECT_EQ(a.regions, b.regions);
}

TEST(ShippedScenarios, JawaTengahHasItsObservationsAndTarget) {
    const Scenario s = shipped("jawa-tengah");
    EXPECT_EQ(s.regions.size(), 35u);
    EXPECT_DOUBLE_EQ(s.ulc.threshold, 0.5149);
    bool pu = false, bpu = false;
    for (const Observation& o : s.observations) {
        if (o.month != Month(2024, 2)) continue;
        if (o.segment == SegmentGroup::formal && o.value == 0.60) pu = true;
        if (o.segment == SegmentGroup::bpu && o.value == 0.12) bpu = true;
    }
    EXPECT_TRUE(pu);
    EXPECT_TRUE(bpu);
    EXPECT_TRUE(std::any_of(s.programmes.begin(), s.programmes.end(),
                            [](const auto& p) { return p.kind == ProgrammeKind::dbhcht; }));
}

TEST(ShippedScenarios, DiYogyakartaHasASponsorScheme) {
    const Scenario s = shipped("di-yogyakarta");
    EXPECT_EQ(s.regions.size(), 5u);
    EXPECT_DOUBLE_EQ(s.ulc.threshold, 0.40);
    EXPECT_TRUE(std::any_of(s.programmes.begin(), s.programmes.end(),
                            [](const auto& p) { return p.kind == ProgrammeKind::sponsor; }));
}

// The levers' civil-servant sponsorship (gandeng gendhong) at province scale: with the base's
// Kota Yogyakarta scheme, sponsors pay in every kab/kota of DIY; and a sponsor scheme can name
// the province itself, which takes all of its kab/kota.
TEST(ShippedScenarios, DiYogyakartaLeversSponsorCivilServantsAcrossTheProvince) {
    const Scenario s = shipped("di-yogyakarta-levers");
    std::set<std::size_t> sponsored;
    for (const FundingProgramme& p : s.programmes)
        if (p.kind == ProgrammeKind::sponsor) sponsored.insert(p.regions.begin(), p.regions.end());
    EXPECT_EQ(sponsored, std::set<std::size_t>(s.regions.begin(), s.regions.end()));

    const Scenario province = load_scenario(test::scenarios_dir() / "di-yogyakarta-levers.toml",
                                            {"programme.diy-gandeng-gendhong.regions=[\"34\"]"});
    EXPECT_EQ(programme(province, "diy-gandeng-gendhong").regions, province.regions);
    EXPECT_EQ(province.regions.size(), 5u);
}

// DI Yogyakarta names its observations by the table's row ids: each takes the row's region,
// segment, month, value, label and source, and keeps its own weight.
TEST(ShippedScenarios, DiYogyakartaTakesItsObservationsFromTheTable) {
    const Scenario s = shipped("di-yogyakarta");
    ASSERT_EQ(s.observations.size(), 3u);
    const Observation& feb = s.observations[0];
    EXPECT_EQ(feb.region_code, "34");
    EXPECT_EQ(feb.regions.size(), 5u);
    EXPECT_EQ(feb.segment, SegmentGroup::all);
    EXPECT_EQ(feb.month, Month(2024, 2));
    EXPECT_DOUBLE_EQ(feb.value, 0.35);
    EXPECT_EQ(feb.status, EvidenceStatus::quoted);
    EXPECT_NE(feb.source.find("ANTARA"), std::string::npos) << feb.source;
    EXPECT_NE(feb.source.find("observations.csv 34-2024-02-coverage-share-all"), std::string::npos);
    EXPECT_DOUBLE_EQ(feb.weight, 1);
    const Observation& bpu = s.observations[2];
    EXPECT_EQ(bpu.segment, SegmentGroup::bpu);
    EXPECT_EQ(bpu.month, Month(2024, 6));
    EXPECT_DOUBLE_EQ(bpu.value, 0.33);
    EXPECT_DOUBLE_EQ(bpu.weight, 1);
    EXPECT_DOUBLE_EQ(bpu.error_band, 0.16);
    EXPECT_DOUBLE_EQ(feb.error_band, 0);
}

TEST(ShippedScenarios, SawahluntoCanExceedFullCoverage) {
    const Scenario s = shipped("sawahlunto");
    bool observed_105 = false;
    for (const Observation& o : s.observations)
        observed_105 |= o.value == 1.05 && o.measure == CoverageMeasure::coverage_share;
    EXPECT_TRUE(observed_105);
    EXPECT_FALSE(s.commuting.empty()); // how registered coverage exceeds residents
    for (ProgrammeKind kind : {ProgrammeKind::dana_desa, ProgrammeKind::csr, ProgrammeKind::baznas})
        EXPECT_TRUE(std::any_of(s.programmes.begin(), s.programmes.end(),
                                [&](const auto& p) { return p.kind == kind; }));
}

TEST(ShippedScenarios, IndonesiaIsTheWholeNationAtOneAgentPerWorker) {
    const Scenario s = shipped("indonesia");
    EXPECT_EQ(s.regions.size(), 514u);
    EXPECT_NEAR(static_cast<double>(s.total_employed_workers()), 145e6, 0.02 * 145e6);
    EXPECT_DOUBLE_EQ(s.population.scale_workers_per_agent, 1);
}
