#pragma once
/// \file
/// Scenarios measured side by side: what `compare` and `sweep` report. Every scenario runs the
/// same replicates on its own seed (common random numbers when the seeds agree), so the
/// difference of a replicate's measures from the first scenario's isolates what the scenarios
/// change.

#include "ulcsim/ensemble.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/summary.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace ulcsim {

/// Every scenario's outcome measures per replicate, their statistics, and the paired
/// differences against the first scenario (zero for itself).
struct MeasuredScenarios {
    using Statistics = std::array<double, summary_statistic_count>;
    std::vector<std::vector<std::vector<double>>> values; ///< [scenario][replicate][measure]
    std::vector<std::vector<Statistics>> levels;          ///< [scenario][measure]
    std::vector<std::vector<Statistics>> differences;     ///< [scenario][measure]
};

/// Runs replicates [0, replicates) of every scenario with `run` (which may add progress) and
/// measures them; `on_outcome`, when given, also sees each replicate's monthly totals. With a
/// cluster, the results are gathered on rank 0 (ResultsOn::rank_zero). With a posterior,
/// replicate r of every scenario runs on the same draw (add_replicates, posterior_plan.hpp),
/// so a paired difference holds the parameters fixed as it holds the random numbers.
MeasuredScenarios
measure_scenarios(const std::vector<Scenario>& scenarios, std::uint32_t replicates,
                  const OutcomeSettings& settings, const PlanRunner& run,
                  const std::function<void(std::size_t scenario, std::uint32_t replicate,
                                           const ReplicateOutcome&)>& on_outcome = {},
                  const PosteriorDraws* posterior = nullptr);

} // namespace ulcsim
