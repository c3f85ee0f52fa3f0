#include "month_parameters.hpp"

#include "ulcsim/rng.hpp"

#include <algorithm>
#include <cmath>

namespace ulcsim::detail {

namespace {

std::uint64_t threshold_from_hazard(double h) {
    return CounterRng::threshold(CounterRng::probability_from_hazard(h));
}

std::uint32_t threshold_16(double p) {
    return static_cast<std::uint32_t>(std::clamp(std::lround(p * 65536.0), 0L, 65536L));
}

} // namespace

double steady_state_registration_hazard(const Behaviour& b, double coverage, double formal_share) {
    if (coverage <= 0 || formal_share <= 0) return 0;
    // Without formal workers there is nothing to keep steady; full coverage needs registration
    // at once, which the largest hazard the key table allows stands in for.
    if (coverage >= 1) return 1;
    // Employer coverage s = C/F of the formal stock F changes by h(1 − s) − s(h_lapse + i),
    // where i is the inflow of new formal workers (always uncovered by an employer) per formal
    // worker: informal and vulnerable workers taking wage jobs, and the formal share of
    // entrants. Leaving the formal stock (job loss, death, age) takes covered and uncovered
    // workers alike and so leaves s as it is.
    const double inflow = b.h_informal_to_formal * (1 - formal_share) / formal_share + b.entry_rate;
    return std::min(1.0, coverage * (b.h_employer_lapse + inflow) / (1 - coverage));
}

double village_km_to_office(double km_to_office, std::uint16_t villages, std::uint16_t desa,
                            std::uint16_t village) {
    const std::uint16_t kelurahan = static_cast<std::uint16_t>(villages - desa);
    const unsigned ring = village >= desa ? village - desa : kelurahan + village;
    return 1.5 * km_to_office * std::sqrt((ring + 0.5) / villages);
}

MonthParameters make_month_parameters(const Scenario& s, const std::vector<RegionPlan>& plans) {
    const Behaviour& b = s.behaviour;
    MonthParameters m;
    m.exit_age_years = b.exit_age_years;
    m.arrears_months = b.arrears_months;
    m.scholarship_membership_months = s.benefits.scholarship_membership_months;

    for (int age = 0; age < 256; ++age) {
        std::size_t band = 0;
        for (std::size_t k = 0; k < age_band_count; ++k)
            if (age >= age_band_first_year[k]) band = k;
        m.death_by_age[static_cast<std::size_t>(age)] =
            threshold_from_hazard(b.mortality_hazard[band]);
    }
    for (std::size_t o = 0; o < occupation_count; ++o)
        m.accident[o] = threshold_from_hazard(b.accident_hazard[o]);
    m.fatal_share_16 = threshold_16(s.benefits.jkk_fatal_share);

    // Competing moves: the probability that any move happens is 1 − exp(−Σh), shared among
    // the destinations in proportion to their hazards.
    const std::array<std::array<double, segment_count>, segment_count> hazards{{
        {0, b.h_formal_to_informal, 0},
        {b.h_informal_to_formal, 0, b.h_informal_to_vulnerable},
        {b.h_informal_to_formal, b.h_vulnerable_to_informal, 0},
    }};
    for (std::size_t g = 0; g < segment_count; ++g) {
        double total = 0;
        for (double h : hazards[g])
            total += h;
        const double p_any = CounterRng::probability_from_hazard(total);
        double running = 0;
        for (std::size_t d = 0; d < segment_count; ++d) {
            running += total > 0 ? p_any * hazards[g][d] / total : 0;
            m.move[g][d] = CounterRng::threshold(running);
        }
    }
    m.employer_lapse = threshold_from_hazard(b.h_employer_lapse);
    // The self-paid hazards are stated at the statutory premium: at it the factors are
    // exactly 1 (log 1 = 0), so the default premium changes no threshold.
    const double log_premium_ratio =
        std::log(s.benefits.self_premium_idr_per_month / statutory_bpu_premium_idr);
    const double lapse_premium_factor = std::exp(b.b_lapse_premium * log_premium_ratio);
    const double enrol_premium_factor = std::exp(-b.b_premium * log_premium_ratio);
    for (std::size_t band = 0; band < income_band_count; ++band) {
        m.self_lapse[0][band] = threshold_from_hazard(
            b.h_lapse * std::exp(b.b_lapse_income * static_cast<double>(band)) *
            lapse_premium_factor);
        m.self_lapse[1][band] = threshold_from_hazard(
            b.h_lapse_autodebit * std::exp(b.b_lapse_income * static_cast<double>(band)) *
            lapse_premium_factor);
    }
    m.reinstate = threshold_from_hazard(b.h_reinstate);
    m.autodebit_16 = threshold_16(b.autodebit_share);
    m.awareness_keep_16 = std::llround(std::ldexp(1 - b.awareness_decay, 16));

    m.self_hazard.resize(256 * income_band_count * 2);
    for (unsigned a = 0; a < 256; ++a)
        for (unsigned band = 0; band < income_band_count; ++band)
            for (unsigned f = 0; f < 2; ++f)
                m.self_hazard[self_hazard_index(a, band, f)] =
                    b.h0_self * std::exp(b.b_aware * a / 255.0 + b.b_income * band - b.b_fear * f) *
                    enrol_premium_factor;
    m.largest_self_hazard = *std::max_element(m.self_hazard.begin(), m.self_hazard.end());

    const std::size_t regions = s.regions.size();
    m.employer_registration.assign(regions * occupation_count, 0);
    m.permit_enrolment.assign(regions * occupation_count, 0);
    m.employer_registration_hazard.assign(regions, b.h0_register);
    if (b.employer_registration == EmployerRegistration::steady_state)
        for (std::size_t k = 0; k < regions; ++k)
            m.employer_registration_hazard[k] = steady_state_registration_hazard(
                b, plans[k].starting_share[0], plans[k].formal_share);
    m.registration_success.assign(regions, 0);
    m.self_enrolment_bound.assign(regions, 0);
    m.village_first.assign(regions + 1, 0);
    for (std::size_t k = 0; k < regions; ++k)
        m.village_first[k + 1] = m.village_first[k] + plans[k].villages;
    m.village_self_factor.assign(m.village_first[regions], 1.0);
    m.village_awareness_gain_16.assign(m.village_first[regions], 0);
    m.village_fear_reduction_16.assign(m.village_first[regions], 0);
    m.village_km.assign(m.village_first[regions], 0);
    for (std::size_t k = 0; k < regions; ++k)
        for (std::uint16_t v = 0; v < plans[k].villages; ++v)
            m.village_km[m.village_first[k] + v] =
                village_km_to_office(plans[k].km_to_office, plans[k].villages, plans[k].desa, v);

    m.member_dropout.resize(s.programmes.size());
    m.continue_after.resize(s.programmes.size());
    m.acceptance.resize(s.programmes.size());
    m.worker_acceptance.resize(s.programmes.size());
    const auto acceptance_threshold = [](double p) {
        return CounterRng::threshold(std::min(p, 1.0));
    };
    for (std::size_t k = 0; k < s.programmes.size(); ++k) {
        const FundingProgramme& p = s.programmes[k];
        m.member_dropout[k] = threshold_from_hazard(p.member_lapse_per_month);
        m.continue_after[k] = CounterRng::threshold(p.continue_after_subsidy);
        // Without a co-payment the factor is exp(0) = 1: acceptance as given.
        const double accept = p.acceptance * std::exp(-p.b_accept_member_share * p.member_share);
        m.acceptance[k] = {acceptance_threshold(accept),
                           acceptance_threshold(accept * p.fear_acceptance_factor)};
        if (!p.acceptance_by_worker()) continue;
        m.worker_acceptance[k].resize(256 * income_band_count * 2);
        for (unsigned a = 0; a < 256; ++a)
            for (unsigned band = 0; band < income_band_count; ++band)
                for (unsigned f = 0; f < 2; ++f)
                    m.worker_acceptance[k][self_hazard_index(a, band, f)] = acceptance_threshold(
                        accept * (f ? p.fear_acceptance_factor : 1.0) *
                        std::exp(p.b_accept_income * band + p.b_accept_aware * a / 255.0));
    }
    m.assisted_registration = CounterRng::threshold(b.assisted_registration_success);
    return m;
}

void update_month_parameters(MonthParameters& m, const Scenario& s, int t,
                             const std::vector<std::uint32_t>& village_covered,
                             const std::vector<std::uint32_t>& village_workers) {
    const Behaviour& b = s.behaviour;
    const Month month = s.run.start + t;
    m.t = t;
    m.now = static_cast<std::uint16_t>(t + month_origin);
    m.calendar_index = month.index();

    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const std::size_t r = s.regions[k];
        std::array<double, occupation_count> multiplier;
        multiplier.fill(1);
        // The probability that no permit condition makes the worker enrol this month.
        std::array<double, occupation_count> no_permit_enrolment;
        no_permit_enrolment.fill(1);
        double success = b.registration_success;
        double gain = 0;
        double keep_fear = 1;
        bool within_radius = false; ///< a campaign reaches only the villages near the office
        for (const Policy& p : s.policies) {
            if (!p.in_force(month) ||
                std::find(p.regions.begin(), p.regions.end(), r) == p.regions.end())
                continue;
            if (p.kind == PolicyKind::enforcement)
                for (std::size_t o = 0; o < occupation_count; ++o) {
                    if (!p.occupations[o]) continue;
                    multiplier[o] *= p.register_multiplier;
                    no_permit_enrolment[o] *=
                        1 -
                        CounterRng::probability_from_hazard(p.permit_rate) * p.permit_compliance;
                }
            if (p.kind == PolicyKind::campaign) {
                if (p.within_km_of_office) {
                    within_radius = true;
                    continue;
                }
                gain += p.awareness_gain;
                keep_fear *= 1 - p.fear_reduction;
                if (p.registration_success) success = *p.registration_success;
            }
        }
        for (std::size_t o = 0; o < occupation_count; ++o) {
            m.employer_registration[k * occupation_count + o] =
                threshold_from_hazard(m.employer_registration_hazard[k] * multiplier[o]);
            m.permit_enrolment[k * occupation_count + o] =
                no_permit_enrolment[o] < 1 ? CounterRng::threshold(1 - no_permit_enrolment[o]) : 0;
        }
        m.registration_success[k] = success;

        const Region& data = s.region_table.regions()[r];
        double km = data.km_to_office;
        for (const auto& o : s.population.region_overrides)
            if (o.region == r && o.km_to_office) km = *o.km_to_office;
        double largest_factor = 0;
        for (std::uint32_t v = m.village_first[k]; v < m.village_first[k + 1]; ++v) {
            const double coverage =
                village_workers[v] > 0 ? double(village_covered[v]) / village_workers[v] : 0.0;
            m.village_self_factor[v] = std::exp(b.b_peer * coverage - b.b_dist * km);
            largest_factor = std::max(largest_factor, m.village_self_factor[v]);
            double village_gain = gain;
            double village_keep_fear = keep_fear;
            if (within_radius)
                for (const Policy& p : s.policies)
                    if (p.kind == PolicyKind::campaign && p.within_km_of_office &&
                        m.village_km[v] <= *p.within_km_of_office && p.in_force(month) &&
                        std::find(p.regions.begin(), p.regions.end(), r) != p.regions.end()) {
                        village_gain += p.awareness_gain;
                        village_keep_fear *= 1 - p.fear_reduction;
                    }
            m.village_awareness_gain_16[v] = std::llround(
                std::ldexp(255.0 * (village_gain + b.awareness_peer_gain * coverage), 16));
            m.village_fear_reduction_16[v] = threshold_16(1 - village_keep_fear);
        }
        // As the simulation computes a worker's threshold, with the largest hazard: the
        // probability rises with the hazard. The margin covers the last bit of rounding.
        m.self_enrolment_bound[k] =
            static_cast<std::uint64_t>(
                CounterRng::fast_probability_from_hazard(m.largest_self_hazard * largest_factor) *
                success * 0x1p32) +
            2;
    }
}

} // namespace ulcsim::detail
