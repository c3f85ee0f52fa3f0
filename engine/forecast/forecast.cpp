#include "ulcsim/forecast.hpp"

#include "ulcsim/rng.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace ulcsim {

namespace {

constexpr std::array<Segment, segment_count> all_segments{Segment::formal, Segment::informal,
                                                          Segment::vulnerable};

} // namespace

double group_coverage(const ReplicateSeries& series, std::span<const std::size_t> regions,
                      std::span<const Segment> segments, CoverageMeasure measure,
                      std::size_t month) {
    const SeriesMetric numerator = measure == CoverageMeasure::coverage_share
                                       ? SeriesMetric::covered_registered
                                       : SeriesMetric::covered;
    double covered = 0, workers = 0;
    for (const std::size_t k : regions)
        for (const Segment g : segments) {
            covered += series.at(numerator, month, k, g);
            workers += series.at(SeriesMetric::labour_force, month, k, g);
        }
    return workers > 0 ? covered / workers : std::numeric_limits<double>::quiet_NaN();
}

std::vector<ForecastArea> forecast_areas(const Scenario& scenario) {
    const auto table = scenario.region_table.regions();
    const SummaryAreas provinces = summary_areas(scenario);
    std::vector<ForecastArea> areas;
    std::vector<ForecastArea> by_province(provinces.province_codes.size());
    ForecastArea whole;
    const bool national = scenario.regions.size() == table.size();
    whole.code = national ? "ID" : "all";
    whole.name = scenario_area_name(scenario);
    whole.level = "scenario";
    for (std::size_t k = 0; k < scenario.regions.size(); ++k) {
        const Region& r = table[scenario.regions[k]];
        areas.push_back({r.code, r.name, "kabkota", {k}});
        by_province[provinces.province_of_region[k]].regions.push_back(k);
        whole.regions.push_back(k);
    }
    for (std::size_t p = 0; p < by_province.size(); ++p) {
        // A province of one kab/kota would repeat that kab/kota's row.
        if (by_province[p].regions.size() < 2) continue;
        by_province[p].code = provinces.province_codes[p];
        by_province[p].name = province_area_name(scenario, provinces, p);
        by_province[p].level = "province";
        areas.push_back(std::move(by_province[p]));
    }
    areas.push_back(std::move(whole));
    return areas;
}

int first_passage(std::span<const double> coverage, double threshold) {
    for (std::size_t t = 0; t < coverage.size(); ++t)
        if (coverage[t] >= threshold) return static_cast<int>(t);
    return -1;
}

std::vector<int> first_passages(const ReplicateSeries& series,
                                const std::vector<ForecastArea>& areas, double threshold,
                                CoverageMeasure measure) {
    std::vector<int> first(areas.size(), -1);
    std::vector<double> coverage(series.months);
    for (std::size_t a = 0; a < areas.size(); ++a) {
        for (std::size_t t = 0; t < series.months; ++t)
            coverage[t] = group_coverage(series, areas[a].regions, all_segments, measure, t);
        first[a] = first_passage(coverage, threshold);
    }
    return first;
}

FirstPassageDistribution first_passage_distribution(std::span<const int> first_months,
                                                    std::span<const int> by) {
    if (first_months.empty())
        throw std::invalid_argument("first_passage_distribution: no replicates");
    // Never reaching the threshold sorts last, as a month beyond any in the run.
    std::vector<long> sorted;
    sorted.reserve(first_months.size());
    FirstPassageDistribution d;
    for (const int m : first_months) {
        sorted.push_back(m < 0 ? std::numeric_limits<long>::max() : m);
        if (m < 0) ++d.never;
    }
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<double>(sorted.size());
    for (std::size_t q = 0; q < forecast_quantile_levels.size(); ++q) {
        // Type 1: the smallest order statistic x_(k) with k/n ≥ level, k = ceil(n·level).
        const double k = std::ceil(n * forecast_quantile_levels[q] - 1e-9);
        const auto index = static_cast<std::size_t>(std::clamp(k, 1.0, n)) - 1;
        const long v = sorted[index];
        d.quantiles[q] = v == std::numeric_limits<long>::max() ? -1 : static_cast<int>(v);
    }
    for (const int b : by) {
        const auto reached = std::count_if(first_months.begin(), first_months.end(),
                                           [&](int m) { return m >= 0 && m <= b; });
        d.probability_by.push_back(static_cast<double>(reached) / n);
    }
    return d;
}

void Forecast::finish() {
    std::vector<int> by;
    for (const Month m : settings.by)
        by.push_back(m - start);
    distributions.clear();
    for (const std::vector<int>& months_by_replicate : first_month)
        distributions.push_back(first_passage_distribution(months_by_replicate, by));
}

ForecastBuilder::ForecastBuilder(const Scenario& scenario, ForecastSettings settings,
                                 std::size_t replicates)
    : replicates_(replicates) {
    if (replicates == 0) throw std::invalid_argument("ForecastBuilder: no replicates");
    forecast_.settings = std::move(settings);
    forecast_.start = scenario.run.start;
    forecast_.months = scenario.run.months;
    forecast_.areas = forecast_areas(scenario);
    forecast_.first_month.assign(forecast_.areas.size(), std::vector<int>(replicates, -1));
    start_coverage_.assign(forecast_.areas.size(), std::vector<double>(replicates, 0));
    settling_level_ = start_coverage_;
    settling_trend_ = start_coverage_;
    forecast_.settling_months = std::min(scenario.run.months, 12);
}

void ForecastBuilder::add(std::uint32_t replicate, const ReplicateSeries& series) {
    if (replicate >= replicates_) throw std::out_of_range("ForecastBuilder: replicate");
    const std::vector<int> first =
        forecast_.settings.discrepancy
            ? first_passages_with(series, replicate, *forecast_.settings.discrepancy)
            : first_passages(series, forecast_.areas, forecast_.settings.threshold,
                             forecast_.settings.measure);
    for (std::size_t a = 0; a < first.size(); ++a) {
        forecast_.first_month[a][replicate] = first[a];
        start_coverage_[a][replicate] = group_coverage(series, forecast_.areas[a].regions,
                                                       all_segments, forecast_.settings.measure, 0);
        // The least-squares line through the last months: its mean and slope.
        const auto n = static_cast<std::size_t>(forecast_.settling_months);
        const std::size_t first_settling = series.months - std::min(n, series.months);
        double sum = 0, count = 0, mean_t = 0;
        std::vector<double> level;
        for (std::size_t t = first_settling; t < series.months; ++t)
            level.push_back(group_coverage(series, forecast_.areas[a].regions, all_segments,
                                           forecast_.settings.measure, t));
        for (std::size_t i = 0; i < level.size(); ++i) {
            sum += level[i];
            mean_t += static_cast<double>(i);
            ++count;
        }
        const double mean = count > 0 ? sum / count : 0;
        mean_t = count > 0 ? mean_t / count : 0;
        double sxy = 0, sxx = 0;
        for (std::size_t i = 0; i < level.size(); ++i) {
            sxy += (static_cast<double>(i) - mean_t) * (level[i] - mean);
            sxx += (static_cast<double>(i) - mean_t) * (static_cast<double>(i) - mean_t);
        }
        settling_level_[a][replicate] = mean;
        settling_trend_[a][replicate] = sxx > 0 ? 12 * sxy / sxx : 0;
    }
    ++added_;
}

std::vector<int> ForecastBuilder::first_passages_with(const ReplicateSeries& series,
                                                      std::uint32_t replicate,
                                                      const ForecastDiscrepancy& d) const {
    const CounterRng rng(d.seed, replicate);
    std::vector<int> first(forecast_.areas.size(), -1);
    std::vector<double> coverage(series.months);
    for (std::size_t a = 0; a < forecast_.areas.size(); ++a) {
        const DrawWords w =
            rng.words(static_cast<std::uint32_t>(a), 0, DrawPurpose::forecast_discrepancy);
        // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
        const double z = std::sqrt(-2 * std::log(1 - CounterRng::unit(w[0]))) *
                         std::cos(2 * std::numbers::pi * CounterRng::unit(w[1]));
        for (std::size_t t = 0; t < series.months; ++t) {
            coverage[t] = group_coverage(series, forecast_.areas[a].regions, all_segments,
                                         forecast_.settings.measure, t);
            const int horizon = (forecast_.start + static_cast<int>(t)) - d.from;
            if (horizon >= 0) coverage[t] += d.discrepancy.standard_deviation(horizon) * z;
        }
        first[a] = first_passage(coverage, forecast_.settings.threshold);
    }
    return first;
}

Forecast ForecastBuilder::finish() {
    if (added_ != replicates_)
        throw std::logic_error("ForecastBuilder: " + std::to_string(added_) + " of " +
                               std::to_string(replicates_) + " replicates added");
    forecast_.start_coverage_mean.clear();
    // Summed in replicate order, so that the mean does not depend on the order in which
    // replicates finished.
    const auto mean_of = [&](const std::vector<double>& by_replicate) {
        double sum = 0;
        for (const double v : by_replicate)
            sum += v;
        return sum / static_cast<double>(replicates_);
    };
    forecast_.settling_level.clear();
    forecast_.settling_trend.clear();
    for (std::size_t a = 0; a < start_coverage_.size(); ++a) {
        forecast_.start_coverage_mean.push_back(mean_of(start_coverage_[a]));
        forecast_.settling_level.push_back(mean_of(settling_level_[a]));
        forecast_.settling_trend.push_back(mean_of(settling_trend_[a]));
    }
    forecast_.finish();
    return std::move(forecast_);
}

} // namespace ulcsim
