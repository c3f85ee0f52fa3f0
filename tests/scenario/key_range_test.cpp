// Every numeric key of the scenario language at and beyond its range, generated from the key
// table (the one `ulcsim keys` prints): the value just beyond each bound, NaN, ±∞ and a string
// are each refused with an InputError whose message names the key and states its range, and
// the bounds themselves are accepted as far as the range goes. The scenario is the library's
// load function in-process, one case per kind of value, each trying every key.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace ulcsim;

namespace {

/// A valid scenario with an entry of every array of tables, so that every key has a table
/// to live in.
std::filesystem::path base_scenario() {
    return test::source_dir() / "tests/scenario/bad_input/bases/every-table.toml";
}

bool is_numeric(const ScenarioKey& k) {
    return k.type == KeyType::number || k.type == KeyType::integer || k.type == KeyType::numbers;
}

/// A concrete path of `key` in the base scenario (entries by position, names from the key's
/// list, a year for a budget), and the path the validator names it by (entries as `[0]`).
struct KeyInstance {
    std::string set_path;
    std::string named;
};
KeyInstance instance(const ScenarioKey& key) {
    KeyInstance out;
    std::string_view rest = key.path;
    while (!rest.empty()) {
        const std::size_t dot = rest.find('.');
        const std::string_view part = rest.substr(0, dot);
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        if (!out.set_path.empty()) out.set_path += '.';
        if (part != "*") {
            out.set_path += part;
            out.named += (out.named.empty() ? "" : ".") + std::string(part);
        } else if (!rest.empty()) {
            out.set_path += "0";
            out.named += "[0]";
        } else {
            const std::string name =
                key.key_names.empty() ? "2024" : std::string(key.key_names.back());
            out.set_path += name;
            out.named += "." + name;
        }
    }
    return out;
}

/// A double as TOML reads it back exactly (the shortest round trip; ∞ and NaN by name).
std::string toml_number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    EXPECT_EQ(ec, std::errc());
    return std::string(buf, end);
}

/// An integer key's bounds as 64-bit integers: an infinite bound, or one at 2⁶³, is the
/// type's.
std::pair<std::int64_t, std::int64_t> integer_bounds(const ScenarioKey& k) {
    constexpr double type_limit = 0x1p63;
    return {
        std::isfinite(k.lower) && k.lower > -type_limit ? static_cast<std::int64_t>(k.lower)
                                                        : std::numeric_limits<std::int64_t>::min(),
        std::isfinite(k.upper) && k.upper < type_limit ? static_cast<std::int64_t>(k.upper)
                                                       : std::numeric_limits<std::int64_t>::max()};
}

/// The range as the validator states it: `[0, 1]`, `(0, 1e+10]`, `[1, 1200]` for integers.
std::string stated_range(const ScenarioKey& k) {
    if (k.type == KeyType::integer) {
        const auto [lo, hi] = integer_bounds(k);
        return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    }
    const auto bound = [](double v) {
        if (std::isinf(v)) return std::string(v > 0 ? "∞" : "-∞");
        return toml_number(v);
    };
    return (k.lower_open ? "(" : "[") + bound(k.lower) + ", " + bound(k.upper) +
           (std::isinf(k.upper) ? ")" : "]");
}

/// The kinds of value tried on every key.
enum class Beyond { below, above, nan, plus_infinity, minus_infinity, text };

const char* name_of(Beyond b) {
    switch (b) {
    case Beyond::below:
        return "JustBelowTheLowerBound";
    case Beyond::above:
        return "JustAboveTheUpperBound";
    case Beyond::nan:
        return "NaN";
    case Beyond::plus_infinity:
        return "PlusInfinity";
    case Beyond::minus_infinity:
        return "MinusInfinity";
    case Beyond::text:
        return "AString";
    }
    return "?";
}

/// The TOML text of a value of kind `b` for `k`, or "" when the key has no such bound.
std::string value_text(const ScenarioKey& k, Beyond b) {
    const bool integer = k.type == KeyType::integer;
    // A step that a double can tell from the bound (1e16 + 1 is 1e16) and TOML keeps.
    const auto step = [](double v) { return std::max(1e-9, std::abs(v) * 1e-9); };
    switch (b) {
    case Beyond::below:
        if (integer) {
            const std::int64_t lo = integer_bounds(k).first;
            return lo == std::numeric_limits<std::int64_t>::min() ? "-9223372036854775809"
                                                                  : std::to_string(lo - 1);
        }
        if (std::isinf(k.lower)) return "";
        return k.lower_open ? toml_number(k.lower) : toml_number(k.lower - step(k.lower));
    case Beyond::above:
        if (integer) {
            const std::int64_t hi = integer_bounds(k).second;
            // Beyond 64 bits, which TOML cannot read as an integer: the type message says so.
            return hi == std::numeric_limits<std::int64_t>::max() ? "9223372036854775808"
                                                                  : std::to_string(hi + 1);
        }
        if (std::isinf(k.upper)) return "";
        return toml_number(k.upper + step(k.upper));
    case Beyond::nan:
        return "nan";
    case Beyond::plus_infinity:
        return "inf";
    case Beyond::minus_infinity:
        return "-inf";
    case Beyond::text:
        return "\"12\"";
    }
    return "";
}

std::vector<Diagnostic> problems_of(const std::vector<std::string>& overrides) {
    try {
        load_scenario(base_scenario(), overrides);
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

class KeyRange : public testing::TestWithParam<Beyond> {};

void PrintTo(Beyond b, std::ostream* out) {
    *out << name_of(b);
}

} // namespace

TEST(KeyRangeBase, TheBaseScenarioIsValidAndEveryNumericKeyHasAFiniteRange) {
    ASSERT_EQ(dump(problems_of({})), "");
    int numeric = 0;
    for (const ScenarioKey& k : scenario_keys()) {
        if (!is_numeric(k)) continue;
        ++numeric;
        SCOPED_TRACE(std::string(k.path));
        EXPECT_TRUE(std::isfinite(k.lower)) << "no lower bound";
        // An integer's infinite upper bound is 2⁶³ − 1, which the validator states.
        EXPECT_TRUE(std::isfinite(k.upper) || k.type == KeyType::integer) << "no upper bound";
    }
    EXPECT_GE(numeric, 100);
}

TEST(KeyRangeBase, TheBoundsThemselvesAreNotOutOfRange) {
    for (const Beyond beyond : {Beyond::below, Beyond::above})
        for (const ScenarioKey& k : scenario_keys()) {
            if (!is_numeric(k)) continue;
            const double bound = beyond == Beyond::below ? k.lower : k.upper;
            if (std::isinf(bound) || (beyond == Beyond::below && k.lower_open)) continue;
            const KeyInstance at = instance(k);
            const bool array = k.type == KeyType::numbers;
            const std::string value =
                k.type == KeyType::integer
                    ? std::to_string(beyond == Beyond::below ? integer_bounds(k).first
                                                             : integer_bounds(k).second)
                    : toml_number(bound);
            const std::string set =
                at.set_path + "=" + (array ? "[" + value + ", 0.2, 0.3, 0.25, 0.15]" : value);
            SCOPED_TRACE("--set " + set);
            // Other rules may refuse the bound (shares that must sum to one, a window's end
            // before its start); the range does not.
            for (const Diagnostic& d : problems_of({set}))
                EXPECT_EQ(d.message.find(" is out of range "), std::string::npos) << d.format();
        }
}

TEST_P(KeyRange, IsRefusedNamingTheKeyAndStatingTheRange) {
    const Beyond beyond = GetParam();
    int tried = 0;
    for (const ScenarioKey& k : scenario_keys()) {
        if (!is_numeric(k)) continue;
        const std::string value = value_text(k, beyond);
        if (value.empty()) continue;
        const KeyInstance at = instance(k);
        // An array's elements are checked one by one: the value is the first of five.
        const bool array = k.type == KeyType::numbers;
        const std::string set =
            at.set_path + "=" + (array ? "[" + value + ", 0.2, 0.3, 0.25, 0.15]" : value);
        const std::string named = array ? at.named + "[0]" : at.named;
        SCOPED_TRACE("--set " + set);
        ++tried;
        const auto problems = problems_of({set});
        const std::string range = stated_range(k);
        bool reported = false;
        for (const Diagnostic& d : problems)
            reported = reported || (d.key == named && d.message.find(range) != std::string::npos);
        EXPECT_TRUE(reported) << "expected a problem of " << named << " stating " << range
                              << ", got:\n"
                              << dump(problems);
    }
    EXPECT_GE(tried, beyond == Beyond::below || beyond == Beyond::above ? 50 : 100);
}

INSTANTIATE_TEST_SUITE_P(EveryNumericKey, KeyRange,
                         testing::Values(Beyond::below, Beyond::above, Beyond::nan,
                                         Beyond::plus_infinity, Beyond::minus_infinity,
                                         Beyond::text),
                         [](const testing::TestParamInfo<Beyond>& p) {
                             return std::string(name_of(p.param));
                         });
