#include "ulcsim/outcome.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ulcsim {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Fixed positions after the coverage months.
enum Tail : std::size_t {
    covered_worker_months,
    funded_worker_months,
    money_spent,
    cost_per_covered_worker_year,
    former_members_after,
    tail_count
};

std::size_t tail(const OutcomeSettings& s, Tail t) {
    return s.coverage_months.size() + t;
}

} // namespace

ReplicateOutcome outcome_of(const ReplicateSeries& series) {
    ReplicateOutcome o;
    for (std::size_t t = 0; t < series.months; ++t) {
        o.labour_force.push_back(series.total(SeriesMetric::labour_force, t));
        o.covered.push_back(series.total(SeriesMetric::covered, t));
        o.former_members_covered.push_back(series.total(SeriesMetric::covered_former_members, t));
        double members = 0, spent = 0;
        for (std::size_t j = 0; j < series.programmes; ++j) {
            members += series.at(ProgrammeMetric::members, t, j);
            spent += series.at(ProgrammeMetric::spent_idr, t, j);
        }
        o.programme_members.push_back(members);
        o.programme_spent_idr.push_back(spent);
        o.policy_cost_idr.push_back(series.total(SeriesMetric::policy_cost_idr, t));
    }
    return o;
}

bool any_policy_costs(std::span<const Scenario> scenarios) {
    for (const Scenario& s : scenarios)
        for (const Policy& p : s.policies)
            if (p.cost_idr_per_month > 0 || p.cost_idr_per_worker_month > 0) return true;
    return false;
}

std::vector<Month> default_coverage_months(Month start, int months) {
    std::vector<Month> chosen;
    for (int t = 0; t < months; ++t)
        if ((start + t).month_of_year() == 12 || t == months - 1) chosen.push_back(start + t);
    return chosen;
}

std::vector<OutcomeMeasure> outcome_measures(const OutcomeSettings& s) {
    std::vector<OutcomeMeasure> m;
    for (const Month month : s.coverage_months)
        m.push_back({"coverage_rate_" + month.to_string(), "coverage " + month.to_string(), "share",
                     false});
    const std::string span = s.start.to_string() + "…" + (s.start + (s.months - 1)).to_string();
    m.push_back({"covered_worker_months", "covered worker-months " + span, "worker-months", false});
    m.push_back({"funded_worker_months", "programme-funded worker-months", "worker-months", false});
    m.push_back({"money_spent_idr",
                 s.policy_costs ? "money spent (programmes and policies)" : "programme money spent",
                 "IDR", false});
    m.push_back({"cost_per_added_covered_worker_year_idr", "cost per added covered worker-year",
                 "IDR per worker-year", true});
    m.push_back({"former_members_covered_" + std::to_string(s.months_after_funding) +
                     "_months_after_funding",
                 "former members covered " + std::to_string(s.months_after_funding) +
                     " months after funding ends",
                 "workers", false});
    return m;
}

std::vector<double> measure_values(const ReplicateOutcome& o, const OutcomeSettings& s) {
    const auto months = static_cast<std::ptrdiff_t>(o.covered.size());
    std::vector<double> v(s.coverage_months.size() + tail_count, not_a_number);
    for (std::size_t i = 0; i < s.coverage_months.size(); ++i) {
        const int t = s.coverage_months[i] - s.start;
        if (t < 0 || t >= months) throw std::out_of_range("coverage month outside the run");
        const auto u = static_cast<std::size_t>(t);
        v[i] = o.labour_force[u] > 0 ? o.covered[u] / o.labour_force[u] : not_a_number;
    }
    double covered = 0, funded = 0, spent = 0;
    for (std::size_t t = 0; t < o.covered.size(); ++t) {
        covered += o.covered[t];
        funded += o.programme_members[t];
        spent += o.programme_spent_idr[t];
        // Adding a policy cost of 0 leaves the programmes' money as it was, bit for bit.
        spent += o.policy_cost_idr[t];
    }
    v[tail(s, covered_worker_months)] = covered;
    v[tail(s, funded_worker_months)] = funded;
    v[tail(s, money_spent)] = spent;
    // Funding ends after the last month in which any programme had members.
    std::ptrdiff_t last_funded = -1;
    for (std::ptrdiff_t t = 0; t < months; ++t)
        if (o.programme_members[static_cast<std::size_t>(t)] > 0) last_funded = t;
    const std::ptrdiff_t after = last_funded + s.months_after_funding;
    if (last_funded >= 0 && after < months)
        v[tail(s, former_members_after)] =
            o.former_members_covered[static_cast<std::size_t>(after)];
    return v;
}

std::vector<double> paired_differences(const std::vector<double>& scenario,
                                       const std::vector<double>& base, const OutcomeSettings& s) {
    if (scenario.size() != base.size()) throw std::invalid_argument("paired_differences: sizes");
    std::vector<double> d(scenario.size());
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = scenario[i] - base[i];
    const double gained_years = d[tail(s, covered_worker_months)] / 12;
    d[tail(s, cost_per_covered_worker_year)] =
        gained_years > 0 ? d[tail(s, money_spent)] / gained_years : not_a_number;
    return d;
}

std::vector<std::array<double, summary_statistic_count>>
measure_statistics(const std::vector<std::vector<double>>& per_replicate, const OutcomeSettings& s,
                   bool differences) {
    const std::size_t measures = s.coverage_months.size() + tail_count;
    std::vector<std::array<double, summary_statistic_count>> out(measures);
    std::vector<double> values;
    for (std::size_t m = 0; m < measures; ++m) {
        values.clear();
        const bool cost = m == tail(s, cost_per_covered_worker_year);
        for (const std::vector<double>& r : per_replicate)
            if (!cost || !std::isnan(r[m])) values.push_back(r[m]);
        out[m] = summarise(values);
        if (cost) {
            if (!differences) {
                out[m].fill(not_a_number);
                continue;
            }
            double money = 0, years = 0;
            for (const std::vector<double>& r : per_replicate) {
                money += r[tail(s, money_spent)];
                years += r[tail(s, covered_worker_months)] / 12;
            }
            out[m][0] = years > 0 ? money / years : not_a_number;
        }
    }
    return out;
}

} // namespace ulcsim
