#include "ulcsim/posterior_plan.hpp"

#include "ulcsim/calibration.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/fitting.hpp"
#include "ulcsim/vary.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

namespace ulcsim {

PosteriorPlan posterior_plan(const Scenario& base, std::uint32_t replicates,
                             const std::vector<std::string>& keys,
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
    const std::size_t R = replicates;
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

PosteriorPlan posterior_plan(const Scenario& base, std::uint32_t replicates,
                             const PosteriorDraws& posterior) {
    return posterior_plan(base, replicates, posterior.keys, posterior.draws, posterior.weights);
}

PosteriorPlan posterior_plan(const Scenario& base, const PosteriorDraws& posterior) {
    return posterior_plan(base, static_cast<std::uint32_t>(base.run.replicates), posterior);
}

PosteriorPlan posterior_plan(const Scenario& base, const std::vector<CalibrationParameter>& fitted,
                             const AbcPosterior& posterior) {
    std::vector<std::string> keys;
    for (const CalibrationParameter& p : fitted)
        keys.push_back(p.key);
    std::vector<std::vector<double>> draws;
    for (Eigen::Index d = 0; d < posterior.draws.rows(); ++d)
        draws.emplace_back(posterior.draws.row(d).begin(), posterior.draws.row(d).end());
    return posterior_plan(base, static_cast<std::uint32_t>(base.run.replicates), keys, draws,
                          {posterior.weights.begin(), posterior.weights.end()});
}

void add_replicates(RunPlan& plan, const Scenario& scenario, std::uint32_t replicates,
                    const PosteriorDraws* posterior) {
    if (!posterior) {
        plan.add(scenario, {0, replicates});
        return;
    }
    const PosteriorPlan drawn = posterior_plan(scenario, replicates, *posterior);
    for (const PlannedScenario& entry : drawn.plan.entries())
        plan.add(entry.scenario, entry.replicates, entry.seed);
}

std::optional<std::filesystem::path>
shared_run_posterior(const std::vector<const Scenario*>& scenarios) {
    const auto names = [](const Scenario* s) { return !s->run.posterior.empty(); };
    const auto first = std::find_if(scenarios.begin(), scenarios.end(), names);
    if (first == scenarios.end()) return std::nullopt;
    const Scenario* named = *first;
    for (const Scenario* s : scenarios)
        if (!names(s) || !std::filesystem::equivalent(s->run.posterior, named->run.posterior))
            throw std::invalid_argument(
                s->file.string() +
                (names(s) ? " names another run.posterior than " : " names no run.posterior but ") +
                named->file.string() +
                " does, and paired replicates must share their parameters: give --posterior FILE "
                "for all of them, or --priors");
    return named->run.posterior;
}

std::string posterior_source(const std::filesystem::path& file, bool of_scenario) {
    return file.string() +
           (of_scenario ? ", the scenario's run.posterior; --priors runs without it" : "");
}

} // namespace ulcsim
