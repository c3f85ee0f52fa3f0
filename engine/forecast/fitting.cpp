#include "ulcsim/fitting.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Random123/philox.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace ulcsim {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

void check_bounds(const std::vector<ParameterBounds>& bounds, const char* what) {
    if (bounds.empty()) throw std::invalid_argument(std::string(what) + ": no parameters to fit");
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const auto& b = bounds[i];
        if (!std::isfinite(b.lower) || !std::isfinite(b.upper) || !(b.lower < b.upper)) {
            std::ostringstream message;
            message << what << ": parameter " << i
                    << ": bounds must be finite with lower < upper (got [" << b.lower << ", "
                    << b.upper << "])";
            throw std::invalid_argument(message.str());
        }
    }
}

/// NaN becomes +infinity: a point whose simulation failed numerically is only ever worse.
double sanitised(double value) {
    return std::isnan(value) ? infinity : value;
}

void check_count(std::size_t got, std::size_t expected, const char* what) {
    if (got != expected) {
        std::ostringstream message;
        message << what << ": the callback returned " << got << " values for " << expected
                << " points";
        throw std::runtime_error(message.str());
    }
}

/// The box as an affine map from the unit cube, so that the simplex geometry (steps,
/// tolerances, coefficients) is the same for a hazard of 0.01 and a coefficient of 50.
class UnitBox {
public:
    explicit UnitBox(const std::vector<ParameterBounds>& bounds)
        : lower_(static_cast<Eigen::Index>(bounds.size())),
          upper_(static_cast<Eigen::Index>(bounds.size())),
          width_(static_cast<Eigen::Index>(bounds.size())) {
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            const auto k = static_cast<Eigen::Index>(i);
            lower_[k] = bounds[i].lower;
            upper_[k] = bounds[i].upper;
            width_[k] = bounds[i].upper - bounds[i].lower;
        }
    }
    Eigen::VectorXd to_unit(const Eigen::VectorXd& x) const {
        return ((x - lower_).array() / width_.array()).cwiseMax(0.0).cwiseMin(1.0).matrix();
    }
    /// Clamped again after the map, so that rounding never puts a point outside the bounds.
    Eigen::VectorXd from_unit(const Eigen::VectorXd& u) const {
        return (lower_ + u.cwiseProduct(width_)).cwiseMax(lower_).cwiseMin(upper_);
    }

private:
    Eigen::VectorXd lower_, upper_, width_;
};

Eigen::VectorXd clamp_unit(const Eigen::VectorXd& u) {
    return u.cwiseMax(0.0).cwiseMin(1.0);
}

struct Vertex {
    Eigen::VectorXd u; ///< unit-box coordinates
    double f;
};

/// Runs Nelder–Mead. Keeps the budget, the counters and the best point seen.
class NelderMead {
public:
    NelderMead(const BatchObjective& loss, const std::vector<ParameterBounds>& bounds,
               const NelderMeadOptions& options)
        : loss_(loss), box_(bounds), options_(options), n_(bounds.size()) {
        const double n = static_cast<double>(n_);
        if (n_ >= 3) { // Gao & Han (2012); for n ≤ 2 they are the standard ones or degenerate.
            expansion_ = 1 + 2 / n;
            contraction_ = 0.75 - 1 / (2 * n);
            shrink_ = 1 - 1 / n;
        }
    }

    NelderMeadResult run(const Eigen::VectorXd& start) {
        std::vector<Vertex> simplex;
        grow_simplex(simplex, box_.to_unit(start));
        int restarts_left = options_.restarts;
        std::string converged_before; // why the last run before a restart converged
        while (true) {
            std::stable_sort(simplex.begin(), simplex.end(),
                             [](const Vertex& a, const Vertex& b) { return a.f < b.f; });
            if (const std::string reason = converged(simplex); !reason.empty()) {
                if (restarts_left > 0 && remaining() >= n_) {
                    --restarts_left;
                    converged_before = reason;
                    simplex.resize(1);
                    grow_simplex(simplex, simplex.front().u);
                    continue;
                }
                return finish(true, reason);
            }
            if (remaining() == 0) return out_of_budget(converged_before);
            ++iterations_;
            const bool budget_left = step(simplex);
            best_by_iteration_.push_back(best_.f);
            if (!budget_left) return out_of_budget(converged_before);
        }
    }

private:
    std::size_t remaining() const {
        return static_cast<std::size_t>(options_.max_evaluations - evaluations_);
    }
    /// A restart only checks a convergence already reached, so running out of evaluations
    /// during one does not undo it.
    NelderMeadResult out_of_budget(const std::string& converged_before) const {
        const std::string budget =
            "max_evaluations: " + std::to_string(options_.max_evaluations) + " evaluations used";
        if (converged_before.empty()) return finish(false, budget);
        return finish(true, converged_before + "; then " + budget + " in the restart");
    }

    /// Evaluates the points in one batch. A point equal to a vertex of the simplex, or to an
    /// earlier point of the batch, takes that loss instead of being simulated again: this
    /// happens when trial points are projected onto a face of the box.
    std::vector<double> evaluate(const std::vector<Eigen::VectorXd>& unit_points,
                                 const std::vector<Vertex>& simplex) {
        std::vector<double> values(unit_points.size(), 0);
        std::vector<std::size_t> fresh; // indices of points to simulate
        std::vector<std::ptrdiff_t> same_as(unit_points.size(), -1);
        std::vector<double> known(unit_points.size(), 0);
        for (std::size_t i = 0; i < unit_points.size(); ++i) {
            bool found = false;
            for (const auto& v : simplex)
                if (v.u == unit_points[i]) {
                    known[i] = v.f;
                    found = true;
                    break;
                }
            for (std::size_t j = 0; !found && j < i; ++j)
                if (unit_points[j] == unit_points[i]) {
                    same_as[i] = static_cast<std::ptrdiff_t>(j);
                    found = true;
                }
            if (!found) fresh.push_back(i);
        }
        if (!fresh.empty()) {
            std::vector<Eigen::VectorXd> points;
            points.reserve(fresh.size());
            for (const std::size_t i : fresh)
                points.push_back(box_.from_unit(unit_points[i]));
            const std::vector<double> f = loss_(points);
            check_count(f.size(), points.size(), "nelder_mead");
            evaluations_ += static_cast<int>(points.size());
            for (std::size_t k = 0; k < fresh.size(); ++k) {
                const std::size_t i = fresh[k];
                known[i] = sanitised(f[k]);
                same_as[i] = -2;
                if (known[i] < best_.f || best_.u.size() == 0) best_ = {unit_points[i], known[i]};
            }
        }
        for (std::size_t i = 0; i < unit_points.size(); ++i)
            values[i] = same_as[i] >= 0 ? known[static_cast<std::size_t>(same_as[i])] : known[i];
        return values;
    }

    /// How many of `points` evaluate() would simulate.
    std::size_t fresh_count(const std::vector<Eigen::VectorXd>& points,
                            const std::vector<Vertex>& simplex) const {
        std::size_t count = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const bool known =
                std::any_of(simplex.begin(), simplex.end(),
                            [&](const Vertex& v) { return v.u == points[i]; }) ||
                std::any_of(points.begin(), points.begin() + static_cast<std::ptrdiff_t>(i),
                            [&](const Eigen::VectorXd& p) { return p == points[i]; });
            count += known ? 0 : 1;
        }
        return count;
    }

    /// Builds a simplex around `base` in one batch: one step along each axis, towards the
    /// inside of the box, so that the simplex is never flattened onto a face. On a restart
    /// `simplex` already holds the base vertex with its loss, and only the n others are new.
    void grow_simplex(std::vector<Vertex>& simplex, Eigen::VectorXd base) {
        const double s = options_.initial_step;
        std::vector<Eigen::VectorXd> points;
        if (simplex.empty()) points.push_back(base);
        for (std::size_t i = 0; i < n_; ++i) {
            Eigen::VectorXd u = base;
            const auto k = static_cast<Eigen::Index>(i);
            if (base[k] + s <= 1)
                u[k] = base[k] + s;
            else if (base[k] - s >= 0)
                u[k] = base[k] - s;
            else
                u[k] = base[k] < 0.5 ? 1.0 : 0.0; // step longer than the room either side
            points.push_back(u);
        }
        const auto f = evaluate(points, simplex);
        for (std::size_t i = 0; i < points.size(); ++i)
            simplex.push_back({points[i], f[i]});
    }

    /// Why the simplex counts as converged, or "" when it does not.
    std::string converged(const std::vector<Vertex>& simplex) const {
        const double best = simplex.front().f, worst = simplex.back().f;
        const double spread = worst - best;
        if (std::isfinite(best) && spread <= options_.f_tolerance * (1 + std::abs(best))) {
            std::ostringstream message;
            message << "f_tolerance: the losses of the simplex spread by " << spread;
            return message.str();
        }
        double size = 0;
        for (const auto& v : simplex)
            size = std::max(size, (v.u - simplex.front().u).lpNorm<Eigen::Infinity>());
        if (size <= options_.x_tolerance) {
            std::ostringstream message;
            message << "x_tolerance: the simplex spans " << size << " of the bounds' width";
            return message.str();
        }
        return "";
    }

    /// One iteration on a sorted simplex. False when it stopped for lack of evaluations.
    bool step(std::vector<Vertex>& simplex) {
        const std::size_t worst = n_;
        Eigen::VectorXd centroid = Eigen::VectorXd::Zero(simplex.front().u.size());
        for (std::size_t i = 0; i < worst; ++i)
            centroid += simplex[i].u;
        centroid /= static_cast<double>(n_);
        const Eigen::VectorXd direction = centroid - simplex[worst].u;
        const Eigen::VectorXd reflected = clamp_unit(centroid + reflection_ * direction);
        const Eigen::VectorXd expanded =
            clamp_unit(centroid + reflection_ * expansion_ * direction);

        // Reflection and expansion in one batch; the reflection alone when one evaluation is
        // left.
        std::vector<Eigen::VectorXd> trial{reflected};
        if (expanded != reflected && fresh_count({reflected, expanded}, simplex) <= remaining())
            trial.push_back(expanded);
        const auto f = evaluate(trial, simplex);
        const double f_reflected = f[0];
        const double f_expanded = trial.size() > 1 ? f[1] : infinity;
        // The expansion is taken when it beats both the reflection and the best vertex, even
        // if the reflection does not beat the best: it has been paid for, so use it.
        if (f_expanded < f_reflected && f_expanded < simplex.front().f) {
            simplex[worst] = {expanded, f_expanded};
            return true;
        }
        if (f_reflected < simplex[worst - 1].f) {
            simplex[worst] = {reflected, f_reflected};
            return true;
        }

        // Contraction: outside (towards the reflection) when it beat the worst, else inside.
        const bool outside = f_reflected < simplex[worst].f;
        const Eigen::VectorXd contracted =
            outside ? clamp_unit(centroid + contraction_ * (reflected - centroid))
                    : clamp_unit(centroid + contraction_ * (simplex[worst].u - centroid));
        if (fresh_count({contracted}, simplex) > remaining()) return false;
        const double f_contracted = evaluate({contracted}, simplex).front();
        if (outside ? f_contracted <= f_reflected : f_contracted < simplex[worst].f) {
            simplex[worst] = {contracted, f_contracted};
            return true;
        }

        // Shrink towards the best vertex, all n points in one batch.
        std::vector<Eigen::VectorXd> shrunk;
        for (std::size_t i = 1; i <= worst; ++i)
            shrunk.push_back(
                clamp_unit(simplex.front().u + shrink_ * (simplex[i].u - simplex.front().u)));
        if (fresh_count(shrunk, simplex) > remaining()) return false;
        const auto f_shrunk = evaluate(shrunk, simplex);
        for (std::size_t i = 1; i <= worst; ++i)
            simplex[i] = {shrunk[i - 1], f_shrunk[i - 1]};
        return true;
    }

    NelderMeadResult finish(bool converged, std::string reason) const {
        NelderMeadResult result;
        result.minimum = box_.from_unit(best_.u);
        result.loss = best_.f;
        result.evaluations = evaluations_;
        result.iterations = iterations_;
        result.converged = converged;
        result.stopped_because = std::move(reason);
        result.best_loss_by_iteration = best_by_iteration_;
        return result;
    }

    const BatchObjective& loss_;
    UnitBox box_;
    NelderMeadOptions options_;
    std::size_t n_;
    double reflection_ = 1, expansion_ = 2, contraction_ = 0.5, shrink_ = 0.5;
    int evaluations_ = 0;
    int iterations_ = 0;
    Vertex best_{Eigen::VectorXd(), infinity};
    std::vector<double> best_by_iteration_;
};

// ---------------------------------------------------------------------------------------------
// ABC-SMC

/// Random numbers for proposals. The key is Philox applied to a fixed counter under the
/// seed, not the seed itself: CounterRng keys the simulation's streams with the seed and can
/// reach any counter, so reusing the seed as the key could make proposal k of generation t
/// share its numbers with some agent's draws. The counter of a draw is
/// {proposal index (low, high word), generation, block}.
class ProposalRng {
public:
    explicit ProposalRng(std::uint64_t seed) {
        const r123::Philox4x32::key_type seed_key{
            {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
        const r123::Philox4x32::ctr_type tag{{0x41424353u, 0x4d430000u, 0xffffffffu, 0}};
        const auto out = r123::Philox4x32()(tag, seed_key);
        key_ = {{out[0], out[1]}};
    }

    /// Two uniforms in (0, 1), 53 bits each, from block `block` of proposal k.
    std::array<double, 2> uniforms(std::uint32_t generation, std::uint64_t k,
                                   std::uint32_t block) const {
        const r123::Philox4x32::ctr_type counter{{static_cast<std::uint32_t>(k),
                                                  static_cast<std::uint32_t>(k >> 32), generation,
                                                  block}};
        const auto w = r123::Philox4x32()(counter, key_);
        return {unit(w[0], w[1]), unit(w[2], w[3])};
    }

    /// Two independent standard normals (Box–Muller).
    std::array<double, 2> normals(std::uint32_t generation, std::uint64_t k,
                                  std::uint32_t block) const {
        const auto [u1, u2] = uniforms(generation, k, block);
        const double r = std::sqrt(-2 * std::log(u1));
        const double angle = 2 * std::numbers::pi * u2;
        return {r * std::cos(angle), r * std::sin(angle)};
    }

private:
    static double unit(std::uint32_t high, std::uint32_t low) {
        const std::uint64_t bits = ((std::uint64_t{high} << 32) | low) >> 11;
        return (static_cast<double>(bits) + 0.5) * 0x1p-53;
    }
    r123::Philox4x32::key_type key_;
};

/// Type 7 quantile (linear between order statistics) of unweighted values.
double quantile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const double h = p * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    const double fraction = h - static_cast<double>(lo);
    if (fraction == 0 || values[lo] == values[hi]) return values[lo]; // also when infinite
    return values[lo] + fraction * (values[hi] - values[lo]);
}

Eigen::VectorXd weighted_mean(const Eigen::MatrixXd& draws, const Eigen::VectorXd& weights) {
    return draws.transpose() * weights;
}

Eigen::MatrixXd weighted_covariance(const Eigen::MatrixXd& draws, const Eigen::VectorXd& weights) {
    const Eigen::MatrixXd centred = draws.rowwise() - weighted_mean(draws, weights).transpose();
    Eigen::MatrixXd cov = centred.transpose() * weights.asDiagonal() * centred;
    const double correction = 1 - weights.squaredNorm();
    if (correction > 0) cov /= correction;
    return cov;
}

struct Population {
    Eigen::MatrixXd draws;
    Eigen::VectorXd weights;
    std::vector<double> distances;
};

/// The perturbation kernel N(0, 2 Σ) as its Cholesky factor. A population collapsed onto a
/// point or a line (ties in a discrete distance, a parameter the data do not inform) has a
/// singular Σ, so the diagonal gets a floor of (10⁻⁶ × width)²: far below any posterior
/// spread that matters, far above rounding.
Eigen::MatrixXd kernel_factor(const Population& population, const Eigen::VectorXd& width) {
    Eigen::MatrixXd sigma = 2 * weighted_covariance(population.draws, population.weights);
    const Eigen::VectorXd floor = (1e-6 * width).array().square().matrix();
    sigma.diagonal() += floor;
    Eigen::LLT<Eigen::MatrixXd> llt(sigma);
    if (llt.info() == Eigen::Success) return llt.matrixL();
    // Not positive definite even so (non-finite entries): independent coordinates.
    Eigen::MatrixXd diagonal = Eigen::MatrixXd::Zero(sigma.rows(), sigma.cols());
    for (Eigen::Index i = 0; i < sigma.rows(); ++i) {
        const double v = sigma(i, i);
        diagonal(i, i) = std::sqrt(std::isfinite(v) && v > floor[i] ? v : floor[i]);
    }
    return diagonal;
}

class AbcSmc {
public:
    AbcSmc(const BatchDistance& distance, const std::vector<ParameterBounds>& prior,
           const AbcSmcOptions& options)
        : distance_(distance), options_(options), rng_(options.seed),
          d_(static_cast<Eigen::Index>(prior.size())), lower_(d_), upper_(d_), width_(d_) {
        for (Eigen::Index i = 0; i < d_; ++i) {
            lower_[i] = prior[static_cast<std::size_t>(i)].lower;
            upper_[i] = prior[static_cast<std::size_t>(i)].upper;
            width_[i] = upper_[i] - lower_[i];
        }
        n_ = options.particles;
        batch_ = options.batch == 0 ? n_ : options.batch;
        cap_ = 50 * n_;
        if (options.min_acceptance_rate > 0) {
            const double by_rate =
                std::floor(static_cast<double>(n_) / options.min_acceptance_rate);
            if (by_rate < static_cast<double>(cap_)) {
                cap_ = static_cast<std::size_t>(by_rate);
                cap_is_rate_ = true;
            }
        }
    }

    AbcPosterior run() {
        AbcPosterior result;
        Population population;
        {
            auto outcome = generation(0, infinity, population);
            population = std::move(outcome.population);
            result.tolerances.push_back(infinity);
            result.acceptance_rates.push_back(1);
        }
        std::string reason;
        for (int t = 1;; ++t) {
            if (result.tolerances.back() <= options_.target_tolerance) {
                std::ostringstream message;
                message << "target_tolerance " << options_.target_tolerance << " reached";
                reason = message.str();
                break;
            }
            if (t >= options_.max_generations) {
                reason = "max_generations: " + std::to_string(options_.max_generations) +
                         " generations done";
                break;
            }
            const double tolerance = std::max(quantile(population.distances, options_.quantile),
                                              options_.target_tolerance);
            auto outcome = generation(static_cast<std::uint32_t>(t), tolerance, population);
            if (!outcome.complete) {
                std::ostringstream message;
                message << "generation " << t << " (tolerance " << tolerance << ") accepted "
                        << outcome.accepted << " of " << outcome.simulated << " simulations";
                if (cap_is_rate_)
                    message << ", so its acceptance rate would be below min_acceptance_rate "
                            << options_.min_acceptance_rate;
                else
                    message << ", the cap of 50 × particles";
                if (outcome.drawn_out)
                    message << " (stopped: nearly all proposals fell outside the prior)";
                message << "; returning generation " << t - 1;
                reason = message.str();
                break;
            }
            population = std::move(outcome.population);
            result.tolerances.push_back(tolerance);
            result.acceptance_rates.push_back(static_cast<double>(outcome.acceptable) /
                                              static_cast<double>(outcome.simulated));
        }
        result.draws = std::move(population.draws);
        result.weights = std::move(population.weights);
        result.distances = std::move(population.distances);
        result.simulations =
            static_cast<int>(std::min<std::size_t>(simulations_, std::numeric_limits<int>::max()));
        result.stopped_because = std::move(reason);
        return result;
    }

private:
    struct Outcome {
        Population population;
        bool complete = false;
        bool drawn_out = false;
        std::size_t accepted = 0;
        std::size_t acceptable = 0; ///< within the tolerance, beyond the N kept included
        std::size_t simulated = 0;
    };

    bool inside(const Eigen::VectorXd& theta) const {
        return (theta.array() >= lower_.array()).all() && (theta.array() <= upper_.array()).all();
    }

    /// Proposal k of generation t ≥ 1: block 0 picks the ancestor, blocks 1… perturb it.
    Eigen::VectorXd propose(std::uint32_t t, std::uint64_t k, const Population& previous,
                            const std::vector<double>& cumulative,
                            const Eigen::MatrixXd& factor) const {
        const double u = rng_.uniforms(t, k, 0)[0] * cumulative.back();
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        const auto ancestor = static_cast<Eigen::Index>(
            std::min<std::ptrdiff_t>(it - cumulative.begin(), previous.draws.rows() - 1));
        Eigen::VectorXd z(d_);
        for (Eigen::Index i = 0; i < d_; i += 2) {
            const auto normal = rng_.normals(t, k, static_cast<std::uint32_t>(1 + i / 2));
            z[i] = normal[0];
            if (i + 1 < d_) z[i + 1] = normal[1];
        }
        return previous.draws.row(ancestor).transpose() + factor * z;
    }

    /// Proposal k of generation 0: uniform on the box.
    Eigen::VectorXd from_prior(std::uint64_t k) const {
        Eigen::VectorXd theta(d_);
        for (Eigen::Index i = 0; i < d_; i += 2) {
            const auto u = rng_.uniforms(0, k, static_cast<std::uint32_t>(i / 2));
            theta[i] = lower_[i] + u[0] * width_[i];
            if (i + 1 < d_) theta[i + 1] = lower_[i + 1] + u[1] * width_[i + 1];
        }
        return theta.cwiseMin(upper_);
    }

    Outcome generation(std::uint32_t t, double tolerance, const Population& previous) {
        Eigen::MatrixXd factor;
        std::vector<double> cumulative;
        if (t > 0) {
            factor = kernel_factor(previous, width_);
            cumulative.resize(static_cast<std::size_t>(previous.weights.size()));
            std::partial_sum(previous.weights.begin(), previous.weights.end(), cumulative.begin());
        }
        // Generation 0 accepts everything, so it simulates exactly N.
        const std::size_t cap = t == 0 ? n_ : cap_;
        // Proposals drawn, in or out of the prior; the limit only stops a kernel that has
        // (impossibly, for a box) almost all its mass outside.
        const std::uint64_t draw_limit = std::uint64_t{1000} * cap;

        Outcome out;
        std::vector<Eigen::VectorXd> accepted;
        std::vector<double> accepted_distance;
        std::uint64_t k = 0;
        while (accepted.size() < n_) {
            if (out.simulated >= cap) break;
            const std::size_t size = std::min(batch_, cap - out.simulated);
            std::vector<Eigen::VectorXd> points;
            points.reserve(size);
            while (points.size() < size && k < draw_limit) {
                Eigen::VectorXd theta =
                    t == 0 ? from_prior(k) : propose(t, k, previous, cumulative, factor);
                ++k;
                if (inside(theta)) points.push_back(std::move(theta));
            }
            if (points.empty()) {
                out.drawn_out = true;
                break;
            }
            const auto distances = distance_(points, batch_index_++);
            check_count(distances.size(), points.size(), "abc_smc");
            out.simulated += points.size();
            simulations_ += points.size();
            for (std::size_t i = 0; i < points.size(); ++i) {
                const double dist = sanitised(distances[i]);
                if (!(dist <= tolerance)) continue;
                ++out.acceptable;
                if (accepted.size() < n_) {
                    accepted.push_back(points[i]);
                    accepted_distance.push_back(dist);
                }
            }
            if (points.size() < size) {
                out.drawn_out = true;
                break;
            }
        }
        out.accepted = accepted.size();
        if (accepted.size() < n_) return out;

        out.complete = true;
        Population& next = out.population;
        next.draws.resize(static_cast<Eigen::Index>(n_), d_);
        for (std::size_t i = 0; i < n_; ++i)
            next.draws.row(static_cast<Eigen::Index>(i)) = accepted[i].transpose();
        next.distances = std::move(accepted_distance);
        next.weights = t == 0 ? Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n_),
                                                          1.0 / static_cast<double>(n_))
                              : importance_weights(next.draws, previous, factor);
        return out;
    }

    /// w_i ∝ prior(θ_i) / Σ_j w_j K(θ_i | θ_j), the prior being constant on the box. In logs
    /// with the largest term factored out, so that no sum underflows.
    static Eigen::VectorXd importance_weights(const Eigen::MatrixXd& draws,
                                              const Population& previous,
                                              const Eigen::MatrixXd& factor) {
        const auto L = factor.triangularView<Eigen::Lower>();
        // Whitened coordinates: the kernel's Mahalanobis distance is a Euclidean one there.
        const Eigen::MatrixXd y_new = L.solve(draws.transpose());
        const Eigen::MatrixXd y_old = L.solve(previous.draws.transpose());
        const Eigen::VectorXd log_w_old = previous.weights.array().log().matrix();
        const Eigen::Index n = draws.rows(), m = previous.draws.rows();
        Eigen::VectorXd log_w(n);
        Eigen::VectorXd terms(m);
        for (Eigen::Index i = 0; i < n; ++i) {
            terms = log_w_old -
                    0.5 * (y_old.colwise() - y_new.col(i)).colwise().squaredNorm().transpose();
            const double top = terms.maxCoeff();
            log_w[i] = -(top + std::log((terms.array() - top).exp().sum()));
        }
        const double top = log_w.maxCoeff();
        Eigen::VectorXd w = (log_w.array() - top).exp().matrix();
        return w / w.sum();
    }

    const BatchDistance& distance_;
    AbcSmcOptions options_;
    ProposalRng rng_;
    Eigen::Index d_;
    Eigen::VectorXd lower_, upper_, width_;
    std::size_t n_ = 0, batch_ = 0, cap_ = 0;
    bool cap_is_rate_ = false;
    std::uint32_t batch_index_ = 0;
    std::size_t simulations_ = 0;
};

void check_posterior(const AbcPosterior& posterior) {
    if (posterior.draws.rows() == 0 || posterior.draws.cols() == 0 ||
        posterior.weights.size() != posterior.draws.rows())
        throw std::invalid_argument("posterior: no draws, or weights that do not match them");
}

} // namespace

NelderMeadResult nelder_mead(const BatchObjective& loss, const Eigen::VectorXd& start,
                             const std::vector<ParameterBounds>& bounds,
                             const NelderMeadOptions& options) {
    check_bounds(bounds, "nelder_mead");
    if (!loss) throw std::invalid_argument("nelder_mead: no loss function");
    if (static_cast<std::size_t>(start.size()) != bounds.size())
        throw std::invalid_argument("nelder_mead: the start has " + std::to_string(start.size()) +
                                    " parameters, the bounds " + std::to_string(bounds.size()));
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const double x = start[static_cast<Eigen::Index>(i)];
        if (!(x >= bounds[i].lower && x <= bounds[i].upper)) {
            std::ostringstream message;
            message << "nelder_mead: parameter " << i << ": start " << x << " is outside ["
                    << bounds[i].lower << ", " << bounds[i].upper << "]";
            throw std::invalid_argument(message.str());
        }
    }
    if (options.max_evaluations < 0 ||
        static_cast<std::size_t>(options.max_evaluations) < bounds.size() + 1)
        throw std::invalid_argument(
            "nelder_mead: max_evaluations must be at least the n + 1 points of the simplex");
    if (!(options.f_tolerance >= 0) || !(options.x_tolerance >= 0) ||
        !std::isfinite(options.f_tolerance) || !std::isfinite(options.x_tolerance))
        throw std::invalid_argument("nelder_mead: tolerances must be finite and non-negative");
    if (!(options.initial_step > 0 && options.initial_step <= 1))
        throw std::invalid_argument("nelder_mead: initial_step must be in (0, 1]");
    if (options.restarts < 0) throw std::invalid_argument("nelder_mead: restarts must be >= 0");
    return NelderMead(loss, bounds, options).run(start);
}

AbcPosterior abc_smc(const BatchDistance& distance, const std::vector<ParameterBounds>& prior,
                     const AbcSmcOptions& options) {
    check_bounds(prior, "abc_smc");
    if (!distance) throw std::invalid_argument("abc_smc: no distance function");
    if (options.particles < 2) throw std::invalid_argument("abc_smc: particles must be at least 2");
    if (options.particles > (std::size_t{1} << 26))
        throw std::invalid_argument("abc_smc: particles must be at most 2^26");
    if (options.max_generations < 1)
        throw std::invalid_argument("abc_smc: max_generations must be at least 1");
    if (!(options.quantile > 0 && options.quantile <= 1))
        throw std::invalid_argument("abc_smc: quantile must be in (0, 1]");
    if (!(options.min_acceptance_rate >= 0 && options.min_acceptance_rate < 1))
        throw std::invalid_argument("abc_smc: min_acceptance_rate must be in [0, 1)");
    if (!(options.target_tolerance >= 0) || !std::isfinite(options.target_tolerance))
        throw std::invalid_argument("abc_smc: target_tolerance must be finite and >= 0");
    return AbcSmc(distance, prior, options).run();
}

double weighted_quantile(const AbcPosterior& posterior, std::size_t parameter, double p) {
    check_posterior(posterior);
    if (parameter >= static_cast<std::size_t>(posterior.draws.cols()))
        throw std::invalid_argument("weighted_quantile: no parameter " + std::to_string(parameter));
    if (!(p >= 0 && p <= 1)) throw std::invalid_argument("weighted_quantile: p must be in [0, 1]");
    const auto column = posterior.draws.col(static_cast<Eigen::Index>(parameter));
    std::vector<std::pair<double, double>> sorted; // value, weight
    for (Eigen::Index i = 0; i < column.size(); ++i)
        if (posterior.weights[i] > 0) sorted.emplace_back(column[i], posterior.weights[i]);
    if (sorted.empty()) throw std::invalid_argument("weighted_quantile: all weights are zero");
    std::sort(sorted.begin(), sorted.end());
    const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0,
                                         [](double s, const auto& e) { return s + e.second; });
    double cumulative = 0;
    double previous_position = 0, previous_value = sorted.front().first;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const double position = (cumulative + sorted[i].second / 2) / total;
        cumulative += sorted[i].second;
        if (p <= position) {
            if (i == 0) return sorted[i].first;
            const double fraction = (p - previous_position) / (position - previous_position);
            return previous_value + fraction * (sorted[i].first - previous_value);
        }
        previous_position = position;
        previous_value = sorted[i].first;
    }
    return sorted.back().first;
}

Eigen::VectorXd posterior_mean(const AbcPosterior& posterior) {
    check_posterior(posterior);
    return weighted_mean(posterior.draws, posterior.weights / posterior.weights.sum());
}

Eigen::MatrixXd posterior_covariance(const AbcPosterior& posterior) {
    check_posterior(posterior);
    return weighted_covariance(posterior.draws, posterior.weights / posterior.weights.sum());
}

} // namespace ulcsim
