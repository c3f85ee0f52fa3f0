#include "ulcsim/comparison.hpp"

namespace ulcsim {

MeasuredScenarios measure_scenarios(
    const std::vector<Scenario>& scenarios, std::uint32_t replicates,
    const OutcomeSettings& settings, const PlanRunner& run,
    const std::function<void(std::size_t, std::uint32_t, const ReplicateOutcome&)>& on_outcome) {
    const std::size_t S = scenarios.size();
    MeasuredScenarios m;
    m.values.assign(S, std::vector<std::vector<double>>(replicates));
    RunPlan plan;
    for (const Scenario& s : scenarios)
        plan.add(s, {0, replicates});
    EnsembleOptions ensemble;
    ensemble.results_on = ResultsOn::rank_zero;
    ensemble.on_replicate = [&](std::size_t i, std::uint32_t r, ReplicateSeries&& series) {
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
