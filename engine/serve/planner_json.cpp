// The planner's comparison and the region list as the JSON the page reads.

#include "json_writer.hpp"
#include "ulcsim/planner.hpp"

namespace ulcsim {

namespace {

using Json = detail::JsonWriter;

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

void write_band(Json& j, std::string_view name, const std::vector<PlannerInterval>& band) {
    std::vector<double> m, lo, hi;
    for (const PlannerInterval& i : band) {
        m.push_back(i.mean);
        lo.push_back(i.p05);
        hi.push_back(i.p95);
    }
    j.key(name).raw("{").key("mean").nums(m).key("p05").nums(lo).key("p95").nums(hi).raw("}");
}

void write_interval(Json& j, std::string_view name, const PlannerInterval& i) {
    j.key(name).interval(i.mean, i.p05, i.p95);
}

void write_goal(Json& j, std::string_view name, const GoalReached& g) {
    j.key(name).raw("{").key("share_reaching").num(g.share_reaching).key("median_month");
    if (g.median_month)
        j.str(g.median_month->to_string());
    else
        j.raw("null");
    j.raw("}");
}

} // namespace

std::string planner_comparison_json(const PlannerComparison& c) {
    Json j;
    j.raw("{").key("name").str(c.policy.run.name);
    std::vector<std::string> months;
    for (const Month m : c.months)
        months.push_back(m.to_string());
    j.key("months").strs(months);
    j.key("replicates")
        .num(c.policy.run.replicates)
        .key("seed")
        .num(static_cast<double>(c.policy.run.seed));
    j.key("agents_per_replicate").num(static_cast<double>(c.agents_per_replicate));
    j.key("workers_per_agent").num(c.workers_per_agent);
    j.key("baseline_levers").raw(baseline_contents_json(c.baseline_levers));
    write_band(j, "baseline_coverage", c.baseline_coverage);
    write_band(j, "policy_coverage", c.policy_coverage);
    write_band(j, "workers_added", c.workers_added);
    j.key("funding_ends");
    if (c.funding_ends)
        j.str(c.funding_ends->to_string());
    else
        j.raw("null");
    if (c.workers_added_at_funding_end)
        write_interval(j, "workers_added_at_funding_end", *c.workers_added_at_funding_end);
    j.key("rupiah_by_source").raw("[");
    for (std::size_t k = 0; k < c.rupiah_by_source.size(); ++k) {
        if (k) j.comma();
        j.raw("{").key("source").str(c.rupiah_by_source[k].first);
        write_interval(j, "idr", c.rupiah_by_source[k].second);
        j.raw("}");
    }
    j.raw("]");
    j.key("goal").num(c.goal);
    write_goal(j, "baseline_goal", c.baseline_goal);
    write_goal(j, "policy_goal", c.policy_goal);
    // `compare`'s measures: the baseline's and the policy's levels, and the paired difference.
    j.key("measures").raw("[");
    for (std::size_t m = 0; m < c.measures.size(); ++m) {
        const auto& base = c.measured.levels[0][m];
        const auto& policy = c.measured.levels[1][m];
        const auto& difference = c.measured.differences[1][m];
        if (m) j.comma();
        j.raw("{").key("name").str(c.measures[m].name).key("units").str(c.measures[m].units);
        j.key("baseline").interval(base[mean], base[p05], base[p95]);
        j.key("policy").interval(policy[mean], policy[p05], policy[p95]);
        j.key("difference").interval(difference[mean], difference[p05], difference[p95]);
        j.raw("}");
    }
    j.raw("]").raw("}");
    return j.take();
}

std::string planner_regions_json(const RegionTable& regions) {
    Json j;
    j.raw("{").key("provinces").raw("[");
    bool first = true;
    for (const Province& p : regions.provinces()) {
        if (!first) j.comma();
        first = false;
        j.raw("{").key("code").str(p.code).key("name").str(p.name);
        j.key("employed_workers").num(static_cast<double>(p.employed_workers)).raw("}");
    }
    j.raw("]").key("regions").raw("[");
    first = true;
    for (const Region& r : regions.regions()) {
        if (!first) j.comma();
        first = false;
        j.raw("{").key("code").str(r.code).key("province").str(r.province_code);
        j.key("name").str(r.name);
        j.key("employed_workers").num(static_cast<double>(r.employed_workers)).raw("}");
    }
    j.raw("]").raw("}");
    return j.take();
}

} // namespace ulcsim
