#include "ulcsim/model_discrepancy.hpp"

#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace ulcsim {

double ModelDiscrepancy::variance(int horizon) const {
    return level_variance + drift_variance * std::max(horizon, 0);
}

double ModelDiscrepancy::standard_deviation(int horizon) const {
    return std::sqrt(variance(horizon));
}

ModelDiscrepancy estimate_discrepancy(std::span<const ForecastError> errors) {
    ModelDiscrepancy d;
    d.errors = errors.size();
    if (errors.empty()) return d;
    const auto n = static_cast<double>(errors.size());
    double mean_h = 0, mean_y = 0;
    for (const ForecastError& e : errors) {
        mean_h += e.horizon / n;
        mean_y += (e.error * e.error - e.spread_variance) / n;
    }
    double sxx = 0, sxy = 0, hh = 0, hy = 0;
    for (const ForecastError& e : errors) {
        const double h = e.horizon, y = e.error * e.error - e.spread_variance;
        sxx += (h - mean_h) * (h - mean_h);
        sxy += (h - mean_h) * (y - mean_y);
        hh += h * h;
        hy += h * y;
    }
    // A variance cannot be negative: when the unconstrained line has a negative coefficient,
    // the best line with that coefficient at 0 is taken instead.
    double level = mean_y, drift = 0;
    if (sxx > 0) {
        drift = sxy / sxx;
        level = mean_y - drift * mean_h;
        if (drift < 0) {
            drift = 0;
            level = mean_y;
        } else if (level < 0) {
            level = 0;
            drift = hh > 0 ? hy / hh : 0;
        }
    }
    d.level_variance = std::max(level, 0.0);
    d.drift_variance = std::max(drift, 0.0);
    return d;
}

double widened_quantile(std::span<const double> predictions, double variance, double p) {
    if (predictions.empty()) throw std::invalid_argument("widened_quantile: no predictions");
    if (!(variance > 0)) {
        std::vector<double> sorted(predictions.begin(), predictions.end());
        std::sort(sorted.begin(), sorted.end());
        return quantile_of_sorted(sorted, p);
    }
    const double sd = std::sqrt(variance);
    const auto [low, high] = std::minmax_element(predictions.begin(), predictions.end());
    const auto cdf = [&](double y) {
        double sum = 0;
        for (const double x : predictions)
            sum += 0.5 * std::erfc((x - y) / (sd * std::sqrt(2.0)));
        return sum / static_cast<double>(predictions.size());
    };
    // The mixture's quantile lies within 9 standard deviations of the extreme predictions for
    // any p the intervals use; bisection to far below a share's rounding.
    double a = *low - 9 * sd, b = *high + 9 * sd;
    for (int i = 0; i < 200 && b - a > 1e-12 * (1 + std::abs(a) + std::abs(b)); ++i) {
        const double m = 0.5 * (a + b);
        (cdf(m) < p ? a : b) = m;
    }
    return 0.5 * (a + b);
}

} // namespace ulcsim
