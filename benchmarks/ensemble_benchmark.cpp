// Ensemble throughput: every replicate of a scenario through run_ensemble, from synthesis to
// the last month, on 1 and 2 threads in the same run, so that the speed-up from the second
// core can be read off the medians of one run.
//
// Two shapes of ensemble, because run_ensemble finds its parallelism in two places:
//  - kota_magelang_2025: 60,000 agents, 36 months, 8 replicates, as a planner runs it. Each
//    replicate is small, so the threads share the work by running replicates side by side.
//  - jawa_tengah_x20: Jawa Tengah at twenty workers per agent (about a million agents),
//    24 months, 2 replicates run one at a time (concurrent_replicates = 1), so the second
//    thread can only help inside a replicate, across its agents. Left at its default, the
//    ensemble would give each thread a replicate and measure the first shape again.
//
// A replicate is a pure function of (scenario, seed, replicate), so every iteration repeats
// the same work and the spread across repetitions is noise, not a change of workload.

#include "ulcsim/ensemble.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

struct EnsembleCase {
    const char* name; // as in the benchmark's name and the JSON context
    const char* file;
    std::vector<std::string> overrides; // run.replicates sets the ensemble's size
    std::size_t concurrent_replicates;  // 0: one per thread, as `ulcsim run` does
};

const EnsembleCase kota_magelang_2025{
    "kota_magelang_2025", "kota-magelang-2025.toml", {"run.replicates=8"}, 0};
// 20.86 million employed workers at twenty per agent: about 1.04 million agents. Two years
// instead of the file's seven keep a 1-thread iteration at about two seconds.
const EnsembleCase jawa_tengah_x20{"jawa_tengah_x20",
                                   "jawa-tengah.toml",
                                   {"population.scale=20", "run.months=24", "run.replicates=2"},
                                   1};

// Loaded once, outside the timing: scenario_loading_benchmark times the loading.
const ulcsim::Scenario& scenario_of(const EnsembleCase& c) {
    static const ulcsim::Scenario magelang =
        ulcsim::load_scenario(scenarios / kota_magelang_2025.file, kota_magelang_2025.overrides);
    static const ulcsim::Scenario jawa_tengah =
        ulcsim::load_scenario(scenarios / jawa_tengah_x20.file, jawa_tengah_x20.overrides);
    return &c == &kota_magelang_2025 ? magelang : jawa_tengah;
}

void ensemble(benchmark::State& state, const EnsembleCase& c) {
    const int threads = static_cast<int>(state.range(0));
    const ulcsim::Scenario& scenario = scenario_of(c);
    const auto replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    ulcsim::RunPlan plan;
    plan.add(scenario, {0, replicates});

    // Calls are serialised by run_ensemble, so the sum needs no lock. It keeps the series
    // alive to the end, as a real consumer writing them out would.
    double checksum = 0;
    ulcsim::ExecutionContext context;
    context.threads = threads;
    context.replicates_at_once = c.concurrent_replicates;
    ulcsim::EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t, ulcsim::ReplicateSeries&& series) {
        for (const double v : series.series)
            checksum += v;
    };
    for (auto _ : state) {
        ulcsim::run_ensemble(plan, context, options);
        benchmark::DoNotOptimize(checksum);
    }

    // Agent-months as run_ensemble's progress counts them: the agents a replicate starts
    // with, times its months. Entrants, deaths and ageing out change the true count by a few
    // per cent over the run; the monthly step benchmark counts the labour force instead.
    const std::int64_t agents = ulcsim::starting_agents(scenario);
    const auto iterations = static_cast<double>(state.iterations());
    const double agent_months = static_cast<double>(agents) * scenario.run.months * replicates;
    state.counters["agent_months_per_second"] =
        benchmark::Counter(agent_months * iterations, benchmark::Counter::kIsRate);
    state.counters["replicates_per_second"] =
        benchmark::Counter(replicates * iterations, benchmark::Counter::kIsRate);
    state.counters["agents"] = static_cast<double>(agents);
    state.counters["months"] = scenario.run.months;
    state.counters["replicates"] = replicates;
    // Not named "threads": Google Benchmark's JSON already has a key of that name.
    state.counters["arena_threads"] = threads;
    state.counters["concurrent_replicates"] = static_cast<double>(
        c.concurrent_replicates > 0 ? c.concurrent_replicates : static_cast<std::size_t>(threads));
}
// MeasureProcessCPUTime: cpu_time is then the CPU time of every thread of the process, so
// cpu_time over real_time says how many cores the ensemble kept busy, which tells a
// speed-up lost to the ensemble's scheduling from one lost to a core taken by another job.
// Five iterations of 8 replicates, about 3.5 s per repetition at 1 thread on this machine's
// cores; seven repetitions at both thread counts take under forty seconds.
BENCHMARK_CAPTURE(ensemble, kota_magelang_2025, kota_magelang_2025)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Iterations(5)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
// One iteration of 2 replicates, about 1.8 s at 1 thread: about twenty seconds in all.
BENCHMARK_CAPTURE(ensemble, jawa_tengah_x20, jawa_tengah_x20)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Iterations(1)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (const EnsembleCase* c : {&kota_magelang_2025, &jawa_tengah_x20}) {
        std::string scenario_text = c->file;
        for (const std::string& o : c->overrides)
            scenario_text += " --set " + o;
        const std::string key = std::string("ensemble_") + c->name;
        benchmark::AddCustomContext(key + "_scenario", scenario_text);
        benchmark::AddCustomContext(key + "_agents",
                                    std::to_string(ulcsim::starting_agents(scenario_of(*c))));
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
