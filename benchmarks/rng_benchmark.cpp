// The random-number limit of the monthly step: how many Philox4x32-10 blocks (four 32-bit
// words each) one core produces per second, alone and when each word feeds a Bernoulli
// draw through an integer threshold; and the same blocks from the batch functions, on the
// widest path this CPU has, on the AVX2 path and on the portable path CPUs without AVX2
// take, so that one run shows the speed-up of each over the scalar call.

#include "ulcsim/rng.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <vector>

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

// As the monthly step uses it: one month_events block for each of a run of consecutive
// agents. 2048 blocks are 32 KiB of output, so the stores stay in the first cache levels and
// the figure is the generator's, not the memory's.
void batch_blocks(benchmark::State& state, ulcsim::PhiloxKernel widest) {
    constexpr std::uint32_t batch = 2048;
    const ulcsim::CounterRng rng(1, 0);
    std::vector<ulcsim::DrawWords> out(batch);
    std::uint32_t agent = 0;
    for (auto _ : state) {
        ulcsim::detail::words_for_range(rng, widest, agent, batch, 7,
                                        ulcsim::DrawPurpose::month_events, 0, out.data());
        agent += batch;
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * batch);
    state.counters["words_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * batch * 4, benchmark::Counter::kIsRate);
    state.SetLabel(ulcsim::CounterRng::kernel_name(std::min(widest, ulcsim::CounterRng::kernel())));
}

// What CounterRng::words_for_range does on this machine (AVX-512 or AVX2 where the CPU has
// it).
void philox_blocks_batch(benchmark::State& state) {
    batch_blocks(state, ulcsim::PhiloxKernel::avx512);
}
BENCHMARK(philox_blocks_batch);

// The AVX2 path, which CPUs without AVX-512 run.
void philox_blocks_batch_avx2(benchmark::State& state) {
    batch_blocks(state, ulcsim::PhiloxKernel::avx2);
}
BENCHMARK(philox_blocks_batch_avx2);

// The portable path, which CPUs without AVX2 run.
void philox_blocks_batch_portable(benchmark::State& state) {
    batch_blocks(state, ulcsim::PhiloxKernel::portable);
}
BENCHMARK(philox_blocks_batch_portable);

} // namespace

BENCHMARK_MAIN();
