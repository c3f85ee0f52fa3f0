// /forecast's writers and typed reader, and the writer of /forecast/posterior
// (ulcsim/forecast_file.hpp).

#include "ulcsim/forecast_file.hpp"

#include "dataset_names.hpp"
#include "optional_reads.hpp"
#include "ulcsim/csv_format.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace ulcsim {

namespace {

std::string in_forecast(std::string_view name) {
    return dataset::in(dataset::forecast, name);
}

std::string month_text(const Forecast& f, int month) {
    return month < 0 ? "after " + (f.start + (f.months - 1)).to_string()
                     : (f.start + month).to_string();
}

} // namespace

void write_forecast(ArrayWriter& out, const Forecast& f) {
    const std::size_t A = f.areas.size();
    const std::size_t R = A == 0 ? 0 : f.first_month[0].size();
    std::vector<std::string> codes, names, levels;
    for (const ForecastArea& a : f.areas) {
        codes.push_back(a.code);
        names.push_back(a.name);
        levels.emplace_back(a.level);
    }
    out.write_strings(dataset::in(dataset::forecast_areas, "code"), codes, "area",
                      "Kemendagri code");
    out.write_strings(dataset::in(dataset::forecast_areas, "name"), names, "area", "text");
    out.write_strings(dataset::in(dataset::forecast_areas, "level"), levels, "area",
                      "kabkota, province or scenario");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto month_value = [&](int m) { return m < 0 ? nan : static_cast<double>(m); };
    const std::string months_units = "months after " + f.start.to_string() +
                                     "; NaN: not within "
                                     "the run";
    std::vector<double> first, quantiles, never, probability, start;
    for (std::size_t a = 0; a < A; ++a) {
        for (const int m : f.first_month[a])
            first.push_back(month_value(m));
        for (const int m : f.distributions[a].quantiles)
            quantiles.push_back(month_value(m));
        never.push_back(static_cast<double>(f.distributions[a].never));
        for (const double p : f.distributions[a].probability_by)
            probability.push_back(p);
        start.push_back(f.start_coverage_mean[a]);
    }
    out.write_array(in_forecast("first_month"), {A, R}, {"area", "replicate"}, months_units, first);
    out.write_array(in_forecast("quantile"), {A, forecast_quantile_levels.size()},
                    {"area", "quantile"}, months_units, quantiles);
    out.write_array(in_forecast("quantile_level"), {forecast_quantile_levels.size()}, {"quantile"},
                    "probability",
                    {forecast_quantile_levels.begin(), forecast_quantile_levels.end()});
    out.write_array(in_forecast("never"), {A}, {"area"}, "replicates", never);
    std::vector<std::string> by;
    for (const Month m : f.settings.by)
        by.push_back(m.to_string());
    out.write_strings(in_forecast("by"), by, "by", "YYYY-MM");
    out.write_array(in_forecast("probability_by"), {A, by.size()}, {"area", "by"}, "probability",
                    probability);
    out.write_array(in_forecast("start_coverage"), {A}, {"area"}, "share (mean over replicates)",
                    start);
    out.write_array(in_forecast("threshold"), {1}, {"value"}, "share", {f.settings.threshold});
    out.write_attribute(
        dataset::forecast, "measure",
        std::string(coverage_measure_names[static_cast<std::size_t>(f.settings.measure)]));
}

void write_forecast_csv(std::ostream& out, const Forecast& f) {
    out << "level,code,name,threshold,measure,start_coverage,median,p10,p90,p02_5,p97_5,"
           "replicates,never";
    for (const Month m : f.settings.by)
        out << ",probability_by_" << m.to_string();
    out << '\n';
    out.precision(12);
    for (std::size_t a = 0; a < f.areas.size(); ++a) {
        const ForecastArea& area = f.areas[a];
        const FirstPassageDistribution& d = f.distributions[a];
        out << area.level << ',' << csv_field(area.code) << ',' << csv_field(area.name) << ','
            << f.settings.threshold << ','
            << coverage_measure_names[static_cast<std::size_t>(f.settings.measure)] << ','
            << f.start_coverage_mean[a];
        // Columns in the reading order median, 80%, 95%; quantiles are stored by level.
        for (const std::size_t q : {2, 1, 3, 0, 4})
            out << ',' << month_text(f, d.quantiles[q]);
        out << ',' << f.first_month[a].size() << ',' << d.never;
        for (const double p : d.probability_by)
            out << ',' << p;
        out << '\n';
    }
}

namespace {

void write_parameters_of_replicates(ArrayWriter& out, const std::string& group,
                                    const PosteriorPlan& p, const std::string& source) {
    const std::size_t R = p.draw.size(), P = p.keys.size();
    std::vector<double> draw, values;
    for (std::size_t r = 0; r < R; ++r) {
        draw.push_back(static_cast<double>(p.draw[r]));
        values.insert(values.end(), p.values[r].begin(), p.values[r].end());
    }
    out.write_strings(dataset::in(group, "parameter"), p.keys, "parameter", "scenario key");
    out.write_array(dataset::in(group, "draw"), {R}, {"replicate"}, "index into the posterior",
                    draw);
    out.write_array(dataset::in(group, "values"), {R, P}, {"replicate", "parameter"},
                    "the parameters' units", values);
    out.write_attribute(group, "source", source);
}

} // namespace

void write_replicate_parameters(ArrayWriter& out, const PosteriorPlan& p,
                                const std::string& source) {
    write_parameters_of_replicates(out, dataset::forecast_posterior, p, source);
}

void write_run_parameters(ArrayWriter& out, const PosteriorPlan& p, const std::string& source) {
    write_parameters_of_replicates(out, dataset::replicate_parameters, p, source);
}

ForecastFile read_forecast(const RunFileReader& f) {
    ForecastFile r;
    r.code = f.strings(dataset::in(dataset::forecast_areas, "code"));
    r.name = f.strings(dataset::in(dataset::forecast_areas, "name"));
    r.level = f.strings(dataset::in(dataset::forecast_areas, "level"));
    r.measure = detail::optional_attribute(f, dataset::forecast, "measure");
    const StoredArray threshold = f.array(in_forecast("threshold"));
    r.quantile_level = f.array(in_forecast("quantile_level")).values;
    r.first_month = f.array(in_forecast("first_month"));
    r.quantile = f.array(in_forecast("quantile"));
    r.by = f.strings(in_forecast("by"));
    r.probability_by = f.array(in_forecast("probability_by"));
    r.never = f.array(in_forecast("never")).values;
    r.start_coverage = f.array(in_forecast("start_coverage")).values;
    const std::size_t A = r.code.size();
    if (r.name.size() != A || r.level.size() != A || r.quantile.dims.size() != 2 ||
        r.quantile.dims[0] != A || r.quantile.dims[1] != forecast_quantile_levels.size() ||
        r.never.size() != A || r.start_coverage.size() != A || r.first_month.dims.size() != 2 ||
        r.first_month.dims[0] != A || threshold.values.size() != 1)
        throw std::runtime_error("/forecast has inconsistent shapes");
    r.threshold = threshold.values[0];
    if (detail::has_member(f, dataset::forecast, dataset::leaf(dataset::forecast_posterior)))
        r.posterior = ForecastFile::Posterior{
            f.strings(dataset::in(dataset::forecast_posterior, "parameter")),
            detail::optional_attribute(f, dataset::forecast_posterior, "source")};
    return r;
}

} // namespace ulcsim
