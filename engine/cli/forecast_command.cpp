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
#include "ulcsim/forecast_plan.hpp"
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
    ForecastParameterOptions parameter_options;
    parameter_options.backtest = vm.count("backtest") ? backtest_text : std::string();
    parameter_options.rolling = rolling_origins;
    parameter_options.calibration = calibration;
    if (!backtesting)
        if (std::optional<ChosenPosterior> chosen = posterior_option.choose(vm, {&scenario}))
            parameter_options.posterior =
                ChosenDraws{chosen->file, chosen->of_scenario, std::move(chosen->draws)};
    ForecastParameterProgress parameter_progress;
    parameter_progress.on_batch = calibration_progress(common.quiet);
    parameter_progress.on_backtest_calibrating = [&](const CalibrationProblem& problem) {
        if (!common.quiet)
            std::cerr << "ulcsim forecast --backtest " << backtest_text << ": calibrating on "
                      << problem.observations().size() << " observations before it\n";
    };
    parameter_progress.on_backtest_calibrated = [&](const CalibrationProblem& problem,
                                                    const CalibrationResult& fitted) {
        if (!common.quiet) print_calibration(problem, fitted, std::cerr);
    };
    parameter_progress.on_rolling_start = [&](std::size_t cut_offs) {
        return rolling_backtest_progress("forecast", cut_offs, common.quiet);
    };
    ForecastParameters parameters =
        forecast_parameters(scenario, parameter_options, resources.context(), parameter_progress);
    const bool as_it_is = parameters.as_it_is;
    const std::optional<PosteriorPlan>& per_replicate = parameters.per_replicate;
    const std::string& parameter_source = parameters.parameter_source;
    const std::optional<Backtest>& backtest = parameters.backtest;
    const std::optional<RollingBacktest>& rolling = parameters.rolling;
    const std::optional<Skill>& skill = parameters.skill;
    const ForecastSettings settings =
        forecast_settings(scenario, by_months(by_text, scenario.run), parameters);

    const std::filesystem::path out_path = common.output_path(scenario.run.name + "-forecast.h5");
    const ForecastPaths paths(out_path);
    const std::vector<std::filesystem::path> outputs{
        paths.run,      paths.summary, paths.forecast, paths.programmes,
        paths.backtest, paths.rolling, paths.skill};
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
    // The workbook's summary from every replicate's totals, kept as the replicates finish.
    RunTotals totals;
    if (xlsx) totals = run_totals_of(scenario);
    const RecordedForecast recorded = record_forecast(
        writer, scenario, settings, parameters, runner_with_progress(resources, common.quiet),
        [&](std::uint32_t r, const ReplicateSeries& series) {
            if (xlsx) add_replicate_totals(totals, r, series);
        });
    const Forecast& forecast = recorded.forecast;
    std::vector<TextOutput> texts = forecast_text_outputs(paths, scenario, recorded, parameters);
    if (xlsx)
        texts.push_back(workbook_output(*xlsx, [&](const std::filesystem::path& book) {
            write_run_workbook(book, scenario, recorded.summary, totals, &forecast);
        }));
    commit_with_text_files(texts, [&] { writer.commit(); });

    if (!common.quiet) {
        std::cout << out_path.string() << ", " << paths.summary.string() << ", "
                  << paths.forecast.string() << ", " << paths.programmes.string()
                  << (xlsx ? ", " + xlsx->string() : "")
                  << (backtest ? ", " + paths.backtest.string() : "")
                  << (rolling ? ", " + paths.rolling.string() + ", " + paths.skill.string() : "")
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
