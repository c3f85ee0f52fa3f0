#pragma once
/// \file
/// The phases of a replicate and the names their times are reported under (`ulcsim run
/// --profile`, the monthly phases benchmark): one table, indexed by Phase, so that the month
/// that times a phase and the report that names it cannot drift apart.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ulcsim {

/// A phase of the simulation. The per-agent phases (draws … tally) run chunk by chunk in
/// this order; allocation runs after them, entrants count as demography and the month's
/// record as tally.
enum class Phase : std::uint8_t {
    synthesis,  ///< the starting agents, once per replicate
    calendar,   ///< windows, budgets, policies in force, village coverage; renewals
    draws,      ///< one Philox block per agent and month
    demography, ///< deaths, ageing out, segment moves; entrants at the end of the month
    accidents,  ///< work accidents and JKK claims
    coverage,   ///< registration, lapse, arrears, self-paid enrolment, programme offers
    allocation, ///< limited programme places to the best candidates
    awareness,  ///< campaigns, neighbours, decay
    tally,      ///< flows and stock changes; the month's record
};

struct PhaseEntry {
    Phase phase;
    std::string_view name; ///< in profiles and benchmark counters
};

inline constexpr std::array<PhaseEntry, 9> phase_table{{
    {Phase::synthesis, "synthesis"},
    {Phase::calendar, "calendar"},
    {Phase::draws, "draws"},
    {Phase::demography, "demography"},
    {Phase::accidents, "accidents"},
    {Phase::coverage, "coverage"},
    {Phase::allocation, "programme allocation"},
    {Phase::awareness, "awareness"},
    {Phase::tally, "tally"},
}};

constexpr std::size_t phase_index(Phase p) {
    return static_cast<std::size_t>(p);
}

constexpr std::string_view phase_name(Phase p) {
    return phase_table[phase_index(p)].name;
}

namespace detail {
constexpr bool phase_table_is_indexed_by_phase() {
    for (std::size_t i = 0; i < phase_table.size(); ++i)
        if (phase_index(phase_table[i].phase) != i) return false;
    return true;
}
static_assert(phase_table_is_indexed_by_phase(), "phase_table[i] must describe Phase i");
} // namespace detail

} // namespace ulcsim
