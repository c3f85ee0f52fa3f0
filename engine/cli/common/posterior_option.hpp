#pragma once
// --posterior and --priors, for the commands that run a scenario's replicates (run, compare,
// sweep, target, forecast): a calibrated scenario names its posterior (run.posterior) and runs
// on it unless the command says otherwise.

#include "ulcsim/fit_file.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// The posterior a command runs with, read, and how to say where it came from.
struct ChosenPosterior {
    std::filesystem::path file;
    PosteriorDraws draws;
    bool of_scenario = false; ///< the scenarios' run.posterior, not --posterior
    /// "FILE" or "FILE, the scenario's run.posterior; --priors runs without it".
    std::string source() const;

    /// For the commands whose scenarios are paired by replicate (compare, sweep): replicate r
    /// of every one (`each`: "scenario", "grid point") runs on the same draw. Says so on
    /// stderr, and records the draws in `out` as /replicate_parameters.
    void announce_shared(const std::string& each) const;
    void record_shared(ArrayWriter& out, const Scenario& first) const;
};

struct PosteriorOption {
    std::string file;
    bool priors = false;

    /// Adds --posterior FILE and --priors.
    void add_to(boost::program_options::options_description& options);
    /// --posterior, else the run.posterior the scenarios name unless --priors; nullopt when
    /// neither. Every scenario must name the same one (replicates are paired by their draws):
    /// a UsageError says which differ and what to give instead, as for --posterior with
    /// --priors. The file is read (InputError when it cannot be) and protected as an input.
    std::optional<ChosenPosterior> choose(const boost::program_options::variables_map& vm,
                                          const std::vector<const Scenario*>& scenarios) const;
};

} // namespace ulcsim::cli
