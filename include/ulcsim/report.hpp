#pragma once
/// \file
/// The report of `ulcsim report`: the figures each chart and table needs, gathered from run
/// files through the typed readers (ulcsim/run_file.hpp, ulcsim/forecast_file.hpp), and one
/// self-contained HTML page drawn from them (Chart.js, the figures as JSON and the page's
/// script inside it, so that it opens offline). Gathering is kept apart from the page so that
/// the figures can be checked without a browser.

#include "ulcsim/execution.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/rolling_backtest.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// Small multiples beyond this many areas would be unreadable (and slow to draw); the
/// report shows the first ones in code order and says how many it left out.
inline constexpr std::size_t report_max_small_multiples = 40;

/// The report's segments: formal, informal, vulnerable, then all three together.
inline constexpr std::size_t report_segment_count = 4;

/// A statistic over replicates of coverage at one month: mean and 90% interval (percent).
struct ReportInterval {
    double mean = 0, p05 = 0, p95 = 0;
};

/// Coverage rate over months (percent), the summaries' statistics over replicates.
struct CoverageBands {
    std::vector<double> mean, p05, p25, p50, p75, p95;
};

/// One run file as the report shows it. Rates are percentages, counts workers, money rupiah.
struct ReportRun {
    std::string file; ///< the file's name, without its folder
    std::string scenario, description;
    struct Source {
        std::string what, source;
    };
    std::vector<Source> sources;
    std::uint64_t seed = 0;
    std::int64_t replicates = 0;
    std::string engine_version; ///< "unknown" when the file does not say
    std::vector<std::string> months;

    /// All regions together, by segment (report_segment_count).
    std::array<CoverageBands, report_segment_count> nation;
    /// Mean covered workers by who pays, all regions and segments, by month.
    struct Payers {
        std::vector<double> employer, self, programme;
    } payers;
    /// Means of all workers at the first and last month; absent in files written before
    /// registration was recorded.
    struct Registration {
        std::array<double, 2> coverage_rate{}, registered_rate{}, coverage_share{};
    };
    std::optional<Registration> registration;

    /// Small multiples: by province when the run has several, else by kabupaten/kota; the
    /// first report_max_small_multiples areas (all segments).
    struct Areas {
        std::string level; ///< "province" or "region"
        std::size_t total = 0;
        std::vector<std::string> names;                 ///< the areas shown
        std::vector<std::vector<double>> p05, p50, p95; ///< [area shown][month]
    } areas;

    /// Mean members, spending and budget of each programme by month ([programme][month]).
    struct Programmes {
        std::vector<std::string> names;
        std::vector<std::vector<double>> members, spent_idr, budget_idr;
    } programmes;

    /// /forecast, for the output of `forecast`.
    std::optional<ForecastFile> forecast;
    /// The run against its scenario's dated observations: each measure observed, simulated
    /// every month, with the observations on it (absent when the scenario has none in the run).
    std::optional<StoredObservationTracks> observations;
    /// The rolling-origin skill of the calibration a `forecast --posterior` drew from, when
    /// its fit file had one (/forecast/skill).
    std::optional<Skill> skill;
};

/// Coverage at the last month of one run in the comparison of several runs.
struct ReportComparison {
    /// Whether the run kept every replicate's series (else its summaries give the level).
    bool kept_replicates = false;
    /// Whether the run is paired with the first (both kept their replicates, with the same
    /// seed and number of replicates): then `difference` holds, per segment, the statistics
    /// of the replicate-by-replicate difference to the first run.
    bool paired = false;
    std::array<ReportInterval, report_segment_count> level;
    std::array<ReportInterval, report_segment_count> difference; ///< only when paired
};

struct ReportData {
    std::vector<ReportRun> runs;
    /// One entry per run when there are several runs, none for one.
    std::vector<ReportComparison> comparison;
    /// The planner's summary of each run, in the same order, against its baseline: what the
    /// page shows first.
    std::vector<PlannerSummary> summaries;
    /// With several runs, each later run against the first month by month ([run − 1]).
    std::vector<PlannerSummary> against_first;
    /// When the input was a `compare` result: `runs` is empty and `summaries` holds each
    /// scenario after the first against the first.
    struct Compared {
        std::string file, engine_version, method;
        std::vector<std::string> scenarios;
        std::size_t replicates = 0;
    };
    std::optional<Compared> compared;
    /// When the input was a `sweep` result: each grid point's outcome measures and their
    /// paired differences against the first point (`runs` and `summaries` are then empty).
    struct Swept {
        std::string file, engine_version;
        std::size_t replicates = 0;
        std::vector<std::string> keys;                ///< the axes' scenario keys
        std::vector<std::vector<std::string>> points; ///< [point][axis] values (TOML text)
        std::vector<std::string> measures, units;     ///< as `compare` names them
        std::vector<std::vector<ReportInterval>> levels, differences; ///< [point][measure]
    };
    std::optional<Swept> swept;
};

/// Where the summaries' baseline comes from.
struct ReportOptions {
    /// A run file every run is summarised against (the same months).
    std::optional<std::filesystem::path> baseline;
    /// Without one: whether to simulate each run's stored scenario without its programmes
    /// (as `--set 'programme=[]'` gives) on the run's seed and replicates, so that the
    /// difference is paired replicate by replicate.
    bool simulate_baseline = false;
    ExecutionContext context;
    /// Told before each baseline is simulated (what, and how many replicates).
    std::function<void(const std::string&)> on_progress;
};

/// Reads every run file (the output of `run` or `forecast`), or one `compare` or `sweep`
/// result. Throws InputError ("FILE: error: …") for a file that is missing, not HDF5, none of
/// these (a fit file) or incomplete, for a compare or sweep result among other files, and for
/// a baseline over other months than a run.
ReportData read_report_data(const std::vector<std::filesystem::path>& run_files,
                            const ReportOptions& options = {});

/// What read_report_data() gathers of a `compare` result, from its totals (read from the
/// file, or kept in memory by whatever ran the comparison): each scenario after the first
/// summarised against the first.
ReportData compared_report_data(const ComparedTotals& totals);

/// The figures as the page's script reads them: {"runs": [...], "comparison": [...] or null}.
std::string report_json(const ReportData& data);

enum class ReportLanguage { english, indonesian };

/// The whole page, in the language's labels and number format.
std::string report_html(const ReportData& data, ReportLanguage language);

} // namespace ulcsim
