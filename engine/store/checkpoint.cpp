#include "ulcsim/checkpoint.hpp"

#include "population/worker_synthesis.hpp"
#include "ulcsim/input_error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace ulcsim {

namespace {

/// The largest run month (from the origin) that the 16-bit month columns and the random
/// draws' month counter can hold.
constexpr int last_month_from_origin = paid_indefinitely - month_origin - 1;

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string format_number(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

} // namespace

CheckpointInfo checkpoint_info_of(const ReplicateState& state) {
    CheckpointInfo info;
    info.seed = state.seed;
    info.origin = state.origin;
    info.month = state.month;
    info.scale_workers_per_agent = state.scale_workers_per_agent;
    info.replicates = 1;
    info.region_codes = state.region_codes;
    info.villages = state.villages;
    info.desa = state.desa;
    info.programme_names = state.programme_names;
    std::vector<std::uint32_t> used, capacity;
    for (const RegionSlots& r : state.population.region_slots) {
        used.push_back(r.used);
        capacity.push_back(r.capacity);
    }
    info.region_used = {used};
    info.region_capacity = {capacity};
    info.programme_members = {state.programme_members};
    return info;
}

int branch_months_allowed(const CheckpointInfo& checkpoint, double entry_rate) {
    int allowed = std::max(0, last_month_from_origin - (checkpoint.month - checkpoint.origin));
    if (!(entry_rate > 0)) return allowed;
    // As region_capacity: the largest labour force entrants could make, rounded up each
    // month, from the slots already used (the labour force is never larger).
    for (std::size_t r = 0; r < checkpoint.region_used.size(); ++r)
        for (std::size_t k = 0; k < checkpoint.region_used[r].size(); ++k) {
            double labour_force = checkpoint.region_used[r][k];
            const double capacity = checkpoint.region_capacity[r][k];
            int months = 0;
            while (months < allowed) {
                labour_force += std::ceil(entry_rate * labour_force);
                if (labour_force > capacity) break;
                ++months;
            }
            allowed = months;
        }
    return allowed;
}

void check_branch(const Scenario& s, const CheckpointInfo& c) {
    std::vector<Diagnostic> problems;
    const auto problem = [&](const std::string& key, const std::string& message) {
        problems.push_back({{c.file.string(), 0, 0, false}, key, message});
    };
    const std::string from = "the checkpoint (" + c.month.to_string() + ") ";

    std::vector<std::string> codes;
    for (const std::size_t r : s.regions)
        codes.push_back(s.region_table.regions()[r].code);
    const bool same_regions = codes == c.region_codes;
    if (!same_regions)
        problem("run.regions", from + "holds regions [" + join(c.region_codes) +
                                   "], the scenario has [" + join(codes) +
                                   "]: a branch must keep the checkpoint's regions");
    if (same_regions) {
        const detail::WorkerSynthesis synthesis(s);
        for (std::size_t k = 0; k < codes.size(); ++k) {
            const detail::RegionPlan& plan = synthesis.plans()[k];
            if (k < c.villages.size() && k < c.desa.size() &&
                (plan.villages != c.villages[k] || plan.desa != c.desa[k]))
                problem("regions", "region " + codes[k] + " has " + std::to_string(plan.villages) +
                                       " villages (" + std::to_string(plan.desa) +
                                       " desa) in the scenario, " + std::to_string(c.villages[k]) +
                                       " (" + std::to_string(c.desa[k]) + " desa) in " + from);
        }
    }
    if (s.population.scale_workers_per_agent != c.scale_workers_per_agent)
        problem("population.scale_workers_per_agent",
                "is " + format_number(s.population.scale_workers_per_agent) + ", " + from + "has " +
                    format_number(c.scale_workers_per_agent) +
                    ": a branch must keep the checkpoint's scale");
    if (s.run.start != c.month)
        problem("run.start", "is " + s.run.start.to_string() + ": a branch from " + from +
                                 "must start at " + c.month.to_string() +
                                 " (--set run.start=" + c.month.to_string() + ")");
    if (s.run.seed != c.seed)
        problem("run.seed", "is " + std::to_string(s.run.seed) + ", " + from + "was run with " +
                                std::to_string(c.seed) + ": a branch keeps the checkpoint's seed");
    if (s.run.replicates < 0 || static_cast<std::uint32_t>(s.run.replicates) > c.replicates)
        problem("run.replicates", "is " + std::to_string(s.run.replicates) + ", but " + from +
                                      "holds " + std::to_string(c.replicates) +
                                      (c.replicates == 1 ? " replicate" : " replicates"));
    for (std::size_t j = 0; j < c.programme_names.size(); ++j) {
        std::int64_t members = 0;
        for (const auto& per_replicate : c.programme_members)
            if (j < per_replicate.size()) members += per_replicate[j];
        if (members == 0) continue;
        const bool found =
            std::any_of(s.programmes.begin(), s.programmes.end(),
                        [&](const FundingProgramme& p) { return p.name == c.programme_names[j]; });
        if (!found)
            problem("programme", "'" + c.programme_names[j] + "' has members in " + from +
                                     "but is not in the scenario: a branch must keep every "
                                     "programme that has members (matched by name)");
    }
    if (same_regions && s.run.start == c.month) {
        const int allowed = branch_months_allowed(c, s.entrant_room_rate());
        if (s.run.months > allowed)
            problem("run.months",
                    "is " + std::to_string(s.run.months) + ", but " + from +
                        "reserved room for new entrants for at most " + std::to_string(allowed) +
                        (allowed == 1 ? " month" : " months") +
                        " (slots are laid out when the agents are synthesised): run at most " +
                        std::to_string(allowed) +
                        " months, or take the checkpoint from a longer run");
    }
    if (!problems.empty()) throw InputError(std::move(problems));
}

} // namespace ulcsim
