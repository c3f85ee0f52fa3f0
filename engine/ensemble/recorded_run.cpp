#include "ulcsim/recorded_run.hpp"

#include "ulcsim/forecast_file.hpp"
#include "ulcsim/observation_tracks.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/run_file.hpp"

namespace ulcsim {

RecordedRun record_run(RunFileWriter& writer, const Scenario& scenario,
                       const RunRecording& recording, const PlanRunner& run) {
    const CheckpointReader* checkpoint = recording.from_checkpoint;
    // /meta and the parameters first, as the file's layout has always had them.
    if (checkpoint) write_continuation(writer, recording.from_checkpoint_name, checkpoint->info());
    if (recording.per_replicate)
        write_run_parameters(writer, *recording.per_replicate, recording.parameter_source);

    const auto replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    RecordedRun recorded;
    ObservationTracker tracker(scenario, replicates);
    EnsembleOptions ensemble;
    ensemble.results_on = ResultsOn::rank_zero;
    ensemble.profile = recording.profile;
    ensemble.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        if (!tracker.empty()) tracker.add(r, series);
        writer.write_replicate(r, series);
        if (recording.also) recording.also(r, series);
        for (std::size_t p = 0; p < PhaseTimes::count; ++p)
            recorded.phase_times.seconds[p] += series.phase_times.seconds[p];
    };
    if (checkpoint)
        ensemble.start_state = [checkpoint](std::size_t, std::uint32_t r) {
            return std::optional<ReplicateState>(checkpoint->state(r));
        };
    if (recording.checkpoint_at) {
        ensemble.checkpoint_after_months = *recording.checkpoint_at - scenario.run.start;
        ensemble.on_checkpoint = [&](std::size_t, std::uint32_t, ReplicateState&& state) {
            writer.write_checkpoint(state);
        };
    }
    run(recording.per_replicate ? recording.per_replicate->plan : RunPlan::replicates_of(scenario),
        ensemble);

    recorded.summary = write_summary(writer, scenario, replicates);
    if (!tracker.empty()) write_observation_tracks(writer, scenario, tracker.tracks());
    return recorded;
}

} // namespace ulcsim
