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
    double urban_share = 0; ///< kelurahan among the region's villages
    /// Segments whose share the scenario sets for this region ([[population.region]]).
    std::array<bool, segment_count> stated{};
};

/// Kota above kabupaten: each region's shares shifted by population.urban_coverage_shift ×
/// its urban share, then by one amount per province and segment so that the expected
/// covered workers of each province's part of the scenario, by segment, stay what the shares
/// gave. Stated shares are left alone; a part whose other regions share one urban share is
/// left exactly as it is.
void spread_by_urban_share(const Scenario& s, std::vector<RegionStart>& regions);

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
