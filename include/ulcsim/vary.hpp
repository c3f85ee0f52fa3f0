#pragma once
/// \file
/// Variants of a scenario. vary() returns a new scenario with some keys set to other values,
/// read and validated completely as a file would be: a validated scenario is never edited in
/// place. Sweeps, goal seeking, calibration and posterior draws make their scenarios with it,
/// so that any key of the table (ulcsim/scenario_keys.hpp) can be varied and a value that
/// other values depend on (behaviour.continue_after_subsidy, the default of every programme's)
/// reaches them.

#include "ulcsim/calendar.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace ulcsim {

/// A value for a key: a number, a whole number, a boolean, a string (also a choice or a
/// region code) or a month.
using ScenarioValue = std::variant<double, std::int64_t, bool, std::string, Month>;

/// One key and its new value. `key` is a concrete path as `--set` takes it
/// ("programme.kota-magelang-apbd.window.1.end", "programme.0.acceptance").
struct KeyValue {
    std::string key;
    ScenarioValue value;
};

/// The scenario with `values` set, in order, and validated again from its document (the
/// base's region table is reused, not read again). A number is set exactly, with no round
/// trip through text; a key that is absent is added, as `--set` adds it. Throws InputError,
/// each problem located at "--set KEY=VALUE" as for a bad `--set`, when a key is not in the
/// table, names no entry of the scenario, or makes the scenario invalid;
/// std::invalid_argument when `base` was not made by load_scenario() or vary().
Scenario vary(const Scenario& base, std::span<const KeyValue> values);
Scenario vary(const Scenario& base, std::initializer_list<KeyValue> values);
Scenario vary(const Scenario& base, const std::string& key, ScenarioValue value);

/// The scenario run only for its first `months` months (1 … run.months): run.months set and
/// the observations after the new last month dropped, validated again as vary() does; its
/// variants keep the horizon. For operations that need only a prefix: a goal by a date, a
/// calibration up to its last observation.
///
/// With one region, a replicate's first months are those of the full run bit for bit. With
/// several, they are another sample of the same model: each region reserves room for the
/// entrants of the whole horizon and agents are numbered after the room of the regions before
/// them, and an agent's random draws follow its number.
///
/// Throws std::invalid_argument for `months` outside 1 … run.months or a base not made by
/// load_scenario() or vary().
Scenario with_horizon(const Scenario& base, int months);

/// The value as `--set` would write it: 0.25, 7, true, lowest_income_first, 2025-06.
std::string format_scenario_value(const ScenarioValue& value);

/// A value for `key` from text, read as `--set` reads it (a TOML value, else a string) and
/// then typed by the key: a number key takes a number (a whole number stays whole), an
/// integer key a whole number, a month key a month "YYYY-MM", a boolean key true or false, a
/// choice one of its names. Throws std::invalid_argument saying what the key takes.
ScenarioValue parse_scenario_value(const ScenarioKey& key, std::string_view text);

/// `path` with the entries it goes through named as the scenario names them
/// (programme.0.acceptance → programme.kota-magelang-apbd.acceptance; entries without a
/// name stay by position) and, where `allow_short_names`, a behaviour key completed
/// (h0_self → behaviour.h0_self). Throws InputError as vary() does when the path names no
/// key of the table or no entry of the scenario.
std::string resolve_key(const Scenario& scenario, std::string_view path,
                        bool allow_short_names = false);

/// The number `path` has in the scenario, given in the file or by default (as the
/// validator read it); nullopt when it has none (an optional key not given, such as
/// population.formal_share). `path` as for resolve_key().
std::optional<double> scenario_number(const Scenario& scenario, std::string_view path);

} // namespace ulcsim
