#pragma once
/// \file
/// The calibrated scenario `ulcsim calibrate` writes: a TOML file that `extends` the original
/// and sets only the fitted values, with the fit summarised in comments. `ulcsim run` and
/// every other command take it as they take any scenario.

#include "ulcsim/calibration.hpp"
#include "ulcsim/scenario.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim {

/// Writes the calibrated scenario that will be saved as `written_to` (its `extends` is the
/// original's path relative to it; the fit file it names is `written_to` with the extension
/// .fit.h5). The estimate is written to 10 significant digits; a key of a table under the
/// table's header, a programme's or policy's key in an entry with its name (extends merges
/// those by name), a key of a [[population.region]] or [[commuting]] entry in the whole
/// array (extends replaces those whole). `overrides` (the --set texts the calibration ran
/// with) are listed in a comment, not set.
void write_calibrated_scenario(std::ostream& out, const std::filesystem::path& written_to,
                               const Scenario& original, const CalibrationProblem& problem,
                               const CalibrationResult& result,
                               const std::vector<std::string>& overrides);

/// "mean [p05, p95]" of parameter `i` of a posterior, each to 4 significant digits: how the
/// calibrated scenario's comments and calibrate's table give it.
std::string posterior_summary(const AbcPosterior& posterior, std::size_t i);

} // namespace ulcsim
