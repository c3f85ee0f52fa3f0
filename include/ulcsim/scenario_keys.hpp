#pragma once
/// \file
/// The table of scenario keys: every key a scenario file, `--set`, a sweep axis, a
/// calibration parameter or a goal seek can name, with its type, range, unit and what may be
/// done with it. One table drives the validator's ranges, the checks of `--set`, which keys
/// `sweep`, `target` and `calibrate` accept, and the key reference in scenarios/README.md, so
/// that none of them can disagree with another.
///
/// Paths are dotted. `*` stands for one entry of an array of tables, addressed by its name or
/// its position from 0 (`programme.*.premium_idr_per_month` matches
/// `programme.kota-magelang-apbd.premium_idr_per_month` and `programme.0.…`), or for a key
/// whose name is data (`programme.*.budget_idr_per_year.*` matches `….budget_idr_per_year.2025`,
/// `behaviour.mortality.*` matches `behaviour.mortality.65+`).

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

/// Bumped whenever a key is added, removed, renamed or changes meaning; run files record it
/// (/meta key_table_version) so that a file can say which scenario language it was written in.
inline constexpr int scenario_key_table_version = 6;

enum class KeyType : std::uint8_t {
    number,  ///< a float (TOML integers accepted)
    integer, ///< a whole number
    boolean,
    text,    ///< a string
    month,   ///< "YYYY-MM"
    choice,  ///< one of a fixed list of names
    names,   ///< an array of names from a fixed list
    region,  ///< a kabupaten/kota code
    regions, ///< an array of region codes
    numbers, ///< an array of numbers
    table,   ///< a table or array of tables (documentation only)
};

/// What a number measures: the type the key reference shows, and the prior `calibrate` gives
/// it unless told otherwise.
enum class Quantity : std::uint8_t {
    none,        ///< not a number, or a number of no particular kind (a weight)
    share,       ///< a part of a whole; prior: the whole range
    probability, ///< the chance of an event; prior: the whole range
    hazard, ///< per month, p = 1 − exp(−h); prior: value ÷ 5 … value × 5 within the range
    rate,   ///< another rate per month; prior as for hazards
    coefficient, ///< an effect of either sign on a log hazard; prior: value ± max(1, 2·|value|)
    amount,      ///< a positive magnitude (rupiah, km, a multiplier); prior as for hazards
};

/// One key of the scenario language.
struct ScenarioKey {
    std::string_view path{}; ///< "behaviour.h0_self", "programme.*.window.*.end"
    KeyType type = KeyType::number;
    Quantity quantity = Quantity::none;
    /// Inclusive bounds for number, integer and numbers (and their elements); lower_open makes
    /// the lower bound exclusive. An infinite upper bound of an integer is 2⁶³ − 1.
    double lower = -std::numeric_limits<double>::infinity();
    double upper = std::numeric_limits<double>::infinity();
    bool lower_open = false;
    std::string_view unit{}; ///< "/month", "IDR", "workers", …; empty when none
    /// A number `calibrate` may fit: a parameter of the model that a run depends on smoothly,
    /// not data (observations), a setting of the run or one of shares that must sum to one.
    bool fittable = false;
    /// `sweep --vary` (and goal seeking) may vary it: a number, integer, month, boolean or
    /// choice that a valid scenario can change alone.
    bool variable = false;
    /// A fittable key whose uncertainty a source states: the prior range `calibrate` gives it
    /// unless `--prior` says otherwise. NaN (the default): the generic prior of its quantity.
    double prior_lower = std::numeric_limits<double>::quiet_NaN();
    double prior_upper = std::numeric_limits<double>::quiet_NaN();
    /// choice and names: the names allowed, in the order of the enumeration they stand for.
    std::span<const std::string_view> choices{};
    /// A path ending in `*` that stands for one of a fixed list of names (an age band, an
    /// occupation): that list. Empty when any name goes (a year of a budget).
    std::span<const std::string_view> key_names{};
    std::string_view default_text{}; ///< the default as the key reference shows it (Markdown)
    std::string_view rule{};    ///< what else a valid value obeys, for the key reference (Markdown)
    std::string_view summary{}; ///< one sentence for the key reference (Markdown)
};

/// Every key, in the order of the key reference.
std::span<const ScenarioKey> scenario_keys();

/// The key a concrete dotted path stands for (`programme.kota-magelang-apbd.window.1.end`
/// → `programme.*.window.*.end`), or null. Behaviour keys may be named without their table
/// (`h0_self`) where `allow_short_names`.
const ScenarioKey* find_scenario_key(std::string_view path, bool allow_short_names = false);

/// Why `path` names no key, as the validator words an unknown key: the part of the path that
/// is unknown (`run.sed` of `run.sed.x`) and "unknown key (did you mean 'seed'?)". Empty when
/// `path` names a key.
struct UnknownKey {
    std::string key;
    std::string message;
};
std::optional<UnknownKey> unknown_scenario_key(std::string_view path);

/// The heading of the table a key is written in, as the key reference names it: `[run]`,
/// `[[programme]]`, `[[programme.window]]`, `[behaviour.mortality]`; empty for the top level.
std::string key_table_heading(const ScenarioKey& key);

/// Every heading that has keys, in the order of the table.
std::vector<std::string> key_table_headings();

/// What a key's value is, as the key reference names it: "share", "integer", "month",
/// "array of region codes", …
std::string_view key_type_text(const ScenarioKey& key);

/// The values a key takes, in plain text: "[0, 1]", "> 0", "1 … 1200", "2000-01 … 2100-12", the
/// choices separated by commas; empty when the type says all.
std::string key_range_text(const ScenarioKey& key);

/// The key reference of one table (a heading of key_table_headings()): a Markdown table with
/// a row per key (its name, type, unit, default, range and meaning), leaving out the columns
/// that are empty in every row.
std::string key_reference_markdown(std::string_view heading);

} // namespace ulcsim
