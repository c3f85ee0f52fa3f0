// Counter-based draws: the generator is Random123's Philox4x32-10 bit for bit, draws are
// pure functions of their coordinates, and the derived uniforms and Bernoulli draws have the
// right distribution (fixed seeds, stated tolerances).

#include "ulcsim/rng.hpp"

#include <gtest/gtest.h>
#include <set>

using ulcsim::CounterRng;
using ulcsim::DrawPurpose;

TEST(Philox, MatchesRandom123KnownAnswers) {
    // Known-answer vectors published with Random123 (kat_vectors, philox4x32 10 rounds).
    r123::Philox4x32 philox;
    const auto zero = philox({{0, 0, 0, 0}}, {{0, 0}});
    EXPECT_EQ(zero[0], 0x6627e8d5u);
    EXPECT_EQ(zero[3], 0x9b00dbd8u);
    const auto pi =
        philox({{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}});
    EXPECT_EQ(pi[0], 0xd16cfe09u);
    EXPECT_EQ(pi[1], 0x94fdccebu);
    EXPECT_EQ(pi[2], 0x5001e420u);
    EXPECT_EQ(pi[3], 0x24126ea1u);
}

TEST(CounterRng, IsPhiloxOfItsCoordinates) {
    const CounterRng rng(0x299f31d0a4093822ull, 7);
    const auto w = rng.words(123456, 42, DrawPurpose::programme_offer, 3);
    const auto expected = r123::Philox4x32()(
        {{123456u, (42u << 16) | static_cast<std::uint32_t>(DrawPurpose::programme_offer), 7u, 3u}},
        {{0xa4093822u, 0x299f31d0u}});
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(w[i], expected[i]);
}

TEST(CounterRng, EveryCoordinateSelectsADifferentStream) {
    const CounterRng base(1, 0);
    std::set<std::uint32_t> first_words{
        base.words(5, 10, DrawPurpose::month_events)[0],
        base.words(6, 10, DrawPurpose::month_events)[0],
        base.words(5, 11, DrawPurpose::month_events)[0],
        base.words(5, 10, DrawPurpose::entry)[0],
        base.words(5, 10, DrawPurpose::month_events, 1)[0],
        CounterRng(2, 0).words(5, 10, DrawPurpose::month_events)[0],
        CounterRng(1, 1).words(5, 10, DrawPurpose::month_events)[0],
        CounterRng(1ull << 32 | 1, 0).words(5, 10, DrawPurpose::month_events)[0],
    };
    EXPECT_EQ(first_words.size(), 8u);
    // and the same coordinates give the same words, whoever asks and in whatever order
    EXPECT_EQ(base.words(5, 10, DrawPurpose::month_events),
              CounterRng(1, 0).words(5, 10, DrawPurpose::month_events));
}

TEST(CounterRng, UniformsPassAChiSquareTest) {
    const CounterRng rng(20240701, 0);
    constexpr int bins = 100;
    constexpr std::uint32_t agents = 250'000; // × 4 words = 1,000,000 draws
    std::array<double, bins> counts{};
    for (std::uint32_t a = 0; a < agents; ++a)
        for (std::uint32_t w : rng.words(a, 0, DrawPurpose::synthesis_traits)) {
            const double u = CounterRng::unit(w);
            ASSERT_GE(u, 0.0);
            ASSERT_LT(u, 1.0);
            counts[static_cast<std::size_t>(u * bins)] += 1;
        }
    const double expected = 4.0 * agents / bins;
    double chi2 = 0;
    for (double c : counts)
        chi2 += (c - expected) * (c - expected) / expected;
    // 99 degrees of freedom: the 0.1% critical value is 148.2. With a fixed seed the
    // statistic is a fixed number; a failure means the mapping is biased, not bad luck.
    EXPECT_LT(chi2, 148.2);
}

TEST(CounterRng, BernoulliFrequencyMatchesTheProbability) {
    const CounterRng rng(99, 3);
    for (const double p : {0.003, 0.0625, 0.3, 0.9}) {
        const auto t = CounterRng::threshold(p);
        std::int64_t hits = 0;
        constexpr std::uint32_t agents = 250'000;
        for (std::uint32_t a = 0; a < agents; ++a)
            for (std::uint32_t w : rng.words(a, 1, DrawPurpose::month_events))
                hits += CounterRng::happens(w, t);
        const double n = 4.0 * agents;
        const double sd = std::sqrt(n * p * (1 - p));
        EXPECT_NEAR(static_cast<double>(hits), n * p, 4.5 * sd) << "p = " << p;
    }
}

TEST(CounterRng, ThresholdsAreExactAtTheEnds) {
    EXPECT_EQ(CounterRng::threshold(0), 0u);
    EXPECT_EQ(CounterRng::threshold(-1), 0u);
    EXPECT_EQ(CounterRng::threshold(1), std::uint64_t{1} << 32);
    EXPECT_EQ(CounterRng::threshold(0.5), std::uint64_t{1} << 31);
    EXPECT_FALSE(CounterRng::happens(0, CounterRng::threshold(0)));
    EXPECT_TRUE(CounterRng::happens(0xffffffffu, CounterRng::threshold(1)));
}

TEST(CounterRng, HazardBecomesAMonthlyProbability) {
    EXPECT_DOUBLE_EQ(CounterRng::probability_from_hazard(0), 0);
    EXPECT_NEAR(CounterRng::probability_from_hazard(0.065), 1 - std::exp(-0.065), 1e-15);
    // small hazards keep their precision (expm1, not 1 - exp)
    EXPECT_NEAR(CounterRng::probability_from_hazard(1e-12), 1e-12, 1e-24);
}

TEST(CounterRng, FastProbabilityFromHazardMatchesExpm1WithinADrawsResolution) {
    for (double h : {0.0, 1e-9, 1e-4, 0.0065, 0.05, 0.1, 0.1249, 0.125, 0.5, 3.0})
        EXPECT_NEAR(CounterRng::fast_probability_from_hazard(h),
                    CounterRng::probability_from_hazard(h), 0x1p-33)
            << "h = " << h;
}
