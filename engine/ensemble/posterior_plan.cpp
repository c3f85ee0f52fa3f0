#include "ulcsim/posterior_plan.hpp"

#include "ulcsim/calibration.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/vary.hpp"

#include <map>
#include <memory>
#include <stdexcept>

namespace ulcsim {

PosteriorPlan posterior_plan(const Scenario& base, const std::vector<std::string>& keys,
                             const std::vector<std::vector<double>>& draws,
                             const std::vector<double>& weights) {
    if (draws.size() != weights.size())
        throw std::invalid_argument("posterior_plan: " + std::to_string(draws.size()) +
                                    " draws but " + std::to_string(weights.size()) + " weights");
    for (const std::vector<double>& d : draws)
        if (d.size() != keys.size())
            throw std::invalid_argument("posterior_plan: a draw has " + std::to_string(d.size()) +
                                        " values for " + std::to_string(keys.size()) + " keys");
    PosteriorPlan p;
    p.keys = keys;
    const auto R = static_cast<std::size_t>(base.run.replicates);
    p.draw = draws_for_replicates(Eigen::Map<const Eigen::VectorXd>(
                                      weights.data(), static_cast<Eigen::Index>(weights.size())),
                                  R);
    std::map<std::size_t, std::shared_ptr<const Scenario>> made; // a draw's scenario made once
    for (std::size_t r = 0; r < R; ++r) {
        const std::size_t d = p.draw[r];
        p.values.push_back(draws[d]);
        std::shared_ptr<const Scenario>& scenario = made[d];
        if (!scenario) {
            std::vector<KeyValue> values;
            for (std::size_t i = 0; i < keys.size(); ++i)
                values.push_back({keys[i], draws[d][i]});
            scenario = std::make_shared<const Scenario>(vary(base, values));
        }
        p.plan.add(scenario, {static_cast<std::uint32_t>(r), 1});
    }
    return p;
}

PosteriorPlan posterior_plan(const Scenario& base, const PosteriorDraws& posterior) {
    return posterior_plan(base, posterior.keys, posterior.draws, posterior.weights);
}

void add_replicates(RunPlan& plan, const Scenario& scenario, std::uint32_t replicates,
                    const PosteriorDraws* posterior) {
    if (!posterior) {
        plan.add(scenario, {0, replicates});
        return;
    }
    Scenario with_replicates = scenario;
    with_replicates.run.replicates = static_cast<int>(replicates);
    const PosteriorPlan drawn = posterior_plan(with_replicates, *posterior);
    for (const PlannedScenario& entry : drawn.plan.entries())
        plan.add(entry.scenario, entry.replicates, entry.seed);
}

std::optional<std::filesystem::path>
shared_run_posterior(const std::vector<const Scenario*>& scenarios) {
    const Scenario* named = nullptr; // the first that names one
    const Scenario* unnamed = nullptr;
    for (const Scenario* s : scenarios) {
        const Scenario*& first = s->run.posterior.empty() ? unnamed : named;
        if (!first) first = s;
    }
    if (!named) return std::nullopt;
    const auto refuse = [&](const Scenario& other, const std::string& why) {
        throw std::invalid_argument(other.file.string() + why + named->file.string() +
                                    " does, and paired replicates must share their parameters: "
                                    "give --posterior FILE for all of them, or --priors");
    };
    if (unnamed) refuse(*unnamed, " names no run.posterior but ");
    for (const Scenario* s : scenarios)
        if (!std::filesystem::equivalent(s->run.posterior, named->run.posterior))
            refuse(*s, " names another run.posterior than ");
    return named->run.posterior;
}

std::string posterior_source(const std::filesystem::path& file, bool of_scenario) {
    return file.string() +
           (of_scenario ? ", the scenario's run.posterior; --priors runs without it" : "");
}

} // namespace ulcsim
