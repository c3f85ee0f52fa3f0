// Backtest scoring, on numbers: quantiles of the predictions (type 7), the error of their mean,
// whether the observation falls inside the 80% and 95% intervals, and the summary errors.

#include "ulcsim/backtest.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace ulcsim;

namespace {

Observation observed(double value) {
    Observation o;
    o.region_code = "33.71";
    o.month = Month(2024, 10);
    o.value = value;
    return o;
}

/// 0.00, 0.01, …, 1.00 in a scrambled order: 101 predictions whose type-7 quantile at level p
/// is exactly p.
std::vector<double> uniform_predictions() {
    std::vector<double> v;
    for (int i = 0; i <= 100; ++i)
        v.push_back(((i * 37) % 101) / 100.0);
    return v;
}

} // namespace

TEST(Backtest, ScoresEachHeldOutObservationAgainstItsPredictions) {
    Backtest b;
    b.held_out = {observed(0.5), observed(0.92), observed(0.99)};
    b.predicted.assign(3, uniform_predictions());
    b.score();
    ASSERT_EQ(b.rows.size(), 3u);
    for (std::size_t q = 0; q < backtest_levels.size(); ++q)
        EXPECT_NEAR(b.rows[0].quantiles[q], backtest_levels[q], 1e-12);
    EXPECT_NEAR(b.rows[0].mean, 0.5, 1e-12);
    EXPECT_NEAR(b.rows[0].error, 0.0, 1e-12);
    EXPECT_TRUE(b.rows[0].inside_80);
    EXPECT_TRUE(b.rows[0].inside_95);
    // 0.92 is above the 90th percentile but below the 97.5th.
    EXPECT_FALSE(b.rows[1].inside_80);
    EXPECT_TRUE(b.rows[1].inside_95);
    EXPECT_NEAR(b.rows[1].error, 0.5 - 0.92, 1e-12);
    EXPECT_FALSE(b.rows[2].inside_95);

    const BacktestSummary s = summarise_backtest(b);
    EXPECT_EQ(s.observations, 3u);
    EXPECT_EQ(s.inside_80, 1u);
    EXPECT_EQ(s.inside_95, 2u);
    EXPECT_NEAR(s.mean_absolute_error, (0 + 0.42 + 0.49) / 3, 1e-12);
    EXPECT_NEAR(s.root_mean_squared_error, std::sqrt((0.42 * 0.42 + 0.49 * 0.49) / 3), 1e-12);
}

TEST(Backtest, HoldsOutTheObservationsFromTheCutOffOn) {
    Scenario s;
    for (const int month : {2, 6, 10, 12}) {
        Observation o = observed(0.3);
        o.month = Month(2024, month);
        s.observations.push_back(o);
    }
    const Backtest b = Backtest::holding_out(s, Month(2024, 10), 7);
    ASSERT_EQ(b.held_out.size(), 2u);
    EXPECT_EQ(b.held_out[0].month, Month(2024, 10));
    EXPECT_EQ(b.cut_off, Month(2024, 10));
    ASSERT_EQ(b.predicted.size(), 2u);
    EXPECT_EQ(b.predicted[1].size(), 7u);
}

TEST(Backtest, RefusesObservationsWithoutPredictions) {
    Backtest b;
    b.held_out = {observed(0.5)};
    EXPECT_THROW(b.score(), std::invalid_argument);
    b.predicted = {{}};
    EXPECT_THROW(b.score(), std::invalid_argument);
    EXPECT_EQ(summarise_backtest(Backtest{}).observations, 0u);
}

// Two naive forecasts stand beside the model's: persistence (the last earlier value of the
// same region, segment and measure) and the straight line through the last two. Worked by
// hand: a series observed at 0.30 (2024-02) and 0.34 (2024-06) is held out at 2024-10 (0.37)
// and 2024-12 (0.40); another region's series with one earlier value has no trend, and a
// third with none has neither.
TEST(Backtest, SetsTheModelAgainstPersistenceAndTheLinearTrend) {
    Scenario s;
    const auto add = [&](const char* region, int month, double value) {
        Observation o = observed(value);
        o.region_code = region;
        o.month = Month(2024, month);
        s.observations.push_back(o);
    };
    add("34", 2, 0.30);
    add("34", 6, 0.34);
    add("34", 10, 0.37);
    add("34", 12, 0.40);
    add("33", 3, 0.20);
    add("33", 11, 0.21);
    add("13.73", 11, 1.05);
    Backtest b = Backtest::holding_out(s, Month(2024, 7), 2);
    ASSERT_EQ(b.held_out.size(), 4u);
    ASSERT_EQ(b.history[0].size(), 2u);
    EXPECT_TRUE(b.history[3].empty());
    // The model predicts 0.36, 0.36, 0.25 and 1.00.
    b.predicted = {{0.35, 0.37}, {0.35, 0.37}, {0.25, 0.25}, {1.0, 1.0}};
    b.score();
    EXPECT_NEAR(b.rows[0].persistence, 0.34, 1e-12);
    EXPECT_NEAR(b.rows[0].linear_trend, 0.34 + 0.01 * 4, 1e-12); // 0.01 a month, 4 months on
    EXPECT_NEAR(b.rows[1].linear_trend, 0.34 + 0.01 * 6, 1e-12);
    EXPECT_NEAR(b.rows[2].persistence, 0.20, 1e-12);
    EXPECT_TRUE(std::isnan(b.rows[2].linear_trend));
    EXPECT_TRUE(std::isnan(b.rows[3].persistence));

    const BacktestSummary sum = summarise_backtest(b);
    EXPECT_EQ(sum.observations, 4u);
    ASSERT_EQ(sum.persistence.observations, 3u);
    // Model |0.36 − 0.37|, |0.36 − 0.40|, |0.25 − 0.21|; persistence |0.34 − 0.37|,
    // |0.34 − 0.40|, |0.20 − 0.21|.
    EXPECT_NEAR(sum.persistence.model_error, (0.01 + 0.04 + 0.04) / 3, 1e-12);
    EXPECT_NEAR(sum.persistence.reference_error, (0.03 + 0.06 + 0.01) / 3, 1e-12);
    EXPECT_NEAR(sum.persistence.ratio(), 0.09 / 0.10, 1e-12);
    ASSERT_EQ(sum.linear_trend.observations, 2u);
    EXPECT_NEAR(sum.linear_trend.model_error, (0.01 + 0.04) / 2, 1e-12);
    EXPECT_NEAR(sum.linear_trend.reference_error, (0.01 + 0.00) / 2, 1e-12);
    // Nothing to compare: the errors are not numbers, not zeros that would look like skill.
    EXPECT_TRUE(std::isnan(summarise_backtest(Backtest{}).persistence.model_error));
}
