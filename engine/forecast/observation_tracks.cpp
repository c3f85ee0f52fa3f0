#include "ulcsim/observation_tracks.hpp"

#include "ulcsim/calibration.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace ulcsim {

ObservationTracker::ObservationTracker(const Scenario& scenario, std::uint32_t replicates)
    : scenario_(&scenario), replicates_(replicates), added_(replicates, false) {
    const auto months = static_cast<std::size_t>(scenario.run.months);
    for (std::size_t i = 0; i < scenario.observations.size(); ++i) {
        const Observation& o = scenario.observations[i];
        const int month = o.month - scenario.run.start;
        // An observation before or after the run has nothing to be set against.
        if (month < 0 || static_cast<std::size_t>(month) >= months) continue;
        const auto same = [&](const ObservationTrack& t) {
            return std::tie(t.region_code, t.segment, t.measure) ==
                   std::tie(o.region_code, o.segment, o.measure);
        };
        auto at = std::find_if(tracks_.begin(), tracks_.end(), same);
        if (at == tracks_.end()) {
            tracks_.push_back({o.region_code, o.segment, o.measure, {}, {}, {}, {}});
            at = tracks_.end() - 1;
        }
        at->observations.push_back(i);
    }
    values_.assign(tracks_.size(),
                   std::vector<double>(static_cast<std::size_t>(replicates) * months,
                                       std::numeric_limits<double>::quiet_NaN()));
}

void ObservationTracker::add(std::uint32_t replicate, const ReplicateSeries& series) {
    if (replicate >= replicates_)
        throw std::out_of_range("ObservationTracker: replicate " + std::to_string(replicate) +
                                " of " + std::to_string(replicates_));
    const std::size_t months =
        std::min(series.months, static_cast<std::size_t>(scenario_->run.months));
    for (std::size_t t = 0; t < tracks_.size(); ++t) {
        // The track's first observation stands for all of it: same regions, segment, measure.
        Observation o = scenario_->observations[tracks_[t].observations.front()];
        double* out =
            values_[t].data() + static_cast<std::size_t>(replicate) * scenario_->run.months;
        for (std::size_t m = 0; m < months; ++m) {
            o.month = scenario_->run.start + static_cast<int>(m);
            out[m] = simulated_observation(series, *scenario_, o);
        }
    }
    added_[replicate] = true;
}

std::vector<ObservationTrack> ObservationTracker::tracks() const {
    const auto months = static_cast<std::size_t>(scenario_->run.months);
    std::vector<ObservationTrack> out = tracks_;
    std::vector<double> at_month;
    for (std::size_t t = 0; t < out.size(); ++t) {
        ObservationTrack& track = out[t];
        track.mean.assign(months, std::numeric_limits<double>::quiet_NaN());
        track.p05 = track.p95 = track.mean;
        for (std::size_t m = 0; m < months; ++m) {
            at_month.clear();
            for (std::uint32_t r = 0; r < replicates_; ++r) {
                const double v = values_[t][r * months + m];
                if (added_[r] && !std::isnan(v)) at_month.push_back(v);
            }
            if (at_month.empty()) continue;
            std::sort(at_month.begin(), at_month.end());
            double sum = 0;
            for (const double v : at_month)
                sum += v;
            track.mean[m] = sum / static_cast<double>(at_month.size());
            track.p05[m] = quantile_of_sorted(at_month, 0.05);
            track.p95[m] = quantile_of_sorted(at_month, 0.95);
        }
    }
    return out;
}

} // namespace ulcsim
