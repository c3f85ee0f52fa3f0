#include "ulcsim/run_plan.hpp"

#include "ulcsim/population.hpp"

#include <stdexcept>

namespace ulcsim {

RunPlan RunPlan::replicates_of(Scenario scenario) {
    return replicates_of(std::make_shared<const Scenario>(std::move(scenario)));
}

RunPlan RunPlan::replicates_of(std::shared_ptr<const Scenario> scenario) {
    RunPlan plan;
    const auto replicates = scenario ? static_cast<std::uint32_t>(scenario->run.replicates) : 0u;
    plan.add(std::move(scenario), {0, replicates});
    return plan;
}

std::size_t RunPlan::add(Scenario scenario, ReplicateRange replicates,
                         std::optional<std::uint64_t> seed) {
    return add(std::make_shared<const Scenario>(std::move(scenario)), replicates, seed);
}

std::size_t RunPlan::add(std::shared_ptr<const Scenario> scenario, ReplicateRange replicates,
                         std::optional<std::uint64_t> seed) {
    if (!scenario) throw std::invalid_argument("RunPlan::add: no scenario");
    entries_.push_back({std::move(scenario), replicates, seed});
    return entries_.size() - 1;
}

std::uint32_t RunPlan::replicates() const {
    std::uint32_t n = 0;
    for (const PlannedScenario& e : entries_)
        n += e.replicates.count;
    return n;
}

std::int64_t RunPlan::agent_months() const {
    std::int64_t n = 0;
    for (const PlannedScenario& e : entries_)
        n += starting_agents(*e.scenario) * e.scenario->run.months *
             static_cast<std::int64_t>(e.replicates.count);
    return n;
}

std::int64_t starting_agents(const Scenario& scenario) {
    std::int64_t agents = 0;
    for (std::size_t k = 0; k < scenario.regions.size(); ++k)
        agents += agents_in_region(scenario, k);
    return agents;
}

} // namespace ulcsim
