// A run against its scenario's dated observations (ulcsim/observation_tracks.hpp and the
// /observation_tracks group): the track at an observation's month is the observation's own
// simulated counterpart, whatever order replicates arrive in; what is written is read back;
// `run` stores it, `report` draws it.

#include "support/test_support.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/observation_tracks.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/report.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

namespace ulcsim {
namespace {

namespace fs = std::filesystem;

Scenario diy() {
    return load_scenario(test::scenarios_dir() / "di-yogyakarta.toml",
                         {"population.scale=200", "run.months=12", "run.replicates=5"});
}

TEST(ObservationTracker, OneTrackPerMeasureObservedWithItsObservations) {
    const Scenario s = diy();
    // DI Yogyakarta's three observations: all workers in Feb and Oct 2024, BPU in Jun 2024.
    ASSERT_EQ(s.observations.size(), 3u);
    ObservationTracker tracker(s, 5);
    ASSERT_FALSE(tracker.empty());
    for (std::uint32_t r = 0; r < 5; ++r)
        tracker.add(r, simulate_replicate(s, r));
    const std::vector<ObservationTrack> tracks = tracker.tracks();
    ASSERT_EQ(tracks.size(), 2u);
    std::size_t points = 0;
    for (const ObservationTrack& t : tracks) {
        EXPECT_EQ(t.mean.size(), 12u);
        points += t.observations.size();
        for (const std::size_t i : t.observations) {
            EXPECT_EQ(s.observations[i].segment, t.segment);
            EXPECT_EQ(s.observations[i].region_code, t.region_code);
        }
        for (std::size_t m = 0; m < 12; ++m) {
            EXPECT_LE(t.p05[m], t.mean[m]);
            EXPECT_GE(t.p95[m], t.mean[m]);
        }
    }
    EXPECT_EQ(points, 3u);
}

// The mean at an observation's month is the mean over replicates of simulated_observation(),
// the value calibration fits, and does not depend on the order replicates are added in.
TEST(ObservationTracker, AtAnObservationsMonthTheMeanIsItsSimulatedCounterpart) {
    const Scenario s = diy();
    std::vector<ReplicateSeries> series;
    for (std::uint32_t r = 0; r < 5; ++r)
        series.push_back(simulate_replicate(s, r));
    ObservationTracker forwards(s, 5), backwards(s, 5);
    for (std::uint32_t r = 0; r < 5; ++r) {
        forwards.add(r, series[r]);
        backwards.add(4 - r, series[4 - r]);
    }
    const auto a = forwards.tracks(), b = backwards.tracks();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t) {
        EXPECT_EQ(a[t].mean, b[t].mean);
        EXPECT_EQ(a[t].p05, b[t].p05);
        for (const std::size_t i : a[t].observations) {
            const Observation& o = s.observations[i];
            double sum = 0;
            for (const ReplicateSeries& x : series)
                sum += simulated_observation(x, s, o);
            EXPECT_NEAR(a[t].mean[static_cast<std::size_t>(o.month - s.run.start)], sum / 5, 1e-12);
        }
    }
}

// Validation keeps observations inside the run, but a scenario cut short by with_horizon()
// or made in code may not: those are left out, not read past the series' end.
TEST(ObservationTracker, ObservationsOutsideTheRunAreLeftOut) {
    Scenario s = diy();
    s.observations[0].month = s.run.start + (-1);
    s.observations[1].month = s.run.start + s.run.months;
    ObservationTracker tracker(s, 2);
    tracker.add(0, simulate_replicate(s, 0));
    std::size_t points = 0;
    for (const ObservationTrack& t : tracker.tracks())
        points += t.observations.size();
    EXPECT_EQ(points, 1u);
    EXPECT_THROW(tracker.add(2, simulate_replicate(s, 0)), std::out_of_range);
}

TEST(ObservationTracksFile, WhatIsWrittenIsReadBackAndADamagedGroupIsRefused) {
    const test::ScratchDir dir;
    const Scenario s = diy();
    ObservationTracker tracker(s, 2);
    for (std::uint32_t r = 0; r < 2; ++r)
        tracker.add(r, simulate_replicate(s, r));
    const std::vector<ObservationTrack> tracks = tracker.tracks();
    {
        ResultFileWriter writer(dir.path() / "t.h5", nullptr);
        write_observation_tracks(writer, s, tracks);
        writer.commit();
    }
    const RunFileReader file(dir.path() / "t.h5");
    const std::optional<StoredObservationTracks> back = read_observation_tracks(file);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->tracks.size(), tracks.size());
    for (std::size_t t = 0; t < tracks.size(); ++t) {
        EXPECT_EQ(back->tracks[t].region, tracks[t].region_code);
        EXPECT_EQ(back->tracks[t].mean, tracks[t].mean);
        EXPECT_EQ(back->tracks[t].p95, tracks[t].p95);
    }
    ASSERT_EQ(back->point_track.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t t = back->point_track[i];
        const auto& members = tracks[t].observations;
        EXPECT_TRUE(std::any_of(members.begin(), members.end(), [&](std::size_t o) {
            return std::abs(s.observations[o].value - back->points.observed[i]) < 1e-15 &&
                   s.observations[o].month.to_string() == back->points.month[i];
        }));
    }

    // A track without its months cannot be written.
    std::vector<ObservationTrack> short_track = tracks;
    short_track[0].mean.pop_back();
    ResultFileWriter bad(dir.path() / "bad.h5", nullptr);
    EXPECT_THROW(write_observation_tracks(bad, s, short_track), std::invalid_argument);
}

TEST(ObservationTracksFile, ARunWithoutObservationsHasNone) {
    const test::ScratchDir dir;
    const auto out = dir.path() / "km.h5";
    const auto run = test::run_program(
        {"run", (test::scenarios_dir() / "kota-magelang-2024.toml").string(), "--set",
         "population.scale=50", "--replicates", "2", "--months", "3", "-q", "-o", out.string()});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_FALSE(read_observation_tracks(RunFileReader(out)));
}

// `run` stores the tracks, the same at 1 and 2 threads, and the report draws one chart per
// track with the observations in its data.
TEST(ObservationTracksFile, RunStoresThemAndTheReportDrawsThem) {
    const test::ScratchDir dir;
    const auto run = [&](const std::string& threads, const std::string& name) {
        const auto out = dir.path() / name;
        const auto r =
            test::run_program({"run", (test::scenarios_dir() / "di-yogyakarta.toml").string(),
                               "--set", "population.scale=200", "--replicates", "4", "--months",
                               "12", "--threads", threads, "-q", "-o", out.string()});
        EXPECT_EQ(r.status, 0) << r.err;
        return read_observation_tracks(RunFileReader(out));
    };
    const auto one = run("1", "one.h5"), two = run("2", "two.h5");
    ASSERT_TRUE(one && two);
    ASSERT_EQ(one->tracks.size(), 2u);
    for (std::size_t t = 0; t < 2; ++t)
        EXPECT_EQ(one->tracks[t].mean, two->tracks[t].mean);

    const ReportData data = read_report_data({dir.path() / "one.h5"});
    ASSERT_TRUE(data.runs[0].observations);
    EXPECT_EQ(data.runs[0].observations->point_track.size(), 3u);
    const std::string json = report_json(data);
    EXPECT_NE(json.find("\"observations\":{\"tracks\":[{\"region\":\"34\""), std::string::npos);
    EXPECT_NE(json.find("\"observed\":35"), std::string::npos) << "Feb 2024: 35% in the table";
    EXPECT_NE(json.find("\"skill\":null"), std::string::npos);
}

} // namespace
} // namespace ulcsim
