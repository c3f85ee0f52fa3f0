#include "command_line.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "terminal_format.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/store.hpp"

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <tbb/task_arena.h>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
    stop_requested = true;
}

/// Ctrl-C ends the run between months: the temporary output is removed, nothing is left
/// under the output name.
class StopOnSignal {
public:
    StopOnSignal() {
        previous_int_ = std::signal(SIGINT, request_stop);
        previous_term_ = std::signal(SIGTERM, request_stop);
    }
    ~StopOnSignal() {
        std::signal(SIGINT, previous_int_);
        std::signal(SIGTERM, previous_term_);
    }

private:
    void (*previous_int_)(int);
    void (*previous_term_)(int);
};

std::string percent(double share) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << share * 100 << '%';
    return out.str();
}

double mean_total(const std::vector<ReplicateSeries>& runs, SeriesMetric m, std::size_t month) {
    double sum = 0;
    for (const ReplicateSeries& r : runs)
        sum += r.total(m, month);
    return sum / static_cast<double>(runs.size());
}

void print_headline(const Scenario& s, const std::vector<ReplicateSeries>& runs,
                    std::ostream& out) {
    const std::size_t last = runs.front().months - 1;
    const auto coverage = [&](std::size_t month) {
        return mean_total(runs, SeriesMetric::covered, month) /
               mean_total(runs, SeriesMetric::labour_force, month);
    };
    const auto share = [&](std::size_t month) {
        return mean_total(runs, SeriesMetric::covered_registered, month) /
               mean_total(runs, SeriesMetric::labour_force, month);
    };
    out << "  coverage     " << percent(coverage(0)) << " of resident workers in "
        << s.run.start.to_string() << ", " << percent(coverage(last)) << " in "
        << s.run.last_month().to_string() << " (mean of " << runs.size()
        << (runs.size() == 1 ? " replicate" : " replicates") << ")\n";
    out << "  share        " << percent(share(0)) << " → " << percent(share(last))
        << " (participants registered in the scenario's regions / resident workers)\n";
    for (std::size_t j = 0; j < s.programmes.size(); ++j) {
        double peak = 0, spent = 0;
        for (const ReplicateSeries& r : runs) {
            double replicate_peak = 0;
            for (std::size_t t = 0; t <= last; ++t) {
                replicate_peak = std::max(replicate_peak, r.at(ProgrammeMetric::members, t, j));
                spent += r.at(ProgrammeMetric::spent_idr, t, j);
            }
            peak += replicate_peak;
        }
        const auto n = static_cast<double>(runs.size());
        out << "  programme    " << s.programmes[j].name << ": at most "
            << with_thousands(std::llround(peak / n)) << " members, spent " << rupiah(spent / n)
            << " (mean)\n";
    }
}

void print_profile(const std::vector<ReplicateSeries>& runs, std::ostream& out) {
    PhaseTimes total;
    for (const ReplicateSeries& r : runs)
        for (std::size_t p = 0; p < PhaseTimes::count; ++p)
            total.seconds[p] += r.phase_times.seconds[p];
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

} // namespace

int run_command(const std::vector<std::string>& args) {
    std::string file;
    std::string output;
    std::vector<std::string> overrides;
    int replicates = 0;
    int threads = 0;
    std::uint64_t seed = 0;
    int months = 0;
    bool profile = false;
    bool quiet = false;
    po::options_description options(
        "Usage: ulcsim run FILE [options]\n\n"
        "Simulates the scenario's replicates month by month and writes the monthly series\n"
        "to an HDF5 run file (h5py, pandas and h5dump read it; layout in README.md).\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help")(
        "output,o", po::value<std::string>(&output),
        "run file to write (default: <run.name>.h5 in the current directory)")(
        "replicates", po::value<int>(&replicates), "replicates (default: run.replicates)")(
        "threads", po::value<int>(&threads),
        "worker threads (default: every core); the output does not depend on it")(
        "seed", po::value<std::uint64_t>(&seed), "random seed (default: run.seed)")(
        "months", po::value<int>(&months), "months to simulate (default: run.months)")(
        "set", po::value<std::vector<std::string>>(&overrides)->composing(),
        "override a scenario key: --set key.path=value (repeatable)")(
        "profile", po::bool_switch(&profile), "print the time spent in each phase")(
        "quiet,q", po::bool_switch(&quiet), "no progress and no summary");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("run: no scenario file given (see ulcsim run --help)");
    if (vm.count("replicates") && (replicates < 1 || replicates > 100'000))
        throw UsageError("--replicates must be between 1 and 100000");
    if (vm.count("months") && (months < 1 || months > 1200))
        throw UsageError("--months must be between 1 and 1200");
    if (vm.count("threads") && (threads < 1 || threads > 1024))
        throw UsageError("--threads must be between 1 and 1024");
    // The run options are scenario keys: applied last, they are validated like any other
    // and recorded in the resolved scenario the output keeps.
    if (vm.count("replicates")) overrides.push_back("run.replicates=" + std::to_string(replicates));
    if (vm.count("months")) overrides.push_back("run.months=" + std::to_string(months));
    if (vm.count("seed")) overrides.push_back("run.seed=" + std::to_string(seed));

    const Scenario scenario = load_scenario(file, overrides);
    const std::filesystem::path out_path = output.empty()
                                               ? std::filesystem::path(scenario.run.name + ".h5")
                                               : std::filesystem::path(output);
    const std::filesystem::path directory =
        out_path.has_parent_path() ? out_path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(directory))
        throw UsageError("cannot write " + out_path.string() + ": directory " + directory.string() +
                         " does not exist");
    if (!vm.count("threads")) threads = tbb::this_task_arena::max_concurrency();

    std::int64_t agents = 0;
    for (std::size_t k = 0; k < scenario.regions.size(); ++k)
        agents += agents_in_region(scenario, k);
    const auto total_replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    if (!quiet)
        std::cerr << "ulcsim run " << scenario.run.name << ": " << with_thousands(agents)
                  << " agents × " << scenario.run.months << " months × " << total_replicates
                  << (total_replicates == 1 ? " replicate" : " replicates") << " on " << threads
                  << (threads == 1 ? " thread" : " threads") << " → " << out_path.string() << '\n';

    RunInfo info;
    info.seed = scenario.run.seed;
    info.start = scenario.run.start;
    info.months = scenario.run.months;
    info.replicates = total_replicates;
    info.threads = threads;
    RunFileWriter writer(out_path, scenario, info);

    StopOnSignal stop_on_signal;
    Progress progress(agents * scenario.run.months * total_replicates, quiet);
    std::vector<ReplicateSeries> runs;
    tbb::task_arena arena(threads);
    for (std::uint32_t r = 0; r < total_replicates; ++r) {
        SimulationOptions sim;
        sim.profile = profile;
        sim.on_month = [&](int done) {
            if (stop_requested) throw Interrupted("interrupted: nothing written");
            progress.update((static_cast<std::int64_t>(r) * scenario.run.months + done) * agents,
                            "replicate " + std::to_string(r + 1) + "/" +
                                std::to_string(total_replicates) + ", month " +
                                std::to_string(done) + "/" + std::to_string(scenario.run.months));
        };
        ReplicateSeries series;
        arena.execute([&] { series = simulate_replicate(scenario, r, sim); });
        writer.write_replicate(r, series);
        // The summary needs only totals; keep the series (small next to the agents).
        runs.push_back(std::move(series));
    }
    writer.commit();
    progress.finish();

    if (!quiet) {
        std::cout << out_path.string() << ": written\n";
        print_headline(scenario, runs, std::cout);
    }
    if (profile) print_profile(runs, std::cout);
    return 0;
}

} // namespace ulcsim::cli
