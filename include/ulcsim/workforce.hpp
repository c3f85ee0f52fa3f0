#pragma once
/// \file
/// The workforce over time: employed workers by province at the BPS Sakernas months of
/// scenarios/data/employment_by_province.csv, which each province's labour force follows
/// backwards and forwards from the start month when a scenario sets
/// `population.workforce_from = "bps_employment_by_province"`. Without it the region data's
/// Aug 2024 figures hold whatever the start month.

#include "ulcsim/calendar.hpp"
#include "ulcsim/regions.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

/// Where a region's employed workers come from over the run.
enum class WorkforceSource : std::uint8_t { region_data, bps_employment_by_province };
inline constexpr std::array<std::string_view, 2> workforce_source_names{
    "region_data", "bps_employment_by_province"};

/// The month the region data's employed workers describe (BPS Sakernas Aug 2024): the series
/// is applied relative to it, so that region data and per-region overrides keep their meaning.
inline constexpr Month region_data_month{2024, 8};

/// Employed workers of every province at the months the series gives.
class EmploymentSeries {
public:
    /// Reads employment_by_province.csv from `data_dir`. Every province of `provinces` needs at
    /// least two months, in increasing order, with a positive count. Throws InputError naming
    /// the file, line and column of every problem.
    static EmploymentSeries load(const std::filesystem::path& data_dir,
                                 std::span<const Province> provinces);

    /// Employed workers of the province at `m` over those at region_data_month. Between the
    /// series' months the count moves geometrically; before its first and after its last it
    /// grows at the province's mean annual growth over the series with the log growth rate
    /// multiplied by `growth_factor` (1: the trend goes on; 0: flat).
    double relative_to_region_data(std::string_view province_code, Month m,
                                   double growth_factor) const;

    /// The province's employed workers at `m` (as relative_to_region_data, not relative).
    double employed_workers(std::string_view province_code, Month m, double growth_factor) const;

    /// The months the series gives for a province (empty for an unknown one).
    std::vector<Month> months(std::string_view province_code) const;

private:
    struct Point {
        Month month;
        double workers = 0;
    };
    std::map<std::string, std::vector<Point>, std::less<>> provinces_;
};

} // namespace ulcsim
