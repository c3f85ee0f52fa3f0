// Where the monthly step spends its time, phase by phase, and how many Philox blocks it draws
// per agent-month: a profiled run (SimulationOptions::profile) of a few months, on 1 and 2
// threads, so that the report can set programme allocation and the tally against the other
// phases and the step against the random-number limit with a measured draw count instead of
// an assumed one.
//
// Two cases, because programme allocation grows with the programmes and the tally with the
// regions:
//  - jawa_tengah: the monthly step benchmark's scenario (two workers per agent, about
//    10.4 million agents, 35 regions), started in 2025-07 so that all five of its programmes
//    have a window open (its observations lie before that and are dropped).
//  - indonesia_x20: the national scenario at twenty workers per agent, about 7.2 million
//    agents in 514 regions with regionally funded programmes in every province.
//
// Each repetition synthesises a fresh replicate (outside the timing) and steps it three
// months: take_series(), which hands over the phase times, ends a replicate, so repetitions
// cannot continue one another as they do in monthly_step_benchmark. They therefore time the
// same months every time, and the spread is noise.
//
// The per-agent phases (draws, demography, accidents, coverage, awareness and most of the
// tally) run chunk by chunk on every thread, so their seconds are thread-seconds and their
// agent-months per second are per thread; calendar and programme allocation run on one
// thread between the passes over the agents, so theirs are wall seconds.

#include "ulcsim/ensemble.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/tally.hpp"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <tbb/task_arena.h>
#include <vector>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

struct PhaseCase {
    const char* name; // as in the benchmark's name and the JSON context
    const char* file;
    std::vector<std::string> overrides;
};

const PhaseCase jawa_tengah{"jawa_tengah",
                            "jawa-tengah.toml",
                            {"population.scale=2", "run.start=2025-07", "observation=[]"}};
const PhaseCase indonesia_x20{"indonesia_x20", "indonesia.toml", {"population.scale=20"}};

// Loaded once, outside the timing: scenario_loading_benchmark times the loading.
const ulcsim::Scenario& scenario_of(const PhaseCase& c) {
    static const ulcsim::Scenario jt =
        ulcsim::load_scenario(scenarios / jawa_tengah.file, jawa_tengah.overrides);
    static const ulcsim::Scenario id =
        ulcsim::load_scenario(scenarios / indonesia_x20.file, indonesia_x20.overrides);
    return &c == &jawa_tengah ? jt : id;
}

std::string counter_name(std::string_view phase) {
    std::string name(phase);
    for (char& ch : name)
        if (ch == ' ') ch = '_';
    return name;
}

void monthly_phases(benchmark::State& state, const PhaseCase& c) {
    const int threads = static_cast<int>(state.range(0));
    const ulcsim::Scenario& scenario = scenario_of(c);
    tbb::task_arena arena(threads);
    ulcsim::SimulationOptions options;
    options.profile = true;
    std::unique_ptr<ulcsim::ReplicateSimulation> simulation;
    arena.execute(
        [&] { simulation = std::make_unique<ulcsim::ReplicateSimulation>(scenario, 0, options); });
    for (auto _ : state)
        arena.execute([&] { simulation->step(); });
    const ulcsim::ReplicateSeries series = simulation->take_series();
    arena.execute([&] { simulation.reset(); });

    const ulcsim::PhaseTimes& p = series.phase_times;
    const auto months = static_cast<double>(state.iterations());
    const auto agent_months = static_cast<double>(p.agent_months);
    state.counters["agent_months_per_second"] =
        benchmark::Counter(agent_months, benchmark::Counter::kIsRate);
    state.counters["labour_force"] = agent_months / months;
    state.counters["philox_blocks_per_agent_month"] =
        static_cast<double>(p.philox_blocks) / agent_months;
    state.counters["months"] = months;
    // Not named "threads": Google Benchmark's JSON already has a key of that name.
    state.counters["arena_threads"] = threads;
    // Synthesis happens once per replicate, before the months: its own figure.
    state.counters["synthesis_seconds"] = p.of(ulcsim::Phase::synthesis);
    for (const ulcsim::PhaseEntry& phase : ulcsim::phase_table) {
        if (phase.phase == ulcsim::Phase::synthesis) continue;
        const std::size_t k = ulcsim::phase_index(phase.phase);
        const std::string name = counter_name(phase.name);
        state.counters[name + "_seconds_per_month"] = p.seconds[k] / months;
        if (p.seconds[k] > 0)
            state.counters[name + "_agent_months_per_second"] = agent_months / p.seconds[k];
    }
}
// Three months per repetition: about 2 s at 1 thread with the synthesis, so seven
// repetitions of both cases at both thread counts take about a minute.
BENCHMARK_CAPTURE(monthly_phases, jawa_tengah, jawa_tengah)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(monthly_phases, indonesia_x20, indonesia_x20)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (const PhaseCase* c : {&jawa_tengah, &indonesia_x20}) {
        std::string scenario_text = c->file;
        for (const std::string& o : c->overrides)
            scenario_text += " --set " + o;
        const std::string key = std::string("monthly_phases_") + c->name;
        benchmark::AddCustomContext(key + "_scenario", scenario_text);
        benchmark::AddCustomContext(key + "_agents",
                                    std::to_string(ulcsim::starting_agents(scenario_of(*c))));
        benchmark::AddCustomContext(key + "_regions",
                                    std::to_string(scenario_of(*c).regions.size()));
        benchmark::AddCustomContext(key + "_programmes",
                                    std::to_string(scenario_of(*c).programmes.size()));
    }
    std::string phases;
    for (const ulcsim::PhaseEntry& phase : ulcsim::phase_table)
        phases += (phases.empty() ? "" : ",") + counter_name(phase.name);
    benchmark::AddCustomContext("monthly_phases_names", phases);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
