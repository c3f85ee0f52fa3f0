#include "bindings.hpp"
#include "interruptible.hpp"
#include "numpy_arrays.hpp"
#include "output_claim.hpp"
#include "posterior_choice.hpp"
#include "python_errors.hpp"
#include "python_scenario.hpp"
#include "ulcsim/checkpoint.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/recorded_run.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/text_outputs.hpp"

#include <cstring>
#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// The runner of every Python call that simulates: the memory check `ulcsim` makes (against
/// this machine's memory), then the ensemble.
PlanRunner checked_runner(const ExecutionContext& context) {
    return [&context](const RunPlan& plan, const EnsembleOptions& options) {
        const MemoryBudget budget = memory_budget();
        const MemoryCheck check = check_memory(plan, options, context, budget.bytes);
        if (!check.fits)
            throw NotEnoughMemory(
                "not enough memory: this run needs up to " +
                std::to_string(check.estimate.total() / 1'000'000) + " MB, more than " +
                std::to_string(static_cast<std::uint64_t>(check.limit) / 1'000'000) + " MB (" +
                budget.source +
                "); fewer threads, fewer replicates or a larger population.scale would fit");
        run_ensemble(plan, context, options);
    };
}

void run_into_file(const PyScenario& scenario, const std::filesystem::path& output, int threads,
                   const std::string& keep, const std::optional<std::string>& checkpoint_at,
                   const std::optional<std::filesystem::path>& from_checkpoint,
                   const py::object& posterior, const py::object& progress) {
    if (keep != "all" && keep != "summaries")
        throw py::value_error("keep must be 'all' or 'summaries', not '" + keep + "'");
    RunRecording recording;
    if (checkpoint_at) {
        const std::optional<Month> m = Month::parse(*checkpoint_at);
        const Month last = scenario->run.last_month() + 1;
        if (!m || !(scenario->run.start < *m && *m <= last))
            throw py::value_error("checkpoint_at '" + *checkpoint_at +
                                  "' must be a month YYYY-MM after the run's first month " +
                                  scenario->run.start.to_string() + " and no later than " +
                                  last.to_string());
        recording.checkpoint_at = *m;
    }
    // A branch: the scenario must start at the checkpoint's month on its seed (run() loads
    // it so), and check_branch says what else it may not change.
    std::unique_ptr<CheckpointReader> checkpoint;
    if (from_checkpoint) {
        checkpoint = std::make_unique<CheckpointReader>(*from_checkpoint);
        check_branch(*scenario, checkpoint->info());
        recording.from_checkpoint = checkpoint.get();
        recording.from_checkpoint_name = from_checkpoint->string();
    }
    std::vector<std::filesystem::path> inputs = scenario->source_files;
    if (from_checkpoint) inputs.push_back(*from_checkpoint);
    const std::optional<PyPosterior> chosen =
        choose_posterior(posterior, {scenario.scenario.get()});
    std::optional<PosteriorPlan> per_replicate;
    if (chosen) {
        per_replicate = posterior_plan(*scenario, chosen->draws);
        recording.per_replicate = &*per_replicate;
        recording.parameter_source = chosen->source();
        inputs.push_back(chosen->file);
    }
    const bool keep_replicates = keep == "all";
    const int recorded_threads = threads_used(threads);
    run_interruptibly(
        [&](const ExecutionContext& context) {
            const std::unique_ptr<OutputSink> sink = claim_output(output, scenario->source_files);
            ExecutionContext writing = context;
            writing.output = sink.get();
            RunFileWriter writer(output, *scenario,
                                 run_info_of(*scenario, recorded_threads, keep_replicates),
                                 sink.get());
            const RecordedRun recorded =
                record_run(writer, *scenario, recording, checked_runner(writing));
            // The CSV files `ulcsim run -o` writes beside the run file, committed with it.
            std::filesystem::path summary_csv = output, programmes_csv = output;
            summary_csv.replace_extension(".summary.csv");
            programmes_csv.replace_extension(".programmes.csv");
            commit_with_text_files(
                {{summary_csv,
                  [&](std::ostream& out) { write_summary_csv(out, *scenario, recorded.summary); }},
                 {programmes_csv,
                  [&](std::ostream& out) {
                      write_programmes_csv(out, *scenario, recorded.summary);
                  }}},
                [&] { writer.commit(); }, sink.get());
        },
        execution_context(threads, nullptr), progress);
}

/// Every replicate's series kept in memory: per metric [replicate, month, region, segment]
/// and per programme metric [replicate, month, programme], as a run file's /series and
/// /programs hold them.
py::dict run_in_memory(const PyScenario& scenario, int threads, const py::object& posterior,
                       const py::object& progress) {
    const Scenario& s = *scenario;
    const std::optional<PyPosterior> chosen = choose_posterior(posterior, {&s});
    const RunPlan plan =
        chosen ? posterior_plan(s, chosen->draws).plan : RunPlan::replicates_of(scenario.scenario);
    const std::size_t R = static_cast<std::size_t>(s.run.replicates);
    const std::size_t T = static_cast<std::size_t>(s.run.months);
    const std::size_t K = s.regions.size(), J = s.programmes.size();
    const std::size_t block = T * K * segment_count, programme_block = T * J;
    std::vector<std::vector<double>> series(series_metric_count, std::vector<double>(R * block));
    std::vector<std::vector<double>> programmes(programme_metric_count,
                                                std::vector<double>(R * programme_block));
    run_interruptibly(
        [&](const ExecutionContext& context) {
            EnsembleOptions options;
            options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& out) {
                for (std::size_t m = 0; m < series_metric_count; ++m)
                    std::memcpy(series[m].data() + r * block, out.series.data() + m * block,
                                block * sizeof(double));
                for (std::size_t m = 0; m < programme_metric_count; ++m)
                    std::memcpy(programmes[m].data() + r * programme_block,
                                out.programme_series.data() + m * programme_block,
                                programme_block * sizeof(double));
            };
            checked_runner(context)(plan, options);
        },
        execution_context(threads, nullptr), progress);
    py::dict by_metric, by_programme_metric;
    for (std::size_t m = 0; m < series_metric_count; ++m)
        by_metric[py::str(std::string(series_metric_names[m]))] =
            numpy_array(std::move(series[m]), {R, T, K, segment_count});
    for (std::size_t m = 0; m < programme_metric_count; ++m)
        by_programme_metric[py::str(std::string(programme_metric_names[m]))] =
            numpy_array(std::move(programmes[m]), {R, T, J});
    py::dict result;
    result["series"] = by_metric;
    result["programs"] = by_programme_metric;
    return result;
}

} // namespace

void bind_run(py::module_& m) {
    m.def("_run_to_file", &run_into_file, py::arg("scenario"), py::arg("output"),
          py::arg("threads") = 0, py::arg("keep") = "all", py::arg("checkpoint_at") = py::none(),
          py::arg("from_checkpoint") = py::none(), py::arg("posterior") = py::none(),
          py::arg("progress") = py::none());
    m.def(
        "_checkpoint_info",
        [](const std::filesystem::path& run_file) {
            const CheckpointReader reader(run_file);
            const CheckpointInfo& c = reader.info();
            py::dict d;
            d["seed"] = c.seed;
            d["replicates"] = c.replicates;
            d["month"] = c.month.to_string();
            d["origin_month"] = c.origin.to_string();
            return d;
        },
        py::arg("run_file"));
    m.def("_run_in_memory", &run_in_memory, py::arg("scenario"), py::arg("threads") = 0,
          py::arg("posterior") = py::none(), py::arg("progress") = py::none());
}

} // namespace ulcsim::python
