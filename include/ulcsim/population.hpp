#pragma once
/// \file
/// The agents of one replicate, stored as a structure of arrays: each column is contiguous
/// so that the monthly phases stream through only the columns they touch. One agent is
/// `scale` workers. Synthesised from a validated Scenario, deterministically from
/// (seed, replicate, agent) and independent of the thread count.

#include "ulcsim/agent_columns.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/worker_attributes.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace ulcsim {

/// Who pays an agent's premium. Values ≥ programme_base are programme (payer − programme_base).
enum class Payer : std::uint8_t {
    none = 0,
    employer = 1,
    self = 2,
    self_autodebit = 3,
    programme_base = 4,
};

/// Registration region of an agent whose employer is registered outside the scenario.
inline constexpr std::uint16_t outside_scenario = 0xFFFF;

/// Months in the covered_since and paid_until columns are run months + month_origin, so that
/// coverage that began before the run (covered_since 0) and employer coverage that is paid
/// for as long as it lasts (paid_indefinitely) fit in 16 bits.
inline constexpr std::uint16_t month_origin = 64;
inline constexpr std::uint16_t paid_indefinitely = 0xFFFF;

/// Each region's agents are one contiguous block of slots: [first, first + used) hold its
/// workers and later entrants, [first + used, first + capacity) are reserved for entrants.
/// Slots in use whose worker left (no_worker) are taken by entrants before reserved ones.
/// A slot's region is the block it is in, so the agents need no region column.
struct RegionSlots {
    std::uint32_t first = 0;
    std::uint32_t capacity = 0;
    std::uint32_t used = 0;
};

/// The agents' columns (AgentColumns) and the blocks of slots of the regions.
class Population : public AgentColumns {
public:
    /// Bytes per agent over all columns; the national run (≈ 145 M agents, and the
    /// labour force it grows into) must fit in 16 bytes per starting agent.
    static constexpr std::size_t bytes_per_agent = agent_bytes;

    /// Slots, including those reserved for entrants.
    std::size_t size() const { return traits.size(); }

    /// The scenario region whose block holds slot `slot` (a binary search over the blocks).
    std::size_t region_of(std::uint32_t slot) const;

    AgentTraits traits_of(std::size_t i) const { return {traits[i]}; }
    bool in_labour_force(std::size_t i) const { return traits_of(i).holds_worker(); }
    Segment segment(std::size_t i) const { return traits_of(i).segment(); }
    Occupation occupation(std::size_t i) const { return traits_of(i).occupation(); }
    bool fears_bansos(std::size_t i) const { return traits_of(i).fears_bansos(); }
    bool ever_covered(std::size_t i) const { return traits_of(i).ever_covered(); }
    /// Has been paid for by a funding programme at some time in the run.
    bool former_member(std::size_t i) const { return income_band[i] & former_member_bit; }
    int income_band_of(std::size_t i) const { return income_band[i] & income_band_mask; }
    Registration registration_of(std::size_t i) const { return {traits[i], income_band[i]}; }
    /// A registered BPJS participant (active or non-active): see Registration.
    bool registered(std::size_t i) const { return registration_of(i).registered(); }
    /// Covered in run month `month`: someone pays, and has paid for that month.
    bool covered(std::size_t i, int month) const {
        return payer[i] != static_cast<std::uint8_t>(Payer::none) &&
               paid_until[i] >= month + month_origin;
    }

    std::vector<RegionSlots> region_slots; ///< by scenario region (not per agent)
};

/// Number of agents a scenario region gets: its employed workers / scale, rounded.
std::uint32_t agents_in_region(const Scenario& scenario, std::size_t scenario_region);

/// How a region's workers divide into segments: its formal share and the vulnerable share of
/// the rest, after the scenario's overrides (population.regions, then population, then the
/// region data).
struct RegionShares {
    double formal_share = 0;
    double vulnerable_share_of_informal = 0;
    /// Of all the region's workers, by segment (formal, informal, vulnerable).
    std::array<double, segment_count> of_workers() const;
};
/// `region` is an index into scenario.region_table.regions().
RegionShares region_shares(const Scenario& scenario, std::size_t region);

/// Slots a region needs so that entrants over `months` months can never overflow it: the
/// labour force grows by at most ceil(entry_rate × labour force) a month (the rate is
/// Scenario::entrant_room_rate(): entry_rate, or the workforce series' fastest growth).
std::uint32_t region_capacity(std::uint32_t agents, double entry_rate, int months);

/// Builds replicate `replicate`'s agents, the state at the start of the run's first month,
/// with room for `entrant_months` months of entrants. Regions are indexed by their position
/// in scenario.regions. Runs in parallel in the caller's TBB arena; the result does not
/// depend on how many threads it has.
///
/// For a replicate split by region across processes: when `region_ranks` (one rank per
/// scenario region) is given, only the regions with region_ranks[k] == rank are synthesised.
/// Every region keeps its block of slots (region_slots is the same on every rank, so slots
/// and region_of() are those of the whole population), but the other regions' slots are never
/// written, so that their pages of the columns are never given memory. Throws
/// std::invalid_argument when region_ranks has not one entry per region.
/// The draws are those of `seed` when given, of scenario.run.seed otherwise.
Population synthesise_population(const Scenario& scenario, std::uint32_t replicate,
                                 int entrant_months = 0, std::span<const int> region_ranks = {},
                                 int rank = 0, std::optional<std::uint64_t> seed = std::nullopt);

} // namespace ulcsim
