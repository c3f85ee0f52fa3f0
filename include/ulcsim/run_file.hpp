#pragma once
/// \file
/// Typed readers of run files (ulcsim/store.hpp describes the layout): what `inspect`, the
/// report and every later consumer read, so that none of them spells a dataset path. Each
/// throws std::runtime_error naming the file and the object when something required is
/// missing; what older files or other commands' files may lack is optional.

#include "ulcsim/store.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

/// The attributes of /meta.
struct RunMeta {
    std::string scenario_name;
    /// The scenario as resolved when the run was made ("" when the file does not hold it).
    std::string scenario_toml;
    std::int64_t seed = 0;
    std::int64_t replicates = 0;
    std::optional<std::string> start_month;
    std::optional<std::int64_t> threads;
    std::optional<std::string> engine_version;
    std::optional<double> scale_workers_per_agent;
    /// The version of the table of scenario keys scenario_toml was validated against
    /// (ulcsim/scenario_keys.hpp; absent in files written before it was recorded).
    std::optional<std::int64_t> key_table_version;
    /// Whether every replicate's series is in the file (false: `--keep summaries`).
    bool replicates_kept = true;
    /// Set on a run continued from a checkpoint: the file it came from, the month it
    /// continued at and the month its agents were synthesised for.
    std::optional<std::string> from_checkpoint;
    std::optional<std::string> checkpoint_month;
    std::optional<std::string> checkpoint_origin_month;
};

/// The regions of a run, in file order.
struct RunRegions {
    std::vector<std::string> code;
    std::vector<std::string> name;
    std::vector<std::string> province;
};

/// Which parts a file holds: the output of `run` or `forecast` has months and summaries;
/// every replicate's series unless it was run with `--keep summaries`; a forecast's file has
/// /forecast (and a backtest's /backtest); `run --checkpoint-at` adds /checkpoint.
struct RunFileParts {
    bool months = false;
    bool summary = false;
    bool series = false;
    bool forecast = false;
    bool backtest = false;
    bool checkpoint = false;
    /// The members of /series and /programs (none when the group is absent).
    std::vector<std::string> series_members, programme_members;
};
RunFileParts run_file_parts(const RunFileReader& file);

/// Records in /meta of a run file being written that the run continues from the checkpoint
/// of `from_checkpoint` (as the user named the file): from_checkpoint, checkpoint_month (the
/// month it continued at) and checkpoint_origin_month (the month its agents were synthesised
/// for), which read_run_meta() reads back.
void write_continuation(RunFileWriter& out, const std::string& from_checkpoint,
                        const CheckpointInfo& checkpoint);

RunMeta read_run_meta(const RunFileReader& file);
/// "YYYY-MM" of each month of the run.
std::vector<std::string> read_months(const RunFileReader& file);
RunRegions read_regions(const RunFileReader& file);
/// The funding programmes' names (none when the file has no /programs/names).
std::vector<std::string> read_programme_names(const RunFileReader& file);
/// /series/<metric>: [replicate, month, region, segment].
StoredArray read_series(const RunFileReader& file, SeriesMetric metric);
/// /programs/<metric>: [replicate, month, programme].
StoredArray read_programme_series(const RunFileReader& file, ProgrammeMetric metric);

/// Where a summary over replicates is (ulcsim/summary.hpp): per region (/summary), per
/// province (/summary/province), all regions together (/summary/nation) or per programme
/// (/summary/programs).
enum class SummaryLevel { region, province, nation, programme };
/// /summary…/<metric>: [statistic, month, region or province, segment]; nation
/// [statistic, month, segment]; programme [statistic, month, programme].
StoredArray read_summary(const RunFileReader& file, SummaryLevel level, std::string_view metric);
/// The members of a level's group (its metrics, and for the region level the other groups);
/// none when the group is absent.
std::vector<std::string> read_summary_members(const RunFileReader& file, SummaryLevel level);
/// The statistics' names in the order of every summary's first axis.
std::vector<std::string> read_summary_statistics(const RunFileReader& file);
/// The provinces of /summary/province (none when the run has no province summaries).
struct SummaryProvinces {
    std::vector<std::string> code;
    std::vector<std::string> name;
};
SummaryProvinces read_summary_provinces(const RunFileReader& file);

} // namespace ulcsim
