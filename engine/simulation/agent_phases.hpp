#pragma once
// The per-agent phases of the month, each a loop over one chunk of a region's slots: the
// columns it reads and writes, the month's parameters, and the thread's tally it counts in.
// A chunk runs them in order (see ReplicateSimulation's month): draws, demography, work
// accidents, coverage, awareness, tally.

#include "agent_tally.hpp"
#include "month_parameters.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace ulcsim::detail {

/// Slots [begin, end) of one region's block.
struct Chunk {
    std::uint32_t begin;
    std::uint32_t end;
    std::size_t region;
};

/// A chunk's draws and its agents' state codes at the start of the month.
struct ChunkScratch {
    std::array<DrawWords, chunk_size> draws;
    std::array<StateCode, chunk_size> start;
    /// The death word less the death threshold of the worker's age, for the workers who
    /// survive it: demography writes it, work accidents draw from it.
    std::array<std::uint32_t, chunk_size> above_death;
};

/// What the coverage phase needs of the funding programmes this month.
struct ProgrammeOffers {
    std::span<const FundingProgramme> programmes;
    std::span<const std::vector<std::uint16_t>> region_programmes; ///< by scenario region
    std::span<const std::uint8_t> recruiting;                      ///< by programme
    std::span<const std::uint8_t> unlimited;   ///< by programme: enrols without limits
    std::span<const std::uint16_t> window_end; ///< by programme: paid_until of new members
    std::span<const std::uint16_t> desa;       ///< by scenario region: its desa
};

/// One Philox block per agent and month: words for death or accident, segment move, the
/// coverage event and awareness. Also the start-of-month state for the flows. Returns the
/// agents in the labour force.
std::uint32_t draw_month(Chunk c, const Population& pop, const MonthParameters& month,
                         const CounterRng& rng, ChunkScratch& x);

/// Deaths by age, ageing out, moves between formal, informal and vulnerable.
void demography(Chunk c, ChunkScratch& x, const MonthParameters& month, int jkm_waiting_months,
                Population& pop, ThreadTally& tt);

/// Work accidents by occupation; a covered one is a JKK claim, and a fatal one ends the
/// worker's life.
void work_accidents(Chunk c, const ChunkScratch& x, const MonthParameters& month, Population& pop,
                    ThreadTally& tt);

/// Employer registration and lapse, self-paid lapse, arrears and reinstatement, the end of
/// subsidies, self-paid enrolment, and programme offers.
void coverage(Chunk c, const ChunkScratch& x, const MonthParameters& month,
              const ProgrammeOffers& offers, const CounterRng& rng, Population& pop,
              ThreadTally& tt);

/// Campaigns and covered neighbours raise awareness, it decays; campaigns lift the fear of
/// losing bansos.
void awareness(Chunk c, const ChunkScratch& x, const MonthParameters& month, Population& pop);

/// The flows, and the stocks changed by the agents whose state changed.
void tally(Chunk c, const ChunkScratch& x, const MonthParameters& month, const TallyLayout& layout,
           const Population& pop, ThreadTally& tt);

/// Worker a joins programme j now (paid to the end of its window).
inline void join_programme(Population& pop, std::uint32_t a, std::size_t j,
                           std::uint16_t window_end, std::uint16_t now) {
    pop.payer[a] = static_cast<std::uint8_t>(programme_base + j);
    pop.paid_until[a] = window_end;
    pop.covered_since[a] = now;
    pop.traits[a] |= AgentTraits::ever_covered_bit;
    pop.income_band[a] |= former_member_bit;
}

} // namespace ulcsim::detail
