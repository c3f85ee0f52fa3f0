// What a run pays before its first month: reading the region table and reading, merging and
// validating a scenario. Compared across scenario sizes in one run (one kota, a province,
// the nation), so the cost per region is visible. And what a variant costs (vary(): the
// document copied, one value set, validated again with the base's region table), which
// calibration pays for every point it simulates.

#include "ulcsim/regions.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/vary.hpp"

#include <benchmark/benchmark.h>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

void load_region_table(benchmark::State& state) {
    for (auto _ : state) {
        auto table = ulcsim::RegionTable::load(scenarios / "data");
        benchmark::DoNotOptimize(table);
    }
    state.counters["regions"] = 514;
}
BENCHMARK(load_region_table)->Unit(benchmark::kMillisecond);

void load_scenario(benchmark::State& state, const char* name) {
    std::size_t regions = 0;
    for (auto _ : state) {
        const auto s = ulcsim::load_scenario(scenarios / name);
        regions = s.regions.size();
        benchmark::DoNotOptimize(regions);
    }
    state.counters["regions"] = static_cast<double>(regions);
}
BENCHMARK_CAPTURE(load_scenario, kota_magelang_2025, "kota-magelang-2025.toml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_scenario, jawa_tengah, "jawa-tengah.toml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_scenario, indonesia, "indonesia.toml")->Unit(benchmark::kMillisecond);

void vary_scenario(benchmark::State& state, const char* name) {
    const auto base = ulcsim::load_scenario(scenarios / name);
    std::size_t regions = 0;
    for (auto _ : state) {
        const auto s = ulcsim::vary(base, "behaviour.h0_self", 0.0125);
        regions = s.regions.size();
        benchmark::DoNotOptimize(regions);
    }
    state.counters["regions"] = static_cast<double>(regions);
}
BENCHMARK_CAPTURE(vary_scenario, kota_magelang_2025, "kota-magelang-2025.toml")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(vary_scenario, jawa_tengah, "jawa-tengah.toml")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(vary_scenario, indonesia, "indonesia.toml")->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
