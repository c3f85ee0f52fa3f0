#pragma once
// Reading a merged TOML tree into scenario structs while collecting every problem: wrong
// types, ranges, unknown keys (with suggestions), missing required keys. Each problem names
// the file, line and column the offending value came from — after `extends` merging and
// `--set`, values keep the source position of the file or argument that defined them.
//
// Every key is read through the table of scenario keys (ulcsim/scenario_keys.hpp), which
// gives its range; reading a key the table does not have, or as another type than the table
// says, is a mistake in the validator and throws std::logic_error.

#include "ulcsim/calendar.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace ulcsim::detail {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

/// The shortest text that reads back as `v` (∞, -∞, nan spelled so), for messages.
std::string format_number(double v);

/// Closed interval [lo, hi]; `lo_open` makes it (lo, hi].
struct Range {
    double lo = -infinity;
    double hi = infinity;
    bool lo_open = false;
    /// A share or a probability: a value out of range that is one as a percentage gets a hint.
    bool part_of_one = false;

    bool contains(double v) const { return (lo_open ? v > lo : v >= lo) && v <= hi; }
    std::string describe() const;
};

/// The prefix that marks a source path as a `--set` argument rather than a file.
inline constexpr std::string_view command_line_prefix = "--set ";

SourceLocation location_of(const toml::source_region& region, const SourceLocation& fallback);

/// "a string", "an integer", ... for messages.
std::string_view describe_type(toml::node_type type);

/// Collects problems; thrown together as one InputError.
class Diagnostics {
public:
    void add(SourceLocation where, std::string key, std::string message);
    bool empty() const { return problems_.empty(); }
    std::vector<Diagnostic>& problems() { return problems_; }

private:
    std::vector<Diagnostic> problems_;
};

/// The closest of `candidates` to `word`: within max(2, length/3) edits, or a prefix either way.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

/// What to add to "'WORD' is not one of: …": the English name of an Indonesian word a planner
/// writes ("rentan" → " ('rentan' is written 'vulnerable' here: pekerja rentan)"), else the
/// closest candidate (" (did you mean '…'?)"), else nothing.
std::string name_hint(std::string_view word, std::span<const std::string_view> candidates);

/// The value of every number the validator read, present or defaulted, by its key path
/// ("programme[0].continue_after_subsidy"): what a scenario's number is, asked of the
/// validator rather than of a second map from keys to fields.
using NumbersRead = std::map<std::string, double, std::less<>>;

/// Reads one TOML table. Every accessor records its key as known, so that finish() can
/// report the keys nobody asked for as unknown — call finish() after all accessors.
class TableReader {
public:
    /// `table` may be null (the table is absent): accessors then return nothing, and
    /// missing-key problems point at `where`. `pattern` is the table's path in the key table
    /// ("programme.*.window.*"); `numbers`, if given, collects every number read.
    TableReader(const toml::table* table, std::string path, std::string pattern,
                Diagnostics& diagnostics, SourceLocation where, NumbersRead* numbers = nullptr);

    bool present() const { return table_ != nullptr; }
    const std::string& path() const { return path_; }
    /// Full key path of a key in this table: "programme[0].window".
    std::string key_path(std::string_view key) const;
    const SourceLocation& location() const { return where_; }
    SourceLocation location_of_key(std::string_view key) const;
    SourceLocation location_of_value(const toml::node& node) const;
    Diagnostics& diagnostics() { return diagnostics_; }

    /// The raw node under `key`, or null; marks the key as known.
    const toml::node* get(std::string_view key);

    /// A number within the key's range.
    std::optional<double> number(std::string_view key);
    /// A whole number within the key's range.
    std::optional<std::int64_t> integer(std::string_view key);
    /// A string: text or a region code.
    std::optional<std::string> string(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<Month> month(std::string_view key, Month lo = Month(2000, 1),
                               Month hi = Month(2100, 12));
    /// A string that must be one of `choices` (the key's, in the order of the enumeration
    /// the caller turns the index into); returns its index.
    std::optional<std::size_t> choice(std::string_view key,
                                      std::span<const std::string_view> choices);
    /// An array of strings (region codes or names), each with its node for locating problems.
    std::optional<std::vector<std::pair<std::string, const toml::node*>>>
    string_array(std::string_view key);
    /// An array of numbers, each within the key's range.
    std::optional<std::vector<double>> number_array(std::string_view key);

    /// Records the value a number of this table has when the file does not give it.
    void note_number(std::string_view key, double value);

    TableReader table(std::string_view key);
    std::vector<TableReader> array_of_tables(std::string_view key);

    /// Reports `key` as missing (a required key not given).
    void missing(std::string_view key);
    /// Reports a problem with the value under `key` (or with the table if it is absent).
    void error(std::string_view key, std::string message);
    void error_at(const toml::node& node, std::string key_path, std::string message);
    /// Reports keys that no accessor asked for.
    void finish();

    /// Keys of the table, in file order where known.
    std::vector<std::string_view> keys() const;

private:
    /// The key `key` of this table stands for; std::logic_error if the key table has no
    /// such key or gives it a type not among `types` (any type when empty).
    const ScenarioKey& key_of(std::string_view key, std::initializer_list<KeyType> types) const;
    std::string pattern_of(std::string_view key) const;
    /// The node under `key`, or null; marks the key as known.
    const toml::node* node_of(std::string_view key);
    std::optional<std::string> string_value(std::string_view key);
    void type_error(std::string_view key, const toml::node& node, std::string_view expected);
    /// The node as a number within `range`, or a reported problem under `path`.
    std::optional<double> checked_number(const toml::node& node, const std::string& path,
                                         Range range);

    const toml::table* table_;
    std::string path_;
    std::string pattern_;
    Diagnostics& diagnostics_;
    SourceLocation where_;
    NumbersRead* numbers_;
    std::vector<std::string_view> known_;
};

} // namespace ulcsim::detail
