#pragma once
/// \file
/// The numerical core of `ulcsim calibrate`: bounded minimisation (Nelder–Mead) and
/// approximate Bayesian computation (ABC-SMC). Nothing here knows about the simulation.
///
/// One loss or distance evaluation is an ensemble simulation: seconds to minutes, and each
/// one uses all the cores it is given only poorly. So the algorithms never evaluate a point
/// themselves; they hand the caller batches of points, which the caller may evaluate in any
/// order and in parallel. Each algorithm is arranged so that its batches are as large as the
/// method allows without changing what it computes.
///
/// Both are deterministic: Nelder–Mead uses no random numbers, and ABC-SMC draws its
/// proposals from Philox4x32-10 (Random123) keyed by the seed, with each proposal's counter
/// naming (proposal, generation, block), so nothing depends on threads or timing.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ulcsim {

/// Behaviour parameters (hazards, coefficients, probabilities) have natural ranges, and the
/// simulation is undefined outside them, so every fitted parameter has one: finite, with
/// lower < upper. Both algorithms only ever evaluate points inside the box (bounds included).
struct ParameterBounds {
    double lower;
    double upper;
};

/// Evaluates a batch of points (any order of evaluation; must return one value per point).
/// A NaN loss is taken as +infinity, so a simulation that fails numerically only repels.
using BatchObjective =
    std::function<std::vector<double>(const std::vector<Eigen::VectorXd>& points)>;

struct NelderMeadOptions {
    /// Every point evaluated counts; must be at least the n + 1 of the initial simplex.
    int max_evaluations = 300;
    /// Stop when the losses of the simplex spread by at most f_tolerance · (1 + |best|):
    /// absolute near zero, relative for large losses.
    double f_tolerance = 1e-8;
    /// Stop when every vertex is within x_tolerance of the best one in every coordinate,
    /// measured as a fraction of that parameter's bound width (so parameters of very
    /// different scales are treated alike).
    double x_tolerance = 1e-4;
    /// Edge of the initial simplex, as a fraction of each bound's width, in (0, 1].
    double initial_step = 0.1;
    /// After a convergence, start again from the best point with a fresh simplex this many
    /// times. Nelder–Mead can stall on a degenerate simplex (more likely when vertices have
    /// been projected onto a face of the box); a fresh one costs n + 1 evaluations and
    /// either confirms the minimum or escapes.
    int restarts = 1;
};

struct NelderMeadResult {
    Eigen::VectorXd minimum;
    double loss = 0;
    int evaluations = 0;
    /// Iterations of the simplex (a reflection and what follows it); restarts included.
    int iterations = 0;
    /// True when a tolerance stopped the search (also when the budget then ran out during a
    /// restart), false when the evaluation budget did.
    bool converged = false;
    std::string stopped_because;
    /// The best loss known after each iteration (non-increasing), for convergence plots.
    std::vector<double> best_loss_by_iteration;
};

/// Nelder–Mead with the adaptive coefficients of Gao & Han (2012) for n ≥ 3 (the standard
/// 1, 2, ½, ½ for n ≤ 2, where they coincide or degenerate), in coordinates scaled to the
/// unit box. Bounds are handled by projection: every trial point is clamped onto the box
/// before it is evaluated, so an optimum on a bound is found exactly rather than
/// approached through a transformation that flattens the loss there.
///
/// Batches, in the order they can occur: the initial simplex (n + 1 points; n on a restart,
/// whose best point keeps its loss); then each iteration evaluates the reflection and the
/// expansion together (2 points; 1 when the clamped expansion equals the reflection or only
/// one evaluation is left). This parallel variant spends an evaluation on an expansion the
/// sequential method would not have needed, and saves a round trip whenever the expansion
/// is taken; since it is paid for, an expansion better than the best vertex is taken even
/// when the reflection is not. A rejected reflection is followed by a contraction (1 point)
/// and a failed contraction by a shrink (n points). A point equal to a vertex (projection
/// onto a face makes these) reuses its loss instead of being simulated again, so a batch
/// can be smaller than listed. A batch that does not fit the remaining budget is not
/// started: the budget is never exceeded.
///
/// Throws std::invalid_argument for an empty problem, mismatched sizes, bad bounds, a start
/// outside the bounds or bad options; std::runtime_error when the callback returns the
/// wrong number of values.
NelderMeadResult nelder_mead(const BatchObjective& loss, const Eigen::VectorXd& start,
                             const std::vector<ParameterBounds>& bounds,
                             const NelderMeadOptions& options = {});

struct AbcSmcOptions {
    /// Particles in each generation (at least 2: the perturbation kernel needs a covariance).
    std::size_t particles = 200;
    int max_generations = 8;
    /// Next tolerance = this quantile (in (0, 1]) of the accepted distances.
    double quantile = 0.5;
    /// Stop when a generation accepts fewer (in [0, 1)). A generation is abandoned as soon as
    /// it can no longer reach this rate, so no simulations are spent finishing it.
    double min_acceptance_rate = 0.02;
    std::uint64_t seed = 1;
    /// Proposals per batch, 0 = particles.
    std::size_t batch = 0;
    /// Stop once reached: a tolerance is never set below it, so the last generation is
    /// accepted at exactly this tolerance.
    double target_tolerance = 0;
};

struct AbcPosterior {
    Eigen::MatrixXd draws;   ///< particles × parameters
    Eigen::VectorXd weights; ///< normalised, sum 1
    std::vector<double> distances;
    /// By generation; generation 0 samples the prior with tolerance +infinity.
    std::vector<double> tolerances;
    /// By generation (1 for generation 0): the share of the simulations within the
    /// tolerance, counting those of the last batch beyond the N kept, so that it estimates
    /// the acceptance probability whatever the batch size.
    std::vector<double> acceptance_rates;
    /// Points handed to the distance callback (proposals outside the prior are not).
    int simulations = 0;
    std::string stopped_because;
};

/// distance(points, batch_index): the caller may use batch_index to vary its random seeds.
/// batch_index counts the batches of the whole run from 0. A NaN distance is taken as
/// +infinity (never accepted after generation 0).
using BatchDistance = std::function<std::vector<double>(const std::vector<Eigen::VectorXd>& points,
                                                        std::uint32_t batch_index)>;

/// ABC-SMC (population Monte Carlo, Beaumont et al. 2009; Toni et al. 2009) with a uniform
/// prior on the box. Generation 0 keeps N draws from the prior. Generation t sets
/// ε_t = quantile of generation t − 1's distances, then proposes by resampling a particle
/// by weight and moving it with N(0, 2 Σ), Σ the weighted covariance of the previous
/// population (the kernel that minimises the Kullback–Leibler loss for a Gaussian target,
/// Beaumont et al. 2009; its diagonal has a floor of (10⁻⁶ × width)² so that a population
/// collapsed by ties still has a valid Cholesky factor); proposals outside the box are rejected
/// without simulating. It simulates in batches until N proposals are accepted (distance ≤ ε_t; the
/// first N in proposal order when a batch overshoots) and weighs them w ∝ 1 / Σ_j w_j K(θ | θ_j).
///
/// Proposal k of generation t is a function of (seed, t, k) only, so the proposals do not
/// depend on the batch size; the distances may, through batch_index.
///
/// Stops after max_generations, when a generation would accept fewer than
/// min_acceptance_rate of its simulations or reach the cap of 50 N simulations (that
/// generation is discarded and the last complete one returned), or when the tolerance
/// reaches target_tolerance. Throws std::invalid_argument for an empty or bad prior or bad
/// options; std::runtime_error when the callback returns the wrong number of values.
AbcPosterior abc_smc(const BatchDistance& distance, const std::vector<ParameterBounds>& prior,
                     const AbcSmcOptions& options = {});

/// Weighted quantile of column `parameter` (p in [0,1]): linear interpolation between the
/// sorted draws placed at the midpoints of their cumulative weights (with equal weights,
/// Hyndman & Fan type 5); the smallest and largest draw outside those.
double weighted_quantile(const AbcPosterior& posterior, std::size_t parameter, double p);
/// Weighted mean of the draws.
Eigen::VectorXd posterior_mean(const AbcPosterior& posterior);
/// Weighted covariance with the reliability-weight correction 1 / (1 − Σ w²), so that equal
/// weights give the usual n − 1 sample covariance.
Eigen::MatrixXd posterior_covariance(const AbcPosterior& posterior);

} // namespace ulcsim
