#include "posterior_option.hpp"

#include "commands.hpp"
#include "ensemble_command.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/posterior_plan.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace ulcsim::cli {

std::string ChosenPosterior::source() const {
    return posterior_source(file, of_scenario);
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
        std::optional<std::filesystem::path> named;
        try {
            named = shared_run_posterior(scenarios);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        if (!named) return std::nullopt;
        chosen.file = *named;
        chosen.of_scenario = true;
    }
    protect_input(chosen.file);
    chosen.draws = read_posterior(chosen.file);
    return chosen;
}

} // namespace ulcsim::cli
