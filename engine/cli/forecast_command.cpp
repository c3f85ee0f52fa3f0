#include "calibration_options.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "forecast_output.hpp"
#include "posterior_option.hpp"
#include "process_role.hpp"
#include "skill_output.hpp"
#include "terminal_format.hpp"
#include "ulcsim/backtest.hpp"
#include "ulcsim/backtest_file.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/skill_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"
#include "workbook_option.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

void print_backtest(const Backtest& b, std::ostream& out) {
    out << "Backtest: fitted on the observations before " << b.cut_off.to_string()
        << ", predicted the " << b.held_out.size() << " after it\n";
    std::vector<std::vector<std::string>> table{
        {"observation", "observed", "predicted [80% interval]", "95% interval", "error",
         "inside 80%", "inside 95%", "persistence", "linear trend"}};
    const auto naive = [](double forecast) {
        return std::isnan(forecast) ? std::string("–") : measure_value(forecast, "share", false);
    };
    for (std::size_t i = 0; i < b.held_out.size(); ++i) {
        const Observation& o = b.held_out[i];
        const BacktestRow& row = b.rows[i];
        table.push_back(
            {observation_label(o), measure_value(o.value, "share", false),
             measure_with_interval(row.mean, row.quantiles[1], row.quantiles[3], "share", false),
             measure_value(row.quantiles[0], "share", false) + " … " +
                 measure_value(row.quantiles[4], "share", false),
             measure_value(row.error, "share", true), row.inside_80 ? "yes" : "no",
             row.inside_95 ? "yes" : "no", naive(row.persistence), naive(row.linear_trend)});
    }
    print_table(table, out);
    const BacktestSummary score = summarise_backtest(b);
    const auto points = [](double share) {
        std::ostringstream text;
        text << std::fixed << std::setprecision(2) << share * 100 << " pp";
        return text.str();
    };
    out << "Mean absolute error " << points(score.mean_absolute_error)
        << ", root mean squared error " << points(score.root_mean_squared_error) << "; "
        << score.inside_80 << " of " << score.observations << " inside the 80% interval, "
        << score.inside_95 << " inside the 95% interval.\n";
    // A forecast that loses to "nothing changes" is worse than none: say so beside the error.
    const auto against = [&](const BacktestSummary::AgainstReference& a, const char* name,
                             const char* needs) {
        out << "Against " << name << ": ";
        if (a.observations == 0) {
            out << "no held-out observation has " << needs << ".\n";
            return;
        }
        out << "on the " << a.observations << " observation" << (a.observations == 1 ? "" : "s")
            << " it can forecast, model " << points(a.model_error) << ", " << name << " "
            << points(a.reference_error) << " mean absolute error: the model's is " << std::fixed
            << std::setprecision(2) << a.ratio() << " × " << name << "'s ("
            << (a.model_error < a.reference_error ? "better" : "not better") << ").\n";
    };
    against(score.persistence, "persistence", "an earlier observation of its series");
    against(score.linear_trend, "the linear trend", "two earlier observations of its series");
}

std::string percentage_points(double share) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2) << share * 100 << " pp";
    return text.str();
}

/// The cut-offs of `--backtest A,B,…`: months, each with observations before it to fit and
/// from it on to predict, in order and once each.
std::vector<Month> listed_cut_offs(const Scenario& scenario, const std::string& text) {
    std::vector<Month> cut_offs;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        const Month m = month_option("--backtest", item);
        const auto before =
            std::count_if(scenario.observations.begin(), scenario.observations.end(),
                          [&](const Observation& o) { return o.month < m; });
        if (before == 0)
            throw UsageError("--backtest " + item + ": no observations before " + item + " to fit");
        if (before == static_cast<std::ptrdiff_t>(scenario.observations.size()))
            throw UsageError("--backtest " + item + ": no observations from " + item +
                             " on to predict");
        cut_offs.push_back(m);
    }
    std::sort(cut_offs.begin(), cut_offs.end());
    cut_offs.erase(std::unique(cut_offs.begin(), cut_offs.end()), cut_offs.end());
    return cut_offs;
}

} // namespace

int forecast_command(const std::vector<std::string>& args) {
    std::string file;
    std::string threshold;
    std::vector<std::string> by_text;
    PosteriorOption posterior_option;
    std::string backtest_text;
    bool rolling_origins = false;
    EnsembleCommandOptions common;
    CalibrationCommandOptions calibration;
    WorkbookOption workbook;
    po::options_description options(
        "Usage: ulcsim forecast FILE [options]\n\n"
        "When does coverage reach the scenario's ULC threshold (or --threshold)? Runs the\n"
        "scenario like `ulcsim run` and, for every kabupaten/kota, province and all regions\n"
        "together, finds the first month of each replicate in which coverage is at or above\n"
        "the threshold. Prints the median month, 80% and 95% intervals, the probability of\n"
        "being there by each --by month and how many replicates never get there within the\n"
        "run. Writes the run file with /forecast (layout in README.md), <output>.summary.csv\n"
        "and <output>.forecast.csv; with --xlsx also an Excel workbook of them.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help");
    common.add_to(options, "run file to write (default: <run.name>-forecast.h5)");
    options.add_options()("threshold", po::value<std::string>(&threshold),
                          "coverage to reach, as a share (0.5149) or a percentage (51.49%); "
                          "default: the scenario's ulc.threshold")(
        "by", po::value<std::vector<std::string>>(&by_text)->composing(),
        "report the probability of reaching it by month YYYY-MM (repeatable; default: every "
        "December and the last month of the run)");
    posterior_option.add_to(options);
    workbook.add_to(options, "sheets Summary (workers covered, rupiah by programme, ULC), "
                             "Forecast (the forecast CSV), Coverage (the summary CSV) and "
                             "Programmes (the programmes CSV)");
    options.add_options()(
        "backtest", po::value<std::string>(&backtest_text),
        "YYYY-MM: calibrate (--fit …) on the observations before this month, forecast with "
        "the posterior, and report how the observations from this month on compare; "
        "YYYY-MM,YYYY-MM,…: the same from every cut-off (a rolling-origin backtest), scored "
        "together by horizon against persistence and the linear trend, with intervals "
        "widened by the model discrepancy; the forecast uses the last cut-off's fit")(
        "rolling", po::bool_switch(&rolling_origins),
        "a rolling-origin backtest from every month with an observation that has at least "
        "as many observations before it as --fit parameters (at least one). Without --fit, "
        "--rolling and --backtest score the scenario as it is: the skill of its priors");
    po::options_description fitting("Calibration for --backtest");
    calibration.add_to(fitting);
    options.add(fitting);
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty())
        throw UsageError("forecast: no scenario file given (see ulcsim forecast --help)");
    std::vector<std::string> overrides = common.scenario_overrides(vm);
    if (vm.count("threshold"))
        overrides.push_back("ulc.threshold=" + threshold_value("--threshold", threshold));
    const RunResources resources = common.resources(vm);
    const int threads = resources.threads;

    const bool backtesting = vm.count("backtest") || rolling_origins;
    if (vm.count("posterior") && backtesting)
        throw UsageError("--posterior and --backtest cannot be combined: a backtest makes its "
                         "own posterior from the observations before the cut-off");
    if (vm.count("backtest") && rolling_origins)
        throw UsageError("--rolling chooses the cut-offs itself: give it or --backtest, not both");
    if (!backtesting && !calibration.fit.empty())
        throw UsageError("--fit is for --backtest; to calibrate, use ulcsim calibrate");
    // Without a backtest nothing is calibrated: these would be ignored without a word.
    for (const char* option :
         {"prior", "evaluations", "loss-replicates", "particles", "generations", "tolerance"})
        if (!backtesting && vm.count(option))
            throw UsageError("--" + std::string(option) +
                             " is for --backtest or --rolling (the calibration they make); "
                             "without them forecast calibrates nothing");

    Scenario scenario = load_input_scenario(file, overrides);
    // A calibrated scenario carries its posterior: used unless the command says otherwise (a
    // backtest makes its own).
    const std::optional<ChosenPosterior> chosen =
        backtesting ? std::nullopt : posterior_option.choose(vm, {&scenario});
    std::optional<Backtest> backtest;
    std::optional<PosteriorPlan> per_replicate;
    std::optional<CalibrationProblem> backtest_problem;
    std::optional<CalibrationResult> backtest_fit;
    std::string parameter_source;
    std::optional<RollingBacktest> rolling;
    std::optional<Skill> skill;
    std::optional<Month> fitted_until; ///< the month after the last observation fitted
    // Without --fit a backtest scores the scenario as it is: the skill of its priors.
    const bool as_it_is = backtesting && calibration.fit.empty();
    const bool several_cut_offs =
        rolling_origins || backtest_text.find(',') != std::string::npos || as_it_is;
    if (several_cut_offs) {
        std::vector<CalibrationParameter> parameters;
        if (!as_it_is) parameters = calibration.parameters(scenario);
        const CalibrationSettings calibration_settings = calibration.settings(scenario);
        if (!as_it_is && calibration_settings.particles == 0)
            throw UsageError("--backtest needs a posterior: --particles must not be 0");
        const std::vector<Month> cut_offs = rolling_origins
                                                ? rolling_cut_offs(scenario, parameters.size())
                                                : listed_cut_offs(scenario, backtest_text);
        if (cut_offs.empty())
            throw UsageError("--rolling: " + scenario.file.string() +
                             " has no month with an observation and at least " +
                             std::to_string(parameters.size()) +
                             " observations before it (add dated [[observation]]s)");
        rolling = run_rolling_backtest(
            scenario, parameters, cut_offs, calibration_settings, resources.context(),
            rolling_backtest_progress("forecast", cut_offs.size(), common.quiet));
        skill = summarise_rolling(*rolling);
        // The forecast itself, /backtest and the fit stored are the last cut-off's, as a
        // single --backtest's are.
        const BacktestOrigin& last = rolling->origins.back();
        backtest = Backtest::holding_out(scenario, last.backtest.cut_off,
                                         static_cast<std::size_t>(scenario.run.replicates));
        if (!as_it_is) {
            backtest_problem.emplace(scenario, parameters, last.fitted, resources.context());
            backtest_fit = last.fit;
            per_replicate = posterior_plan(scenario, parameters, last.fit.posterior);
            parameter_source = "rolling backtest: ABC-SMC on the observations before " +
                               last.backtest.cut_off.to_string();
        }
        fitted_until = last.backtest.cut_off;
    } else if (vm.count("backtest")) {
        backtest = Backtest::holding_out(scenario, month_option("--backtest", backtest_text),
                                         static_cast<std::size_t>(scenario.run.replicates));
        if (backtest->held_out.empty())
            throw UsageError("--backtest " + backtest_text + ": no observations from " +
                             backtest_text + " on to predict");
        std::vector<CalibrationParameter> parameters = calibration.parameters(scenario);
        const CalibrationSettings calibration_settings = calibration.settings(scenario);
        if (calibration_settings.particles == 0)
            throw UsageError("--backtest needs a posterior: --particles must not be 0");
        CalibrationProblem& problem = backtest_problem.emplace(
            scenario, std::move(parameters), observations_to_fit(scenario, backtest->cut_off),
            resources.context());
        if (!common.quiet)
            std::cerr << "ulcsim forecast --backtest " << backtest_text << ": calibrating on "
                      << problem.observations().size() << " observations before it\n";
        const CalibrationResult& fitted =
            backtest_fit.emplace(run_calibration(problem, calibration_settings, common.quiet));
        if (!common.quiet) print_calibration(problem, fitted, std::cerr);
        per_replicate = posterior_plan(scenario, problem.parameters(), fitted.posterior);
        parameter_source = "backtest: ABC-SMC on the observations before " + backtest_text;
    } else if (chosen) {
        per_replicate = posterior_plan(scenario, chosen->draws);
        parameter_source = chosen->source();
        if (chosen->file.extension() != ".csv") {
            const FitFile fit = read_fit(RunFileReader(chosen->file));
            skill = fit.skill;
            for (const std::string& text : fit.observations.month)
                if (const std::optional<Month> m = Month::parse(text))
                    fitted_until = std::max(fitted_until.value_or(*m + 1), *m + 1);
        }
    }
    ForecastSettings settings;
    settings.threshold = scenario.ulc.threshold;
    settings.measure = scenario.ulc.measure;
    settings.by = by_months(by_text, scenario.run);
    if (skill && fitted_until && skill->discrepancy.errors > 0)
        settings.discrepancy =
            ForecastDiscrepancy{skill->discrepancy, *fitted_until, scenario.run.seed};

    const std::filesystem::path out_path = common.output_path(scenario.run.name + "-forecast.h5");
    const ForecastCsvPaths csv = forecast_csv_paths(out_path);
    std::vector<std::filesystem::path> outputs{out_path, csv.summary, csv.forecast, csv.programmes};
    for (const char* beside : {".backtest.csv", ".rolling-backtest.csv", ".skill.csv"})
        outputs.push_back(std::filesystem::path(out_path).replace_extension(beside));
    const std::optional<std::filesystem::path> xlsx = workbook.path(outputs);
    const auto replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    if (!common.quiet)
        std::cerr << "ulcsim forecast " << scenario.run.name << ": "
                  << coverage_measure_names[static_cast<std::size_t>(settings.measure)] << " ≥ "
                  << percent_text(settings.threshold) << ", " << replicates
                  << (replicates == 1 ? " replicate" : " replicates") << " × "
                  << scenario.run.months << " months on " << processes_and_threads(threads) << " → "
                  << out_path.string() << '\n';

    RunFileWriter writer(out_path, scenario, run_info_of(scenario, threads), process_role().output);
    ForecastBuilder builder(scenario, settings, replicates);
    ObservationTracker tracker(scenario, replicates);
    EnsembleOptions ensemble;
    ensemble.results_on = ResultsOn::rank_zero;
    // The workbook's summary from every replicate's totals, kept as the replicates finish.
    RunTotals totals;
    if (xlsx) totals = run_totals_of(scenario);
    ensemble.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        if (xlsx) add_replicate_totals(totals, r, series);
        if (!tracker.empty()) tracker.add(r, series);
        writer.write_replicate(r, series);
        builder.add(r, series);
        if (backtest)
            for (std::size_t i = 0; i < backtest->held_out.size(); ++i)
                backtest->predicted[i][r] =
                    simulated_observation(series, scenario, backtest->held_out[i]);
    };
    const RunPlan plan = per_replicate ? per_replicate->plan : RunPlan::replicates_of(scenario);
    run_ensemble_with_progress(plan, ensemble, resources, common.quiet);

    const EnsembleSummary summary = write_summary(writer, scenario, replicates);
    if (!tracker.empty()) write_observation_tracks(writer, scenario, tracker.tracks());
    const Forecast forecast = builder.finish();
    write_forecast(writer, forecast);
    if (per_replicate) write_replicate_parameters(writer, *per_replicate, parameter_source);
    std::vector<TextOutput> texts{
        {csv.summary, [&](std::ostream& out) { write_summary_csv(out, scenario, summary); }},
        {csv.forecast, [&](std::ostream& out) { write_forecast_csv(out, forecast); }},
        {csv.programmes, [&](std::ostream& out) { write_programmes_csv(out, scenario, summary); }}};
    std::filesystem::path backtest_csv = out_path;
    backtest_csv.replace_extension(".backtest.csv");
    std::filesystem::path rolling_csv = out_path, skill_csv = out_path;
    rolling_csv.replace_extension(".rolling-backtest.csv");
    skill_csv.replace_extension(".skill.csv");
    if (rolling) {
        write_rolling_backtest(writer, *rolling);
        texts.push_back(
            {rolling_csv, [&](std::ostream& out) { write_rolling_backtest_csv(out, *rolling); }});
        texts.push_back({skill_csv, [&](std::ostream& out) { write_skill_csv(out, *skill); }});
    } else if (skill) {
        write_skill(writer, SkillPlace::forecast, *skill);
    }
    if (backtest) {
        backtest->score();
        if (backtest_problem) write_fit(writer, *backtest_problem, *backtest_fit);
        write_backtest(writer, *backtest);
        texts.push_back(
            {backtest_csv, [&](std::ostream& out) { write_backtest_csv(out, *backtest); }});
    }
    if (xlsx)
        texts.push_back(workbook_output(*xlsx, [&](const std::filesystem::path& book) {
            write_run_workbook(book, scenario, summary, totals, &forecast);
        }));
    commit_with_text_files(texts, [&] { writer.commit(); });

    if (!common.quiet) {
        std::cout << out_path.string() << ", " << csv.summary.string() << ", "
                  << csv.forecast.string() << ", " << csv.programmes.string()
                  << (xlsx ? ", " + xlsx->string() : "")
                  << (backtest ? ", " + backtest_csv.string() : "")
                  << (rolling ? ", " + rolling_csv.string() + ", " + skill_csv.string() : "")
                  << ": written\n\n";
        print_forecast(forecast, std::cout);
        if (per_replicate)
            std::cout << "Parameter uncertainty: each replicate ran with a posterior draw ("
                      << parameter_source << ").\n";
        if (settings.discrepancy)
            std::cout << "Model discrepancy: from " << settings.discrepancy->from.to_string()
                      << " on, each replicate's coverage carries an error of sd "
                      << percentage_points(settings.discrepancy->discrepancy.standard_deviation(0))
                      << ", growing to "
                      << percentage_points(settings.discrepancy->discrepancy.standard_deviation(12))
                      << " a year on (from the calibration's rolling-origin errors); the "
                         "months above include it.\n";
        if (!per_replicate) {
            if (as_it_is)
                std::cout << "Warning: no calibration — the behaviour parameters are their "
                             "priors (the scenario's values); the skill below is theirs.\n";
            else
                print_prior_warning(std::cout);
        }
        if (backtest) {
            std::cout << '\n';
            print_backtest(*backtest, std::cout);
        }
        if (skill) {
            std::cout << '\n';
            print_skill(*skill, std::cout);
        } else if (per_replicate && !backtest) {
            std::cout << "No skill measured for this calibration (`ulcsim calibrate --skill` "
                         "measures it and stores it in the fit file).\n";
        }
    }
    return 0;
}

} // namespace ulcsim::cli
