// Validation of [run] and [regions]: the run settings and the regions the scenario simulates.

#include "scenario_builder.hpp"

#include <filesystem>
#include <set>

namespace ulcsim::detail {

void ScenarioBuilder::read_run() {
    TableReader t = root_.table("run");
    s_.run.name = t.string("name").value_or(s_.file.stem().string());
    if (s_.run.name.empty()) t.error("name", "must not be empty");
    // The name becomes the default output's file name: it must not lead anywhere else.
    else if (s_.run.name.find_first_of("/\\") != std::string::npos || s_.run.name == "." ||
             s_.run.name == ".." || s_.run.name.front() == '-')
        t.error("name", "'" + s_.run.name +
                            "' cannot name an output file: no '/' or '\\', not '.' or '..', "
                            "and not starting with '-'");
    s_.run.description = t.string("description").value_or("");
    if (const auto start = t.month("start")) {
        s_.run.start = *start;
    } else {
        run_valid_ = false;
        if (!t.get("start")) t.missing("start");
    }
    read_int(t, "months", s_.run.months);
    if (const auto seed = t.integer("seed")) s_.run.seed = static_cast<std::uint64_t>(*seed);
    read_int(t, "replicates", s_.run.replicates);
    if (const auto posterior = t.string("posterior"); posterior && !posterior->empty()) {
        // Relative to the file that set it, like regions.data_dir.
        const SourceLocation where = t.location_of_value(*t.get("posterior"));
        const std::filesystem::path base = where.from_command_line
                                               ? std::filesystem::path()
                                               : std::filesystem::path(where.file).parent_path();
        const std::filesystem::path file = base / *posterior;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
            t.error("posterior", "'" + file.string() +
                                     "' is not a file (the fit file `ulcsim calibrate` wrote; "
                                     "'' for none)");
        else
            s_.run.posterior = std::filesystem::absolute(file).lexically_normal();
    }
    t.finish();
}

bool ScenarioBuilder::read_regions() {
    TableReader t = root_.table("regions");
    std::filesystem::path data_dir = RegionTable::default_data_dir();
    if (const auto dir = t.string("data_dir")) {
        // Relative to the file that set it, so a scenario works from any directory.
        const toml::node* node = t.get("data_dir");
        const SourceLocation where = t.location_of_value(*node);
        std::filesystem::path base = where.from_command_line
                                         ? std::filesystem::path()
                                         : std::filesystem::path(where.file).parent_path();
        data_dir = base / *dir;
    }
    bool loaded = true;
    if (regions_) {
        // A variant of a scenario: its data folder is the base's, already read.
        s_.region_table = *regions_;
    } else {
        try {
            s_.region_table = RegionTable::load(data_dir);
        } catch (const InputError& e) {
            for (const Diagnostic& d : e.diagnostics())
                diag_.add(d.where, d.key, d.message);
            loaded = false;
        }
    }
    const auto include = t.string_array("include");
    const auto exclude = t.string_array("exclude");
    if (!t.get("include")) t.missing("include");
    t.finish();
    if (!loaded || !include) return false;

    std::set<std::size_t> chosen;
    bool ok = true; // false once a problem has been reported for include/exclude
    for (std::size_t i = 0; i < include->size(); ++i) {
        const auto& [code, node] = (*include)[i];
        const std::string key = t.key_path("include") + "[" + std::to_string(i) + "]";
        const auto expanded = s_.region_table.expand(code);
        if (expanded.empty()) {
            t.error_at(*node, key, "unknown region code '" + code + "'");
            ok = false;
            continue;
        }
        for (std::size_t r : expanded)
            if (!chosen.insert(r).second) {
                t.error_at(*node, key,
                           "duplicate: region '" + s_.region_table.regions()[r].code +
                               "' is already included");
                ok = false;
                break;
            }
    }
    if (exclude) {
        for (std::size_t i = 0; i < exclude->size(); ++i) {
            const auto& [code, node] = (*exclude)[i];
            const std::string key = t.key_path("exclude") + "[" + std::to_string(i) + "]";
            const auto expanded = s_.region_table.expand(code);
            if (expanded.empty()) {
                t.error_at(*node, key, "unknown region code '" + code + "'");
                ok = false;
            }
            for (std::size_t r : expanded)
                if (chosen.erase(r) == 0) {
                    t.error_at(*node, key,
                               "'" + code + "' is not in the scenario's regions (not included)");
                    ok = false;
                    break;
                }
        }
    }
    if (ok && chosen.empty()) t.error("include", "no region is left to simulate");
    s_.regions.assign(chosen.begin(), chosen.end());
    // Regions that were valid still scope the rest of the file, so that its problems
    // are reported in the same pass.
    return !chosen.empty();
}

} // namespace ulcsim::detail
