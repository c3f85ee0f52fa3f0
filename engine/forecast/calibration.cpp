#include "ulcsim/calibration.hpp"

#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ulcsim {

namespace {

ParameterBounds default_prior(const ScenarioKey& key, double value) {
    if (!std::isnan(key.prior_lower) && !std::isnan(key.prior_upper))
        return {key.prior_lower, key.prior_upper};
    switch (key.quantity) {
    case Quantity::share:
    case Quantity::probability:
        return {key.lower, key.upper};
    case Quantity::hazard:
    case Quantity::rate:
    case Quantity::amount:
        // Known only to an order of magnitude: a factor of 5 either way, within the range.
        return value > 0
                   ? ParameterBounds{std::max(value / 5, key.lower), std::min(value * 5, key.upper)}
                   : ParameterBounds{key.lower, std::min(0.1, key.upper)};
    case Quantity::coefficient:
    case Quantity::none:
        break;
    }
    const double half = std::max(1.0, 2 * std::abs(value));
    return {std::max(value - half, key.lower), std::min(value + half, key.upper)};
}

std::vector<Segment> segments_of(SegmentGroup group) {
    switch (group) {
    case SegmentGroup::all:
        return {Segment::formal, Segment::informal, Segment::vulnerable};
    case SegmentGroup::formal:
        return {Segment::formal};
    case SegmentGroup::informal:
        return {Segment::informal};
    case SegmentGroup::vulnerable:
        return {Segment::vulnerable};
    case SegmentGroup::bpu:
        return {Segment::informal, Segment::vulnerable};
    }
    return {};
}

} // namespace

CalibrationParameter calibration_parameter(const Scenario& scenario, const std::string& name) {
    const ScenarioKey* key = find_scenario_key(name, true);
    if (!key) {
        auto unknown = unknown_scenario_key(name);
        // A short name is a behaviour key misspelt more likely than a table.
        if (name.find('.') == std::string::npos)
            if (auto as_behaviour = unknown_scenario_key("behaviour." + name);
                as_behaviour && as_behaviour->message.find("did you mean") != std::string::npos)
                unknown = as_behaviour;
        throw std::invalid_argument(
            "'" + name + "' cannot be fitted: " + (unknown ? unknown->message : "it is a table"));
    }
    if (!key->fittable) {
        std::string fittable;
        for (const ScenarioKey& k : scenario_keys())
            if (k.fittable) fittable += (fittable.empty() ? "" : ", ") + std::string(k.path);
        throw std::invalid_argument("'" + name + "' cannot be fitted; fittable keys: " + fittable);
    }
    std::string resolved;
    std::optional<double> value;
    try {
        resolved = resolve_key(scenario, name, true);
        value = scenario_number(scenario, resolved);
    } catch (const InputError& e) {
        throw std::invalid_argument("'" + name +
                                    "' cannot be fitted: " + e.diagnostics().front().message);
    }
    if (!value)
        throw std::invalid_argument("'" + resolved +
                                    "' has no value in the scenario to start from: give it one");
    return {resolved, *value, default_prior(*key, *value)};
}

double simulated_observation(const ReplicateSeries& series, const Scenario& scenario,
                             const Observation& o) {
    std::vector<std::size_t> regions;
    for (const std::size_t r : o.regions) {
        const auto at = std::lower_bound(scenario.regions.begin(), scenario.regions.end(), r);
        if (at == scenario.regions.end() || *at != r)
            throw std::invalid_argument("observation of " + o.region_code +
                                        ": region not in the scenario");
        regions.push_back(static_cast<std::size_t>(at - scenario.regions.begin()));
    }
    const int month = o.month - scenario.run.start;
    if (month < 0 || static_cast<std::size_t>(month) >= series.months)
        throw std::invalid_argument("observation of " + o.region_code + " in " +
                                    o.month.to_string() + ": outside the simulated months");
    const std::vector<Segment> segments = segments_of(o.segment);
    return group_coverage(series, regions, segments, o.measure, static_cast<std::size_t>(month));
}

double beyond_error_band(const Observation& observation, double error) {
    // Without a band the error itself, so that a loss with no bands is the plain one bit for
    // bit.
    if (observation.error_band == 0) return error;
    const double beyond = std::max(0.0, std::abs(error) - observation.error_band);
    return error < 0 ? -beyond : beyond;
}

double observation_loss(const std::vector<Observation>& observations,
                        const std::vector<double>& simulated) {
    if (observations.size() != simulated.size())
        throw std::invalid_argument("observation_loss: sizes differ");
    double sum = 0, weights = 0;
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const double e = beyond_error_band(observations[i], simulated[i] - observations[i].value);
        sum += observations[i].weight * e * e;
        weights += observations[i].weight;
    }
    return weights > 0 ? sum / weights : std::numeric_limits<double>::quiet_NaN();
}

CalibrationProblem::CalibrationProblem(const Scenario& base,
                                       std::vector<CalibrationParameter> parameters,
                                       std::vector<Observation> observations,
                                       ExecutionContext context)
    : base_(base), parameters_(std::move(parameters)), observations_(std::move(observations)),
      context_(std::move(context)) {
    context_.on_progress = nullptr;
    if (parameters_.empty()) throw std::invalid_argument("calibration: no parameters to fit");
    if (observations_.empty()) throw std::invalid_argument("calibration: no observations");
    Month last = observations_.front().month;
    for (const Observation& o : observations_)
        last = std::max(last, o.month);
    // Months after the last observation cannot change the loss.
    base_ = with_horizon(base_, last - base_.run.start + 1);
}

Eigen::VectorXd CalibrationProblem::start() const {
    Eigen::VectorXd x(static_cast<Eigen::Index>(parameters_.size()));
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        x[static_cast<Eigen::Index>(i)] = parameters_[i].start;
    return x;
}

std::vector<ParameterBounds> CalibrationProblem::priors() const {
    std::vector<ParameterBounds> b;
    for (const CalibrationParameter& p : parameters_)
        b.push_back(p.prior);
    return b;
}

Scenario CalibrationProblem::scenario_at(const Scenario& base, const Eigen::VectorXd& point) const {
    std::vector<KeyValue> values;
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        values.push_back({parameters_[i].key, point[static_cast<Eigen::Index>(i)]});
    return vary(base, values);
}

std::vector<std::vector<std::vector<double>>>
CalibrationProblem::simulate(const std::vector<Eigen::VectorXd>& points,
                             const std::vector<std::uint64_t>& seeds,
                             std::uint32_t replicates) const {
    if (seeds.size() != points.size())
        throw std::invalid_argument("CalibrationProblem::simulate: one seed per point");
    RunPlan plan;
    for (std::size_t p = 0; p < points.size(); ++p) {
        plan.add(scenario_at(base_, points[p]), {0, replicates}, seeds[p]);
    }
    std::vector<std::vector<std::vector<double>>> out(points.size(),
                                                      std::vector<std::vector<double>>(replicates));
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t p, std::uint32_t r, ReplicateSeries&& series) {
        std::vector<double>& values = out[p][r];
        for (const Observation& o : observations_)
            values.push_back(simulated_observation(series, plan.scenario(p), o));
    };
    run_ensemble(plan, context_, options);
    simulations_ += static_cast<std::int64_t>(points.size() * replicates);
    if (on_batch) on_batch(simulations_);
    return out;
}

std::vector<double> CalibrationProblem::losses(const std::vector<Eigen::VectorXd>& points,
                                               std::uint32_t replicates) const {
    const auto simulated =
        simulate(points, std::vector<std::uint64_t>(points.size(), base_.run.seed), replicates);
    std::vector<double> loss;
    for (const std::vector<double>& means : replicate_means(simulated))
        loss.push_back(observation_loss(observations_, means));
    return loss;
}

std::vector<std::vector<double>>
replicate_means(const std::vector<std::vector<std::vector<double>>>& simulated) {
    std::vector<std::vector<double>> means;
    for (const auto& by_replicate : simulated) {
        std::vector<double> m(by_replicate.empty() ? 0 : by_replicate[0].size(), 0);
        for (const std::vector<double>& values : by_replicate)
            for (std::size_t i = 0; i < values.size(); ++i)
                m[i] += values[i];
        for (double& v : m)
            v /= static_cast<double>(by_replicate.size());
        means.push_back(std::move(m));
    }
    return means;
}

namespace {

/// A seed of its own for proposal `point` of ABC batch `batch` (SplitMix64 finaliser).
std::uint64_t abc_seed(std::uint64_t seed, std::uint32_t batch, std::size_t point) {
    std::uint64_t z = seed ^ ((std::uint64_t{batch} << 32) | static_cast<std::uint64_t>(point));
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

CalibrationResult calibrate(const CalibrationProblem& problem,
                            const CalibrationSettings& settings) {
    CalibrationResult result;
    const auto loss = [&](const std::vector<Eigen::VectorXd>& points) {
        return problem.losses(points, settings.replicates);
    };
    const Eigen::VectorXd start = problem.start();
    const auto at_start =
        replicate_means(problem.simulate({start}, {settings.seed}, settings.replicates));
    result.simulated_at_start = at_start.front();
    result.start_loss = observation_loss(problem.observations(), result.simulated_at_start);

    NelderMeadOptions nm;
    nm.max_evaluations = settings.max_evaluations;
    result.estimate = nelder_mead(loss, start, problem.priors(), nm);

    const auto at_estimate =
        problem.simulate({result.estimate.minimum}, {settings.seed}, settings.replicates).front();
    const std::size_t n = problem.observations().size();
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> values;
        for (const std::vector<double>& replicate : at_estimate)
            values.push_back(replicate[i]);
        const auto stats = summarise(values);
        result.simulated_mean.push_back(stats[static_cast<std::size_t>(Statistic::mean)]);
        result.simulated_p05.push_back(stats[static_cast<std::size_t>(Statistic::p05)]);
        result.simulated_p95.push_back(stats[static_cast<std::size_t>(Statistic::p95)]);
    }

    if (settings.particles > 0) {
        AbcSmcOptions abc;
        abc.particles = settings.particles;
        abc.max_generations = settings.generations;
        abc.min_acceptance_rate = settings.min_acceptance_rate;
        abc.target_tolerance = settings.tolerance;
        abc.seed = settings.seed;
        const auto distance = [&](const std::vector<Eigen::VectorXd>& points, std::uint32_t batch) {
            std::vector<std::uint64_t> seeds;
            for (std::size_t p = 0; p < points.size(); ++p)
                seeds.push_back(abc_seed(settings.seed, batch, p));
            std::vector<double> d;
            for (const auto& by_replicate : problem.simulate(points, seeds, 1))
                d.push_back(std::sqrt(observation_loss(problem.observations(), by_replicate[0])));
            return d;
        };
        result.posterior = abc_smc(distance, problem.priors(), abc);
        result.has_posterior = true;
    }
    return result;
}

std::vector<std::size_t> draws_for_replicates(const Eigen::VectorXd& weights,
                                              std::size_t replicates) {
    if (weights.size() == 0) throw std::invalid_argument("draws_for_replicates: no draws");
    std::vector<std::size_t> chosen;
    double cumulative = weights[0];
    Eigen::Index d = 0;
    const double total = weights.sum();
    for (std::size_t r = 0; r < replicates; ++r) {
        const double u = (static_cast<double>(r) + 0.5) / static_cast<double>(replicates) * total;
        while (cumulative < u && d + 1 < weights.size())
            cumulative += weights[++d];
        chosen.push_back(static_cast<std::size_t>(d));
    }
    return chosen;
}

} // namespace ulcsim
