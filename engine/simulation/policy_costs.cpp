#include "policy_costs.hpp"

#include <algorithm>

namespace ulcsim::detail {

void record_policy_costs(const Scenario& s, ReplicateSeries& series) {
    for (std::size_t t = 0; t < series.months; ++t) {
        const Month month = s.run.start + static_cast<int>(t);
        for (const Policy& p : s.policies) {
            if (!p.in_force(month) ||
                (p.cost_idr_per_month == 0 && p.cost_idr_per_worker_month == 0))
                continue;
            double workers = 0;
            for (std::size_t k = 0; k < s.regions.size(); ++k)
                if (std::find(p.regions.begin(), p.regions.end(), s.regions[k]) != p.regions.end())
                    for (std::size_t g = 0; g < segment_count; ++g)
                        workers +=
                            series.at(SeriesMetric::labour_force, t, k, static_cast<Segment>(g));
            for (std::size_t k = 0; k < s.regions.size(); ++k) {
                if (std::find(p.regions.begin(), p.regions.end(), s.regions[k]) == p.regions.end())
                    continue;
                for (std::size_t g = 0; g < segment_count; ++g) {
                    const auto segment = static_cast<Segment>(g);
                    const double here = series.at(SeriesMetric::labour_force, t, k, segment);
                    // With no worker left anywhere it acts, a fixed cost has no one to fall on.
                    const double fixed = workers > 0 ? p.cost_idr_per_month * here / workers : 0;
                    series.at(SeriesMetric::policy_cost_idr, t, k, segment) +=
                        p.cost_idr_per_worker_month * here + fixed;
                }
            }
        }
    }
}

} // namespace ulcsim::detail
