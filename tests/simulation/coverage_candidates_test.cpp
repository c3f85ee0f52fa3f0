// The coverage phase's first pass lists the same agents on its portable and AVX2 paths, and
// those are the agents its definition names, whatever the bytes and thresholds.

#include "coverage_candidates.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <vector>

using namespace ulcsim;
using namespace ulcsim::detail;

namespace {

constexpr std::uint64_t always = std::uint64_t{1} << 32;

struct Case {
    std::array<std::uint64_t, coverage_payer_classes * coverage_traits_values> can_change{};
    std::vector<std::uint8_t> payer, traits;
    std::vector<DrawWords> draws;
};

// Thresholds and words at the edges (0, 1, 2³² − 1, 2³²) as well as in between, every byte
// value of payer and traits, and a share of agents below their threshold that varies with
// the seed, so that the masks of eight run from empty to full.
Case random_case(std::uint32_t n, std::uint32_t seed) {
    std::mt19937 engine(seed);
    const auto gen = [&] { return static_cast<std::uint32_t>(engine()); };
    Case c;
    const std::uint64_t edges[] = {0, 1, 0xFFFFFFFFu, always, 0x80000000u};
    for (auto& t : c.can_change)
        t = gen() % 3 == 0 ? edges[gen() % std::size(edges)] : std::uint64_t{gen()};
    const std::uint32_t word_edges[] = {0, 1, 0xFFFFFFFFu, 0xFFFFFFFEu, 0x80000000u};
    for (std::uint32_t i = 0; i < n; ++i) {
        c.payer.push_back(static_cast<std::uint8_t>(gen() % 4 == 0 ? gen() : gen() % 3));
        c.traits.push_back(static_cast<std::uint8_t>(gen()));
        DrawWords w{gen(), gen(), gen(), gen()};
        if (gen() % 4 == 0) w[2] = word_edges[gen() % std::size(word_edges)];
        c.draws.push_back(w);
    }
    return c;
}

std::vector<std::uint16_t> by_definition(const Case& c, std::uint32_t n) {
    std::vector<std::uint16_t> out;
    for (std::uint32_t i = 0; i < n; ++i) {
        const unsigned payer_class = std::min<unsigned>(c.payer[i], 2);
        if (c.draws[i][2] < c.can_change[payer_class * 64 + (c.traits[i] & 63u)])
            out.push_back(static_cast<std::uint16_t>(i));
    }
    return out;
}

TEST(CoverageCandidates, BothPathsListTheAgentsBelowTheirThreshold) {
    RecordProperty("avx2", __builtin_cpu_supports("avx2") ? "yes" : "no");
    std::size_t listed = 0;
    for (const std::uint32_t n : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 1023u, 1024u})
        for (std::uint32_t seed = 1; seed <= 20; ++seed) {
            const Case c = random_case(n, seed * 7919 + n);
            const std::vector<std::uint16_t> expected = by_definition(c, n);
            listed += expected.size();
            for (const bool vectorised : {false, true}) {
                std::vector<std::uint16_t> busy(n + 1, 0xBEEF);
                const std::uint32_t count =
                    list_coverage_candidates(vectorised, c.can_change.data(), c.payer.data(),
                                             c.traits.data(), c.draws.data(), n, busy.data());
                ASSERT_EQ(count, expected.size()) << "n " << n << " seed " << seed;
                EXPECT_TRUE(std::equal(expected.begin(), expected.end(), busy.begin()))
                    << "n " << n << " seed " << seed << (vectorised ? " vectorised" : " portable");
                EXPECT_EQ(busy[n], 0xBEEF) << "wrote past n = " << n;
            }
        }
    // Neither nobody nor everybody: the cases test the compare, not an empty list.
    EXPECT_GT(listed, 1000u);
}

} // namespace
