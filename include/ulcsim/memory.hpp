#pragma once
/// \file
/// How much memory an ensemble will need, estimated before it runs, and how much the machine
/// has: a run that would not fit is refused at once instead of failing hours later.

#include "ulcsim/ensemble.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ulcsim {

/// Bytes at the peak of an ensemble. Upper bounds where the run decides (the agents' slots
/// assume nobody leaves the labour force, so every entrant needs a slot of its own).
struct MemoryEstimate {
    double fixed = 0;         ///< the program, its libraries, the region data
    double agents = 0;        ///< one replicate's agent columns, entrants' slots included
    double per_replicate = 0; ///< one replicate in flight: agents, series, tallies, candidates
    double ensemble = 0;      ///< after the replicates: summaries and what they are made from
    std::size_t replicates_at_once = 1;
    std::int64_t slots = 0; ///< of the largest replicate, entrants' room included

    /// The replicates are freed before the summaries are computed: the peak is the larger.
    double total() const {
        return fixed + std::max(per_replicate * static_cast<double>(replicates_at_once), ensemble);
    }
};

/// The estimate for running `members` on `threads` threads with at most `replicates_at_once`
/// replicates in memory (0: one per thread, as run_ensemble does).
MemoryEstimate estimate_memory(const std::vector<EnsembleMember>& members, int threads,
                               std::size_t replicates_at_once);

/// Physical memory this process may use: the machine's (MemTotal), or the control group's
/// limit when that is lower; 0 when neither can be read.
std::uint64_t usable_memory();

} // namespace ulcsim
