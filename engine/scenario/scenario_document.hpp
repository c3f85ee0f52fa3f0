#pragma once
// The TOML layer of a scenario: read a file, resolve its `extends` chain, merge, and apply
// `--set` overrides — all without interpreting the keys, which scenario.cpp does.

#include "toml_reader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim::detail {

/// Reads `file` and its bases and applies `overrides` ("key.path=value"). Problems are added
/// to `diagnostics`; returns nothing when the document could not be assembled at all (a
/// file that is missing or not valid TOML), so that no follow-on problems are reported.
std::optional<toml::table> load_scenario_document(const std::filesystem::path& file,
                                                  const std::vector<std::string>& overrides,
                                                  Diagnostics& diagnostics);

/// Merges `child` into `base`: tables key by key, `programme` and `policy` entries by name,
/// anything else replaced. Values are moved so that they keep their source positions.
void merge_scenario_tables(toml::table& base, toml::table& child);

} // namespace ulcsim::detail
