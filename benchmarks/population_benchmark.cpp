// Population synthesis: agents per second for Jawa Tengah at one agent per 10 workers
// (about 2.1 million agents), on 1 and 2 threads in the same run.

#include "ulcsim/population.hpp"

#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

void synthesise_jawa_tengah(benchmark::State& state) {
    const auto scenario =
        ulcsim::load_scenario(scenarios / "jawa-tengah.toml", {"population.scale=10"});
    tbb::task_arena arena(static_cast<int>(state.range(0)));
    std::size_t agents = 0;
    for (auto _ : state) {
        const auto population =
            arena.execute([&] { return ulcsim::synthesise_population(scenario, 0); });
        agents = population.size();
        benchmark::DoNotOptimize(population.payer.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(agents));
    state.counters["agents"] = static_cast<double>(agents);
    state.counters["bytes_per_agent"] = ulcsim::Population::bytes_per_agent;
}
BENCHMARK(synthesise_jawa_tengah)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
