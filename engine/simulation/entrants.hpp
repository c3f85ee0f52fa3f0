#pragma once
// New workers joining the labour force at the end of the month, in the slots of workers who
// left or in their region's reserved slots.

#include "agent_tally.hpp"
#include "month_parameters.hpp"
#include "population/worker_synthesis.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace ulcsim::detail {

/// The first slot in [from, end) whose worker left, or `end`.
std::uint32_t next_free_slot(const Population& pop, std::uint32_t from, std::uint32_t end);

/// Slots of each owned region's block in use whose worker left (0 for other regions).
std::vector<std::uint32_t> count_free_slots(const Population& pop,
                                            std::span<const std::uint8_t> owned);

/// Entrants of month `t` (from the origin): entry_rate × last month's labour force of each
/// owned region, or, when `target` is given (agents by region, the workforce series), what
/// brings the region's labour force after this month's leavers to its target (none when it
/// is above); rounded up or down at random, counted in `totals` (labour force, entrants,
/// village workers). `free_slots` gains this month's deaths and aged-out workers first.
void enter_new_workers(int t, double entry_rate, std::span<const double> target,
                       const CounterRng& rng, const WorkerSynthesis& synthesis,
                       const MonthParameters& month, std::span<const std::int64_t> labour_force,
                       std::span<const std::uint8_t> owned, std::span<ThreadTally> threads,
                       std::vector<std::uint32_t>& free_slots, Population& pop,
                       ThreadTally& totals);

} // namespace ulcsim::detail
