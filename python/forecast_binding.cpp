#include "bindings.hpp"
#include "interruptible.hpp"
#include "numpy_arrays.hpp"
#include "output_claim.hpp"
#include "posterior_choice.hpp"
#include "python_scenario.hpp"
#include "skill_table.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/forecast_plan.hpp"
#include "ulcsim/observation_columns.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/output_sink.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/text_outputs.hpp"

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

/// The held-out observations of a scored backtest and their predictions, as the backtest CSV
/// has them.
py::dict backtest_table(const Backtest& b) {
    const std::size_t O = b.held_out.size(), Q = backtest_levels.size();
    std::vector<std::string> labels;
    std::vector<double> observed, mean, quantiles, error, persistence, trend;
    std::vector<bool> inside_80, inside_95;
    for (std::size_t i = 0; i < O; ++i) {
        const BacktestRow& row = b.rows[i];
        labels.push_back(observation_label(b.held_out[i]));
        observed.push_back(b.held_out[i].value);
        mean.push_back(row.mean);
        quantiles.insert(quantiles.end(), row.quantiles.begin(), row.quantiles.end());
        error.push_back(row.error);
        inside_80.push_back(row.inside_80);
        inside_95.push_back(row.inside_95);
        persistence.push_back(row.persistence);
        trend.push_back(row.linear_trend);
    }
    py::dict out;
    out["cut_off"] = b.cut_off.to_string();
    out["label"] = labels;
    out["observed"] = numpy_array(std::move(observed), {O});
    out["mean"] = numpy_array(std::move(mean), {O});
    out["quantile_level"] = std::vector<double>(backtest_levels.begin(), backtest_levels.end());
    out["quantile"] = numpy_array(std::move(quantiles), {O, Q});
    out["error"] = numpy_array(std::move(error), {O});
    out["inside_80"] = inside_80;
    out["inside_95"] = inside_95;
    out["persistence"] = numpy_array(std::move(persistence), {O});
    out["linear_trend"] = numpy_array(std::move(trend), {O});
    return out;
}

/// When the scenario's coverage reaches its ULC threshold (ulc.threshold, ulc.measure), as
/// `ulcsim forecast` finds it, through the same library calls: on the scenario's values, a
/// posterior, or the posterior of a backtest's calibration.
py::dict forecast(const PyScenario& scenario, const std::vector<std::string>& by,
                  const std::optional<std::filesystem::path>& output, int threads,
                  const py::object& posterior, const std::string& backtest, bool rolling,
                  const CalibrationOptions& calibration, const py::object& progress) {
    const Scenario& s = *scenario;
    std::vector<Month> by_months;
    for (const std::string& text : by) {
        const std::optional<Month> m = Month::parse(text);
        if (!m) throw OptionError("--by " + text + ": expected a month YYYY-MM");
        if (*m < s.run.start || *m > s.run.last_month())
            throw OptionError("--by " + text + ": outside the run (" + s.run.start.to_string() +
                              " … " + s.run.last_month().to_string() +
                              "); --months makes the run longer");
        by_months.push_back(*m);
    }
    ForecastParameterOptions options;
    options.backtest = backtest;
    options.rolling = rolling;
    options.calibration = calibration;
    std::vector<std::filesystem::path> inputs = s.source_files;
    // A backtest makes its own posterior.
    if (backtest.empty() && !rolling)
        if (std::optional<PyPosterior> chosen = choose_posterior(posterior, {&s})) {
            inputs.push_back(chosen->file);
            options.posterior =
                ChosenDraws{chosen->file, chosen->of_scenario, std::move(chosen->draws)};
        }

    std::optional<ForecastParameters> parameters;
    std::optional<ForecastSettings> settings;
    std::optional<RecordedForecast> recorded;
    std::vector<std::filesystem::path> written;
    run_interruptibly(
        [&](const ExecutionContext& context) {
            // Claimed before anything runs, as the program claims its output.
            OutputSink memory(true);
            std::unique_ptr<OutputSink> sink;
            if (output) sink = claim_output(*output, inputs);
            ForecastParameterProgress report;
            report.on_batch = [&context](std::int64_t simulations) {
                if (context.on_progress)
                    context.on_progress(EnsembleProgress{simulations, 0, 0, 0});
            };
            parameters.emplace(forecast_parameters(s, options, context, report));
            settings.emplace(forecast_settings(s, by_months, *parameters));
            // Without an output the run file is kept in memory and dropped: the same calls.
            const std::filesystem::path path =
                output ? *output : std::filesystem::path(s.run.name + "-forecast.h5");
            OutputSink* target = output ? sink.get() : &memory;
            RunFileWriter writer(path, s, run_info_of(s, context.threads), target);
            recorded.emplace(
                record_forecast(writer, s, *settings, *parameters, runner_on(context)));
            if (!output) return;
            const std::vector<TextOutput> texts =
                forecast_text_outputs(ForecastPaths(*output), s, *recorded, *parameters);
            commit_with_text_files(
                texts, [&] { writer.commit(); }, target);
            written.push_back(*output);
            for (const TextOutput& text : texts)
                written.push_back(text.path);
        },
        execution_context(threads, nullptr), progress);

    const Forecast& f = recorded->forecast;
    const auto replicates = static_cast<std::size_t>(s.run.replicates);
    const std::size_t A = f.areas.size(), R = replicates, Q = forecast_quantile_levels.size();
    const std::size_t B = settings->by.size();
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
    for (const Month m : settings->by)
        by_names.push_back(m.to_string());
    py::dict out;
    out["threshold"] = settings->threshold;
    out["measure"] =
        std::string(coverage_measure_names[static_cast<std::size_t>(settings->measure)]);
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

    // Where the parameters came from and what the backtests measured.
    const ForecastParameters& p = *parameters;
    out["parameter_source"] =
        p.per_replicate ? py::object(py::str(p.parameter_source)) : py::none();
    if (p.per_replicate) {
        const std::size_t P = p.per_replicate->keys.size();
        std::vector<double> values;
        for (const std::vector<double>& v : p.per_replicate->values)
            values.insert(values.end(), v.begin(), v.end());
        py::dict parameters_by_replicate;
        parameters_by_replicate["keys"] = p.per_replicate->keys;
        parameters_by_replicate["draw"] = p.per_replicate->draw;
        parameters_by_replicate["values"] = numpy_array(std::move(values), {R, P});
        out["replicate_parameters"] = parameters_by_replicate;
    } else {
        out["replicate_parameters"] = py::none();
    }
    out["written"] = written;
    out["skill"] = p.skill ? py::object(skill_table(*p.skill)) : py::none();
    out["backtest"] = p.backtest ? py::object(backtest_table(*p.backtest)) : py::none();
    if (settings->discrepancy) {
        py::dict d;
        d["from"] = settings->discrepancy->from.to_string();
        d["sd_at_cut_off"] = settings->discrepancy->discrepancy.standard_deviation(0);
        d["sd_a_year_on"] = settings->discrepancy->discrepancy.standard_deviation(12);
        out["discrepancy"] = d;
    } else {
        out["discrepancy"] = py::none();
    }
    return out;
}

} // namespace

void bind_forecast(py::module_& m) {
    m.def(
        "_forecast",
        [](const PyScenario& scenario, const std::vector<std::string>& by,
           const std::optional<std::filesystem::path>& output, int threads,
           const py::object& posterior, const std::string& backtest, bool rolling,
           const std::vector<std::string>& fit, const std::vector<std::string>& priors,
           int evaluations, int loss_replicates, int particles, int generations, double tolerance,
           const py::object& progress) {
            CalibrationOptions calibration;
            calibration.fit = fit;
            calibration.priors = priors;
            calibration.evaluations = evaluations;
            calibration.loss_replicates = loss_replicates;
            calibration.particles = particles;
            calibration.generations = generations;
            calibration.tolerance_pp = tolerance;
            return forecast(scenario, by, output, threads, posterior, backtest, rolling,
                            calibration, progress);
        },
        py::arg("scenario"), py::arg("by") = std::vector<std::string>{},
        py::arg("output") = py::none(), py::arg("threads") = 0, py::arg("posterior") = py::none(),
        py::arg("backtest") = "", py::arg("rolling") = false,
        py::arg("fit") = std::vector<std::string>{}, py::arg("priors") = std::vector<std::string>{},
        py::arg("evaluations") = 200, py::arg("loss_replicates") = 4, py::arg("particles") = 100,
        py::arg("generations") = 10, py::arg("tolerance") = 0.5, py::arg("progress") = py::none());
}

} // namespace ulcsim::python
