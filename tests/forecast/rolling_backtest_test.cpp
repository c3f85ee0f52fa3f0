// Rolling-origin backtests and the model discrepancy, on numbers: the maximum-likelihood
// estimate worked by hand, the quantiles of widened predictions, which errors each origin may
// learn from (none it holds out), the skill by horizon, and on synthetic data with a known
// discrepancy that the widened intervals reach their nominal rate out of sample.

#include "ulcsim/model_discrepancy.hpp"
#include "ulcsim/rolling_backtest.hpp"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <numbers>
#include <random>

using namespace ulcsim;

namespace {

Observation point(const char* region, Month month, double value) {
    Observation o;
    o.region_code = region;
    o.month = month;
    o.value = value;
    return o;
}

/// Standard normal numbers from a fixed engine by Box–Muller, so that the synthetic data are
/// the same with every standard library.
class Normal {
public:
    explicit Normal(std::uint64_t seed) : engine_(seed) {}
    double operator()() {
        const double u1 = (static_cast<double>(engine_() >> 11) + 0.5) / 9007199254740992.0;
        const double u2 = static_cast<double>(engine_() >> 11) / 9007199254740992.0;
        return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }

private:
    std::mt19937_64 engine_;
};

} // namespace

// Maximum likelihood worked by hand. With errors at two horizons only, the variance at each
// is free, so the estimate is each group's own: mean e² − v. At h = 0: e² = 0.0004 and
// 0.0004 with v = 0.0002 and 0.0002, so 0.0002 — the level. At h = 10: e² = 0.0014 and
// 0.0014 with v = 0.0001, so 0.0013 = level + 10 × drift, a drift of 0.00011 a month.
TEST(ModelDiscrepancy, MaximumLikelihoodWorkedByHand) {
    const std::vector<ForecastError> errors{{0.02, 0.0002, 0},
                                            {-0.02, 0.0002, 0},
                                            {std::sqrt(0.0014), 0.0001, 10},
                                            {-std::sqrt(0.0014), 0.0001, 10}};
    const ModelDiscrepancy d = estimate_discrepancy(errors);
    EXPECT_EQ(d.errors, 4u);
    EXPECT_NEAR(d.level_variance, 0.0002, 1e-9);
    EXPECT_NEAR(d.drift_variance, 0.00011, 1e-10);
    EXPECT_NEAR(d.variance(12), d.level_variance + 12 * d.drift_variance, 1e-15);
    EXPECT_NEAR(d.standard_deviation(0), std::sqrt(d.level_variance), 1e-15);
    // Before the cut-off (a fit's residual) is the level alone.
    EXPECT_EQ(d.variance(-3), d.level_variance);
}

// What a least-squares line through e² − v got wrong: one figure whose replicates spread
// widely (v = 0.01, e = 0) pulled the mean of e² − v below 0 and hid two misses of 3 points
// whose replicates agree (v = 0). The likelihood gives the wide one little weight: the level
// maximises −½ Σ log(v + a) + e² / (v + a); near a = 0.0009 the two tight misses say
// 0.0009 and the wide figure pulls it down by about a / (v + a), a tenth.
TEST(ModelDiscrepancy, AWideFigureDoesNotCancelTheMisses) {
    const std::vector<ForecastError> errors{{0.03, 0, 0}, {-0.03, 0, 0}, {0.0, 0.01, 0}};
    const ModelDiscrepancy d = estimate_discrepancy(errors);
    EXPECT_EQ(d.drift_variance, 0.0);
    EXPECT_GT(d.level_variance, 0.0007);
    EXPECT_LT(d.level_variance, 0.0009);
    // The level solves Σ [e² − (v + a)] / (v + a)² = 0.
    const double a = d.level_variance;
    const double score = 2 * (0.0009 - a) / (a * a) + (0 - (0.01 + a)) / ((0.01 + a) * (0.01 + a));
    EXPECT_NEAR(score * a, 0.0, 1e-6);
}

TEST(ModelDiscrepancy, CoefficientsStayNonNegative) {
    // Errors that shrink with the horizon: no drift, the level is the mean of e².
    const std::vector<ForecastError> shrinking{{0.03, 0, 0}, {0.01, 0, 12}};
    const ModelDiscrepancy a = estimate_discrepancy(shrinking);
    EXPECT_EQ(a.drift_variance, 0.0);
    EXPECT_NEAR(a.level_variance, (0.0009 + 0.0001) / 2, 1e-10);
    // Errors that would need a negative level: the level is 0 and the drift maximises
    // −½ Σ log(b h) + e² / (b h), that is b = mean of e² / h = (0.0001 / 2 + 0.0021 / 10) / 2.
    const std::vector<ForecastError> steep{{0.01, 0, 2}, {std::sqrt(0.0021), 0, 10}};
    const ModelDiscrepancy b = estimate_discrepancy(steep);
    EXPECT_EQ(b.level_variance, 0.0);
    EXPECT_NEAR(b.drift_variance, (0.0001 / 2 + 0.0021 / 10) / 2, 1e-11);
    // Replicates that already spread more than the errors: nothing to add.
    const std::vector<ForecastError> wide{{0.01, 0.01, 0}, {0.01, 0.01, 6}};
    EXPECT_EQ(estimate_discrepancy(wide).variance(6), 0.0);
    EXPECT_EQ(estimate_discrepancy({}).errors, 0u);
    EXPECT_EQ(estimate_discrepancy({}).variance(24), 0.0);
}

TEST(ModelDiscrepancy, WidenedQuantilesOfTheMixture) {
    // No discrepancy: the type-7 quantiles of the predictions, as the plain backtest's.
    const std::vector<double> four{0.4, 0.1, 0.3, 0.2};
    EXPECT_NEAR(widened_quantile(four, 0, 0.5), 0.25, 1e-12);
    EXPECT_NEAR(widened_quantile(four, 0, 0.9), 0.37, 1e-12);
    // One prediction: x + σ z_p (z_0.9 = 1.2815515655446004).
    const std::vector<double> one{0.3};
    EXPECT_NEAR(widened_quantile(one, 0.0004, 0.9), 0.3 + 0.02 * 1.2815515655446004, 1e-9);
    EXPECT_NEAR(widened_quantile(one, 0.0004, 0.1), 0.3 - 0.02 * 1.2815515655446004, 1e-9);
    // Two predictions 1 apart with σ = 0.01: the 10% quantile of the mixture is that of the
    // lower component at level 0.2 (z_0.2 = −0.8416212335729143), the 90% one by symmetry.
    const std::vector<double> two{0.0, 1.0};
    EXPECT_NEAR(widened_quantile(two, 1e-4, 0.1), -0.01 * 0.8416212335729143, 1e-9);
    EXPECT_NEAR(widened_quantile(two, 1e-4, 0.9), 1 + 0.01 * 0.8416212335729143, 1e-9);
    EXPECT_THROW(widened_quantile(std::vector<double>{}, 1, 0.5), std::invalid_argument);
}

// One series observed in 2024-02 (0.30), 2024-06 (0.34), 2024-10 (0.36) and 2026-06 (0.50),
// backtested from 2024-06 and 2024-10. The origin at 2024-06 holds out 2024-06, 2024-10 and
// 2026-06; the one at 2024-10 holds out 2024-10 and 2026-06.
TEST(RollingBacktest, EachOriginLearnsItsDiscrepancyOnlyFromPointsItDoesNotHoldOut) {
    Scenario s;
    const Month feb(2024, 2), jun(2024, 6), oct(2024, 10), later = Month(2024, 6) + 24;
    s.observations = {point("34", feb, 0.30), point("34", jun, 0.34), point("34", oct, 0.36),
                      point("34", later, 0.50)};
    EXPECT_EQ(rolling_cut_offs(s, 1), (std::vector<Month>{jun, oct, later}));
    EXPECT_EQ(rolling_cut_offs(s, 2), (std::vector<Month>{oct, later}));

    RollingBacktest rolling;
    for (const Month cut_off : {jun, oct}) {
        BacktestOrigin& o = rolling.origins.emplace_back();
        o.backtest = Backtest::holding_out(s, cut_off, 2);
        for (const Observation& x : s.observations)
            if (x.month < cut_off) {
                o.fitted.push_back(x);
                o.fit_residuals.push_back({0.01, 0, 0});
            }
        // The model predicts 0.31 or 0.35 everywhere: mean 0.33, 80% interval 0.314 … 0.346.
        for (std::vector<double>& p : o.backtest.predicted)
            p = {0.31, 0.35};
    }
    rolling.score();
    const BacktestOrigin& first = rolling.origins[0];
    const BacktestOrigin& second = rolling.origins[1];
    EXPECT_EQ(first.horizon, (std::vector<int>{0, 4, 24}));
    EXPECT_EQ(second.horizon, (std::vector<int>{0, 20}));
    // First: its own residual (Feb) and the second's residual on Feb; not the second's on Jun
    // nor any of the second's held-out points, all of which the first holds out.
    EXPECT_EQ(first.discrepancy.errors, 2u);
    // Second: its own residuals (Feb, Jun), the first's (Feb) and the first's held-out Jun.
    EXPECT_EQ(second.discrepancy.errors, 4u);
    // The first learnt only from residuals of 0.01 at h = 0: level 0.0001, no drift.
    EXPECT_NEAR(first.discrepancy.level_variance, 0.0001, 1e-15);
    EXPECT_EQ(first.discrepancy.drift_variance, 0.0);
    // So its 80% interval of 2026-06 is that of the mixture of N(0.31, 0.01²) and
    // N(0.35, 0.01²).
    EXPECT_NEAR(first.widened[2][3], widened_quantile(std::vector<double>{0.31, 0.35}, 0.0001, 0.9),
                1e-12);
    EXPECT_FALSE(first.widened_inside_80[2]); // 0.50 is far above
    // Jun 2024 (0.34) is inside both the plain and the widened 80% interval of the first.
    EXPECT_TRUE(first.backtest.rows[0].inside_80);
    EXPECT_TRUE(first.widened_inside_80[0]);

    const Skill skill = summarise_rolling(rolling);
    EXPECT_EQ(skill.cut_offs, (std::vector<Month>{jun, oct}));
    ASSERT_EQ(skill.by_horizon.size(), skill_horizons.size());
    EXPECT_EQ(skill.overall.points, 5u);
    EXPECT_EQ(skill.by_horizon[0].points, 3u); // horizons 0, 4 and 0
    EXPECT_EQ(skill.by_horizon[1].points, 0u);
    EXPECT_TRUE(std::isnan(skill.by_horizon[1].mean_absolute_error));
    EXPECT_EQ(skill.by_horizon[2].points, 1u); // 20
    EXPECT_EQ(skill.by_horizon[3].points, 1u); // 24
    // 0–5 months: errors |0.33 − 0.34|, |0.33 − 0.36|, |0.33 − 0.36|.
    EXPECT_NEAR(skill.by_horizon[0].mean_absolute_error, (0.01 + 0.03 + 0.03) / 3, 1e-12);
    // Persistence there: Jun from Feb (0.30 → 0.34), Oct from Feb (0.30 → 0.36) and Oct from
    // Jun (0.34 → 0.36).
    EXPECT_EQ(skill.by_horizon[0].persistence.observations, 3u);
    EXPECT_NEAR(skill.by_horizon[0].persistence.reference_error, (0.04 + 0.06 + 0.02) / 3, 1e-12);
    EXPECT_NEAR(skill.by_horizon[0].persistence.ratio(), 0.07 / 0.12, 1e-12);
    // The linear trend needs two earlier values: only Oct and 2026-06 from the second origin,
    // on the line through Feb and Jun, which rises 0.01 a month from 0.34.
    EXPECT_EQ(skill.overall.linear_trend.observations, 2u);
    EXPECT_NEAR(skill.overall.linear_trend.reference_error,
                (std::abs(0.34 + 0.01 * 4 - 0.36) + std::abs(0.34 + 0.01 * 24 - 0.50)) / 2, 1e-12);
    EXPECT_NEAR(skill.overall.inside_80, 1.0 / 5, 1e-12); // only Jun inside 0.314 … 0.346
    // Every error of every origin: 3 residuals and 5 held-out errors.
    EXPECT_EQ(skill.discrepancy.errors, 8u);
}

// A posterior with one far particle gives one far replicate. Its variance must not say that
// the model already spreads past a miss that lies far outside its 80% interval: the spread is
// read from that interval (here 0.30 … 0.30), so the single error e = 0.40 − mean is the
// discrepancy's level, e² (its maximum likelihood from one error with no spread).
TEST(RollingBacktest, AFarReplicateDoesNotHideAMiss) {
    Scenario s;
    const Month jan(2024, 1), jun(2024, 6);
    s.observations = {point("34", jan, 0.30), point("34", jun, 0.40)};
    RollingBacktest rolling;
    BacktestOrigin& o = rolling.origins.emplace_back();
    o.backtest = Backtest::holding_out(s, jun, 20);
    o.fitted.push_back(s.observations[0]);
    std::vector<double> replicates(19, 0.30);
    replicates.push_back(-5.0);
    o.backtest.predicted[0] = replicates;
    rolling.score();
    const double mean = (19 * 0.30 - 5.0) / 20, e = 0.40 - mean;
    EXPECT_NEAR(rolling.discrepancy().level_variance, e * e, 1e-9);
}

// Synthetic rolling backtest with a known discrepancy: 100 origins, each with 5 fit residuals
// and 10 held-out points at horizons 0 … 36 months, whose 20 replicates spread with sd 0.5 pp
// around a mean the observation misses by a discrepancy of variance (1 pp)² + (0.25 pp)² per
// month. The replicates' own 80% intervals hold far fewer than 80%; the widened ones, each
// origin's discrepancy estimated without its own points, hold 80% within 4 points and 95%
// within 3 (1000 points: the binomial standard deviation is 1.3 and 0.7 points; the seed is
// fixed, so the test is deterministic).
TEST(RollingBacktest, WidenedIntervalsReachTheirNominalRateOnSyntheticData) {
    const double spread = 0.005, level = 0.01 * 0.01, drift = 0.0025 * 0.0025;
    Normal z(20261202);
    RollingBacktest rolling;
    for (int k = 0; k < 100; ++k) {
        BacktestOrigin& o = rolling.origins.emplace_back();
        // A region per origin, so that no point is held out by two origins.
        const std::string region = "R" + std::to_string(k);
        o.backtest.cut_off = Month(2020, 1) + k;
        for (int i = 0; i < 5; ++i) {
            o.fitted.push_back(point(region.c_str(), o.backtest.cut_off + (-1 - i), 0.3));
            o.fit_residuals.push_back(
                {std::sqrt(level + spread * spread) * z(), spread * spread, 0});
        }
        for (int i = 0; i < 10; ++i) {
            const int h = (i * 4 + k * 7) % 37;
            const double mean = 0.3 + 0.001 * h;
            std::vector<double> replicates;
            for (int r = 0; r < 20; ++r)
                replicates.push_back(mean + spread * z());
            const double observed = mean + std::sqrt(level + drift * h) * z() + spread * z();
            o.backtest.held_out.push_back(point(region.c_str(), o.backtest.cut_off + h, observed));
            o.backtest.history.emplace_back();
            o.backtest.predicted.push_back(replicates);
        }
    }
    rolling.score();
    const Skill skill = summarise_rolling(rolling);
    ASSERT_EQ(skill.overall.points, 1000u);
    EXPECT_LT(skill.overall.inside_80, 0.5);
    EXPECT_NEAR(skill.overall.widened_inside_80, 0.80, 0.04);
    EXPECT_NEAR(skill.overall.widened_inside_95, 0.95, 0.03);
    // Every horizon, not only the average: the variance grows with it as estimated.
    for (const SkillRow& row : skill.by_horizon)
        if (row.points >= 150) {
            EXPECT_NEAR(row.widened_inside_80, 0.80, 0.08) << row.horizon_from;
        }
    // And the estimate itself is near the truth.
    EXPECT_NEAR(skill.discrepancy.level_variance, level, 0.3 * level);
    EXPECT_NEAR(skill.discrepancy.drift_variance, drift, 0.3 * drift);
}
