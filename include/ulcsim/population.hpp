#pragma once
/// \file
/// The agents of one replicate, stored as a structure of arrays: each column is contiguous
/// so that the monthly phases stream through only the columns they touch. One agent is
/// `scale` workers. Synthesised from a validated Scenario, deterministically from
/// (seed, replicate, agent) and independent of the thread count.

#include "ulcsim/scenario.hpp"
#include "ulcsim/worker_attributes.hpp"

#include <cstdint>
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

class Population {
public:
    /// Bytes per agent over all columns; the national run (≈ 145 M agents) must fit in
    /// 16 bytes each.
    static constexpr std::size_t bytes_per_agent =
        5 * sizeof(std::uint16_t) + 5 * sizeof(std::uint8_t);

    std::size_t size() const { return region.size(); }

    Segment segment(std::size_t i) const { return static_cast<Segment>(traits[i] & 0x3u); }
    Occupation occupation(std::size_t i) const {
        return static_cast<Occupation>((traits[i] >> 2) & 0xFu);
    }
    bool fears_bansos(std::size_t i) const { return (traits[i] >> 6) & 1u; }
    bool ever_covered(std::size_t i) const { return (traits[i] >> 7) & 1u; }
    bool covered(std::size_t i) const { return payer[i] != static_cast<std::uint8_t>(Payer::none); }

    static std::uint8_t pack_traits(Segment s, Occupation o, bool fears, bool ever) {
        return static_cast<std::uint8_t>(
            static_cast<unsigned>(s) | (static_cast<unsigned>(o) << 2) |
            (static_cast<unsigned>(fears) << 6) | (static_cast<unsigned>(ever) << 7));
    }

    // Columns (all the same length). Months are counted from the run's first month.
    std::vector<std::uint16_t> region;              ///< where the worker lives (scenario region)
    std::vector<std::uint16_t> village;             ///< desa first, then kelurahan
    std::vector<std::uint16_t> registration_region; ///< where the employer registers them
    std::vector<std::uint16_t> covered_since;       ///< month the current coverage began
    std::vector<std::uint16_t> paid_until;          ///< last month paid for
    std::vector<std::uint8_t> traits;               ///< segment, occupation, fears, ever covered
    std::vector<std::uint8_t> age_years;
    std::vector<std::uint8_t> income_band; ///< 0 (lowest) … 4
    std::vector<std::uint8_t> awareness;   ///< 0 … 255
    std::vector<std::uint8_t> payer;       ///< Payer
};

/// Number of agents a scenario region gets: its employed workers / scale, rounded.
std::uint32_t agents_in_region(const Scenario& scenario, std::size_t scenario_region);

/// Builds replicate `replicate`'s agents. Regions are indexed by their position in
/// scenario.regions. Runs in parallel in the caller's TBB arena; the result does not depend
/// on how many threads it has.
Population synthesise_population(const Scenario& scenario, std::uint32_t replicate);

} // namespace ulcsim
