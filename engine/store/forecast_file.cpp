// /forecast's typed reader and the writer of /forecast/posterior (ulcsim/forecast_file.hpp).

#include "ulcsim/forecast_file.hpp"

#include "optional_reads.hpp"
#include "ulcsim/forecast.hpp"

#include <algorithm>
#include <stdexcept>

namespace ulcsim {

void write_replicate_parameters(ArrayWriter& out, const PosteriorPlan& p,
                                const std::string& source) {
    const std::size_t R = p.draw.size(), P = p.keys.size();
    std::vector<double> draw, values;
    for (std::size_t r = 0; r < R; ++r) {
        draw.push_back(static_cast<double>(p.draw[r]));
        values.insert(values.end(), p.values[r].begin(), p.values[r].end());
    }
    out.write_strings("/forecast/posterior/parameter", p.keys, "parameter", "scenario key");
    out.write_array("/forecast/posterior/draw", {R}, {"replicate"}, "index into the posterior",
                    draw);
    out.write_array("/forecast/posterior/values", {R, P}, {"replicate", "parameter"},
                    "the parameters' units", values);
    out.write_attribute("/forecast/posterior", "source", source);
}

ForecastFile read_forecast(const RunFileReader& f) {
    ForecastFile r;
    r.code = f.strings("/forecast/areas/code");
    r.name = f.strings("/forecast/areas/name");
    r.level = f.strings("/forecast/areas/level");
    r.measure = detail::optional_attribute(f, "/forecast", "measure");
    const StoredArray threshold = f.array("/forecast/threshold");
    r.quantile_level = f.array("/forecast/quantile_level").values;
    r.first_month = f.array("/forecast/first_month");
    r.quantile = f.array("/forecast/quantile");
    r.by = f.strings("/forecast/by");
    r.probability_by = f.array("/forecast/probability_by");
    r.never = f.array("/forecast/never").values;
    r.start_coverage = f.array("/forecast/start_coverage").values;
    const std::size_t A = r.code.size();
    if (r.name.size() != A || r.level.size() != A || r.quantile.dims.size() != 2 ||
        r.quantile.dims[0] != A || r.quantile.dims[1] != forecast_quantile_levels.size() ||
        r.never.size() != A || r.start_coverage.size() != A || r.first_month.dims.size() != 2 ||
        r.first_month.dims[0] != A || threshold.values.size() != 1)
        throw std::runtime_error("/forecast has inconsistent shapes");
    r.threshold = threshold.values[0];
    if (detail::has_member(f, "/forecast", "posterior"))
        r.posterior =
            ForecastFile::Posterior{f.strings("/forecast/posterior/parameter"),
                                    detail::optional_attribute(f, "/forecast/posterior", "source")};
    return r;
}

} // namespace ulcsim
