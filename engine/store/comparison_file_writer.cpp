// The writers of the compare and sweep result files and their CSVs (ulcsim/result_file.hpp),
// the mirror of the readers in result_file.cpp: a sweep is a comparison whose scenarios are
// the points of a grid.

#include "dataset_names.hpp"
#include "ulcsim/csv_format.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/summary.hpp"

#include <cmath>
#include <utility>

namespace ulcsim {

namespace {

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

/// /measures/name, /measures/units, /statistic, and /values [leading…, measure, replicate],
/// /statistics and /differences [leading…, measure, statistic], where the leading dimensions
/// (named `leading_names`) enumerate the scenarios in row-major order.
void write_measured(ArrayWriter& out, const std::vector<OutcomeMeasure>& measures,
                    const MeasuredScenarios& measured, const std::vector<std::size_t>& leading,
                    const std::vector<std::string>& leading_names,
                    const std::string& difference_units) {
    std::vector<std::string> names, units;
    for (const OutcomeMeasure& m : measures) {
        names.push_back(m.name);
        units.push_back(m.units);
    }
    out.write_strings(dataset::measure_names, names, "measure", "text");
    out.write_strings(dataset::measure_units, units, "measure", "text");
    out.write_strings(dataset::statistic,
                      {summary_statistic_names.begin(), summary_statistic_names.end()}, "statistic",
                      "text");

    const std::size_t M = measures.size();
    const std::size_t replicates = measured.values.empty() ? 0 : measured.values[0].size();
    std::vector<double> values, levels, differences;
    for (std::size_t i = 0; i < measured.values.size(); ++i)
        for (std::size_t m = 0; m < M; ++m) {
            for (std::size_t r = 0; r < replicates; ++r)
                values.push_back(measured.values[i][r][m]);
            for (std::size_t st = 0; st < summary_statistic_count; ++st) {
                levels.push_back(measured.levels[i][m][st]);
                differences.push_back(measured.differences[i][m][st]);
            }
        }
    const auto shape = [&](std::size_t last, const std::string& name) {
        std::pair<std::vector<std::size_t>, std::vector<std::string>> d{leading, leading_names};
        d.first.insert(d.first.end(), {M, last});
        d.second.insert(d.second.end(), {"measure", name});
        return d;
    };
    const auto [value_dims, value_names] = shape(replicates, "replicate");
    const auto [statistic_dims, statistic_names] = shape(summary_statistic_count, "statistic");
    const std::string units_of_measures = "see " + dataset::measure_units;
    out.write_array(dataset::values, value_dims, value_names, units_of_measures, values);
    out.write_array(dataset::statistics, statistic_dims, statistic_names, units_of_measures,
                    levels);
    out.write_array(dataset::differences, statistic_dims, statistic_names, difference_units,
                    differences);
}

} // namespace

void write_comparison(ArrayWriter& out, const std::vector<Scenario>& scenarios,
                      bool independent_seeds, const std::vector<OutcomeMeasure>& measures,
                      const MeasuredScenarios& measured,
                      const std::vector<std::vector<ReplicateOutcome>>& outcomes) {
    const std::size_t S = scenarios.size();
    const std::size_t R = outcomes.empty() ? 0 : outcomes[0].size();
    const RunSettings& base = scenarios.front().run;
    const auto T = static_cast<std::size_t>(base.months);
    std::vector<std::string> names, tomls;
    for (const Scenario& s : scenarios) {
        names.push_back(s.run.name);
        tomls.push_back(s.resolved_toml);
    }
    out.write_attribute(dataset::meta, "method",
                        independent_seeds ? "independent seeds (seed + position of the scenario)"
                                          : "common random numbers: same seed and replicates");
    out.write_strings(dataset::scenario_names, names, "scenario", "text");
    out.write_strings(dataset::scenario_tomls, tomls, "scenario", "TOML");
    std::vector<std::string> months;
    for (std::size_t t = 0; t < T; ++t)
        months.push_back((base.start + static_cast<int>(t)).to_string());
    out.write_strings(dataset::months, months, "month", "YYYY-MM");
    write_measured(out, measures, measured, {S}, {"scenario"},
                   "see " + dataset::measure_units +
                       "; scenario minus the first, paired by "
                       "replicate");
    const auto monthly = [&](const char* name, const std::string& units, auto field) {
        std::vector<double> flat;
        for (std::size_t i = 0; i < S; ++i)
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t t = 0; t < T; ++t)
                    flat.push_back(field(outcomes[i][r], t));
        out.write_array(dataset::in(dataset::monthly, name), {S, R, T},
                        {"scenario", "replicate", "month"}, units, flat);
    };
    monthly("coverage_rate", "share", [](const ReplicateOutcome& o, std::size_t t) {
        return o.labour_force[t] > 0 ? o.covered[t] / o.labour_force[t] : std::nan("");
    });
    monthly("covered", "workers",
            [](const ReplicateOutcome& o, std::size_t t) { return o.covered[t]; });
    monthly("labour_force", "workers",
            [](const ReplicateOutcome& o, std::size_t t) { return o.labour_force[t]; });
    monthly("programme_members", "workers",
            [](const ReplicateOutcome& o, std::size_t t) { return o.programme_members[t]; });
    monthly("programme_spent_idr", "IDR",
            [](const ReplicateOutcome& o, std::size_t t) { return o.programme_spent_idr[t]; });
    monthly("former_members_covered", "workers",
            [](const ReplicateOutcome& o, std::size_t t) { return o.former_members_covered[t]; });
    monthly("policy_cost_idr", "IDR",
            [](const ReplicateOutcome& o, std::size_t t) { return o.policy_cost_idr[t]; });
}

void write_comparison_csv(std::ostream& csv, const std::vector<Scenario>& scenarios,
                          const std::vector<OutcomeMeasure>& measures,
                          const MeasuredScenarios& measured) {
    const auto& levels = measured.levels;
    const auto& differences = measured.differences;
    csv << "measure,units,scenario,mean,p05,p95,difference_mean,difference_p05,difference_"
           "p95\n";
    for (std::size_t m = 0; m < measures.size(); ++m)
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            csv << measures[m].name << ',' << measures[m].units << ',' << scenarios[i].run.name
                << ',' << csv_number(levels[i][m][mean]) << ',' << csv_number(levels[i][m][p05])
                << ',' << csv_number(levels[i][m][p95]);
            for (const std::size_t st : {mean, p05, p95})
                csv << ',' << (i == 0 ? "" : csv_number(differences[i][m][st]));
            csv << '\n';
        }
}

void write_sweep(ArrayWriter& out, const std::vector<SweepAxis>& axes,
                 const std::vector<Scenario>& scenarios,
                 const std::vector<OutcomeMeasure>& measures, const MeasuredScenarios& measured) {
    // [axis 0, axis 1, …, measure, statistic | replicate]
    std::vector<std::size_t> grid_dims;
    std::vector<std::string> grid_names, keys;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        const std::string name = dataset::grid_axis_name(a);
        const std::string path = dataset::in(dataset::grid, name);
        grid_dims.push_back(axes[a].values.size());
        grid_names.push_back(name);
        keys.push_back(axes[a].key);
        out.write_strings(path, axes[a].labels, name, "scenario value (TOML text)");
        out.write_attribute(path, "key", axes[a].key);
    }
    out.write_strings(dataset::grid_keys, keys, "axis", "scenario key");
    out.write_attribute(dataset::meta, "scenario_toml", scenarios.front().resolved_toml);
    out.write_attribute(dataset::meta, "method",
                        "common random numbers: every point has the same seed and replicates; "
                        "differences are against the first point, paired by replicate");
    write_measured(out, measures, measured, grid_dims, grid_names,
                   "see " + dataset::measure_units +
                       "; point minus the first point, paired by "
                       "replicate");
}

void write_sweep_csv(std::ostream& csv, const std::vector<SweepAxis>& axes,
                     const std::vector<OutcomeMeasure>& measures,
                     const MeasuredScenarios& measured) {
    const auto& levels = measured.levels;
    const auto& differences = measured.differences;
    const std::size_t M = measures.size();
    for (const SweepAxis& a : axes)
        csv << a.key << ',';
    for (std::size_t m = 0; m < M; ++m) {
        const std::string& n = measures[m].name;
        csv << (m ? "," : "") << n << "_mean," << n << "_p05," << n << "_p95," << n
            << "_difference_mean," << n << "_difference_p05," << n << "_difference_p95";
    }
    csv << '\n';
    for (std::size_t i = 0; i < grid_points(axes); ++i) {
        const std::vector<std::size_t> at = grid_coordinates(axes, i);
        for (std::size_t a = 0; a < axes.size(); ++a)
            csv << axes[a].labels[at[a]] << ',';
        for (std::size_t m = 0; m < M; ++m) {
            csv << (m ? "," : "") << csv_number(levels[i][m][mean]) << ','
                << csv_number(levels[i][m][p05]) << ',' << csv_number(levels[i][m][p95]);
            for (const std::size_t st : {mean, p05, p95})
                csv << ',' << csv_number(differences[i][m][st]);
        }
        csv << '\n';
    }
}

} // namespace ulcsim
