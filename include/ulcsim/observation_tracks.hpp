#pragma once
/// \file
/// A run set against the scenario's dated observations: for each measure an observation is of
/// (its regions, segment group and coverage measure), the simulated value in every month of the
/// run over replicates, and the observations that fall on it. A report draws each track as a
/// band with the observed points on it, so a reader sees at once whether the run passes
/// through what was observed.

#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ulcsim {

/// One measure over the run's months: mean and 90% interval over replicates (shares; NaN in
/// a month where nobody works in the group), and which observations lie on it.
struct ObservationTrack {
    std::string region_code; ///< as the observations name it (kab/kota, province or "ID")
    SegmentGroup segment = SegmentGroup::all;
    CoverageMeasure measure = CoverageMeasure::coverage_share;
    std::vector<double> mean, p05, p95;    ///< [month]
    std::vector<std::size_t> observations; ///< indices into the scenario's observations
};

/// Gathers the tracks of a scenario's observations from its replicates as they finish (in any
/// order: each replicate's values are kept in its own place, so the result does not depend on
/// the order or the number of threads).
class ObservationTracker {
public:
    ObservationTracker(const Scenario& scenario, std::uint32_t replicates);

    /// True when the scenario has no observation: nothing to gather.
    bool empty() const { return tracks_.empty(); }
    /// Records replicate r's values of every track. Not thread-safe: call it where the
    /// ensemble delivers replicates one at a time (EnsembleOptions::on_replicate).
    void add(std::uint32_t replicate, const ReplicateSeries& series);
    /// The tracks with their statistics over the replicates added.
    std::vector<ObservationTrack> tracks() const;

private:
    const Scenario* scenario_;
    std::uint32_t replicates_;
    std::vector<ObservationTrack> tracks_;    ///< without statistics
    std::vector<std::vector<double>> values_; ///< [track][replicate × months + month]
    std::vector<bool> added_;
};

} // namespace ulcsim
