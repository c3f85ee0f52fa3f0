// The first pass of the coverage phase, which finds the few agents whose coverage can
// change. The portable loop does not vectorise (a table look-up per agent, then an
// append to a list); the AVX2 path takes eight agents per step: their coverage words out of
// the draws, the thresholds by two gathers, one compare, and the indices appended by a
// look-up table of packed positions. Compiled for AVX2 by a function attribute, so the
// program still runs on CPUs without it.

#include "coverage_candidates.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <immintrin.h>

namespace ulcsim::detail {

namespace {

static_assert(sizeof(DrawWords) == 16, "four blocks per 256-bit load");

std::uint32_t portable_candidates(const std::uint64_t* can_change, const std::uint8_t* payer,
                                  const std::uint8_t* traits, const DrawWords* draws,
                                  std::uint32_t first, std::uint32_t n, std::uint16_t* busy,
                                  std::uint32_t count) {
    for (std::uint32_t i = first; i < n; ++i) {
        const unsigned payer_class = std::min<unsigned>(payer[i], coverage_payer_classes - 1);
        const unsigned bits = traits[i] & (coverage_traits_values - 1);
        busy[count] = static_cast<std::uint16_t>(i);
        count += draws[i][2] < can_change[payer_class * coverage_traits_values + bits];
    }
    return count;
}

/// For each 8-bit mask, the positions of its set bits, lowest first, one per byte.
constexpr std::array<std::uint64_t, 256> packed_positions = [] {
    std::array<std::uint64_t, 256> table{};
    for (unsigned mask = 0; mask < 256; ++mask) {
        unsigned k = 0;
        for (unsigned bit = 0; bit < 8; ++bit)
            if (mask & (1u << bit)) table[mask] |= std::uint64_t{bit} << (8 * k++);
    }
    return table;
}();

__attribute__((target("avx2"))) std::uint32_t
avx2_candidates(const std::uint64_t* can_change, const std::uint8_t* payer,
                const std::uint8_t* traits, const DrawWords* draws, std::uint32_t n,
                std::uint16_t* busy) {
    const __m256i last_class = _mm256_set1_epi32(coverage_payer_classes - 1);
    const __m256i low_bits = _mm256_set1_epi32(coverage_traits_values - 1);
    // Word 2 of blocks 0–7 after the unpacks below comes in the order 0 2 4 6 1 3 5 7.
    const __m256i in_order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    std::uint32_t count = 0;
    const std::uint32_t whole = n & ~std::uint32_t{7};
    for (std::uint32_t i = 0; i < whole; i += 8) {
        std::uint64_t payer8;
        std::uint64_t traits8;
        std::memcpy(&payer8, payer + i, 8);
        std::memcpy(&traits8, traits + i, 8);
        const __m256i payer_class = _mm256_min_epu32(
            _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(payer8))), last_class);
        const __m256i bits = _mm256_and_si256(
            _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(traits8))), low_bits);
        const __m256i index = _mm256_add_epi32(_mm256_slli_epi32(payer_class, 6), bits);
        const __m256i low = _mm256_i32gather_epi64(reinterpret_cast<const long long*>(can_change),
                                                   _mm256_castsi256_si128(index), 8);
        const __m256i high = _mm256_i32gather_epi64(reinterpret_cast<const long long*>(can_change),
                                                    _mm256_extracti128_si256(index, 1), 8);

        const auto* block = reinterpret_cast<const __m256i*>(draws + i);
        const __m256i b01 = _mm256_loadu_si256(block);
        const __m256i b23 = _mm256_loadu_si256(block + 1);
        const __m256i b45 = _mm256_loadu_si256(block + 2);
        const __m256i b67 = _mm256_loadu_si256(block + 3);
        const __m256i words = _mm256_permutevar8x32_epi32(
            _mm256_unpacklo_epi64(_mm256_unpackhi_epi32(b01, b23), _mm256_unpackhi_epi32(b45, b67)),
            in_order);
        // Words and thresholds are both below 2⁶³, so the signed 64-bit compare is exact.
        const __m256i words_low = _mm256_cvtepu32_epi64(_mm256_castsi256_si128(words));
        const __m256i words_high = _mm256_cvtepu32_epi64(_mm256_extracti128_si256(words, 1));
        const unsigned mask =
            static_cast<unsigned>(
                _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(low, words_low)))) |
            static_cast<unsigned>(
                _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(high, words_high))))
                << 4;
        const __m128i positions =
            _mm_cvtepu8_epi16(_mm_cvtsi64_si128(static_cast<long long>(packed_positions[mask])));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(busy + count),
                         _mm_add_epi16(positions, _mm_set1_epi16(static_cast<short>(i))));
        count += static_cast<std::uint32_t>(std::popcount(mask));
    }
    return portable_candidates(can_change, payer, traits, draws, whole, n, busy, count);
}

bool cpu_has_avx2() {
    static const bool has = __builtin_cpu_supports("avx2") != 0;
    return has;
}

} // namespace

std::uint32_t list_coverage_candidates(bool vectorised, const std::uint64_t* can_change,
                                       const std::uint8_t* payer, const std::uint8_t* traits,
                                       const DrawWords* draws, std::uint32_t n,
                                       std::uint16_t* busy) {
    if (vectorised && cpu_has_avx2())
        return avx2_candidates(can_change, payer, traits, draws, n, busy);
    return portable_candidates(can_change, payer, traits, draws, 0, n, busy, 0);
}

std::uint32_t list_coverage_candidates(const std::uint64_t* can_change, const std::uint8_t* payer,
                                       const std::uint8_t* traits, const DrawWords* draws,
                                       std::uint32_t n, std::uint16_t* busy) {
    return list_coverage_candidates(true, can_change, payer, traits, draws, n, busy);
}

} // namespace ulcsim::detail
