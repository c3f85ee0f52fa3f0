#pragma once
/// \file
/// The monthly record of one replicate: counts by month × region × segment, and money and
/// members by month × programme. Counts are in workers (agents × scale), money in rupiah.

#include "ulcsim/phases.hpp"
#include "ulcsim/worker_attributes.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ulcsim {

/// Series by [month, region, segment]. Stocks are counted at the end of the month; flows
/// over the month. For every region and segment:
///   covered(t) = covered(t−1) + enrolled − lapsed − covered_exits
///                + covered_moved_in − covered_moved_out.
/// Append new metrics at the end: the order is the order of datasets in outputs.
enum class SeriesMetric : std::uint8_t {
    labour_force,           ///< resident workers
    covered,                ///< residents with active coverage (paid for this month)
    covered_employer,       ///< … paid by their employer (PU)
    covered_self,           ///< … paying themselves (BPU mandiri, incl. auto-debit)
    covered_programme,      ///< … paid by a funding programme
    covered_registered,     ///< active participants registered in this region (employer's region
                            ///< for PU, residence for BPU); over labour_force: the coverage share
    in_arrears,             ///< BPU members past their paid months, within the arrears period
    enrolled,               ///< became covered this month (new, reinstated, or entrants)
    lapsed,                 ///< were covered last month, stayed in the labour force, are not now
    covered_exits,          ///< were covered last month and left the labour force (death, age)
    covered_moved_in,       ///< covered workers who moved into this segment and stayed covered
    covered_moved_out,      ///< covered workers who moved out of this segment and stayed covered
    entrants,               ///< new workers joining the labour force
    deaths,                 ///< deaths in the labour force (any cause, covered or not)
    aged_out,               ///< left the labour force at the exit age
    accidents,              ///< work accidents (covered or not)
    jkm_claims,             ///< deaths of covered workers not caused by a work accident
    jkk_claims,             ///< work accidents of covered workers
    jkm_paid_idr,           ///< JKM benefits paid (Rp42 million, or the waiting-period amount)
    jkk_paid_idr,           ///< JKK benefits paid (mean claim × claims)
    covered_former_members, ///< covered residents not paid for by a programme now who were
                            ///< programme members earlier in the run (what funding leaves)
    programme_paid_idr,     ///< premiums programmes paid for this month's members living here
    registered,             ///< residents who are registered participants, active (covered) or
                            ///< non-active (members who stopped paying stay registered)
    jkk_death_claims,       ///< fatal work accidents of covered workers (JKK pays their heirs)
    jkk_death_paid_idr,     ///< JKK death benefits to heirs: claims × jkk_death_wage_months ×
                            ///< the segment's monthly wage (PU) or declared income (BPU)
    scholarships_idr,       ///< scholarships granted to the children of covered workers who died:
                            ///< every work-accident death, other deaths after
                            ///< scholarship_membership_months of membership; at their expected
                            ///< value (scholarship_max_idr × scholarship_share of [benefits]),
                            ///< booked in the month of the death though paid over the schooling
    policy_cost_idr,        ///< what the policies in force cost this month (campaigns,
                            ///< regulations): per worker reached, and fixed costs shared among
                            ///< their regions' workers
};
inline constexpr std::size_t series_metric_count = 27;
inline constexpr std::array<std::string_view, series_metric_count> series_metric_names{
    "labour_force",
    "covered",
    "covered_employer",
    "covered_self",
    "covered_programme",
    "covered_registered",
    "in_arrears",
    "enrolled",
    "lapsed",
    "covered_exits",
    "covered_moved_in",
    "covered_moved_out",
    "entrants",
    "deaths",
    "aged_out",
    "accidents",
    "jkm_claims",
    "jkk_claims",
    "jkm_paid_idr",
    "jkk_paid_idr",
    "covered_former_members",
    "programme_paid_idr",
    "registered",
    "jkk_death_claims",
    "jkk_death_paid_idr",
    "scholarships_idr",
    "policy_cost_idr"};

/// Series by [month, programme].
enum class ProgrammeMetric : std::uint8_t {
    members,       ///< workers covered by the programme at the end of the month
    enrolled,      ///< new members this month
    renewed,       ///< members carried over from the previous window this month
    left,          ///< members who left this month (window end, death, job, dropped out)
    spent_idr,     ///< premiums paid for this month's members
    committed_idr, ///< this fiscal year's commitments so far (spent plus promised)
    budget_idr,    ///< this fiscal year's budget (0 when the programme has no budget table)
};
inline constexpr std::size_t programme_metric_count = 7;
inline constexpr std::array<std::string_view, programme_metric_count> programme_metric_names{
    "members", "enrolled", "renewed", "left", "spent_idr", "committed_idr", "budget_idr"};

/// Wall-clock seconds per phase (phase_table), summed over the run (see `ulcsim run
/// --profile`). The per-agent phases run chunk by chunk on every thread; their times are
/// thread-seconds.
struct PhaseTimes {
    static constexpr std::size_t count = phase_table.size();
    /// phase_table's names, by phase index.
    static constexpr std::array<std::string_view, count> names = [] {
        std::array<std::string_view, count> out{};
        for (std::size_t i = 0; i < count; ++i)
            out[i] = phase_table[i].name;
        return out;
    }();
    std::array<double, count> seconds{};
    double& of(Phase p) { return seconds[phase_index(p)]; }
    double of(Phase p) const { return seconds[phase_index(p)]; }
    /// Counted only when profiling: agents in the labour force summed over the months
    /// simulated, and the Philox4x32-10 blocks (four 32-bit words each) drawn for them, so
    /// that a benchmark can set the step against the random-number limit.
    std::uint64_t agent_months = 0;
    std::uint64_t philox_blocks = 0;
};

/// Everything one replicate produced.
struct ReplicateSeries {
    std::size_t months = 0;
    std::size_t regions = 0;
    std::size_t programmes = 0;
    /// [metric][month][region][segment], metric-major so that each metric of a replicate is
    /// one contiguous block in the output.
    std::vector<double> series;
    /// [metric][month][programme]
    std::vector<double> programme_series;
    PhaseTimes phase_times;

    ReplicateSeries() = default;
    ReplicateSeries(std::size_t months_, std::size_t regions_, std::size_t programmes_)
        : months(months_), regions(regions_), programmes(programmes_),
          series(series_metric_count * months_ * regions_ * segment_count),
          programme_series(programme_metric_count * months_ * programmes_) {}

    std::size_t series_block() const { return months * regions * segment_count; }
    std::size_t programme_block() const { return months * programmes; }

    double& at(SeriesMetric m, std::size_t month, std::size_t region, Segment s) {
        return series[index(m, month, region, static_cast<std::size_t>(s))];
    }
    double at(SeriesMetric m, std::size_t month, std::size_t region, Segment s) const {
        return series[index(m, month, region, static_cast<std::size_t>(s))];
    }
    double& at(ProgrammeMetric m, std::size_t month, std::size_t programme) {
        return programme_series[programme_index(m, month, programme)];
    }
    double at(ProgrammeMetric m, std::size_t month, std::size_t programme) const {
        return programme_series[programme_index(m, month, programme)];
    }

    /// Sum over regions and segments.
    double total(SeriesMetric m, std::size_t month) const {
        double sum = 0;
        const std::size_t base = index(m, month, 0, 0);
        for (std::size_t i = 0; i < regions * segment_count; ++i)
            sum += series[base + i];
        return sum;
    }

private:
    std::size_t index(SeriesMetric m, std::size_t month, std::size_t region,
                      std::size_t segment) const {
        return ((static_cast<std::size_t>(m) * months + month) * regions + region) * segment_count +
               segment;
    }
    std::size_t programme_index(ProgrammeMetric m, std::size_t month, std::size_t programme) const {
        return (static_cast<std::size_t>(m) * months + month) * programmes + programme;
    }
};

} // namespace ulcsim
