#pragma once
/// \file
/// What a planner compares between policies, per replicate: coverage at chosen months,
/// covered worker-months, programme money and funded worker-months, the cost of each
/// additional covered worker-year, and what is left of the programmes' members some months
/// after their funding ends. Totals are over all regions and segments of the scenario.
/// Paired differences take the same replicate of two scenarios run with the same seed
/// (common random numbers: the same draws for the same agent), so that the noise both
/// share cancels.

#include "ulcsim/calendar.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/tally.hpp"

#include <array>
#include <span>
#include <string>
#include <vector>

namespace ulcsim {

/// The monthly totals the measures are computed from.
struct ReplicateOutcome {
    std::vector<double> labour_force;
    std::vector<double> covered;
    std::vector<double> former_members_covered;
    std::vector<double> programme_members; ///< all programmes
    std::vector<double> programme_spent_idr;
    std::vector<double> policy_cost_idr; ///< all policies in force (campaigns, regulations)
};
ReplicateOutcome outcome_of(const ReplicateSeries& series);

struct OutcomeSettings {
    Month start;
    int months = 0;
    std::vector<Month> coverage_months; ///< coverage is reported at these
    int months_after_funding = 12;
    /// Some policy of the compared scenarios has a cost, which the money spent then includes
    /// (and its label says so).
    bool policy_costs = false;
};

/// Whether any policy of `scenarios` costs something.
bool any_policy_costs(std::span<const Scenario> scenarios);

/// The coverage months when none are chosen: each December within the run and its last
/// month.
std::vector<Month> default_coverage_months(Month start, int months);

struct OutcomeMeasure {
    std::string name;  ///< for files: "coverage_rate_2025-12", "money_spent_idr"
    std::string label; ///< for the terminal
    std::string units;
    bool difference_only = false; ///< the cost per additional covered worker-year
};
std::vector<OutcomeMeasure> outcome_measures(const OutcomeSettings& settings);

/// One value per measure (NaN for the difference-only measure and for former members when
/// funding ends too late to look that far ahead, or never starts).
std::vector<double> measure_values(const ReplicateOutcome& outcome,
                                   const OutcomeSettings& settings);

/// Per-measure differences scenario − base of one replicate; the cost per additional
/// covered worker-year is the extra money (programmes' premiums and policies' costs) over the
/// extra covered worker-years (NaN unless coverage gained).
std::vector<double> paired_differences(const std::vector<double>& scenario,
                                       const std::vector<double>& base,
                                       const OutcomeSettings& settings);

/// Statistics over replicates of `per_replicate` [replicate][measure]: [measure][statistic].
/// For the cost per additional covered worker-year the mean is the ratio of the mean extra
/// money to the mean extra worker-years (a ratio of means, defined even when some
/// replicates gained nothing); its quantiles are over the replicates that gained.
std::vector<std::array<double, summary_statistic_count>>
measure_statistics(const std::vector<std::vector<double>>& per_replicate,
                   const OutcomeSettings& settings, bool differences);

} // namespace ulcsim
