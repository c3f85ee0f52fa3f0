// Keys that act only together with another key of a different table: given without it, the
// model never reads them, so the line does nothing and is reported (a line with no effect is
// an error). Keys of one programme or policy are checked where the entry is read.

#include "scenario_builder.hpp"

namespace ulcsim::detail {

namespace {

const toml::table* table_at(TableReader& root, std::string_view key) {
    const toml::node* node = root.get(key);
    return node ? node->as_table() : nullptr;
}

} // namespace

void ScenarioBuilder::check_keys_needing_another() {
    TableReader population(table_at(root_, "population"), "population", "population", diag_,
                           root_.location());
    TableReader behaviour(table_at(root_, "behaviour"), "behaviour", "behaviour", diag_,
                          root_.location());
    const PopulationSpec& p = s_.population;
    const bool series = p.workforce_from == WorkforceSource::bps_employment_by_province;
    if (population.get("unobserved_province_factor") &&
        p.initial_coverage_from != CoverageSource::province_active_2023_12)
        population.error("unobserved_province_factor",
                         "acts only with initial_coverage_from = \"province_active_2023_12\", "
                         "which this scenario does not set, so the line does nothing: delete it "
                         "or set initial_coverage_from");
    if (population.get("workforce_growth_factor") && !series)
        population.error("workforce_growth_factor",
                         "acts only with workforce_from = \"bps_employment_by_province\", which "
                         "this scenario does not set, so the line does nothing: delete it or set "
                         "workforce_from");
    if (behaviour.get("entry_rate") && series)
        behaviour.error("entry_rate",
                        "is not used with population.workforce_from = "
                        "\"bps_employment_by_province\" (as many workers enter as follow the "
                        "employment series), so the line does nothing: delete it");
    if (behaviour.get("h0_register") &&
        s_.behaviour.employer_registration == EmployerRegistration::steady_state)
        behaviour.error("h0_register",
                        "is not used with employer_registration = \"steady_state\" (each "
                        "region's hazard is the one that holds its start), so the line does "
                        "nothing: delete it, or set employer_registration = \"hazard\"");
    if (const toml::table* office =
            population.get("head_office") ? population.get("head_office")->as_table() : nullptr;
        office && !office->contains("share")) {
        TableReader head_office(office, "population.head_office", "population.head_office", diag_,
                                root_.location());
        head_office.error("region", "with share at its default 0 no worker is registered here, "
                                    "so the table does nothing: give share or delete the table");
    }
}

} // namespace ulcsim::detail
