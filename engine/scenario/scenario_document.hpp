#pragma once
// The TOML layer of a scenario: read a file, resolve its `extends` chain, merge, and apply
// `--set` overrides — all without interpreting the keys, which scenario.cpp does.

#include "toml_reader.hpp"
#include "ulcsim/scenario.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// A scenario's merged TOML document (the public headers know it by name only).
struct ScenarioDocument {
    toml::table root;
};

} // namespace ulcsim

namespace ulcsim::detail {

/// Reads `file` and its bases and applies `overrides` ("key.path=value"). Problems are added
/// to `diagnostics`; returns nothing when the document could not be assembled at all (a
/// file that is missing or not valid TOML), so that no follow-on problems are reported.
/// `files`, when given, receives the files read: `file`, then each base it extends; `origins`
/// what each file did to the named programmes and policies (Scenario::entry_origins).
///
/// A line that could only remove inherited entries and has none to remove is a problem: an
/// empty array of tables (`programme = []`, `observation = []`) with nothing inherited, a
/// `remove_programmes` / `remove_policies` name the bases do not give, a child's entry that
/// names an inherited one and changes no key, or two entries of one name in a child file.
std::optional<toml::table>
load_scenario_document(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                       Diagnostics& diagnostics,
                       std::vector<std::filesystem::path>* files = nullptr,
                       std::vector<EntryOrigin>* origins = nullptr);

/// Reads a scenario document from TOML text (named `source_name` in messages) and applies
/// `overrides`. A text has no folder, so nothing in it may name a file: `extends` and the keys
/// whose values are paths relative to their file (run.posterior, regions.data_dir) are
/// refused, each at its line. Returns nothing when the text is not valid TOML or names a file.
std::optional<toml::table> scenario_document_from_text(const std::string& text,
                                                       const std::string& source_name,
                                                       const std::vector<std::string>& overrides,
                                                       Diagnostics& diagnostics);

/// Merges `child` into `base`: tables key by key, `programme` and `policy` entries by name,
/// anything else replaced. Values are moved so that they keep their source positions. Nothing
/// is checked: a file's `extends` goes through load_scenario_document.
void merge_scenario_tables(toml::table& base, toml::table& child);

/// Sets `value` (moved, so that it keeps its source) at the dotted path `key_text` of `root`,
/// as `--set` does: the key must be in the table of keys; entries of arrays of tables are
/// named by their name or position; absent tables are created. Problems are reported at
/// `source_name` ("--set KEY=VALUE").
void set_value(toml::table& root, const std::string& key_text, toml::node& value,
               const std::string& source_name, Diagnostics& diagnostics);

/// A key path as the scenario names it: `named` with entries by name where they have one
/// (programme.kota-magelang-apbd.acceptance), `indexed` as the validator reports keys
/// (programme[0].acceptance).
struct ResolvedKey {
    std::string named;
    std::string indexed;
};
/// Resolves the entries `key_text` goes through in `root`, without changing it; nothing after
/// reporting at `here` when the path is not a key or names no entry.
std::optional<ResolvedKey> resolve_key_path(const toml::table& root, const std::string& key_text,
                                            const SourceLocation& here, Diagnostics& diagnostics);

} // namespace ulcsim::detail
