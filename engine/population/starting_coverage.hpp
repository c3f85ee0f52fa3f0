#pragma once
// The coverage each scenario region starts from, by segment: the scenario's shares, or those
// shares shifted per province so that the participants registered in each province at the
// start are the province's Dec 2023 active count (population.initial_coverage_from).

#include "ulcsim/scenario.hpp"

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

namespace ulcsim::detail {

/// What the start of one scenario region's coverage depends on.
struct RegionStart {
    double workers = 0; ///< employed workers (the expectation, not agents)
    double formal_share = 0;
    double vulnerable_share_of_informal = 0;
    std::array<double, segment_count> coverage{}; ///< share covered at the start, by segment
    /// Where formal workers are registered other than at home: scenario regions and shares.
    std::vector<std::pair<std::size_t, double>> registered_in;
    double registered_outside = 0; ///< share registered outside the scenario
};

/// `coverage` shifted by r·e^δ / (1 − c + c·e^δ), one δ per province, so that the expected
/// participants registered in each province (its residents covered at home, and the formal
/// workers of other provinces registered there) equal its target: the Dec 2023 active count
/// of provinces.csv, for the scenario's share of the province's employed workers; for a
/// province without a count, its residents' expected participants at the scenario's shares
/// times the ratio of count to expectation over the provinces with one, times
/// population.unobserved_province_factor.
void match_province_counts(const Scenario& s, std::vector<RegionStart>& regions);

/// The share c shifted by δ on the log-odds scale (0 and 1 stay where they are).
double shifted(double c, double delta);

} // namespace ulcsim::detail
