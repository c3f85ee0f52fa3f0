// Validation of [[policy]], [[observation]] and [ulc].

#include "scenario_builder.hpp"

#include <set>

namespace ulcsim::detail {

void ScenarioBuilder::read_policies(bool have_regions) {
    std::set<std::string> names;
    for (TableReader& t : root_.array_of_tables("policy")) {
        Policy p;
        p.name = read_entry_name(t, names, "policy");
        if (!t.get("kind")) t.missing("kind");
        read_choice(t, "kind", policy_kind_names, p.kind);
        p.description = t.string("description").value_or("");
        p.source = t.string("source").value_or("");
        p.regions = read_region_list(t, "regions", have_regions);
        if (const auto start = t.month("start"))
            p.start = *start;
        else if (!t.get("start"))
            t.missing("start");
        p.end = t.month("end");
        if (p.end && t.get("start") && *p.end < p.start)
            t.error("end", "policy ends before it starts (start " + p.start.to_string() + ", end " +
                               p.end->to_string() + ")");
        read_number(t, "register_multiplier", p.register_multiplier);
        read_number(t, "awareness_gain", p.awareness_gain);
        read_number(t, "fear_reduction", p.fear_reduction);
        p.registration_success = t.number("registration_success");
        const bool kind_known = t.get("kind") && t.get("kind")->is_string();
        if (kind_known) {
            const bool enforcement = p.kind == PolicyKind::enforcement;
            for (std::string_view key : {"awareness_gain", "fear_reduction", "registration_success",
                                         "register_multiplier"}) {
                const bool enforcement_key = key == "register_multiplier";
                if (t.get(key) && enforcement_key != enforcement)
                    t.error(key, std::string("is only for kind '") +
                                     (enforcement_key ? "enforcement" : "campaign") + "'");
            }
        }
        t.finish();
        s_.policies.push_back(std::move(p));
    }
}

void ScenarioBuilder::read_observations(bool have_regions) {
    for (TableReader& t : root_.array_of_tables("observation")) {
        Observation o;
        if (const auto code = t.string("region")) {
            o.region_code = *code;
            if (have_regions) {
                if (*code == "ID") {
                    o.regions = s_.regions;
                } else {
                    const auto expanded = s_.region_table.expand(*code);
                    if (expanded.empty()) t.error("region", "unknown region code '" + *code + "'");
                    for (std::size_t r : expanded) {
                        if (!in_scenario(r)) {
                            t.error("region", "'" + *code + "' is not in the scenario's regions");
                            break;
                        }
                        o.regions.push_back(r);
                    }
                }
            }
        } else if (!t.get("region")) {
            t.missing("region");
        }
        read_choice(t, "segment", segment_group_names, o.segment);
        if (const auto m = t.month("month")) {
            o.month = *m;
            if (run_valid_ && (*m < s_.run.start || *m > s_.run.last_month()))
                t.error("month", "'" + m->to_string() + "' is outside the run (" +
                                     s_.run.start.to_string() + " … " +
                                     s_.run.last_month().to_string() + ")");
        } else if (!t.get("month")) {
            t.missing("month");
        }
        if (const auto v = t.number("value"))
            o.value = *v;
        else if (!t.get("value"))
            t.missing("value");
        read_choice(t, "measure", coverage_measure_names, o.measure);
        if (const auto source = t.string("source")) {
            o.source = *source;
            if (source->empty()) t.error("source", "must not be empty: cite where it is from");
        } else if (!t.get("source")) {
            t.missing("source");
        }
        read_choice(t, "status", evidence_status_names, o.status);
        read_number(t, "weight", o.weight);
        t.finish();
        s_.observations.push_back(std::move(o));
    }
}

void ScenarioBuilder::read_ulc() {
    TableReader t = root_.table("ulc");
    read_number(t, "threshold", s_.ulc.threshold);
    read_choice(t, "measure", coverage_measure_names, s_.ulc.measure);
    t.finish();
}

} // namespace ulcsim::detail
