#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "posterior_option.hpp"
#include "process_role.hpp"
#include "terminal_format.hpp"
#include "ulcsim/checkpoint.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/recorded_run.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "workbook_option.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

std::string percent(double share) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << share * 100 << '%';
    return out.str();
}

/// Bytes of the datasets a run file holds (the strings and attributes are small).
struct OutputSize {
    double replicates = 0;
    double summaries = 0;
};

OutputSize output_size(const Scenario& s) {
    const auto R = static_cast<double>(s.run.replicates);
    const auto T = static_cast<double>(s.run.months);
    const auto K = static_cast<double>(s.regions.size());
    const auto P = static_cast<double>(summary_areas(s).province_codes.size());
    const auto J = static_cast<double>(s.programmes.size());
    OutputSize size;
    size.replicates =
        8 * R * T * (K * segment_count * series_metric_count + J * programme_metric_count);
    size.summaries =
        8 * summary_statistic_count * T *
        ((K + P + 1) * summary_segment_count * summary_metric_count + J * programme_metric_count);
    return size;
}

std::string with_interval(const std::vector<double>& v, std::size_t month, std::size_t segment,
                          std::size_t months) {
    const auto at = [&](Statistic s) { return v[summary_index(s, month, 0, segment, months, 1)]; };
    return percent(at(Statistic::mean)) + " [" + percent(at(Statistic::p05)) + ", " +
           percent(at(Statistic::p95)) + "]";
}

void print_headline(const Scenario& s, const EnsembleSummary& summary, std::ostream& out) {
    const std::size_t T = summary.shape.months, last = T - 1, all = segment_count;
    const std::vector<double>& rate = summary.metric(coverage_rate_metric).nation;
    const std::vector<double>& share = summary.metric(coverage_share_metric).nation;
    const std::size_t R = summary.shape.replicates;
    out << "  coverage     " << with_interval(rate, 0, all, T) << " of resident workers in "
        << s.run.start.to_string() << ", " << with_interval(rate, last, all, T) << " in "
        << s.run.last_month().to_string() << "\n               (mean [90% interval] of " << R
        << (R == 1 ? " replicate" : " replicates") << ")\n";
    out << "  share        " << percent(share[summary_index(Statistic::mean, 0, 0, all, T, 1)])
        << " → " << percent(share[summary_index(Statistic::mean, last, 0, all, T, 1)])
        << " (participants registered in the scenario's regions / resident workers)\n";
    // Statistic 0, the mean, comes first in each programme metric.
    print_programme_headlines(
        summary.programme_names,
        summary.programmes[static_cast<std::size_t>(ProgrammeMetric::members)].data(),
        summary.programmes[static_cast<std::size_t>(ProgrammeMetric::spent_idr)].data(), T, out);
}

void print_profile(const PhaseTimes& total, std::ostream& out) {
    double sum = 0;
    for (double v : total.seconds)
        sum += v;
    out << "Time by phase (thread-seconds; the per-agent phases run on every thread):\n";
    for (std::size_t p = 0; p < PhaseTimes::count; ++p)
        out << "  " << std::left << std::setw(22) << PhaseTimes::names[p] << std::right
            << std::fixed << std::setprecision(3) << std::setw(9) << total.seconds[p] << " s  "
            << std::setprecision(1) << std::setw(5) << (sum > 0 ? 100 * total.seconds[p] / sum : 0)
            << "%\n";
}

/// The month of --checkpoint-at, checked against the run: after its first month (the
/// state before it is the synthesised population) and at most the month after its last.
Month checkpoint_month(const std::string& text, const Scenario& s) {
    const std::optional<Month> m = Month::parse(text);
    if (!m) throw UsageError("--checkpoint-at: '" + text + "' is not a month (YYYY-MM)");
    const Month last = s.run.last_month() + 1;
    if (!(s.run.start < *m && *m <= last))
        throw UsageError("--checkpoint-at " + text +
                         " is outside the run: the checkpoint month "
                         "must be after its first month " +
                         s.run.start.to_string() + " and no later than " + last.to_string() +
                         ", the month after its last");
    return *m;
}

} // namespace

int run_command(const std::vector<std::string>& args) {
    std::string file;
    std::string keep = "all";
    std::string checkpoint_at;
    std::string from_checkpoint;
    bool profile = false;
    EnsembleCommandOptions common;
    PosteriorOption posterior_option;
    WorkbookOption workbook;
    po::options_description options(
        "Usage: ulcsim run FILE [options]\n\n"
        "Simulates the scenario's replicates month by month (in parallel) and writes the\n"
        "monthly series and their statistics over replicates to an HDF5 run file (h5py,\n"
        "pandas and h5dump read it; layout in README.md), and the statistics a spreadsheet\n"
        "needs to <output without .h5>.summary.csv, each programme's members and spending\n"
        "by month to <output without .h5>.programmes.csv, and with --xlsx the same figures\n"
        "with the planner's summary to an Excel workbook.\n"
        "Branching: --checkpoint-at YYYY-MM stores the agents' state at that month; another\n"
        "scenario (run.start = that month) continues from it with --from-checkpoint RUN.h5,\n"
        "and reproduces the rest of the first run exactly when it changes nothing.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help");
    common.add_to(options, "run file to write (default: <run.name>.h5 in the current directory)");
    posterior_option.add_to(options);
    workbook.add_to(options, "sheets Summary (workers covered, rupiah by programme, ULC), "
                             "Coverage (the summary CSV) and Programmes (the programmes CSV)");
    options.add_options()("keep", po::value<std::string>(&keep),
                          "all: every replicate's series and the summaries (default); "
                          "summaries: only the summaries, for large ensembles")(
        "profile", po::bool_switch(&profile), "print the time spent in each phase")(
        "checkpoint-at", po::value<std::string>(&checkpoint_at),
        "YYYY-MM: also store every replicate's state at the start of this month in "
        "/checkpoint (after the first month, at most the month after the last), for scenarios "
        "to branch from")(
        "from-checkpoint", po::value<std::string>(&from_checkpoint),
        "RUN.h5: continue the replicates from the checkpoint in this run file instead of "
        "simulating the past: run.start must be the checkpoint's month, the seed is the "
        "checkpoint's, and the replicates default to all it holds");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("run: no scenario file given (see ulcsim run --help)");
    if (keep != "all" && keep != "summaries")
        throw UsageError("--keep must be 'all' or 'summaries', not '" + keep + "'");
    std::vector<std::string> overrides = common.scenario_overrides(vm);
    const RunResources resources = common.resources(vm);
    const int threads = resources.threads;

    std::unique_ptr<CheckpointReader> checkpoint;
    if (vm.count("from-checkpoint")) {
        protect_input(from_checkpoint);
        checkpoint = std::make_unique<CheckpointReader>(from_checkpoint);
        const CheckpointInfo& c = checkpoint->info();
        if (vm.count("seed") && common.seed != c.seed)
            throw UsageError("--seed " + std::to_string(common.seed) + " differs from the seed " +
                             std::to_string(c.seed) + " of the checkpoint in " + from_checkpoint +
                             ": a branch keeps the checkpoint's seed");
        // Applied last, and so recorded in the resolved scenario.
        overrides.push_back("run.seed=" + std::to_string(c.seed));
        if (!vm.count("replicates"))
            overrides.push_back("run.replicates=" + std::to_string(c.replicates));
    }

    const Scenario scenario = load_input_scenario(file, overrides);
    if (checkpoint) check_branch(scenario, checkpoint->info());
    const std::optional<ChosenPosterior> posterior = posterior_option.choose(vm, {&scenario});
    std::optional<PosteriorPlan> per_replicate;
    if (posterior) per_replicate = posterior_plan(scenario, posterior->draws);
    std::optional<Month> capture;
    if (vm.count("checkpoint-at")) capture = checkpoint_month(checkpoint_at, scenario);
    const std::filesystem::path out_path = common.output_path(scenario.run.name + ".h5");
    std::filesystem::path csv_path = out_path;
    csv_path.replace_extension(".summary.csv");
    std::filesystem::path programmes_path = out_path;
    programmes_path.replace_extension(".programmes.csv");
    const std::optional<std::filesystem::path> xlsx =
        workbook.path({out_path, csv_path, programmes_path});

    const auto replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    std::int64_t agents = starting_agents(scenario);
    if (checkpoint) {
        agents = 0;
        for (const std::uint32_t used : checkpoint->info().region_used.at(0))
            agents += used;
    }
    OutputSize size = output_size(scenario);
    if (capture) {
        // Every slot, the entrant room included, as its columns hold it.
        double slots = 0;
        if (checkpoint) {
            for (const std::uint32_t capacity : checkpoint->info().region_capacity.at(0))
                slots += capacity;
        } else {
            for (std::size_t k = 0; k < scenario.regions.size(); ++k)
                slots += region_capacity(agents_in_region(scenario, k),
                                         scenario.entrant_room_rate(), scenario.run.months);
        }
        size.summaries += static_cast<double>(replicates) * slots *
                          static_cast<double>(Population::bytes_per_agent);
    }
    const bool keep_replicates = keep == "all";
    if (!common.quiet) {
        std::cerr << "ulcsim run " << scenario.run.name << ": " << with_thousands(agents)
                  << " agents × " << scenario.run.months << " months × " << replicates
                  << (replicates == 1 ? " replicate" : " replicates") << " on "
                  << processes_and_threads(threads) << " → " << out_path.string() << '\n';
        if (checkpoint)
            std::cerr << "  from the checkpoint in " << from_checkpoint << " ("
                      << checkpoint->info().month.to_string() << ", agents synthesised for "
                      << checkpoint->info().origin.to_string() << ")\n";
        if (capture)
            std::cerr << "  checkpoint: every replicate's state at the start of "
                      << capture->to_string() << " (/checkpoint)\n";
        if (posterior)
            std::cerr << "  parameters: each replicate runs with a posterior draw ("
                      << posterior->source() << ")\n";
        std::cerr << "  output about "
                  << byte_size(size.summaries + (keep_replicates ? size.replicates : 0)) << " ("
                  << (keep_replicates ? "replicates " + byte_size(size.replicates) + " + " : "")
                  << "summaries " << byte_size(size.summaries) << ")";
        if (!keep_replicates)
            std::cerr << "; " << byte_size(size.replicates)
                      << " of scratch space beside it while it runs";
        else if (size.replicates > 1e9)
            std::cerr << "; --keep summaries keeps only " << byte_size(size.summaries);
        std::cerr << '\n';
    }

    RunFileWriter writer(out_path, scenario, run_info_of(scenario, threads, keep_replicates),
                         process_role().output);
    RunRecording recording;
    recording.profile = profile;
    recording.from_checkpoint = checkpoint.get();
    recording.from_checkpoint_name = from_checkpoint;
    recording.checkpoint_at = capture;
    if (per_replicate) {
        recording.per_replicate = &*per_replicate;
        recording.parameter_source = posterior->source();
    }
    // The workbook's summary from every replicate's totals, kept as the replicates finish.
    RunTotals totals;
    if (xlsx) {
        totals = run_totals_of(scenario);
        recording.also = [&](std::uint32_t r, const ReplicateSeries& series) {
            add_replicate_totals(totals, r, series);
        };
    }
    const RecordedRun recorded =
        record_run(writer, scenario, recording, runner_with_progress(resources, common.quiet));
    const EnsembleSummary& summary = recorded.summary;
    std::vector<TextOutput> outputs{
        {csv_path, [&](std::ostream& csv) { write_summary_csv(csv, scenario, summary); }},
        {programmes_path,
         [&](std::ostream& csv) { write_programmes_csv(csv, scenario, summary); }}};
    if (xlsx)
        outputs.push_back(workbook_output(*xlsx, [&](const std::filesystem::path& book) {
            write_run_workbook(book, scenario, summary, totals);
        }));
    commit_with_text_files(outputs, [&] { writer.commit(); });

    if (!common.quiet) {
        std::cout << out_path.string() << ", " << csv_path.string() << ", "
                  << programmes_path.string() << (xlsx ? ", " + xlsx->string() : "")
                  << ": written\n";
        print_headline(scenario, summary, std::cout);
    }
    if (profile) print_profile(recorded.phase_times, std::cout);
    return 0;
}

} // namespace ulcsim::cli
