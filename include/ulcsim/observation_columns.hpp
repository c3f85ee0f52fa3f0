#pragma once
/// \file
/// Which observation a row of an output is, written the same way by every output that has one
/// row per observation (the fit file's /observations, a backtest's /backtest and their CSVs),
/// and read back by their typed readers.

#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

/// Whether the columns include the coverage measure and the observation's source.
enum class ObservationDetail { where_and_when, with_measure_and_source };

/// Datasets along "observation" under `group` ("/observations"): region (Kemendagri code),
/// segment (group name), month (YYYY-MM), with `detail` also measure and source, then
/// observed (share).
void write_observation_columns(ArrayWriter& out, const std::string& group,
                               const std::vector<Observation>& observations,
                               ObservationDetail detail);

/// The columns as read back: one entry per observation (measure and source empty when the
/// group has none).
struct ObservationColumns {
    std::vector<std::string> region, segment, month, measure, source;
    std::vector<double> observed;
};
/// Reads what write_observation_columns() wrote under `group`; throws std::runtime_error
/// naming the file and dataset when one is missing or the columns differ in length.
ObservationColumns read_observation_columns(const RunFileReader& file, const std::string& group);

/// The CSV header of those columns with the measure and without the source.
inline constexpr std::string_view observation_csv_header = "region,segment,month,measure,observed";
/// One observation's cells under observation_csv_header (no line end).
std::string observation_csv_cells(const Observation& observation);

/// "CODE SEGMENT YYYY-MM", how a terminal table names an observation.
std::string observation_label(const Observation& observation);

} // namespace ulcsim
