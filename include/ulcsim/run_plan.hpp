#pragma once
/// \file
/// Run plans: what an ensemble runs, as a list of scenario variants and the replicates of each
/// (as FLAME GPU 2's RunPlanVector is to its ensembles). Every operation that simulates builds
/// one and hands it to the one runner, run_ensemble (ulcsim/ensemble.hpp): `run` (one scenario,
/// its replicates), `compare` (several scenarios on the same seed), `sweep` (a variant per grid
/// point), goal seeking (a variant per candidate), calibration (a variant per parameter point,
/// each on its seed) and forecasts with posterior draws (a variant per replicate).
///
/// A plan holds its scenarios (shared and immutable), so it can outlive the code that built it.
/// Replicates are pure functions of (scenario, seed, replicate), so any plan can be split into
/// parts run anywhere, in any order, with the same results.

#include "ulcsim/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ulcsim {

/// Replicates [first, first + count) of a scenario.
struct ReplicateRange {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

/// One scenario of a plan and the replicates of it to run.
struct PlannedScenario {
    std::shared_ptr<const Scenario> scenario;
    ReplicateRange replicates;
    /// The seed of the replicates' draws instead of the scenario's run.seed (calibration runs
    /// each point on its own 64-bit seed, which a scenario file cannot hold).
    std::optional<std::uint64_t> seed;

    std::uint64_t seed_or_scenario() const { return seed.value_or(scenario->run.seed); }
};

class RunPlan {
public:
    RunPlan() = default;

    /// Replicates [0, run.replicates) of one scenario.
    static RunPlan replicates_of(Scenario scenario);
    static RunPlan replicates_of(std::shared_ptr<const Scenario> scenario);

    /// Adds a scenario's replicates; returns its position in the plan. Throws
    /// std::invalid_argument for a null scenario.
    std::size_t add(Scenario scenario, ReplicateRange replicates,
                    std::optional<std::uint64_t> seed = std::nullopt);
    std::size_t add(std::shared_ptr<const Scenario> scenario, ReplicateRange replicates,
                    std::optional<std::uint64_t> seed = std::nullopt);

    const std::vector<PlannedScenario>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    const Scenario& scenario(std::size_t entry) const { return *entries_[entry].scenario; }
    const PlannedScenario& operator[](std::size_t entry) const { return entries_[entry]; }

    /// Replicates over every entry.
    std::uint32_t replicates() const;
    /// Agents at the start × months × replicates, over every entry: the work to do.
    std::int64_t agent_months() const;

private:
    std::vector<PlannedScenario> entries_;
};

/// Agents a replicate of the scenario starts with (before entrants).
std::int64_t starting_agents(const Scenario& scenario);

} // namespace ulcsim
