#include "bindings.hpp"
#include "interruptible.hpp"
#include "measured_result.hpp"
#include "output_claim.hpp"
#include "posterior_choice.hpp"
#include "python_scenario.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/sweep_grid.hpp"
#include "ulcsim/text_outputs.hpp"

#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <utility>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// An axis as `--vary KEY=V1,V2,…` makes it: each value read from its text as the key's
/// type, the text its label.
SweepAxis axis_of(const std::string& key_path, const std::vector<std::string>& texts) {
    const ScenarioKey* key = find_scenario_key(key_path);
    if (!key) {
        const auto unknown = unknown_scenario_key(key_path);
        throw py::key_error("sweep: " + unknown->key + ": " + unknown->message);
    }
    if (!key->variable)
        throw py::value_error("sweep: " + key_path +
                              " cannot be varied (`ulcsim keys --variable` lists the keys that "
                              "can; run.* are the scenario's own settings)");
    if (texts.empty()) throw py::value_error("sweep: " + key_path + " has no values");
    SweepAxis axis{key_path, {}, {}};
    for (const std::string& text : texts) {
        try {
            axis.values.push_back(parse_scenario_value(*key, text));
        } catch (const std::invalid_argument& e) {
            throw py::value_error("sweep: " + key_path + "=" + text + ": " + e.what());
        }
        axis.labels.push_back(text);
    }
    return axis;
}

/// Every point of the grid measured as `ulcsim sweep` measures them: the same seed and
/// replicates, coverage in the last month, differences against the first point.
py::dict sweep(const PyScenario& base,
               const std::vector<std::pair<std::string, std::vector<std::string>>>& grid, int after,
               const std::optional<std::filesystem::path>& output, int threads,
               const py::object& posterior, const py::object& progress) {
    if (grid.empty()) throw py::value_error("sweep: give at least one key to vary");
    if (after < 0 || after > 1200) throw py::value_error("after must be between 0 and 1200");
    std::vector<SweepAxis> axes;
    std::size_t points = 1;
    for (const auto& [key, texts] : grid) {
        axes.push_back(axis_of(key, texts));
        points *= axes.back().values.size();
        if (points > 10'000) throw py::value_error("sweep: more than 10000 grid points");
    }
    std::vector<Scenario> scenarios;
    {
        py::gil_scoped_release release;
        scenarios = grid_scenarios(*base, axes);
    }
    const RunSettings& run = scenarios.front().run;
    OutcomeSettings settings;
    settings.start = run.start;
    settings.months = run.months;
    settings.months_after_funding = after;
    settings.policy_costs = any_policy_costs(scenarios);
    settings.coverage_months = {run.last_month()};
    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);
    const auto replicates = static_cast<std::uint32_t>(run.replicates);
    // Every grid point's replicate r on the same draw, as the program pairs them.
    const std::optional<PyPosterior> chosen = choose_posterior(posterior, {base.scenario.get()});

    std::optional<MeasuredScenarios> measured;
    run_interruptibly(
        [&](const ExecutionContext& context) {
            std::unique_ptr<OutputSink> sink;
            std::optional<ResultFileWriter> writer;
            if (output) {
                std::vector<std::filesystem::path> inputs = base->source_files;
                if (chosen) inputs.push_back(chosen->file);
                sink = claim_output(*output, inputs);
                writer.emplace(*output, sink.get());
            }
            measured = measure_scenarios(scenarios, replicates, settings, runner_on(context), {},
                                         chosen ? &chosen->draws : nullptr);
            if (writer) {
                write_sweep(*writer, axes, scenarios, measures, *measured);
                if (chosen)
                    write_run_parameters(*writer, posterior_plan(scenarios[0], chosen->draws),
                                         chosen->source());
                // The CSV file `ulcsim sweep -o` writes beside it, committed with it.
                std::filesystem::path csv = *output;
                csv.replace_extension(".csv");
                commit_with_text_files(
                    {{csv,
                      [&](std::ostream& out) { write_sweep_csv(out, axes, measures, *measured); }}},
                    [&] { writer->commit(); }, sink.get());
            }
        },
        execution_context(threads, nullptr), progress);

    std::vector<std::string> names;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        std::string name;
        const std::vector<std::size_t> at = grid_coordinates(axes, i);
        for (std::size_t a = 0; a < axes.size(); ++a)
            name += (a ? ", " : "") + axes[a].key + "=" + axes[a].labels[at[a]];
        names.push_back(name);
    }
    py::dict result = measured_result(names, measures, *measured);
    py::list axis_rows;
    for (const SweepAxis& a : axes)
        axis_rows.append(py::make_tuple(a.key, a.labels));
    result["axes"] = axis_rows;
    return result;
}

} // namespace

void bind_sweep(py::module_& m) {
    m.def("_sweep", &sweep, py::arg("scenario"), py::arg("grid"), py::arg("after") = 12,
          py::arg("output") = py::none(), py::arg("threads") = 0, py::arg("posterior") = py::none(),
          py::arg("progress") = py::none());
}

} // namespace ulcsim::python
