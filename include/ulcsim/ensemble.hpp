#pragma once
/// \file
/// Ensembles: the replicates of a run plan (ulcsim/run_plan.hpp) run together on one TBB arena,
/// on an execution context (ulcsim/execution.hpp). Each replicate is a pure function of
/// (scenario, seed, replicate), so what an ensemble produces does not depend on the number of
/// threads or ranks or the order in which replicates finish; only the order of the
/// on_replicate calls does.

#include "ulcsim/checkpoint.hpp"
#include "ulcsim/execution.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ulcsim {

/// Where on_replicate is called when a cluster shares the ensemble.
enum class ResultsOn : std::uint8_t {
    /// On every rank, for every replicate: for callers that decide from the results
    /// (calibration, goal seeking), so that every rank takes the same decisions.
    every_rank,
    /// On rank 0 only, which writes the output; the other ranks send it their replicates.
    rank_zero,
};

/// What to do with a plan's replicates as they finish. `entry` indexes the plan's entries.
struct EnsembleOptions {
    /// Time the phases of every replicate (ReplicateSeries::phase_times).
    bool profile = false;
    /// Called once per finished replicate with its series, one call at a time, in no
    /// particular order.
    std::function<void(std::size_t entry, std::uint32_t replicate, ReplicateSeries&& series)>
        on_replicate;

    /// Where replicates start: when set and it returns a state for (entry, replicate), the
    /// replicate continues from that checkpoint (ReplicateSimulation's constructor from a
    /// state) instead of synthesising its agents. Called one call at a time, once per
    /// replicate, just before it runs (so that only the replicates in flight hold a state).
    std::function<std::optional<ReplicateState>(std::size_t entry, std::uint32_t replicate)>
        start_state;
    /// With on_checkpoint set: every replicate's state after this many months (0 … the
    /// entry's run.months) is passed to on_checkpoint, one call at a time, in no particular
    /// order, as soon as the replicate reaches it.
    int checkpoint_after_months = 0;
    std::function<void(std::size_t entry, std::uint32_t replicate, ReplicateState&& state)>
        on_checkpoint;

    /// Where on_replicate is called when the context's cluster shares the ensemble.
    /// Checkpoints need the replicates distribution and rank_zero.
    ResultsOn results_on = ResultsOn::every_rank;
};

/// Whether run_ensemble splits each replicate's regions across the context's ranks rather than
/// give each rank whole replicates: Distribution::regions, or automatic with fewer
/// (scenario, replicate) pairs than ranks and no checkpoints.
bool splits_regions(const RunPlan& plan, const EnsembleOptions& options,
                    const ExecutionContext& context);

/// The largest share of a replicate's starting agents this process holds: 1 unless the
/// context's ranks split each replicate's regions (splits_regions).
double largest_agent_share(const RunPlan& plan, const EnsembleOptions& options,
                           const ExecutionContext& context);

/// Runs every replicate of every entry of the plan: the one runner behind every operation
/// that simulates. Replicates are scheduled as tasks on one TBB arena of the context's
/// threads, each replicate's agents in parallel inside them, so small scenarios are parallel
/// across replicates and large ones across agents. With a cluster, every rank must call it
/// with the same plan and options (checked: a rank that disagrees makes every rank throw
/// InputError); what on_replicate receives is the same bit for bit whatever the ranks and
/// threads. Rethrows the first exception of any replicate or callback once the replicates in
/// flight have stopped; throws Stopped when the context's stop flag is set.
void run_ensemble(const RunPlan& plan, const ExecutionContext& context,
                  const EnsembleOptions& options = {});

/// How an operation that builds plans (goal seeking, comparisons) runs them: run_ensemble on a
/// context, or a caller's runner that adds a progress bar or a memory check around it.
using PlanRunner = std::function<void(const RunPlan&, const EnsembleOptions&)>;

/// The runner that calls run_ensemble with `context` (copied).
PlanRunner runner_on(ExecutionContext context);

} // namespace ulcsim
