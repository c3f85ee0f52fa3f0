#pragma once
// Running out of memory after the memory pre-check passed (check_memory): an allocation that
// fails during the run ends the command with a message that says how far it got, what the
// estimate and the budget were and what to lower, instead of "internal error: std::bad_alloc".

#include <cstddef>
#include <string>

namespace ulcsim::cli {

/// Records an ensemble about to run: its estimate and the budget it was checked against
/// (bytes; 0: unknown) with what sets it, and how many replicates it has.
void note_ensemble_started(double estimate, double limit, const std::string& limit_source,
                           std::size_t replicates);
/// Records the replicates done so far (from the ensemble's progress).
void note_replicates_done(std::size_t done);
/// Records that the ensemble is over: a failure from here on is in writing its output.
void note_ensemble_finished();

/// The one line (without "ulcsim: error: ") that ends a command that ran out of memory, from
/// what was last recorded: during an ensemble, "after N of M replicates", the estimate and the
/// budget and what to lower; otherwise where it was (writing the output, before any ensemble).
std::string out_of_memory_message();

} // namespace ulcsim::cli
