// What a run pays before its first month: reading the region table and reading, merging and
// validating a scenario. Compared across scenario sizes in one run (one kota, a province,
// the nation), so the cost per region is visible.

#include "ulcsim/regions.hpp"
#include "ulcsim/scenario.hpp"

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

} // namespace

BENCHMARK_MAIN();
