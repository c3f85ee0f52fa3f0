#include "ulcsim/model_discrepancy.hpp"

#include "ulcsim/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ulcsim {

double ModelDiscrepancy::variance(int horizon) const {
    return level_variance + drift_variance * std::max(horizon, 0);
}

double ModelDiscrepancy::standard_deviation(int horizon) const {
    return std::sqrt(variance(horizon));
}

namespace {

/// A variance below this (share², a standard deviation of 0.0001 points) is taken as this, so
/// that an error of exactly 0 with replicates that do not spread has a finite likelihood.
constexpr double variance_floor = 1e-12;

/// The Gaussian log-likelihood of the errors (constants dropped) with the discrepancy (a, b).
double log_likelihood(std::span<const ForecastError> errors, double level, double drift) {
    double sum = 0;
    for (const ForecastError& e : errors) {
        const double variance =
            std::max(e.spread_variance + level + drift * std::max(e.horizon, 0), variance_floor);
        sum -= 0.5 * (std::log(variance) + e.error * e.error / variance);
    }
    return sum;
}

/// The candidates of one coefficient: 0 and a geometric grid from `top` down to a millionth
/// of it (below that the coefficient adds nothing a share's rounding would show), four a
/// decade: enough to start the search in the right basin.
std::vector<double> candidates(double top) {
    std::vector<double> c{0.0};
    if (!(top > 0)) return c;
    constexpr int steps = 24;
    for (int i = steps; i >= 0; --i)
        c.push_back(top * std::pow(10.0, -6.0 * i / steps));
    return c;
}

/// The gradient and Hessian of log_likelihood() in (level, drift).
struct Derivatives {
    std::array<double, 2> gradient{};
    std::array<std::array<double, 2>, 2> hessian{};
};

Derivatives derivatives(std::span<const ForecastError> errors, double level, double drift) {
    Derivatives d;
    for (const ForecastError& e : errors) {
        const double h = std::max(e.horizon, 0);
        const double s = std::max(e.spread_variance + level + drift * h, variance_floor);
        const double e2 = e.error * e.error;
        const std::array<double, 2> ds{1.0, h};
        const double g = 0.5 * (e2 - s) / (s * s), c = 0.5 * (s - 2 * e2) / (s * s * s);
        for (int i = 0; i < 2; ++i) {
            d.gradient[i] += g * ds[i];
            for (int j = 0; j < 2; ++j)
                d.hessian[i][j] += c * ds[i] * ds[j];
        }
    }
    return d;
}

} // namespace

ModelDiscrepancy estimate_discrepancy(std::span<const ForecastError> errors) {
    ModelDiscrepancy d;
    d.errors = errors.size();
    if (errors.empty()) return d;
    // No coefficient above what would explain the largest error alone: the level by e², the
    // drift by e² / h.
    double top_level = 0, top_drift = 0;
    for (const ForecastError& e : errors) {
        top_level = std::max(top_level, e.error * e.error);
        if (e.horizon > 0) top_drift = std::max(top_drift, e.error * e.error / e.horizon);
    }
    // A grid over both coefficients, then Newton's method kept in the non-negative quadrant: a
    // coefficient at 0 whose gradient points below 0 stays there, the others take the Newton
    // step (or, where the likelihood is not concave, a gradient step), halved until the
    // likelihood rises.
    std::array<double, 2> x{};
    double best = -std::numeric_limits<double>::infinity();
    for (const double a : candidates(top_level))
        for (const double b : candidates(top_drift))
            if (const double l = log_likelihood(errors, a, b); l > best) {
                best = l;
                x = {a, b};
            }
    for (int iteration = 0; iteration < 100; ++iteration) {
        const Derivatives dv = derivatives(errors, x[0], x[1]);
        std::array<bool, 2> free{};
        for (int i = 0; i < 2; ++i)
            free[i] = x[i] > 0 || dv.gradient[i] > 0;
        if (top_drift == 0) free[1] = false;
        std::array<double, 2> step{};
        const auto& H = dv.hessian;
        const auto& g = dv.gradient;
        if (free[0] && free[1] && H[0][0] < 0 && H[0][0] * H[1][1] - H[0][1] * H[1][0] > 0) {
            const double det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
            step = {-(H[1][1] * g[0] - H[0][1] * g[1]) / det,
                    -(H[0][0] * g[1] - H[1][0] * g[0]) / det};
        } else {
            for (int i = 0; i < 2; ++i)
                if (free[i])
                    step[i] = H[i][i] < 0 ? -g[i] / H[i][i] : g[i] / (std::abs(H[i][i]) + 1e12);
        }
        bool moved = false;
        for (double t = 1; t > 1e-12; t /= 2) {
            const std::array<double, 2> next{std::max(0.0, x[0] + t * step[0]),
                                             std::max(0.0, x[1] + t * step[1])};
            const double l = log_likelihood(errors, next[0], next[1]);
            if (l > best) {
                moved = std::abs(next[0] - x[0]) > 1e-15 * (1 + x[0]) ||
                        std::abs(next[1] - x[1]) > 1e-15 * (1 + x[1]);
                best = l;
                x = next;
                break;
            }
        }
        if (!moved) break;
    }
    d.level_variance = x[0];
    d.drift_variance = x[1];
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
