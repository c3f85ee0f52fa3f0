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
#include "ulcsim/store.hpp"
#include "ulcsim/text_outputs.hpp"

#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// The scenarios measured side by side as `ulcsim compare` measures them; the others must
/// already carry the base's seed (or their own, for independent seeds) and replicates.
py::dict compare(const std::vector<PyScenario>& given, const std::vector<std::string>& at,
                 int after, bool independent, const std::optional<std::filesystem::path>& output,
                 int threads, const py::object& posterior, const py::object& progress) {
    if (given.size() < 2) throw py::value_error("compare: give at least two scenarios");
    if (after < 0 || after > 1200) throw py::value_error("after must be between 0 and 1200");
    std::vector<Scenario> scenarios;
    for (const PyScenario& s : given)
        scenarios.push_back(*s);
    const RunSettings base = scenarios.front().run;
    for (const Scenario& s : scenarios)
        if (s.run.start != base.start || s.run.months != base.months ||
            s.run.replicates != base.replicates)
            throw py::value_error(
                "compare: " + s.run.name + " runs " + s.run.start.to_string() + " for " +
                std::to_string(s.run.months) + " months with " + std::to_string(s.run.replicates) +
                " replicates, " + base.name + " " + base.start.to_string() + " for " +
                std::to_string(base.months) + " months with " + std::to_string(base.replicates) +
                ": paired replicates need the same run.start, run.months and "
                "run.replicates");

    OutcomeSettings settings;
    settings.start = base.start;
    settings.months = base.months;
    settings.months_after_funding = after;
    settings.policy_costs = any_policy_costs(scenarios);
    for (const std::string& text : at) {
        const auto month = Month::parse(text);
        if (!month) throw py::value_error("at " + text + ": expected a month YYYY-MM");
        if (*month < base.start || *month > base.last_month())
            throw py::value_error("at " + text + ": outside the run (" + base.start.to_string() +
                                  " … " + base.last_month().to_string() + ")");
        settings.coverage_months.push_back(*month);
    }
    if (settings.coverage_months.empty())
        settings.coverage_months = default_coverage_months(base.start, base.months);
    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);
    std::vector<const Scenario*> all;
    for (const Scenario& s : scenarios)
        all.push_back(&s);
    // Replicate r of every scenario on the same draw, as the program pairs them.
    const std::optional<PyPosterior> chosen = choose_posterior(posterior, all);
    const auto replicates = static_cast<std::uint32_t>(base.replicates);
    const std::size_t S = scenarios.size();

    std::vector<std::vector<ReplicateOutcome>> outcomes(S,
                                                        std::vector<ReplicateOutcome>(replicates));
    std::optional<MeasuredScenarios> measured;
    run_interruptibly(
        [&](const ExecutionContext& context) {
            std::vector<std::filesystem::path> inputs;
            for (const Scenario& s : scenarios)
                inputs.insert(inputs.end(), s.source_files.begin(), s.source_files.end());
            if (chosen) inputs.push_back(chosen->file);
            std::unique_ptr<OutputSink> sink;
            std::optional<ResultFileWriter> writer;
            if (output) {
                sink = claim_output(*output, inputs);
                writer.emplace(*output, sink.get());
            }
            measured = measure_scenarios(
                scenarios, replicates, settings, runner_on(context),
                [&](std::size_t i, std::uint32_t r, const ReplicateOutcome& o) {
                    outcomes[i][r] = o;
                },
                chosen ? &chosen->draws : nullptr);
            if (writer) {
                write_comparison(*writer, scenarios, independent, measures, *measured, outcomes);
                if (chosen)
                    write_run_parameters(*writer, posterior_plan(scenarios[0], chosen->draws),
                                         chosen->source());
                // The CSV file `ulcsim compare -o` writes beside it, committed with it.
                std::filesystem::path csv = *output;
                csv.replace_extension(".csv");
                commit_with_text_files(
                    {{csv,
                      [&](std::ostream& out) {
                          write_comparison_csv(out, scenarios, measures, *measured);
                      }}},
                    [&] { writer->commit(); }, sink.get());
            }
        },
        execution_context(threads, nullptr), progress);

    std::vector<std::string> names;
    for (const Scenario& s : scenarios)
        names.push_back(s.run.name);
    return measured_result(names, measures, *measured);
}

} // namespace

void bind_compare(py::module_& m) {
    m.def("_compare", &compare, py::arg("scenarios"), py::arg("at") = std::vector<std::string>{},
          py::arg("after") = 12, py::arg("independent") = false, py::arg("output") = py::none(),
          py::arg("threads") = 0, py::arg("posterior") = py::none(),
          py::arg("progress") = py::none());
}

} // namespace ulcsim::python
