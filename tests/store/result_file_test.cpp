// The compare and sweep result files: what their writers put in comes back through the typed
// readers; readers of files written by hand; telling ulcsim's kinds of file apart.

#include "support/test_support.hpp"
#include "ulcsim/csv_format.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/summary.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

namespace ulcsim {
namespace {

using test::ScratchDir;

std::vector<double> counting(std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = 0.5 * static_cast<double>(i);
    return v;
}

TEST(ResultFiles, ComparisonComesBackAsWritten) {
    const ScratchDir dir;
    const auto path = dir.path() / "c.h5";
    const std::size_t S = 2, M = 3, N = summary_statistic_count;
    {
        ResultFileWriter w(path, nullptr);
        w.write_attribute("/meta", "method", "common random numbers");
        w.write_strings("/scenarios/name", {"base", "more"}, "scenario", "text");
        w.write_strings("/months", {"2025-01", "2025-02"}, "month", "YYYY-MM");
        w.write_strings("/measures/name", {"a", "b", "c"}, "measure", "text");
        w.write_strings("/measures/units", {"share", "workers", "IDR"}, "measure", "text");
        w.write_array("/statistics", {S, M, N}, {"scenario", "measure", "statistic"}, "x",
                      counting(S * M * N));
        w.write_array("/differences", {S, M, N}, {"scenario", "measure", "statistic"}, "x",
                      counting(S * M * N));
        w.write_array("/values", {S, M, 7}, {"scenario", "measure", "replicate"}, "x",
                      counting(S * M * 7));
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::comparison);
    const ComparisonFile c = read_comparison(r);
    EXPECT_EQ(c.scenarios, (std::vector<std::string>{"base", "more"}));
    EXPECT_EQ(c.units[2], "IDR");
    EXPECT_EQ(c.months.size(), 2u);
    EXPECT_EQ(c.method, "common random numbers");
    EXPECT_EQ(c.replicates, 7u);
    EXPECT_EQ(c.statistics.values[(1 * M + 2) * N + 1], 0.5 * static_cast<double>((M + 2) * N + 1));
}

TEST(ResultFiles, ComparisonWithMismatchedShapesIsRefused) {
    const ScratchDir dir;
    const auto path = dir.path() / "c.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/scenarios/name", {"base", "more"}, "scenario", "text");
        w.write_strings("/measures/name", {"a"}, "measure", "text");
        w.write_strings("/measures/units", {"share"}, "measure", "text");
        w.write_array("/statistics", {1, 1, summary_statistic_count},
                      {"scenario", "measure", "statistic"}, "x", counting(summary_statistic_count));
        w.write_array("/differences", {1, 1, summary_statistic_count},
                      {"scenario", "measure", "statistic"}, "x", counting(summary_statistic_count));
        w.commit();
    }
    EXPECT_THROW(read_comparison(RunFileReader(path)), std::runtime_error);
}

TEST(ResultFiles, SweepAxesComeBackInOrderWithTheirKeys) {
    const ScratchDir dir;
    const auto path = dir.path() / "s.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/grid/axis_0", {"0.2", "0.4"}, "axis_0", "TOML");
        w.write_attribute("/grid/axis_0", "key", "behaviour.h0_self");
        w.write_strings("/grid/axis_1", {"\"2025-06\""}, "axis_1", "TOML");
        w.write_attribute("/grid/axis_1", "key", "programme.x.window.1.end");
        w.write_strings("/measures/name", {"a"}, "measure", "text");
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::sweep);
    const SweepFile s = read_sweep(r);
    ASSERT_EQ(s.axes.size(), 2u);
    EXPECT_EQ(s.axes[0].key, "behaviour.h0_self");
    EXPECT_EQ(s.axes[0].values, (std::vector<std::string>{"0.2", "0.4"}));
    EXPECT_EQ(s.axes[1].key, "programme.x.window.1.end");
    EXPECT_EQ(s.measures, (std::vector<std::string>{"a"}));
    EXPECT_FALSE(s.replicates);
}

TEST(ResultFiles, AFileWithOnlyMetaIsOfNoKnownKind) {
    const ScratchDir dir;
    const auto path = dir.path() / "m.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/other", {"x"}, "x", "text");
        w.commit();
    }
    EXPECT_EQ(output_kind(RunFileReader(path)), OutputKind::unknown);
}

/// Measured outcomes of `points` scenarios, `R` replicates and `M` measures, each value telling
/// scenario, measure and statistic (or replicate) apart.
MeasuredScenarios made_up_measures(std::size_t points, std::size_t R, std::size_t M) {
    MeasuredScenarios m;
    m.values.assign(points, std::vector<std::vector<double>>(R, std::vector<double>(M)));
    m.levels.assign(points, std::vector<MeasuredScenarios::Statistics>(M));
    m.differences = m.levels;
    for (std::size_t i = 0; i < points; ++i)
        for (std::size_t k = 0; k < M; ++k) {
            for (std::size_t r = 0; r < R; ++r)
                m.values[i][r][k] = 1000.0 * static_cast<double>(i) +
                                    10.0 * static_cast<double>(k) + static_cast<double>(r);
            for (std::size_t st = 0; st < summary_statistic_count; ++st) {
                m.levels[i][k][st] = 100.0 * static_cast<double>(i) + static_cast<double>(k) +
                                     0.01 * static_cast<double>(st);
                m.differences[i][k][st] = i == 0 ? 0.0 : -m.levels[i][k][st];
            }
        }
    return m;
}

const std::vector<Scenario>& two_magelang_runs() {
    static const std::vector<Scenario> s{
        load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml", {"run.months=3"}),
        load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", {"run.months=3"})};
    return s;
}

std::vector<OutcomeMeasure> measures_of(const Scenario& s) {
    OutcomeSettings settings;
    settings.start = s.run.start;
    settings.months = s.run.months;
    settings.coverage_months = {s.run.last_month()};
    return outcome_measures(settings);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

TEST(ResultFiles, AComparisonWrittenByItsWriterComesBackThroughItsReader) {
    const ScratchDir dir;
    const std::vector<Scenario>& scenarios = two_magelang_runs();
    const std::vector<OutcomeMeasure> measures = measures_of(scenarios[0]);
    const std::size_t S = 2, R = 3, T = 3, M = measures.size();
    const MeasuredScenarios measured = made_up_measures(S, R, M);
    std::vector<std::vector<ReplicateOutcome>> outcomes(S, std::vector<ReplicateOutcome>(R));
    for (std::size_t i = 0; i < S; ++i)
        for (std::size_t r = 0; r < R; ++r) {
            ReplicateOutcome& o = outcomes[i][r];
            o.labour_force.assign(T, 4000);
            o.covered = {1000.0 + static_cast<double>(i), 1100.0 + static_cast<double>(r), 0};
            o.former_members_covered.assign(T, 1);
            o.programme_members.assign(T, 2);
            o.programme_spent_idr.assign(T, 3);
            o.policy_cost_idr.assign(T, 5);
        }
    outcomes[1][2].labour_force[2] = 0; // nobody working: no rate
    const auto path = dir.path() / "c.h5";
    {
        ResultFileWriter w(path, nullptr);
        write_comparison(w, scenarios, false, measures, measured, outcomes);
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::comparison);
    const ComparisonFile c = read_comparison(r);
    EXPECT_EQ(c.scenarios,
              (std::vector<std::string>{scenarios[0].run.name, scenarios[1].run.name}));
    EXPECT_EQ(c.method, "common random numbers: same seed and replicates");
    EXPECT_EQ(c.months, (std::vector<std::string>{scenarios[0].run.start.to_string(),
                                                  (scenarios[0].run.start + 1).to_string(),
                                                  (scenarios[0].run.start + 2).to_string()}));
    EXPECT_EQ(c.replicates, R);
    ASSERT_EQ(c.measures.size(), M);
    for (std::size_t k = 0; k < M; ++k) {
        EXPECT_EQ(c.measures[k], measures[k].name);
        EXPECT_EQ(c.units[k], measures[k].units);
    }
    for (std::size_t i = 0; i < S; ++i)
        for (std::size_t k = 0; k < M; ++k)
            for (std::size_t st = 0; st < summary_statistic_count; ++st) {
                const std::size_t at = (i * M + k) * summary_statistic_count + st;
                EXPECT_EQ(c.statistics.values[at], measured.levels[i][k][st]);
                EXPECT_EQ(c.differences.values[at], measured.differences[i][k][st]);
            }
    // Each replicate's monthly totals, and the rate from them.
    const StoredArray rate = r.array("/monthly/coverage_rate");
    ASSERT_EQ(rate.dims, (std::vector<std::size_t>{S, R, T}));
    EXPECT_EQ(rate.values[(1 * R + 2) * T + 1], 1102.0 / 4000);
    EXPECT_TRUE(std::isnan(rate.values[(1 * R + 2) * T + 2]));
    EXPECT_EQ(r.array("/monthly/programme_spent_idr").values[0], 3);
    EXPECT_EQ(r.array("/monthly/policy_cost_idr").values[0], 5);

    ResultFileWriter independent(dir.path() / "i.h5", nullptr);
    write_comparison(independent, scenarios, true, measures, measured, outcomes);
    independent.commit();
    EXPECT_EQ(read_comparison(RunFileReader(dir.path() / "i.h5")).method,
              "independent seeds (seed + position of the scenario)");
}

TEST(ResultFiles, AComparisonsCsvHasARowPerMeasureAndScenario) {
    const std::vector<Scenario>& scenarios = two_magelang_runs();
    const std::vector<OutcomeMeasure> measures = measures_of(scenarios[0]);
    const MeasuredScenarios measured = made_up_measures(2, 3, measures.size());
    std::ostringstream csv;
    write_comparison_csv(csv, scenarios, measures, measured);
    const std::vector<std::string> lines = lines_of(csv.str());
    ASSERT_EQ(lines.size(), 1 + 2 * measures.size());
    EXPECT_EQ(lines[0], "measure,units,scenario,mean,p05,p95,difference_mean,difference_p05,"
                        "difference_p95");
    // The base has no difference to itself; the other scenario's row of the second measure.
    const auto row = [&](std::size_t i, std::size_t k) {
        const auto& l = measured.levels[i][k];
        const auto& d = measured.differences[i][k];
        return measures[k].name + "," + measures[k].units + "," + scenarios[i].run.name + "," +
               csv_number(l[0]) + "," + csv_number(l[2]) + "," + csv_number(l[8]) + "," +
               (i == 0 ? ",," // the base has no difference to itself
                       : csv_number(d[0]) + "," + csv_number(d[2]) + "," + csv_number(d[8]));
    };
    EXPECT_EQ(lines[1], row(0, 0));
    EXPECT_EQ(lines[2], row(1, 0));
    EXPECT_EQ(lines[4], row(1, 1));
    EXPECT_NE(lines[4].find(csv_number(-measured.levels[1][1][2])), std::string::npos);
}

TEST(ResultFiles, ASweepWrittenByItsWriterComesBackThroughItsReader) {
    const ScratchDir dir;
    const std::vector<SweepAxis> axes{
        {"behaviour.h0_self", {0.2, 0.4, 0.6}, {"0.2", "0.4", "0.6"}},
        {"programme.kota-magelang-apbd.continue_after_subsidy", {0.2, 0.6}, {"0.2", "0.6"}}};
    const std::vector<Scenario> points = grid_scenarios(two_magelang_runs()[1], axes);
    ASSERT_EQ(points.size(), 6u);
    const std::vector<OutcomeMeasure> measures = measures_of(points[0]);
    const std::size_t M = measures.size();
    const MeasuredScenarios measured = made_up_measures(6, 2, M);
    const auto path = dir.path() / "s.h5";
    {
        ResultFileWriter w(path, nullptr);
        write_sweep(w, axes, points, measures, measured);
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::sweep);
    const SweepFile s = read_sweep(r);
    ASSERT_EQ(s.axes.size(), 2u);
    for (std::size_t a = 0; a < 2; ++a) {
        EXPECT_EQ(s.axes[a].key, axes[a].key);
        EXPECT_EQ(s.axes[a].values, axes[a].labels);
    }
    EXPECT_EQ(s.replicates, 2u);
    ASSERT_EQ(s.measures.size(), M);
    EXPECT_EQ(s.measures[0], measures[0].name);
    EXPECT_EQ(s.statistics.dims, (std::vector<std::size_t>{3, 2, M, summary_statistic_count}));
    EXPECT_EQ(s.differences.dims, s.statistics.dims);
    // Point (2, 1) is the sixth: its second measure's p05.
    const std::size_t at = (5 * M + 1) * summary_statistic_count + 2;
    EXPECT_EQ(s.statistics.values[at], measured.levels[5][1][2]);
    EXPECT_EQ(s.differences.values[at], measured.differences[5][1][2]);
    EXPECT_EQ(r.string_attribute("/meta", "scenario_toml"), points[0].resolved_toml);

    std::ostringstream csv;
    write_sweep_csv(csv, axes, measures, measured);
    const std::vector<std::string> lines = lines_of(csv.str());
    ASSERT_EQ(lines.size(), 7u);
    EXPECT_EQ(
        lines[0].rfind("behaviour.h0_self,programme.kota-magelang-apbd.continue_after_subsidy," +
                           measures[0].name + "_mean,",
                       0),
        0u);
    EXPECT_EQ(lines[6].rfind("0.6,0.6," + csv_number(500) + ",", 0), 0u) << lines[6];
}

} // namespace
} // namespace ulcsim
