#pragma once
/// \file
/// Ensembles: the replicates of one or more scenarios run together on one TBB arena.
/// Replicates are scheduled as tasks and each replicate's agents in parallel inside them, so
/// small scenarios are parallel across replicates and large ones across agents, within the
/// same thread budget. Each replicate is a pure function of (scenario, seed, replicate), so
/// what an ensemble produces does not depend on the number of threads or the order in which
/// replicates finish; only the order of the on_replicate calls does.

#include "ulcsim/checkpoint.hpp"
#include "ulcsim/cluster.hpp"
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

/// How the ranks of a cluster share an ensemble.
enum class Distribution : std::uint8_t {
    /// Replicates when there are at least as many (scenario, replicate) pairs as ranks,
    /// regions otherwise.
    automatic,
    /// Each rank runs whole replicates: pair i of the replicate-major list goes to rank
    /// i mod ranks.
    replicates,
    /// Every replicate is run by all ranks together, each simulating a contiguous share of
    /// the regions (share_regions), one replicate after the other: for a replicate too large
    /// for one machine's memory.
    regions,
};

/// Where on_replicate is called when a cluster shares the ensemble.
enum class ResultsOn : std::uint8_t {
    /// On every rank, for every replicate: for callers that decide from the results
    /// (calibration, goal seeking), so that every rank takes the same decisions.
    every_rank,
    /// On rank 0 only, which writes the output; the other ranks send it their replicates.
    rank_zero,
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

    /// The processes that share the ensemble; nullptr: process_cluster(). With none, or one
    /// rank, this process runs everything. Every rank must call run_ensemble with the same
    /// members and options (checked: a rank that disagrees makes every rank throw
    /// InputError). Replicates are pure functions of (scenario, seed, replicate), so what
    /// on_replicate receives is the same bit for bit whatever the ranks and threads.
    /// Checkpoints need the replicates distribution.
    Cluster* cluster = nullptr;
    Distribution distribution = Distribution::automatic;
    ResultsOn results_on = ResultsOn::every_rank;
};

/// The cluster this process belongs to (nullptr unless set): the program sets it once at
/// start when it runs under MPI, so that every ensemble, those of calibration included, is
/// shared by the ranks.
Cluster* process_cluster();
void set_process_cluster(Cluster* cluster);

/// Whether run_ensemble splits each replicate's regions across `ranks` ranks rather than
/// give each rank whole replicates: Distribution::regions, or automatic with fewer
/// (scenario, replicate) pairs than ranks and no checkpoints.
bool splits_regions(const std::vector<EnsembleMember>& members, const EnsembleOptions& options,
                    int ranks);

/// Agents a replicate of the scenario starts with (before entrants).
std::int64_t starting_agents(const Scenario& scenario);

/// Runs every replicate of every member. Rethrows the first exception of any replicate or
/// callback once the replicates in flight have stopped.
void run_ensemble(const std::vector<EnsembleMember>& members, const EnsembleOptions& options);

} // namespace ulcsim
