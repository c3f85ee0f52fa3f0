// `extends` and `--set`: how scenarios are composed, and that problems still point at the
// file, line or argument that introduced them.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

constexpr const char* base_text = R"(# base
[run]
name = "base"
start = "2024-01"
months = 36
seed = 11

[regions]
include = ["33.71", "33.08"]

[behaviour]
h_lapse = 0.07
h0_self = 0.009

[[programme]]
name = "kota-magelang-apbd"
kind = "apbd_kabkota"
regions = ["33.71"]
quota_workers = 2300
acceptance = 0.9
[programme.budget_idr_per_year]
2024 = 206_035_200
[[programme.window]]
start = "2024-07"
end = "2024-12"

[[programme]]
name = "csr"
kind = "csr"
quota_workers = 100
[[programme.window]]
start = "2024-01"
end = "2024-12"

[[observation]]
region = "33.71"
month = "2024-06"
value = 0.27
source = "base"
)";

struct Composition : ::testing::Test {
    test::ScratchDir dir;
    std::filesystem::path base = dir.write("base.toml", base_text);

    std::vector<Diagnostic> problems(const std::filesystem::path& file,
                                     const std::vector<std::string>& overrides = {}) {
        try {
            load_scenario(file, overrides);
        } catch (const InputError& e) {
            return e.diagnostics();
        }
        return {};
    }
};

} // namespace

TEST_F(Composition, ChildOverridesOnlyWhatItSays) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[run]
name = "child"
[behaviour]
h_lapse = 0.05
)");
    const Scenario s = load_scenario(child);
    EXPECT_EQ(s.run.name, "child");
    EXPECT_EQ(s.run.months, 36); // from the base
    EXPECT_EQ(s.run.seed, 11u);  // from the base
    EXPECT_DOUBLE_EQ(s.behaviour.h_lapse, 0.05);
    EXPECT_DOUBLE_EQ(s.behaviour.h0_self, 0.009); // sibling key in the base survives
    EXPECT_EQ(s.programmes.size(), 2u);
    EXPECT_EQ(s.observations.size(), 1u);
    EXPECT_EQ(s.resolved_toml.find("extends"), std::string::npos);
}

TEST_F(Composition, ProgrammesMergeByNameAndWindowsAreReplaced) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[[programme]]
name = "kota-magelang-apbd"
[programme.budget_idr_per_year]
2025 = 412_070_400
[[programme.window]]
start = "2024-07"
end = "2024-12"
[[programme.window]]
start = "2025-01"
end = "2025-12"

[[programme]]
name = "baznas"
kind = "baznas"
quota_workers = 50
[[programme.window]]
start = "2025-01"
end = "2025-12"
)");
    const Scenario s = load_scenario(child);
    ASSERT_EQ(s.programmes.size(), 3u);
    const FundingProgramme& apbd = s.programmes[0];
    EXPECT_EQ(apbd.name, "kota-magelang-apbd");
    EXPECT_EQ(apbd.quota_workers, 2300); // kept from the base entry
    EXPECT_EQ(apbd.windows.size(), 2u);
    // Tables inside an entry merge key by key: both budget years are there.
    EXPECT_DOUBLE_EQ(apbd.budget_idr_per_year.at(2024), 206'035'200);
    EXPECT_DOUBLE_EQ(apbd.budget_idr_per_year.at(2025), 412'070'400);
    EXPECT_EQ(s.programmes[1].name, "csr");
    EXPECT_EQ(s.programmes[2].name, "baznas");
}

// `programme = []` in a child once merged nothing and so did nothing; it removes the base's
// programmes, as `--set 'programme=[]'` does.
TEST_F(Composition, AnEmptyListInAChildRemovesTheBasesEntries) {
    const auto child = dir.write("child.toml", "extends = \"base.toml\"\nprogramme = []\n");
    EXPECT_TRUE(load_scenario(child).programmes.empty());
    EXPECT_TRUE(load_scenario(base, {"programme=[]"}).programmes.empty());
    const auto policies = dir.write("policies.toml", R"(extends = "child.toml"
[[programme]]
name = "baznas"
kind = "baznas"
quota_workers = 50
[[programme.window]]
start = "2025-01"
end = "2025-12"
)");
    const Scenario s = load_scenario(policies);
    ASSERT_EQ(s.programmes.size(), 1u); // the grandparent's two stay removed
    EXPECT_EQ(s.programmes[0].name, "baznas");
    // Emptying again what is already empty would do nothing: an error at the line.
    const auto again = dir.write("again.toml", "extends = \"child.toml\"\n\nprogramme = []\n");
    const auto found = problems(again);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].key, "programme");
    EXPECT_EQ(found[0].where.line, 3);
    EXPECT_NE(found[0].message.find("does nothing"), std::string::npos) << found[0].message;
}

TEST_F(Composition, OtherArraysAreReplacedWhole) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[regions]
include = ["33.71"]
[[programme]]
name = "csr"
regions = ["33.71"]
[[observation]]
region = "33.71"
month = "2025-01"
value = 0.3
source = "child"
)");
    const Scenario s = load_scenario(child);
    EXPECT_EQ(s.regions.size(), 1u);
    ASSERT_EQ(s.observations.size(), 1u);
    EXPECT_EQ(s.observations[0].source, "child");
}

TEST_F(Composition, ChainsOfBasesResolveInOrder) {
    dir.write("middle.toml", "extends = \"base.toml\"\n[run]\nmonths = 24\nseed = 12\n");
    const auto top = dir.write("sub/top.toml", "extends = \"../middle.toml\"\n[run]\nseed = 13\n");
    const Scenario s = load_scenario(top);
    EXPECT_EQ(s.run.months, 24);
    EXPECT_EQ(s.run.seed, 13u);
    EXPECT_EQ(s.run.name, "base");
}

TEST_F(Composition, ProblemsPointAtTheFileThatIntroducedThem) {
    const auto child = dir.write("child.toml", "extends = \"base.toml\"\n\n[behaviour]\n"
                                               "h_lapse = -1\n");
    const auto found = problems(child);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].where.file, child.string());
    EXPECT_EQ(found[0].where.line, 4);
    EXPECT_EQ(found[0].key, "behaviour.h_lapse");
}

TEST_F(Composition, CyclesAreReported) {
    const auto a = dir.write("a.toml", "extends = \"b.toml\"\n");
    dir.write("b.toml", "# b\nextends = \"a.toml\"\n");
    const auto found = problems(a);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].key, "extends");
    EXPECT_EQ(found[0].where.line, 2);
    EXPECT_NE(found[0].message.find("cycle in extends: a.toml → b.toml → a.toml"),
              std::string::npos)
        << found[0].message;
}

TEST_F(Composition, SelfExtensionIsACycle) {
    const auto a = dir.write("self.toml", "extends = \"self.toml\"\n");
    const auto found = problems(a);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].message.find("cycle in extends"), std::string::npos);
}

TEST_F(Composition, SetOverridesNumbersStringsAndProgrammesByNameOrIndex) {
    const Scenario s =
        load_scenario(base, {"run.seed=99", "run.start=2024-02", "run.name=from the command line",
                             "programme.kota-magelang-apbd.premium_idr_per_month=20000",
                             "programme.1.quota_workers=7", "regions.include=[\"33.71\"]",
                             "population.age_bands.65+=0.04", "behaviour.b_peer=1.5"});
    EXPECT_EQ(s.run.seed, 99u);
    EXPECT_EQ(s.run.start, Month(2024, 2));
    EXPECT_EQ(s.run.name, "from the command line");
    EXPECT_DOUBLE_EQ(s.programmes[0].premium_idr_per_month, 20'000);
    EXPECT_EQ(s.programmes[1].quota_workers, 7);
    EXPECT_EQ(s.regions.size(), 1u);
    EXPECT_DOUBLE_EQ(s.behaviour.b_peer, 1.5);
    // The resolved text records the override, so outputs say what was really run.
    EXPECT_NE(s.resolved_toml.find("premium_idr_per_month = 20000"), std::string::npos);
}

TEST_F(Composition, SetProblemsNameTheArgument) {
    const auto found = problems(base, {"run.sed=3", "behaviour.h_lapse=-1", "run.seed",
                                       "programme.nosuch.acceptance=1", "run.months=\"x\""});
    ASSERT_EQ(found.size(), 5u);
    std::vector<std::string> lines;
    for (const Diagnostic& d : found) {
        EXPECT_TRUE(d.where.from_command_line) << d.format();
        lines.push_back(d.format());
    }
    const auto contains = [&](const std::string& text) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(contains("--set run.seed: error: expected KEY=VALUE"));
    EXPECT_TRUE(contains("--set programme.nosuch.acceptance=1: error: programme: no entry "
                         "'nosuch' (entries: kota-magelang-apbd, csr)"));
    EXPECT_TRUE(contains("--set run.sed=3: error: run.sed: unknown key (did you mean 'seed'?)"));
    EXPECT_TRUE(contains("--set behaviour.h_lapse=-1: error: behaviour.h_lapse: -1 is out of "
                         "range [0, 10]"));
    EXPECT_TRUE(contains("--set run.months=\"x\": error: run.months: expected an integer in [1, "
                         "1200], got a string"));
}
