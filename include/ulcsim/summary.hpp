#pragma once
/// \file
/// Statistics of an ensemble over its replicates, by month, area and segment:
///   /summary/<metric>            [statistic, month, region, segment]
///   /summary/province/<metric>   [statistic, month, province, segment]
///   /summary/nation/<metric>     [statistic, month, segment]
///   /summary/programs/<metric>   [statistic, month, programme]
/// Statistics: mean, sd (sample, n − 1; 0 for one replicate) and the quantiles p05 … p95
/// (linear interpolation between order statistics, type 7 of Hyndman & Fan: what NumPy's
/// quantile and R's quantile do by default). Segments: formal, informal, vulnerable and all.
/// Province and nation figures are summed per replicate before the statistics are taken, so
/// their quantiles are quantiles of the totals (not sums of quantiles). Besides every series
/// metric there are three ratios taken per replicate: coverage_rate = covered / labour_force
/// (active), coverage_share = covered_registered / labour_force (active, where registered)
/// and registered_rate = registered / labour_force (active and non-active; NaN where nobody
/// works).

#include "ulcsim/calendar.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/tally.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

inline constexpr std::size_t summary_statistic_count = 9;
inline constexpr std::array<std::string_view, summary_statistic_count> summary_statistic_names{
    "mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95"};
inline constexpr std::array<double, summary_statistic_count - 2> summary_quantile_levels{
    0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
enum class Statistic : std::uint8_t { mean, sd, p05, p10, p25, p50, p75, p90, p95 };

/// formal, informal, vulnerable, then all three together.
inline constexpr std::size_t summary_segment_count = segment_count + 1;
inline constexpr std::array<std::string_view, summary_segment_count> summary_segment_names{
    "formal", "informal", "vulnerable", "all"};

/// The metrics a summary has: every SeriesMetric in its order, then the three ratios.
inline constexpr std::size_t summary_metric_count = series_metric_count + 3;
inline constexpr std::size_t coverage_rate_metric = series_metric_count;
inline constexpr std::size_t coverage_share_metric = series_metric_count + 1;
inline constexpr std::size_t registered_rate_metric = series_metric_count + 2;
std::string_view summary_metric_name(std::size_t metric);
std::string_view summary_metric_units(std::size_t metric);

/// The value of `sorted` (ascending, non-empty) at quantile level p in [0, 1], type 7.
double quantile_of_sorted(std::span<const double> sorted, double p);
/// Mean, sd and quantiles of `values`, in the order of summary_statistic_names. Reorders
/// `values`. All NaN when any value is NaN or there are none.
std::array<double, summary_statistic_count> summarise(std::span<double> values);

/// The provinces of a scenario's regions, in order of first appearance.
struct SummaryAreas {
    std::vector<std::string> province_codes;
    std::vector<std::string> province_names;
    std::vector<std::size_t> province_of_region; ///< by scenario region
};
SummaryAreas summary_areas(const Scenario& scenario);

/// The scenario's whole area as a planner names it: "Indonesia" for every kab/kota, a
/// province's name for all of one province, a kab/kota's name for one, else "N kab/kota in
/// PROVINCE" or "N kab/kota in M provinces".
std::string scenario_area_name(const Scenario& scenario);
/// Province p of `areas` by name, with "(n of m kab/kota)" when the scenario holds only part
/// of it.
std::string province_area_name(const Scenario& scenario, const SummaryAreas& areas, std::size_t p);

/// One metric summarised at the three levels.
struct MetricSummary {
    std::vector<double> region;   ///< [statistic][month][region][summary segment]
    std::vector<double> province; ///< [statistic][month][province][summary segment]
    std::vector<double> nation;   ///< [statistic][month][summary segment]
};

/// Reads one series metric for every replicate and a range of months:
/// [replicate][month][region][segment].
using SeriesBlockReader = std::function<std::vector<double>(
    SeriesMetric metric, std::size_t first_month, std::size_t months)>;

struct SummaryShape {
    std::size_t replicates = 0;
    std::size_t months = 0;
    std::size_t regions = 0;
    SummaryAreas areas;
};

/// Summarises one summary metric from the stored replicates, a block of months at a time so
/// that memory stays within about `block_bytes` whatever the number of replicates.
MetricSummary summarise_metric(std::size_t metric, const SummaryShape& shape,
                               const SeriesBlockReader& read,
                               std::size_t block_bytes = std::size_t{64} << 20);

/// [statistic][month][programme] from [replicate][month][programme].
std::vector<double> summarise_programme_metric(const std::vector<double>& values,
                                               std::size_t replicates, std::size_t months,
                                               std::size_t programmes);

/// Index of a value in MetricSummary::region and the like.
inline std::size_t summary_index(Statistic statistic, std::size_t month, std::size_t area,
                                 std::size_t segment, std::size_t months, std::size_t areas) {
    return ((static_cast<std::size_t>(statistic) * months + month) * areas + area) *
               summary_segment_count +
           segment;
}

/// Everything an ensemble's summary file and CSV need, kept in memory after writing: the
/// metrics a planner reads (labour_force, covered, coverage_rate, coverage_share,
/// programme_paid_idr, jkm_paid_idr, jkk_paid_idr, registered, registered_rate) and the
/// programme series.
struct EnsembleSummary {
    SummaryShape shape;
    std::vector<std::size_t> kept_metrics;
    std::vector<MetricSummary> kept; ///< parallel to kept_metrics
    std::vector<std::string> programme_names;
    std::array<std::vector<double>, programme_metric_count> programmes; ///< [stat][month][prog]

    const MetricSummary& metric(std::size_t summary_metric) const;
};

/// Computes every summary from the replicates stored in `run`, writes /summary into it, and
/// returns the part kept for the CSV and the terminal.
EnsembleSummary write_summary(RunFileWriter& run, const Scenario& scenario, std::size_t replicates);

/// One row of the summary table: an area at its level ("region", "province", "nation"), a
/// segment and a month, with the mean, p05 and p95 of every kept metric in the order of
/// kept_metrics (NaN where a statistic has no value).
struct SummaryRow {
    std::string_view level, code, name, segment;
    Month month;
    std::span<const double> values; ///< [kept metric][mean, p05, p95]
};

/// Every row of the summary table in its order: regions, then provinces, then the nation;
/// within each, area × segment × month. The CSV and the workbook's Coverage sheet are both
/// written from it, so that they cannot disagree.
void for_each_summary_row(const Scenario& scenario, const EnsembleSummary& summary,
                          const std::function<void(const SummaryRow&)>& row);

/// The summary CSV: one row per area (region, province, nation) × segment × month with the
/// mean and 90% interval (p05, p95) of the labour force, coverage and money.
void write_summary_csv(std::ostream& out, const Scenario& scenario, const EnsembleSummary& summary);

/// One row of the programmes table: a programme, its kind and a month, with the mean, p05
/// and p95 of every programme metric in the order of programme_metric_names.
struct ProgrammeRow {
    std::string_view programme, kind;
    Month month;
    std::span<const double> values; ///< [programme metric][mean, p05, p95]
};

/// Every row of the programmes table in its order, programme × month. The CSV and the
/// workbook's Programmes sheet are both written from it.
void for_each_programme_row(const Scenario& scenario, const EnsembleSummary& summary,
                            const std::function<void(const ProgrammeRow&)>& row);

/// The programmes CSV: one row per programme × month with the mean and 90% interval (p05, p95)
/// of its members, enrolments, renewals, departures, spending, commitments and budget (workers
/// and whole rupiah). Only a header when the scenario has no programme.
void write_programmes_csv(std::ostream& out, const Scenario& scenario,
                          const EnsembleSummary& summary);

} // namespace ulcsim
