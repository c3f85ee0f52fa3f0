#include "ulcsim/comparison.hpp"

namespace ulcsim {

MeasuredScenarios measure_scenarios(
    const std::vector<Scenario>& scenarios, std::uint32_t replicates,
    const OutcomeSettings& settings, const PlanRunner& run,
    const std::function<void(std::size_t, std::uint32_t, const ReplicateOutcome&)>& on_outcome,
    const PosteriorDraws* posterior) {
    const std::size_t S = scenarios.size();
    MeasuredScenarios m;
    m.values.assign(S, std::vector<std::vector<double>>(replicates));
    RunPlan plan;
    std::vector<std::size_t> scenario_of_entry; // a posterior gives a scenario many entries
    for (std::size_t i = 0; i < S; ++i) {
        add_replicates(plan, scenarios[i], replicates, posterior);
        scenario_of_entry.resize(plan.size(), i);
    }
    EnsembleOptions ensemble;
    ensemble.results_on = ResultsOn::rank_zero;
    ensemble.on_replicate = [&](std::size_t entry, std::uint32_t r, ReplicateSeries&& series) {
        const std::size_t i = scenario_of_entry[entry];
        const ReplicateOutcome outcome = outcome_of(series);
        m.values[i][r] = measure_values(outcome, settings);
        if (on_outcome) on_outcome(i, r, outcome);
    };
    run(plan, ensemble);

    for (std::size_t i = 0; i < S; ++i) {
        m.levels.push_back(measure_statistics(m.values[i], settings, false));
        std::vector<std::vector<double>> paired;
        for (std::uint32_t r = 0; r < replicates; ++r)
            paired.push_back(paired_differences(m.values[i][r], m.values[0][r], settings));
        m.differences.push_back(measure_statistics(paired, settings, true));
    }
    return m;
}

} // namespace ulcsim
