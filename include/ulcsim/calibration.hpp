#pragma once
/// \file
/// Calibration: how well a scenario with given behaviour parameters reproduces its
/// observations, evaluated for many parameter points at once. The optimiser and the
/// posterior sampler (ulcsim/fitting.hpp) only see numbers; this file turns a point into
/// scenarios, runs them as one ensemble (points × replicates in parallel), and turns the
/// series into simulated observations and a loss.
///
/// The loss of a point is the weighted mean squared error between the observations and the
/// simulated values averaged over replicates, with every point run on the same seeds
/// (common random numbers): the same workers draw the same numbers at every point, so the
/// loss changes smoothly with the parameters instead of jumping with the noise.

#include "ulcsim/execution.hpp"
#include "ulcsim/fitting.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ulcsim {

/// A scenario value calibrate may fit: its full key and its prior range.
struct CalibrationParameter {
    std::string key;  ///< "behaviour.h0_self", "programme.kota-magelang-apbd.acceptance"
    double start = 0; ///< the scenario's value
    ParameterBounds prior{0, 1};
};

/// The parameter a name stands for: any fittable key of the table (ulcsim/scenario_keys.hpp),
/// behaviour keys also without their table ("h0_self"), entries of programmes and policies by
/// name or position (the key names them by name). Its start is the scenario's value, given or
/// defaulted; its default prior comes from what the key measures, within the key's range:
/// shares and probabilities the whole range ([0, 1]); hazards, rates and amounts [value / 5,
/// value × 5] (or [0, 0.1] when the value is 0); coefficients within ±max(1, 2·|value|) of
/// the value. Throws std::invalid_argument saying why a name cannot be fitted.
CalibrationParameter calibration_parameter(const Scenario& scenario, const std::string& name);

/// The simulated counterpart of an observation in one replicate: the coverage measure of
/// its regions and segment group in its month (bpu = informal and vulnerable together).
double simulated_observation(const ReplicateSeries& series, const Scenario& scenario,
                             const Observation& observation);

/// The part of an error (either sign, share) that lies beyond the observation's error band:
/// 0 within ±error_band, shrunk towards 0 by it outside. An error band is a uniform
/// observation-error kernel: every value it admits matches the figure equally well.
double beyond_error_band(const Observation& observation, double error);

/// Weighted mean squared error beyond the error bands,
/// Σ w beyond_error_band(simulated − observed)² / Σ w, in share².
double observation_loss(const std::vector<Observation>& observations,
                        const std::vector<double>& simulated);

/// Runs the scenario at many parameter points and reports their simulated observations.
class CalibrationProblem {
public:
    /// `observations` are the ones fitted (all or those before a cut-off); the runs stop at
    /// the month of the last of them. Every batch of points runs as one ensemble on `context`
    /// (its progress callback is not used: on_batch reports).
    CalibrationProblem(const Scenario& base, std::vector<CalibrationParameter> parameters,
                       std::vector<Observation> observations, ExecutionContext context);

    const std::vector<CalibrationParameter>& parameters() const { return parameters_; }
    const std::vector<Observation>& observations() const { return observations_; }
    Eigen::VectorXd start() const;
    std::vector<ParameterBounds> priors() const;

    /// The scenario at a point: vary() of the base with the parameters set, run as long as
    /// `base` is (a horizon made by with_horizon() travels with the scenario).
    Scenario scenario_at(const Scenario& base, const Eigen::VectorXd& point) const;

    /// Simulated observations [point][replicate][observation] of replicates
    /// [0, replicates) of every point, each point's replicates run with `seeds[point]`.
    std::vector<std::vector<std::vector<double>>>
    simulate(const std::vector<Eigen::VectorXd>& points, const std::vector<std::uint64_t>& seeds,
             std::uint32_t replicates) const;

    /// The loss of each point from the replicate means, all points on the base seed.
    std::vector<double> losses(const std::vector<Eigen::VectorXd>& points,
                               std::uint32_t replicates) const;

    /// Called after every batch of points with the simulations run so far.
    std::function<void(std::int64_t simulations)> on_batch;

private:
    Scenario base_; ///< run shortened to the last observation
    std::vector<CalibrationParameter> parameters_;
    std::vector<Observation> observations_;
    ExecutionContext context_;
    mutable std::int64_t simulations_ = 0;
};

/// Means over replicates: [point][replicate][observation] → [point][observation].
std::vector<std::vector<double>>
replicate_means(const std::vector<std::vector<std::vector<double>>>& simulated);

struct CalibrationSettings {
    /// Replicates behind each loss evaluation (common random numbers: the base seed).
    std::uint32_t replicates = 4;
    int max_evaluations = 200;
    /// ABC-SMC particles and generations; 0 particles: no posterior.
    std::size_t particles = 100;
    int generations = 10;
    double min_acceptance_rate = 0.02;
    /// ABC-SMC stops once its tolerance (root mean squared error, share) is this small:
    /// closer than the observations' own precision would only spend simulations.
    double tolerance = 0.005;
    std::uint64_t seed = 1;
};

struct CalibrationResult {
    NelderMeadResult estimate;
    double start_loss = 0;
    std::vector<double> simulated_at_start; ///< replicate means, by observation
    /// At the estimate: replicate mean, 5th and 95th percentile, by observation.
    std::vector<double> simulated_mean, simulated_p05, simulated_p95;
    bool has_posterior = false;
    AbcPosterior posterior{};
};

/// Fits the problem's parameters: Nelder–Mead from the scenario's values on the loss with
/// common random numbers for the point estimate, then (with particles > 0) ABC-SMC with the
/// root of the loss of one replicate, on its own seed, as the distance: the posterior then
/// carries the simulation's own noise, which a common-random-numbers loss hides.
CalibrationResult calibrate(const CalibrationProblem& problem, const CalibrationSettings& settings);

/// Which posterior draw each of `replicates` replicates uses: systematic resampling by
/// weight (replicate r takes the draw where the cumulative weight passes (r + ½) / R), so
/// that the replicates follow the posterior as closely as R allows, deterministically.
std::vector<std::size_t> draws_for_replicates(const Eigen::VectorXd& weights,
                                              std::size_t replicates);

} // namespace ulcsim
