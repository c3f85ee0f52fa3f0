#pragma once
/// \file
/// Ensembles: the replicates of one or more scenarios run together on one TBB arena.
/// Replicates are scheduled as tasks and each replicate's agents in parallel inside them, so
/// small scenarios are parallel across replicates and large ones across agents, within the
/// same thread budget. Each replicate is a pure function of (scenario, seed, replicate), so
/// what an ensemble produces does not depend on the number of threads or the order in which
/// replicates finish; only the order of the on_replicate calls does.

#include "ulcsim/checkpoint.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ulcsim {

/// Replicates [first, first + count) of a scenario. Replicates are independent, so a
/// distributed run only has to give each process its own ranges: nothing else changes.
struct ReplicateRange {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

/// One scenario of an ensemble and the replicates of it to run here.
struct EnsembleMember {
    const Scenario* scenario = nullptr;
    ReplicateRange replicates;
};

struct EnsembleProgress {
    std::int64_t agent_months_done = 0;
    std::int64_t agent_months_total = 0;
    std::uint32_t replicates_done = 0;
    std::uint32_t replicates_total = 0;
};

struct EnsembleOptions {
    /// Threads of the arena the ensemble runs in (0: every core).
    int threads = 0;
    /// Most replicates in memory at once (0: one per thread). Each holds its population.
    std::size_t concurrent_replicates = 0;
    /// Time the phases of every replicate (ReplicateSeries::phase_times).
    bool profile = false;
    /// Called once per finished replicate with its series, one call at a time, in no
    /// particular order. `member` indexes the members passed to run_ensemble.
    std::function<void(std::size_t member, std::uint32_t replicate, ReplicateSeries&& series)>
        on_replicate;
    /// Called after simulated months, one call at a time (calls may be skipped while another
    /// is in progress). Throwing from it stops the ensemble: run_ensemble rethrows.
    std::function<void(const EnsembleProgress&)> on_progress;

    /// Where replicates start: when set and it returns a state for (member, replicate), the
    /// replicate continues from that checkpoint (ReplicateSimulation's constructor from a
    /// state) instead of synthesising its agents. Called one call at a time, once per
    /// replicate, just before it runs (so that only the replicates in flight hold a state).
    std::function<std::optional<ReplicateState>(std::size_t member, std::uint32_t replicate)>
        start_state;
    /// With on_checkpoint set: every replicate's state after this many months (0 … the
    /// member's run.months) is passed to on_checkpoint, one call at a time, in no
    /// particular order, as soon as the replicate reaches it.
    int checkpoint_after_months = 0;
    std::function<void(std::size_t member, std::uint32_t replicate, ReplicateState&& state)>
        on_checkpoint;
};

/// Agents a replicate of the scenario starts with (before entrants).
std::int64_t starting_agents(const Scenario& scenario);

/// Runs every replicate of every member. Rethrows the first exception of any replicate or
/// callback once the replicates in flight have stopped.
void run_ensemble(const std::vector<EnsembleMember>& members, const EnsembleOptions& options);

} // namespace ulcsim
