// The fit family (ulcsim/fit_file.hpp) and /backtest: what the writers put in, the typed
// readers give back, and a posterior file that cannot be read is refused with where and why.

#include "support/test_support.hpp"
#include "ulcsim/backtest_file.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/input_error.hpp"

#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace ulcsim {
namespace {

using test::ScratchDir;

const Scenario& yogyakarta() {
    static const Scenario s = load_scenario(test::scenarios_dir() / "di-yogyakarta.toml");
    return s;
}

CalibrationProblem problem() {
    const Scenario& s = yogyakarta();
    ExecutionContext context;
    context.threads = 1;
    return CalibrationProblem(
        s, {calibration_parameter(s, "h0_self"), calibration_parameter(s, "h_lapse")},
        s.observations, context);
}

/// A result with numbers no calibration would round: three posterior draws.
CalibrationResult result(std::size_t observations) {
    CalibrationResult r;
    r.estimate.minimum = Eigen::Vector2d(0.0123456789012345, 0.0456789);
    r.estimate.loss = 0.00031;
    r.estimate.evaluations = 17;
    r.estimate.stopped_because = "the simplex is small";
    r.estimate.best_loss_by_iteration = {0.002, 0.0009, 0.00031};
    r.start_loss = 0.002;
    for (std::size_t i = 0; i < observations; ++i) {
        const double x = 0.1 + 0.01 * static_cast<double>(i);
        r.simulated_at_start.push_back(x);
        r.simulated_mean.push_back(x + 0.001);
        r.simulated_p05.push_back(x - 0.002);
        r.simulated_p95.push_back(x + 0.004);
    }
    r.has_posterior = true;
    r.posterior.draws.resize(3, 2);
    r.posterior.draws << 0.011, 0.041, 0.0125, 0.0461, 0.013, 1.0 / 3.0;
    r.posterior.weights = Eigen::Vector3d(0.2, 0.3, 0.5);
    r.posterior.distances = {0.004, 0.003, 0.0025};
    r.posterior.tolerances = {INFINITY, 0.005};
    r.posterior.acceptance_rates = {1, 0.4};
    r.posterior.stopped_because = "tolerance reached";
    return r;
}

std::filesystem::path write_fit_file(const ScratchDir& dir, const CalibrationProblem& p,
                                     const CalibrationResult& r) {
    const auto path = dir.path() / "x.fit.h5";
    ResultFileWriter writer(path, nullptr);
    write_fit_meta(writer, yogyakarta(), "x.toml");
    write_fit(writer, p, r);
    writer.commit();
    return path;
}

TEST(FitFile, WhatIsWrittenIsReadBack) {
    const ScratchDir dir;
    const CalibrationProblem p = problem();
    const std::size_t N = p.observations().size();
    ASSERT_GE(N, 2u);
    const CalibrationResult r = result(N);
    const FitFile f = read_fit(RunFileReader(write_fit_file(dir, p, r)));

    EXPECT_EQ(f.scenario_file, yogyakarta().file.string());
    EXPECT_EQ(f.calibrated_scenario, "x.toml");
    EXPECT_EQ(f.parameters.key,
              (std::vector<std::string>{"behaviour.h0_self", "behaviour.h_lapse"}));
    EXPECT_EQ(f.parameters.start[1], p.parameters()[1].start);
    EXPECT_EQ(f.parameters.prior_lower[0], p.parameters()[0].prior.lower);
    EXPECT_EQ(f.parameters.prior_upper[1], p.parameters()[1].prior.upper);
    EXPECT_EQ(f.parameters.estimate, (std::vector<double>{0.0123456789012345, 0.0456789}));
    // The weighted mean of the draws: 0.2·0.011 + 0.3·0.0125 + 0.5·0.013.
    ASSERT_EQ(f.parameters.posterior_mean.size(), 2u);
    EXPECT_NEAR(f.parameters.posterior_mean[0], 0.01245, 1e-15);

    ASSERT_EQ(f.observations.region.size(), N);
    for (std::size_t i = 0; i < N; ++i) {
        const Observation& o = p.observations()[i];
        EXPECT_EQ(f.observations.region[i], o.region_code);
        EXPECT_EQ(f.observations.month[i], o.month.to_string());
        EXPECT_EQ(f.observations.source[i], o.source);
        EXPECT_EQ(f.observations.observed[i], o.value);
        EXPECT_EQ(f.observations.weight[i], o.weight);
    }
    EXPECT_EQ(f.observations.simulated_mean, r.simulated_mean);
    EXPECT_EQ(f.observations.simulated_p95, r.simulated_p95);
    EXPECT_EQ(f.start_loss, 0.002);
    EXPECT_EQ(f.estimate_loss, 0.00031);
    EXPECT_EQ(f.best_loss_by_iteration, r.estimate.best_loss_by_iteration);
    EXPECT_EQ(f.evaluations, 17);
    EXPECT_EQ(f.stopped_because, "the simplex is small");

    ASSERT_TRUE(f.posterior);
    EXPECT_EQ(f.posterior->keys, f.parameters.key);
    EXPECT_EQ(f.posterior->draws, (std::vector<std::vector<double>>{
                                      {0.011, 0.041}, {0.0125, 0.0461}, {0.013, 1.0 / 3}}));
    EXPECT_EQ(f.posterior->weights, (std::vector<double>{0.2, 0.3, 0.5}));
    EXPECT_EQ(f.posterior->distances, r.posterior.distances);
}

TEST(FitFile, WithoutAPosteriorHasNone) {
    const ScratchDir dir;
    const CalibrationProblem p = problem();
    CalibrationResult r = result(p.observations().size());
    r.has_posterior = false;
    const auto path = write_fit_file(dir, p, r);
    const FitFile f = read_fit(RunFileReader(path));
    EXPECT_FALSE(f.posterior);
    EXPECT_TRUE(f.parameters.posterior_mean.empty());
    try {
        read_posterior(path);
        FAIL() << "a fit file without /posterior was read as a posterior";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].where.file, path.string());
        EXPECT_NE(e.diagnostics()[0].message.find("not a fit file with posterior draws"),
                  std::string::npos)
            << e.what();
    }
}

TEST(FitFile, PosteriorCsvReadsBackToTwelveDigitsWithWeightsSummingToOne) {
    const ScratchDir dir;
    const CalibrationProblem p = problem();
    const CalibrationResult r = result(p.observations().size());
    const auto csv = dir.path() / "x.posterior.csv";
    {
        std::ofstream out(csv);
        write_posterior_csv(out, p, r);
    }
    const PosteriorDraws from_csv = read_posterior(csv);
    const PosteriorDraws from_h5 = read_posterior(write_fit_file(dir, p, r));
    EXPECT_EQ(from_csv.keys, from_h5.keys);
    ASSERT_EQ(from_csv.draws.size(), 3u);
    for (std::size_t d = 0; d < 3; ++d) {
        EXPECT_NEAR(from_csv.weights[d], from_h5.weights[d], 1e-12);
        EXPECT_NEAR(from_csv.distances[d], from_h5.distances[d], 1e-14);
        for (std::size_t i = 0; i < 2; ++i)
            EXPECT_NEAR(from_csv.draws[d][i], from_h5.draws[d][i],
                        1e-11 * std::abs(from_h5.draws[d][i]));
    }
    EXPECT_NEAR(from_csv.weights[0] + from_csv.weights[1] + from_csv.weights[2], 1.0, 1e-15);
}

TEST(FitFile, FitCsvHasOneRowPerObservationAfterTheObservationColumns) {
    const CalibrationProblem p = problem();
    const CalibrationResult r = result(p.observations().size());
    std::ostringstream out;
    write_fit_csv(out, p, r);
    std::istringstream lines(out.str());
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "region,segment,month,measure,observed,weight,error_band,simulated_at_start,"
                    "simulated_mean,simulated_p05,simulated_p95,source");
    std::getline(lines, line);
    EXPECT_TRUE(line.starts_with(observation_csv_cells(p.observations()[0]) + ",")) << line;
    EXPECT_NE(line.find(",0.101,0.098,0.104,"), std::string::npos) << line;
    std::size_t rows = 1;
    while (std::getline(lines, line))
        ++rows;
    EXPECT_EQ(rows, p.observations().size());
}

TEST(FitFile, BadPosteriorCsvNamesFileLineColumnAndKey) {
    const ScratchDir dir;
    const auto csv = dir.write("bad.posterior.csv", "draw,weight,distance,behaviour.h0_self\n"
                                                    "0,0.5,0.01,0.02\n"
                                                    "1,0.5,0.01,abc\n");
    try {
        read_posterior(csv);
        FAIL() << "a posterior with 'abc' for a value was read";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        const Diagnostic& d = e.diagnostics()[0];
        EXPECT_EQ(d.where.file, csv.string());
        EXPECT_EQ(d.where.line, 3);
        EXPECT_EQ(d.where.column, 12);
        EXPECT_EQ(d.key, "behaviour.h0_self");
        EXPECT_EQ(d.format(),
                  csv.string() + ":3:12: error: behaviour.h0_self: 'abc' is not a number");
    }
    const auto negative = dir.write("negative.csv", "draw,weight,distance,behaviour.h0_self\n"
                                                    "0,-1,0.01,0.02\n");
    EXPECT_THROW(read_posterior(negative), InputError);
    const auto unknown = dir.write("unknown.csv", "draw,weight,distance,behaviour.no_such_key\n"
                                                  "0,1,0.01,0.02\n");
    try {
        read_posterior(unknown);
        FAIL() << "a posterior of an unknown key was read";
    } catch (const InputError& e) {
        EXPECT_EQ(e.diagnostics().at(0).key, "behaviour.no_such_key");
        EXPECT_NE(std::string(e.what()).find("not a parameter this version can set"),
                  std::string::npos);
    }
}

TEST(FitFile, ForecastRefusesABadPosteriorWithExitStatus2) {
    const ScratchDir dir;
    const auto csv = dir.write("bad.posterior.csv", "draw,weight,distance,behaviour.h0_self\n"
                                                    "0,0.5,0.01,0.02\n"
                                                    "1,0.5,,oops\n");
    const auto r = test::run_program(
        {"forecast", (test::scenarios_dir() / "di-yogyakarta.toml").string(), "--posterior",
         csv.string(), "-q", "-o", (dir.path() / "f.h5").string()});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(csv.string() + ":3:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'oops' is not a number"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "f.h5"));
}

TEST(BacktestFile, WhatIsWrittenIsReadBack) {
    const ScratchDir dir;
    const Scenario& s = yogyakarta();
    Backtest b = Backtest::holding_out(s, s.observations.front().month, 4);
    ASSERT_FALSE(b.held_out.empty());
    for (std::size_t i = 0; i < b.held_out.size(); ++i)
        b.predicted[i] = {0.1, 0.2, 0.3, 0.4 + 0.01 * static_cast<double>(i)};
    b.score();
    const auto path = dir.path() / "b.h5";
    ResultFileWriter writer(path, nullptr);
    write_backtest(writer, b);
    writer.commit();
    const BacktestFile f = read_backtest(RunFileReader(path));
    EXPECT_EQ(f.cut_off, b.cut_off.to_string());
    ASSERT_EQ(f.observations.region.size(), b.held_out.size());
    EXPECT_TRUE(f.observations.measure.empty()); // where and when only
    for (std::size_t i = 0; i < b.held_out.size(); ++i) {
        EXPECT_EQ(f.observations.observed[i], b.held_out[i].value);
        EXPECT_EQ(f.predicted_mean[i], b.rows[i].mean);
        EXPECT_EQ(f.error[i], b.rows[i].error);
        EXPECT_EQ(f.inside_80[i], b.rows[i].inside_80 ? 1.0 : 0.0);
        EXPECT_TRUE(std::isnan(f.persistence[i])); // nothing before the first observation
    }
}

// The naive forecasts go into the file too: DI Yogyakarta cut at 2024-07 holds out the Oct
// 2024 share, whose series was seen once before (35% in Feb 2024), so persistence is 0.35 and
// there is no trend.
TEST(BacktestFile, TheNaiveForecastsAreWrittenAndReadBack) {
    const ScratchDir dir;
    Backtest b = Backtest::holding_out(yogyakarta(), Month(2024, 7), 2);
    ASSERT_EQ(b.held_out.size(), 1u);
    b.predicted = {{0.40, 0.42}};
    b.score();
    const auto path = dir.path() / "b.h5";
    ResultFileWriter writer(path, nullptr);
    write_backtest(writer, b);
    writer.commit();
    const BacktestFile f = read_backtest(RunFileReader(path));
    ASSERT_EQ(f.persistence.size(), 1u);
    EXPECT_DOUBLE_EQ(f.persistence[0], 0.35);
    EXPECT_TRUE(std::isnan(f.linear_trend[0]));
    std::ostringstream csv;
    write_backtest_csv(csv, b);
    EXPECT_NE(csv.str().find(",persistence,linear_trend\n"), std::string::npos) << csv.str();
    EXPECT_NE(csv.str().find(",0.35,\n"), std::string::npos) << csv.str();
}

} // namespace
} // namespace ulcsim
