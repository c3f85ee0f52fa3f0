// The numerical core of `ulcsim calibrate`: Nelder–Mead in a box and ABC-SMC, on problems
// whose answers are known in closed form. Every random number here comes from Philox with
// fixed keys, so each test computes the same numbers on every run: the tolerances below are
// margins for the method's error, not for luck.

#include "ulcsim/fitting.hpp"

#include <Random123/philox.h>
#include <cmath>
#include <gtest/gtest.h>
#include <numbers>
#include <stdexcept>

namespace {

using ulcsim::AbcPosterior;
using ulcsim::AbcSmcOptions;
using ulcsim::NelderMeadOptions;
using ulcsim::ParameterBounds;
using Points = std::vector<Eigen::VectorXd>;

// ---------------------------------------------------------------------------------------------
// Nelder–Mead

/// Wraps a loss of one point as a batch objective that records every batch and checks that
/// each point lies inside the bounds.
struct Recorder {
    std::vector<ParameterBounds> bounds;
    std::function<double(const Eigen::VectorXd&)> f;
    std::vector<std::size_t> batch_sizes;
    std::size_t points_seen = 0;
    std::size_t points_outside = 0;

    ulcsim::BatchObjective objective() {
        return [this](const Points& points) {
            batch_sizes.push_back(points.size());
            std::vector<double> out;
            for (const auto& x : points) {
                ++points_seen;
                for (std::size_t i = 0; i < bounds.size(); ++i) {
                    const double v = x[static_cast<Eigen::Index>(i)];
                    if (!(v >= bounds[i].lower && v <= bounds[i].upper)) ++points_outside;
                }
                out.push_back(f(x));
            }
            return out;
        };
    }
};

double rosenbrock(const Eigen::VectorXd& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
}

void expect_monotone_history(const ulcsim::NelderMeadResult& r) {
    ASSERT_EQ(r.best_loss_by_iteration.size(), static_cast<std::size_t>(r.iterations));
    for (std::size_t i = 1; i < r.best_loss_by_iteration.size(); ++i)
        EXPECT_LE(r.best_loss_by_iteration[i], r.best_loss_by_iteration[i - 1]);
    if (!r.best_loss_by_iteration.empty()) {
        EXPECT_EQ(r.best_loss_by_iteration.back(), r.loss);
    }
}

TEST(NelderMead, FindsTheRosenbrockMinimum) {
    Recorder rec{{{-2, 2}, {-2, 2}}, rosenbrock, {}};
    const auto r = ulcsim::nelder_mead(rec.objective(), Eigen::Vector2d(-1.2, 1), rec.bounds);
    EXPECT_TRUE(r.converged) << r.stopped_because;
    EXPECT_NEAR(r.minimum[0], 1, 1e-3);
    EXPECT_NEAR(r.minimum[1], 1, 1e-3);
    EXPECT_LT(r.loss, 1e-6);
    EXPECT_LE(r.evaluations, 300);
    EXPECT_EQ(static_cast<std::size_t>(r.evaluations), rec.points_seen);
    EXPECT_EQ(rec.points_outside, 0u);
    expect_monotone_history(r);
    std::cout << "rosenbrock: " << r.minimum.transpose() << " loss " << r.loss << " after "
              << r.evaluations << " evaluations, " << r.iterations << " iterations ("
              << r.stopped_because << ")\n";
}

TEST(NelderMead, FindsAnInteriorMinimumIn4DWithParametersOfDifferentScales) {
    // (x − c)ᵀ A (x − c) with correlated A, in boxes of widths 1, 10, 10 and 0.2.
    const Eigen::Vector4d c(0.3, -1.2, 2.5, 0.07);
    Eigen::Matrix4d A;
    A << 4, 1, 0, 0, 1, 0.05, 0.01, 0, 0, 0.01, 0.1, 0, 0, 0, 0, 50;
    A = A * A.transpose() + Eigen::Matrix4d::Identity(); // symmetric positive definite
    Recorder rec{{{0, 1}, {-5, 5}, {0, 10}, {-0.1, 0.1}},
                 [&](const Eigen::VectorXd& x) { return (x - c).dot(A * (x - c)); },
                 {}};
    NelderMeadOptions options;
    options.max_evaluations = 2000;
    options.x_tolerance = 1e-6;
    options.f_tolerance = 1e-12;
    const auto r = ulcsim::nelder_mead(rec.objective(), Eigen::Vector4d(0.9, 4, 9, -0.09),
                                       rec.bounds, options);
    EXPECT_TRUE(r.converged) << r.stopped_because;
    const Eigen::Vector4d width(1, 10, 10, 0.2);
    for (Eigen::Index i = 0; i < 4; ++i)
        EXPECT_NEAR(r.minimum[i], c[i], 1e-3 * width[i]) << "parameter " << i;
    EXPECT_EQ(rec.points_outside, 0u);
    expect_monotone_history(r);
    std::cout << "4-D quadratic: error "
              << ((r.minimum - c).array() / width.array()).abs().maxCoeff()
              << " of the widths after " << r.evaluations << " evaluations\n";

    // The batches are those documented: n + 1, then reflection + expansion (2 or 1),
    // contraction (1), shrink (n); the restart adds a batch of n.
    ASSERT_FALSE(rec.batch_sizes.empty());
    EXPECT_EQ(rec.batch_sizes.front(), 5u);
    std::size_t total = 0, pairs = 0;
    for (std::size_t i = 0; i < rec.batch_sizes.size(); ++i) {
        total += rec.batch_sizes[i];
        const std::size_t size = rec.batch_sizes[i];
        if (i > 0) {
            EXPECT_TRUE(size == 1 || size == 2 || size == 4)
                << "batch " << i << " has " << size << " points";
        }
        pairs += rec.batch_sizes[i] == 2 ? 1 : 0;
    }
    EXPECT_EQ(total, static_cast<std::size_t>(r.evaluations));
    EXPECT_GT(pairs, 0u);
}

TEST(NelderMead, FindsAMinimumOnTheBoundExactly) {
    // min (x − 3)² on [0, 2] is at the bound x = 2.
    Recorder rec{{{0, 2}}, [](const Eigen::VectorXd& x) { return std::pow(x[0] - 3, 2); }, {}};
    const auto r =
        ulcsim::nelder_mead(rec.objective(), Eigen::VectorXd::Constant(1, 1.0), rec.bounds);
    EXPECT_TRUE(r.converged) << r.stopped_because;
    EXPECT_NEAR(r.minimum[0], 2, 1e-6);
    EXPECT_NEAR(r.loss, 1, 1e-6);
    EXPECT_EQ(rec.points_outside, 0u);
    EXPECT_EQ(rec.batch_sizes.front(), 2u);
    std::cout << "bound 1-D: x = " << r.minimum[0] << " after " << r.evaluations
              << " evaluations\n";

    // In 2-D, one coordinate at its bound, the other inside: (x − 3)² + (y − 0.4)².
    Recorder rec2{
        {{0, 2}, {0, 1}},
        [](const Eigen::VectorXd& x) { return std::pow(x[0] - 3, 2) + std::pow(x[1] - 0.4, 2); },
        {}};
    const auto r2 = ulcsim::nelder_mead(rec2.objective(), Eigen::Vector2d(0.5, 0.9), rec2.bounds);
    EXPECT_NEAR(r2.minimum[0], 2, 1e-6);
    EXPECT_NEAR(r2.minimum[1], 0.4, 1e-3);
    EXPECT_EQ(rec2.points_outside, 0u);
    std::cout << "bound 2-D: " << r2.minimum.transpose() << " after " << r2.evaluations
              << " evaluations\n";
}

TEST(NelderMead, StartsOnABound) {
    Recorder rec{{{0, 1}, {0, 1}},
                 [](const Eigen::VectorXd& x) {
                     return std::pow(x[0] - 0.25, 2) + std::pow(x[1] - 0.75, 2);
                 },
                 {}};
    const auto r = ulcsim::nelder_mead(rec.objective(), Eigen::Vector2d(1, 0), rec.bounds);
    EXPECT_NEAR(r.minimum[0], 0.25, 1e-3);
    EXPECT_NEAR(r.minimum[1], 0.75, 1e-3);
    EXPECT_EQ(rec.points_outside, 0u);
}

TEST(NelderMead, RespectsMaxEvaluations) {
    for (const int budget : {3, 4, 10, 25, 26}) {
        Recorder rec{{{-2, 2}, {-2, 2}}, rosenbrock, {}};
        NelderMeadOptions options;
        options.max_evaluations = budget;
        const auto r =
            ulcsim::nelder_mead(rec.objective(), Eigen::Vector2d(-1.2, 1), rec.bounds, options);
        EXPECT_LE(r.evaluations, budget);
        EXPECT_LE(rec.points_seen, static_cast<std::size_t>(budget));
        EXPECT_EQ(static_cast<std::size_t>(r.evaluations), rec.points_seen);
        EXPECT_FALSE(r.converged);
        EXPECT_NE(r.stopped_because.find("max_evaluations"), std::string::npos);
        EXPECT_LT(r.loss, rosenbrock(Eigen::Vector2d(-1.2, 1)));
        expect_monotone_history(r);
    }
}

TEST(NelderMead, TreatsNaNAsInfinitelyBad) {
    // The loss is undefined (NaN) for x > 0.5; the minimum of x² − x over the rest is 0.5.
    Recorder rec{
        {{0, 1}},
        [](const Eigen::VectorXd& x) { return x[0] > 0.5 ? std::nan("") : x[0] * x[0] - x[0]; },
        {}};
    const auto r =
        ulcsim::nelder_mead(rec.objective(), Eigen::VectorXd::Constant(1, 0.1), rec.bounds);
    EXPECT_NEAR(r.minimum[0], 0.5, 1e-3);
    EXPECT_TRUE(std::isfinite(r.loss));
}

TEST(NelderMead, RejectsBadInput) {
    const auto f = [](const Points& p) { return std::vector<double>(p.size(), 0.0); };
    const std::vector<ParameterBounds> box{{0, 1}, {0, 1}};
    const Eigen::Vector2d inside(0.5, 0.5);
    EXPECT_THROW(ulcsim::nelder_mead(f, Eigen::Vector2d(1.5, 0.5), box), std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, Eigen::Vector2d(0.5, std::nan("")), box),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, {{0, 1}, {1, 1}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, {{0, 1}, {2, 1}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, {{0, 1}, {0, INFINITY}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, {{0, 1}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, Eigen::Vector3d(0.5, 0.5, 0.5), box),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::nelder_mead(f, Eigen::VectorXd(), {}), std::invalid_argument);
    NelderMeadOptions small;
    small.max_evaluations = 2; // below n + 1 = 3
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, box, small), std::invalid_argument);
    NelderMeadOptions step;
    step.initial_step = 0;
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, box, step), std::invalid_argument);
    NelderMeadOptions tolerance;
    tolerance.f_tolerance = -1;
    EXPECT_THROW(ulcsim::nelder_mead(f, inside, box, tolerance), std::invalid_argument);
    const auto short_answer = [](const Points&) { return std::vector<double>{1.0}; };
    EXPECT_THROW(ulcsim::nelder_mead(short_answer, inside, box), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// ABC-SMC

/// Standard normals for the tests' simulated data: Box–Muller on Philox4x32 with a fixed
/// key, the counter naming (batch, point, draw, stream).
double test_normal(std::uint32_t batch, std::uint32_t point, std::uint32_t draw,
                   std::uint32_t stream) {
    const r123::Philox4x32::ctr_type counter{{batch, point, draw, stream}};
    const r123::Philox4x32::key_type key{{0x7e57da7au, 0x5eed0001u}};
    const auto w = r123::Philox4x32()(counter, key);
    const double u1 = (w[0] + 0.5) * 0x1p-32, u2 = w[1] * 0x1p-32;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

constexpr int sample_size = 20;         // n observations per data set
constexpr std::uint32_t observed = ~0u; // batch number of the observed data

/// Mean of n draws from N(mu, sd²): the summary statistic of one simulated data set.
double sample_mean(double mu, double sd, std::uint32_t batch, std::uint32_t point,
                   std::uint32_t stream) {
    double sum = 0;
    for (int j = 0; j < sample_size; ++j)
        sum += mu + sd * test_normal(batch, point, static_cast<std::uint32_t>(j), stream);
    return sum / sample_size;
}

void expect_normalised(const AbcPosterior& p, std::size_t particles, std::size_t parameters) {
    ASSERT_EQ(p.draws.rows(), static_cast<Eigen::Index>(particles));
    ASSERT_EQ(p.draws.cols(), static_cast<Eigen::Index>(parameters));
    ASSERT_EQ(p.weights.size(), static_cast<Eigen::Index>(particles));
    ASSERT_EQ(p.distances.size(), particles);
    EXPECT_NEAR(p.weights.sum(), 1, 1e-12);
    EXPECT_GE(p.weights.minCoeff(), 0);
    ASSERT_FALSE(p.tolerances.empty());
    EXPECT_TRUE(std::isinf(p.tolerances.front()));
    EXPECT_EQ(p.acceptance_rates.size(), p.tolerances.size());
    for (std::size_t t = 1; t < p.tolerances.size(); ++t)
        EXPECT_LE(p.tolerances[t], p.tolerances[t - 1]);
    for (const double d : p.distances)
        EXPECT_LE(d, p.tolerances.back());
}

double effective_sample_size(const AbcPosterior& p) {
    return 1 / p.weights.squaredNorm();
}

/// The one-parameter conjugate problem: y₁…y₂₀ ~ N(μ, 1), μ ~ U(−5, 5), summary ȳ.
struct NormalMean {
    double y_obs = sample_mean(1.3, 1, observed, 0, 0);
    std::size_t points_outside = 0;
    std::vector<std::size_t> batch_sizes;

    ulcsim::BatchDistance distance() {
        return [this](const Points& points, std::uint32_t batch) {
            batch_sizes.push_back(points.size());
            std::vector<double> d;
            for (std::size_t i = 0; i < points.size(); ++i) {
                const double mu = points[i][0];
                if (!(mu >= -5 && mu <= 5)) ++points_outside;
                d.push_back(
                    std::abs(sample_mean(mu, 1, batch, static_cast<std::uint32_t>(i), 0) - y_obs));
            }
            return d;
        };
    }
};

TEST(AbcSmc, RecoversTheConjugateNormalPosterior) {
    // The exact posterior of μ is N(ȳ_obs, 1/n) (the prior's truncation at ±5 is ~20 sd
    // away): sd 1/√20 = 0.2236. ABC at tolerance ε accepts |ȳ_sim − ȳ_obs| ≤ ε, which adds
    // U(−ε, ε) to it: mean still ȳ_obs, variance 1/n + ε²/3, at ε = 0.05 sd 0.2255 (+0.8%).
    // Monte Carlo error with an effective sample size ≥ 250: the mean's sd is ≤ 0.0143, so
    // ±0.1 is 7 sd; the sd's relative sd is about 1/√(2·250) = 4.5%, so ±30% is 6.7 of them.
    NormalMean problem;
    AbcSmcOptions options;
    options.particles = 1000;
    options.max_generations = 30;
    options.target_tolerance = 0.05;
    options.seed = 20240601;
    const auto p = ulcsim::abc_smc(problem.distance(), {{-5, 5}}, options);
    expect_normalised(p, 1000, 1);
    EXPECT_EQ(problem.points_outside, 0u);
    EXPECT_EQ(p.tolerances.back(), 0.05);
    EXPECT_LT(p.tolerances.size(), 30u);
    EXPECT_NE(p.stopped_because.find("target_tolerance"), std::string::npos) << p.stopped_because;

    const double ess = effective_sample_size(p);
    EXPECT_GE(ess, 250);
    const double mean = ulcsim::posterior_mean(p)[0];
    const double sd = std::sqrt(ulcsim::posterior_covariance(p)(0, 0));
    const double exact_sd = 1 / std::sqrt(20.0);
    EXPECT_NEAR(mean, problem.y_obs, 0.1);
    EXPECT_NEAR(sd, exact_sd, 0.3 * exact_sd);
    std::cout << "normal mean: y_obs " << problem.y_obs << ", ABC mean " << mean << ", sd " << sd
              << " (exact " << exact_sd << "), ESS " << ess << ", " << p.tolerances.size()
              << " generations, " << p.simulations << " simulations\n";
    std::cout << "  tolerances:";
    for (const double e : p.tolerances)
        std::cout << ' ' << e;
    std::cout << "\n  acceptance:";
    for (const double a : p.acceptance_rates)
        std::cout << ' ' << a;
    std::cout << '\n';
}

TEST(AbcSmc, RecoversTwoParametersOfDifferentScales) {
    // y ~ N(μ, 1) and x ~ N(ν, 10²), 20 of each; μ ~ U(−5, 5), ν ~ U(0, 100); the distance
    // is the Euclidean one between (ȳ, x̄/10) simulated and observed. Exact posteriors:
    // μ ~ N(ȳ_obs, 1/20), sd 0.224; ν ~ N(x̄_obs, 100/20), sd 2.24. At ε = 0.1 the uniform
    // disc of acceptance adds ε²/4 to the variance of ȳ (ε²·100/4 to x̄): +5% on the sds.
    const double mu_true = 0.7, nu_true = 42;
    const double y_obs = sample_mean(mu_true, 1, observed, 0, 0);
    const double x_obs = sample_mean(nu_true, 10, observed, 0, 1);
    // The data set is fixed; check that the exact 90% intervals hold the truth, so that the
    // assertions below test the method and not the luck of the data.
    ASSERT_LT(std::abs(y_obs - mu_true), 1.645 * std::sqrt(0.05));
    ASSERT_LT(std::abs(x_obs - nu_true), 1.645 * std::sqrt(5.0));
    const auto distance = [&](const Points& points, std::uint32_t batch) {
        std::vector<double> d;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const auto k = static_cast<std::uint32_t>(i);
            const double dy = sample_mean(points[i][0], 1, batch, k, 0) - y_obs;
            const double dx = (sample_mean(points[i][1], 10, batch, k, 1) - x_obs) / 10;
            d.push_back(std::hypot(dy, dx));
        }
        return d;
    };
    AbcSmcOptions options;
    options.particles = 1000;
    options.max_generations = 30;
    options.target_tolerance = 0.1;
    options.batch = 250;
    options.seed = 7;
    const auto p = ulcsim::abc_smc(distance, {{-5, 5}, {0, 100}}, options);
    expect_normalised(p, 1000, 2);
    EXPECT_EQ(p.tolerances.back(), 0.1);
    const Eigen::VectorXd mean = ulcsim::posterior_mean(p);
    const Eigen::MatrixXd cov = ulcsim::posterior_covariance(p);
    // Same margins as the one-parameter case, scaled by 10 for ν.
    EXPECT_NEAR(mean[0], y_obs, 0.1);
    EXPECT_NEAR(mean[1], x_obs, 1.0);
    EXPECT_NEAR(std::sqrt(cov(0, 0)), std::sqrt(0.05), 0.3 * std::sqrt(0.05));
    EXPECT_NEAR(std::sqrt(cov(1, 1)), std::sqrt(5.0), 0.3 * std::sqrt(5.0));
    const double mu_lo = ulcsim::weighted_quantile(p, 0, 0.05);
    const double mu_hi = ulcsim::weighted_quantile(p, 0, 0.95);
    const double nu_lo = ulcsim::weighted_quantile(p, 1, 0.05);
    const double nu_hi = ulcsim::weighted_quantile(p, 1, 0.95);
    EXPECT_LT(mu_lo, mu_true);
    EXPECT_GT(mu_hi, mu_true);
    EXPECT_LT(nu_lo, nu_true);
    EXPECT_GT(nu_hi, nu_true);
    std::cout << "two parameters: obs (" << y_obs << ", " << x_obs << "), ABC mean ("
              << mean.transpose() << "), sd (" << cov.diagonal().cwiseSqrt().transpose()
              << "), 90% intervals mu [" << mu_lo << ", " << mu_hi << "] nu [" << nu_lo << ", "
              << nu_hi << "], ESS " << effective_sample_size(p) << ", " << p.tolerances.size()
              << " generations, " << p.simulations << " simulations\n";
}

AbcPosterior small_run(std::uint64_t seed, std::size_t batch = 0) {
    NormalMean problem;
    AbcSmcOptions options;
    options.particles = 100;
    options.max_generations = 4;
    options.seed = seed;
    options.batch = batch;
    return ulcsim::abc_smc(problem.distance(), {{-5, 5}}, options);
}

TEST(AbcSmc, IsDeterministicGivenTheSeed) {
    const auto a = small_run(11), b = small_run(11), c = small_run(12);
    EXPECT_EQ(a.draws, b.draws);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.distances, b.distances);
    EXPECT_EQ(a.tolerances, b.tolerances);
    EXPECT_EQ(a.simulations, b.simulations);
    EXPECT_NE(a.draws, c.draws);
}

TEST(AbcSmc, ProposalsDoNotDependOnTheBatchSize) {
    // With a distance that ignores batch_index, only the overshoot of the last batch of a
    // generation changes with the batch size; the population is the same.
    const auto distance = [](const Points& points, std::uint32_t) {
        std::vector<double> d;
        for (const auto& x : points)
            d.push_back(std::abs(x[0] - 1.5) + std::abs(x[1] + 0.5));
        return d;
    };
    std::vector<AbcPosterior> runs;
    for (const std::size_t batch : {0, 1, 7, 64}) {
        AbcSmcOptions options;
        options.particles = 64;
        options.max_generations = 5;
        options.batch = batch;
        runs.push_back(ulcsim::abc_smc(distance, {{-5, 5}, {-2, 2}}, options));
    }
    for (std::size_t i = 1; i < runs.size(); ++i) {
        EXPECT_EQ(runs[i].draws, runs[0].draws) << "run " << i;
        EXPECT_EQ(runs[i].weights, runs[0].weights) << "run " << i;
        EXPECT_EQ(runs[i].tolerances, runs[0].tolerances) << "run " << i;
    }
}

TEST(AbcSmc, AsksInBatchesOfTheRequestedSize) {
    NormalMean problem;
    AbcSmcOptions options;
    options.particles = 100;
    options.max_generations = 3;
    options.batch = 37;
    const auto p = ulcsim::abc_smc(problem.distance(), {{-5, 5}}, options);
    expect_normalised(p, 100, 1);
    ASSERT_GE(problem.batch_sizes.size(), 3u);
    // Generation 0 simulates exactly N = 100: 37 + 37 + 26.
    EXPECT_EQ(problem.batch_sizes[0], 37u);
    EXPECT_EQ(problem.batch_sizes[1], 37u);
    EXPECT_EQ(problem.batch_sizes[2], 26u);
    std::size_t total = 0;
    for (const auto s : problem.batch_sizes) {
        EXPECT_LE(s, 37u);
        EXPECT_GT(s, 0u);
        total += s;
    }
    EXPECT_EQ(total, static_cast<std::size_t>(p.simulations));
    EXPECT_EQ(problem.points_outside, 0u);
}

TEST(AbcSmc, StopsAtMaxGenerations) {
    const auto p = small_run(3);
    expect_normalised(p, 100, 1);
    EXPECT_EQ(p.tolerances.size(), 4u);
    EXPECT_NE(p.stopped_because.find("max_generations"), std::string::npos) << p.stopped_because;
}

TEST(AbcSmc, StopsWhenTheAcceptanceRateFalls) {
    // A distance that never goes below 0.5: as the tolerance approaches 0.5 acceptance
    // vanishes, and the run must stop at a generation that accepted at least the minimum.
    NormalMean problem;
    auto inner = problem.distance();
    const auto floored = [&](const Points& points, std::uint32_t batch) {
        auto d = inner(points, batch);
        for (auto& v : d)
            v += 0.5;
        return d;
    };
    AbcSmcOptions options;
    options.particles = 200;
    options.max_generations = 50;
    options.min_acceptance_rate = 0.05;
    const auto p = ulcsim::abc_smc(floored, {{-5, 5}}, options);
    expect_normalised(p, 200, 1);
    EXPECT_LT(p.tolerances.size(), 50u);
    for (const double rate : p.acceptance_rates)
        EXPECT_GE(rate, 0.05);
    EXPECT_NE(p.stopped_because.find("min_acceptance_rate"), std::string::npos)
        << p.stopped_because;
    std::size_t seen = 0;
    for (const auto size : problem.batch_sizes)
        seen += size;
    EXPECT_EQ(seen, static_cast<std::size_t>(p.simulations));
    std::cout << "acceptance stop after " << p.tolerances.size() << " generations, tolerance "
              << p.tolerances.back() << ", last rate " << p.acceptance_rates.back() << ": "
              << p.stopped_because << '\n';
}

TEST(AbcSmc, HandlesTiedDistances) {
    // A discrete distance: the tolerances are ties, and once the quantile is 0 the target
    // (0, the default) is reached exactly.
    const auto distance = [](const Points& points, std::uint32_t) {
        std::vector<double> d;
        for (const auto& x : points)
            d.push_back(std::floor(std::abs(x[0] - 0.3) * 4) + (x[1] > 0 ? 0 : 1));
        return d;
    };
    AbcSmcOptions options;
    options.particles = 50;
    options.max_generations = 10;
    const auto p = ulcsim::abc_smc(distance, {{0, 1}, {-1, 1}}, options);
    expect_normalised(p, 50, 2);
    EXPECT_EQ(p.tolerances.back(), 0.0);
    EXPECT_NE(p.stopped_because.find("target_tolerance"), std::string::npos) << p.stopped_because;
    for (Eigen::Index i = 0; i < p.draws.rows(); ++i) {
        EXPECT_LT(std::abs(p.draws(i, 0) - 0.3), 0.25);
        EXPECT_GT(p.draws(i, 1), 0);
    }
}

TEST(AbcSmc, HandlesASingularCovariance) {
    // Two particles in two dimensions always lie on a line: their covariance has rank 1,
    // so without the floor on the kernel's diagonal its Cholesky factor would not exist.
    const auto distance = [](const Points& points, std::uint32_t) {
        std::vector<double> d;
        for (const auto& x : points)
            d.push_back(std::abs(x[0] - 0.3) + std::abs(x[1] - 0.6));
        return d;
    };
    AbcSmcOptions options;
    options.particles = 2;
    options.max_generations = 5;
    options.min_acceptance_rate = 0;
    const auto p = ulcsim::abc_smc(distance, {{0, 1}, {0, 1}}, options);
    expect_normalised(p, 2, 2);
    EXPECT_TRUE(p.weights.allFinite());
    EXPECT_TRUE(p.draws.allFinite());
    EXPECT_GT(p.tolerances.size(), 1u);
}

TEST(AbcSmc, PosteriorSummaries) {
    AbcPosterior p;
    p.draws = Eigen::MatrixXd(4, 1);
    p.draws << 4, 2, 1, 3;
    p.weights = Eigen::Vector4d(0.4, 0.2, 0.1, 0.3);
    // Sorted 1, 2, 3, 4 with weights .1 .2 .3 .4 sit at cumulative midpoints .05 .2 .45 .8.
    EXPECT_DOUBLE_EQ(ulcsim::posterior_mean(p)[0], 3.0);
    EXPECT_DOUBLE_EQ(ulcsim::weighted_quantile(p, 0, 0.5), 3 + 0.05 / 0.35);
    EXPECT_DOUBLE_EQ(ulcsim::weighted_quantile(p, 0, 0.2), 2.0);
    EXPECT_DOUBLE_EQ(ulcsim::weighted_quantile(p, 0, 0.0), 1.0);
    EXPECT_DOUBLE_EQ(ulcsim::weighted_quantile(p, 0, 1.0), 4.0);
    // Σ w (x − 3)² = 1.0, over 1 − Σ w² = 0.7.
    EXPECT_DOUBLE_EQ(ulcsim::posterior_covariance(p)(0, 0), 1.0 / 0.7);
    EXPECT_THROW(ulcsim::weighted_quantile(p, 1, 0.5), std::invalid_argument);
    EXPECT_THROW(ulcsim::weighted_quantile(p, 0, 1.5), std::invalid_argument);
    EXPECT_THROW(ulcsim::posterior_mean(AbcPosterior{}), std::invalid_argument);
}

TEST(AbcSmc, RejectsBadInput) {
    const auto d = [](const Points& p, std::uint32_t) {
        return std::vector<double>(p.size(), 0.0);
    };
    const std::vector<ParameterBounds> box{{0, 1}};
    EXPECT_THROW(ulcsim::abc_smc(d, {}), std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, {{1, 1}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, {{0, 1}, {3, 2}}), std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, {{-INFINITY, 1}}), std::invalid_argument);
    const auto bad = [&](auto change) {
        AbcSmcOptions o;
        change(o);
        return o;
    };
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.particles = 1; })),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.max_generations = 0; })),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.quantile = 0; })),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.quantile = 1.5; })),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.min_acceptance_rate = 1; })),
                 std::invalid_argument);
    EXPECT_THROW(ulcsim::abc_smc(d, box, bad([](auto& o) { o.target_tolerance = -1; })),
                 std::invalid_argument);
    const auto short_answer = [](const Points&, std::uint32_t) { return std::vector<double>{}; };
    EXPECT_THROW(ulcsim::abc_smc(short_answer, box), std::runtime_error);
}

} // namespace
