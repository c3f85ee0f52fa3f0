#include "calibration_options.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "process_role.hpp"
#include "skill_output.hpp"
#include "ulcsim/calibrated_scenario.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/skill_file.hpp"
#include "ulcsim/store.hpp"

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>

namespace ulcsim::cli {

namespace po = boost::program_options;

int calibrate_command(const std::vector<std::string>& args) {
    std::string file;
    std::string output;
    std::vector<std::string> overrides;
    std::string until;
    int threads = 0;
    std::string seed_text;
    bool quiet = false;
    bool measure_skill = false;
    CalibrationCommandOptions calibration;
    po::options_description options(
        "Usage: ulcsim calibrate FILE --fit KEY[,KEY…] [options]\n\n"
        "Fits behaviour parameters to the scenario's [[observation]]s. The point estimate\n"
        "minimises the weighted mean squared error between observed and simulated coverage\n"
        "(the mean of --loss-replicates replicates on one seed, so the loss is smooth) with\n"
        "Nelder–Mead; the posterior comes from ABC-SMC, each proposal simulated on its own\n"
        "seed. Batches of parameter points run in parallel. Writes a calibrated scenario that\n"
        "extends FILE and sets only the fitted values (-o), and beside it the fit report:\n"
        "<output>.fit.h5 (observed vs simulated, loss, posterior draws for\n"
        "`ulcsim forecast --posterior`), <output>.fit.csv and <output>.posterior.csv.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure.\n\nOptions");
    options.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>(&output)->notifier(refuse_empty_output),
        "calibrated scenario to write (default: <run.name>-calibrated.toml)");
    calibration.add_to(options);
    options.add_options()("until", po::value<std::string>(&until),
                          "fit only the observations before this month YYYY-MM")(
        "threads", po::value<int>(&threads), "worker threads (default: every core)")(
        "seed", po::value<std::string>(&seed_text), "random seed (default: run.seed)")(
        "set", po::value<std::vector<std::string>>(&overrides)->composing(),
        "override a scenario key while fitting, e.g. --set population.scale=100 to fit "
        "faster on fewer agents (not written into the calibrated scenario)")(
        "skill", po::bool_switch(&measure_skill),
        "also measure the calibration's skill: a rolling-origin backtest with the same "
        "parameters and settings from every month with an observation that has at least as "
        "many observations before it as parameters (fit before, forecast from it on), stored "
        "in the fit file (/skill, with the model discrepancy `forecast --posterior` adds to its "
        "intervals) and in <output>.skill.csv and <output>.rolling-backtest.csv")(
        "quiet,q", po::bool_switch(&quiet), "no progress and no report");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty())
        throw UsageError("calibrate: no scenario file given (see ulcsim calibrate --help)");
    if (vm.count("threads") && (threads < 1 || threads > 1024))
        throw UsageError("--threads must be between 1 and 1024");
    std::vector<std::string> all_overrides = overrides;
    if (vm.count("seed"))
        all_overrides.push_back("run.seed=" + std::to_string(seed_option(seed_text)));
    std::optional<Month> cut_off;
    if (vm.count("until")) cut_off = month_option("--until", until);

    const Scenario scenario = load_input_scenario(file, all_overrides);
    std::vector<CalibrationParameter> parameters = calibration.parameters(scenario);
    const CalibrationSettings settings = calibration.settings(scenario);
    std::vector<Observation> observations = observations_to_fit(scenario, cut_off);
    // The skill is measured on the observations fitted, as if they were all there is.
    Scenario fitted_only = scenario;
    fitted_only.observations = observations;
    std::vector<Month> skill_cut_offs;
    if (measure_skill) {
        if (settings.particles == 0)
            throw UsageError("--skill needs a posterior: --particles must not be 0");
        skill_cut_offs = rolling_cut_offs(fitted_only, parameters.size());
        if (skill_cut_offs.empty())
            throw UsageError("--skill: " + scenario.file.string() +
                             " has no month with an observation and at least " +
                             std::to_string(parameters.size()) +
                             " observations before it, so no skill can be measured (add dated "
                             "[[observation]]s)");
    }

    EnsembleCommandOptions paths;
    paths.output = output;
    const std::filesystem::path out_path =
        paths.output_path(scenario.run.name + "-calibrated.toml");
    const auto beside = [&](const std::string& extension) {
        std::filesystem::path p = out_path;
        return p.replace_extension(extension);
    };
    const std::filesystem::path fit_path = beside(".fit.h5");
    if (!quiet)
        std::cerr << "ulcsim calibrate " << scenario.run.name << ": " << parameters.size()
                  << (parameters.size() == 1 ? " parameter" : " parameters") << ", "
                  << observations.size()
                  << (observations.size() == 1 ? " observation" : " observations") << ", "
                  << settings.replicates << " replicates per loss, " << settings.particles
                  << " particles → " << out_path.string() << '\n';

    ExecutionContext context;
    context.threads = vm.count("threads") ? threads : 0;
    context.cluster = process_role().cluster;
    context.output = process_role().output;
    const ExecutionContext skill_context = context;
    CalibrationProblem problem(scenario, std::move(parameters), std::move(observations),
                               std::move(context));
    const CalibrationResult result = run_calibration(problem, settings, quiet);
    std::optional<RollingBacktest> rolling;
    std::optional<Skill> skill;
    if (measure_skill) {
        rolling = run_rolling_backtest(
            fitted_only, problem.parameters(), skill_cut_offs, settings, skill_context,
            rolling_backtest_progress("calibrate --skill", skill_cut_offs.size(), quiet));
        skill = summarise_rolling(*rolling);
    }

    ResultFileWriter writer(fit_path, process_role().output);
    write_fit_meta(writer, scenario, out_path.filename().string());
    write_fit(writer, problem, result);
    std::vector<TextOutput> texts{
        {out_path,
         [&](std::ostream& out) {
             write_calibrated_scenario(out, out_path, scenario, problem, result, all_overrides);
         }},
        {beside(".fit.csv"), [&](std::ostream& out) { write_fit_csv(out, problem, result); }},
        {beside(".posterior.csv"),
         [&](std::ostream& out) { write_posterior_csv(out, problem, result); }}};
    if (skill) {
        write_skill(writer, SkillPlace::fit, *skill);
        texts.push_back(
            {beside(".skill.csv"), [&](std::ostream& out) { write_skill_csv(out, *skill); }});
        texts.push_back({beside(".rolling-backtest.csv"),
                         [&](std::ostream& out) { write_rolling_backtest_csv(out, *rolling); }});
    }
    commit_with_text_files(texts, [&] { writer.commit(); });

    if (!quiet) {
        std::cout << out_path.string() << ", " << fit_path.string() << ": written\n\n";
        print_calibration(problem, result, std::cout);
        if (skill) {
            std::cout << '\n';
            print_skill(*skill, std::cout);
        }
    }
    return 0;
}

} // namespace ulcsim::cli
