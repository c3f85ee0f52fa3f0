#include "ensemble_command.hpp"

#include "command_line.hpp"
#include "commands.hpp"
#include "interruption.hpp"
#include "out_of_memory.hpp"
#include "process_role.hpp"
#include "progress.hpp"
#include "terminal_format.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/output_sink.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario_warnings.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/text_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <tbb/task_arena.h>

namespace ulcsim::cli {

namespace po = boost::program_options;

void EnsembleCommandOptions::add_to(po::options_description& options,
                                    const std::string& output_help) {
    options.add_options()("output,o",
                          po::value<std::string>(&output)->notifier(refuse_empty_output),
                          output_help.c_str())("replicates", po::value<int>(&replicates),
                                               "replicates (default: run.replicates)")(
        "threads", po::value<int>(&threads),
        "worker threads (default: every core); the output does not depend on it")(
        "replicates-at-once", po::value<std::size_t>(&replicates_at_once),
        "most replicates in memory at once (default: one per thread)")(
        "memory-limit", po::value<std::string>(&memory_limit),
        "refuse to start a run estimated to need more, e.g. 2G, 1.5GiB (the machine's memory, "
        "its control group's limit and ulimit -v and -d apply too)")(
        "distribute", po::value<std::string>(&distribute),
        "under mpirun: replicates (each rank runs whole replicates), regions (every rank "
        "runs a share of each replicate's regions, for replicates too large for one "
        "machine) or auto (default: replicates when there are at least as many as ranks)")(
        "seed", po::value<std::string>(&seed_text), "random seed (default: run.seed)")(
        "months", po::value<int>(&months), "months to simulate (default: run.months)")(
        "set", po::value<std::vector<std::string>>(&overrides)->composing(),
        "override a scenario key: --set key.path=value (repeatable)")(
        "quiet,q", po::bool_switch(&quiet), "no progress and no summary");
}

std::vector<std::string> EnsembleCommandOptions::scenario_overrides(const po::variables_map& vm) {
    if (vm.count("replicates") && (replicates < 1 || replicates > 100'000))
        throw UsageError("--replicates must be between 1 and 100000");
    if (vm.count("months") && (months < 1 || months > 1200))
        throw UsageError("--months must be between 1 and 1200");
    if (vm.count("threads") && (threads < 1 || threads > 1024))
        throw UsageError("--threads must be between 1 and 1024");
    if (vm.count("seed")) seed = seed_option(seed_text);
    std::vector<std::string> all = overrides;
    if (vm.count("replicates")) all.push_back("run.replicates=" + std::to_string(replicates));
    if (vm.count("months")) all.push_back("run.months=" + std::to_string(months));
    if (vm.count("seed")) all.push_back("run.seed=" + std::to_string(seed));
    return all;
}

int EnsembleCommandOptions::thread_count(const po::variables_map& vm) const {
    if (vm.count("threads")) return threads;
    // Ranks bound to cores see only theirs; unbound ones would otherwise each take every core.
    return std::max(1, tbb::this_task_arena::max_concurrency() /
                           std::max(1, process_role().ranks_on_this_machine));
}

RunResources EnsembleCommandOptions::resources(const po::variables_map& vm) const {
    RunResources r;
    r.threads = thread_count(vm);
    if (vm.count("replicates-at-once")) {
        if (replicates_at_once < 1 || replicates_at_once > 100'000)
            throw UsageError("--replicates-at-once must be between 1 and 100000");
        r.replicates_at_once = replicates_at_once;
    }
    if (distribute == "auto")
        r.distribution = Distribution::automatic;
    else if (distribute == "replicates")
        r.distribution = Distribution::replicates;
    else if (distribute == "regions")
        r.distribution = Distribution::regions;
    else
        throw UsageError("--distribute must be auto, replicates or regions, not '" + distribute +
                         "'");
    const MemoryBudget budget = memory_budget(
        vm.count("memory-limit") ? parse_byte_size(memory_limit, "--memory-limit") : 0);
    r.memory_limit = budget.bytes;
    r.memory_limit_source = budget.source;
    return r;
}

std::uint64_t parse_byte_size(const std::string& text, const std::string& option) {
    const auto bad = [&] {
        return UsageError(option + " '" + text +
                          "': expected a size such as 2G, 1.5GiB, 800M or a number of bytes");
    };
    std::size_t end = 0;
    double number = 0;
    try {
        number = std::stod(text, &end);
    } catch (const std::exception&) {
        throw bad();
    }
    std::string unit = text.substr(end);
    if (!unit.empty() && unit.back() == 'B') unit.pop_back();
    static const std::pair<const char*, double> units[] = {{"", 1},
                                                           {"k", 1e3},
                                                           {"K", 1e3},
                                                           {"M", 1e6},
                                                           {"G", 1e9},
                                                           {"T", 1e12},
                                                           {"Ki", 1024.0},
                                                           {"Mi", 1048576.0},
                                                           {"Gi", 1073741824.0},
                                                           {"Ti", 1099511627776.0}};
    for (const auto& [name, factor] : units)
        if (unit == name) {
            const double bytes = number * factor;
            if (!(bytes >= 1) || bytes > 1e18) throw bad();
            return static_cast<std::uint64_t>(bytes);
        }
    throw bad();
}

ExecutionContext RunResources::context() const {
    ExecutionContext c;
    c.threads = threads;
    c.replicates_at_once = replicates_at_once;
    c.cluster = process_role().cluster;
    c.output = process_role().output;
    c.distribution = distribution;
    return c;
}

void check_memory(const RunPlan& plan, const EnsembleOptions& options,
                  const RunResources& resources, bool quiet) {
    const MemoryCheck check =
        ulcsim::check_memory(plan, options, resources.context(), resources.memory_limit);
    const MemoryEstimate& e = check.estimate;
    const double all_agents = static_cast<double>(e.slots) * Population::bytes_per_agent;
    const double limit = check.limit;
    const std::string limit_text =
        resources.memory_limit == 0 ? "an unknown amount"
                                    : byte_size(limit) + " (" + resources.memory_limit_source + ")";
    std::ostringstream share;
    share << std::fixed << std::setprecision(0) << 100 * check.agent_share;
    const std::string how =
        std::to_string(e.replicates_at_once) +
        (e.replicates_at_once == 1 ? " replicate" : " replicates at once, each") + " up to " +
        byte_size(e.per_replicate) + ": " + with_thousands(e.slots) + " agent slots × " +
        std::to_string(Population::bytes_per_agent) + " B = " + byte_size(all_agents) +
        ", room for entrants included" +
        (options.on_checkpoint ? ", and as much again for the checkpoint's copy" : "") +
        (check.agent_share < 1 ? ", of which this rank's regions hold at most " + share.str() + "%"
                               : "");
    if (!quiet)
        std::cerr << "  memory: up to " << byte_size(e.total()) << " (" << how << ") of "
                  << limit_text << '\n';
    if (check.fits) {
        std::size_t replicates = 0;
        for (const PlannedScenario& m : plan.entries())
            replicates += m.replicates.count;
        note_ensemble_started(e.total(), resources.memory_limit == 0 ? 0 : limit,
                              resources.memory_limit_source, replicates);
        return;
    }

    std::string fixes;
    for (const MemoryFix& fix : check.fixes) {
        if (fix.scale_workers_per_agent == 0) {
            fixes += "\n  --replicates-at-once " + std::to_string(fix.replicates_at_once) +
                     " (up to " + byte_size(fix.bytes) + ")";
            continue;
        }
        std::ostringstream value;
        value << fix.scale_workers_per_agent;
        fixes += "\n  --set population.scale=" + value.str() +
                 (fix.replicates_at_once != 0 ? " --replicates-at-once 1" : "") + " (" +
                 value.str() + " workers per agent: up to " + byte_size(fix.bytes) + ")";
    }
    throw UsageError("not enough memory: this run needs up to " + byte_size(e.total()) + " (" +
                     how + "), more than " + limit_text + ". " +
                     (fixes.empty() ? "Nothing on the command line makes it fit: it needs a "
                                      "machine with more memory."
                                    : "To make it fit, run with one of:" + fixes));
}

void refuse_empty_output(const std::string& name) {
    if (name.empty()) throw UsageError("-o: the output name is empty");
}

Scenario load_input_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides) {
    Scenario scenario = load_scenario(file, overrides);
    for (const std::filesystem::path& read : scenario.source_files)
        protect_input(read);
    // On rank 0 alone, as everything printed; even with -q, since they are what the run will
    // not do that its file seems to ask.
    if (process_role().rank == 0)
        for (const Diagnostic& w : scenario_warnings(scenario))
            std::cerr << w.format() << '\n';
    return scenario;
}

void protect_input(const std::filesystem::path& input) {
    if (OutputSink* sink = process_role().output) sink->protect_input(input);
}

std::filesystem::path EnsembleCommandOptions::output_path(const std::string& default_name) const {
    const std::filesystem::path out = output.empty() ? default_name : output;
    if (const OutputSink* sink = process_role().output) sink->refuse_if_input(out);
    const std::filesystem::path directory =
        out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    // Ranks that write nothing need not see rank 0's directory.
    const OutputSink* sink = process_role().output;
    if (!(sink && sink->discards()) && !std::filesystem::is_directory(directory))
        throw UsageError("cannot write " + out.string() + ": directory " + directory.string() +
                         " does not exist");
    // Found now rather than when the finished output cannot be renamed over it.
    if (!(sink && sink->discards()) && (!out.has_filename() || std::filesystem::is_directory(out)))
        throw UsageError("cannot write " + out.string() + ": it is a directory; -o names the " +
                         "file to write, e.g. " + (out / default_name).lexically_normal().string());
    if (OutputSink* claimer = process_role().output)
        for (const std::filesystem::path& stale : claimer->claim(out))
            std::cerr << "ulcsim: removed " << stale.string()
                      << ", left by a run on this output that did not finish\n";
    return out;
}

void commit_with_csv(const std::filesystem::path& csv,
                     const std::function<void(std::ostream&)>& write_csv,
                     const std::function<void()>& commit) {
    commit_with_text_files({{csv, write_csv}}, commit);
}

void commit_with_text_files(const std::vector<TextOutput>& csvs,
                            const std::function<void()>& commit) {
    ulcsim::commit_with_text_files(csvs, commit, process_role().output, outputs_being_committed);
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

void run_ensemble_with_progress(const RunPlan& plan, const EnsembleOptions& options,
                                const RunResources& resources, bool quiet) {
    check_memory(plan, options, resources, quiet);
    ExecutionContext context = resources.context();
    const std::int64_t total = plan.agent_months();
    Progress progress(total, quiet);
    context.on_progress = [&](const EnsembleProgress& p) {
        // The last replicate's months are all simulated before it is stored: 100% waits
        // for the store.
        const std::int64_t done = p.replicates_done < p.replicates_total
                                      ? std::min(p.agent_months_done, total - 1)
                                      : total;
        progress.update(done, "replicates " + std::to_string(p.replicates_done) + "/" +
                                  std::to_string(p.replicates_total));
        note_replicates_done(p.replicates_done);
    };
    run_ensemble(plan, context, options);
    note_ensemble_finished();
    progress.finish();
    if (context.ranks() > 1 && context.rank() != 0 && options.results_on == ResultsOn::rank_zero)
        throw ShareDone{};
}

PlanRunner runner_with_progress(const RunResources& resources, bool quiet) {
    return [resources, quiet](const RunPlan& plan, const EnsembleOptions& options) {
        run_ensemble_with_progress(plan, options, resources, quiet);
    };
}

} // namespace ulcsim::cli
