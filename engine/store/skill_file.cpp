#include "ulcsim/skill_file.hpp"

#include "dataset_names.hpp"
#include "optional_reads.hpp"
#include "ulcsim/csv_format.hpp"
#include "ulcsim/observation_columns.hpp"

#include <cmath>
#include <stdexcept>

namespace ulcsim {

namespace {

std::vector<SkillRow> rows_of(const Skill& s) {
    std::vector<SkillRow> rows = s.by_horizon;
    rows.push_back(s.overall);
    return rows;
}

template <typename Get>
std::vector<double> column(const std::vector<SkillRow>& rows, Get get) {
    std::vector<double> v;
    for (const SkillRow& r : rows)
        v.push_back(static_cast<double>(get(r)));
    return v;
}

std::vector<double> values_of(const RunFileReader& file, const std::string& dataset,
                              std::size_t n) {
    StoredArray a = file.array(dataset);
    if (a.values.size() != n)
        throw std::runtime_error(dataset + " does not have " + std::to_string(n) + " values");
    return std::move(a.values);
}

const std::string& group_of(SkillPlace place) {
    switch (place) {
    case SkillPlace::fit:
        return dataset::fit_skill;
    case SkillPlace::rolling_backtest:
        return dataset::rolling_skill;
    case SkillPlace::forecast:
        return dataset::forecast_skill;
    }
    throw std::logic_error("unknown SkillPlace");
}

} // namespace

void write_skill(ArrayWriter& out, SkillPlace place, const Skill& s) {
    const std::string& group = group_of(place);
    const std::vector<SkillRow> rows = rows_of(s);
    const std::size_t R = rows.size();
    const auto per_row = [&](const std::string& name, const std::string& units,
                             const std::vector<double>& v) {
        out.write_array(group + "/" + name, {R}, {"row"}, units, v);
    };
    per_row("horizon_from", "months after the cut-off",
            column(rows, [](const SkillRow& r) { return r.horizon_from; }));
    per_row("horizon_to", "months after the cut-off (-1: no end)",
            column(rows, [](const SkillRow& r) { return r.horizon_to; }));
    per_row("points", "held-out observations",
            column(rows, [](const SkillRow& r) { return r.points; }));
    per_row("mean_absolute_error", "share",
            column(rows, [](const SkillRow& r) { return r.mean_absolute_error; }));
    per_row("root_mean_squared_error", "share",
            column(rows, [](const SkillRow& r) { return r.root_mean_squared_error; }));
    per_row("inside_80", "share of the points (the replicates' 80% interval)",
            column(rows, [](const SkillRow& r) { return r.inside_80; }));
    per_row("inside_95", "share of the points (the replicates' 95% interval)",
            column(rows, [](const SkillRow& r) { return r.inside_95; }));
    per_row("widened_inside_80", "share of the points (80% interval with the discrepancy)",
            column(rows, [](const SkillRow& r) { return r.widened_inside_80; }));
    per_row("widened_inside_95", "share of the points (95% interval with the discrepancy)",
            column(rows, [](const SkillRow& r) { return r.widened_inside_95; }));
    per_row("persistence_points", "held-out observations with an earlier value",
            column(rows, [](const SkillRow& r) { return r.persistence.observations; }));
    per_row("persistence_model_error", "share (the model's mean absolute error there)",
            column(rows, [](const SkillRow& r) { return r.persistence.model_error; }));
    per_row("persistence_error", "share (persistence's mean absolute error)",
            column(rows, [](const SkillRow& r) { return r.persistence.reference_error; }));
    per_row("linear_trend_points", "held-out observations with two earlier values",
            column(rows, [](const SkillRow& r) { return r.linear_trend.observations; }));
    per_row("linear_trend_model_error", "share (the model's mean absolute error there)",
            column(rows, [](const SkillRow& r) { return r.linear_trend.model_error; }));
    per_row("linear_trend_error", "share (the linear trend's mean absolute error)",
            column(rows, [](const SkillRow& r) { return r.linear_trend.reference_error; }));
    std::vector<std::string> cut_offs;
    for (const Month m : s.cut_offs)
        cut_offs.push_back(m.to_string());
    out.write_strings(group + "/cut_off", cut_offs, "origin", "YYYY-MM");
    out.write_array(group + "/discrepancy_variance", {2}, {"term"},
                    "share² (level; per month after the cut-off)",
                    {s.discrepancy.level_variance, s.discrepancy.drift_variance});
    out.write_array(group + "/discrepancy_errors", {1}, {"count"},
                    "errors the discrepancy is estimated from",
                    {static_cast<double>(s.discrepancy.errors)});
}

Skill read_skill(const RunFileReader& file, SkillPlace place) {
    const std::string& group = group_of(place);
    Skill s;
    const std::vector<double> from = file.array(group + "/horizon_from").values;
    const std::size_t R = from.size();
    if (R == 0) throw std::runtime_error(group + "/horizon_from is empty");
    const auto get = [&](const char* name) { return values_of(file, group + "/" + name, R); };
    const std::vector<double> to = get("horizon_to"), points = get("points"),
                              mae = get("mean_absolute_error"),
                              rmse = get("root_mean_squared_error"), in80 = get("inside_80"),
                              in95 = get("inside_95"), w80 = get("widened_inside_80"),
                              w95 = get("widened_inside_95"), pn = get("persistence_points"),
                              pm = get("persistence_model_error"), pe = get("persistence_error"),
                              tn = get("linear_trend_points"), tm = get("linear_trend_model_error"),
                              te = get("linear_trend_error");
    for (std::size_t i = 0; i < R; ++i) {
        SkillRow r;
        r.horizon_from = static_cast<int>(from[i]);
        r.horizon_to = static_cast<int>(to[i]);
        r.points = static_cast<std::size_t>(points[i]);
        r.mean_absolute_error = mae[i];
        r.root_mean_squared_error = rmse[i];
        r.inside_80 = in80[i];
        r.inside_95 = in95[i];
        r.widened_inside_80 = w80[i];
        r.widened_inside_95 = w95[i];
        r.persistence.observations = static_cast<std::size_t>(pn[i]);
        r.persistence.model_error = pm[i];
        r.persistence.reference_error = pe[i];
        r.linear_trend.observations = static_cast<std::size_t>(tn[i]);
        r.linear_trend.model_error = tm[i];
        r.linear_trend.reference_error = te[i];
        // The last row is all horizons together.
        if (i + 1 < R)
            s.by_horizon.push_back(r);
        else
            s.overall = r;
    }
    for (const std::string& m : file.strings(group + "/cut_off")) {
        const std::optional<Month> month = Month::parse(m);
        if (!month) throw std::runtime_error(group + "/cut_off: '" + m + "' is not YYYY-MM");
        s.cut_offs.push_back(*month);
    }
    const std::vector<double> variance = values_of(file, group + "/discrepancy_variance", 2);
    s.discrepancy.level_variance = variance[0];
    s.discrepancy.drift_variance = variance[1];
    s.discrepancy.errors =
        static_cast<std::size_t>(values_of(file, group + "/discrepancy_errors", 1)[0]);
    return s;
}

std::optional<Skill> read_skill_if_any(const RunFileReader& file, SkillPlace place) {
    const std::string& group = group_of(place);
    const auto slash = group.rfind('/');
    const std::string parent = slash == 0 ? "/" : group.substr(0, slash);
    if (!detail::has_member(file, parent, group.substr(slash + 1))) return std::nullopt;
    return read_skill(file, place);
}

void write_rolling_backtest(ArrayWriter& out, const RollingBacktest& rolling) {
    const std::string& g = dataset::backtest_rolling;
    std::vector<Observation> points;
    std::vector<std::string> cut_off;
    std::vector<double> horizon, mean, error, in80, in95, w80, w95, persistence, trend, sd,
        quantiles, widened;
    for (const BacktestOrigin& o : rolling.origins)
        for (std::size_t i = 0; i < o.backtest.held_out.size(); ++i) {
            const BacktestRow& row = o.backtest.rows[i];
            points.push_back(o.backtest.held_out[i]);
            cut_off.push_back(o.backtest.cut_off.to_string());
            horizon.push_back(o.horizon[i]);
            mean.push_back(row.mean);
            error.push_back(row.error);
            in80.push_back(row.inside_80);
            in95.push_back(row.inside_95);
            w80.push_back(o.widened_inside_80[i]);
            w95.push_back(o.widened_inside_95[i]);
            persistence.push_back(row.persistence);
            trend.push_back(row.linear_trend);
            sd.push_back(o.discrepancy.standard_deviation(o.horizon[i]));
            quantiles.insert(quantiles.end(), row.quantiles.begin(), row.quantiles.end());
            widened.insert(widened.end(), o.widened[i].begin(), o.widened[i].end());
        }
    const std::size_t N = points.size(), Q = backtest_levels.size();
    write_observation_columns(out, g, points, ObservationDetail::where_and_when);
    out.write_strings(g + "/cut_off", cut_off, "point", "YYYY-MM");
    const auto per_point = [&](const std::string& name, const std::string& units,
                               const std::vector<double>& v) {
        out.write_array(g + "/" + name, {N}, {"point"}, units, v);
    };
    per_point("horizon", "months after the cut-off", horizon);
    per_point("predicted_mean", "share", mean);
    per_point("error", "share (predicted mean − observed)", error);
    per_point("inside_80", "1: inside the replicates' 80% interval", in80);
    per_point("inside_95", "1: inside the replicates' 95% interval", in95);
    per_point("widened_inside_80", "1: inside the 80% interval with the discrepancy", w80);
    per_point("widened_inside_95", "1: inside the 95% interval with the discrepancy", w95);
    per_point("persistence", "share (NaN: no earlier value)", persistence);
    per_point("linear_trend", "share (NaN: fewer than two earlier values)", trend);
    per_point("discrepancy_sd", "share (estimated without the origin's held-out points)", sd);
    out.write_array(g + "/predicted_quantile", {N, Q}, {"point", "quantile"}, "share", quantiles);
    out.write_array(g + "/widened_quantile", {N, Q}, {"point", "quantile"}, "share", widened);
    out.write_array(g + "/quantile_level", {Q}, {"quantile"}, "probability",
                    {backtest_levels.begin(), backtest_levels.end()});
    write_skill(out, SkillPlace::rolling_backtest, summarise_rolling(rolling));
}

void write_rolling_backtest_csv(std::ostream& csv, const RollingBacktest& rolling) {
    csv << "cut_off,horizon," << observation_csv_header
        << ",predicted_mean,p10,p90,error,inside_80,inside_95,discrepancy_sd,widened_p10,"
           "widened_p90,widened_p02_5,widened_p97_5,widened_inside_80,widened_inside_95,"
           "persistence,linear_trend\n";
    for (const BacktestOrigin& o : rolling.origins)
        for (std::size_t i = 0; i < o.backtest.held_out.size(); ++i) {
            const BacktestRow& row = o.backtest.rows[i];
            csv << o.backtest.cut_off.to_string() << ',' << o.horizon[i] << ','
                << observation_csv_cells(o.backtest.held_out[i]) << ',' << csv_number(row.mean)
                << ',' << csv_number(row.quantiles[1]) << ',' << csv_number(row.quantiles[3]) << ','
                << csv_number(row.error) << ',' << row.inside_80 << ',' << row.inside_95 << ','
                << csv_number(o.discrepancy.standard_deviation(o.horizon[i])) << ','
                << csv_number(o.widened[i][1]) << ',' << csv_number(o.widened[i][3]) << ','
                << csv_number(o.widened[i][0]) << ',' << csv_number(o.widened[i][4]) << ','
                << o.widened_inside_80[i] << ',' << o.widened_inside_95[i] << ','
                << csv_number(row.persistence) << ',' << csv_number(row.linear_trend) << '\n';
        }
}

void write_skill_csv(std::ostream& csv, const Skill& s) {
    csv << "horizon_from,horizon_to,points,mean_absolute_error,root_mean_squared_error,"
           "inside_80,inside_95,widened_inside_80,widened_inside_95,persistence_points,"
           "persistence_model_error,persistence_error,linear_trend_points,"
           "linear_trend_model_error,linear_trend_error\n";
    for (const SkillRow& r : rows_of(s))
        csv << r.horizon_from << ',' << r.horizon_to << ',' << r.points << ','
            << csv_number(r.mean_absolute_error) << ',' << csv_number(r.root_mean_squared_error)
            << ',' << csv_number(r.inside_80) << ',' << csv_number(r.inside_95) << ','
            << csv_number(r.widened_inside_80) << ',' << csv_number(r.widened_inside_95) << ','
            << r.persistence.observations << ',' << csv_number(r.persistence.model_error) << ','
            << csv_number(r.persistence.reference_error) << ',' << r.linear_trend.observations
            << ',' << csv_number(r.linear_trend.model_error) << ','
            << csv_number(r.linear_trend.reference_error) << '\n';
}

} // namespace ulcsim
