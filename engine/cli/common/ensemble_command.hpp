#pragma once
// What the commands that run ensembles (run, compare, sweep) share: the run options, the
// output path check and claim, and progress on stderr (Ctrl-C: interruption.hpp).

#include "ulcsim/comparison.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/text_outputs.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// What an ensemble may use of the machine.
struct RunResources {
    int threads = 1;
    std::size_t replicates_at_once = 0;                  ///< 0: one per thread
    std::uint64_t memory_limit = 0;                      ///< bytes; 0: unknown, not checked
    std::string memory_limit_source;                     ///< what sets it (MemoryBudget::source)
    Distribution distribution = Distribution::automatic; ///< --distribute, under mpirun

    /// The execution context of this process (its cluster included), without progress.
    ExecutionContext context() const;
};

struct EnsembleCommandOptions {
    std::string output;
    std::vector<std::string> overrides;
    int replicates = 0;
    int threads = 0;
    std::uint64_t seed = 0; ///< --seed, once scenario_overrides has checked seed_text
    std::string seed_text;
    int months = 0;
    bool quiet = false;
    std::size_t replicates_at_once = 0;
    std::string memory_limit;
    std::string distribute = "auto";

    /// Adds -o, --replicates, --threads, --replicates-at-once, --memory-limit, --distribute,
    /// --seed, --months, --set and --quiet.
    void add_to(boost::program_options::options_description& options,
                const std::string& output_help);
    /// Checks the values given (sets `seed` from --seed) and returns the --set overrides
    /// followed by the run options
    /// as run.* overrides: applied last, they are validated like any scenario key and
    /// recorded in the resolved scenario.
    std::vector<std::string> scenario_overrides(const boost::program_options::variables_map& vm);
    /// -o, or `default_name` in the current directory; a UsageError when its directory
    /// does not exist, an InputError when it is one of the command's inputs or another
    /// process is writing it. Claims it (OutputSink::claim: its lock, for the rest of the
    /// command) and says which stale temporary files of it were removed.
    std::filesystem::path output_path(const std::string& default_name) const;
    /// --threads, or every core (shared with the other ranks of an MPI job on this machine).
    int thread_count(const boost::program_options::variables_map& vm) const;
    /// The threads, --replicates-at-once and the memory budget: the smallest of --memory-limit,
    /// the machine's memory and the process's limits (memory_budget).
    RunResources resources(const boost::program_options::variables_map& vm) const;
};

/// A size such as "2G", "1.5GiB", "800M", "512MiB" or "1000000" in bytes (k, M, G, T are
/// powers of 1000; Ki, Mi, Gi, Ti of 1024; a trailing B is optional). UsageError otherwise.
std::uint64_t parse_byte_size(const std::string& text, const std::string& option);

/// Prints the memory the ensemble will need (unless quiet) and throws UsageError, saying
/// how to make it fit, when that is more than the limit.
void check_memory(const RunPlan& plan, const EnsembleOptions& options,
                  const RunResources& resources, bool quiet);

/// Refuses `-o ''` (a notifier for the option).
void refuse_empty_output(const std::string& name);
/// Loads a scenario and protects every file it was read from against the command's outputs.
Scenario load_input_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides);
/// Protects one input file (a run file, checkpoint or posterior) against the outputs.
void protect_input(const std::filesystem::path& input);

/// Writes the CSV beside an HDF5 output under a temporary name, commits the HDF5 file, then
/// renames the CSV: both appear only when both are complete, and neither after a failure.
void commit_with_csv(const std::filesystem::path& csv,
                     const std::function<void(std::ostream&)>& write_csv,
                     const std::function<void()>& commit);

/// A text file to put beside an HDF5 output (ulcsim/text_outputs.hpp).
using ulcsim::TextOutput;
/// commit_with_csv for several text files: all of them appear only when all are complete.
void commit_with_text_files(const std::vector<TextOutput>& csvs,
                            const std::function<void()>& commit);

/// A size in bytes for people: "1.2 GB", "340 kB".
std::string byte_size(double bytes);

/// Checks the memory (check_memory), then runs the ensemble with the resources' threads,
/// replicates at once and distribution, with a progress bar (or lines) on stderr unless
/// quiet.
/// Under mpirun, with options.results_on rank_zero, the ranks other than 0 throw ShareDone
/// once their replicates are sent: the caller only writes the output after it.
void run_ensemble_with_progress(const RunPlan& plan, const EnsembleOptions& options,
                                const RunResources& resources, bool quiet);

/// run_ensemble_with_progress as a PlanRunner, for the library's operations that build plans.
PlanRunner runner_with_progress(const RunResources& resources, bool quiet);

} // namespace ulcsim::cli
