// The forecast: first-passage months and their distribution equal a direct computation from
// the stored series, do not depend on the threads, and bad input is refused.

#include "support/test_support.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/report.hpp"
#include "ulcsim/skill_file.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iomanip>
#include <limits>
#include <sstream>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// DI Yogyakarta's five kab/kota at 100 workers per agent, with self-paid take-up raised so
// that coverage rises through 40% during the run, in different months in different
// replicates and regions (Kota Yogyakarta jumps when its programme starts).
std::vector<std::string> rising_forecast(const fs::path& out, int threads) {
    return {"forecast",     test::shipped_scenario("di-yogyakarta.toml"),
            "--set",        "population.scale=100",
            "--set",        "behaviour.h0_self=0.03",
            "--months",     "24",
            "--replicates", "20",
            "--threshold",  "40%",
            "--by",         "2024-06",
            "--by",         "2024-12",
            "--by",         "2025-12",
            "--threads",    std::to_string(threads),
            "-q",           "-o",
            out.string()};
}

} // namespace

TEST(FirstPassage, IsTheFirstMonthAtOrAboveTheThreshold) {
    EXPECT_EQ(first_passage(std::vector<double>{0.1, 0.2, not_a_number, 0.5, 0.4}, 0.5), 3);
    EXPECT_EQ(first_passage(std::vector<double>{0.6, 0.2}, 0.5), 0);
    EXPECT_EQ(first_passage(std::vector<double>{0.1, not_a_number, 0.49999}, 0.5), -1);
    EXPECT_EQ(first_passage(std::vector<double>{}, 0.5), -1);
}

TEST(FirstPassage, DistributionUsesInverseCdfQuantilesWithNeverLast) {
    // Sorted: 0 1 2 3 4 5 6 7 never never (n = 10). Type 1: the q-quantile is the
    // ceil(10 q)-th value: 2.5% and 10% → 1st (0), 50% → 5th (4), 90% → 9th (never),
    // 97.5% → 10th (never).
    const std::vector<int> months{3, 1, -1, 2, 5, -1, 0, 4, 6, 7};
    const std::vector<int> by{-1, 2, 7, 100};
    const FirstPassageDistribution d = first_passage_distribution(months, by);
    EXPECT_EQ(d.quantiles, (std::array<int, 5>{0, 0, 4, -1, -1}));
    EXPECT_EQ(d.never, 2u);
    ASSERT_EQ(d.probability_by.size(), 4u);
    EXPECT_DOUBLE_EQ(d.probability_by[0], 0.0);
    EXPECT_DOUBLE_EQ(d.probability_by[1], 0.3);
    EXPECT_DOUBLE_EQ(d.probability_by[2], 0.8);
    EXPECT_DOUBLE_EQ(d.probability_by[3], 0.8); // never reached is never "by" any month

    const FirstPassageDistribution one = first_passage_distribution(std::vector<int>{5}, by);
    EXPECT_EQ(one.quantiles, (std::array<int, 5>{5, 5, 5, 5, 5}));
    EXPECT_THROW(first_passage_distribution(std::vector<int>{}, by), std::invalid_argument);
}

TEST(ForecastAreas, AreRegionsThenProvincesThenTheScenario) {
    const Scenario s = load_scenario(test::shipped_scenario("di-yogyakarta.toml"));
    const std::vector<ForecastArea> areas = forecast_areas(s);
    ASSERT_EQ(areas.size(), s.regions.size() + 2);
    EXPECT_EQ(areas[0].code, "34.01");
    EXPECT_EQ(areas[0].level, "kabkota");
    EXPECT_EQ(areas[s.regions.size()].code, "34");
    EXPECT_EQ(areas[s.regions.size()].level, "province");
    EXPECT_EQ(areas.back().code, "all");
    EXPECT_EQ(areas.back().regions.size(), s.regions.size());
}

// The done-when test of issue 5: /forecast equals what one computes from /series alone.
TEST(ForecastCommand, FirstPassagesAndProbabilitiesEqualADirectComputationFromTheSeries) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "diy.h5";
    const auto r = test::run_program(rising_forecast(out, 2));
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_TRUE(fs::exists(dir.path() / "diy.forecast.csv"));
    ASSERT_TRUE(fs::exists(dir.path() / "diy.summary.csv"));

    const RunFileReader file(out);
    const StoredArray registered = file.array("/series/covered_registered");
    const StoredArray workers = file.array("/series/labour_force");
    const std::size_t R = registered.dims[0], T = registered.dims[1], K = registered.dims[2],
                      G = registered.dims[3];
    ASSERT_EQ(R, 20u);
    ASSERT_EQ(T, 24u);
    const std::vector<std::string> codes = file.strings("/forecast/areas/code");
    const std::vector<std::string> levels = file.strings("/forecast/areas/level");
    ASSERT_EQ(codes.size(), K + 2); // five kab/kota, the province, all together

    const auto regions_of = [&](std::size_t area) {
        std::vector<std::size_t> regions;
        if (levels[area] == "kabkota")
            regions.push_back(area);
        else
            for (std::size_t k = 0; k < K; ++k)
                regions.push_back(k);
        return regions;
    };
    // Direct: sum the stored series over the area's regions and segments, divide, scan.
    std::vector<std::vector<int>> expected(codes.size(), std::vector<int>(R, -1));
    int distinct_months = 0;
    for (std::size_t a = 0; a < codes.size(); ++a) {
        std::vector<int> seen;
        for (std::size_t rep = 0; rep < R; ++rep) {
            for (std::size_t t = 0; t < T && expected[a][rep] < 0; ++t) {
                double c = 0, w = 0;
                for (const std::size_t k : regions_of(a))
                    for (std::size_t g = 0; g < G; ++g) {
                        const std::size_t i = ((rep * T + t) * K + k) * G + g;
                        c += registered.values[i];
                        w += workers.values[i];
                    }
                if (c / w >= 0.40) expected[a][rep] = static_cast<int>(t);
            }
            if (std::find(seen.begin(), seen.end(), expected[a][rep]) == seen.end())
                seen.push_back(expected[a][rep]);
        }
        distinct_months = std::max(distinct_months, static_cast<int>(seen.size()));
    }
    // The check has power only if the first passages vary between replicates.
    EXPECT_GE(distinct_months, 3);

    const StoredArray first = file.array("/forecast/first_month");
    ASSERT_EQ(first.dims, (std::vector<std::size_t>{codes.size(), R}));
    const StoredArray quantile = file.array("/forecast/quantile");
    const StoredArray probability = file.array("/forecast/probability_by");
    const StoredArray never = file.array("/forecast/never");
    EXPECT_EQ(file.strings("/forecast/by"),
              (std::vector<std::string>{"2024-06", "2024-12", "2025-12"}));
    EXPECT_DOUBLE_EQ(file.array("/forecast/threshold").values.at(0), 0.40);
    const std::vector<int> by{5, 11, 23}; // months after 2024-01
    const std::vector<double> levels_q{0.025, 0.10, 0.50, 0.90, 0.975};
    for (std::size_t a = 0; a < codes.size(); ++a) {
        std::vector<double> sorted;
        for (std::size_t rep = 0; rep < R; ++rep) {
            const int m = expected[a][rep];
            const double stored = first.values[a * R + rep];
            if (m < 0)
                EXPECT_TRUE(std::isnan(stored)) << codes[a] << " replicate " << rep;
            else
                EXPECT_EQ(stored, m) << codes[a] << " replicate " << rep;
            sorted.push_back(m < 0 ? std::numeric_limits<double>::infinity() : m);
        }
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t q = 0; q < levels_q.size(); ++q) {
            // Smallest month with at least a share q of the replicates at or before it.
            double want = std::numeric_limits<double>::infinity();
            for (std::size_t i = 0; i < R; ++i)
                if (static_cast<double>(i + 1) >= levels_q[q] * static_cast<double>(R) - 1e-9) {
                    want = sorted[i];
                    break;
                }
            const double got = quantile.values[a * levels_q.size() + q];
            if (std::isinf(want))
                EXPECT_TRUE(std::isnan(got)) << codes[a] << " q " << levels_q[q];
            else
                EXPECT_EQ(got, want) << codes[a] << " q " << levels_q[q];
        }
        double nevers = 0;
        for (std::size_t rep = 0; rep < R; ++rep)
            nevers += expected[a][rep] < 0;
        EXPECT_EQ(never.values[a], nevers) << codes[a];
        for (std::size_t b = 0; b < by.size(); ++b) {
            double reached = 0;
            for (std::size_t rep = 0; rep < R; ++rep)
                reached += expected[a][rep] >= 0 && expected[a][rep] <= by[b];
            EXPECT_DOUBLE_EQ(probability.values[a * by.size() + b],
                             reached / static_cast<double>(R))
                << codes[a] << " by " << by[b];
        }
    }

    // The table names each area once and the months, and the CSV has a row per area.
    const std::string csv = test::read_file(dir.path() / "diy.forecast.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(codes.size() + 1));
    EXPECT_NE(csv.find("probability_by_2025-12"), std::string::npos);
}

TEST(ForecastCommand, OutputDoesNotDependOnTheThreads) {
    const test::ScratchDir dir;
    const fs::path one = dir.path() / "one.h5", two = dir.path() / "two.h5";
    ASSERT_EQ(test::run_program(rising_forecast(one, 1)).status, 0);
    ASSERT_EQ(test::run_program(rising_forecast(two, 2)).status, 0);
    const RunFileReader a(one), b(two);
    for (const std::string name :
         {"first_month", "quantile", "never", "probability_by", "start_coverage"}) {
        const StoredArray x = a.array("/forecast/" + name), y = b.array("/forecast/" + name);
        ASSERT_EQ(x.values.size(), y.values.size()) << name;
        for (std::size_t i = 0; i < x.values.size(); ++i)
            if (!(std::isnan(x.values[i]) && std::isnan(y.values[i]))) {
                EXPECT_EQ(x.values[i], y.values[i]) << name << " " << i;
            }
    }
    EXPECT_EQ(test::read_file(dir.path() / "one.forecast.csv"),
              test::read_file(dir.path() / "two.forecast.csv"));
}

TEST(ForecastCommand, PrintsTheTableAndDefaultsToTheScenarioThreshold) {
    const test::ScratchDir dir;
    const auto r = test::run_program({"forecast", test::shipped_scenario("kota-magelang-2025.toml"),
                                      "--replicates", "4", "-o", (dir.path() / "km.h5").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    // Kota Magelang's scenario takes Jawa Tengah's UCJ target as its ULC threshold.
    EXPECT_NE(r.out.find("coverage_share ≥ 51.49%"), std::string::npos) << r.out;
    // One kab/kota: no province row, no total row repeating it.
    EXPECT_EQ(r.out.find("Jawa Tengah"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("all regions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Kota Magelang (33.71)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("by 2026-12"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("never"), std::string::npos) << r.out;
}

TEST(ForecastCommand, BadInputIsRefusedWithExitStatus2AndNothingWritten) {
    const test::ScratchDir dir;
    const std::string out = (dir.path() / "x.h5").string();
    const std::string km = test::shipped_scenario("kota-magelang-2025.toml");
    const struct {
        std::vector<std::string> args;
        std::string message;
    } cases[] = {
        {{"forecast", km, "--threshold", "lots", "-o", out},
         "--threshold lots: expected a share (0.5149) or a percentage (51.49%)"},
        {{"forecast", km, "--threshold", "250%", "-o", out}, "ulc.threshold"},
        {{"forecast", km, "--by", "2031-01", "-o", out},
         "--by 2031-01: outside the run (2024-01 … 2026-12); --months makes the run longer"},
        {{"forecast", km, "--by", "next-year", "-o", out},
         "--by next-year: expected a month YYYY-MM"},
        {{"forecast", "-o", out}, "forecast: no scenario file given"},
    };
    for (const auto& c : cases) {
        const auto r = test::run_program(c.args);
        EXPECT_EQ(r.status, 2) << c.message;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(out)) << c.message;
    }
}

// forecast --posterior: each replicate runs with the posterior draw systematic resampling
// gives it, and is the same replicate as a plain run with those values set.
TEST(ForecastCommand, PosteriorDrawsEnterReplicateByReplicate) {
    const test::ScratchDir dir;
    const fs::path calibrated = dir.path() / "km-calibrated.toml";
    const auto c = test::run_program({"calibrate", test::shipped_scenario("di-yogyakarta.toml"),
                                      "--set", "population.scale=200", "--fit", "h0_self",
                                      "--particles", "20", "--generations", "3", "--evaluations",
                                      "40", "-q", "-o", calibrated.string()});
    ASSERT_EQ(c.status, 0) << c.err;
    const fs::path fit = dir.path() / "km-calibrated.fit.h5";
    const fs::path out = dir.path() / "posterior.h5";
    const auto r =
        test::run_program({"forecast", test::shipped_scenario("di-yogyakarta.toml"), "--set",
                           "population.scale=200", "--months", "12", "--replicates", "6",
                           "--posterior", fit.string(), "-q", "-o", out.string()});
    ASSERT_EQ(r.status, 0) << r.err;

    const RunFileReader posterior(fit), forecast(out);
    const StoredArray draws = posterior.array("/posterior/draws");
    const StoredArray weights = posterior.array("/posterior/weights");
    const std::vector<std::size_t> expected = draws_for_replicates(
        Eigen::Map<const Eigen::VectorXd>(weights.values.data(),
                                          static_cast<Eigen::Index>(weights.values.size())),
        6);
    const StoredArray used = forecast.array("/forecast/posterior/draw");
    const StoredArray values = forecast.array("/forecast/posterior/values");
    ASSERT_EQ(used.values.size(), 6u);
    for (std::size_t rep = 0; rep < 6; ++rep) {
        EXPECT_EQ(used.values[rep], static_cast<double>(expected[rep]));
        EXPECT_EQ(values.values[rep], draws.values[expected[rep]]);
    }

    // Replicate 3 of the posterior forecast is replicate 3 of a run with its h0_self.
    std::ostringstream h0;
    h0 << std::setprecision(17) << values.values[3];
    const fs::path plain = dir.path() / "plain.h5";
    ASSERT_EQ(test::run_program({"forecast", test::shipped_scenario("di-yogyakarta.toml"), "--set",
                                 "population.scale=200", "--set", "behaviour.h0_self=" + h0.str(),
                                 "--months", "12", "--replicates", "4", "-q", "-o", plain.string()})
                  .status,
              0);
    const StoredArray a = forecast.array("/series/covered");
    const StoredArray b = RunFileReader(plain).array("/series/covered");
    const std::size_t block = a.values.size() / 6;
    ASSERT_EQ(b.values.size(), 4 * block);
    for (std::size_t i = 0; i < block; ++i)
        ASSERT_EQ(a.values[3 * block + i], b.values[3 * block + i]) << i;

    // A file without posterior draws is refused.
    const auto bad =
        test::run_program({"forecast", test::shipped_scenario("di-yogyakarta.toml"), "--posterior",
                           out.string(), "-o", (dir.path() / "x.h5").string()});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("not a fit file with posterior draws from `ulcsim calibrate`"),
              std::string::npos)
        << bad.err;
}

namespace {

/// Kota Magelang 2025 with four BPU coverage observations, 6 months apart from its sixth month
/// (2024-06 … 2025-12), simulated at scale 5 with h0_self = 0.016 (the mean of 8 replicates).
fs::path synthetic_observations(const fs::path& dir) {
    Scenario truth = load_scenario(test::shipped_scenario("kota-magelang-2025.toml"),
                                   {"population.scale=5", "behaviour.h0_self=0.016"});
    const int months[] = {5, 11, 17, 23};
    std::vector<Observation> obs;
    for (const int m : months) {
        Observation o;
        o.region_code = "33.71";
        o.regions = truth.regions;
        o.segment = SegmentGroup::bpu;
        o.month = truth.run.start + m;
        obs.push_back(o);
    }
    const CalibrationProblem generator(truth, {calibration_parameter(truth, "h0_self")}, obs, {});
    const auto means = replicate_means(generator.simulate({generator.start()}, {1}, 8)).front();

    std::ostringstream toml;
    toml << "extends = \"" << test::shipped_scenario("kota-magelang-2025.toml") << "\"\n";
    for (std::size_t i = 0; i < obs.size(); ++i)
        toml << "[[observation]]\nregion = \"33.71\"\nsegment = \"bpu\"\nmonth = \""
             << obs[i].month.to_string() << "\"\nvalue = " << std::setprecision(17) << means[i]
             << "\nsource = \"simulated with h0_self = 0.016\"\n";
    const fs::path file = dir / "synthetic.toml";
    { std::ofstream(file) << toml.str(); }
    return file;
}

/// The calibration settings of the tests below: enough to find h0_self, small enough for CI.
std::vector<std::string> small_fit() {
    return {"--fit",         "h0_self", "--particles",       "10", "--generations", "2",
            "--evaluations", "20",      "--loss-replicates", "2",  "--tolerance",   "0.1"};
}

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace

// forecast --backtest: observations simulated from a known take-up; the two before the
// cut-off are fitted from a start at half the truth, and the two after are predicted within a
// percentage point and inside the 95% intervals.
TEST(ForecastCommand, BacktestPredictsHeldOutObservationsOfAKnownModel) {
    const test::ScratchDir dir;
    const fs::path file = synthetic_observations(dir.path());
    const fs::path out = dir.path() / "bt.h5";
    const auto r = test::run_program({"forecast",
                                      file.string(),
                                      "--set",
                                      "population.scale=5",
                                      "--replicates",
                                      "20",
                                      "--backtest",
                                      "2025-01",
                                      "--fit",
                                      "h0_self",
                                      "--particles",
                                      "30",
                                      "--generations",
                                      "6",
                                      "--evaluations",
                                      "60",
                                      "--tolerance",
                                      "0.1",
                                      "-q",
                                      "-o",
                                      out.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_TRUE(fs::exists(dir.path() / "bt.backtest.csv"));
    const RunFileReader f(out);
    EXPECT_EQ(f.strings("/backtest/month"), (std::vector<std::string>{"2025-06", "2025-12"}));
    const StoredArray error = f.array("/backtest/error");
    const StoredArray inside = f.array("/backtest/inside_95");
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_LT(std::abs(error.values[i]), 0.01) << i;
        EXPECT_EQ(inside.values[i], 1.0) << i;
    }
    // The forecast's replicates ran with posterior draws of h0_self near the truth.
    const StoredArray values = f.array("/forecast/posterior/values");
    for (const double v : values.values)
        EXPECT_NEAR(v, 0.016, 0.004);

    const auto none = test::run_program({"forecast", file.string(), "--backtest", "2026-01",
                                         "--fit", "h0_self", "-o", (dir.path() / "y.h5").string()});
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("--backtest 2026-01: no observations from 2026-01 on to predict"),
              std::string::npos)
        << none.err;
}

// Without --fit, --rolling scores the scenario as it is: the skill of its priors. With the
// generating h0_self, the same seed and replicates, every prediction is the observation
// itself; with a wrong one, the errors show it and grow with the horizon.
TEST(ForecastCommand, RollingBacktestWithoutAFitScoresThePriors) {
    const test::ScratchDir dir;
    const fs::path file = synthetic_observations(dir.path());
    const auto score = [&](const std::string& h0_self, const std::string& name) {
        const fs::path out = dir.path() / name;
        const auto r = test::run_program({"forecast", file.string(), "--set", "population.scale=5",
                                          "--set", "behaviour.h0_self=" + h0_self, "--replicates",
                                          "8", "--months", "24", "--rolling", "-o", out.string()});
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_NE(r.out.find("the skill below is theirs"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("Rolling-origin skill"), std::string::npos) << r.out;
        const RunFileReader f(out);
        const std::vector<std::string> top = f.members("/");
        EXPECT_EQ(std::count(top.begin(), top.end(), "parameters"), 0) << "nothing was fitted";
        EXPECT_EQ(f.array("/backtest/rolling/horizon").values,
                  (std::vector<double>{0, 6, 12, 0, 6, 0}));
        return f.array("/backtest/rolling/error").values;
    };
    for (const double e : score("0.016", "truth.h5"))
        EXPECT_LT(std::abs(e), 1e-12);
    const std::vector<double> wrong = score("0.004", "wrong.h5");
    // Too little self-enrolment: every prediction below the observation, most at 12 months.
    for (const double e : wrong)
        EXPECT_LT(e, 0);
    EXPECT_LT(wrong[2], wrong[0]);
}

// forecast --rolling: every month with an observation and one before it is a cut-off (the
// 2nd, 3rd and 4th observations' months, 2024-12 … 2025-12); each fit predicts the
// observations from its cut-off on, at 0, 6 and 12 months, and all six points are scored
// together and stored.
TEST(ForecastCommand, RollingBacktestScoresEveryCutOffTogether) {
    const test::ScratchDir dir;
    const fs::path file = synthetic_observations(dir.path());
    const fs::path out = dir.path() / "rolling.h5";
    const auto r = test::run_program(
        joined({"forecast", file.string(), "--set", "population.scale=5", "--replicates", "8",
                "--months", "24", "--rolling", "-o", out.string()},
               small_fit()));
    ASSERT_EQ(r.status, 0) << r.err;
    const RunFileReader f(out);
    EXPECT_EQ(f.strings("/backtest/rolling/cut_off"),
              (std::vector<std::string>{"2024-12", "2024-12", "2024-12", "2025-06", "2025-06",
                                        "2025-12"}));
    EXPECT_EQ(f.array("/backtest/rolling/horizon").values,
              (std::vector<double>{0, 6, 12, 0, 6, 0}));
    // The model is the truth with a fitted h0_self, fitted coarsely (a few particles, from
    // one observation at the first cut-off): within 4 points everywhere.
    for (const double e : f.array("/backtest/rolling/error").values)
        EXPECT_LT(std::abs(e), 0.04);
    EXPECT_EQ(f.array("/backtest/rolling/skill/points").values.back(), 6.0);
    // The forecast and /backtest are the last cut-off's.
    EXPECT_EQ(f.string_attribute("/backtest", "cut_off"), "2025-12");
    EXPECT_TRUE(fs::exists(dir.path() / "rolling.skill.csv"));
    EXPECT_TRUE(fs::exists(dir.path() / "rolling.rolling-backtest.csv"));
    EXPECT_NE(r.out.find("Rolling-origin skill"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("model ÷ persistence"), std::string::npos) << r.out;

    // A listed cut-off needs observations before it to fit and from it on to predict.
    const auto early =
        test::run_program(joined({"forecast", file.string(), "--backtest", "2024-05,2025-06", "-o",
                                  (dir.path() / "x.h5").string()},
                                 small_fit()));
    EXPECT_EQ(early.status, 2);
    EXPECT_NE(early.err.find("--backtest 2024-05: no observations before 2024-05 to fit"),
              std::string::npos)
        << early.err;
    EXPECT_FALSE(fs::exists(dir.path() / "x.h5"));
    const auto both = test::run_program(joined({"forecast", file.string(), "--backtest", "2024-12",
                                                "--rolling", "-o", (dir.path() / "x.h5").string()},
                                               small_fit()));
    EXPECT_EQ(both.status, 2);
    EXPECT_NE(both.err.find("--rolling chooses the cut-offs itself"), std::string::npos)
        << both.err;
}

// calibrate --skill stores the rolling-origin skill in the fit file; forecast --posterior
// prints it and copies it to /forecast/skill; a forecast without a calibration says its
// parameters are priors.
TEST(ForecastCommand, SkillTravelsFromTheFitToTheForecast) {
    const test::ScratchDir dir;
    const fs::path file = synthetic_observations(dir.path());
    const fs::path calibrated = dir.path() / "cal.toml";
    const auto c =
        test::run_program(joined({"calibrate", file.string(), "--set", "population.scale=5",
                                  "--skill", "-q", "-o", calibrated.string()},
                                 small_fit()));
    ASSERT_EQ(c.status, 0) << c.err;
    const fs::path fit = dir.path() / "cal.fit.h5";
    const RunFileReader fitted(fit);
    EXPECT_EQ(fitted.strings("/skill/cut_off"),
              (std::vector<std::string>{"2024-12", "2025-06", "2025-12"}));
    EXPECT_TRUE(fs::exists(dir.path() / "cal.skill.csv"));

    const fs::path out = dir.path() / "f.h5";
    const auto r =
        test::run_program({"forecast", file.string(), "--set", "population.scale=5", "--replicates",
                           "4", "--months", "24", "--posterior", fit.string(), "-o", out.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(RunFileReader(out).array("/forecast/skill/points").values,
              fitted.array("/skill/points").values);
    EXPECT_NE(r.out.find("Rolling-origin skill"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Warning: no calibration"), std::string::npos) << r.out;

    const auto plain =
        test::run_program({"forecast", file.string(), "--set", "population.scale=5", "--replicates",
                           "2", "--months", "24", "-o", (dir.path() / "p.h5").string()});
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_NE(plain.out.find("Warning: no calibration"), std::string::npos) << plain.out;

    // One observation gives no cut-off: --skill is refused before anything is fitted.
    const auto none =
        test::run_program({"calibrate", test::shipped_scenario("sawahlunto.toml"), "--fit",
                           "h0_self", "--skill", "-o", (dir.path() / "s.toml").string()});
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("no skill can be measured"), std::string::npos) << none.err;
    EXPECT_FALSE(fs::exists(dir.path() / "s.fit.h5"));
}

// The model discrepancy of a fit's skill enters forecast --posterior after the replicates have
// run: their series are those of the same fit without a skill, bit for bit, and the
// first-passage months spread wider. The fit is made by hand: one posterior draw (DI
// Yogyakarta's take-up raised to 0.02, so that coverage rises through 40% a few months after
// the cut-off: about 2025-03 with the steady-state start) and a discrepancy
// of sd 3 pp at the cut-off (the month after the last fitted observation, 2024-11).
TEST(ForecastCommand, TheDiscrepancyOfTheSkillSpreadsTheFirstPassages) {
    const test::ScratchDir dir;
    const Scenario diy =
        load_scenario(test::shipped_scenario("di-yogyakarta.toml"), {"population.scale=100"});
    ExecutionContext context;
    context.threads = 1;
    const CalibrationProblem problem(diy, {calibration_parameter(diy, "h0_self")}, diy.observations,
                                     context);
    CalibrationResult fit;
    fit.estimate.minimum = Eigen::VectorXd::Constant(1, 0.02);
    fit.simulated_at_start.assign(diy.observations.size(), 0.35);
    fit.simulated_mean = fit.simulated_p05 = fit.simulated_p95 = fit.simulated_at_start;
    fit.has_posterior = true;
    fit.posterior.draws = Eigen::MatrixXd::Constant(1, 1, 0.02);
    fit.posterior.weights = Eigen::VectorXd::Constant(1, 1.0);
    fit.posterior.distances = {0.01};
    fit.posterior.tolerances = {0.01};
    fit.posterior.acceptance_rates = {1};
    Skill skill;
    skill.cut_offs = {Month(2024, 6)};
    skill.by_horizon.resize(skill_horizons.size());
    skill.discrepancy = {0.03 * 0.03, 0, 10};
    const auto write = [&](const fs::path& path, bool with_skill) {
        ResultFileWriter writer(path, nullptr);
        write_fit_meta(writer, diy, "x.toml");
        write_fit(writer, problem, fit);
        if (with_skill) write_skill(writer, SkillPlace::fit, skill);
        writer.commit();
    };
    write(dir.path() / "plain.fit.h5", false);
    write(dir.path() / "skill.fit.h5", true);
    const auto forecast = [&](const std::string& fit_file, const std::string& out) {
        return test::run_program(
            {"forecast", test::shipped_scenario("di-yogyakarta.toml"), "--set",
             "population.scale=100", "--months", "24", "--replicates", "20", "--threshold", "40%",
             "--posterior", (dir.path() / fit_file).string(), "-o", (dir.path() / out).string()});
    };
    const auto plain = forecast("plain.fit.h5", "plain.h5");
    const auto widened = forecast("skill.fit.h5", "widened.h5");
    ASSERT_EQ(plain.status, 0) << plain.err;
    ASSERT_EQ(widened.status, 0) << widened.err;
    EXPECT_NE(widened.out.find("Model discrepancy: from 2024-11 on"), std::string::npos)
        << widened.out;
    EXPECT_EQ(plain.out.find("Model discrepancy"), std::string::npos) << plain.out;
    const RunFileReader a(dir.path() / "plain.h5"), b(dir.path() / "widened.h5");
    EXPECT_EQ(a.array("/series/covered").values, b.array("/series/covered").values);
    // The province (the last area): the 80% interval of its first month is wider.
    const StoredArray qa = a.array("/forecast/quantile"), qb = b.array("/forecast/quantile");
    const std::size_t last = qa.values.size() - forecast_quantile_levels.size();
    const auto width = [&](const StoredArray& q) {
        const double high = q.values[last + 3], low = q.values[last + 1];
        return (std::isnan(high) ? 24.0 : high) - (std::isnan(low) ? 24.0 : low);
    };
    EXPECT_GT(width(qb), width(qa) + 1) << width(qa);

    // The report of the forecast prints the skill it drew from; the plain one has none.
    const ReportData report =
        read_report_data({dir.path() / "widened.h5", dir.path() / "plain.h5"});
    ASSERT_TRUE(report.runs[0].skill);
    EXPECT_EQ(report.runs[0].skill->cut_offs, skill.cut_offs);
    EXPECT_FALSE(report.runs[1].skill);
    EXPECT_NE(report_json(report).find("\"skill\":{\"cut_offs\":[\"2024-06\"]"), std::string::npos);
}
