#pragma once
/// \file
/// Counter-based random numbers (Philox4x32-10, Random123). A draw is a pure function of
/// (seed, replicate, agent, month, purpose, block), so results do not depend on the order in
/// which agents are visited, on the thread count or on the process count, and two scenarios
/// run with one seed draw the same numbers for the same agent (common random numbers).

#include <Random123/philox.h>
#include <array>
#include <cmath>
#include <cstdint>

namespace ulcsim {

/// What a draw is for. Each purpose is its own stream, so adding a draw for one event never
/// shifts the draws of another. Append new purposes at the end: the numbering is part of
/// the output's reproducibility across versions.
enum class DrawPurpose : std::uint16_t {
    synthesis_place,    ///< village, registration region
    synthesis_traits,   ///< occupation, age, income band
    synthesis_coverage, ///< fears_bansos, awareness, starting coverage, auto-debit
    /// One block per agent and month serves the common events, one word each: death or
    /// accident, segment move, the coverage event of the agent's state, awareness and fear.
    /// Block 1 serves the rare second coverage event of a formal worker paid by someone else.
    month_events,
    entry,             ///< a new entrant's traits (blocks 0–2); block 3 a region's entrant count
    programme_offer,   ///< acceptance and priority key; block = programme index
    programme_renewal, ///< priority of a member for renewal; block = programme index
    synthesis_registration, ///< a starting worker's registration as a non-active member
    /// A forecast's model discrepancy (ulcsim/model_discrepancy.hpp): one normal number per
    /// (replicate, area); "agent" = the area's index. Drawn after the replicate has run, so
    /// no draw of the simulation moves.
    forecast_discrepancy,
    /// An uncovered informal worker takes a business permit that requires membership; drawn
    /// only where a policy's permit condition is in force.
    business_permit,
};
/// Four 32-bit words per call; callers use all four before asking for another block.
using DrawWords = std::array<std::uint32_t, 4>;

class CounterRng;

/// The kernels of the batch functions, narrowest first. A CPU runs the widest it has, up to
/// the one asked for: avx512 (eight blocks at a time, with AVX-512VL's three-way XOR on
/// 256-bit vectors), avx2 (eight blocks at a time), portable (one). All three give the same
/// words bit for bit.
enum class PhiloxKernel : std::uint8_t { portable, avx2, avx512 };

namespace detail {
/// The batch functions of CounterRng with the widest kernel chosen by the caller rather than
/// by the CPU: `widest = portable` forces the path that CPUs without AVX2 run, `avx2` the one
/// of CPUs without AVX-512, so that tests and benchmarks can check and time each of them on
/// a machine that has more. A kernel the CPU lacks falls back to the next narrower one.
void words_for_range(const CounterRng& rng, PhiloxKernel widest, std::uint32_t first_agent,
                     std::uint32_t count, std::uint32_t month, DrawPurpose purpose,
                     std::uint32_t block, DrawWords* out);
void words_for_agents(const CounterRng& rng, PhiloxKernel widest, const std::uint32_t* agents,
                      std::uint32_t count, std::uint32_t month, DrawPurpose purpose,
                      std::uint32_t block, DrawWords* out);
/// Caps the kernel that the members of every CounterRng in the process use (avx512, the
/// default, means the widest the CPU has), so that a test can run a whole simulation on
/// each path and compare the outputs. Not for concurrent use with running simulations.
void limit_philox_kernel(PhiloxKernel widest);
} // namespace detail

class CounterRng {
public:
    CounterRng(std::uint64_t seed, std::uint32_t replicate)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
          replicate_(replicate) {}

    /// The words for one (agent, month of the run, purpose, block). `month` counts from the
    /// run's first month and must be below 65536.
    DrawWords words(std::uint32_t agent, std::uint32_t month, DrawPurpose purpose,
                    std::uint32_t block = 0) const {
        const r123::Philox4x32::ctr_type counter{
            {agent, (month << 16) | static_cast<std::uint32_t>(purpose), replicate_, block}};
        const auto out = r123::Philox4x32()(counter, key_);
        return {out[0], out[1], out[2], out[3]};
    }

    /// out[i] = words(first_agent + i, month, purpose, block) for i < count, bit for bit;
    /// agent numbers wrap modulo 2³² as in that expression. Eight blocks at a time where the
    /// CPU has AVX2, faster where it also has AVX-512VL. Allocates nothing and touches only its
    /// arguments, so any number of threads may call it at once.
    void words_for_range(std::uint32_t first_agent, std::uint32_t count, std::uint32_t month,
                         DrawPurpose purpose, std::uint32_t block, DrawWords* out) const;
    /// out[i] = words(agents[i], month, purpose, block) for i < count, bit for bit; the
    /// agents may come in any order and repeat. Same speed and guarantees as words_for_range.
    void words_for_agents(const std::uint32_t* agents, std::uint32_t count, std::uint32_t month,
                          DrawPurpose purpose, std::uint32_t block, DrawWords* out) const;
    /// Whether the batch functions run a vector kernel on this CPU (decided once per process).
    static bool vectorised() { return kernel() != PhiloxKernel::portable; }
    /// The widest kernel this CPU runs, which the batch members use.
    static PhiloxKernel kernel();
    /// "avx512", "avx2" or "portable".
    static const char* kernel_name(PhiloxKernel k);

    /// A uniform number in [0, 1) with 32 bits of resolution.
    static double unit(std::uint32_t word) { return word * 0x1p-32; }

    /// Integer form of a probability, so that a Bernoulli draw is one integer comparison:
    /// happens(word, threshold(p)) is true with probability exactly round(p·2³²)/2³².
    static std::uint64_t threshold(double probability) {
        if (!(probability > 0)) return 0;
        if (probability >= 1) return std::uint64_t{1} << 32;
        return static_cast<std::uint64_t>(std::llround(std::ldexp(probability, 32)));
    }
    static bool happens(std::uint32_t word, std::uint64_t threshold) { return word < threshold; }

    /// Monthly probability of an event with hazard h per month.
    static double probability_from_hazard(double hazard) { return -std::expm1(-hazard); }

    /// The same for the per-agent hot path, without a call to expm1: below h = 1/8 a Taylor
    /// polynomial whose error (< h⁷/5040 ≈ 5·10⁻¹¹) is below the 2⁻³² resolution of a draw.
    static double fast_probability_from_hazard(double h) {
        if (!(h < 0.125)) return -std::expm1(-h);
        return h *
               (1 - h * (0.5 - h * (1.0 / 6 - h * (1.0 / 24 - h * (1.0 / 120 - h * (1.0 / 720))))));
    }

private:
    friend void detail::words_for_range(const CounterRng&, PhiloxKernel, std::uint32_t,
                                        std::uint32_t, std::uint32_t, DrawPurpose, std::uint32_t,
                                        DrawWords*);
    friend void detail::words_for_agents(const CounterRng&, PhiloxKernel, const std::uint32_t*,
                                         std::uint32_t, std::uint32_t, DrawPurpose, std::uint32_t,
                                         DrawWords*);

    r123::Philox4x32::key_type key_;
    std::uint32_t replicate_;
};

} // namespace ulcsim
