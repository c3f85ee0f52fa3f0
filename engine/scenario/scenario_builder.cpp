// What the groups of the builder share: reading a number into a field, region lists and
// codes, entry names; and the order in which the groups run.

#include "scenario_builder.hpp"

#include <algorithm>
#include <sstream>

namespace ulcsim::detail {

std::string format_share(double v) {
    std::ostringstream out;
    out << std::round(v * 1e6) / 1e6;
    return out.str();
}

void read_number(TableReader& t, std::string_view key, double& target) {
    read_into(target, t.number(key));
    t.note_number(key, target);
}

void read_int(TableReader& t, std::string_view key, int& target) {
    if (const auto v = t.integer(key)) target = static_cast<int>(*v);
    t.note_number(key, target);
}

void ScenarioBuilder::build() {
    root_.get("extends"); // consumed by the document loader; known here
    // The loader consumes these in a file; left over, the scenario is a text that extends none.
    for (std::string_view key : {"remove_programmes", "remove_policies"})
        if (root_.get(key))
            root_.error(key, "a scenario that extends no other has nothing to remove, so the "
                             "line does nothing: delete it");
    read_run();
    const bool have_regions = read_regions();
    read_behaviour();
    read_benefits();
    read_population(have_regions);
    read_commuting(have_regions);
    read_programmes(have_regions);
    read_policies(have_regions);
    read_observations(have_regions);
    read_ulc();
    check_keys_needing_another();
    root_.finish();
}

bool ScenarioBuilder::in_scenario(std::size_t region) const {
    return std::binary_search(s_.regions.begin(), s_.regions.end(), region);
}

std::vector<std::size_t> ScenarioBuilder::read_region_list(TableReader& t, std::string_view key,
                                                           bool have_regions) {
    const auto codes = t.string_array(key);
    if (!codes || !have_regions) return s_.regions;
    std::set<std::size_t> out;
    for (std::size_t i = 0; i < codes->size(); ++i) {
        const auto& [code, node] = (*codes)[i];
        const std::string path = t.key_path(key) + "[" + std::to_string(i) + "]";
        const auto expanded = s_.region_table.expand(code);
        if (expanded.empty()) {
            t.error_at(*node, path, "unknown region code '" + code + "'");
            continue;
        }
        for (std::size_t r : expanded) {
            if (!in_scenario(r)) {
                t.error_at(*node, path, "'" + code + "' is not in the scenario's regions");
                break;
            }
            if (!out.insert(r).second) {
                t.error_at(*node, path, "duplicate: region '" + code + "' is listed twice");
                break;
            }
        }
    }
    if (codes->empty()) t.error(key, "must list at least one region");
    return {out.begin(), out.end()};
}

std::optional<std::size_t> ScenarioBuilder::read_kabkota(TableReader& t, std::string_view key,
                                                         bool have_regions) {
    const auto code = t.string(key);
    if (!code) {
        if (!t.get(key)) t.missing(key);
        return std::nullopt;
    }
    if (!have_regions) return std::nullopt;
    const auto r = s_.region_table.find_region(*code);
    if (!r) {
        const bool province = s_.region_table.find_province(*code).has_value();
        t.error(key, province ? "'" + *code + "' is a province; a kabupaten/kota code is needed"
                              : "unknown region code '" + *code + "'");
        return std::nullopt;
    }
    if (!in_scenario(*r)) {
        t.error(key, "'" + *code + "' is not in the scenario's regions");
        return std::nullopt;
    }
    return r;
}

bool ScenarioBuilder::valid_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

std::string ScenarioBuilder::read_entry_name(TableReader& t, std::set<std::string>& taken,
                                             const char* what) {
    const auto name = t.string("name");
    if (!name) {
        if (!t.get("name")) t.missing("name");
        return {};
    }
    if (!valid_name(*name))
        t.error("name", "'" + *name + "' may use only letters, digits, '-' and '_'");
    else if (!taken.insert(*name).second)
        t.error("name", std::string("duplicate ") + what + " name '" + *name + "'");
    return *name;
}

} // namespace ulcsim::detail
