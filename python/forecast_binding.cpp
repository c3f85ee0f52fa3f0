#include "bindings.hpp"
#include "interruptible.hpp"
#include "numpy_arrays.hpp"
#include "output_claim.hpp"
#include "python_scenario.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/recorded_run.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

constexpr double never = std::numeric_limits<double>::quiet_NaN();

/// A month from the run's first as a number, NaN for −1 (never, or beyond the run), as
/// /forecast stores them.
double month_or_nan(int month) {
    return month < 0 ? never : static_cast<double>(month);
}

/// When the scenario's coverage reaches its ULC threshold (ulc.threshold, ulc.measure), as
/// `ulcsim forecast` without a posterior finds it: the replicates as they ran.
py::dict forecast(const PyScenario& scenario, const std::vector<std::string>& by,
                  const std::optional<std::filesystem::path>& output, int threads,
                  const py::object& progress) {
    const Scenario& s = *scenario;
    if (!s.run.posterior.empty())
        throw py::value_error("forecast: " + s.file.string() + " names run.posterior " +
                              s.run.posterior.string() +
                              ", and forecasts on a posterior are not in the Python module yet: "
                              "use `ulcsim forecast`");
    ForecastSettings settings;
    settings.threshold = s.ulc.threshold;
    settings.measure = s.ulc.measure;
    for (const std::string& text : by) {
        const std::optional<Month> m = Month::parse(text);
        if (!m || *m < s.run.start || *m > s.run.last_month())
            throw py::value_error("by " + text + ": expected a month YYYY-MM within the run (" +
                                  s.run.start.to_string() + " … " + s.run.last_month().to_string() +
                                  ")");
        settings.by.push_back(*m);
    }
    if (settings.by.empty()) settings.by = default_coverage_months(s.run.start, s.run.months);
    const auto replicates = static_cast<std::uint32_t>(s.run.replicates);

    std::optional<Forecast> result;
    run_interruptibly(
        [&](const ExecutionContext& context) {
            ForecastBuilder builder(s, settings, replicates);
            if (!output) {
                EnsembleOptions options;
                options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
                    builder.add(r, series);
                };
                run_ensemble(RunPlan::replicates_of(scenario.scenario), context, options);
                result = builder.finish();
                return;
            }
            // The file `ulcsim forecast -o` writes: the run file, then /forecast.
            const std::unique_ptr<OutputSink> sink = claim_output(*output, s.source_files);
            RunFileWriter writer(*output, s, run_info_of(s, context.threads), sink.get());
            RunRecording recording;
            recording.also = [&](std::uint32_t r, const ReplicateSeries& series) {
                builder.add(r, series);
            };
            record_run(writer, s, recording, runner_on(context));
            result = builder.finish();
            write_forecast(writer, *result);
            writer.commit();
        },
        execution_context(threads, nullptr), progress);

    const Forecast& f = *result;
    const std::size_t A = f.areas.size(), R = replicates, Q = forecast_quantile_levels.size();
    const std::size_t B = settings.by.size();
    py::list areas;
    for (const ForecastArea& a : f.areas)
        areas.append(py::make_tuple(a.code, a.name, std::string(a.level)));
    std::vector<double> first(A * R), quantiles(A * Q), probability(A * B), never_count(A);
    for (std::size_t a = 0; a < A; ++a) {
        for (std::size_t r = 0; r < R; ++r)
            first[a * R + r] = month_or_nan(f.first_month[a][r]);
        const FirstPassageDistribution& d = f.distributions[a];
        for (std::size_t q = 0; q < Q; ++q)
            quantiles[a * Q + q] = month_or_nan(d.quantiles[q]);
        for (std::size_t b = 0; b < B; ++b)
            probability[a * B + b] = d.probability_by[b];
        never_count[a] = static_cast<double>(d.never);
    }
    std::vector<std::string> by_names;
    for (const Month m : settings.by)
        by_names.push_back(m.to_string());
    py::dict out;
    out["threshold"] = settings.threshold;
    out["measure"] =
        std::string(coverage_measure_names[static_cast<std::size_t>(settings.measure)]);
    out["start"] = f.start.to_string();
    out["months"] = f.months;
    out["areas"] = areas;
    out["first_month"] = numpy_array(std::move(first), {A, R});
    out["quantile_level"] =
        std::vector<double>(forecast_quantile_levels.begin(), forecast_quantile_levels.end());
    out["quantile"] = numpy_array(std::move(quantiles), {A, Q});
    out["never"] = numpy_array(std::move(never_count), {A});
    out["by"] = by_names;
    out["probability_by"] = numpy_array(std::move(probability), {A, B});
    out["start_coverage_mean"] = f.start_coverage_mean;
    out["settling_level"] = f.settling_level;
    out["settling_trend"] = f.settling_trend;
    return out;
}

} // namespace

void bind_forecast(py::module_& m) {
    m.def("_forecast", &forecast, py::arg("scenario"), py::arg("by") = std::vector<std::string>{},
          py::arg("output") = py::none(), py::arg("threads") = 0, py::arg("progress") = py::none());
}

} // namespace ulcsim::python
