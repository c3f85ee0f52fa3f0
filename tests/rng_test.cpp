// Counter-based draws: the generator is Random123's Philox4x32-10 bit for bit, draws are
// pure functions of their coordinates, and the derived uniforms and Bernoulli draws have the
// right distribution (fixed seeds, stated tolerances).

#include "ulcsim/rng.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

using ulcsim::CounterRng;
using ulcsim::DrawPurpose;
using ulcsim::DrawWords;

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

// The batch functions must be words() bit for bit on each of their paths. The parameter is
// the widest kernel allowed: portable forces the portable path; avx2 takes the AVX2 kernel
// and avx512 its AVX-512VL variant (the portable path then serves only the tail). A CPU
// without the kernel takes the next narrower.
class PhiloxBatch : public ::testing::TestWithParam<ulcsim::PhiloxKernel> {
protected:
    static constexpr std::uint32_t last_agent = std::numeric_limits<std::uint32_t>::max();
    // Exercise the empty call, the tail alone, exactly one vector, a vector and a tail, and
    // many vectors with and without a tail.
    static constexpr std::uint32_t counts[] = {0, 1, 7, 8, 9, 2048, 2049};
    // Output slots past `count` hold this and must keep it.
    static constexpr DrawWords untouched{0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef};
    static constexpr std::uint32_t slack = 9;

    struct Coordinates {
        std::uint64_t seed;
        std::uint32_t replicate;
        std::uint32_t month;
        DrawPurpose purpose;
        std::uint32_t block;
    };
    // Seeds with and without high bits, extreme replicates, months and blocks, every purpose.
    static std::vector<Coordinates> coordinates() {
        const std::uint64_t seeds[] = {0, 1, 0x299f31d0a4093822ull, 0xffffffff00000000ull,
                                       ~std::uint64_t{0}};
        const std::uint32_t replicates[] = {0, 7, last_agent};
        const Coordinates varied[] = {
            {0, 0, 0, DrawPurpose::synthesis_place, 0},
            {0, 0, 1, DrawPurpose::synthesis_traits, 0},
            {0, 0, 35, DrawPurpose::synthesis_coverage, 2},
            {0, 0, 7, DrawPurpose::month_events, 0},
            {0, 0, 7, DrawPurpose::month_events, 1},
            {0, 0, 120, DrawPurpose::entry, 3},
            {0, 0, 65535, DrawPurpose::programme_offer, 11},
            {0, 0, 12, DrawPurpose::programme_renewal, last_agent},
        };
        std::vector<Coordinates> all;
        std::size_t k = 0;
        for (const auto seed : seeds)
            for (const auto replicate : replicates)
                for (int j = 0; j < 2; ++j) { // two of the eight per (seed, replicate)
                    Coordinates c = varied[k++ % std::size(varied)];
                    c.seed = seed;
                    c.replicate = replicate;
                    all.push_back(c);
                }
        return all;
    }

    static void expect_slack_untouched(const std::vector<DrawWords>& out, std::uint32_t count) {
        for (std::size_t i = count; i < out.size(); ++i)
            ASSERT_EQ(out[i], untouched) << "wrote past count " << count << " at " << i;
    }
};

TEST_P(PhiloxBatch, RangeIsWordsOfEachAgent) {
    // Near 0, in the middle, ending exactly at 2³²−1, and wrapping past it to 0.
    const std::uint32_t firsts[] = {0, 3, 123456789, last_agent - 2048, last_agent - 4};
    for (const auto& c : coordinates()) {
        const CounterRng rng(c.seed, c.replicate);
        for (const auto first : firsts)
            for (const auto count : counts) {
                std::vector<DrawWords> out(count + slack, untouched);
                ulcsim::detail::words_for_range(rng, GetParam(), first, count, c.month, c.purpose,
                                                c.block, out.data());
                for (std::uint32_t i = 0; i < count; ++i)
                    ASSERT_EQ(out[i], rng.words(first + i, c.month, c.purpose, c.block))
                        << "seed " << c.seed << " replicate " << c.replicate << " month " << c.month
                        << " block " << c.block << " agent " << first + i;
                expect_slack_untouched(out, count);
            }
    }
}

TEST_P(PhiloxBatch, ListIsWordsOfEachListedAgent) {
    // Unsorted, with repeats (adjacent and distant), both extremes of the agent numbers.
    std::vector<std::uint32_t> agents{last_agent, 0, 5, 5, 17, 0, last_agent, 4, last_agent - 1};
    std::uint32_t state = 12345;
    while (agents.size() < 2049) {
        state = state * 1664525u + 1013904223u;
        agents.push_back(agents.size() % 5 == 0 ? agents[state % agents.size()] : state);
    }
    for (const auto& c : coordinates()) {
        const CounterRng rng(c.seed, c.replicate);
        for (const auto count : counts)
            for (const std::uint32_t offset : {0u, 1u, 3u}) { // also from unaligned addresses
                if (offset + count > agents.size()) continue;
                std::vector<DrawWords> out(count + slack, untouched);
                ulcsim::detail::words_for_agents(rng, GetParam(), agents.data() + offset, count,
                                                 c.month, c.purpose, c.block, out.data());
                for (std::uint32_t i = 0; i < count; ++i)
                    ASSERT_EQ(out[i], rng.words(agents[offset + i], c.month, c.purpose, c.block))
                        << "seed " << c.seed << " replicate " << c.replicate << " month " << c.month
                        << " block " << c.block << " agent " << agents[offset + i];
                expect_slack_untouched(out, count);
            }
    }
}

INSTANTIATE_TEST_SUITE_P(Paths, PhiloxBatch,
                         ::testing::Values(ulcsim::PhiloxKernel::portable,
                                           ulcsim::PhiloxKernel::avx2,
                                           ulcsim::PhiloxKernel::avx512),
                         [](const auto& param_info) {
                             return std::string(CounterRng::kernel_name(param_info.param));
                         });

TEST(CounterRng, BatchMembersAreWordsOfEachAgent) {
    // The members choose the path themselves: the widest this machine has.
    RecordProperty("kernel", CounterRng::kernel_name(CounterRng::kernel()));
    const CounterRng rng(0xffffffff00000001ull, 3);
    const std::uint32_t agents[] = {9, 2, 2, 4'000'000'000u, 0, 7, 1, 8, 2, 3, 31};
    constexpr std::uint32_t n = std::size(agents);
    DrawWords listed[n];
    DrawWords ranged[n];
    rng.words_for_agents(agents, n, 24, DrawPurpose::programme_offer, 2, listed);
    rng.words_for_range(4'294'967'290u, n, 24, DrawPurpose::month_events, 0, ranged);
    for (std::uint32_t i = 0; i < n; ++i) {
        EXPECT_EQ(listed[i], rng.words(agents[i], 24, DrawPurpose::programme_offer, 2));
        EXPECT_EQ(ranged[i], rng.words(4'294'967'290u + i, 24, DrawPurpose::month_events));
    }
}

TEST(CounterRng, BatchesFromManyThreadsAtOnceAgree) {
    // The month step calls the batch functions from every worker thread on one generator.
    const CounterRng rng(20240701, 2);
    constexpr std::uint32_t per_thread = 4099;
    constexpr int threads = 4;
    std::vector<DrawWords> out(per_thread * threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            for (int repeat = 0; repeat < 20; ++repeat)
                rng.words_for_range(static_cast<std::uint32_t>(t) * per_thread, per_thread, 5,
                                    DrawPurpose::month_events, 0, out.data() + t * per_thread);
        });
    for (auto& w : workers)
        w.join();
    for (std::uint32_t a = 0; a < per_thread * threads; ++a)
        ASSERT_EQ(out[a], rng.words(a, 5, DrawPurpose::month_events)) << "agent " << a;
}
