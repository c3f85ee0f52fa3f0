// Writing an ensemble's series into one HDF5 file from P MPI ranks: rank r holds the
// replicates i with i mod P == r, and the file gets them all as one contiguous, uncompressed
// float64 dataset [replicate, month, region, segment (4), metric (22)], each replicate one
// hyperslab. Three ways of doing it:
//  - gather: ranks other than 0 MPI_Send each replicate's doubles to rank 0, which alone
//    opens the file (the default sec2 driver), writes its own replicates and receives the
//    others (MPI_ANY_SOURCE), writing each as it arrives. This is what `ulcsim run` does.
//  - parallel_independent: every rank opens the file through MPI-IO (H5Pset_fapl_mpio), the
//    dataset is created collectively, and each rank writes its own replicates with
//    independent transfers.
//  - parallel_collective: the same with collective transfers (H5FD_MPIO_COLLECTIVE): every
//    rank makes the same number of H5Dwrite calls, a rank with fewer replicates writing an
//    empty selection.
// Two shapes of the real run files, 16 replicates each: Jawa Tengah (35 regions × 84 months,
// 2.07 MB per replicate) and the nation (514 regions × 120 months, 43.4 MB per replicate).
//
// Run under mpirun (`mpirun -n P mpi_output_benchmark`); P = 1 is the single-process
// baseline. The time of an iteration is the longest of the ranks' (MPI_Allreduce MAX of the
// seconds each took from a common barrier), and it includes the file's creation, the writes
// and the close: the writes are not fsync'ed, as a run does not fsync, so the figures are
// those of writing into the page cache. Every rank runs the same fixed iterations; only rank
// 0 prints and writes --benchmark_out. Files go to a directory under TMPDIR (or /tmp),
// removed at the end.
//
// This program links the parallel HDF5 library (Debian's hdf5-openmpi) and not libulcsim,
// which links the serial one: one process must not hold both.

#include <benchmark/benchmark.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <hdf5.h>
#include <mpi.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

constexpr hsize_t segments = 4;
constexpr hsize_t metrics = 22;
constexpr int replicates = 16;
constexpr int series_tag = 23;

struct Shape {
    const char* name;
    hsize_t regions;
    hsize_t months;
    int iterations; // per repetition: a repetition of at least about a tenth of a second
};

const Shape jawa_tengah{"jawa_tengah", 35, 84, 4};
const Shape indonesia{"indonesia", 514, 120, 1};

enum class Strategy { gather, parallel_independent, parallel_collective };

int rank_of() {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int size_of() {
    int s = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
}

// An HDF5 or MPI failure ends the whole job: a rank that threw alone would leave the others
// waiting in a collective call.
void fail(const std::string& what) {
    std::fprintf(stderr, "mpi_output_benchmark: rank %d: %s failed\n", rank_of(), what.c_str());
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::_Exit(1);
}

hid_t checked(hid_t id, const char* what) {
    if (id < 0) fail(what);
    return id;
}

void checked(herr_t status, const char* what) {
    if (status < 0) fail(what);
}

void checked_mpi(int status, const char* what) {
    if (status != MPI_SUCCESS) fail(what);
}

hsize_t replicate_doubles(const Shape& s) {
    return s.months * s.regions * segments * metrics;
}

// Where the files go: named by rank 0 (its process id) and sent to the others by main().
std::filesystem::path& directory() {
    static std::filesystem::path d;
    return d;
}

// One replicate's series as a rank holds it: values that change along the block and between
// ranks (they do not change the cost of a contiguous, uncompressed dataset, but nothing
// should be able to notice a constant block either).
std::vector<double> series_of(const Shape& s, int rank) {
    std::vector<double> v(replicate_doubles(s));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<double>(i % 100'003) * 0.5 + rank;
    return v;
}

// The dataset every strategy writes, storage allocated at creation as RunFileWriter does
// (parallel HDF5 requires it anyway for contiguous datasets).
hid_t create_dataset(hid_t file, const Shape& s) {
    const hsize_t dims[5] = {static_cast<hsize_t>(replicates), s.months, s.regions, segments,
                             metrics};
    const hid_t space = checked(H5Screate_simple(5, dims, nullptr), "H5Screate_simple");
    const hid_t dcpl = checked(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate(dataset)");
    checked(H5Pset_layout(dcpl, H5D_CONTIGUOUS), "H5Pset_layout");
    checked(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time");
    const hid_t dataset =
        checked(H5Dcreate2(file, "series", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                "H5Dcreate2");
    H5Pclose(dcpl);
    H5Sclose(space);
    return dataset;
}

// Replicate `replicate`'s slice of the dataset, or nothing (replicate < 0).
hid_t file_selection(hid_t dataset, const Shape& s, int replicate) {
    const hid_t space = checked(H5Dget_space(dataset), "H5Dget_space");
    if (replicate < 0) {
        checked(H5Sselect_none(space), "H5Sselect_none");
        return space;
    }
    const hsize_t start[5] = {static_cast<hsize_t>(replicate), 0, 0, 0, 0};
    const hsize_t count[5] = {1, s.months, s.regions, segments, metrics};
    checked(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr),
            "H5Sselect_hyperslab");
    return space;
}

void write_replicate(hid_t dataset, hid_t dxpl, const Shape& s, int replicate,
                     const double* values) {
    const hsize_t n = replicate_doubles(s);
    const hid_t memory = checked(H5Screate_simple(1, &n, nullptr), "H5Screate_simple(memory)");
    if (replicate < 0) checked(H5Sselect_none(memory), "H5Sselect_none(memory)");
    const hid_t file = file_selection(dataset, s, replicate);
    checked(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory, file, dxpl, values), "H5Dwrite");
    H5Sclose(file);
    H5Sclose(memory);
}

// Rank 0 writes the file alone; the others send it their replicates.
void write_gathered(const std::string& path, const Shape& s, const std::vector<double>& mine) {
    const int rank = rank_of();
    const int ranks = size_of();
    const int count = static_cast<int>(mine.size());
    if (rank != 0) {
        for (int i = rank; i < replicates; i += ranks)
            checked_mpi(MPI_Send(mine.data(), count, MPI_DOUBLE, 0, series_tag + i, MPI_COMM_WORLD),
                        "MPI_Send");
        return;
    }
    const hid_t file =
        checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "H5Fcreate");
    const hid_t dataset = create_dataset(file, s);
    std::vector<double> received(mine.size());
    // In replicate order, rank 0's own when its turn comes, otherwise whichever has arrived.
    for (int i = 0; i < replicates; ++i) {
        if (i % ranks == 0) {
            write_replicate(dataset, H5P_DEFAULT, s, i, mine.data());
            continue;
        }
        MPI_Status status;
        checked_mpi(MPI_Recv(received.data(), count, MPI_DOUBLE, MPI_ANY_SOURCE, MPI_ANY_TAG,
                             MPI_COMM_WORLD, &status),
                    "MPI_Recv");
        write_replicate(dataset, H5P_DEFAULT, s, status.MPI_TAG - series_tag, received.data());
    }
    checked(H5Dclose(dataset), "H5Dclose");
    checked(H5Fclose(file), "H5Fclose");
}

// Every rank opens the file through MPI-IO and writes its own replicates.
void write_parallel(const std::string& path, const Shape& s, const std::vector<double>& mine,
                    bool collective) {
    const int rank = rank_of();
    const int ranks = size_of();
    const hid_t fapl = checked(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate(file access)");
    checked(H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL), "H5Pset_fapl_mpio");
    const hid_t file =
        checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), "H5Fcreate(mpio)");
    H5Pclose(fapl);
    const hid_t dataset = create_dataset(file, s);
    const hid_t dxpl = checked(H5Pcreate(H5P_DATASET_XFER), "H5Pcreate(transfer)");
    checked(H5Pset_dxpl_mpio(dxpl, collective ? H5FD_MPIO_COLLECTIVE : H5FD_MPIO_INDEPENDENT),
            "H5Pset_dxpl_mpio");
    // Collective: as many calls on every rank, the most any rank has.
    const int calls =
        collective ? (replicates + ranks - 1) / ranks : (replicates - rank + ranks - 1) / ranks;
    for (int k = 0; k < calls; ++k) {
        const int replicate = rank + k * ranks;
        write_replicate(dataset, dxpl, s, replicate < replicates ? replicate : -1, mine.data());
    }
    H5Pclose(dxpl);
    checked(H5Dclose(dataset), "H5Dclose");
    checked(H5Fclose(file), "H5Fclose");
}

void mpi_output(benchmark::State& state, const Shape& s, Strategy strategy) {
    const int rank = rank_of();
    const int ranks = size_of();
    const std::vector<double> mine = series_of(s, rank);
    const std::string path = (directory() / (std::string(s.name) + ".h5")).string();
    for (auto _ : state) {
        MPI_Barrier(MPI_COMM_WORLD);
        const double started = MPI_Wtime();
        switch (strategy) {
        case Strategy::gather:
            write_gathered(path, s, mine);
            break;
        case Strategy::parallel_independent:
            write_parallel(path, s, mine, false);
            break;
        case Strategy::parallel_collective:
            write_parallel(path, s, mine, true);
            break;
        }
        double seconds = MPI_Wtime() - started;
        checked_mpi(MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD),
                    "MPI_Allreduce");
        state.SetIterationTime(seconds);
        if (rank == 0) std::filesystem::remove(path);
    }
    const double bytes = static_cast<double>(replicate_doubles(s) * sizeof(double));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes * replicates) * state.iterations());
    state.counters["replicate_bytes"] = bytes;
    state.counters["replicates"] = replicates;
    state.counters["regions"] = static_cast<double>(s.regions);
    state.counters["months"] = static_cast<double>(s.months);
    state.counters["ranks"] = ranks;
}

#define ULCSIM_MPI_OUTPUT(strategy, shape)                                                         \
    BENCHMARK_CAPTURE(mpi_output, strategy##_##shape, shape, Strategy::strategy)                   \
        ->Iterations(shape.iterations)                                                             \
        ->Repetitions(5)                                                                           \
        ->ReportAggregatesOnly(true)                                                               \
        ->UseManualTime()                                                                          \
        ->Unit(benchmark::kMillisecond)

ULCSIM_MPI_OUTPUT(gather, jawa_tengah);
ULCSIM_MPI_OUTPUT(parallel_independent, jawa_tengah);
ULCSIM_MPI_OUTPUT(parallel_collective, jawa_tengah);
ULCSIM_MPI_OUTPUT(gather, indonesia);
ULCSIM_MPI_OUTPUT(parallel_independent, indonesia);
ULCSIM_MPI_OUTPUT(parallel_collective, indonesia);

// What the ranks other than 0 report: nothing.
class NullReporter : public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context&) override { return true; }
    void ReportRuns(const std::vector<Run>&) override {}
};

} // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    const int rank = rank_of();
    // Only rank 0 writes --benchmark_out: the others drop the option before Google Benchmark
    // sees it, or each would open (and truncate) the same file.
    std::vector<char*> args(argv, argv + argc);
    if (rank != 0)
        std::erase_if(
            args, [](const char* a) { return std::string_view(a).starts_with("--benchmark_out"); });
    int count = static_cast<int>(args.size());
    args.push_back(nullptr);
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data())) {
        MPI_Abort(MPI_COMM_WORLD, 1);
        return 1;
    }
    // Rank 0 names and makes the directory; every rank then uses that name.
    std::string name;
    if (rank == 0) {
        const char* tmp = std::getenv("TMPDIR");
        name = (std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") /
                ("ulcsim-mpi-output-benchmark-" + std::to_string(::getpid())))
                   .string();
    }
    int length = static_cast<int>(name.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
    name.resize(static_cast<std::size_t>(length));
    MPI_Bcast(name.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
    directory() = name;
    if (rank == 0) std::filesystem::create_directories(directory());
    benchmark::AddCustomContext("mpi_output_ranks", std::to_string(size_of()));
    benchmark::AddCustomContext("mpi_output_directory", directory().string());
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        benchmark::RunSpecifiedBenchmarks();
    } else {
        NullReporter null_reporter;
        benchmark::RunSpecifiedBenchmarks(&null_reporter);
    }
    benchmark::Shutdown();
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        std::error_code ec;
        std::filesystem::remove_all(directory(), ec);
    }
    MPI_Finalize();
    return 0;
}
