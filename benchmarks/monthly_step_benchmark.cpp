// The monthly step at about 10 million agents: Jawa Tengah at two workers per agent, one
// simulated month per iteration, on 1 and 2 threads in the same run.
//
// Synthesis costs as much as two or three months, so each thread count builds its simulation
// once and every repetition continues from the month the previous one reached: the
// repetitions together walk through the scenario's years (programme windows opening and
// closing, entrants filling reserved slots) instead of timing the first year seven times.

#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"

#include <benchmark/benchmark.h>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <tbb/task_arena.h>
#include <vector>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

// 20.86 million employed workers at two per agent: about 10.4 million agents. The horizon
// only sizes the slots reserved for entrants; it is long enough that the usual seven
// repetitions never reach its end.
const char* const scenario_file = "jawa-tengah.toml";
const std::vector<std::string> overrides = {"population.scale=2", "run.months=240"};

const ulcsim::Scenario& jawa_tengah() {
    static const ulcsim::Scenario scenario =
        ulcsim::load_scenario(scenarios / scenario_file, overrides);
    return scenario;
}

std::int64_t agents_at_start(const ulcsim::Scenario& scenario) {
    std::int64_t agents = 0;
    for (std::size_t k = 0; k < scenario.regions.size(); ++k)
        agents += ulcsim::agents_in_region(scenario, k);
    return agents;
}

// Deaths and ageing out leave empty slots behind, so the slots in use overstate the agents
// a month simulates.
std::int64_t labour_force(const ulcsim::Population& population) {
    std::int64_t agents = 0;
    for (const ulcsim::RegionSlots& r : population.region_slots)
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
            agents += population.in_labour_force(a);
    return agents;
}

// A simulation and the arena every call on it must come from; kept between repetitions.
struct SteppingReplicate {
    explicit SteppingReplicate(int thread_count) : threads(thread_count), arena(thread_count) {
        arena.execute(
            [&] { simulation = std::make_unique<ulcsim::ReplicateSimulation>(jawa_tengah(), 0); });
    }
    ~SteppingReplicate() {
        arena.execute([&] { simulation.reset(); });
    }
    SteppingReplicate(const SteppingReplicate&) = delete;
    SteppingReplicate& operator=(const SteppingReplicate&) = delete;

    bool finished() const { return simulation->months_done() >= jawa_tengah().run.months; }

    int threads;
    tbb::task_arena arena;
    std::unique_ptr<ulcsim::ReplicateSimulation> simulation;
};

// One at a time: the benchmarks run one thread count after the other, and two 10-million-agent
// populations would only compete for memory bandwidth and cache.
std::unique_ptr<SteppingReplicate> current;

SteppingReplicate& replicate_on(int threads) {
    if (!current || current->threads != threads || current->finished()) {
        current.reset();
        current = std::make_unique<SteppingReplicate>(threads);
    }
    return *current;
}

void monthly_step_jawa_tengah(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    SteppingReplicate* replicate = &replicate_on(threads);
    std::int64_t agent_months = 0;
    for (auto _ : state) {
        state.PauseTiming();
        if (replicate->finished()) replicate = &replicate_on(threads);
        // Counted with the clock stopped: the step itself has no reason to count them.
        agent_months += labour_force(replicate->simulation->population());
        state.ResumeTiming();
        replicate->arena.execute([&] { replicate->simulation->step(); });
    }
    const ulcsim::Population& population = replicate->simulation->population();
    const auto agents = static_cast<double>(agent_months) / static_cast<double>(state.iterations());
    state.counters["agent_months_per_second"] =
        benchmark::Counter(static_cast<double>(agent_months), benchmark::Counter::kIsRate);
    state.counters["agents"] = agents;
    state.counters["bytes_per_agent"] = ulcsim::Population::bytes_per_agent;
    // The columns hold every slot, including those reserved for the horizon's entrants.
    state.counters["bytes_per_agent_with_reserve"] =
        static_cast<double>(population.size() * ulcsim::Population::bytes_per_agent) / agents;
    // Not named "threads": Google Benchmark's JSON already has a key of that name.
    state.counters["arena_threads"] = threads;
    state.counters["month_reached"] = replicate->simulation->months_done();
    // Above the agents as the run goes on: the step walks every slot in use, empty or not.
    double slots = 0;
    for (const ulcsim::RegionSlots& r : population.region_slots)
        slots += r.used;
    state.counters["slots_in_use"] = slots;
}
// Half a year per repetition, about 2.5 s at 1 thread on this machine's cores: seven
// repetitions and one synthesis stay well under a minute per thread count.
BENCHMARK(monthly_step_jawa_tengah)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Iterations(6)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::string scenario_text = scenario_file;
    for (const std::string& o : overrides)
        scenario_text += " --set " + o;
    benchmark::AddCustomContext("monthly_step_scenario", scenario_text);
    benchmark::AddCustomContext("monthly_step_agents",
                                std::to_string(agents_at_start(jawa_tengah())));
    benchmark::RunSpecifiedBenchmarks();
    // Destroyed inside its arena, before the static objects TBB may still rely on.
    current.reset();
    benchmark::Shutdown();
    return 0;
}
