// Batched Philox4x32-10. The AVX2 kernel, and its variant with AVX-512VL's three-way XOR,
// are compiled for their instruction sets by function attributes, not by a build flag, so
// the program still runs on CPUs without them; such CPUs, and the last count % 8 blocks, go
// through CounterRng::words, which is Random123 itself. The kernels are tested bit for bit
// against that.

#include "ulcsim/rng.hpp"

#include <algorithm>
#include <atomic>
#include <immintrin.h>

namespace ulcsim {
namespace {

static_assert(sizeof(DrawWords) == 16, "the kernel stores four blocks per 256-bit write");

constexpr std::uint32_t philox_rounds = 10;
// Random123's constants (PHILOX_M4x32_0/1, PHILOX_W32_0/1); their macros are the reference.
constexpr std::uint32_t multiplier0 = PHILOX_M4x32_0;
constexpr std::uint32_t multiplier1 = PHILOX_M4x32_1;
constexpr std::uint32_t key_bump0 = PHILOX_W32_0;
constexpr std::uint32_t key_bump1 = PHILOX_W32_1;

// What the members may use at most; detail::limit_philox_kernel lowers it for tests.
std::atomic<PhiloxKernel> member_kernel{PhiloxKernel::avx512};

PhiloxKernel cpu_kernel() {
    // Asked once: the answer cannot change while the process runs.
    static const PhiloxKernel widest = __builtin_cpu_supports("avx512vl") ? PhiloxKernel::avx512
                                       : __builtin_cpu_supports("avx2")   ? PhiloxKernel::avx2
                                                                          : PhiloxKernel::portable;
    return widest;
}

// Four counters, one in each 64-bit lane. _mm256_mul_epu32 reads only the low 32 bits of a
// lane, so a lane holds its word there and the high 32 bits are left as junk that no
// multiply reads and interleave() drops. A round then needs no shifts and blends to put the
// products' halves back in 32-bit lanes: fewer instructions, and a shorter chain from one
// multiply to the next (about 20% faster than keeping eight words per vector).
struct FourCounters {
    __m256i x0, x1, x2, x3;
};

__attribute__((target("avx2"))) inline void philox_round(FourCounters& c, __m256i m0, __m256i m1,
                                                         __m256i k0, __m256i k1) {
    const __m256i product0 = _mm256_mul_epu32(c.x0, m0);
    const __m256i product1 = _mm256_mul_epu32(c.x2, m1);
    c.x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product1, 32), c.x1), k0);
    c.x1 = product1;
    c.x2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product0, 32), c.x3), k1);
    c.x3 = product0;
}

// The first round, whose other three counter words are the same for all lanes: c0_part and
// c2_part hold the terms of the new x0 and x2 that do not depend on the agent.
__attribute__((target("avx2"))) inline FourCounters
first_round(__m256i agent, __m256i m0, __m256i c0_part, __m256i c1, __m256i c2_part) {
    const __m256i product0 = _mm256_mul_epu32(agent, m0);
    return {c0_part, c1, _mm256_xor_si256(_mm256_srli_epi64(product0, 32), c2_part), product0};
}

// Eight 32-bit words from the low halves of the lanes of `even` (words 0, 2, 4, 6) and `odd`.
__attribute__((target("avx2"))) inline __m256i interleave(__m256i even, __m256i odd) {
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

// Writes lane j of (w0, w1, w2, w3) as out[j], for j < 8: a 4×8 transpose in registers, so
// that the output is four full-width stores rather than 32 scalar ones.
__attribute__((target("avx2"))) inline void store_transposed(__m256i w0, __m256i w1, __m256i w2,
                                                             __m256i w3, DrawWords* out) {
    // Unpacks work within each 128-bit half: the low half ends up with lanes 0–3 and the high
    // half with lanes 4–7, which the final permutes put in order.
    const __m256i t0 = _mm256_unpacklo_epi32(w0, w1); // w0[0] w1[0] w0[1] w1[1] | lanes 4,5
    const __m256i t1 = _mm256_unpackhi_epi32(w0, w1); // w0[2] w1[2] w0[3] w1[3] | lanes 6,7
    const __m256i t2 = _mm256_unpacklo_epi32(w2, w3);
    const __m256i t3 = _mm256_unpackhi_epi32(w2, w3);
    const __m256i b0 = _mm256_unpacklo_epi64(t0, t2); // block 0 | block 4
    const __m256i b1 = _mm256_unpackhi_epi64(t0, t2); // block 1 | block 5
    const __m256i b2 = _mm256_unpacklo_epi64(t1, t3); // block 2 | block 6
    const __m256i b3 = _mm256_unpackhi_epi64(t1, t3); // block 3 | block 7
    auto* dst = reinterpret_cast<__m256i*>(out);
    _mm256_storeu_si256(dst + 0, _mm256_permute2x128_si256(b0, b1, 0x20));
    _mm256_storeu_si256(dst + 1, _mm256_permute2x128_si256(b2, b3, 0x20));
    _mm256_storeu_si256(dst + 2, _mm256_permute2x128_si256(b0, b1, 0x31));
    _mm256_storeu_si256(dst + 3, _mm256_permute2x128_si256(b2, b3, 0x31));
}

// Philox4x32-10 of the counters {agents[i] or first_agent + i, c1, c2, c3} under
// (k0, k1), for i below count rounded down to a multiple of 8. Returns how many it did.
__attribute__((target("avx2"))) std::uint32_t
philox_avx2(const std::uint32_t* agents, std::uint32_t first_agent, std::uint32_t count,
            std::uint32_t c1, std::uint32_t c2, std::uint32_t c3, std::uint32_t k0,
            std::uint32_t k1, DrawWords* out) {
    // Only the agent word differs between lanes, so the first round's product of c2 is the
    // same for all of them: one scalar multiply instead of two vector ones per batch.
    const std::uint64_t first_product1 = std::uint64_t{multiplier1} * c2;
    const __m256i first_c0_part = _mm256_set1_epi32(
        static_cast<int>(static_cast<std::uint32_t>(first_product1 >> 32) ^ c1 ^ k0));
    const __m256i first_c1 =
        _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first_product1)));
    const __m256i first_c2_part = _mm256_set1_epi32(static_cast<int>(c3 ^ k1));

    // The key of each round (the first is folded in above), the same for every batch.
    __m256i key0[philox_rounds];
    __m256i key1[philox_rounds];
    for (std::uint32_t r = 0; r < philox_rounds; ++r) {
        key0[r] = _mm256_set1_epi32(static_cast<int>(k0 + r * key_bump0));
        key1[r] = _mm256_set1_epi32(static_cast<int>(k1 + r * key_bump1));
    }
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(multiplier0));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(multiplier1));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);

    const std::uint32_t whole = count & ~std::uint32_t{7};
    for (std::uint32_t i = 0; i < whole; i += 8) {
        // Same wrap-around modulo 2³² as first_agent + i in scalar code.
        const __m256i agent =
            agents != nullptr
                ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(agents + i))
                : _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first_agent + i)), lane);
        // Two independent halves also give the multiplier two chains to overlap.
        FourCounters even = first_round(agent, m0, first_c0_part, first_c1, first_c2_part);
        FourCounters odd =
            first_round(_mm256_srli_epi64(agent, 32), m0, first_c0_part, first_c1, first_c2_part);
#pragma GCC unroll 9
        for (std::uint32_t r = 1; r < philox_rounds; ++r) {
            philox_round(even, m0, m1, key0[r], key1[r]);
            philox_round(odd, m0, m1, key0[r], key1[r]);
        }
        store_transposed(interleave(even.x0, odd.x0), interleave(even.x1, odd.x1),
                         interleave(even.x2, odd.x2), interleave(even.x3, odd.x3), out + i);
    }
    return whole;
}

// The AVX2 kernel with AVX-512VL's vpternlogd, which makes each of a round's two three-way
// XORs one instruction: six instructions per round where AVX2 needs eight. Still on 256-bit
// vectors: the 512-bit version of this kernel made the draws 1.31× faster but slowed every
// other phase of the month by 10–25% (the core lowers its clock after 512-bit multiplies),
// so that the month as a whole was 7% slower.
__attribute__((target("avx2,avx512vl"))) inline void
philox_round_ternary(FourCounters& c, __m256i m0, __m256i m1, __m256i k0, __m256i k1) {
    constexpr int exclusive_or3 = 0x96; // a ^ b ^ c as vpternlogd's truth table
    const __m256i product0 = _mm256_mul_epu32(c.x0, m0);
    const __m256i product1 = _mm256_mul_epu32(c.x2, m1);
    c.x0 = _mm256_ternarylogic_epi32(_mm256_srli_epi64(product1, 32), c.x1, k0, exclusive_or3);
    c.x1 = product1;
    c.x2 = _mm256_ternarylogic_epi32(_mm256_srli_epi64(product0, 32), c.x3, k1, exclusive_or3);
    c.x3 = product0;
}

// As philox_avx2, with philox_round_ternary.
__attribute__((target("avx2,avx512vl"))) std::uint32_t
philox_avx512(const std::uint32_t* agents, std::uint32_t first_agent, std::uint32_t count,
              std::uint32_t c1, std::uint32_t c2, std::uint32_t c3, std::uint32_t k0,
              std::uint32_t k1, DrawWords* out) {
    const std::uint64_t first_product1 = std::uint64_t{multiplier1} * c2;
    const __m256i first_c0_part = _mm256_set1_epi32(
        static_cast<int>(static_cast<std::uint32_t>(first_product1 >> 32) ^ c1 ^ k0));
    const __m256i first_c1 =
        _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first_product1)));
    const __m256i first_c2_part = _mm256_set1_epi32(static_cast<int>(c3 ^ k1));
    __m256i key0[philox_rounds];
    __m256i key1[philox_rounds];
    for (std::uint32_t r = 0; r < philox_rounds; ++r) {
        key0[r] = _mm256_set1_epi32(static_cast<int>(k0 + r * key_bump0));
        key1[r] = _mm256_set1_epi32(static_cast<int>(k1 + r * key_bump1));
    }
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(multiplier0));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(multiplier1));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);

    const std::uint32_t whole = count & ~std::uint32_t{7};
    for (std::uint32_t i = 0; i < whole; i += 8) {
        const __m256i agent =
            agents != nullptr
                ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(agents + i))
                : _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first_agent + i)), lane);
        FourCounters even = first_round(agent, m0, first_c0_part, first_c1, first_c2_part);
        FourCounters odd =
            first_round(_mm256_srli_epi64(agent, 32), m0, first_c0_part, first_c1, first_c2_part);
#pragma GCC unroll 9
        for (std::uint32_t r = 1; r < philox_rounds; ++r) {
            philox_round_ternary(even, m0, m1, key0[r], key1[r]);
            philox_round_ternary(odd, m0, m1, key0[r], key1[r]);
        }
        store_transposed(interleave(even.x0, odd.x0), interleave(even.x1, odd.x1),
                         interleave(even.x2, odd.x2), interleave(even.x3, odd.x3), out + i);
    }
    return whole;
}

// Both batch functions: the agent of item i is agents[i], or first_agent + i when agents is
// null. The caller passes the generator's key and replicate, which only friends can read.
void words_batch(const CounterRng& rng, PhiloxKernel widest, const std::uint32_t* agents,
                 std::uint32_t first_agent, std::uint32_t count, std::uint32_t month,
                 DrawPurpose purpose, std::uint32_t block, std::uint32_t replicate,
                 std::uint32_t k0, std::uint32_t k1, DrawWords* out) {
    const PhiloxKernel kernel = std::min(widest, cpu_kernel());
    const std::uint32_t c1 = (month << 16) | static_cast<std::uint32_t>(purpose);
    // A vector kernel does the whole vectors of eight, the portable path the rest.
    std::uint32_t done = 0;
    if (kernel == PhiloxKernel::avx512)
        done = philox_avx512(agents, first_agent, count, c1, replicate, block, k0, k1, out);
    else if (kernel == PhiloxKernel::avx2)
        done = philox_avx2(agents, first_agent, count, c1, replicate, block, k0, k1, out);
    // A local copy, which the stores to out cannot alias, lets the key stay in registers
    // instead of being reloaded after every store.
    const CounterRng local = rng;
    if (agents != nullptr)
        for (std::uint32_t i = done; i < count; ++i)
            out[i] = local.words(agents[i], month, purpose, block);
    else
        for (std::uint32_t i = done; i < count; ++i)
            out[i] = local.words(first_agent + i, month, purpose, block);
}

} // namespace

namespace detail {

void words_for_range(const CounterRng& rng, PhiloxKernel widest, std::uint32_t first_agent,
                     std::uint32_t count, std::uint32_t month, DrawPurpose purpose,
                     std::uint32_t block, DrawWords* out) {
    words_batch(rng, widest, nullptr, first_agent, count, month, purpose, block, rng.replicate_,
                rng.key_[0], rng.key_[1], out);
}

void words_for_agents(const CounterRng& rng, PhiloxKernel widest, const std::uint32_t* agents,
                      std::uint32_t count, std::uint32_t month, DrawPurpose purpose,
                      std::uint32_t block, DrawWords* out) {
    words_batch(rng, widest, agents, 0, count, month, purpose, block, rng.replicate_, rng.key_[0],
                rng.key_[1], out);
}

void limit_philox_kernel(PhiloxKernel widest) {
    member_kernel.store(widest, std::memory_order_relaxed);
}

} // namespace detail

void CounterRng::words_for_range(std::uint32_t first_agent, std::uint32_t count,
                                 std::uint32_t month, DrawPurpose purpose, std::uint32_t block,
                                 DrawWords* out) const {
    detail::words_for_range(*this, member_kernel.load(std::memory_order_relaxed), first_agent,
                            count, month, purpose, block, out);
}

void CounterRng::words_for_agents(const std::uint32_t* agents, std::uint32_t count,
                                  std::uint32_t month, DrawPurpose purpose, std::uint32_t block,
                                  DrawWords* out) const {
    detail::words_for_agents(*this, member_kernel.load(std::memory_order_relaxed), agents, count,
                             month, purpose, block, out);
}

PhiloxKernel CounterRng::kernel() {
    return cpu_kernel();
}

const char* CounterRng::kernel_name(PhiloxKernel k) {
    switch (k) {
    case PhiloxKernel::avx512:
        return "avx512";
    case PhiloxKernel::avx2:
        return "avx2";
    case PhiloxKernel::portable:
        break;
    }
    return "portable";
}

} // namespace ulcsim
