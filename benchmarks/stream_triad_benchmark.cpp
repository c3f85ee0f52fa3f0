// The memory-bandwidth limit of the monthly step, measured in the same run as the step: the
// STREAM triad a[i] = b[i] + s·c[i] on three arrays of 80 MB of doubles, far beyond any
// last-level cache, on 1 and 2 threads. bytes_per_second counts 24 bytes per element (two
// reads and one write), as STREAM does: the line of a[] the CPU reads before writing it is
// not counted, so the traffic on the memory bus is up to a third higher.
//
// stream_update_in_place, a[i] = s·a[i] + t, counts 16 bytes per element. It moves memory the
// way the monthly step does, reading each column and writing it back in place (no line is
// fetched only to be overwritten), so it is the closer limit for the step's columns.
//
// Each thread count first-touches its arrays in its own arena with the static partition the
// kernels then use, so every thread streams through the pages it placed (on a NUMA machine,
// its own node's), as STREAM's OpenMP version does with its static schedule.

#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

namespace {

constexpr std::size_t elements = 10'000'000; // 80 MB per array

struct Arrays {
    explicit Arrays(int thread_count)
        : threads(thread_count), arena(thread_count),
          a(std::make_unique_for_overwrite<double[]>(elements)),
          b(std::make_unique_for_overwrite<double[]>(elements)),
          c(std::make_unique_for_overwrite<double[]>(elements)) {
        for_each_part([&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                a[i] = 1.0;
                b[i] = 2.0;
                c[i] = 0.5;
            }
        });
    }

    // One part per thread, split the same way every time; static_partitioner also hints the
    // same thread for each part every time, so each part stays (as far as the scheduler
    // follows the hint) with the thread that first touched it.
    template <typename Body>
    void for_each_part(const Body& body) {
        arena.execute([&] {
            tbb::parallel_for(
                tbb::blocked_range<std::size_t>(0, elements),
                [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); },
                tbb::static_partitioner{});
        });
    }

    const int threads;
    tbb::task_arena arena;
    std::unique_ptr<double[]> a, b, c;
};

// One set at a time: two would only compete for memory, and 240 MB is worth freeing before
// the next thread count places its own.
std::unique_ptr<Arrays> current;

Arrays& arrays_on(int threads) {
    if (!current || current->threads != threads) {
        current.reset();
        current = std::make_unique<Arrays>(threads);
    }
    return *current;
}

void report(benchmark::State& state, int threads, double bytes_per_element) {
    state.SetBytesProcessed(
        static_cast<std::int64_t>(static_cast<double>(state.iterations()) * bytes_per_element *
                                  static_cast<double>(elements)));
    state.counters["bytes_per_element"] = bytes_per_element;
    state.counters["array_bytes"] = static_cast<double>(elements * sizeof(double));
    // Not named "threads": Google Benchmark's JSON already has a key of that name.
    state.counters["arena_threads"] = threads;
}

void stream_triad(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    Arrays& x = arrays_on(threads);
    // Read at run time, so that the compiler cannot fold the kernel into something else.
    const double s = x.c[0] + 2.5;
    for (auto _ : state) {
        x.for_each_part([&](std::size_t begin, std::size_t end) {
            double* __restrict a = x.a.get();
            const double* __restrict b = x.b.get();
            const double* __restrict c = x.c.get();
            for (std::size_t i = begin; i < end; ++i)
                a[i] = b[i] + s * c[i];
        });
        benchmark::DoNotOptimize(x.a.get());
        benchmark::ClobberMemory();
    }
    report(state, threads, 3 * sizeof(double));
}
BENCHMARK(stream_triad)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void stream_update_in_place(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    Arrays& x = arrays_on(threads);
    // a converges to t / (1 − s) = 2 and stays there: no overflow, no subnormals.
    const double s = x.c[0];
    const double t = x.a[0];
    for (auto _ : state) {
        x.for_each_part([&](std::size_t begin, std::size_t end) {
            double* __restrict a = x.a.get();
            for (std::size_t i = begin; i < end; ++i)
                a[i] = s * a[i] + t;
        });
        benchmark::DoNotOptimize(x.a.get());
        benchmark::ClobberMemory();
    }
    report(state, threads, 2 * sizeof(double));
}
BENCHMARK(stream_update_in_place)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::AddCustomContext("stream_array_bytes", std::to_string(elements * sizeof(double)));
    benchmark::RunSpecifiedBenchmarks();
    current.reset();
    benchmark::Shutdown();
    return 0;
}
