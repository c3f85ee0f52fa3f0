#include "ulcsim/observation_tracks_file.hpp"

#include "dataset_names.hpp"
#include "optional_reads.hpp"

#include <stdexcept>

namespace ulcsim {

void write_observation_tracks(ArrayWriter& out, const Scenario& scenario,
                              const std::vector<ObservationTrack>& tracks) {
    const std::string& g = dataset::observation_tracks;
    const std::size_t T = tracks.size();
    const auto months = static_cast<std::size_t>(scenario.run.months);
    std::vector<std::string> region, segment, measure;
    std::vector<double> mean, p05, p95, point_track;
    std::vector<Observation> points;
    for (std::size_t t = 0; t < T; ++t) {
        const ObservationTrack& track = tracks[t];
        if (track.mean.size() != months || track.p05.size() != months || track.p95.size() != months)
            throw std::invalid_argument("write_observation_tracks: a track of " +
                                        track.region_code + " does not have " +
                                        std::to_string(months) + " months");
        region.push_back(track.region_code);
        segment.emplace_back(segment_group_names[static_cast<std::size_t>(track.segment)]);
        measure.emplace_back(coverage_measure_names[static_cast<std::size_t>(track.measure)]);
        mean.insert(mean.end(), track.mean.begin(), track.mean.end());
        p05.insert(p05.end(), track.p05.begin(), track.p05.end());
        p95.insert(p95.end(), track.p95.begin(), track.p95.end());
        for (const std::size_t i : track.observations) {
            points.push_back(scenario.observations.at(i));
            point_track.push_back(static_cast<double>(t));
        }
    }
    out.write_strings(dataset::in(g, "region"), region, "track", "Kemendagri code");
    out.write_strings(dataset::in(g, "segment"), segment, "track", "segment group");
    out.write_strings(dataset::in(g, "measure"), measure, "track", "coverage measure");
    const auto per_month = [&](const char* name, const std::string& units,
                               const std::vector<double>& v) {
        out.write_array(dataset::in(g, name), {T, months}, {"track", "month"}, units, v);
    };
    per_month("mean", "share (mean over replicates)", mean);
    per_month("p05", "share (5% quantile over replicates)", p05);
    per_month("p95", "share (95% quantile over replicates)", p95);
    const std::string at = dataset::in(g, "points");
    write_observation_columns(out, at, points, ObservationDetail::with_measure_and_source);
    out.write_array(dataset::in(at, "track"), {points.size()}, {"observation"}, "index along track",
                    point_track);
}

std::optional<StoredObservationTracks> read_observation_tracks(const RunFileReader& file) {
    const std::string& g = dataset::observation_tracks;
    if (!detail::has_member(file, "/", dataset::leaf(g))) return std::nullopt;
    StoredObservationTracks s;
    const std::vector<std::string> region = file.strings(dataset::in(g, "region")),
                                   segment = file.strings(dataset::in(g, "segment")),
                                   measure = file.strings(dataset::in(g, "measure"));
    const std::size_t T = region.size();
    if (segment.size() != T || measure.size() != T)
        throw std::runtime_error(g + ": region, segment and measure differ in length");
    const auto read = [&](const char* name) {
        StoredArray a = file.array(dataset::in(g, name));
        if (a.dims.size() != 2 || a.dims[0] != T || a.values.size() != a.dims[0] * a.dims[1])
            throw std::runtime_error(dataset::in(g, name) + " is not [" + std::to_string(T) +
                                     " tracks, month]");
        return a;
    };
    const StoredArray mean = read("mean"), p05 = read("p05"), p95 = read("p95");
    if (p05.dims != mean.dims || p95.dims != mean.dims)
        throw std::runtime_error(g + ": mean, p05 and p95 differ in shape");
    const std::size_t months = T == 0 ? 0 : mean.dims[1];
    for (std::size_t t = 0; t < T; ++t) {
        const auto row = [&](const StoredArray& a) {
            const auto first = a.values.begin() + static_cast<std::ptrdiff_t>(t * months);
            return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(months));
        };
        s.tracks.push_back({region[t], segment[t], measure[t], row(mean), row(p05), row(p95)});
    }
    const std::string at = dataset::in(g, "points");
    s.points = read_observation_columns(file, at);
    const std::vector<double> track = file.array(dataset::in(at, "track")).values;
    if (track.size() != s.points.observed.size())
        throw std::runtime_error(dataset::in(at, "track") + " does not have one entry per point");
    for (const double t : track) {
        if (!(t >= 0 && t < static_cast<double>(T)))
            throw std::runtime_error(dataset::in(at, "track") + " names a track that is not there");
        s.point_track.push_back(static_cast<std::size_t>(t));
    }
    return s;
}

} // namespace ulcsim
