#pragma once
// The HTML page of `ulcsim report`: one file with Chart.js, the data (JSON) and the script
// that draws from it, so that it opens offline with nothing beside it.

#include <string>

namespace ulcsim::cli {

enum class ReportLanguage { english, indonesian };

/// The whole page. `data_json` is report_json()'s output.
std::string report_html(const std::string& data_json, ReportLanguage language);

} // namespace ulcsim::cli
