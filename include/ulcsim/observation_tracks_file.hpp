#pragma once
/// \file
/// The observation tracks of a run (ulcsim/observation_tracks.hpp) in its output file, under
/// /observation_tracks: along "track", region (the code the observations name), segment
/// (group name) and measure; mean, p05 and p95 [track, month] (share over replicates; NaN
/// where nobody works in the group); and under /observation_tracks/points, along
/// "observation", the observations on the tracks (ulcsim/observation_columns.hpp, with
/// measure and source) and the track each lies on.

#include "ulcsim/observation_columns.hpp"
#include "ulcsim/observation_tracks.hpp"
#include "ulcsim/store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

void write_observation_tracks(ArrayWriter& out, const Scenario& scenario,
                              const std::vector<ObservationTrack>& tracks);

/// The tracks as read back, with names instead of the scenario's enumerations.
struct StoredObservationTracks {
    struct Track {
        std::string region, segment, measure;
        std::vector<double> mean, p05, p95; ///< [month]
    };
    std::vector<Track> tracks;
    ObservationColumns points;
    std::vector<std::size_t> point_track; ///< [observation]: index into tracks
};

/// The tracks of a run file, or nothing when it has none (a scenario without observations, or
/// a file written before tracks were stored). Throws std::runtime_error naming the dataset when
/// the group is damaged: shapes that disagree, a point on a track that does not exist.
std::optional<StoredObservationTracks> read_observation_tracks(const RunFileReader& file);

} // namespace ulcsim
