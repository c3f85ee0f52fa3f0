#pragma once
/// \file
/// A scenario's ensemble recorded in a run file: what `ulcsim run` does between opening its
/// output and committing it, in the library so that the program and the Python module record
/// runs the same way, byte for byte. Every replicate's series go into the writer as they
/// finish (and, when asked, every replicate's state at a checkpoint month), then the
/// summaries over replicates and the observation tracks. The caller creates the writer,
/// decides how the ensemble runs (progress, memory check) and commits.

#include "ulcsim/calendar.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ulcsim {

/// What a run records beyond the scenario's replicates.
struct RunRecording {
    /// Time the phases of every replicate (RecordedRun::phase_times).
    bool profile = false;
    /// Continue every replicate from this checkpoint instead of synthesising its agents; the
    /// file's name as the user gave it is recorded in /meta (write_continuation).
    const CheckpointReader* from_checkpoint = nullptr;
    std::string from_checkpoint_name;
    /// Also store every replicate's state at the start of this month in /checkpoint.
    std::optional<Month> checkpoint_at;
    /// Each replicate on its posterior draw (entry r of its plan), recorded with its source.
    const PosteriorPlan* per_replicate = nullptr;
    std::string parameter_source;
    /// Also sees every replicate's series once it is recorded (a forecast's first passages),
    /// one call at a time.
    std::function<void(std::uint32_t replicate, const ReplicateSeries& series)> also;
};

struct RecordedRun {
    /// The summaries written, as write_summary() keeps them for a CSV and the terminal.
    EnsembleSummary summary;
    /// Thread-seconds by phase over every replicate (zeros unless RunRecording::profile).
    PhaseTimes phase_times;
};

/// Runs the scenario's replicates (the posterior plan's, when given) with `run` and records
/// them in `writer`, which must have been made for `scenario`. Throws what the ensemble
/// throws (Stopped when its context's stop flag is set); the writer then holds a partial
/// file that its destructor removes.
RecordedRun record_run(RunFileWriter& writer, const Scenario& scenario,
                       const RunRecording& recording, const PlanRunner& run);

} // namespace ulcsim
