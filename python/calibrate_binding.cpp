#include "bindings.hpp"
#include "interruptible.hpp"
#include "numpy_arrays.hpp"
#include "output_claim.hpp"
#include "python_scenario.hpp"
#include "skill_table.hpp"
#include "ulcsim/calibration_plan.hpp"
#include "ulcsim/observation_columns.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/output_sink.hpp"

#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

std::vector<double> vector_of(const Eigen::VectorXd& v) {
    return std::vector<double>(v.data(), v.data() + v.size());
}

/// The calibration's numbers as Python receives them: the parameters, the observations with
/// what was simulated for them, the optimiser's losses, the posterior and the skill.
py::dict calibration_result(const CalibrationPlan& plan, const CalibrationOutcome& outcome) {
    const CalibrationResult& r = outcome.result;
    const std::vector<CalibrationParameter>& parameters = outcome.problem.parameters();
    const std::size_t P = parameters.size();
    py::dict out;
    std::vector<std::string> keys;
    std::vector<double> start, lower, upper;
    for (const CalibrationParameter& p : parameters) {
        keys.push_back(p.key);
        start.push_back(p.start);
        lower.push_back(p.prior.lower);
        upper.push_back(p.prior.upper);
    }
    out["keys"] = keys;
    out["start"] = numpy_array(std::move(start), {P});
    out["prior_lower"] = numpy_array(std::move(lower), {P});
    out["prior_upper"] = numpy_array(std::move(upper), {P});
    out["estimate"] = numpy_array(vector_of(r.estimate.minimum), {P});
    out["start_loss"] = r.start_loss;
    out["estimate_loss"] = r.estimate.loss;
    out["evaluations"] = r.estimate.evaluations;
    out["stopped_because"] = r.estimate.stopped_because;
    out["best_loss_by_iteration"] = r.estimate.best_loss_by_iteration;

    const std::vector<Observation>& observations = outcome.problem.observations();
    const std::size_t O = observations.size();
    std::vector<std::string> labels;
    std::vector<double> observed, weight;
    for (const Observation& o : observations) {
        labels.push_back(observation_label(o));
        observed.push_back(o.value);
        weight.push_back(o.weight);
    }
    py::dict obs;
    obs["label"] = labels;
    obs["observed"] = numpy_array(std::move(observed), {O});
    obs["weight"] = numpy_array(std::move(weight), {O});
    obs["simulated_at_start"] = numpy_array(std::vector<double>(r.simulated_at_start), {O});
    obs["simulated_mean"] = numpy_array(std::vector<double>(r.simulated_mean), {O});
    obs["simulated_p05"] = numpy_array(std::vector<double>(r.simulated_p05), {O});
    obs["simulated_p95"] = numpy_array(std::vector<double>(r.simulated_p95), {O});
    out["observations"] = obs;

    out["has_posterior"] = r.has_posterior;
    if (r.has_posterior) {
        const AbcPosterior& post = r.posterior;
        const auto D = static_cast<std::size_t>(post.draws.rows());
        std::vector<double> draws(D * P);
        for (std::size_t d = 0; d < D; ++d)
            for (std::size_t p = 0; p < P; ++p)
                draws[d * P + p] =
                    post.draws(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(p));
        py::dict posterior;
        posterior["draws"] = numpy_array(std::move(draws), {D, P});
        posterior["weights"] = numpy_array(vector_of(post.weights), {D});
        posterior["distances"] = numpy_array(std::vector<double>(post.distances), {D});
        posterior["tolerances"] = post.tolerances;
        posterior["acceptance_rates"] = post.acceptance_rates;
        posterior["simulations"] = post.simulations;
        posterior["stopped_because"] = post.stopped_because;
        out["posterior"] = posterior;
    }
    out["skill"] = outcome.skill ? py::object(skill_table(*outcome.skill)) : py::none();
    out["scenario"] = plan.scenario.run.name;
    return out;
}

/// `ulcsim calibrate`: the plan from the same options (their errors InputError with the
/// program's message), the calibration on its own thread, and with an output the files the
/// program writes, byte for byte.
py::dict calibrate(const PyScenario& scenario, const std::vector<std::string>& overrides,
                   const CalibrationOptions& options, const std::optional<std::string>& until,
                   bool skill, const std::optional<std::filesystem::path>& output, int threads,
                   const py::object& progress) {
    std::optional<Month> cut_off;
    if (until) {
        cut_off = Month::parse(*until);
        if (!cut_off) throw OptionError("--until " + *until + ": expected a month YYYY-MM");
    }
    if (output && scenario->file.empty())
        throw py::value_error("calibrate: the calibrated scenario extends the scenario's file, "
                              "and this scenario has none (Scenario.from_toml): load it from a "
                              "file to write one");
    const CalibrationPlan plan = plan_calibration(*scenario, overrides, options, cut_off, skill);
    std::optional<CalibrationOutcome> outcome;
    std::vector<std::filesystem::path> written;
    run_interruptibly(
        [&](const ExecutionContext& context) {
            std::unique_ptr<OutputSink> sink;
            if (output) sink = claim_output(*output, scenario->source_files);
            CalibrationProgress report;
            // The simulations run so far, as the calibration's progress.
            report.on_batch = [&context](std::int64_t simulations) {
                if (context.on_progress)
                    context.on_progress(EnsembleProgress{simulations, 0, 0, 0});
            };
            // The ensembles inside report nothing of their own: a calibration's length is its
            // simulations.
            ExecutionContext quiet = context;
            quiet.on_progress = nullptr;
            outcome.emplace(run_calibration_plan(plan, quiet, report));
            if (!output) return;
            const CalibrationPaths paths(*output);
            write_calibration(plan, *outcome, paths, sink.get());
            written = {paths.scenario, paths.fit, paths.fit_csv, paths.posterior_csv};
            if (outcome->skill) written.insert(written.end(), {paths.skill_csv, paths.rolling_csv});
        },
        execution_context(threads, nullptr), progress);
    py::dict result = calibration_result(plan, *outcome);
    result["written"] = written;
    return result;
}

} // namespace

void bind_calibrate(py::module_& m) {
    m.def(
        "_calibrate",
        [](const PyScenario& scenario, const std::vector<std::string>& overrides,
           const std::vector<std::string>& fit, const std::vector<std::string>& priors,
           int evaluations, int loss_replicates, int particles, int generations, double tolerance,
           const std::optional<std::string>& until, bool skill,
           const std::optional<std::filesystem::path>& output, int threads,
           const py::object& progress) {
            CalibrationOptions options;
            options.fit = fit;
            options.priors = priors;
            options.evaluations = evaluations;
            options.loss_replicates = loss_replicates;
            options.particles = particles;
            options.generations = generations;
            options.tolerance_pp = tolerance;
            return calibrate(scenario, overrides, options, until, skill, output, threads, progress);
        },
        py::arg("scenario"), py::arg("overrides"), py::arg("fit"), py::arg("priors"),
        py::arg("evaluations"), py::arg("loss_replicates"), py::arg("particles"),
        py::arg("generations"), py::arg("tolerance"), py::arg("until"), py::arg("skill"),
        py::arg("output"), py::arg("threads"), py::arg("progress"));
}

} // namespace ulcsim::python
