// The rolling-origin backtest and the skill in the outputs (ulcsim/skill_file.hpp): what the
// writers put in, the reader gives back, in a run file's /backtest/rolling and a fit file's
// /skill, and the CSVs have one row per point and per horizon.

#include "support/test_support.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/skill_file.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

namespace ulcsim {
namespace {

using test::ScratchDir;

/// Two origins of one series (0.30 in Feb 2024, 0.34 in Jun, 0.36 in Oct, 0.50 in Jun 2026),
/// scored with predictions 0.31 and 0.35 everywhere and fit residuals of 1 pp.
RollingBacktest two_origins() {
    Scenario s;
    const auto add = [&](Month m, double v) {
        Observation o;
        o.region_code = "34";
        o.month = m;
        o.value = v;
        s.observations.push_back(o);
    };
    add(Month(2024, 2), 0.30);
    add(Month(2024, 6), 0.34);
    add(Month(2024, 10), 0.36);
    add(Month(2026, 6), 0.50);
    RollingBacktest rolling;
    for (const Month cut_off : {Month(2024, 6), Month(2024, 10)}) {
        BacktestOrigin& o = rolling.origins.emplace_back();
        o.backtest = Backtest::holding_out(s, cut_off, 2);
        for (const Observation& x : s.observations)
            if (x.month < cut_off) {
                o.fitted.push_back(x);
                o.fit_residuals.push_back({0.01, 0, 0});
            }
        for (std::vector<double>& p : o.backtest.predicted)
            p = {0.31, 0.35};
    }
    rolling.score();
    return rolling;
}

void expect_same_row(const SkillRow& a, const SkillRow& b) {
    const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
    EXPECT_EQ(a.horizon_from, b.horizon_from);
    EXPECT_EQ(a.horizon_to, b.horizon_to);
    EXPECT_EQ(a.points, b.points);
    EXPECT_TRUE(same(a.mean_absolute_error, b.mean_absolute_error));
    EXPECT_TRUE(same(a.root_mean_squared_error, b.root_mean_squared_error));
    EXPECT_TRUE(same(a.inside_80, b.inside_80));
    EXPECT_TRUE(same(a.widened_inside_95, b.widened_inside_95));
    EXPECT_EQ(a.persistence.observations, b.persistence.observations);
    EXPECT_TRUE(same(a.persistence.reference_error, b.persistence.reference_error));
    EXPECT_TRUE(same(a.linear_trend.model_error, b.linear_trend.model_error));
}

TEST(SkillFile, RollingBacktestIsWrittenAndItsSkillReadBack) {
    const ScratchDir dir;
    const RollingBacktest rolling = two_origins();
    const Skill skill = summarise_rolling(rolling);
    const auto path = dir.path() / "r.h5";
    ResultFileWriter writer(path, nullptr);
    write_rolling_backtest(writer, rolling);
    writer.commit();

    const RunFileReader file(path);
    EXPECT_EQ(file.strings("/backtest/rolling/cut_off"),
              (std::vector<std::string>{"2024-06", "2024-06", "2024-06", "2024-10", "2024-10"}));
    EXPECT_EQ(file.array("/backtest/rolling/horizon").values,
              (std::vector<double>{0, 4, 24, 0, 20}));
    EXPECT_EQ(file.strings("/backtest/rolling/month"),
              (std::vector<std::string>{"2024-06", "2024-10", "2026-06", "2024-10", "2026-06"}));
    const StoredArray widened = file.array("/backtest/rolling/widened_quantile");
    ASSERT_EQ(widened.dims, (std::vector<std::size_t>{5, backtest_levels.size()}));
    EXPECT_EQ(widened.values[2 * backtest_levels.size() + 3], rolling.origins[0].widened[2][3]);
    EXPECT_EQ(file.array("/backtest/rolling/discrepancy_sd").values[4],
              rolling.origins[1].discrepancy.standard_deviation(20));

    const Skill back = read_skill(file, SkillPlace::rolling_backtest);
    EXPECT_EQ(back.cut_offs, skill.cut_offs);
    ASSERT_EQ(back.by_horizon.size(), skill.by_horizon.size());
    for (std::size_t i = 0; i < skill.by_horizon.size(); ++i)
        expect_same_row(back.by_horizon[i], skill.by_horizon[i]);
    expect_same_row(back.overall, skill.overall);
    EXPECT_EQ(back.overall.points, 5u);
    EXPECT_EQ(back.discrepancy.level_variance, skill.discrepancy.level_variance);
    EXPECT_EQ(back.discrepancy.drift_variance, skill.discrepancy.drift_variance);
    EXPECT_EQ(back.discrepancy.errors, 8u);
    EXPECT_FALSE(read_skill_if_any(file, SkillPlace::fit));
    EXPECT_TRUE(read_skill_if_any(file, SkillPlace::rolling_backtest));
}

TEST(SkillFile, AFitFileCarriesItsSkill) {
    const ScratchDir dir;
    const Scenario s = load_scenario(test::scenarios_dir() / "di-yogyakarta.toml");
    ExecutionContext context;
    context.threads = 1;
    const CalibrationProblem problem(s, {calibration_parameter(s, "h0_self")}, s.observations,
                                     context);
    CalibrationResult r;
    r.estimate.minimum = Eigen::VectorXd::Constant(1, 0.01);
    for (std::size_t i = 0; i < s.observations.size(); ++i) {
        r.simulated_at_start.push_back(0.3);
        r.simulated_mean.push_back(0.3);
        r.simulated_p05.push_back(0.29);
        r.simulated_p95.push_back(0.31);
    }
    const Skill skill = summarise_rolling(two_origins());
    const auto path = dir.path() / "x.fit.h5";
    ResultFileWriter writer(path, nullptr);
    write_fit_meta(writer, s, "x.toml");
    write_fit(writer, problem, r);
    write_skill(writer, SkillPlace::fit, skill);
    writer.commit();
    const FitFile f = read_fit(RunFileReader(path));
    ASSERT_TRUE(f.skill);
    expect_same_row(f.skill->overall, skill.overall);
    EXPECT_EQ(f.skill->cut_offs, skill.cut_offs);

    // Without --skill the fit file has none.
    const auto plain = dir.path() / "y.fit.h5";
    ResultFileWriter other(plain, nullptr);
    write_fit_meta(other, s, "y.toml");
    write_fit(other, problem, r);
    other.commit();
    EXPECT_FALSE(read_fit(RunFileReader(plain)).skill);
}

TEST(SkillFile, CsvsHaveARowPerPointAndPerHorizon) {
    const RollingBacktest rolling = two_origins();
    std::ostringstream points, skill;
    write_rolling_backtest_csv(points, rolling);
    write_skill_csv(skill, summarise_rolling(rolling));
    std::istringstream p(points.str()), k(skill.str());
    std::string line;
    std::getline(p, line);
    EXPECT_TRUE(line.starts_with("cut_off,horizon,region,segment,month,measure,observed,")) << line;
    std::getline(p, line);
    EXPECT_TRUE(line.starts_with("2024-06,0,34,all,2024-06,")) << line;
    std::size_t rows = 1;
    while (std::getline(p, line))
        ++rows;
    EXPECT_EQ(rows, 5u);
    std::getline(k, line);
    EXPECT_TRUE(line.starts_with("horizon_from,horizon_to,points,mean_absolute_error,")) << line;
    rows = 0;
    std::string last;
    while (std::getline(k, line)) {
        ++rows;
        last = line;
    }
    EXPECT_EQ(rows, skill_horizons.size() + 1);
    EXPECT_TRUE(last.starts_with("0,-1,5,")) << last; // the last row: all horizons
}

} // namespace
} // namespace ulcsim
