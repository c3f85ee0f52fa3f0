#include "ulcsim/summary.hpp"

#include "store/dataset_names.hpp"
#include "ulcsim/csv_format.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace ulcsim {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

bool is_ratio(std::size_t metric) {
    return metric == coverage_rate_metric || metric == coverage_share_metric ||
           metric == registered_rate_metric;
}

/// The series metric a summary metric sums (the numerator of a ratio).
SeriesMetric numerator(std::size_t metric) {
    if (metric == coverage_rate_metric) return SeriesMetric::covered;
    if (metric == coverage_share_metric) return SeriesMetric::covered_registered;
    if (metric == registered_rate_metric) return SeriesMetric::registered;
    return static_cast<SeriesMetric>(metric);
}

/// Sums of one cell per replicate: the numerator and, for ratios, the labour force.
struct CellSums {
    std::vector<double> numerator;
    std::vector<double> denominator;

    void reset(std::size_t replicates) {
        numerator.assign(replicates, 0);
        denominator.assign(replicates, 0);
    }
};

void store(std::vector<double>& out, const std::array<double, summary_statistic_count>& stats,
           std::size_t month, std::size_t area, std::size_t segment, std::size_t months,
           std::size_t areas) {
    for (std::size_t s = 0; s < summary_statistic_count; ++s)
        out[summary_index(static_cast<Statistic>(s), month, area, segment, months, areas)] =
            stats[s];
}

} // namespace

std::string_view summary_metric_name(std::size_t metric) {
    if (metric == coverage_rate_metric) return "coverage_rate";
    if (metric == coverage_share_metric) return "coverage_share";
    if (metric == registered_rate_metric) return "registered_rate";
    if (metric >= series_metric_count) throw std::out_of_range("summary metric");
    return series_metric_names[metric];
}

std::string_view summary_metric_units(std::size_t metric) {
    if (is_ratio(metric)) return "share";
    return summary_metric_name(metric).ends_with("_idr") ? "IDR" : "workers";
}

double quantile_of_sorted(std::span<const double> sorted, double p) {
    if (sorted.empty()) return not_a_number;
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto below = static_cast<std::size_t>(std::floor(h));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::array<double, summary_statistic_count> summarise(std::span<double> values) {
    std::array<double, summary_statistic_count> out;
    out.fill(not_a_number);
    if (values.empty() ||
        std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }))
        return out;
    // Sums in replicate order (before sorting), so the mean is the one a reader computes
    // from the stored series in that order.
    double sum = 0;
    for (const double v : values)
        sum += v;
    const auto n = static_cast<double>(values.size());
    const double mean = sum / n;
    double squares = 0;
    for (const double v : values)
        squares += (v - mean) * (v - mean);
    out[0] = mean;
    out[1] = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
    std::sort(values.begin(), values.end());
    for (std::size_t q = 0; q < summary_quantile_levels.size(); ++q)
        out[2 + q] = quantile_of_sorted(values, summary_quantile_levels[q]);
    return out;
}

SummaryAreas summary_areas(const Scenario& scenario) {
    SummaryAreas areas;
    const auto table = scenario.region_table.regions();
    const auto provinces = scenario.region_table.provinces();
    for (const std::size_t r : scenario.regions) {
        const std::string& code = table[r].province_code;
        const auto found =
            std::find(areas.province_codes.begin(), areas.province_codes.end(), code);
        if (found != areas.province_codes.end()) {
            areas.province_of_region.push_back(
                static_cast<std::size_t>(found - areas.province_codes.begin()));
            continue;
        }
        areas.province_of_region.push_back(areas.province_codes.size());
        areas.province_codes.push_back(code);
        const auto p = scenario.region_table.find_province(code);
        areas.province_names.push_back(p ? provinces[*p].name : code);
    }
    return areas;
}

std::string province_area_name(const Scenario& scenario, const SummaryAreas& areas, std::size_t p) {
    std::size_t held = 0;
    for (const std::size_t q : areas.province_of_region)
        held += q == p ? 1 : 0;
    const std::size_t in_province = scenario.region_table.expand(areas.province_codes[p]).size();
    if (held >= in_province) return areas.province_names[p];
    return areas.province_names[p] + " (" + std::to_string(held) + " of " +
           std::to_string(in_province) + " kab/kota)";
}

std::string scenario_area_name(const Scenario& scenario) {
    const auto table = scenario.region_table.regions();
    if (scenario.regions.size() == table.size()) return "Indonesia";
    if (scenario.regions.size() == 1) return table[scenario.regions[0]].name;
    const SummaryAreas areas = summary_areas(scenario);
    if (areas.province_codes.size() == 1) {
        const std::string whole = province_area_name(scenario, areas, 0);
        if (whole == areas.province_names[0]) return whole;
        return std::to_string(scenario.regions.size()) + " kab/kota in " + areas.province_names[0];
    }
    return std::to_string(scenario.regions.size()) + " kab/kota in " +
           std::to_string(areas.province_codes.size()) + " provinces";
}

MetricSummary summarise_metric(std::size_t metric, const SummaryShape& shape,
                               const SeriesBlockReader& read, std::size_t block_bytes) {
    if (metric >= summary_metric_count) throw std::out_of_range("summary metric");
    const std::size_t R = shape.replicates, T = shape.months, K = shape.regions;
    const std::size_t P = shape.areas.province_codes.size();
    const std::size_t S = summary_segment_count;
    const std::size_t stats = summary_statistic_count;
    MetricSummary out;
    out.region.assign(stats * T * K * S, not_a_number);
    out.province.assign(stats * T * P * S, not_a_number);
    out.nation.assign(stats * T * S, not_a_number);
    if (R == 0 || T == 0) return out;

    const bool ratio = is_ratio(metric);
    const std::size_t bytes_per_month = R * K * segment_count * sizeof(double) * (ratio ? 2 : 1);
    const std::size_t block =
        std::clamp<std::size_t>(block_bytes / std::max<std::size_t>(bytes_per_month, 1), 1, T);

    for (std::size_t first = 0; first < T; first += block) {
        const std::size_t months = std::min(block, T - first);
        const std::vector<double> num = read(numerator(metric), first, months);
        const std::vector<double> den =
            ratio ? read(SeriesMetric::labour_force, first, months) : std::vector<double>{};
        if (num.size() != R * months * K * segment_count || (ratio && den.size() != num.size()))
            throw std::logic_error("summary: a block of the series has the wrong size");
        const auto at = [&](const std::vector<double>& v, std::size_t r, std::size_t tb,
                            std::size_t k, std::size_t g) {
            return v[((r * months + tb) * K + k) * segment_count + g];
        };

        // Months are independent: each writes only its own cells, so the result does not
        // depend on how the loop is split.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, months, 1), [&](const auto& range) {
            std::vector<CellSums> province(P * S), nation(S);
            CellSums cell;
            std::vector<double> values(R);
            const auto finish = [&](const CellSums& c) {
                for (std::size_t r = 0; r < R; ++r)
                    values[r] = ratio ? (c.denominator[r] > 0 ? c.numerator[r] / c.denominator[r]
                                                              : not_a_number)
                                      : c.numerator[r];
                return summarise(values);
            };
            for (std::size_t tb = range.begin(); tb != range.end(); ++tb) {
                const std::size_t t = first + tb;
                for (CellSums& c : province)
                    c.reset(R);
                for (CellSums& c : nation)
                    c.reset(R);
                for (std::size_t k = 0; k < K; ++k) {
                    const std::size_t p = shape.areas.province_of_region[k];
                    CellSums all;
                    all.reset(R);
                    for (std::size_t g = 0; g < S; ++g) {
                        CellSums& c = g < segment_count ? cell : all;
                        if (g < segment_count) {
                            c.reset(R);
                            for (std::size_t r = 0; r < R; ++r) {
                                c.numerator[r] = at(num, r, tb, k, g);
                                if (ratio) c.denominator[r] = at(den, r, tb, k, g);
                                all.numerator[r] += c.numerator[r];
                                all.denominator[r] += c.denominator[r];
                            }
                        }
                        for (std::size_t r = 0; r < R; ++r) {
                            province[p * S + g].numerator[r] += c.numerator[r];
                            province[p * S + g].denominator[r] += c.denominator[r];
                            nation[g].numerator[r] += c.numerator[r];
                            nation[g].denominator[r] += c.denominator[r];
                        }
                        store(out.region, finish(c), t, k, g, T, K);
                    }
                }
                for (std::size_t p = 0; p < P; ++p)
                    for (std::size_t g = 0; g < S; ++g)
                        store(out.province, finish(province[p * S + g]), t, p, g, T, P);
                for (std::size_t g = 0; g < S; ++g)
                    store(out.nation, finish(nation[g]), t, 0, g, T, 1);
            }
        });
    }
    return out;
}

std::vector<double> summarise_programme_metric(const std::vector<double>& values,
                                               std::size_t replicates, std::size_t months,
                                               std::size_t programmes) {
    if (values.size() != replicates * months * programmes)
        throw std::logic_error("summary: programme series has the wrong size");
    std::vector<double> out(summary_statistic_count * months * programmes, not_a_number);
    std::vector<double> cell(replicates);
    for (std::size_t t = 0; t < months; ++t)
        for (std::size_t j = 0; j < programmes; ++j) {
            for (std::size_t r = 0; r < replicates; ++r)
                cell[r] = values[(r * months + t) * programmes + j];
            const auto stats = summarise(cell);
            for (std::size_t s = 0; s < summary_statistic_count; ++s)
                out[(s * months + t) * programmes + j] = stats[s];
        }
    return out;
}

const MetricSummary& EnsembleSummary::metric(std::size_t summary_metric) const {
    for (std::size_t i = 0; i < kept_metrics.size(); ++i)
        if (kept_metrics[i] == summary_metric) return kept[i];
    throw std::logic_error("summary: metric " + std::string(summary_metric_name(summary_metric)) +
                           " was not kept");
}

EnsembleSummary write_summary(RunFileWriter& run, const Scenario& scenario,
                              std::size_t replicates) {
    EnsembleSummary summary;
    SummaryShape& shape = summary.shape;
    shape.replicates = replicates;
    shape.months = static_cast<std::size_t>(scenario.run.months);
    shape.regions = scenario.regions.size();
    shape.areas = summary_areas(scenario);
    summary.kept_metrics = {
        static_cast<std::size_t>(SeriesMetric::labour_force),
        static_cast<std::size_t>(SeriesMetric::covered), coverage_rate_metric,
        coverage_share_metric, static_cast<std::size_t>(SeriesMetric::programme_paid_idr),
        static_cast<std::size_t>(SeriesMetric::jkm_paid_idr),
        static_cast<std::size_t>(SeriesMetric::jkk_paid_idr),
        // Last, so that the columns of the CSV before them keep their place.
        static_cast<std::size_t>(SeriesMetric::registered), registered_rate_metric};
    summary.kept.resize(summary.kept_metrics.size());

    const std::vector<std::string> statistics(summary_statistic_names.begin(),
                                              summary_statistic_names.end());
    const std::vector<std::string> segments(summary_segment_names.begin(),
                                            summary_segment_names.end());
    run.write_strings(dataset::summary_statistic, statistics, "statistic", "text");
    run.write_attribute(dataset::summary, "segments", segments);
    run.write_attribute(dataset::summary, "quantile_method",
                        "linear interpolation between order statistics (Hyndman & Fan type 7, "
                        "NumPy's default)");
    run.write_strings(dataset::in(dataset::summary_province, "code"), shape.areas.province_codes,
                      "province", "Kemendagri province code");
    run.write_strings(dataset::in(dataset::summary_province, "name"), shape.areas.province_names,
                      "province", "text");

    const SeriesBlockReader read = [&run](SeriesMetric m, std::size_t first, std::size_t months) {
        return run.read_series(m, first, months);
    };
    const std::size_t T = shape.months, K = shape.regions;
    const std::size_t P = shape.areas.province_codes.size(), S = summary_segment_count;
    for (std::size_t m = 0; m < summary_metric_count; ++m) {
        MetricSummary s = summarise_metric(m, shape, read);
        const std::string name(summary_metric_name(m));
        const std::string units(summary_metric_units(m));
        run.write_array(dataset::in(dataset::summary, name), {summary_statistic_count, T, K, S},
                        {"statistic", "month", "region", "segment"}, units, s.region);
        run.write_array(dataset::in(dataset::summary_province, name),
                        {summary_statistic_count, T, P, S},
                        {"statistic", "month", "province", "segment"}, units, s.province);
        run.write_array(dataset::in(dataset::summary_nation, name), {summary_statistic_count, T, S},
                        {"statistic", "month", "segment"}, units, s.nation);
        for (std::size_t i = 0; i < summary.kept_metrics.size(); ++i)
            if (summary.kept_metrics[i] == m) summary.kept[i] = std::move(s);
    }

    for (const FundingProgramme& p : scenario.programmes)
        summary.programme_names.push_back(p.name);
    const std::size_t J = scenario.programmes.size();
    for (std::size_t m = 0; m < programme_metric_count; ++m) {
        const auto metric = static_cast<ProgrammeMetric>(m);
        summary.programmes[m] =
            summarise_programme_metric(run.read_programme_series(metric), replicates, T, J);
        const std::string name(programme_metric_names[m]);
        run.write_array(dataset::in(dataset::summary_programmes, name),
                        {summary_statistic_count, T, J}, {"statistic", "month", "programme"},
                        name.ends_with("_idr") ? "IDR" : "workers", summary.programmes[m]);
    }
    return summary;
}

void for_each_summary_row(const Scenario& scenario, const EnsembleSummary& summary,
                          const std::function<void(const SummaryRow&)>& row) {
    const SummaryShape& shape = summary.shape;
    const std::size_t T = shape.months, K = shape.regions;
    const std::size_t P = shape.areas.province_codes.size();
    const std::vector<std::size_t>& metrics = summary.kept_metrics;
    std::vector<double> values(3 * metrics.size());
    const auto table = scenario.region_table.regions();
    const auto rows = [&](std::string_view level, std::size_t areas, auto code, auto name,
                          auto values_of) {
        for (std::size_t a = 0; a < areas; ++a)
            for (std::size_t g = 0; g < summary_segment_count; ++g)
                for (std::size_t t = 0; t < T; ++t) {
                    std::size_t j = 0;
                    for (std::size_t i = 0; i < metrics.size(); ++i) {
                        const std::vector<double>& v = values_of(summary.kept[i]);
                        for (const Statistic s : {Statistic::mean, Statistic::p05, Statistic::p95})
                            values[j++] = v[summary_index(s, t, a, g, T, areas)];
                    }
                    row({level, code(a), name(a), summary_segment_names[g],
                         scenario.run.start + static_cast<int>(t), values});
                }
    };
    rows(
        "region", K,
        [&](std::size_t k) -> std::string_view { return table[scenario.regions[k]].code; },
        [&](std::size_t k) -> std::string_view { return table[scenario.regions[k]].name; },
        [](const MetricSummary& s) -> const std::vector<double>& { return s.region; });
    // Named once, not on each of their segment × month rows.
    std::vector<std::string> province_names;
    for (std::size_t p = 0; p < P; ++p)
        province_names.push_back(province_area_name(scenario, shape.areas, p));
    const std::string whole_area = scenario_area_name(scenario);
    rows(
        "province", P,
        [&](std::size_t p) -> std::string_view { return shape.areas.province_codes[p]; },
        [&](std::size_t p) -> std::string_view { return province_names[p]; },
        [](const MetricSummary& s) -> const std::vector<double>& { return s.province; });
    rows(
        "nation", 1, [](std::size_t) -> std::string_view { return "ID"; },
        [&](std::size_t) -> std::string_view { return whole_area; },
        [](const MetricSummary& s) -> const std::vector<double>& { return s.nation; });
}

void write_summary_csv(std::ostream& out, const Scenario& scenario,
                       const EnsembleSummary& summary) {
    // Shares as fractions and money in whole rupiah: what a spreadsheet formats best.
    const auto precision = out.precision(10);
    out << "level,code,name,segment,month";
    for (const std::size_t m : summary.kept_metrics) {
        const std::string name(summary_metric_name(m));
        out << ',' << name << "_mean," << name << "_p05," << name << "_p95";
    }
    out << '\n';
    for_each_summary_row(scenario, summary, [&](const SummaryRow& r) {
        out << r.level << ',' << csv_field(std::string(r.code)) << ','
            << csv_field(std::string(r.name)) << ',' << r.segment << ',' << r.month.to_string();
        for (const double x : r.values) {
            out << ',';
            if (!std::isnan(x)) out << x;
        }
        out << '\n';
    });
    out.precision(precision);
}

void for_each_programme_row(const Scenario& scenario, const EnsembleSummary& summary,
                            const std::function<void(const ProgrammeRow&)>& row) {
    const std::size_t T = summary.shape.months, J = summary.programme_names.size();
    std::vector<double> values(3 * programme_metric_count);
    for (std::size_t j = 0; j < J; ++j)
        for (std::size_t t = 0; t < T; ++t) {
            std::size_t i = 0;
            for (std::size_t m = 0; m < programme_metric_count; ++m)
                for (const Statistic s : {Statistic::mean, Statistic::p05, Statistic::p95})
                    values[i++] =
                        summary.programmes[m][(static_cast<std::size_t>(s) * T + t) * J + j];
            row({summary.programme_names[j],
                 programme_kind_names[static_cast<std::size_t>(scenario.programmes[j].kind)],
                 scenario.run.start + static_cast<int>(t), values});
        }
}

void write_programmes_csv(std::ostream& out, const Scenario& scenario,
                          const EnsembleSummary& summary) {
    const auto precision = out.precision(10);
    out << "programme,kind,month";
    for (const std::string_view name : programme_metric_names)
        out << ',' << name << "_mean," << name << "_p05," << name << "_p95";
    out << '\n';
    for_each_programme_row(scenario, summary, [&](const ProgrammeRow& r) {
        out << csv_field(std::string(r.programme)) << ',' << r.kind << ',' << r.month.to_string();
        for (const double x : r.values) {
            out << ',';
            if (!std::isnan(x)) out << x;
        }
        out << '\n';
    });
    out.precision(precision);
}

} // namespace ulcsim
