#pragma once
// The agents of a chunk whose coverage can change this month: the branch-free first pass of
// the coverage phase, in its own file because it has two implementations, portable and AVX2
// (chosen at run time), which must list the same agents.

#include "ulcsim/rng.hpp"

#include <cstdint>

namespace ulcsim::detail {

/// The thresholds' table has one entry per payer class (nobody, employer, anyone else) and
/// value of the traits byte's low six bits (segment and occupation).
inline constexpr unsigned coverage_payer_classes = 3;
inline constexpr unsigned coverage_traits_values = 64;

/// Writes to busy, in increasing order, every i < n with
/// draws[i][2] < can_change[min(payer[i], 2) × 64 + (traits[i] & 63)], and returns how many.
/// busy must have room for n entries. The thresholds may be anything in [0, 2³²] (2³²:
/// every word).
std::uint32_t list_coverage_candidates(const std::uint64_t* can_change, const std::uint8_t* payer,
                                       const std::uint8_t* traits, const DrawWords* draws,
                                       std::uint32_t n, std::uint16_t* busy);

/// The same with the path chosen by the caller: `vectorised = false` forces the portable
/// one, `true` takes AVX2 where the CPU has it (for tests and benchmarks).
std::uint32_t list_coverage_candidates(bool vectorised, const std::uint64_t* can_change,
                                       const std::uint8_t* payer, const std::uint8_t* traits,
                                       const DrawWords* draws, std::uint32_t n,
                                       std::uint16_t* busy);

} // namespace ulcsim::detail
