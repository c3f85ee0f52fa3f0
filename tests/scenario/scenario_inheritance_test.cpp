// What a file that extends another may do to the programmes and policies it inherits: change
// keys of one (merge by name), add one, remove some (remove_programmes, remove_policies),
// replace one whole (remove it and write it again), remove all (`programme = []`) — and that
// a line that would do nothing is an error, also for keys that act only with another key.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

namespace fs = std::filesystem;

constexpr const char* base_text = R"([run]
name = "inherit"
start = "2024-01"
months = 12
seed = 5
replicates = 2

[regions]
include = ["33.71"]

[population]
scale = 40

[[programme]]
name = "apbd"
kind = "apbd_kabkota"
quota_workers = 800
acceptance = 0.8
targeting = "lowest_income_first"
[programme.eligibility]
segments = ["vulnerable", "informal"]
[[programme.window]]
start = "2024-03"
end = "2024-12"

[[programme]]
name = "csr"
kind = "csr"
quota_workers = 300
acceptance = 0.5
[[programme.window]]
start = "2024-01"
end = "2024-06"

[[policy]]
name = "sosialisasi"
kind = "campaign"
start = "2024-02"
awareness_gain = 0.02

[[policy]]
name = "perwal"
kind = "enforcement"
start = "2024-04"
register_multiplier = 1.5
)";

struct Inheritance : ::testing::Test {
    test::ScratchDir dir;
    fs::path base = dir.write("base.toml", base_text);

    std::vector<Diagnostic> problems(const fs::path& file,
                                     const std::vector<std::string>& overrides = {}) {
        try {
            load_scenario(file, overrides);
        } catch (const InputError& e) {
            return e.diagnostics();
        }
        return {};
    }
    // The one problem of `file`, which must have exactly one.
    Diagnostic problem(const fs::path& file, const std::vector<std::string>& overrides = {}) {
        const auto found = problems(file, overrides);
        if (found.size() != 1) {
            ADD_FAILURE() << found.size() << " problems, not 1";
            for (const Diagnostic& d : found)
                ADD_FAILURE() << d.format();
        }
        return found.empty() ? Diagnostic{} : found.front();
    }
};

const FundingProgramme* programme(const Scenario& s, std::string_view name) {
    for (const FundingProgramme& p : s.programmes)
        if (p.name == name) return &p;
    return nullptr;
}

const EntryOrigin* origin(const Scenario& s, std::string_view array, std::string_view name) {
    for (const EntryOrigin& o : s.entry_origins)
        if (o.array == array && o.name == name) return &o;
    return nullptr;
}

} // namespace

TEST_F(Inheritance, AnEntryOfAnInheritedNameChangesOnlyTheKeysItGives) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[[programme]]
name = "apbd"
acceptance = 0.6
[programme.eligibility]
max_income_band = 2
)");
    const Scenario s = load_scenario(child);
    const FundingProgramme* apbd = programme(s, "apbd");
    ASSERT_NE(apbd, nullptr);
    EXPECT_DOUBLE_EQ(apbd->acceptance, 0.6);
    EXPECT_EQ(apbd->quota_workers, 800);                        // kept
    EXPECT_EQ(apbd->targeting, Targeting::lowest_income_first); // kept
    EXPECT_TRUE(apbd->eligibility.segments[1]);                 // informal, kept
    EXPECT_EQ(apbd->eligibility.max_income_band, 2);
    const EntryOrigin* o = origin(s, "programme", "apbd");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->written_in, base.string());
    ASSERT_EQ(o->changes.size(), 1u);
    EXPECT_EQ(o->changes[0].file, child.string());
    EXPECT_EQ(o->changes[0].keys, (std::vector<std::string>{"acceptance", "eligibility"}));
}

TEST_F(Inheritance, RemoveProgrammesAndPoliciesDropsThoseEntries) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
remove_programmes = ["csr"]
remove_policies = ["sosialisasi"]
)");
    const Scenario s = load_scenario(child);
    ASSERT_EQ(s.programmes.size(), 1u);
    EXPECT_EQ(s.programmes[0].name, "apbd");
    ASSERT_EQ(s.policies.size(), 1u);
    EXPECT_EQ(s.policies[0].name, "perwal");
    EXPECT_EQ(origin(s, "programme", "csr")->removed_in, child.string());
    EXPECT_EQ(origin(s, "policy", "sosialisasi")->removed_in, child.string());
    EXPECT_TRUE(origin(s, "programme", "apbd")->removed_in.empty());
    // The resolved scenario holds no trace of the keys: it is the scenario written out flat.
    EXPECT_EQ(s.resolved_toml.find("remove_"), std::string::npos);
    EXPECT_EQ(s.resolved_toml.find("csr"), std::string::npos);
}

TEST_F(Inheritance, RemovingAndWritingAnEntryAgainReplacesItWhole) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
remove_programmes = ["apbd"]
remove_policies = ["perwal"]
[[programme]]
name = "apbd"
kind = "apbd_kabkota"
outreach_per_month = 20
[[programme.window]]
start = "2024-06"
end = "2024-12"
[[policy]]
name = "perwal"
kind = "enforcement"
start = "2024-08"
permit_rate = 0.003
)");
    const Scenario s = load_scenario(child);
    const FundingProgramme* apbd = programme(s, "apbd");
    ASSERT_NE(apbd, nullptr);
    // Nothing of the inherited entry is kept: its quota, acceptance, targeting, eligibility.
    EXPECT_FALSE(apbd->quota_workers.has_value());
    EXPECT_DOUBLE_EQ(apbd->acceptance, 0.9);
    EXPECT_EQ(apbd->targeting, Targeting::random);
    EXPECT_FALSE(apbd->eligibility.segments[1]);
    EXPECT_EQ(apbd->outreach_per_month, 20);
    const auto& perwal = s.policies.back();
    EXPECT_EQ(perwal.name, "perwal");
    EXPECT_DOUBLE_EQ(perwal.register_multiplier, 1);
    EXPECT_EQ(perwal.start, Month(2024, 8));
    const EntryOrigin* o = origin(s, "programme", "apbd");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->written_in, child.string());
    EXPECT_EQ(o->replaced, base.string());
    EXPECT_TRUE(o->removed_in.empty());
}

TEST_F(Inheritance, AddedEntriesComeAfterTheInheritedOnes) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[[programme]]
name = "baznas"
kind = "baznas"
quota_workers = 50
[[programme.window]]
start = "2024-07"
end = "2024-12"
)");
    const Scenario s = load_scenario(child);
    ASSERT_EQ(s.programmes.size(), 3u);
    EXPECT_EQ(s.programmes[2].name, "baznas");
    EXPECT_EQ(origin(s, "programme", "baznas")->written_in, child.string());
    EXPECT_TRUE(load_scenario(base).entry_origins.empty()); // a single file has no history
}

TEST_F(Inheritance, RemovingAnEntryTheBasesDoNotGiveIsAnErrorNamingThoseTheyGive) {
    const auto child = dir.write("child.toml", "extends = \"base.toml\"\n"
                                               "remove_programmes = [\"apbd\", \"cssr\"]\n"
                                               "remove_policies = [\"perwal\", \"perwal\"]\n");
    const auto found = problems(child);
    ASSERT_EQ(found.size(), 2u);
    for (const Diagnostic& d : found)
        EXPECT_EQ(d.where.file, child.string()) << d.format();
    const Diagnostic& unknown = found[0].key == "remove_programmes[1]" ? found[0] : found[1];
    const Diagnostic& twice = found[0].key == "remove_programmes[1]" ? found[1] : found[0];
    EXPECT_EQ(unknown.key, "remove_programmes[1]");
    EXPECT_EQ(unknown.where.line, 2);
    EXPECT_NE(unknown.message.find("no inherited programme 'cssr' to remove"), std::string::npos)
        << unknown.message;
    EXPECT_NE(unknown.message.find("give the programmes apbd, csr"), std::string::npos)
        << unknown.message;
    EXPECT_EQ(twice.key, "remove_policies[1]");
    EXPECT_EQ(twice.where.line, 3);
    EXPECT_NE(twice.message.find("listed twice"), std::string::npos) << twice.message;
}

TEST_F(Inheritance, RemoveKeysInAFileThatExtendsNothingOrEmptyAreErrors) {
    const auto alone =
        dir.write("alone.toml", std::string("remove_policies = [\"x\"]\n") + base_text);
    Diagnostic d = problem(alone);
    EXPECT_EQ(d.key, "remove_policies[0]");
    EXPECT_NE(d.message.find("this file extends no other file"), std::string::npos) << d.message;

    const auto empty = dir.write("empty.toml", "extends = \"base.toml\"\nremove_programmes = []\n");
    d = problem(empty);
    EXPECT_EQ(d.key, "remove_programmes");
    EXPECT_NE(d.message.find("removes nothing"), std::string::npos) << d.message;

    // A scenario given as text has no file to extend either.
    try {
        load_scenario_text(std::string("remove_programmes = [\"csr\"]\n") + base_text, "page");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].key, "remove_programmes");
        EXPECT_NE(e.diagnostics()[0].message.find("nothing to remove"), std::string::npos);
    }
}

TEST_F(Inheritance, AnEmptyListWithNothingInheritedIsAnError) {
    const auto child = dir.write("child.toml", "extends = \"base.toml\"\n"
                                               "observation = []\n"
                                               "[population]\nregion = []\n");
    const auto found = problems(child);
    ASSERT_EQ(found.size(), 2u);
    for (const Diagnostic& d : found) {
        EXPECT_TRUE(d.key == "observation" || d.key == "population.region") << d.key;
        EXPECT_NE(d.message.find("'" + base.string() + "' and its bases give no entries"),
                  std::string::npos)
            << d.message;
    }
    // The same in a file that extends none.
    const auto alone = dir.write("alone.toml", std::string("commuting = []\n") + base_text);
    const Diagnostic d = problem(alone);
    EXPECT_EQ(d.key, "commuting");
    EXPECT_EQ(d.where.line, 1);
    EXPECT_NE(d.message.find("this file extends no other file"), std::string::npos) << d.message;

    // Emptying what the base gives is fine, and twice in a chain the second does nothing.
    const auto none = dir.write("none.toml", "extends = \"base.toml\"\npolicy = []\n");
    EXPECT_TRUE(load_scenario(none).policies.empty());
    const auto again = dir.write("again.toml", "extends = \"none.toml\"\npolicy = []\n");
    EXPECT_EQ(problem(again).key, "policy");
}

TEST_F(Inheritance, AnEntryThatOnlyNamesAnInheritedOneIsAnError) {
    const auto child =
        dir.write("child.toml", "extends = \"base.toml\"\n\n[[policy]]\nname = \"perwal\"\n");
    const Diagnostic d = problem(child);
    EXPECT_EQ(d.key, "policy[1]");
    EXPECT_EQ(d.where.line, 3);
    EXPECT_NE(d.message.find("gives no key to change"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("remove_policies"), std::string::npos) << d.message;
}

TEST_F(Inheritance, TwoEntriesOfOneNameInAChildAreAnError) {
    // Merged one after the other into the inherited entry, the second would win silently.
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[[programme]]
name = "csr"
acceptance = 0.6
[[programme]]
name = "csr"
acceptance = 0.7
)");
    const Diagnostic d = problem(child);
    EXPECT_EQ(d.key, "programme[1].name");
    EXPECT_EQ(d.where.line, 6);
    EXPECT_NE(d.message.find("duplicate programme name 'csr'"), std::string::npos) << d.message;
}

TEST_F(Inheritance, SetRemovesEntriesAsAChildFileDoes) {
    const Scenario s = load_scenario(base, {"remove_programmes=[\"apbd\"]"});
    ASSERT_EQ(s.programmes.size(), 1u);
    EXPECT_EQ(s.programmes[0].name, "csr");
    const Diagnostic d = problem(base, {"remove_policies=[\"campaign\"]"});
    EXPECT_TRUE(d.where.from_command_line);
    EXPECT_EQ(d.key, "remove_policies[0]");
    EXPECT_NE(d.message.find("give the policies sosialisasi, perwal"), std::string::npos)
        << d.message;
}

TEST_F(Inheritance, KeysThatActOnlyWithAnotherAreErrorsWithoutIt) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
[population]
unobserved_province_factor = 1.2
workforce_growth_factor = 0.5
[population.head_office]
region = "33.71"
[behaviour]
employer_registration = "steady_state"
h0_register = 0.02
[[programme]]
name = "csr"
targeting = "lowest_income_first"
[[programme]]
name = "unlimited"
kind = "other"
targeting = "lowest_income_first"
[[programme.window]]
start = "2024-01"
end = "2024-02"
[[policy]]
name = "perwal"
permit_compliance = 0.4
[[policy]]
name = "outreach"
kind = "campaign"
start = "2024-02"
within_km_of_office = 5
)");
    const auto found = problems(child);
    std::vector<std::pair<std::string, int>> where;
    for (const Diagnostic& d : found) {
        where.emplace_back(d.key, d.where.line);
        EXPECT_NE(d.message.find("does nothing"), std::string::npos) << d.format();
        EXPECT_EQ(d.where.file, child.string()) << d.format();
    }
    std::sort(where.begin(), where.end());
    EXPECT_EQ(where, (std::vector<std::pair<std::string, int>>{
                         {"behaviour.h0_register", 9},
                         {"policy[1].permit_compliance", 22},
                         {"policy[2].within_km_of_office", 27},
                         {"population.head_office.region", 6},
                         {"population.unobserved_province_factor", 3},
                         {"population.workforce_growth_factor", 4},
                         {"programme[2].targeting", 16},
                     }));
    // With the key they act with, each is accepted (the csr programme has a quota, and the
    // inherited campaign an awareness_gain).
    const auto fixed = dir.write("fixed.toml", R"(extends = "base.toml"
[population]
initial_coverage_from = "province_active_2023_12"
unobserved_province_factor = 1.2
workforce_from = "bps_employment_by_province"
workforce_growth_factor = 0.5
[population.head_office]
region = "33.71"
share = 0
[behaviour]
h0_register = 0.02
[[programme]]
name = "csr"
targeting = "lowest_income_first"
[[policy]]
name = "perwal"
permit_rate = 0.003
permit_compliance = 0.4
[[policy]]
name = "sosialisasi"
within_km_of_office = 5
)");
    EXPECT_TRUE(problems(fixed).empty());
    const auto entry =
        dir.write("entry.toml", "extends = \"fixed.toml\"\n[behaviour]\nentry_rate = 0.003\n");
    const Diagnostic d = problem(entry);
    EXPECT_EQ(d.key, "behaviour.entry_rate");
    EXPECT_NE(d.message.find("bps_employment_by_province"), std::string::npos) << d.message;
}

// The effective scenario of a child equals the same scenario written out in one file: the
// runs' summaries and programme tables are identical, byte for byte, with the same seed.
TEST_F(Inheritance, AChildRunsAsTheScenarioWrittenOutFlat) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
remove_programmes = ["csr"]
remove_policies = ["perwal"]
[[programme]]
name = "apbd"
acceptance = 0.7
[[programme.window]]
start = "2024-02"
end = "2024-11"
[[programme]]
name = "csr"
kind = "csr"
outreach_per_month = 15
[[programme.window]]
start = "2024-04"
end = "2024-09"
[[policy]]
name = "perwal"
kind = "enforcement"
start = "2024-05"
register_multiplier = 2
)");
    const auto flat = dir.write("sub/flat.toml", R"([run]
name = "inherit"
start = "2024-01"
months = 12
seed = 5
replicates = 2

[regions]
include = ["33.71"]

[population]
scale = 40

[[programme]]
name = "apbd"
kind = "apbd_kabkota"
quota_workers = 800
acceptance = 0.7
targeting = "lowest_income_first"
[programme.eligibility]
segments = ["vulnerable", "informal"]
[[programme.window]]
start = "2024-02"
end = "2024-11"

[[programme]]
name = "csr"
kind = "csr"
outreach_per_month = 15
[[programme.window]]
start = "2024-04"
end = "2024-09"

[[policy]]
name = "sosialisasi"
kind = "campaign"
start = "2024-02"
awareness_gain = 0.02

[[policy]]
name = "perwal"
kind = "enforcement"
start = "2024-05"
register_multiplier = 2
)");
    for (const auto& [file, out] : {std::pair{child, dir.path() / "a" / "inherit.h5"},
                                    std::pair{flat, dir.path() / "b" / "inherit.h5"}}) {
        fs::create_directories(out.parent_path());
        const auto r = test::run_program({"run", file.string(), "-o", out.string()});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    for (const char* name : {"inherit.summary.csv", "inherit.programmes.csv"}) {
        const std::string a = test::read_file(dir.path() / "a" / name);
        EXPECT_FALSE(a.empty()) << name;
        EXPECT_EQ(a, test::read_file(dir.path() / "b" / name)) << name;
    }
}

TEST_F(Inheritance, ValidateShowsWhatTheChildDidToEachEntry) {
    const auto child = dir.write("child.toml", R"(extends = "base.toml"
remove_programmes = ["csr"]
remove_policies = ["perwal"]
[[programme]]
name = "apbd"
acceptance = 0.7
quota_workers = 700
[[policy]]
name = "perwal"
kind = "enforcement"
start = "2024-05"
)");
    const auto r = test::run_program({"validate", child.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string b = base.string(), c = child.string();
    for (const std::string& line :
         {"  programme    apbd (apbd_kabkota): 1 window, 10 funded months, quota 700\n"
          "                 from " +
              b + "; changed by " + c + ": acceptance, quota_workers\n",
          "  policy       sosialisasi (campaign)\n                 from " + b + "\n",
          "  policy       perwal (enforcement)\n                 replaced whole by " + c +
              " (was " + b + "'s)\n",
          "  removed      programme csr (from " + b + ") by " + c + "\n"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line << "\nin\n" << r.out;
    EXPECT_EQ(r.out.find("removed      policy"), std::string::npos) << r.out;
}
