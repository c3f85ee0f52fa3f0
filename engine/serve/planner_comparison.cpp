// A planner's scenario against its baseline: `compare`'s measures (measure_scenarios, so the
// numbers are those of `ulcsim compare BASELINE POLICY`) and what the page draws besides
// them, taken from the same replicates as they finish.

#include "ulcsim/ensemble.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/planner.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <limits>
#include <tbb/task_arena.h>

namespace ulcsim {

namespace {

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

PlannerInterval interval_of(std::vector<double> values) {
    const auto s = summarise(values);
    return {s[mean], s[p05], s[p95]};
}

double coverage(const ReplicateOutcome& o, std::size_t t) {
    return o.labour_force[t] > 0 ? o.covered[t] / o.labour_force[t]
                                 : std::numeric_limits<double>::quiet_NaN();
}

GoalReached goal_reached(const std::vector<ReplicateOutcome>& outcomes, double goal, Month start) {
    // The first month at or above the goal; replicates that never reach it sort last.
    constexpr int never = std::numeric_limits<int>::max();
    std::vector<int> first;
    for (const ReplicateOutcome& o : outcomes) {
        int month = never;
        for (std::size_t t = 0; t < o.covered.size(); ++t)
            if (coverage(o, t) >= goal) {
                month = static_cast<int>(t);
                break;
            }
        first.push_back(month);
    }
    GoalReached g;
    if (first.empty()) return g;
    const auto reaching =
        std::count_if(first.begin(), first.end(), [](int m) { return m != never; });
    g.share_reaching = static_cast<double>(reaching) / static_cast<double>(first.size());
    std::sort(first.begin(), first.end());
    const int median = first[(first.size() - 1) / 2];
    if (median != never) g.median_month = start + median;
    return g;
}

std::optional<Month> last_funded_month(const Scenario& s) {
    std::optional<Month> last;
    for (const FundingProgramme& p : s.programmes)
        for (const CoverageWindow& w : p.windows)
            if (!last || w.end > *last) last = w.end;
    if (!last || *last < s.run.start) return std::nullopt;
    return std::min(*last, s.run.last_month());
}

} // namespace

void check_planner_limits(const Scenario& scenario, const PlannerLimits& limits) {
    const auto problem = [&](const std::string& key, const std::string& message) {
        throw InputError(
            Diagnostic{SourceLocation{scenario.file.string(), 0, 0, false}, key, message});
    };
    const std::int64_t agents = starting_agents(scenario);
    if (agents > limits.max_agents)
        problem("population.scale",
                std::to_string(agents) + " agents per replicate; the server simulates at most " +
                    std::to_string(limits.max_agents) + ": set population.scale to at least " +
                    std::to_string((scenario.total_employed_workers() + limits.max_agents - 1) /
                                   limits.max_agents));
    if (scenario.run.replicates > limits.max_replicates)
        problem("run.replicates",
                "the server runs at most " + std::to_string(limits.max_replicates) + " replicates");
    if (scenario.run.months > limits.max_months)
        problem("run.months",
                "the server runs at most " + std::to_string(limits.max_months) + " months");
}

double planner_memory_bytes(const Scenario& policy, const Scenario& baseline, int threads) {
    // The plan measure_scenarios runs: every replicate of the baseline, then of the policy.
    RunPlan plan;
    const auto replicates = static_cast<std::uint32_t>(policy.run.replicates);
    plan.add(baseline, {0, replicates});
    plan.add(policy, {0, replicates});
    const MemoryEstimate e =
        estimate_memory(plan, threads > 0 ? threads : tbb::this_task_arena::max_concurrency(), 0);
    return e.total() - e.fixed;
}

PlannerComparison compare_planner(const Scenario& policy, const Scenario& baseline, int threads,
                                  const std::atomic<bool>* stop, std::optional<double> goal,
                                  const std::function<void(const EnsembleProgress&)>& on_progress) {
    PlannerComparison c;
    c.policy = policy;
    c.baseline = baseline;
    c.baseline_levers = baseline_contents(scenario_levers(policy), scenario_levers(baseline));
    const RunSettings& run = policy.run;
    const auto replicates = static_cast<std::uint32_t>(run.replicates);
    const auto months = static_cast<std::size_t>(run.months);
    for (int t = 0; t < run.months; ++t)
        c.months.push_back(run.start + t);

    OutcomeSettings settings;
    settings.start = run.start;
    settings.months = run.months;
    settings.policy_costs = any_policy_costs(std::vector<Scenario>{baseline, policy});
    settings.coverage_months = default_coverage_months(run.start, run.months);
    c.measures = outcome_measures(settings);

    // Rupiah over the run by source, per replicate of the policy.
    std::vector<std::string> sources;
    for (const FundingProgramme& p : policy.programmes) {
        const std::string kind(programme_kind_names[static_cast<std::size_t>(p.kind)]);
        if (std::find(sources.begin(), sources.end(), kind) == sources.end())
            sources.push_back(kind);
    }
    const bool copayments =
        std::any_of(policy.programmes.begin(), policy.programmes.end(),
                    [](const FundingProgramme& p) { return p.member_share > 0; });
    const std::size_t copayment_source = sources.size();
    if (copayments) sources.push_back("member");
    // Regulations and outreach cost what their scenario says (staff, contacts), all together.
    const bool policy_costs = any_policy_costs(std::vector<Scenario>{policy});
    if (policy_costs) sources.push_back("policies");
    std::vector<std::vector<double>> rupiah(sources.size(), std::vector<double>(replicates));

    ExecutionContext context;
    context.threads = threads;
    context.stop = stop;
    context.on_progress = on_progress;
    const PlanRunner runner = [&](const RunPlan& plan, const EnsembleOptions& options) {
        EnsembleOptions watched = options;
        watched.on_replicate = [&](std::size_t entry, std::uint32_t r, ReplicateSeries&& series) {
            if (entry == 1 && policy_costs)
                for (std::size_t t = 0; t < series.months; ++t)
                    rupiah.back()[r] += series.total(SeriesMetric::policy_cost_idr, t);
            if (entry == 1)
                for (std::size_t j = 0; j < series.programmes; ++j) {
                    const FundingProgramme& p = policy.programmes[j];
                    const std::string kind(programme_kind_names[static_cast<std::size_t>(p.kind)]);
                    const auto k = static_cast<std::size_t>(
                        std::find(sources.begin(), sources.end(), kind) - sources.begin());
                    for (std::size_t t = 0; t < series.months; ++t) {
                        rupiah[k][r] += series.at(ProgrammeMetric::spent_idr, t, j);
                        if (copayments)
                            rupiah[copayment_source][r] +=
                                series.at(ProgrammeMetric::members, t, j) *
                                p.premium_idr_per_month * p.member_share;
                    }
                }
            options.on_replicate(entry, r, std::move(series));
        };
        run_ensemble(plan, context, watched);
    };
    std::vector<std::vector<ReplicateOutcome>> outcomes(2,
                                                        std::vector<ReplicateOutcome>(replicates));
    c.measured = measure_scenarios(
        {baseline, policy}, replicates, settings, runner,
        [&](std::size_t i, std::uint32_t r, const ReplicateOutcome& o) { outcomes[i][r] = o; });

    c.totals = compared_totals({baseline, policy}, outcomes, false);
    for (std::size_t t = 0; t < months; ++t) {
        std::vector<double> base, pol, added;
        for (std::uint32_t r = 0; r < replicates; ++r) {
            base.push_back(coverage(outcomes[0][r], t));
            pol.push_back(coverage(outcomes[1][r], t));
            added.push_back(outcomes[1][r].covered[t] - outcomes[0][r].covered[t]);
        }
        c.baseline_coverage.push_back(interval_of(base));
        c.policy_coverage.push_back(interval_of(pol));
        c.workers_added.push_back(interval_of(added));
    }
    c.funding_ends = last_funded_month(policy);
    if (c.funding_ends)
        c.workers_added_at_funding_end =
            c.workers_added[static_cast<std::size_t>(*c.funding_ends - run.start)];
    for (std::size_t k = 0; k < sources.size(); ++k)
        c.rupiah_by_source.emplace_back(sources[k], interval_of(rupiah[k]));
    c.goal = goal.value_or(policy.ulc.threshold);
    c.baseline_goal = goal_reached(outcomes[0], c.goal, run.start);
    c.policy_goal = goal_reached(outcomes[1], c.goal, run.start);
    c.agents_per_replicate = starting_agents(policy);
    c.workers_per_agent = policy.population.scale_workers_per_agent;
    return c;
}

} // namespace ulcsim
