#pragma once
// What the commands that run ensembles (run, compare, sweep) share: the run options, the
// output path check, Ctrl-C, and progress on stderr.

#include "ulcsim/ensemble.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim::cli {

struct EnsembleCommandOptions {
    std::string output;
    std::vector<std::string> overrides;
    int replicates = 0;
    int threads = 0;
    std::uint64_t seed = 0;
    int months = 0;
    bool quiet = false;

    /// Adds -o, --replicates, --threads, --seed, --months, --set and --quiet.
    void add_to(boost::program_options::options_description& options,
                const std::string& output_help);
    /// Checks the values given and returns the --set overrides followed by the run options
    /// as run.* overrides: applied last, they are validated like any scenario key and
    /// recorded in the resolved scenario.
    std::vector<std::string>
    scenario_overrides(const boost::program_options::variables_map& vm) const;
    /// -o, or `default_name` in the current directory; a UsageError when its directory
    /// does not exist.
    std::filesystem::path output_path(const std::string& default_name) const;
    /// --threads, or every core.
    int thread_count(const boost::program_options::variables_map& vm) const;
};

/// Writes the CSV beside an HDF5 output under a temporary name, commits the HDF5 file, then
/// renames the CSV: both appear only when both are complete, and neither after a failure.
void commit_with_csv(const std::filesystem::path& csv,
                     const std::function<void(std::ostream&)>& write_csv,
                     const std::function<void()>& commit);

/// A size in bytes for people: "1.2 GB", "340 kB".
std::string byte_size(double bytes);

/// Runs the ensemble with a progress bar (or lines) on stderr unless quiet; Ctrl-C or
/// SIGTERM stop it with Interrupted ("interrupted: nothing written").
void run_ensemble_with_progress(const std::vector<EnsembleMember>& members, EnsembleOptions options,
                                bool quiet);

} // namespace ulcsim::cli
