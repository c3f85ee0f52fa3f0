#pragma once
/// \file
/// The categorical attributes of a worker that scenarios, programmes and outputs name:
/// labour-market segment, occupation, age band and income band.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ulcsim {

/// Labour-market segment. The order is the order of the segment dimension in outputs.
enum class Segment : std::uint8_t {
    formal,     ///< PU: wage earner, registered by an employer
    informal,   ///< BPU: non-wage, pays for themselves
    vulnerable, ///< BPU "pekerja rentan": the target of funding programmes
};
inline constexpr std::size_t segment_count = 3;
inline constexpr std::array<std::string_view, segment_count> segment_names{"formal", "informal",
                                                                           "vulnerable"};

/// One occupation tag per worker, used by programme eligibility and accident risk.
enum class Occupation : std::uint8_t {
    farmer,
    fisher,
    tobacco,
    religious,
    transport,
    trader,
    construction,
    waste,
    community,
    other,
};
inline constexpr std::size_t occupation_count = 10;
inline constexpr std::array<std::string_view, occupation_count> occupation_names{
    "farmer", "fisher",       "tobacco", "religious", "transport",
    "trader", "construction", "waste",   "community", "other"};

/// Age bands in years; the last band is open-ended.
inline constexpr std::size_t age_band_count = 6;
inline constexpr std::array<std::string_view, age_band_count> age_band_names{
    "15-24", "25-34", "35-44", "45-54", "55-64", "65+"};
inline constexpr std::array<int, age_band_count> age_band_first_year{15, 25, 35, 45, 55, 65};

/// Income bands 0 (lowest) to 4 (highest).
inline constexpr std::size_t income_band_count = 5;

template <std::size_t N>
constexpr std::optional<std::size_t> index_of(const std::array<std::string_view, N>& names,
                                              std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return i;
    return std::nullopt;
}

} // namespace ulcsim
