// The calibrate and forecast operations' plans (ulcsim/calibration_plan.hpp,
// ulcsim/forecast_plan.hpp), on what they decide before anything is simulated: the
// observations fitted, the skill's cut-offs, the options refused with the program's messages,
// the settings, and where the outputs go.

#include "support/test_support.hpp"
#include "ulcsim/calibration_plan.hpp"
#include "ulcsim/forecast_plan.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>
#include <string>

using namespace ulcsim;

namespace {

/// Di Yogyakarta: observations in 2024-02, 2024-06 and 2024-10.
Scenario yogyakarta() {
    return load_scenario(test::shipped_scenario("di-yogyakarta.toml"),
                         {"population.scale=20", "run.months=14", "run.replicates=2"});
}

CalibrationOptions fitting(const std::string& keys) {
    CalibrationOptions options;
    options.fit = {keys};
    return options;
}

/// The message of the OptionError `f` throws ("" when it throws none).
template <typename F>
std::string option_error(F f) {
    try {
        f();
    } catch (const OptionError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(CalibrationPlan, FitsTheObservationsBeforeTheCutOffAndMeasuresTheSkillOnThem) {
    const Scenario s = yogyakarta();
    const CalibrationPlan all = plan_calibration(s, {"population.scale=20"},
                                                 fitting("h0_self, h_lapse"), std::nullopt, true);
    ASSERT_EQ(all.parameters.size(), 2u);
    EXPECT_EQ(all.parameters[0].key, "behaviour.h0_self");
    EXPECT_EQ(all.observations().size(), 3u);
    EXPECT_EQ(all.overrides, std::vector<std::string>{"population.scale=20"});
    EXPECT_EQ(all.settings.seed, s.run.seed);
    // Two parameters: the first cut-off with two observations before it.
    ASSERT_EQ(all.skill_cut_offs, std::vector<Month>{Month(2024, 10)});

    const CalibrationPlan early =
        plan_calibration(s, {}, fitting("h0_self"), Month(2024, 10), true);
    EXPECT_EQ(early.observations().size(), 2u);
    EXPECT_EQ(early.scenario.observations.size(), 3u); // the scenario itself keeps them all
    EXPECT_EQ(early.skill_cut_offs, std::vector<Month>{Month(2024, 6)});
    EXPECT_FALSE(plan_calibration(s, {}, fitting("h0_self"), std::nullopt, false).measures_skill());
}

TEST(CalibrationPlan, RefusesWhatTheProgramRefusesWithItsMessages) {
    const Scenario s = yogyakarta();
    EXPECT_EQ(option_error([&] { plan_calibration(s, {}, {}, std::nullopt, false); }),
              "no parameters to fit: give --fit KEY[,KEY…] (e.g. --fit h0_self,h_lapse)");
    CalibrationOptions no_particles = fitting("h0_self");
    no_particles.particles = 0;
    EXPECT_EQ(option_error([&] { plan_calibration(s, {}, no_particles, std::nullopt, true); }),
              "--skill needs a posterior: --particles must not be 0");
    EXPECT_EQ(
        option_error([&] { plan_calibration(s, {}, fitting("h0_self"), Month(2024, 2), false); }),
        s.file.string() + ": no observations before 2024-02 to fit (add [[observation]] tables: "
                          "scenarios/README.md)");
    // Three parameters leave no cut-off with three observations before it.
    EXPECT_EQ(option_error([&] {
                  plan_calibration(s, {}, fitting("h0_self,h_lapse,b_aware"), std::nullopt, true);
              }).substr(0, 9),
              "--skill: ");
    CalibrationOptions prior = fitting("h0_self");
    prior.priors = {"h0_self=0.2:0.1"};
    EXPECT_EQ(option_error([&] { plan_calibration(s, {}, prior, std::nullopt, false); }),
              "--prior h0_self=0.2:0.1: LOW must be below HIGH");
}

TEST(CalibrationPlan, OutputsGoBesideTheCalibratedScenario) {
    const CalibrationPaths paths("out/diy.toml");
    EXPECT_EQ(paths.scenario, "out/diy.toml");
    EXPECT_EQ(paths.fit, "out/diy.fit.h5");
    EXPECT_EQ(paths.fit_csv, "out/diy.fit.csv");
    EXPECT_EQ(paths.posterior_csv, "out/diy.posterior.csv");
    EXPECT_EQ(paths.skill_csv, "out/diy.skill.csv");
    EXPECT_EQ(paths.rolling_csv, "out/diy.rolling-backtest.csv");
    const ForecastPaths forecast("f.h5");
    EXPECT_EQ(forecast.summary, "f.summary.csv");
    EXPECT_EQ(forecast.forecast, "f.forecast.csv");
    EXPECT_EQ(forecast.programmes, "f.programmes.csv");
    EXPECT_EQ(forecast.backtest, "f.backtest.csv");
    EXPECT_EQ(forecast.rolling, "f.rolling-backtest.csv");
    EXPECT_EQ(forecast.skill, "f.skill.csv");
}

TEST(ForecastPlan, WithoutPosteriorOrBacktestTheScenarioRunsAsItIs) {
    const Scenario s = yogyakarta();
    const ForecastParameters p = forecast_parameters(s, {}, ExecutionContext{});
    EXPECT_FALSE(p.per_replicate || p.backtest || p.rolling || p.skill || p.fitted_until);
    EXPECT_FALSE(p.as_it_is);
    const ForecastSettings settings = forecast_settings(s, {}, p);
    EXPECT_EQ(settings.threshold, s.ulc.threshold);
    // Every December and the last month of the run (2024-01 … 2025-02).
    EXPECT_EQ(settings.by, (std::vector<Month>{Month(2024, 12), Month(2025, 2)}));
    EXPECT_FALSE(settings.discrepancy);
    EXPECT_EQ(forecast_settings(s, {Month(2024, 7)}, p).by, std::vector<Month>{Month(2024, 7)});
}

TEST(ForecastPlan, RefusesBacktestsWithTheProgramsMessages) {
    const Scenario s = yogyakarta();
    const auto refusal = [&](const std::string& backtest, const std::string& fit, int particles) {
        ForecastParameterOptions options;
        options.backtest = backtest;
        if (!fit.empty()) options.calibration.fit = {fit};
        options.calibration.particles = particles;
        return option_error([&] { forecast_parameters(s, options, ExecutionContext{}); });
    };
    EXPECT_EQ(refusal("2024-13", "h0_self", 100), "--backtest 2024-13: expected a month YYYY-MM");
    EXPECT_EQ(refusal("2024-02", "", 100),
              "--backtest 2024-02: no observations before 2024-02 to fit");
    EXPECT_EQ(refusal("2024-06", "h0_self", 0),
              "--backtest needs a posterior: --particles must not be 0");
    EXPECT_EQ(refusal("2024-06,2025-01", "", 100),
              "--backtest 2025-01: no observations from 2025-01 on to predict");
}
