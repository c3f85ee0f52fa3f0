// Validation of [behaviour] and [benefits].

#include "scenario_builder.hpp"

namespace ulcsim::detail {

void ScenarioBuilder::read_behaviour() {
    Behaviour& b = s_.behaviour;
    b = default_behaviour();
    TableReader t = root_.table("behaviour");
    read_number(t, "h0_self", b.h0_self, hazard_range);
    read_number(t, "b_aware", b.b_aware, coefficient_range);
    read_number(t, "b_peer", b.b_peer, coefficient_range);
    read_number(t, "b_income", b.b_income, coefficient_range);
    read_number(t, "b_fear", b.b_fear, coefficient_range);
    read_number(t, "b_dist", b.b_dist, coefficient_range);
    read_number(t, "registration_success", b.registration_success, share_range);
    read_number(t, "h_lapse", b.h_lapse, hazard_range);
    read_number(t, "b_lapse_income", b.b_lapse_income, coefficient_range);
    read_number(t, "autodebit_share", b.autodebit_share, share_range);
    read_number(t, "h_lapse_autodebit", b.h_lapse_autodebit, hazard_range);
    read_int(t, "arrears_months", b.arrears_months, 0, 24);
    read_number(t, "h_reinstate", b.h_reinstate, hazard_range);
    read_number(t, "continue_after_subsidy", b.continue_after_subsidy, share_range);
    read_number(t, "h0_register", b.h0_register, hazard_range);
    read_number(t, "h_employer_lapse", b.h_employer_lapse, hazard_range);
    read_number(t, "h_formal_to_informal", b.h_formal_to_informal, hazard_range);
    read_number(t, "h_informal_to_formal", b.h_informal_to_formal, hazard_range);
    read_number(t, "h_informal_to_vulnerable", b.h_informal_to_vulnerable, hazard_range);
    read_number(t, "h_vulnerable_to_informal", b.h_vulnerable_to_informal, hazard_range);
    read_number(t, "entry_rate", b.entry_rate, {0, 0.1});
    read_int(t, "exit_age_years", b.exit_age_years, 50, 100);
    read_number(t, "awareness_decay", b.awareness_decay, share_range);
    read_number(t, "awareness_peer_gain", b.awareness_peer_gain, share_range);
    TableReader mortality = t.table("mortality");
    read_named_numbers(mortality, age_band_names, b.mortality_hazard, share_range);
    mortality.finish();
    TableReader accidents = t.table("accidents");
    read_named_numbers(accidents, occupation_names, b.accident_hazard, share_range);
    accidents.finish();
    t.finish();
}

void ScenarioBuilder::read_benefits() {
    Benefits& b = s_.benefits;
    TableReader t = root_.table("benefits");
    read_number(t, "jkm_idr", b.jkm_idr, money_range);
    read_number(t, "jkm_waiting_idr", b.jkm_waiting_idr, money_range);
    read_int(t, "jkm_waiting_months", b.jkm_waiting_months, 0, 24);
    read_number(t, "jkk_mean_claim_idr", b.jkk_mean_claim_idr, money_range);
    read_number(t, "jkk_fatal_share", b.jkk_fatal_share, share_range);
    read_number(t, "self_premium_idr_per_month", b.self_premium_idr_per_month, money_range);
    t.finish();
}

} // namespace ulcsim::detail
