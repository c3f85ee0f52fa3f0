#pragma once
// The calendar phase: everything the per-agent phases need for one month, resolved once so
// that the hot loop only looks up integer thresholds and small tables. Policies in force,
// campaign gains and last month's village coverage enter here.

#include "population/worker_synthesis.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace ulcsim::detail {

/// Index of the self-paid hazard table: awareness (256) × income band (5) × fears (2).
inline std::size_t self_hazard_index(unsigned awareness, unsigned income_band, unsigned fears) {
    return (awareness * income_band_count + income_band) * 2 + fears;
}

struct MonthParameters {
    int t = 0;              ///< run month
    std::uint16_t now = 0;  ///< t + month_origin, as in the paid_until column
    int calendar_index = 0; ///< Month::index() of this month (birthdays)
    int exit_age_years = 70;
    int arrears_months = 3;
    /// Membership a non-work death needs for the JKM scholarship.
    int scholarship_membership_months = 36;

    std::array<std::uint64_t, 256> death_by_age{};
    std::array<std::uint64_t, occupation_count> accident{};
    std::uint64_t fatal_share_16 = 0; ///< share of accidents that kill, as a 16-bit threshold
    /// Segment moves: from segment g, cumulative thresholds over destinations (formal,
    /// informal, vulnerable); staying is the rest.
    std::array<std::array<std::uint64_t, segment_count>, segment_count> move{};
    std::uint64_t employer_lapse = 0;
    std::array<std::array<std::uint64_t, income_band_count>, 2> self_lapse{}; ///< [autodebit]
    std::uint64_t reinstate = 0;
    std::uint64_t autodebit_16 = 0;
    /// Awareness is updated in fixed point with 16 bits of fraction (integer arithmetic on
    /// the hot path); the keep factor and the gains are rounded to 2⁻¹⁶.
    std::int64_t awareness_keep_16 = 1 << 16;

    // By scenario region.
    /// By region and occupation (k · occupation_count + occupation): a policy may act on some
    /// occupations only.
    std::vector<std::uint64_t> employer_registration;
    /// The region's employer registration hazard before enforcement multiplies it.
    std::vector<double> employer_registration_hazard;
    /// By region and occupation: an uncovered informal worker takes a business permit and is
    /// made to enrol this month (permit hazard × compliance); 0 where no permit condition is
    /// in force, and then no draw is made.
    std::vector<std::uint64_t> permit_enrolment;
    std::vector<double> registration_success;
    /// Above every self-enrolment threshold of the region's workers this month, so that
    /// the workers whose draw is above it (most of them) skip computing their own.
    std::vector<std::uint64_t> self_enrolment_bound;
    std::vector<std::uint32_t> village_first; ///< global index of the region's first village

    // By global village.
    std::vector<double> village_self_factor;             ///< exp(b_peer·coverage − b_dist·km)
    std::vector<std::int64_t> village_awareness_gain_16; ///< this month, 0–255 scale × 2¹⁶
    /// Campaigns this month: a worker who fears losing bansos stops fearing it (× 2¹⁶).
    std::vector<std::uint32_t> village_fear_reduction_16;
    /// Distance from the village to the region's office (village_km_to_office), for
    /// campaigns that reach only the villages within a radius.
    std::vector<double> village_km;

    /// h0_self · exp(b_aware·a/255 + b_income·band − b_fear·fears)
    std::vector<double> self_hazard;
    double largest_self_hazard = 0;

    // By programme.
    std::vector<std::uint64_t> member_dropout;
    std::vector<std::uint64_t> continue_after; ///< continue self-paid at window end or dropout
    std::vector<std::array<std::uint64_t, 2>> acceptance; ///< [fears]
    /// Empty, or when take-up depends on income and awareness (acceptance_by_worker()) the
    /// thresholds by self_hazard_index(awareness, income band, fears).
    std::vector<std::vector<std::uint64_t>> worker_acceptance;
    /// For offers whose registration is assisted.
    std::uint64_t assisted_registration = 0;
};

/// Builds the parts that do not change from month to month; `plans` give the villages.
/// The employer registration hazard at which a region starting with employer coverage
/// `coverage` of its formal workers (a share `formal_share` of its workers) keeps it, absent
/// policies: behaviour.employer_registration = "steady_state".
double steady_state_registration_hazard(const Behaviour& b, double coverage, double formal_share);

/// The distance from village `village` of a region to its BPJS office (ESTIMATE): the office
/// at the centre of a disc of radius R = 1.5 × the region's mean distance `km_to_office`
/// (a uniform point lies 2R/3 from the centre on average), its `villages` dividing the disc
/// into rings of equal area, the kelurahan (villages from `desa` on) nearest the office and
/// then the desa, each village at the median radius of its ring.
double village_km_to_office(double km_to_office, std::uint16_t villages, std::uint16_t desa,
                            std::uint16_t village);

MonthParameters make_month_parameters(const Scenario& s, const std::vector<RegionPlan>& plans);

/// The calendar phase: policies in force in run month t and last month's village coverage
/// (covered and workers by global village).
void update_month_parameters(MonthParameters& m, const Scenario& s, int t,
                             const std::vector<std::uint32_t>& village_covered,
                             const std::vector<std::uint32_t>& village_workers);

} // namespace ulcsim::detail
