#pragma once
/// \file
/// How much memory an ensemble will need, estimated before it runs, and how much the machine
/// has: a run that would not fit is refused at once instead of failing hours later.

#include "ulcsim/ensemble.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ulcsim {

/// Bytes at the peak of an ensemble. Upper bounds where the run decides (the agents' slots
/// assume nobody leaves the labour force, so every entrant needs a slot of its own).
struct MemoryEstimate {
    double fixed = 0;         ///< the program, its libraries, the region data
    double agents = 0;        ///< one replicate's agent columns, entrants' slots included
    double per_replicate = 0; ///< one replicate in flight: agents (and their checkpoint copy),
                              ///< series, tallies, candidates
    double ensemble = 0;      ///< after the replicates: summaries and what they are made from
    std::size_t replicates_at_once = 1;
    std::int64_t slots = 0; ///< of the largest replicate, entrants' room included

    /// The replicates are freed before the summaries are computed: the peak is the larger.
    double total() const {
        return fixed + std::max(per_replicate * static_cast<double>(replicates_at_once), ensemble);
    }
};

/// The estimate for running `plan` on `threads` threads with at most `replicates_at_once`
/// replicates in memory (0: one per thread, as run_ensemble does), when this process holds
/// `agent_share` of each replicate's agents (below 1 when the ranks of a cluster split each
/// replicate's regions; the series and tallies stay whole). With `checkpoint`
/// (EnsembleOptions::on_checkpoint), each replicate in flight also holds a copy of its agents
/// from the checkpoint's month until it is stored, while the replicate goes on.
MemoryEstimate estimate_memory(const RunPlan& plan, int threads, std::size_t replicates_at_once,
                               double agent_share = 1, bool checkpoint = false);

/// A way to make an ensemble fit: fewer replicates at once, more workers per agent, or both.
struct MemoryFix {
    std::size_t replicates_at_once = 0; ///< 0: unchanged
    double scale_workers_per_agent = 0; ///< 0: unchanged
    double bytes = 0;                   ///< the estimate with the fix
};

/// Whether an ensemble fits in `limit` bytes (0: unknown, not checked), and if not, what
/// would make it fit: first fewer replicates at once, then the smallest of 2, 3, 4, 5, 10,
/// 20, … 1000 times the workers per agent (with one replicate at once if need be).
struct MemoryCheck {
    MemoryEstimate estimate;
    double agent_share = 1; ///< of each replicate's agents, on this process
    double limit = 0;
    bool fits = true;
    std::vector<MemoryFix> fixes; ///< empty when it fits, or when nothing makes it fit
};
MemoryCheck check_memory(const RunPlan& plan, const EnsembleOptions& options,
                         const ExecutionContext& context, std::uint64_t limit);

/// The most memory this process may use, and what sets it: the smallest of the machine's
/// memory (MemTotal), its control group's limit (cgroup v2, then v1), the process's
/// address-space and data-segment limits (RLIMIT_AS, RLIMIT_DATA: `ulimit -v`, `ulimit -d`)
/// and `given` (--memory-limit; 0: none). Which one it was goes into the message that refuses
/// a run, so that the user knows what to raise.
struct MemoryBudget {
    std::uint64_t bytes = 0; ///< 0: none could be read (not checked)
    /// "this machine", "the control group's memory limit", "the address-space limit
    /// (ulimit -v)", "the data-segment limit (ulimit -d)" or "--memory-limit".
    std::string source;
};
MemoryBudget memory_budget(std::uint64_t given = 0);

/// Under an address-space limit (`ulimit -v`), makes every thread allocate from one malloc
/// arena (mallopt M_ARENA_MAX = 1); without one, changes nothing. glibc gives each new thread
/// an arena of its own, reserving 64 MiB of address space for it that is never resident, so
/// the estimate (of resident memory) would not bound what the limit counts: measured, a run
/// of two threads estimated at 178 MB ran out under limits that left it 181 to 217 MB,
/// depending on the threads' timing, and ran under all of them with one arena, with no
/// difference in time outside the noise. Call it first in main, before any thread starts.
void limit_malloc_arenas_under_address_space_limit();

} // namespace ulcsim
