#pragma once
// What the policies in force cost, by month, region and segment, once a replicate's series
// are complete: a policy's cost per worker falls where its workers are, and its fixed cost is
// shared among its regions' workers, so that the series sums to what the policies cost.

#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

namespace ulcsim::detail {

/// Fills SeriesMetric::policy_cost_idr from the labour force at the end of each month. Every
/// region must be recorded (after the members of an exchange have summed their series).
void record_policy_costs(const Scenario& s, ReplicateSeries& series);

} // namespace ulcsim::detail
