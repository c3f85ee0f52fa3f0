#pragma once
// What `ulcsim report` takes from run files: the figures each chart and table of the report
// needs, as one JSON document that the page's script draws from. Reading is kept apart from
// the page so that the figures can be tested without a browser.

#include <filesystem>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// Small multiples beyond this many areas would be unreadable (and slow to draw); the
/// report shows the first ones in code order and says how many it left out.
inline constexpr std::size_t report_max_small_multiples = 40;

/// The report's data as JSON: {"runs": [...], "comparison": [...] or null}. Throws
/// ulcsim::InputError ("FILE: error: …") for a file that is missing or not a run file
/// (a compare or sweep result has no summaries to draw).
std::string report_json(const std::vector<std::filesystem::path>& run_files);

} // namespace ulcsim::cli
