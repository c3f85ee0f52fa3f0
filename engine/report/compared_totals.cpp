// The scenarios of a `compare` result as run totals (ulcsim/planner_summary.hpp): its
// /monthly series hold every replicate's totals by month, which is all the summary needs.

#include "ulcsim/input_error.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <memory>

namespace ulcsim {

namespace {

[[noreturn]] void not_a_comparison(const std::filesystem::path& file, const std::string& why) {
    throw InputError(Diagnostic{SourceLocation{file.string()}, "", why});
}

// [scenario][replicate][month] of /monthly/<name>.
std::vector<std::vector<std::vector<double>>> monthly(const RunFileReader& reader,
                                                      const std::string& name) {
    const StoredArray a = reader.array("/monthly/" + name);
    if (a.dims.size() != 3) throw std::runtime_error("/monthly/" + name + " is not 3-dimensional");
    const std::size_t S = a.dims[0], R = a.dims[1], T = a.dims[2];
    std::vector<std::vector<std::vector<double>>> out(
        S, std::vector<std::vector<double>>(R, std::vector<double>(T)));
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t t = 0; t < T; ++t)
                out[s][r][t] = a.values[(s * R + r) * T + t];
    return out;
}

// The area, ULC and programme names of a stored scenario, when it can be read back here.
void scenario_facts(RunTotals& t) {
    try {
        const Scenario s = load_scenario_text(t.scenario_toml, t.scenario);
        t.ulc = s.ulc;
        t.area = summary_area_of(s);
        t.levers = scenario_levers(s);
    } catch (const InputError&) {
        t.area.level = "regions"; // unknown: the page names the scenario instead
    }
}

} // namespace

ComparedTotals read_compared_totals(const std::filesystem::path& file) {
    std::unique_ptr<RunFileReader> reader;
    try {
        reader = std::make_unique<RunFileReader>(file);
    } catch (const std::exception& e) {
        not_a_comparison(file, e.what());
    }
    ComparedTotals out;
    out.file = file.filename().string();
    try {
        if (output_kind(*reader) != OutputKind::comparison)
            not_a_comparison(file, "not the result of compare");
        const ComparisonFile c = read_comparison(*reader);
        out.engine_version = c.engine_version.value_or("unknown");
        out.method = c.method.value_or("");
        out.common_random_numbers = out.method.rfind("common random numbers", 0) == 0;
        if (c.months.empty()) not_a_comparison(file, "the comparison has no /months");
        const std::vector<std::string> members = reader->members("/monthly");
        const auto has = [&](const char* name) {
            return std::find(members.begin(), members.end(), name) != members.end();
        };
        if (!has("covered") || !has("labour_force"))
            not_a_comparison(file, "the comparison has no monthly series (/monthly/covered); "
                                   "made by an older ulcsim?");
        const auto covered = monthly(*reader, "covered");
        const auto labour_force = monthly(*reader, "labour_force");
        const auto members_ = monthly(*reader, "programme_members");
        const auto spent = monthly(*reader, "programme_spent_idr");
        const auto policy =
            has("policy_cost_idr") ? monthly(*reader, "policy_cost_idr") : decltype(covered){};
        const std::vector<std::string> tomls = reader->strings("/scenarios/scenario_toml");
        for (std::size_t s = 0; s < c.scenarios.size(); ++s) {
            RunTotals t;
            t.scenario = c.scenarios[s];
            t.file = out.file;
            t.months = c.months;
            // Common random numbers pair replicate r of every scenario; independent seeds
            // do not, which a seed of its own says to planner_summary().
            t.seed = out.common_random_numbers ? 0 : s;
            t.replicates = covered[s].size();
            t.labour_force = labour_force[s];
            t.covered = covered[s];
            t.programme_members = members_[s];
            t.policy_cost_idr = policy.empty()
                                    ? std::vector<std::vector<double>>(
                                          t.covered.size(), std::vector<double>(t.months.size()))
                                    : policy[s];
            // Only the programmes' total is stored: one entry without a name stands for all.
            t.programmes = {""};
            t.programme_kinds = {""};
            for (const std::vector<double>& row : spent[s])
                t.spent_idr.push_back({row});
            if (s < tomls.size()) t.scenario_toml = tomls[s];
            scenario_facts(t);
            out.scenarios.push_back(std::move(t));
        }
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        not_a_comparison(file, std::string("not a complete compare result: ") + e.what());
    }
    return out;
}

ComparedTotals compared_totals(const std::vector<Scenario>& scenarios,
                               const std::vector<std::vector<ReplicateOutcome>>& outcomes,
                               bool independent_seeds) {
    ComparedTotals out;
    out.common_random_numbers = !independent_seeds;
    // What the file of `compare` records of its method and engine (comparison_file_writer.cpp).
    out.method = independent_seeds ? "independent seeds (seed + position of the scenario)"
                                   : "common random numbers: same seed and replicates";
    out.engine_version = std::string(engine_version());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        const Scenario& scenario = scenarios[s];
        RunTotals t;
        t.scenario = scenario.run.name;
        for (int m = 0; m < scenario.run.months; ++m)
            t.months.push_back((scenario.run.start + m).to_string());
        // As read_compared_totals() pairs them: by a shared seed, or each on its own.
        t.seed = out.common_random_numbers ? 0 : s;
        t.replicates = outcomes.at(s).size();
        for (const ReplicateOutcome& o : outcomes[s]) {
            t.labour_force.push_back(o.labour_force);
            t.covered.push_back(o.covered);
            t.programme_members.push_back(o.programme_members);
            t.policy_cost_idr.push_back(o.policy_cost_idr);
            t.spent_idr.push_back({o.programme_spent_idr});
        }
        t.programmes = {""};
        t.programme_kinds = {""};
        t.scenario_toml = scenario.resolved_toml;
        t.ulc = scenario.ulc;
        t.area = summary_area_of(scenario);
        t.levers = scenario_levers(scenario);
        out.scenarios.push_back(std::move(t));
    }
    return out;
}

} // namespace ulcsim
