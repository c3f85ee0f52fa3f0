#include "ulcsim/mpi_cluster.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <mpi.h>
#include <stdexcept>
#include <string>

namespace ulcsim {

namespace {

// A message is its size on one tag, then its bytes in pieces of at most `piece` on another:
// MPI counts are ints, and a national replicate's checkpoint state is about 2 GB.
constexpr int size_tag = 17;
constexpr int piece_tag = 18;
constexpr std::size_t piece = std::size_t{1} << 30;

void check(int status, const char* what) {
    if (status == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(status, text, &length);
    throw std::runtime_error(std::string("MPI: ") + what + ": " + std::string(text, length));
}

/// MPI counts are ints: larger messages would need derived types, and no message of an
/// ensemble comes near 2 GB (a national replicate's series is about 20 MB).
int count_of(std::size_t n, const char* what) {
    if (n > static_cast<std::size_t>(INT_MAX))
        throw std::runtime_error(std::string("MPI: ") + what + " of " + std::to_string(n) +
                                 " elements is more than one message holds");
    return static_cast<int>(n);
}

} // namespace

MpiCluster::MpiCluster(int& argc, char**& argv) {
    int provided = 0;
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided), "initialise");
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw std::runtime_error("MPI: this MPI library cannot be called from several threads "
                                 "(MPI_THREAD_SERIALIZED)");
    }
    // Errors come back as statuses, which check() turns into exceptions with a message.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "size");
    MPI_Comm local;
    check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local),
          "split by machine");
    check(MPI_Comm_size(local, &local_size_), "size of the machine's ranks");
    MPI_Comm_free(&local);
}

MpiCluster::~MpiCluster() {
    MPI_Finalize();
}

void MpiCluster::abort(int status) {
    MPI_Abort(MPI_COMM_WORLD, status);
    std::_Exit(status); // MPI_Abort does not return; should it, the process still ends
}

void MpiCluster::sum(std::span<std::int64_t> values) {
    check(MPI_Allreduce(MPI_IN_PLACE, values.data(), count_of(values.size(), "sum"), MPI_INT64_T,
                        MPI_SUM, MPI_COMM_WORLD),
          "sum");
}

void MpiCluster::sum(std::span<double> values) {
    check(MPI_Allreduce(MPI_IN_PLACE, values.data(), count_of(values.size(), "sum"), MPI_DOUBLE,
                        MPI_SUM, MPI_COMM_WORLD),
          "sum");
}

std::vector<std::uint64_t> MpiCluster::gather_all(std::span<const std::uint64_t> values) {
    const int mine = count_of(values.size(), "gather");
    std::vector<int> counts(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD),
          "gather the counts");
    std::vector<int> offsets(counts.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
        offsets[r] = count_of(total, "gather");
        total += static_cast<std::size_t>(counts[r]);
    }
    count_of(total, "gather");
    std::vector<std::uint64_t> all(total);
    check(MPI_Allgatherv(values.data(), mine, MPI_UINT64_T, all.data(), counts.data(),
                         offsets.data(), MPI_UINT64_T, MPI_COMM_WORLD),
          "gather");
    return all;
}

void MpiCluster::broadcast(std::vector<std::byte>& bytes, int root) {
    std::uint64_t size = bytes.size();
    check(MPI_Bcast(&size, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "broadcast the size");
    if (rank_ != root) bytes.resize(static_cast<std::size_t>(size));
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        const std::size_t n = std::min(piece, bytes.size() - at);
        check(MPI_Bcast(bytes.data() + at, static_cast<int>(n), MPI_BYTE, root, MPI_COMM_WORLD),
              "broadcast");
    }
}

void MpiCluster::send(int to, std::span<const std::byte> bytes) {
    const std::uint64_t size = bytes.size();
    check(MPI_Send(&size, 1, MPI_UINT64_T, to, size_tag, MPI_COMM_WORLD), "send");
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        const std::size_t n = std::min(piece, bytes.size() - at);
        check(MPI_Send(bytes.data() + at, static_cast<int>(n), MPI_BYTE, to, piece_tag,
                       MPI_COMM_WORLD),
              "send");
    }
}

bool MpiCluster::try_receive(std::vector<std::byte>& bytes, int& from) {
    int arrived = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, size_tag, MPI_COMM_WORLD, &arrived, &status), "probe");
    if (!arrived) return false;
    from = status.MPI_SOURCE;
    std::uint64_t size = 0;
    check(MPI_Recv(&size, 1, MPI_UINT64_T, from, size_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "receive");
    bytes.resize(static_cast<std::size_t>(size));
    // The pieces follow the size at once: the sender sends them in one go.
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        const std::size_t n = std::min(piece, bytes.size() - at);
        check(MPI_Recv(bytes.data() + at, static_cast<int>(n), MPI_BYTE, from, piece_tag,
                       MPI_COMM_WORLD, MPI_STATUS_IGNORE),
              "receive");
    }
    return true;
}

} // namespace ulcsim
