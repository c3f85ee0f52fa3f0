// The table of scenario keys: every key is well formed, a concrete path finds its key, an
// unknown path is explained from the table, the validator reads exactly the keys of the
// table with the table's ranges, and reading a key the table does not have is caught.

#include "support/test_support.hpp"
#include "toml_reader.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <set>

using namespace ulcsim;

namespace {

/// A scenario with an entry of every array of tables, so that the validator reads every key.
constexpr const char* every_table = R"(
[run]
start = "2024-01"
months = 24

[regions]
include = ["33.71", "33.08"]

[population]
scale = 50
[population.initial_coverage]
formal_employer = 0.5
[population.awareness]
formal = 0.5
[population.fears_bansos]
informal = 0.1
[population.age_bands]
"15-24" = 0.15
[population.income_bands]
formal = [0.10, 0.20, 0.30, 0.25, 0.15]
[population.occupations.formal]
other = 1.0
[[population.region]]
region = "33.71"
km_to_office = 2

[[commuting]]
from = "33.08"
to = "33.71"
share = 0.05

[behaviour]
h0_self = 0.01
[behaviour.mortality]
"65+" = 0.003
[behaviour.accidents]
farmer = 0.0003

[benefits]
jkm_idr = 42_000_000

[[programme]]
name = "apbd"
kind = "apbd_kabkota"
regions = ["33.71"]
[programme.budget_idr_per_year]
2024 = 100_000_000
[programme.eligibility]
segments = ["vulnerable"]
[[programme.window]]
start = "2024-07"
end = "2024-12"

[[policy]]
name = "campaign"
kind = "campaign"
start = "2024-03"

[[observation]]
region = "33.71"
month = "2024-06"
value = 0.3
source = "a test"

[ulc]
threshold = 0.5
)";

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

std::string dump(const std::vector<Diagnostic>& problems) {
    std::string out;
    for (const Diagnostic& d : problems)
        out += d.format() + "\n";
    return out;
}

/// A concrete path of `key` in the scenario above: entries by position, names from the key's
/// list, a year for a budget.
std::string instance(const ScenarioKey& key) {
    std::string path(key.path);
    for (std::size_t at = path.find('*'); at != std::string::npos; at = path.find('*')) {
        const bool last = at + 1 == path.size();
        std::string part = "0";
        if (last) part = key.key_names.empty() ? "2024" : std::string(key.key_names.back());
        path.replace(at, 1, part);
    }
    return path;
}

} // namespace

TEST(ScenarioKeys, EveryKeyIsWellFormed) {
    std::set<std::string_view> paths;
    for (const ScenarioKey& k : scenario_keys()) {
        SCOPED_TRACE(std::string(k.path));
        EXPECT_TRUE(paths.insert(k.path).second) << "listed twice";
        EXPECT_FALSE(k.summary.empty());
        EXPECT_LE(k.lower, k.upper);
        const bool numeric =
            k.type == KeyType::number || k.type == KeyType::integer || k.type == KeyType::numbers;
        if (!numeric) {
            EXPECT_TRUE(std::isinf(k.lower) && std::isinf(k.upper)) << "a range without numbers";
            EXPECT_EQ(k.quantity, Quantity::none);
        }
        // Names are from a fixed list, except names of entries (remove_programmes), whose rule
        // says which names are allowed.
        if (k.type == KeyType::names && k.choices.empty())
            EXPECT_FALSE(k.rule.empty()) << "names from no list and no rule";
        else
            EXPECT_EQ(!k.choices.empty(), k.type == KeyType::choice || k.type == KeyType::names);
        if (k.fittable) {
            EXPECT_EQ(k.type, KeyType::number) << "calibrate fits real numbers";
        }
        if (k.variable) {
            EXPECT_TRUE(k.type == KeyType::number || k.type == KeyType::integer ||
                        k.type == KeyType::month || k.type == KeyType::boolean ||
                        k.type == KeyType::choice);
        }
        if (!k.key_names.empty()) {
            EXPECT_TRUE(k.path.ends_with(".*"));
        }
        if (k.type != KeyType::table) {
            EXPECT_FALSE(k.default_text.empty());
        }
        // The table that holds a key is a key of its own, so that it can be documented and
        // named by --set.
        const std::size_t dot = k.path.rfind('.');
        if (dot != std::string_view::npos) {
            std::string_view table = k.path.substr(0, dot);
            if (table.ends_with(".*")) table.remove_suffix(2);
            const ScenarioKey* holder = find_scenario_key(table);
            ASSERT_NE(holder, nullptr) << table;
            EXPECT_EQ(holder->type, KeyType::table) << table;
        }
    }
    EXPECT_GE(paths.size(), 150u);
}

TEST(ScenarioKeys, AConcretePathFindsItsKey) {
    const auto path_of = [](std::string_view concrete, bool short_names = false) {
        const ScenarioKey* k = find_scenario_key(concrete, short_names);
        return k ? std::string(k->path) : std::string("(none)");
    };
    EXPECT_EQ(path_of("behaviour.h0_self"), "behaviour.h0_self");
    EXPECT_EQ(path_of("h0_self"), "(none)");
    EXPECT_EQ(path_of("h0_self", true), "behaviour.h0_self");
    EXPECT_EQ(path_of("mortality", true), "(none)") << "a table is not a parameter";
    EXPECT_EQ(path_of("programme.kota-magelang-apbd.window.1.end"), "programme.*.window.*.end");
    EXPECT_EQ(path_of("programme.0.premium_idr_per_month"), "programme.*.premium_idr_per_month");
    EXPECT_EQ(path_of("programme.x.budget_idr_per_year.2025"), "programme.*.budget_idr_per_year.*");
    EXPECT_EQ(path_of("behaviour.mortality.65+"), "behaviour.mortality.*");
    EXPECT_EQ(path_of("behaviour.mortality.70+"), "(none)");
    EXPECT_EQ(path_of("population.occupations.informal.fisher"),
              "population.occupations.informal.*");
    EXPECT_EQ(path_of("population.occupations.informal.pilot"), "(none)");
    EXPECT_EQ(path_of("programme.x"), "(none)");
    EXPECT_EQ(path_of("run.seed.x"), "(none)");
}

TEST(ScenarioKeys, EveryKeyIsTheOnlyOneItsInstancesFind) {
    for (const ScenarioKey& k : scenario_keys()) {
        const ScenarioKey* found = find_scenario_key(instance(k));
        ASSERT_NE(found, nullptr) << instance(k);
        EXPECT_EQ(found, &k) << instance(k) << " finds " << found->path;
    }
}

TEST(ScenarioKeys, AnUnknownPathIsExplainedFromTheTable) {
    const auto explain = [](std::string_view path) {
        const auto unknown = unknown_scenario_key(path);
        return unknown ? unknown->key + ": " + unknown->message : std::string("(a key)");
    };
    EXPECT_EQ(explain("run.seed"), "(a key)");
    EXPECT_EQ(explain("programme.any-name.window.3.quota_workers"), "(a key)");
    EXPECT_EQ(explain("run.sed"), "run.sed: unknown key (did you mean 'seed'?)");
    EXPECT_EQ(explain("behavior.h0_self"), "behavior: unknown key (did you mean 'behaviour'?)");
    EXPECT_EQ(explain("programme.apbd.premum_idr_per_month"),
              "programme.apbd.premum_idr_per_month: unknown key (did you mean "
              "'premium_idr_per_month'?)");
    EXPECT_EQ(explain("behaviour.mortality.15-25"),
              "behaviour.mortality.15-25: unknown key (did you mean '15-24'?)");
    EXPECT_EQ(explain("run.seed.bits"), "run.seed.bits: unknown key");
    EXPECT_EQ(explain("ulc.xyzzy"), "ulc.xyzzy: unknown key");
    const std::string entry = explain("policy.campaign");
    EXPECT_EQ(entry.substr(0, entry.find('(')),
              "policy.campaign: unknown key: set one of its keys ");
    EXPECT_NE(entry.find("register_multiplier"), std::string::npos) << entry;
}

TEST(ScenarioKeys, TheValidatorReadsEveryKeyOfTheTable) {
    ASSERT_EQ(dump(problems_of(every_table)), "");
    // Setting any key of the table is never an unknown key; the values are of the wrong type
    // on purpose, so that every key is reported, each at its own path.
    for (const ScenarioKey& k : scenario_keys()) {
        if (k.type == KeyType::table || k.path == "extends") continue;
        const std::string path = instance(k);
        const auto problems = problems_of(every_table, {path + "={ not = \"a value\" }"});
        SCOPED_TRACE(path);
        for (const Diagnostic& d : problems)
            EXPECT_EQ(d.message.find("unknown key"), std::string::npos) << d.format();
        EXPECT_FALSE(problems.empty()) << "a table where a value belongs is reported";
    }
}

TEST(ScenarioKeys, RangesAreTheTables) {
    for (const ScenarioKey& k : scenario_keys()) {
        if ((k.type != KeyType::number && k.type != KeyType::integer) || std::isinf(k.upper))
            continue;
        const std::string path = instance(k);
        SCOPED_TRACE(path);
        // A step above the bound that a double can tell from it (1e16 + 1 is 1e16).
        const double above = std::max(k.upper + 1, k.upper * (1 + 1e-9));
        // Beyond 64 bits an integer cannot be written in TOML; the type message then states
        // the range instead.
        const bool beyond_integers = k.type == KeyType::integer && above >= 0x1p63;
        const std::string text = beyond_integers ? "9223372036854775808"
                                 : k.type == KeyType::integer
                                     ? std::to_string(static_cast<long long>(above))
                                     : std::to_string(above);
        const auto problems = problems_of(every_table, {path + "=" + text});
        bool reported = false;
        for (const Diagnostic& d : problems)
            reported = reported ||
                       d.message.find(beyond_integers ? "expected an integer in ["
                                                      : " is out of range ") != std::string::npos;
        EXPECT_TRUE(reported) << dump(problems);
        // And the upper bound itself is within the range (unless other rules forbid it).
        for (const Diagnostic& d : problems_of(every_table, {path + "=" + std::to_string(k.upper)}))
            EXPECT_EQ(d.message.find(" is out of range "), std::string::npos) << d.format();
    }
}

TEST(ScenarioKeys, ReadingAKeyTheTableDoesNotHaveIsAMistakeOfTheValidator) {
    const toml::table document = toml::parse("[behaviour]\nh0_self = 0.01\n");
    detail::Diagnostics diagnostics;
    detail::TableReader root(&document, "", "", diagnostics, SourceLocation{"t.toml", 1, 1});
    detail::TableReader behaviour = root.table("behaviour");
    EXPECT_EQ(behaviour.number("h0_self"), 0.01);
    EXPECT_THROW(behaviour.number("h0_selfish"), std::logic_error);
    EXPECT_THROW(behaviour.integer("h0_self"), std::logic_error) << "the table says number";
    EXPECT_THROW(root.table("behavior"), std::logic_error);
    const std::array<std::string_view, 2> not_the_tables{"b", "a"};
    detail::TableReader ulc = root.table("ulc");
    EXPECT_THROW(ulc.choice("measure", not_the_tables), std::logic_error);
}

TEST(ScenarioKeys, SetNamesOnlyKeysOfTheTable) {
    const auto problems =
        problems_of(every_table, {"behaviour.h0_slef=0.1", "programme.apbd.premum_idr_per_month=1",
                                  "population.occupations.formal.pilot=0.1"});
    ASSERT_EQ(problems.size(), 3u) << dump(problems);
    EXPECT_EQ(problems[0].format(), "--set behaviour.h0_slef=0.1: error: behaviour.h0_slef: "
                                    "unknown key (did you mean 'h0_self'?)");
    EXPECT_EQ(problems[1].format(),
              "--set programme.apbd.premum_idr_per_month=1: error: "
              "programme.apbd.premum_idr_per_month: unknown key (did you mean "
              "'premium_idr_per_month'?)");
    EXPECT_EQ(problems[2].key, "population.occupations.formal.pilot");
    EXPECT_TRUE(problems[2].where.from_command_line);
    // Keys named by data or by a fixed list are keys like any other.
    EXPECT_EQ(dump(problems_of(every_table, {"programme.apbd.budget_idr_per_year.2024=5",
                                             "behaviour.accidents.fisher=0.001",
                                             "programme.0.window.0.end=2024-11"})),
              "");
}
