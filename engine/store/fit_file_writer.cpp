// The writers of the fit family (ulcsim/fit_file.hpp): the HDF5 groups and the two CSVs.

#include "dataset_names.hpp"
#include "ulcsim/csv_format.hpp"
#include "ulcsim/fit_file.hpp"

namespace ulcsim {

void write_fit_meta(ArrayWriter& out, const Scenario& scenario,
                    const std::string& calibrated_scenario) {
    out.write_attribute(dataset::meta, "scenario_file", scenario.file.string());
    out.write_attribute(dataset::meta, "scenario_toml", scenario.resolved_toml);
    out.write_attribute(dataset::meta, "calibrated_scenario", calibrated_scenario);
}

void write_fit(ArrayWriter& out, const CalibrationProblem& problem, const CalibrationResult& r) {
    const auto& parameters = problem.parameters();
    const std::size_t P = parameters.size();
    std::vector<std::string> keys;
    std::vector<double> start, lower, upper, estimate, mean, p05, p95;
    const Eigen::VectorXd posterior =
        r.has_posterior ? posterior_mean(r.posterior) : Eigen::VectorXd();
    for (std::size_t i = 0; i < P; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        keys.push_back(parameters[i].key);
        start.push_back(parameters[i].start);
        lower.push_back(parameters[i].prior.lower);
        upper.push_back(parameters[i].prior.upper);
        estimate.push_back(r.estimate.minimum[e]);
        if (r.has_posterior) {
            mean.push_back(posterior[e]);
            p05.push_back(weighted_quantile(r.posterior, i, 0.05));
            p95.push_back(weighted_quantile(r.posterior, i, 0.95));
        }
    }
    out.write_strings(dataset::in(dataset::fit_parameters, "key"), keys, "parameter",
                      "scenario key");
    const auto per_parameter = [&](const std::string& name, const std::vector<double>& v) {
        out.write_array(dataset::in(dataset::fit_parameters, name), {P}, {"parameter"},
                        "the parameter's units", v);
    };
    per_parameter("start", start);
    per_parameter("prior_lower", lower);
    per_parameter("prior_upper", upper);
    per_parameter("estimate", estimate);

    const auto& observations = problem.observations();
    const std::size_t N = observations.size();
    write_observation_columns(out, dataset::fit_observations, observations,
                              ObservationDetail::with_measure_and_source);
    std::vector<double> weight, error_band;
    for (const Observation& o : observations) {
        weight.push_back(o.weight);
        error_band.push_back(o.error_band);
    }
    const auto per_observation = [&](const std::string& name, const std::string& units,
                                     const std::vector<double>& v) {
        out.write_array(dataset::in(dataset::fit_observations, name), {N}, {"observation"}, units,
                        v);
    };
    per_observation("weight", "weight in the loss", weight);
    per_observation("error_band", "share (half-width; errors within it are not counted)",
                    error_band);
    per_observation("simulated_at_start", "share (mean over replicates)", r.simulated_at_start);
    per_observation("simulated_mean", "share (mean over replicates, at the estimate)",
                    r.simulated_mean);
    per_observation("simulated_p05", "share (at the estimate)", r.simulated_p05);
    per_observation("simulated_p95", "share (at the estimate)", r.simulated_p95);

    out.write_array(dataset::in(dataset::fit_optimiser, "loss"), {2}, {"start_estimate"},
                    "share² (weighted mean squared error)", {r.start_loss, r.estimate.loss});
    out.write_array(dataset::in(dataset::fit_optimiser, "best_loss_by_iteration"),
                    {r.estimate.best_loss_by_iteration.size()}, {"iteration"}, "share²",
                    r.estimate.best_loss_by_iteration);
    out.write_attribute(dataset::fit_optimiser, "method",
                        "Nelder-Mead (adaptive, projected onto the prior)");
    out.write_attribute(dataset::fit_optimiser, "stopped_because", r.estimate.stopped_because);
    out.write_attribute(dataset::fit_optimiser, "evaluations",
                        std::to_string(r.estimate.evaluations));

    if (!r.has_posterior) return;
    per_parameter("posterior_mean", mean);
    per_parameter("posterior_p05", p05);
    per_parameter("posterior_p95", p95);
    const AbcPosterior& post = r.posterior;
    const auto D = static_cast<std::size_t>(post.draws.rows());
    std::vector<double> draws;
    for (std::size_t d = 0; d < D; ++d)
        for (std::size_t i = 0; i < P; ++i)
            draws.push_back(post.draws(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(i)));
    out.write_strings(dataset::in(dataset::fit_posterior, "parameter"), keys, "parameter",
                      "scenario key");
    out.write_array(dataset::in(dataset::fit_posterior, "draws"), {D, P}, {"draw", "parameter"},
                    "the parameters' units", draws);
    out.write_array(dataset::in(dataset::fit_posterior, "weights"), {D}, {"draw"},
                    "probability (sum 1)",
                    {post.weights.data(), post.weights.data() + post.weights.size()});
    out.write_array(dataset::in(dataset::fit_posterior, "distances"), {D}, {"draw"},
                    "share (root mean squared error)", post.distances);
    out.write_array(dataset::in(dataset::fit_posterior, "tolerances"), {post.tolerances.size()},
                    {"generation"}, "share (root mean squared error)", post.tolerances);
    out.write_array(dataset::in(dataset::fit_posterior, "acceptance_rates"),
                    {post.acceptance_rates.size()}, {"generation"}, "share", post.acceptance_rates);
    out.write_attribute(dataset::fit_posterior, "method",
                        "ABC-SMC (Beaumont et al. 2009), uniform prior on /parameters/prior_*");
    out.write_attribute(dataset::fit_posterior, "stopped_because", post.stopped_because);
}

void write_fit_csv(std::ostream& out, const CalibrationProblem& problem,
                   const CalibrationResult& r) {
    out << observation_csv_header
        << ",weight,error_band,simulated_at_start,simulated_mean,simulated_p05,simulated_p95,"
           "source\n";
    const auto& observations = problem.observations();
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        out << observation_csv_cells(o) << ',' << csv_number(o.weight) << ','
            << csv_number(o.error_band) << ',' << csv_number(r.simulated_at_start[i]) << ','
            << csv_number(r.simulated_mean[i]) << ',' << csv_number(r.simulated_p05[i]) << ','
            << csv_number(r.simulated_p95[i]) << ',' << csv_field(o.source) << '\n';
    }
}

void write_posterior_csv(std::ostream& out, const CalibrationProblem& problem,
                         const CalibrationResult& r) {
    out << "draw,weight,distance";
    for (const CalibrationParameter& p : problem.parameters())
        out << ',' << p.key;
    out << '\n';
    if (!r.has_posterior) return;
    for (Eigen::Index d = 0; d < r.posterior.draws.rows(); ++d) {
        out << d << ',' << csv_number(r.posterior.weights[d]) << ','
            << csv_number(r.posterior.distances[static_cast<std::size_t>(d)]);
        for (Eigen::Index i = 0; i < r.posterior.draws.cols(); ++i)
            out << ',' << csv_number(r.posterior.draws(d, i));
        out << '\n';
    }
}

} // namespace ulcsim
