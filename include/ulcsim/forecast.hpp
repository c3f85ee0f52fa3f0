#pragma once
/// \file
/// When does coverage reach a threshold (ULC, or a target such as Jawa Tengah's 51.49%)?
/// For every kabupaten/kota, province and the whole scenario, the first month of each
/// replicate in which coverage is at or above the threshold: a first-passage time. Its
/// distribution over replicates is the forecast: median, 80% and 95% intervals, and the
/// probability of having reached the threshold by given months. A replicate that never
/// reaches it within the run counts as "later than the horizon", so the probabilities are
/// honest about runs that are too short, and an interval whose end lies beyond the horizon
/// says so instead of being cut off.
///
/// Months are discrete, so the quantiles are inverse-CDF quantiles (type 1 of Hyndman & Fan):
/// the q-quantile is the first month m with P(first passage ≤ m) ≥ q. That keeps every
/// quantile a month that occurred, and well defined when part of the mass lies beyond the
/// horizon.
///
/// Output (`ulcsim forecast`; written and read back by ulcsim/forecast_file.hpp):
///   /forecast/areas/code, name, level   level: "kabkota", "province" or "scenario"
///   /forecast/first_month               [area, replicate] months after the run's first
///                                       month (0 = already there at the start); NaN: never
///                                       within the run
///   /forecast/quantile                  [area, quantile] the same units; NaN: beyond the run
///   /forecast/quantile_level            0.025, 0.10, 0.50, 0.90, 0.975
///   /forecast/never                     [area] replicates that never reach it
///   /forecast/probability_by            [area, by] share of replicates there by that month
///   /forecast/by                        "YYYY-MM" of the --by months
///   attributes of /forecast: threshold, measure

#include "ulcsim/calendar.hpp"
#include "ulcsim/model_discrepancy.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/tally.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

/// Coverage of a group of scenario regions and segments in one month of one replicate:
/// covered_registered (coverage_share) or covered (resident_coverage) over the labour force,
/// both summed over the group first. NaN when nobody works there.
double group_coverage(const ReplicateSeries& series, std::span<const std::size_t> regions,
                      std::span<const Segment> segments, CoverageMeasure measure,
                      std::size_t month);

/// The areas a forecast covers: every scenario region, then every province with at least two
/// of them (named "(n of m kab/kota)" when the scenario has only part of it), then all of
/// the scenario's regions together (code "ID" when that is the whole of Indonesia, "all"
/// otherwise).
struct ForecastArea {
    std::string code;
    std::string name;
    std::string_view level;           ///< "kabkota", "province", "scenario"
    std::vector<std::size_t> regions; ///< scenario regions (positions in Scenario::regions)
};
std::vector<ForecastArea> forecast_areas(const Scenario& scenario);

/// The first month (from 0) at which `coverage` is at or above `threshold`, or −1 when it
/// never is. NaN months are not at the threshold.
int first_passage(std::span<const double> coverage, double threshold);

/// First-passage months of every area in one replicate (−1: never).
std::vector<int> first_passages(const ReplicateSeries& series,
                                const std::vector<ForecastArea>& areas, double threshold,
                                CoverageMeasure measure);

inline constexpr std::array<double, 5> forecast_quantile_levels{0.025, 0.10, 0.50, 0.90, 0.975};

/// The distribution of one area's first passage over replicates.
struct FirstPassageDistribution {
    /// Month (from the run's first) of each level of forecast_quantile_levels; −1 when the
    /// quantile lies beyond the run.
    std::array<int, forecast_quantile_levels.size()> quantiles{};
    std::size_t never = 0;              ///< replicates that never reach the threshold
    std::vector<double> probability_by; ///< per `by` month: share of replicates there
};

/// `first_months` holds one area's first-passage month per replicate (−1: never); `by` are
/// months from the run's first (a month before the run gives 0, after it the share reached
/// within the run).
FirstPassageDistribution first_passage_distribution(std::span<const int> first_months,
                                                    std::span<const int> by);

/// The model discrepancy a calibrated forecast adds to each replicate's coverage before it
/// looks for the first passage: from `from` (the month after the last observation fitted) on,
/// month t gets sd(t − from) · z, z one standard normal number per replicate and area
/// (DrawPurpose::forecast_discrepancy), so that a replicate misses the world by an amount that
/// grows with the horizon as the rolling-origin errors did. One z for all of a replicate's
/// months: the marginal spread at each month is the estimated one, which is what the
/// intervals read; areas draw independently.
struct ForecastDiscrepancy {
    ModelDiscrepancy discrepancy;
    Month from;
    std::uint64_t seed = 0;
};

struct ForecastSettings {
    double threshold = 1.0;
    CoverageMeasure measure = CoverageMeasure::coverage_share;
    std::vector<Month> by;
    std::optional<ForecastDiscrepancy> discrepancy; ///< none: replicates as they ran
};

/// A whole forecast: first passages by area and replicate and their distributions.
struct Forecast {
    ForecastSettings settings;
    Month start;
    int months = 0;
    std::vector<ForecastArea> areas;
    std::vector<std::vector<int>> first_month;           ///< [area][replicate], −1: never
    std::vector<FirstPassageDistribution> distributions; ///< by area
    std::vector<double> start_coverage_mean;             ///< by area, first month
    /// Where coverage settles, by area, means over replicates: the mean of the run's last
    /// `settling_months` months (12, or the whole run when shorter) and the slope of the
    /// least-squares line through them (share a year). Printed to explain a threshold not
    /// reached within the run; not stored in /forecast.
    int settling_months = 0;
    std::vector<double> settling_level, settling_trend;

    /// Fills `distributions` from `first_month`.
    void finish();
};

/// Collects the first passages replicate by replicate (in any order) as an ensemble runs.
class ForecastBuilder {
public:
    ForecastBuilder(const Scenario& scenario, ForecastSettings settings, std::size_t replicates);
    /// Records replicate `replicate`. Not thread-safe: call from one thread at a time (the
    /// ensemble's on_replicate is).
    void add(std::uint32_t replicate, const ReplicateSeries& series);
    /// The forecast, once every replicate has been added.
    Forecast finish();

private:
    std::vector<int> first_passages_with(const ReplicateSeries& series, std::uint32_t replicate,
                                         const ForecastDiscrepancy& discrepancy) const;

    Forecast forecast_;
    std::size_t replicates_;
    std::vector<std::vector<double>> start_coverage_;                  ///< [area][replicate]
    std::vector<std::vector<double>> settling_level_, settling_trend_; ///< [area][replicate]
    std::size_t added_ = 0;
};

} // namespace ulcsim
