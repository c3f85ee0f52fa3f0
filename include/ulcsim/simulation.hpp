#pragma once
/// \file
/// One replicate of a scenario: synthesise the population, then run the monthly phases —
/// calendar, demography and labour market, work accidents, coverage (employer registration,
/// self-paid enrolment, lapse and reinstatement, programme windows and allocation),
/// awareness, tally — for every month of the run. Deterministic: the result is a pure
/// function of (scenario, seed, replicate), whatever the number of threads of the TBB arena
/// it runs in.

#include "ulcsim/checkpoint.hpp"
#include "ulcsim/cluster.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ulcsim {

struct SimulationOptions {
    /// Time each phase (adds two clock reads per phase per chunk of agents).
    bool profile = false;
    /// Called on the calling thread after each month with the number of months done.
    std::function<void(int months_done)> on_month;
    /// A replicate split by region across the ranks of a cluster: when set, this process
    /// synthesises and simulates only the regions that region_ranks gives to its rank, and
    /// the ranks exchange what couples regions (programme totals and candidates) each month,
    /// so that every rank's take_series() is the whole replicate's series, bit for bit the
    /// one a single process computes. Every rank must construct and step the replicate
    /// together. Not with checkpoints.
    Cluster* cluster = nullptr;
    /// The rank that simulates each of the scenario's regions (share_regions).
    std::vector<int> region_ranks;
    /// The seed of the replicate's draws instead of run.seed: a run plan's entry may carry its
    /// own (calibration's points each run on a 64-bit seed, more than a scenario file holds).
    std::optional<std::uint64_t> seed;
};

/// Gives each of `ranks` ranks a contiguous run of the scenario's regions with about the
/// same number of agents (every rank at least one region while there are enough).
std::vector<int> share_regions(const Scenario& scenario, int ranks);

/// One replicate, month by month: for callers that need the state between months
/// (benchmarks of the monthly step, checkpoints). Construction synthesises the population,
/// or continues from a checkpoint. Every call must be made from inside the same TBB arena.
class ReplicateSimulation {
public:
    ReplicateSimulation(const Scenario& scenario, std::uint32_t replicate,
                        const SimulationOptions& options = {});
    /// Continues replicate state.replicate from a checkpoint, without synthesis: month t of
    /// this run is month (scenario.run.start − state.origin) + t of the random draws, so a
    /// scenario that changes nothing reproduces the run that wrote the checkpoint.
    /// Programmes are matched by name (their members' payer is renumbered). Throws
    /// InputError when the scenario cannot continue from it (check_branch, but for the
    /// number of replicates).
    ReplicateSimulation(const Scenario& scenario, ReplicateState state,
                        const SimulationOptions& options = {});
    ~ReplicateSimulation();
    ReplicateSimulation(const ReplicateSimulation&) = delete;
    ReplicateSimulation& operator=(const ReplicateSimulation&) = delete;

    /// Months simulated so far.
    int months_done() const;
    /// Simulates the next month. Precondition: months_done() < scenario.run.months.
    void step();
    /// The series so far (months not yet simulated are zero); moves them out.
    ReplicateSeries take_series();
    /// Agents now, and the slots reserved for entrants. After a start from a checkpoint, the
    /// month columns count from the checkpoint's origin, not from scenario.run.start.
    const Population& population() const;
    /// The state after months_done() months (a copy): a scenario starting at
    /// scenario.run.start + months_done() continues from it.
    ReplicateState capture_state() const;
    /// The same, moving the agents out: nothing may be called afterwards but take_series()
    /// and the destructor.
    ReplicateState take_state();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

/// Runs replicate `replicate` of the scenario (months and seed from scenario.run) in the
/// calling thread's TBB arena.
ReplicateSeries simulate_replicate(const Scenario& scenario, std::uint32_t replicate,
                                   const SimulationOptions& options = {});

} // namespace ulcsim
