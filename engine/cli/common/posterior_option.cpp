#include "posterior_option.hpp"

#include "commands.hpp"
#include "ensemble_command.hpp"
#include "ulcsim/forecast_file.hpp"

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace ulcsim::cli {

std::string ChosenPosterior::source() const {
    return file.string() +
           (of_scenario ? ", the scenario's run.posterior; --priors runs without it" : "");
}

void ChosenPosterior::announce_shared(const std::string& each) const {
    std::cerr << "  parameters: replicate r of every " << each
              << " runs with the same posterior draw (" << source() << ")\n";
}

void ChosenPosterior::record_shared(ArrayWriter& out, const Scenario& first) const {
    write_run_parameters(out, posterior_plan(first, draws), source());
}

void PosteriorOption::add_to(po::options_description& options) {
    options.add_options()(
        "posterior", po::value<std::string>(&file),
        "FIT.h5 (or NAME.posterior.csv) from `ulcsim calibrate`: each replicate runs with a "
        "posterior draw of the fitted parameters, so that their uncertainty enters the "
        "intervals (default: the scenario's run.posterior, if it names one)")(
        "priors", po::bool_switch(&priors),
        "run with the scenario's own values even when its run.posterior names a fit");
}

std::optional<ChosenPosterior>
PosteriorOption::choose(const po::variables_map& vm,
                        const std::vector<const Scenario*>& scenarios) const {
    if (vm.count("posterior") && priors)
        throw UsageError("--posterior and --priors cannot be combined");
    if (priors) return std::nullopt;
    ChosenPosterior chosen;
    if (vm.count("posterior")) {
        chosen.file = file;
    } else {
        const auto names = [](const Scenario* s) { return !s->run.posterior.empty(); };
        const auto first = std::find_if(scenarios.begin(), scenarios.end(), names);
        if (first == scenarios.end()) return std::nullopt;
        const Scenario* named = *first;
        for (const Scenario* s : scenarios) {
            const bool differs =
                !names(s) || !std::filesystem::equivalent(s->run.posterior, named->run.posterior);
            if (differs)
                throw UsageError(s->file.string() +
                                 (names(s) ? " names another run.posterior than "
                                           : " names no run.posterior but ") +
                                 named->file.string() +
                                 " does, and paired replicates must share their parameters: "
                                 "give --posterior FILE for all of them, or --priors");
        }
        chosen.file = named->run.posterior;
        chosen.of_scenario = true;
    }
    protect_input(chosen.file);
    chosen.draws = read_posterior(chosen.file);
    return chosen;
}

} // namespace ulcsim::cli
