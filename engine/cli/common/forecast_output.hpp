#pragma once
// What the forecast-type commands (forecast, target) share: reading a threshold and --by
// months from the command line, the output's CSV names, and the forecast table.

#include "ulcsim/forecast.hpp"
#include "ulcsim/scenario.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// "0.5149" or "51.49%" → "0.5149", the value for the scenario key ulc.threshold; a
/// UsageError naming `option` otherwise (the scenario's validation checks the range).
std::string threshold_value(const std::string& option, const std::string& text);

/// The --by months, checked to lie within the run; every December and the last month when
/// none are given.
std::vector<Month> by_months(const std::vector<std::string>& texts, const RunSettings& run);

/// 0.5149 → "51.49%" (as many decimals as needed, up to 2).
std::string percent_text(double share);

/// The table a planner reads: all regions together, provinces, then kabupaten/kota (up to
/// 60 of them; more are in the CSV).
void print_forecast(const Forecast& forecast, std::ostream& out);

/// Instead of a bare "never": for each of `areas` whose median month lies beyond the run,
/// where coverage settles (the mean of the last months and its trend) and the gap to the
/// threshold, with the years that trend would take to close it.
void print_never_explained(const Forecast& forecast, const std::vector<std::size_t>& areas,
                           std::ostream& out);

} // namespace ulcsim::cli
