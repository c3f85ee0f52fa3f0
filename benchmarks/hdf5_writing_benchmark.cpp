// Writing run files: every replicate's series through RunFileWriter, as `ulcsim run` does,
// and then the statistics over replicates with the summary CSV beside it. Two shapes:
//  - jawa_tengah: 35 regions × 84 months × 100 replicates, a planner's ensemble (about
//    155 MB of series).
//  - indonesia: 514 regions × 120 months × 4 replicates, the national scenario (about
//    130 MB of series).
//  - indonesia_national, for the summary: the same with one replicate, as the national run
//    writes it. The summary's size does not depend on the replicates, so with one replicate
//    it is most of what the national run writes (about 460 MB of /summary, 50 MB of CSV).
//
// The bytes written do not depend on the number of agents, so the series come from one
// replicate simulated at a small scale, outside the timing, and are written as every
// replicate: the run file's datasets are contiguous and uncompressed, so their values do not
// change the cost. Files go to a directory of their own under TMPDIR (or /tmp), removed at
// the end; commit() closes the file without fsync, as a run does, so the figures are those
// of writing into the page cache, which the kernel writes back to the disk afterwards.

#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/tally.hpp"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

const std::filesystem::path scenarios = ULCSIM_SCENARIOS_DIR;

struct WriteCase {
    const char* name; // as in the benchmark's name and the JSON context
    const char* file;
    // population.scale only sets how long the simulation of the one replicate takes.
    std::vector<std::string> overrides;
};

const WriteCase jawa_tengah{
    "jawa_tengah", "jawa-tengah.toml", {"population.scale=200", "run.replicates=100"}};
const WriteCase indonesia{
    "indonesia", "indonesia.toml", {"population.scale=1000", "run.replicates=4"}};
// The national run's own shape: one replicate, whose summary is as large as that of many.
const WriteCase indonesia_national{
    "indonesia_national", "indonesia.toml", {"population.scale=1000", "run.replicates=1"}};

struct Prepared {
    ulcsim::Scenario scenario;
    ulcsim::ReplicateSeries series;
};

Prepared prepare(const WriteCase& c) {
    Prepared p{ulcsim::load_scenario(scenarios / c.file, c.overrides), {}};
    p.series = ulcsim::simulate_replicate(p.scenario, 0);
    return p;
}

// Each case on first use only, so that a filtered run simulates no more than it writes.
const Prepared& prepared(const WriteCase& c) {
    if (&c == &jawa_tengah) {
        static const Prepared p = prepare(c);
        return p;
    }
    if (&c == &indonesia) {
        static const Prepared p = prepare(c);
        return p;
    }
    static const Prepared p = prepare(indonesia_national);
    return p;
}

const std::filesystem::path& directory() {
    static const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                           ("ulcsim-hdf5-benchmark-" + std::to_string(::getpid()));
    return d;
}

double replicate_bytes(const Prepared& p) {
    return static_cast<double>(p.scenario.run.replicates) *
           static_cast<double>((p.series.series.size() + p.series.programme_series.size()) *
                               sizeof(double));
}

void write_replicates(ulcsim::RunFileWriter& writer, const Prepared& p) {
    for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(p.scenario.run.replicates); ++r)
        writer.write_replicate(r, p.series);
}

void shape_counters(benchmark::State& state, const Prepared& p) {
    state.counters["regions"] = static_cast<double>(p.scenario.regions.size());
    state.counters["months"] = p.scenario.run.months;
    state.counters["replicates"] = p.scenario.run.replicates;
    state.counters["replicate_bytes"] = replicate_bytes(p);
}

// What a run adds to its simulation for writing the series: the file's creation with its
// empty datasets, every replicate's slice, the flush and the rename.
void hdf5_write_replicates(benchmark::State& state, const WriteCase& c) {
    const Prepared& p = prepared(c);
    const std::filesystem::path path = directory() / (std::string(c.name) + ".h5");
    double file_bytes = 0;
    for (auto _ : state) {
        {
            ulcsim::RunFileWriter writer(path, p.scenario, ulcsim::run_info_of(p.scenario, 1),
                                         nullptr);
            write_replicates(writer, p);
            writer.commit();
        }
        state.PauseTiming();
        file_bytes = static_cast<double>(std::filesystem::file_size(path));
        std::filesystem::remove(path);
        state.ResumeTiming();
    }
    state.SetBytesProcessed(
        static_cast<std::int64_t>(replicate_bytes(p) * static_cast<double>(state.iterations())));
    shape_counters(state, p);
    state.counters["file_bytes"] = file_bytes;
}

// What a run adds after the replicates: the statistics over replicates read back from the
// file and written into /summary, the summary CSV, and the commit.
void run_file_summary(benchmark::State& state, const WriteCase& c) {
    const Prepared& p = prepared(c);
    const std::filesystem::path path = directory() / (std::string(c.name) + ".h5");
    std::filesystem::path csv_path = path;
    csv_path.replace_extension(".summary.csv");
    double file_bytes = 0;
    double csv_bytes = 0;
    for (auto _ : state) {
        state.PauseTiming();
        {
            ulcsim::RunFileWriter writer(path, p.scenario, ulcsim::run_info_of(p.scenario, 1),
                                         nullptr);
            write_replicates(writer, p);
            state.ResumeTiming();
            const ulcsim::EnsembleSummary summary =
                ulcsim::write_summary(writer, p.scenario, p.scenario.run.replicates);
            {
                std::ofstream csv(csv_path);
                ulcsim::write_summary_csv(csv, p.scenario, summary);
            }
            writer.commit();
            state.PauseTiming();
        }
        file_bytes = static_cast<double>(std::filesystem::file_size(path));
        csv_bytes = static_cast<double>(std::filesystem::file_size(csv_path));
        std::filesystem::remove(path);
        std::filesystem::remove(csv_path);
        state.ResumeTiming();
    }
    shape_counters(state, p);
    state.counters["file_bytes"] = file_bytes;
    state.counters["csv_bytes"] = csv_bytes;
}

// One pass per repetition: each takes a fraction of a second, and the median of seven is
// enough next to the noise of the page cache.
BENCHMARK_CAPTURE(hdf5_write_replicates, jawa_tengah, jawa_tengah)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(hdf5_write_replicates, indonesia, indonesia)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_file_summary, jawa_tengah, jawa_tengah)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_file_summary, indonesia_national, indonesia_national)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (const WriteCase* c : {&jawa_tengah, &indonesia, &indonesia_national}) {
        std::string scenario_text = c->file;
        for (const std::string& o : c->overrides)
            scenario_text += " --set " + o;
        benchmark::AddCustomContext(std::string("hdf5_") + c->name + "_scenario", scenario_text);
    }
    std::filesystem::create_directories(directory());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::error_code ec;
    std::filesystem::remove_all(directory(), ec);
    return 0;
}
