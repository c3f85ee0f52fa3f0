#include "ensemble_command.hpp"

#include "commands.hpp"
#include "progress.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <iomanip>
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
        stop_requested = false;
        previous_int_ = std::signal(SIGINT, request_stop);
        previous_term_ = std::signal(SIGTERM, request_stop);
    }
    ~StopOnSignal() {
        std::signal(SIGINT, previous_int_);
        std::signal(SIGTERM, previous_term_);
    }
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;

private:
    void (*previous_int_)(int);
    void (*previous_term_)(int);
};

} // namespace

void EnsembleCommandOptions::add_to(po::options_description& options,
                                    const std::string& output_help) {
    options.add_options()("output,o", po::value<std::string>(&output), output_help.c_str())(
        "replicates", po::value<int>(&replicates), "replicates (default: run.replicates)")(
        "threads", po::value<int>(&threads),
        "worker threads (default: every core); the output does not depend on it")(
        "seed", po::value<std::uint64_t>(&seed), "random seed (default: run.seed)")(
        "months", po::value<int>(&months), "months to simulate (default: run.months)")(
        "set", po::value<std::vector<std::string>>(&overrides)->composing(),
        "override a scenario key: --set key.path=value (repeatable)")(
        "quiet,q", po::bool_switch(&quiet), "no progress and no summary");
}

std::vector<std::string>
EnsembleCommandOptions::scenario_overrides(const po::variables_map& vm) const {
    if (vm.count("replicates") && (replicates < 1 || replicates > 100'000))
        throw UsageError("--replicates must be between 1 and 100000");
    if (vm.count("months") && (months < 1 || months > 1200))
        throw UsageError("--months must be between 1 and 1200");
    if (vm.count("threads") && (threads < 1 || threads > 1024))
        throw UsageError("--threads must be between 1 and 1024");
    std::vector<std::string> all = overrides;
    if (vm.count("replicates")) all.push_back("run.replicates=" + std::to_string(replicates));
    if (vm.count("months")) all.push_back("run.months=" + std::to_string(months));
    if (vm.count("seed")) all.push_back("run.seed=" + std::to_string(seed));
    return all;
}

int EnsembleCommandOptions::thread_count(const po::variables_map& vm) const {
    return vm.count("threads") ? threads : tbb::this_task_arena::max_concurrency();
}

std::filesystem::path EnsembleCommandOptions::output_path(const std::string& default_name) const {
    const std::filesystem::path out = output.empty() ? default_name : output;
    const std::filesystem::path directory =
        out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(directory))
        throw UsageError("cannot write " + out.string() + ": directory " + directory.string() +
                         " does not exist");
    return out;
}

void commit_with_csv(const std::filesystem::path& csv,
                     const std::function<void(std::ostream&)>& write_csv,
                     const std::function<void()>& commit) {
    commit_with_text_files({{csv, write_csv}}, commit);
}

void commit_with_text_files(const std::vector<TextOutput>& csvs,
                            const std::function<void()>& commit) {
    const auto temporary = [](const std::filesystem::path& path) {
        std::filesystem::path t = path;
        t += ".tmp";
        return t;
    };
    try {
        for (const TextOutput& csv : csvs) {
            std::ofstream out(temporary(csv.path));
            if (!out) throw std::runtime_error("cannot write " + temporary(csv.path).string());
            csv.write(out);
            out.close();
            if (!out) throw std::runtime_error("cannot write " + temporary(csv.path).string());
        }
        commit();
        for (const TextOutput& csv : csvs)
            std::filesystem::rename(temporary(csv.path), csv.path);
    } catch (...) {
        std::error_code ec;
        for (const TextOutput& csv : csvs)
            std::filesystem::remove(temporary(csv.path), ec);
        throw;
    }
}

std::string byte_size(double bytes) {
    static constexpr const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    std::size_t u = 0;
    while (bytes >= 1000 && u + 1 < std::size(units)) {
        bytes /= 1000;
        ++u;
    }
    std::ostringstream out;
    out << std::fixed << std::setprecision(bytes < 10 && u > 0 ? 1 : 0) << bytes << ' ' << units[u];
    return out.str();
}

void run_ensemble_with_progress(const std::vector<EnsembleMember>& members, EnsembleOptions options,
                                bool quiet) {
    StopOnSignal stop_on_signal;
    std::int64_t total = 0;
    for (const EnsembleMember& m : members)
        total += starting_agents(*m.scenario) * m.scenario->run.months * m.replicates.count;
    Progress progress(total, quiet);
    options.on_progress = [&](const EnsembleProgress& p) {
        if (stop_requested) throw Interrupted("interrupted: nothing written");
        // The last replicate's months are all simulated before it is stored: 100% waits
        // for the store.
        const std::int64_t done = p.replicates_done < p.replicates_total
                                      ? std::min(p.agent_months_done, total - 1)
                                      : total;
        progress.update(done, "replicates " + std::to_string(p.replicates_done) + "/" +
                                  std::to_string(p.replicates_total));
    };
    run_ensemble(members, options);
    if (stop_requested) throw Interrupted("interrupted: nothing written");
    progress.finish();
}

MeasuredScenarios measure_scenarios(
    const std::vector<Scenario>& scenarios, std::uint32_t replicates,
    const OutcomeSettings& settings, int threads, bool quiet,
    const std::function<void(std::size_t, std::uint32_t, const ReplicateOutcome&)>& on_outcome) {
    const std::size_t S = scenarios.size();
    MeasuredScenarios m;
    m.values.assign(S, std::vector<std::vector<double>>(replicates));
    std::vector<EnsembleMember> members;
    for (const Scenario& s : scenarios)
        members.push_back({&s, {0, replicates}});
    EnsembleOptions ensemble;
    ensemble.threads = threads;
    ensemble.on_replicate = [&](std::size_t i, std::uint32_t r, ReplicateSeries&& series) {
        const ReplicateOutcome outcome = outcome_of(series);
        m.values[i][r] = measure_values(outcome, settings);
        if (on_outcome) on_outcome(i, r, outcome);
    };
    run_ensemble_with_progress(members, ensemble, quiet);

    for (std::size_t i = 0; i < S; ++i) {
        m.levels.push_back(measure_statistics(m.values[i], settings, false));
        std::vector<std::vector<double>> paired;
        for (std::uint32_t r = 0; r < replicates; ++r)
            paired.push_back(paired_differences(m.values[i][r], m.values[0][r], settings));
        m.differences.push_back(measure_statistics(paired, settings, true));
    }
    return m;
}

void write_measured(ArrayWriter& out, const std::vector<OutcomeMeasure>& measures,
                    const MeasuredScenarios& measured, const std::vector<std::size_t>& leading,
                    const std::vector<std::string>& leading_names,
                    const std::string& difference_units) {
    std::vector<std::string> names, units;
    for (const OutcomeMeasure& m : measures) {
        names.push_back(m.name);
        units.push_back(m.units);
    }
    out.write_strings("/measures/name", names, "measure", "text");
    out.write_strings("/measures/units", units, "measure", "text");
    out.write_strings("/statistic",
                      {summary_statistic_names.begin(), summary_statistic_names.end()}, "statistic",
                      "text");

    const std::size_t M = measures.size();
    const std::size_t replicates = measured.values.empty() ? 0 : measured.values[0].size();
    std::vector<double> values, levels, differences;
    for (std::size_t i = 0; i < measured.values.size(); ++i)
        for (std::size_t m = 0; m < M; ++m) {
            for (std::size_t r = 0; r < replicates; ++r)
                values.push_back(measured.values[i][r][m]);
            for (std::size_t st = 0; st < summary_statistic_count; ++st) {
                levels.push_back(measured.levels[i][m][st]);
                differences.push_back(measured.differences[i][m][st]);
            }
        }
    const auto shape = [&](std::size_t last, const std::string& name) {
        std::pair<std::vector<std::size_t>, std::vector<std::string>> d{leading, leading_names};
        d.first.insert(d.first.end(), {M, last});
        d.second.insert(d.second.end(), {"measure", name});
        return d;
    };
    const auto [value_dims, value_names] = shape(replicates, "replicate");
    const auto [statistic_dims, statistic_names] = shape(summary_statistic_count, "statistic");
    out.write_array("/values", value_dims, value_names, "see /measures/units", values);
    out.write_array("/statistics", statistic_dims, statistic_names, "see /measures/units", levels);
    out.write_array("/differences", statistic_dims, statistic_names, difference_units, differences);
}

} // namespace ulcsim::cli
