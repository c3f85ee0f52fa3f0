#include "calibration_options.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "interruption.hpp"
#include "process_role.hpp"
#include "skill_output.hpp"
#include "ulcsim/calibrated_scenario.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/calibration_plan.hpp"
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

    const CalibrationPlan plan =
        plan_calibration(load_input_scenario(file, all_overrides), all_overrides, calibration,
                         cut_off, measure_skill);
    const Scenario& scenario = plan.scenario;

    EnsembleCommandOptions paths;
    paths.output = output;
    const CalibrationPaths out(paths.output_path(scenario.run.name + "-calibrated.toml"));
    const std::filesystem::path& out_path = out.scenario;
    const std::filesystem::path& fit_path = out.fit;
    if (!quiet)
        std::cerr << "ulcsim calibrate " << scenario.run.name << ": " << plan.parameters.size()
                  << (plan.parameters.size() == 1 ? " parameter" : " parameters") << ", "
                  << plan.observations().size()
                  << (plan.observations().size() == 1 ? " observation" : " observations") << ", "
                  << plan.settings.replicates << " replicates per loss, " << plan.settings.particles
                  << " particles → " << out_path.string() << '\n';

    ExecutionContext context;
    context.threads = vm.count("threads") ? threads : 0;
    context.cluster = process_role().cluster;
    context.output = process_role().output;
    CalibrationProgress progress;
    progress.on_batch = calibration_progress(quiet);
    progress.on_skill_start = [&] {
        return rolling_backtest_progress("calibrate --skill", plan.skill_cut_offs.size(), quiet);
    };
    const CalibrationOutcome outcome = run_calibration_plan(plan, context, progress);
    write_calibration(plan, outcome, out, process_role().output, outputs_being_committed);
    const CalibrationProblem& problem = outcome.problem;
    const CalibrationResult& result = outcome.result;
    const std::optional<Skill>& skill = outcome.skill;

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
