#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "posterior_option.hpp"
#include "process_role.hpp"
#include "terminal_format.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "workbook_option.hpp"

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

using Stats = std::array<double, summary_statistic_count>;
constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

std::string with_interval(const Stats& s, const std::string& units, bool difference) {
    return measure_with_interval(s[mean], s[p05], s[p95], units, difference);
}

} // namespace

int compare_command(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    std::vector<std::string> at;
    int after = 12;
    bool independent = false;
    EnsembleCommandOptions common;
    PosteriorOption posterior_option;
    WorkbookOption workbook;
    po::options_description options(
        "Usage: ulcsim compare BASE.toml OTHER.toml [MORE.toml…] [options]\n\n"
        "Runs every scenario with common random numbers (the same seed and replicates: the\n"
        "same draws for the same worker) and reports paired differences against the first:\n"
        "mean and 90% interval (5th–95th percentile over replicates) of coverage at chosen\n"
        "months, covered worker-months, programme money (with the policies' costs, if any),\n"
        "the cost per added covered worker-year, and former members still covered some\n"
        "months after funding ends.\n"
        "Writes a table to the terminal, the figures to HDF5 (-o) and a CSV beside it, and\n"
        "with --xlsx an Excel workbook of them and of the workers added at every month.\n"
        "The run settings (start, months, seed, replicates) are the first scenario's.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help");
    common.add_to(options, "HDF5 file to write (default: <base>-vs-<other>.h5); the CSV is "
                           "beside it with the extension .csv");
    options.add_options()("at", po::value<std::vector<std::string>>(&at)->composing(),
                          "report coverage in month YYYY-MM (repeatable; default: every "
                          "December and the last month)")(
        "after", po::value<int>(&after),
        "count former programme members still covered this many months after funding ends "
        "(default 12)")("independent-seeds", po::bool_switch(&independent),
                        "give each scenario its own seed (seed + position) instead of common "
                        "random numbers: shows how much wider the intervals would be");
    posterior_option.add_to(options);
    workbook.add_to(options, "sheets Summary (each scenario's workers covered, rupiah and ULC; "
                             "the others' workers added and cost per added covered "
                             "worker-year against the first), Comparison (workers and coverage "
                             "points added at every month) and Measures (the CSV)");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(&files));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, -1, vm)) return 0;
    if (files.size() < 2)
        throw UsageError("compare: give at least two scenario files (see ulcsim compare --help)");
    if (after < 0 || after > 1200) throw UsageError("--after must be between 0 and 1200");
    const std::vector<std::string> overrides = common.scenario_overrides(vm);
    const RunResources resources = common.resources(vm);
    const int threads = resources.threads;

    // Every scenario is loaded (and all their problems reported) before anything runs. The
    // others take the base's seed and replicates (common random numbers) as overrides, so
    // that the scenario each records is the one that ran.
    std::vector<Scenario> scenarios;
    scenarios.push_back(load_input_scenario(files[0], overrides));
    const RunSettings base = scenarios.front().run;
    for (std::size_t i = 1; i < files.size(); ++i) {
        std::vector<std::string> paired = overrides;
        paired.push_back("run.seed=" + std::to_string(base.seed + (independent ? i : 0)));
        paired.push_back("run.replicates=" + std::to_string(base.replicates));
        scenarios.push_back(load_input_scenario(files[i], paired));
        const RunSettings& r = scenarios.back().run;
        if (r.start != base.start || r.months != base.months)
            throw UsageError("compare: " + files[i] + " runs " + r.start.to_string() + " for " +
                             std::to_string(r.months) + " months, " + files[0] + " " +
                             base.start.to_string() + " for " + std::to_string(base.months) +
                             " months: paired months need the same run.start and run.months");
    }

    std::vector<const Scenario*> all;
    for (const Scenario& s : scenarios)
        all.push_back(&s);
    // Replicate r of every scenario runs on the same draw: the differences hold the
    // parameters fixed as they hold the random numbers.
    const std::optional<ChosenPosterior> posterior = posterior_option.choose(vm, all);

    OutcomeSettings settings;
    settings.start = base.start;
    settings.months = base.months;
    settings.months_after_funding = after;
    settings.policy_costs = any_policy_costs(scenarios);
    for (const std::string& text : at) {
        const auto month = Month::parse(text);
        if (!month) throw UsageError("--at " + text + ": expected a month YYYY-MM");
        if (*month < base.start || *month > base.last_month())
            throw UsageError("--at " + text + ": outside the run (" + base.start.to_string() +
                             " … " + base.last_month().to_string() + ")");
        settings.coverage_months.push_back(*month);
    }
    if (settings.coverage_months.empty())
        settings.coverage_months = default_coverage_months(base.start, base.months);
    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);

    std::string default_name = scenarios[0].run.name;
    for (std::size_t i = 1; i < scenarios.size(); ++i)
        default_name += "-vs-" + scenarios[i].run.name;
    const std::filesystem::path out_path = common.output_path(default_name + ".h5");
    std::filesystem::path csv_path = out_path;
    csv_path.replace_extension(".csv");
    const std::optional<std::filesystem::path> xlsx = workbook.path({out_path, csv_path});

    const auto replicates = static_cast<std::uint32_t>(base.replicates);
    const std::size_t S = scenarios.size(), M = measures.size();
    if (!common.quiet)
        std::cerr << "ulcsim compare: " << S << " scenarios × " << replicates
                  << (replicates == 1 ? " replicate" : " replicates") << " × " << base.months
                  << " months, "
                  << (independent
                          ? "independent seeds"
                          : "common random numbers (seed " + std::to_string(base.seed) + ")")
                  << ", on " << processes_and_threads(threads) << " → " << out_path.string()
                  << '\n';
    if (!common.quiet && posterior) posterior->announce_shared("scenario");

    ResultFileWriter writer(out_path, process_role().output);
    // The monthly totals for the file: [scenario][replicate].
    std::vector<std::vector<ReplicateOutcome>> outcomes(S,
                                                        std::vector<ReplicateOutcome>(replicates));
    const MeasuredScenarios measured = measure_scenarios(
        scenarios, replicates, settings, runner_with_progress(resources, common.quiet),
        [&](std::size_t i, std::uint32_t r, const ReplicateOutcome& o) { outcomes[i][r] = o; },
        posterior ? &posterior->draws : nullptr);
    const auto& levels = measured.levels;
    const auto& differences = measured.differences;

    write_comparison(writer, scenarios, independent, measures, measured, outcomes);
    if (posterior) posterior->record_shared(writer, scenarios[0]);
    std::vector<TextOutput> outputs{{csv_path, [&](std::ostream& csv) {
                                         write_comparison_csv(csv, scenarios, measures, measured);
                                     }}};
    if (xlsx)
        outputs.push_back(workbook_output(*xlsx, [&](const std::filesystem::path& book) {
            write_comparison_workbook(book, scenarios, measures, measured,
                                      compared_totals(scenarios, outcomes, independent));
        }));
    commit_with_text_files(outputs, [&] { writer.commit(); });

    if (common.quiet) return 0;
    std::vector<std::string> names;
    for (const Scenario& s : scenarios)
        names.push_back(s.run.name);
    std::cout << out_path.string() << ", " << csv_path.string()
              << (xlsx ? ", " + xlsx->string() : "") << ": written\n\n"
              << "Against " << names[0] << ": mean [90% interval over " << replicates
              << " paired replicates" << (independent ? ", independent seeds" : "") << "]\n";
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header{"", names[0]};
    for (std::size_t i = 1; i < S; ++i) {
        header.push_back(names[i]);
        header.push_back("difference");
    }
    table.push_back(header);
    for (std::size_t m = 0; m < M; ++m) {
        const OutcomeMeasure& om = measures[m];
        std::vector<std::string> row{om.label};
        row.push_back(om.difference_only ? "" : measure_value(levels[0][m][mean], om.units, false));
        for (std::size_t i = 1; i < S; ++i) {
            row.push_back(om.difference_only ? ""
                                             : measure_value(levels[i][m][mean], om.units, false));
            row.push_back(with_interval(differences[i][m], om.units, !om.difference_only));
        }
        table.push_back(row);
    }
    print_table(table, std::cout);
    return 0;
}

} // namespace ulcsim::cli
