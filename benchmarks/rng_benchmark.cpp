// The random-number limit of the monthly step: how many Philox4x32-10 blocks (four 32-bit
// words each) one core produces per second, alone and when each word feeds a Bernoulli
// draw through an integer threshold.

#include "ulcsim/rng.hpp"

#include <benchmark/benchmark.h>

namespace {

void philox_blocks(benchmark::State& state) {
    const ulcsim::CounterRng rng(1, 0);
    std::uint32_t agent = 0;
    std::uint32_t sink = 0;
    for (auto _ : state) {
        for (int i = 0; i < 1024; ++i) {
            const auto w = rng.words(agent++, 7, ulcsim::DrawPurpose::month_events);
            sink ^= w[0] ^ w[1] ^ w[2] ^ w[3];
        }
        benchmark::DoNotOptimize(sink);
    }
    state.SetItemsProcessed(state.iterations() * 1024);
    state.counters["words_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * 4096, benchmark::Counter::kIsRate);
}
BENCHMARK(philox_blocks);

void bernoulli_from_words(benchmark::State& state) {
    const ulcsim::CounterRng rng(1, 0);
    const auto threshold = ulcsim::CounterRng::threshold(0.065);
    std::uint32_t agent = 0;
    std::int64_t events = 0;
    for (auto _ : state) {
        for (int i = 0; i < 1024; ++i) {
            const auto w = rng.words(agent++, 7, ulcsim::DrawPurpose::programme_offer);
            for (std::uint32_t word : w)
                events += ulcsim::CounterRng::happens(word, threshold);
        }
        benchmark::DoNotOptimize(events);
    }
    state.SetItemsProcessed(state.iterations() * 4096);
}
BENCHMARK(bernoulli_from_words);

} // namespace

BENCHMARK_MAIN();
