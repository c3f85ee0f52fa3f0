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
/// whose name is data (`programme.*.budget_idr_per_year.*` matches `….budget_idr_per_year.2025`).

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace ulcsim {

/// Bumped whenever a key is added, removed, renamed or changes meaning; run files record it
/// (/meta key_table_version) so that a file can say which scenario language it was written in.
inline constexpr int scenario_key_table_version = 1;

enum class KeyType : std::uint8_t {
    number,      ///< a float (TOML integers accepted)
    integer,     ///< a whole number
    boolean,
    text,        ///< a string
    month,       ///< "YYYY-MM"
    choice,      ///< one of a fixed list of names
    names,       ///< an array of names from a fixed list
    region,      ///< a kabupaten/kota code
    regions,     ///< an array of region codes
    numbers,     ///< an array of numbers
    table,       ///< a table or array of tables (documentation only)
};

/// One key of the scenario language.
struct ScenarioKey {
    std::string_view path; ///< "behaviour.h0_self", "programme.*.window.*.end"
    KeyType type = KeyType::number;
    /// Inclusive bounds for number, integer and numbers (and their elements); lower_open makes
    /// the lower bound exclusive.
    double lower = -std::numeric_limits<double>::infinity();
    double upper = std::numeric_limits<double>::infinity();
    bool lower_open = false;
    std::string_view unit;    ///< "per month", "IDR", "share", "workers", …; empty when none
    bool fittable = false;    ///< a number `calibrate` may fit
    bool variable = false;    ///< `sweep --vary` and `target --vary` may vary it
    std::string_view summary; ///< one sentence for the key reference
};

/// Every key, in the order of the key reference.
std::span<const ScenarioKey> scenario_keys();

/// The key a concrete dotted path stands for (`programme.kota-magelang-apbd.window.1.end`
/// → `programme.*.window.*.end`), or null. Behaviour keys may be named without their table
/// (`h0_self`) where `allow_short_names`.
const ScenarioKey* find_scenario_key(std::string_view path, bool allow_short_names = false);

} // namespace ulcsim
