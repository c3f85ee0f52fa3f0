#include "posterior_option.hpp"

#include "commands.hpp"
#include "ensemble_command.hpp"

namespace po = boost::program_options;

namespace ulcsim::cli {

std::string ChosenPosterior::source() const {
    return file.string() +
           (of_scenario ? ", the scenario's run.posterior; --priors runs without it" : "");
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
        const Scenario* named = nullptr; // the first that names one
        const Scenario* unnamed = nullptr;
        for (const Scenario* s : scenarios) {
            const Scenario*& first = s->run.posterior.empty() ? unnamed : named;
            if (!first) first = s;
        }
        if (!named) return std::nullopt;
        const auto refuse = [&](const Scenario& other, const std::string& why) {
            throw UsageError(other.file.string() + why + named->file.string() +
                             " does, and paired replicates must share their parameters: give "
                             "--posterior FILE for all of them, or --priors");
        };
        if (unnamed) refuse(*unnamed, " names no run.posterior but ");
        for (const Scenario* s : scenarios)
            if (!std::filesystem::equivalent(s->run.posterior, named->run.posterior))
                refuse(*s, " names another run.posterior than ");
        chosen.file = named->run.posterior;
        chosen.of_scenario = true;
    }
    protect_input(chosen.file);
    chosen.draws = read_posterior(chosen.file);
    return chosen;
}

} // namespace ulcsim::cli
