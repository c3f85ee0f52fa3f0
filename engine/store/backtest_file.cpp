#include "ulcsim/backtest_file.hpp"

#include "dataset_names.hpp"
#include "optional_reads.hpp"
#include "ulcsim/csv_format.hpp"

#include <limits>
#include <stdexcept>

namespace ulcsim {

void write_backtest(ArrayWriter& out, const Backtest& b) {
    const std::size_t N = b.held_out.size();
    std::vector<double> mean, quantiles, error, inside_80, inside_95, persistence, trend;
    for (const BacktestRow& row : b.rows) {
        persistence.push_back(row.persistence);
        trend.push_back(row.linear_trend);
        mean.push_back(row.mean);
        quantiles.insert(quantiles.end(), row.quantiles.begin(), row.quantiles.end());
        error.push_back(row.error);
        inside_80.push_back(row.inside_80);
        inside_95.push_back(row.inside_95);
    }
    write_observation_columns(out, dataset::backtest, b.held_out,
                              ObservationDetail::where_and_when);
    out.write_array(dataset::in(dataset::backtest, "predicted_mean"), {N}, {"observation"}, "share",
                    mean);
    out.write_array(dataset::in(dataset::backtest, "predicted_quantile"),
                    {N, backtest_levels.size()}, {"observation", "quantile"}, "share", quantiles);
    out.write_array(dataset::in(dataset::backtest, "quantile_level"), {backtest_levels.size()},
                    {"quantile"}, "probability", {backtest_levels.begin(), backtest_levels.end()});
    out.write_array(dataset::in(dataset::backtest, "error"), {N}, {"observation"},
                    "share (predicted mean − observed)", error);
    out.write_array(dataset::in(dataset::backtest, "inside_80"), {N}, {"observation"},
                    "1: inside the 80% interval", inside_80);
    out.write_array(dataset::in(dataset::backtest, "inside_95"), {N}, {"observation"},
                    "1: inside the 95% interval", inside_95);
    out.write_array(dataset::in(dataset::backtest, "persistence"), {N}, {"observation"},
                    "share (the series' last value before the cut-off; NaN: none)", persistence);
    out.write_array(dataset::in(dataset::backtest, "linear_trend"), {N}, {"observation"},
                    "share (the line through the series' last two values before the cut-off; "
                    "NaN: fewer than two)",
                    trend);
    out.write_attribute(dataset::backtest, "cut_off", b.cut_off.to_string());
}

void write_backtest_csv(std::ostream& csv, const Backtest& b) {
    csv << observation_csv_header
        << ",predicted_mean,p02_5,p10,p50,p90,p97_5,error,inside_80,inside_95,persistence,"
           "linear_trend\n";
    for (std::size_t i = 0; i < b.held_out.size(); ++i) {
        const BacktestRow& row = b.rows[i];
        csv << observation_csv_cells(b.held_out[i]) << ',' << csv_number(row.mean);
        for (const double q : row.quantiles)
            csv << ',' << csv_number(q);
        csv << ',' << csv_number(row.error) << ',' << row.inside_80 << ',' << row.inside_95 << ','
            << csv_number(row.persistence) << ',' << csv_number(row.linear_trend) << '\n';
    }
}

BacktestFile read_backtest(const RunFileReader& file) {
    BacktestFile b;
    try {
        b.cut_off = file.string_attribute(dataset::backtest, "cut_off");
    } catch (const std::runtime_error&) {
    }
    b.observations = read_observation_columns(file, dataset::backtest);
    b.predicted_mean = file.array(dataset::in(dataset::backtest, "predicted_mean")).values;
    b.error = file.array(dataset::in(dataset::backtest, "error")).values;
    b.inside_80 = file.array(dataset::in(dataset::backtest, "inside_80")).values;
    b.inside_95 = file.array(dataset::in(dataset::backtest, "inside_95")).values;
    const std::size_t N = b.observations.region.size();
    // Files written before the naive references were stored have neither.
    if (detail::has_member(file, dataset::backtest, "persistence")) {
        b.persistence = file.array(dataset::in(dataset::backtest, "persistence")).values;
        b.linear_trend = file.array(dataset::in(dataset::backtest, "linear_trend")).values;
    } else {
        b.persistence.assign(N, std::numeric_limits<double>::quiet_NaN());
        b.linear_trend = b.persistence;
    }
    if (b.predicted_mean.size() != N || b.error.size() != N || b.inside_80.size() != N ||
        b.inside_95.size() != N || b.persistence.size() != N || b.linear_trend.size() != N)
        throw std::runtime_error("/backtest has inconsistent shapes");
    return b;
}

} // namespace ulcsim
