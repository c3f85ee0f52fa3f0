// The planner's baseline (ulcsim/planner_baseline.hpp): which levers it removes, the overrides
// that remove them, and the line that says so.

#include "ulcsim/planner_baseline.hpp"

#include "json_writer.hpp"

#include <algorithm>

namespace ulcsim {

namespace {

std::string first_start(const FundingProgramme& p) {
    std::optional<Month> first;
    for (const CoverageWindow& w : p.windows)
        if (!first || w.start < *first) first = w.start;
    return first ? first->to_string() : "";
}

bool has(const std::vector<ScenarioLever>& levers, const ScenarioLever& lever) {
    return std::any_of(levers.begin(), levers.end(), [&](const ScenarioLever& l) {
        return l.kind == lever.kind && l.name == lever.name;
    });
}

// "programme a (from 2025-01), policy b (from 2025-07) and policy c (from 2026-01)".
std::string listed(const std::vector<ScenarioLever>& levers, const std::string& from) {
    std::string out;
    for (std::size_t i = 0; i < levers.size(); ++i) {
        const ScenarioLever& l = levers[i];
        out += i == 0 ? "" : i + 1 == levers.size() ? " and " : ", ";
        out += l.kind + " " + l.name;
        if (!l.start.empty()) out += " (" + from + " " + l.start + ")";
    }
    return out;
}

// A TOML array of names (names are letters, digits, '-' and '_': nothing to escape).
std::string name_array(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", \"" : "\"") + names[i] + "\"";
    return out + "]";
}

} // namespace

bool planner_baseline_keeps_policy(Month policy_start, Month run_start) {
    return policy_start < run_start;
}

std::vector<ScenarioLever> scenario_levers(const Scenario& scenario) {
    std::vector<ScenarioLever> out;
    for (const FundingProgramme& p : scenario.programmes)
        out.push_back({"programme", p.name, first_start(p)});
    for (const Policy& p : scenario.policies)
        out.push_back({"policy", p.name, p.start.to_string()});
    return out;
}

BaselineContents baseline_contents(const std::vector<ScenarioLever>& run,
                                   const std::vector<ScenarioLever>& baseline) {
    BaselineContents c;
    for (const ScenarioLever& l : run)
        if (!has(baseline, l)) c.removed.push_back(l);
    c.kept = baseline;
    return c;
}

std::string baseline_contents_line(const BaselineContents& c) {
    std::string line = "The baseline removes ";
    line += c.removed.empty() ? "nothing" : listed(c.removed, "from");
    line += "; it keeps ";
    line += c.kept.empty() ? "no programme or policy" : listed(c.kept, "in force from");
    return line + ".";
}

std::string baseline_contents_json(const BaselineContents& c) {
    detail::JsonWriter j;
    const auto levers = [&](const std::vector<ScenarioLever>& list) {
        j.raw("[");
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) j.comma();
            j.raw("{").key("kind").str(list[i].kind).key("name").str(list[i].name);
            j.key("start").str(list[i].start).raw("}");
        }
        j.raw("]");
    };
    j.raw("{").key("removed");
    levers(c.removed);
    j.key("kept");
    levers(c.kept);
    j.raw("}");
    return j.take();
}

std::vector<std::string> planner_baseline_overrides(const Scenario& scenario) {
    std::vector<std::string> overrides;
    if (!scenario.programmes.empty()) overrides.emplace_back("programme=[]");
    std::vector<std::string> removed;
    for (const Policy& p : scenario.policies)
        if (!planner_baseline_keeps_policy(p.start, scenario.run.start)) removed.push_back(p.name);
    if (removed.empty()) return overrides;
    if (removed.size() == scenario.policies.size())
        overrides.emplace_back("policy=[]");
    else
        overrides.push_back("remove_policies=" + name_array(removed));
    return overrides;
}

Scenario planner_baseline(const Scenario& scenario, const std::vector<std::string>& more) {
    std::vector<std::string> overrides = planner_baseline_overrides(scenario);
    overrides.insert(overrides.end(), more.begin(), more.end());
    return load_scenario_text(scenario.resolved_toml, scenario.file.string(), overrides);
}

} // namespace ulcsim
