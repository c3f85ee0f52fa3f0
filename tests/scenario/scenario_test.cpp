// Reading and validating single scenario files: values land in the right fields, defaults
// are the documented ones, and every problem is reported with file, line and key.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

constexpr const char* minimal = R"(
[run]
start = "2024-01"

[regions]
include = ["33.71"]
)";

/// Loads `text` and returns the problems it has (empty when valid).
std::vector<Diagnostic> problems_of(const std::string& text,
                                    const std::vector<std::string>& overrides = {}) {
    test::ScratchDir dir;
    try {
        load_scenario(dir.write("s.toml", text), overrides);
    } catch (const InputError& e) {
        return e.diagnostics();
    }
    return {};
}

bool has_problem(const std::vector<Diagnostic>& problems, int line, const std::string& key,
                 const std::string& text) {
    for (const Diagnostic& d : problems)
        if (d.where.line == line && d.key == key && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

std::string dump(const std::vector<Diagnostic>& problems) {
    std::string out;
    for (const Diagnostic& d : problems)
        out += d.format() + "\n";
    return out;
}

} // namespace

TEST(Scenario, MinimalFileGetsDocumentedDefaults) {
    const Scenario s = test::load_scenario_text(minimal);
    EXPECT_EQ(s.run.name, "scenario");
    EXPECT_EQ(s.run.start, Month(2024, 1));
    EXPECT_EQ(s.run.months, 12);
    EXPECT_EQ(s.run.seed, 1u);
    EXPECT_EQ(s.run.replicates, 10);
    ASSERT_EQ(s.regions.size(), 1u);
    EXPECT_EQ(s.region_table.regions()[s.regions[0]].code, "33.71");
    EXPECT_DOUBLE_EQ(s.population.scale_workers_per_agent, 1);
    EXPECT_FALSE(s.population.formal_share);
    EXPECT_DOUBLE_EQ(s.behaviour.h_lapse, 0.065);
    EXPECT_DOUBLE_EQ(s.behaviour.continue_after_subsidy, 0.33);
    EXPECT_EQ(s.behaviour.arrears_months, 3);
    EXPECT_DOUBLE_EQ(s.benefits.jkm_idr, 42e6);
    EXPECT_DOUBLE_EQ(s.benefits.self_premium_idr_per_month, 16'800);
    EXPECT_DOUBLE_EQ(s.ulc.threshold, 1.0);
    EXPECT_EQ(s.ulc.measure, CoverageMeasure::coverage_share);
    EXPECT_TRUE(s.programmes.empty());
}

TEST(Scenario, DefaultSharesSumToOne) {
    const PopulationSpec p = default_population();
    for (const auto& row : p.occupation_shares) {
        double sum = 0;
        for (double v : row)
            sum += v;
        EXPECT_NEAR(sum, 1, 1e-12);
    }
    for (const auto& row : p.income_band_shares) {
        double sum = 0;
        for (double v : row)
            sum += v;
        EXPECT_NEAR(sum, 1, 1e-12);
    }
    double ages = 0;
    for (double v : p.age_band_shares)
        ages += v;
    EXPECT_NEAR(ages, 1, 1e-12);
}

TEST(Scenario, ReadsAProgrammeCompletely) {
    const Scenario s = test::load_scenario_text(R"(
[run]
start = "2024-01"
months = 24
[regions]
include = ["33"]
[[programme]]
name = "pati-dbhcht"
kind = "dbhcht"
regions = ["33.18"]
villages = "desa"
premium_idr_per_month = 16_800
quota_workers = 2_874
outreach_per_month = 1000
acceptance = 0.8
fear_acceptance_factor = 0.4
targeting = "lowest_income_first"
renewal = false
member_lapse_per_month = 0.01
[programme.budget_idr_per_year]
2025 = 289_699_200
[programme.eligibility]
segments = ["informal", "vulnerable"]
occupations = ["tobacco", "farmer"]
max_income_band = 2
min_age_years = 17
max_age_years = 64
[[programme.window]]
start = "2025-07"
end = "2025-12"
)");
    ASSERT_EQ(s.regions.size(), 35u);
    ASSERT_EQ(s.programmes.size(), 1u);
    const FundingProgramme& p = s.programmes[0];
    EXPECT_EQ(p.name, "pati-dbhcht");
    EXPECT_EQ(p.kind, ProgrammeKind::dbhcht);
    ASSERT_EQ(p.regions.size(), 1u);
    EXPECT_EQ(s.region_table.regions()[p.regions[0]].code, "33.18");
    EXPECT_EQ(p.villages, VillageScope::desa);
    EXPECT_EQ(p.quota_workers, 2874);
    EXPECT_EQ(p.outreach_per_month, 1000);
    EXPECT_DOUBLE_EQ(p.acceptance, 0.8);
    EXPECT_EQ(p.targeting, Targeting::lowest_income_first);
    EXPECT_FALSE(p.renewal);
    EXPECT_DOUBLE_EQ(p.continue_after_subsidy, 0.33); // inherited from behaviour
    EXPECT_DOUBLE_EQ(p.budget_idr_per_year.at(2025), 289'699'200);
    EXPECT_EQ(p.eligibility.segments, (std::array<bool, 3>{false, true, true}));
    EXPECT_TRUE(p.eligibility.occupations[static_cast<std::size_t>(Occupation::tobacco)]);
    EXPECT_FALSE(p.eligibility.occupations[static_cast<std::size_t>(Occupation::trader)]);
    EXPECT_EQ(p.eligibility.max_income_band, 2);
    ASSERT_EQ(p.windows.size(), 1u);
    EXPECT_EQ(p.windows[0].months(), 6);
}

TEST(Scenario, SponsorsTimesWorkersIsTheQuota) {
    const Scenario s = test::load_scenario_text(std::string(minimal) + R"(
[[programme]]
name = "asn-peduli"
kind = "sponsor"
sponsors = 974
workers_per_sponsor = 1
[[programme.window]]
start = "2024-01"
end = "2024-12"
)");
    EXPECT_EQ(s.programmes[0].quota_workers, 974);
}

TEST(Scenario, ProvinceCodesExpandAndExcludeRemoves) {
    const Scenario s = test::load_scenario_text(R"(
[run]
start = "2024-01"
[regions]
include = ["34"]
exclude = ["34.71"]
)");
    EXPECT_EQ(s.regions.size(), 4u);
    for (std::size_t r : s.regions)
        EXPECT_NE(s.region_table.regions()[r].code, "34.71");
}

TEST(Scenario, RegionOverridesReplaceTheData) {
    const Scenario s = test::load_scenario_text(std::string(minimal) + R"(
[[population.region]]
region = "33.71"
employed_workers = 60000
)");
    EXPECT_EQ(s.total_employed_workers(), 60'000);
}

TEST(ScenarioErrors, ReportsEveryProblemNotJustTheFirst) {
    const auto problems = problems_of(R"([run]
start = "2024-13"
months = 0
seeed = 3
[regions]
include = ["33.71", "33.99"]
[behaviour]
h_lapse = -0.1
registration_success = 1.5
)");
    EXPECT_EQ(problems.size(), 6u) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 2, "run.start", "is not a month")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 3, "run.months", "out of range")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 4, "run.seeed", "did you mean 'seed'?")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 6, "regions.include[1]", "unknown region code '33.99'"))
        << dump(problems);
    EXPECT_TRUE(has_problem(problems, 8, "behaviour.h_lapse", "-0.1 is out of range [0, 10]"))
        << dump(problems);
    EXPECT_TRUE(
        has_problem(problems, 9, "behaviour.registration_success", "1.5 is out of range [0, 1]"))
        << dump(problems);
}

TEST(ScenarioErrors, ColumnPointsAtTheValue) {
    const auto problems = problems_of("[run]\nstart = \"2024-01\"\nmonths = \"twelve\"\n"
                                      "[regions]\ninclude = [\"33.71\"]\n");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_EQ(problems[0].where.line, 3);
    EXPECT_EQ(problems[0].where.column, 10);
    EXPECT_EQ(problems[0].message, "expected an integer in [1, 1200], got a string");
}

TEST(ScenarioErrors, MissingRequiredKeysAreNamed) {
    const auto problems = problems_of("[run]\nmonths = 3\n");
    EXPECT_TRUE(has_problem(problems, 1, "run.start", "missing required key")) << dump(problems);
    EXPECT_TRUE(has_problem(problems, 1, "regions.include", "missing required key"))
        << dump(problems);
}

TEST(ScenarioErrors, ProgrammeOutsideTheScenarioAndBadWindows) {
    const auto problems = problems_of(std::string(minimal) + R"([[programme]]
name = "yogya"
kind = "apbd_kabkota"
regions = ["34.71"]
[[programme.window]]
start = "2024-07"
end = "2024-03"
[[programme.window]]
start = "2024-01"
end = "2024-02"
)");
    EXPECT_TRUE(
        has_problem(problems, 10, "programme[0].regions[0]", "is not in the scenario's regions"))
        << dump(problems);
    EXPECT_TRUE(has_problem(problems, 13, "programme[0].window[0].end", "ends before it starts"))
        << dump(problems);
}

TEST(ScenarioErrors, OverlappingWindowsAndBudgetYearsWithoutWindow) {
    const auto problems = problems_of(std::string(minimal) + R"([[programme]]
name = "p"
kind = "csr"
[programme.budget_idr_per_year]
2027 = 1000
[[programme.window]]
start = "2024-01"
end = "2024-06"
[[programme.window]]
start = "2024-06"
end = "2024-12"
)");
    EXPECT_TRUE(has_problem(problems, 11, "programme[0].budget_idr_per_year.2027", "no window"))
        << dump(problems);
    EXPECT_TRUE(has_problem(problems, 16, "programme[0].window[1].start", "overlaps or precedes"))
        << dump(problems);
}

TEST(ScenarioErrors, SharesMustSumToOne) {
    const auto problems = problems_of(std::string(minimal) + R"([population.age_bands]
"15-24" = 0.5
"25-34" = 0.4
"35-44" = 0
"45-54" = 0
"55-64" = 0
"65+" = 0
)");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_EQ(problems[0].key, "population.age_bands");
    EXPECT_NE(problems[0].message.find("sum to 0.9, not 1"), std::string::npos);
}

TEST(ScenarioErrors, PolicyKeysBelongToTheirKind) {
    const auto problems = problems_of(std::string(minimal) + R"([[policy]]
name = "perwal"
kind = "campaign"
start = "2024-03"
register_multiplier = 2
)");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_EQ(problems[0].key, "policy[0].register_multiplier");
    EXPECT_NE(problems[0].message.find("only for kind 'enforcement'"), std::string::npos);
}

TEST(ScenarioErrors, ObservationOutsideTheRun) {
    const auto problems = problems_of(std::string(minimal) + R"([[observation]]
region = "33.71"
month = "2023-12"
value = 0.27
source = "kedu.suaramerdeka pr-213209542"
)");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_EQ(problems[0].key, "observation[0].month");
    EXPECT_NE(problems[0].message.find("outside the run (2024-01 … 2024-12)"), std::string::npos);
}

TEST(ScenarioErrors, UnknownChoiceSuggestsTheClosest) {
    const auto problems = problems_of(std::string(minimal) + R"([[programme]]
name = "p"
kind = "apbd_kota"
[[programme.window]]
start = "2024-01"
end = "2024-06"
)");
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_NE(problems[0].message.find("is not one of:"), std::string::npos);
    EXPECT_NE(problems[0].message.find("did you mean 'apbd_kabkota'?"), std::string::npos);
}

TEST(ScenarioErrors, MalformedTomlNamesLineAndColumn) {
    const auto problems = problems_of("[run]\nstart = \"2024-01\nmonths = 3\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].where.line, 2);
    EXPECT_NE(problems[0].message.find("invalid TOML"), std::string::npos);
}

TEST(ScenarioErrors, MissingFile) {
    try {
        load_scenario("/nonexistent/scenario.toml");
        FAIL();
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].format(),
                  "/nonexistent/scenario.toml: error: cannot open file (No such file or "
                  "directory)");
    }
}
