// Validation of [[policy]], [[observation]] and [ulc].

#include "scenario_builder.hpp"
#include "ulcsim/input_error.hpp"

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
        read_name_set(t, "occupations", occupation_names, p.occupations);
        read_number(t, "permit_rate", p.permit_rate);
        read_number(t, "permit_compliance", p.permit_compliance);
        read_number(t, "awareness_gain", p.awareness_gain);
        read_number(t, "fear_reduction", p.fear_reduction);
        p.registration_success = t.number("registration_success");
        p.within_km_of_office = t.number("within_km_of_office");
        // Registration is helped where the region's office is, not village by village.
        if (p.within_km_of_office && p.registration_success)
            t.error("within_km_of_office",
                    "a campaign within a radius changes awareness and fear only; give "
                    "registration_success in a campaign of its own");
        read_number(t, "cost_idr_per_month", p.cost_idr_per_month);
        read_number(t, "cost_idr_per_worker_month", p.cost_idr_per_worker_month);
        const bool kind_known = t.get("kind") && t.get("kind")->is_string();
        // Keys of a kind that act only with another key of it (an unknown kind is reported).
        const bool kind_valid =
            kind_known && index_of(policy_kind_names, t.get("kind")->as_string()->get());
        const bool campaign = p.kind == PolicyKind::campaign;
        if (kind_valid && !campaign && t.get("permit_compliance") && !t.get("permit_rate"))
            t.error("permit_compliance",
                    "acts on permit-takers, and without permit_rate (off by default) there are "
                    "none, so the line does nothing: give permit_rate or delete it");
        if (kind_valid && campaign && t.get("within_km_of_office") &&
            !t.get("registration_success") && !t.get("awareness_gain") && !t.get("fear_reduction"))
            t.error("within_km_of_office",
                    "limits where awareness_gain and fear_reduction act, and the policy gives "
                    "neither, so the line does nothing: give one or delete it");
        if (kind_known) {
            const bool enforcement = p.kind == PolicyKind::enforcement;
            for (std::string_view key :
                 {"awareness_gain", "fear_reduction", "registration_success", "within_km_of_office",
                  "register_multiplier", "occupations", "permit_rate", "permit_compliance"}) {
                const bool enforcement_key = key == "register_multiplier" || key == "occupations" ||
                                             key == "permit_rate" || key == "permit_compliance";
                if (t.get(key) && enforcement_key != enforcement)
                    t.error(key, std::string("is only for kind '") +
                                     (enforcement_key ? "enforcement" : "campaign") + "'");
            }
        }
        t.finish();
        s_.policies.push_back(std::move(p));
    }
}

namespace {

// The table's segment names for a coverage share, and the model's group for each.
std::optional<SegmentGroup> segment_of_row(std::string_view segment) {
    if (segment == "all") return SegmentGroup::all;
    if (segment == "pu") return SegmentGroup::formal;
    if (segment == "bpu") return SegmentGroup::bpu;
    return std::nullopt;
}

// Denominators the model's coverage share stands for: resident workers (the labour force
// differs by the unemployed, within the quotes' rounding), a segment's workers, or a base the
// source does not state. "Potential workers" and the like are other bases.
bool is_worker_denominator(std::string_view denominator) {
    return denominator == "employed" || denominator == "labour_force" ||
           denominator == "segment_workers" || denominator == "unstated";
}

} // namespace

void ScenarioBuilder::observation_regions(TableReader& t, std::string_view key,
                                          const std::string& code, Observation& o) {
    o.region_code = code;
    if (code == "ID") {
        o.regions = s_.regions;
        return;
    }
    const auto expanded = s_.region_table.expand(code);
    if (expanded.empty()) t.error(key, "unknown region code '" + code + "'");
    for (std::size_t r : expanded) {
        if (!in_scenario(r)) {
            t.error(key, "'" + code + "' is not in the scenario's regions");
            break;
        }
        o.regions.push_back(r);
    }
}

void ScenarioBuilder::observation_from_row(TableReader& t, const std::string& id, Observation& o) {
    const std::filesystem::path file = s_.region_table.data_dir() / "observations.csv";
    if (!observation_rows_) {
        try {
            observation_rows_.emplace(file);
        } catch (const InputError& e) {
            t.error("row", "cannot read the observation table: " + std::string(e.what()));
            return;
        }
    }
    const ObservationRow* row = observation_rows_->find(id);
    if (!row) {
        t.error("row", "no row '" + id + "' in " + file.string());
        return;
    }
    const std::string where = "row '" + id + "' (" + file.filename().string() + " line " +
                              std::to_string(row->line) + ")";
    for (const char* key : {"region", "segment", "month", "value", "measure", "source", "status"})
        if (t.get(key))
            t.error(key, "is taken from " + where + "; give either the row or the figure");
    if (row->measure != "coverage_share") {
        t.error("row", where + " measures '" + row->measure +
                           "', not coverage_share: only coverage shares can be observations");
        return;
    }
    const auto segment = segment_of_row(row->segment);
    if (!segment) {
        t.error("row", where + " is about segment '" + row->segment +
                           "', which has no counterpart in the model (all, pu, bpu)");
        return;
    }
    if (!is_worker_denominator(row->denominator)) {
        t.error("row", where + " divides by '" + row->denominator +
                           "', not by workers: it is another measure than the model's share");
        return;
    }
    const auto month = Month::parse(row->month);
    const auto status = index_of(evidence_status_names, row->label);
    if (!month || !status || row->value < 0 || row->value > 2) {
        t.error("row", where + " has a month, label or value a coverage share cannot have");
        return;
    }
    observation_regions(t, "row", row->region, o);
    o.segment = *segment;
    o.month = *month;
    if (run_valid_ && (*month < s_.run.start || *month > s_.run.last_month()))
        t.error("row", where + " is dated " + month->to_string() + ", outside the run (" +
                           s_.run.start.to_string() + " … " + s_.run.last_month().to_string() +
                           ")");
    o.value = row->value;
    o.source = row->source + " (observations.csv " + id + ")";
    o.status = static_cast<EvidenceStatus>(*status);
}

void ScenarioBuilder::read_observations(bool have_regions) {
    for (TableReader& t : root_.array_of_tables("observation")) {
        Observation o;
        if (const auto id = t.string("row")) {
            if (have_regions) observation_from_row(t, *id, o);
            read_number(t, "weight", o.weight);
            read_number(t, "error", o.error_band);
            t.finish();
            s_.observations.push_back(std::move(o));
            continue;
        }
        if (const auto code = t.string("region")) {
            if (have_regions)
                observation_regions(t, "region", *code, o);
            else
                o.region_code = *code;
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
        read_number(t, "error", o.error_band);
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
