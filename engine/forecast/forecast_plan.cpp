#include "ulcsim/forecast_plan.hpp"

#include "ulcsim/backtest_file.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/observation_tracks.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/skill_file.hpp"

#include <algorithm>
#include <sstream>

namespace ulcsim {

namespace {

Month cut_off_month(const std::string& text) {
    const std::optional<Month> month = Month::parse(text);
    if (!month) throw OptionError("--backtest " + text + ": expected a month YYYY-MM");
    return *month;
}

/// The cut-offs of `--backtest A,B,…`: months, each with observations before it to fit and
/// from it on to predict, in order and once each.
std::vector<Month> listed_cut_offs(const Scenario& scenario, const std::string& text) {
    std::vector<Month> cut_offs;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        const Month m = cut_off_month(item);
        const auto before =
            std::count_if(scenario.observations.begin(), scenario.observations.end(),
                          [&](const Observation& o) { return o.month < m; });
        if (before == 0)
            throw OptionError("--backtest " + item + ": no observations before " + item +
                              " to fit");
        if (before == static_cast<std::ptrdiff_t>(scenario.observations.size()))
            throw OptionError("--backtest " + item + ": no observations from " + item +
                              " on to predict");
        cut_offs.push_back(m);
    }
    std::sort(cut_offs.begin(), cut_offs.end());
    cut_offs.erase(std::unique(cut_offs.begin(), cut_offs.end()), cut_offs.end());
    return cut_offs;
}

} // namespace

ForecastParameters forecast_parameters(const Scenario& scenario,
                                       const ForecastParameterOptions& options,
                                       const ExecutionContext& context,
                                       const ForecastParameterProgress& progress) {
    ForecastParameters p;
    const bool backtesting = !options.backtest.empty() || options.rolling;
    const CalibrationOptions& calibration = options.calibration;
    // Without --fit a backtest scores the scenario as it is: the skill of its priors.
    p.as_it_is = backtesting && calibration.fit.empty();
    const bool several_cut_offs =
        options.rolling || options.backtest.find(',') != std::string::npos || p.as_it_is;
    if (several_cut_offs) {
        std::vector<CalibrationParameter> parameters;
        if (!p.as_it_is) parameters = calibration.parameters(scenario);
        const CalibrationSettings calibration_settings = calibration.settings(scenario);
        if (!p.as_it_is && calibration_settings.particles == 0)
            throw OptionError("--backtest needs a posterior: --particles must not be 0");
        const std::vector<Month> cut_offs = options.rolling
                                                ? rolling_cut_offs(scenario, parameters.size())
                                                : listed_cut_offs(scenario, options.backtest);
        if (cut_offs.empty())
            throw OptionError("--rolling: " + scenario.file.string() +
                              " has no month with an observation and at least " +
                              std::to_string(parameters.size()) +
                              " observations before it (add dated [[observation]]s)");
        p.rolling = run_rolling_backtest(
            scenario, parameters, cut_offs, calibration_settings, context,
            progress.on_rolling_start ? progress.on_rolling_start(cut_offs.size())
                                      : OriginFitted{});
        p.skill = summarise_rolling(*p.rolling);
        // The forecast itself, /backtest and the fit stored are the last cut-off's, as a
        // single backtest's are.
        const BacktestOrigin& last = p.rolling->origins.back();
        p.backtest = Backtest::holding_out(scenario, last.backtest.cut_off,
                                           static_cast<std::size_t>(scenario.run.replicates));
        if (!p.as_it_is) {
            p.backtest_problem.emplace(scenario, parameters, last.fitted, context);
            p.backtest_fit = last.fit;
            p.per_replicate = posterior_plan(scenario, parameters, last.fit.posterior);
            p.parameter_source = "rolling backtest: ABC-SMC on the observations before " +
                                 last.backtest.cut_off.to_string();
        }
        p.fitted_until = last.backtest.cut_off;
    } else if (!options.backtest.empty()) {
        const std::string& text = options.backtest;
        p.backtest = Backtest::holding_out(scenario, cut_off_month(text),
                                           static_cast<std::size_t>(scenario.run.replicates));
        if (p.backtest->held_out.empty())
            throw OptionError("--backtest " + text + ": no observations from " + text +
                              " on to predict");
        std::vector<CalibrationParameter> parameters = calibration.parameters(scenario);
        const CalibrationSettings calibration_settings = calibration.settings(scenario);
        if (calibration_settings.particles == 0)
            throw OptionError("--backtest needs a posterior: --particles must not be 0");
        CalibrationProblem& problem =
            p.backtest_problem.emplace(scenario, std::move(parameters),
                                       observations_to_fit(scenario, p.backtest->cut_off), context);
        if (progress.on_backtest_calibrating) progress.on_backtest_calibrating(problem);
        problem.on_batch = progress.on_batch;
        const CalibrationResult& fitted =
            p.backtest_fit.emplace(calibrate(problem, calibration_settings));
        problem.on_batch = nullptr;
        if (progress.on_backtest_calibrated) progress.on_backtest_calibrated(problem, fitted);
        p.per_replicate = posterior_plan(scenario, problem.parameters(), fitted.posterior);
        p.parameter_source = "backtest: ABC-SMC on the observations before " + text;
    } else if (options.posterior) {
        const ChosenDraws& chosen = *options.posterior;
        p.per_replicate = posterior_plan(scenario, chosen.draws);
        p.parameter_source = posterior_source(chosen.file, chosen.of_scenario);
        if (chosen.file.extension() != ".csv") {
            const FitFile fit = read_fit(RunFileReader(chosen.file));
            p.skill = fit.skill;
            for (const std::string& text : fit.observations.month)
                if (const std::optional<Month> m = Month::parse(text))
                    p.fitted_until = std::max(p.fitted_until.value_or(*m + 1), *m + 1);
        }
    }
    return p;
}

ForecastSettings forecast_settings(const Scenario& scenario, std::vector<Month> by,
                                   const ForecastParameters& parameters) {
    ForecastSettings settings;
    settings.threshold = scenario.ulc.threshold;
    settings.measure = scenario.ulc.measure;
    settings.by = by.empty() ? default_coverage_months(scenario.run.start, scenario.run.months)
                             : std::move(by);
    if (parameters.skill && parameters.fitted_until && parameters.skill->discrepancy.errors > 0)
        settings.discrepancy = ForecastDiscrepancy{parameters.skill->discrepancy,
                                                   *parameters.fitted_until, scenario.run.seed};
    return settings;
}

RecordedForecast
record_forecast(RunFileWriter& writer, const Scenario& scenario, const ForecastSettings& settings,
                ForecastParameters& parameters, const PlanRunner& run,
                const std::function<void(std::uint32_t, const ReplicateSeries&)>& also) {
    const auto replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    ForecastBuilder builder(scenario, settings, replicates);
    ObservationTracker tracker(scenario, replicates);
    std::optional<Backtest>& backtest = parameters.backtest;
    EnsembleOptions ensemble;
    ensemble.results_on = ResultsOn::rank_zero;
    ensemble.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        if (also) also(r, series);
        if (!tracker.empty()) tracker.add(r, series);
        writer.write_replicate(r, series);
        builder.add(r, series);
        if (backtest)
            for (std::size_t i = 0; i < backtest->held_out.size(); ++i)
                backtest->predicted[i][r] =
                    simulated_observation(series, scenario, backtest->held_out[i]);
    };
    run(parameters.per_replicate ? parameters.per_replicate->plan
                                 : RunPlan::replicates_of(scenario),
        ensemble);

    RecordedForecast recorded{{}, write_summary(writer, scenario, replicates)};
    if (!tracker.empty()) write_observation_tracks(writer, scenario, tracker.tracks());
    recorded.forecast = builder.finish();
    write_forecast(writer, recorded.forecast);
    if (parameters.per_replicate)
        write_replicate_parameters(writer, *parameters.per_replicate, parameters.parameter_source);
    if (parameters.rolling)
        write_rolling_backtest(writer, *parameters.rolling);
    else if (parameters.skill)
        write_skill(writer, SkillPlace::forecast, *parameters.skill);
    if (backtest) {
        backtest->score();
        if (parameters.backtest_problem)
            write_fit(writer, *parameters.backtest_problem, *parameters.backtest_fit);
        write_backtest(writer, *backtest);
    }
    return recorded;
}

ForecastPaths::ForecastPaths(const std::filesystem::path& output)
    : run(output), summary(path_beside(output, ".summary.csv")),
      forecast(path_beside(output, ".forecast.csv")),
      programmes(path_beside(output, ".programmes.csv")),
      backtest(path_beside(output, ".backtest.csv")),
      rolling(path_beside(output, ".rolling-backtest.csv")),
      skill(path_beside(output, ".skill.csv")) {}

std::vector<TextOutput> forecast_text_outputs(const ForecastPaths& paths, const Scenario& scenario,
                                              const RecordedForecast& recorded,
                                              const ForecastParameters& parameters) {
    const EnsembleSummary& summary = recorded.summary;
    std::vector<TextOutput> texts{
        {paths.summary, [&](std::ostream& out) { write_summary_csv(out, scenario, summary); }},
        {paths.forecast, [&](std::ostream& out) { write_forecast_csv(out, recorded.forecast); }},
        {paths.programmes,
         [&](std::ostream& out) { write_programmes_csv(out, scenario, summary); }}};
    if (parameters.rolling) {
        texts.push_back({paths.rolling, [&](std::ostream& out) {
                             write_rolling_backtest_csv(out, *parameters.rolling);
                         }});
        texts.push_back(
            {paths.skill, [&](std::ostream& out) { write_skill_csv(out, *parameters.skill); }});
    }
    if (parameters.backtest)
        texts.push_back({paths.backtest, [&](std::ostream& out) {
                             write_backtest_csv(out, *parameters.backtest);
                         }});
    return texts;
}

} // namespace ulcsim
