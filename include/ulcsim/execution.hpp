#pragma once
/// \file
/// How the library may use the machine when it runs simulations, and what it tells the caller
/// while it does: an explicit context handed to every operation that runs an ensemble, so that
/// the library keeps no process-wide state. The program makes one from its command line; a
/// test or the Python module makes its own.

#include "ulcsim/cluster.hpp"
#include "ulcsim/output_sink.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace ulcsim {

/// How the ranks of a cluster share an ensemble.
enum class Distribution : std::uint8_t {
    /// Replicates when there are at least as many (scenario, replicate) pairs as ranks,
    /// regions otherwise.
    automatic,
    /// Each rank runs whole replicates: pair i of the replicate-major list goes to rank
    /// i mod ranks.
    replicates,
    /// Every replicate is run by all ranks together, each simulating a contiguous share of
    /// the regions (share_regions), one replicate after the other: for a replicate too large
    /// for one machine's memory.
    regions,
};

/// Where an ensemble is, for progress bars.
struct EnsembleProgress {
    std::int64_t agent_months_done = 0;
    std::int64_t agent_months_total = 0;
    std::uint32_t replicates_done = 0;
    std::uint32_t replicates_total = 0;
};

struct ExecutionContext {
    /// Threads of the TBB arena an ensemble runs in (0: every core).
    int threads = 0;
    /// Most replicates in memory at once (0: one per thread). Each holds its population.
    std::size_t replicates_at_once = 0;
    /// The processes that share every ensemble (null: this process alone). Every rank must run
    /// the same operations with the same inputs.
    Cluster* cluster = nullptr;
    Distribution distribution = Distribution::automatic;
    /// Where files go (null: straight to disk, without registering temporary files).
    OutputSink* output = nullptr;
    /// Called after simulated months, one call at a time (calls may be skipped while another
    /// is in progress). Throwing from it stops the ensemble, which rethrows.
    std::function<void(const EnsembleProgress&)> on_progress;
    /// When set and true, the ensemble stops between months and throws Stopped: for Ctrl-C.
    /// Only read, so a signal handler may set the flag it points to.
    const std::atomic<bool>* stop = nullptr;

    /// This process's rank (0 without a cluster) and the number of ranks.
    int rank() const { return cluster ? cluster->rank() : 0; }
    int ranks() const { return cluster ? cluster->size() : 1; }
    /// Whether this process writes the outputs: rank 0.
    bool writes_outputs() const { return rank() == 0; }
};

/// Thrown by an ensemble whose context's stop flag was set.
class Stopped : public std::exception {
public:
    const char* what() const noexcept override { return "stopped"; }
};

} // namespace ulcsim
