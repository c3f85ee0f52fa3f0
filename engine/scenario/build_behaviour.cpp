// Validation of [behaviour] and [benefits].

#include "scenario_builder.hpp"

namespace ulcsim::detail {

void ScenarioBuilder::read_behaviour() {
    Behaviour& b = s_.behaviour;
    b = default_behaviour();
    TableReader t = root_.table("behaviour");
    read_number(t, "h0_self", b.h0_self);
    read_number(t, "b_aware", b.b_aware);
    read_number(t, "b_peer", b.b_peer);
    read_number(t, "b_income", b.b_income);
    read_number(t, "b_fear", b.b_fear);
    read_number(t, "b_dist", b.b_dist);
    read_number(t, "registration_success", b.registration_success);
    read_number(t, "assisted_registration_success", b.assisted_registration_success);
    read_number(t, "b_premium", b.b_premium);
    read_number(t, "h_lapse", b.h_lapse);
    read_number(t, "b_lapse_income", b.b_lapse_income);
    read_number(t, "b_lapse_premium", b.b_lapse_premium);
    read_number(t, "autodebit_share", b.autodebit_share);
    read_number(t, "h_lapse_autodebit", b.h_lapse_autodebit);
    read_int(t, "arrears_months", b.arrears_months);
    read_number(t, "h_reinstate", b.h_reinstate);
    read_number(t, "continue_after_subsidy", b.continue_after_subsidy);
    read_number(t, "h0_register", b.h0_register);
    read_choice(t, "employer_registration", employer_registration_names, b.employer_registration);
    read_number(t, "h_employer_lapse", b.h_employer_lapse);
    read_number(t, "h_formal_to_informal", b.h_formal_to_informal);
    read_number(t, "h_informal_to_formal", b.h_informal_to_formal);
    read_number(t, "h_informal_to_vulnerable", b.h_informal_to_vulnerable);
    read_number(t, "h_vulnerable_to_informal", b.h_vulnerable_to_informal);
    read_number(t, "entry_rate", b.entry_rate);
    read_int(t, "exit_age_years", b.exit_age_years);
    read_number(t, "awareness_decay", b.awareness_decay);
    read_number(t, "awareness_peer_gain", b.awareness_peer_gain);
    TableReader mortality = t.table("mortality");
    read_named_numbers(mortality, age_band_names, b.mortality_hazard);
    mortality.finish();
    TableReader accidents = t.table("accidents");
    read_named_numbers(accidents, occupation_names, b.accident_hazard);
    accidents.finish();
    t.finish();
}

void ScenarioBuilder::read_benefits() {
    Benefits& b = s_.benefits;
    TableReader t = root_.table("benefits");
    read_number(t, "jkm_idr", b.jkm_idr);
    read_number(t, "jkm_waiting_idr", b.jkm_waiting_idr);
    read_int(t, "jkm_waiting_months", b.jkm_waiting_months);
    read_number(t, "jkk_mean_claim_idr", b.jkk_mean_claim_idr);
    read_number(t, "jkk_fatal_share", b.jkk_fatal_share);
    read_number(t, "self_premium_idr_per_month", b.self_premium_idr_per_month);
    read_number(t, "jkk_death_wage_months", b.jkk_death_wage_months);
    read_number(t, "pu_wage_idr_per_month", b.pu_wage_idr_per_month);
    read_number(t, "bpu_declared_income_idr_per_month", b.bpu_declared_income_idr_per_month);
    read_number(t, "scholarship_max_idr", b.scholarship_max_idr);
    read_number(t, "scholarship_share", b.scholarship_share);
    read_int(t, "scholarship_membership_months", b.scholarship_membership_months);
    t.finish();
}

} // namespace ulcsim::detail
