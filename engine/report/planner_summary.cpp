// The planner's four answers from a run's totals and its baseline's
// (ulcsim/planner_summary.hpp).

#include "ulcsim/planner_summary.hpp"

#include "replicate_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ulcsim {

namespace {

using report_detail::mean_of;
using report_detail::quantile;
using Rows = std::vector<std::vector<double>>;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// With several rows the 90% interval over them; one row of means has no interval.
SummaryInterval interval_of(const std::vector<double>& values, bool intervals) {
    const double mean = mean_of(values);
    if (!intervals) return {mean, not_a_number, not_a_number};
    return {mean, quantile(values, 0.05), quantile(values, 0.95)};
}

std::vector<double> column(const Rows& rows, std::size_t month) {
    std::vector<double> out;
    out.reserve(rows.size());
    for (const std::vector<double>& row : rows)
        out.push_back(row.at(month));
    return out;
}

double share(double part, double whole) {
    return whole > 0 ? part / whole : not_a_number;
}

// Coverage (share) by row and month: resident coverage, or the coverage share when that is
// the measure asked for and the source holds it.
Rows coverage(const RunTotals& t, bool registered) {
    const Rows& numerator =
        registered && !t.covered_registered.empty() ? t.covered_registered : t.covered;
    Rows out(t.covered.size());
    for (std::size_t r = 0; r < out.size(); ++r)
        for (std::size_t m = 0; m < t.months.size(); ++m)
            out[r].push_back(share(numerator[r][m], t.labour_force[r][m]));
    return out;
}

// Programme premiums and policy costs over the whole run, per row.
std::vector<double> money(const RunTotals& t) {
    std::vector<double> out;
    for (std::size_t r = 0; r < t.covered.size(); ++r) {
        double sum = 0;
        for (std::size_t m = 0; m < t.months.size(); ++m) {
            for (const std::vector<double>& programme : t.spent_idr[r])
                sum += programme[m];
            sum += t.policy_cost_idr[r][m];
        }
        out.push_back(sum);
    }
    return out;
}

void check_totals(const RunTotals& t, const char* what) {
    const std::size_t rows = t.covered.size(), T = t.months.size();
    const auto fits = [&](const Rows& a) {
        return a.size() == rows &&
               std::all_of(a.begin(), a.end(), [&](const auto& row) { return row.size() == T; });
    };
    if (rows == 0 || !fits(t.covered) || !fits(t.labour_force) || !fits(t.programme_members) ||
        !fits(t.policy_cost_idr) || t.spent_idr.size() != rows ||
        (!t.covered_registered.empty() && !fits(t.covered_registered)))
        throw std::invalid_argument(std::string("planner_summary: the ") + what +
                                    "'s totals do not have one value per row and month");
}

void covered_workers(PlannerSummary& s, const RunTotals& run) {
    const std::size_t T = run.months.size();
    const bool iv = s.intervals;
    s.covered_start = interval_of(column(run.covered, 0), iv);
    s.covered_end = interval_of(column(run.covered, T - 1), iv);
    std::size_t peak = 0;
    for (std::size_t m = 0; m < T; ++m)
        if (mean_of(column(run.covered, m)) > mean_of(column(run.covered, peak))) peak = m;
    s.covered_peak = interval_of(column(run.covered, peak), iv);
    s.peak_month = run.months[peak];
    const Rows rates = coverage(run, false);
    const auto percent = [&](std::size_t m) {
        std::vector<double> v = column(rates, m);
        for (double& x : v)
            x *= 100;
        return interval_of(v, iv);
    };
    s.coverage_start = percent(0);
    s.coverage_end = percent(T - 1);
}

void against_baseline(PlannerSummary& s, const RunTotals& run, const RunTotals& base) {
    const std::size_t T = run.months.size();
    if (base.months != run.months)
        throw std::invalid_argument("planner_summary: the baseline covers " +
                                    (base.months.empty()
                                         ? std::string("no months")
                                         : base.months.front() + "…" + base.months.back()) +
                                    ", the run " + run.months.front() + "…" + run.months.back());
    s.baseline_name = base.file.empty() ? base.scenario : base.scenario + " (" + base.file + ")";
    if (run.levers && base.levers) s.baseline_levers = baseline_contents(*run.levers, *base.levers);
    // Replicate r of both drew the same random numbers only with the same seed and count.
    s.paired = run.per_replicate && base.per_replicate && run.seed == base.seed &&
               run.covered.size() == base.covered.size();
    const Rows run_rate = coverage(run, false), base_rate = coverage(base, false);
    const std::vector<double> run_money = money(run), base_money = money(base);

    // Per pair of rows, or the difference of the means as a single row.
    std::vector<double> worker_months(s.paired ? run.covered.size() : 1, 0.0);
    for (std::size_t m = 0; m < T; ++m) {
        std::vector<double> workers, points;
        if (s.paired) {
            for (std::size_t r = 0; r < run.covered.size(); ++r) {
                workers.push_back(run.covered[r][m] - base.covered[r][m]);
                points.push_back(100 * (run_rate[r][m] - base_rate[r][m]));
                worker_months[r] += workers.back();
            }
        } else {
            workers.push_back(mean_of(column(run.covered, m)) - mean_of(column(base.covered, m)));
            points.push_back(100 * (mean_of(column(run_rate, m)) - mean_of(column(base_rate, m))));
            worker_months[0] += workers.back();
        }
        s.added_workers.push_back(interval_of(workers, s.paired));
        s.added_points.push_back(interval_of(points, s.paired));
    }
    s.added_worker_months = interval_of(worker_months, s.paired);
    // The largest effect either way: a run that adds fewer workers than its baseline peaks
    // where it falls furthest behind.
    for (std::size_t m = 0; m < T; ++m)
        if (std::abs(s.added_workers[m].mean) > std::abs(s.added_workers[s.peak_effect_month].mean))
            s.peak_effect_month = m;

    s.baseline_money_idr = mean_of(base_money);
    const double extra = mean_of(run_money) - s.baseline_money_idr;
    const double years = s.added_worker_months.mean / 12;
    if (!(years > 0)) return;
    SummaryInterval cost{extra / years, not_a_number, not_a_number};
    if (s.paired) {
        // Each replicate's own cost, where it gained coverage.
        std::vector<double> per_replicate;
        for (std::size_t r = 0; r < worker_months.size(); ++r)
            if (worker_months[r] > 0)
                per_replicate.push_back((run_money[r] - base_money[r]) / (worker_months[r] / 12));
        cost.p05 = quantile(per_replicate, 0.05);
        cost.p95 = quantile(per_replicate, 0.95);
    }
    s.cost_per_added_worker_year_idr = cost;
}

void spending(PlannerSummary& s, const RunTotals& run) {
    const std::size_t rows = run.covered.size(), T = run.months.size();
    for (std::size_t j = 0; j < run.programmes.size(); ++j) {
        std::vector<double> per_row;
        for (std::size_t r = 0; r < rows; ++r) {
            double sum = 0;
            for (std::size_t m = 0; m < T; ++m)
                sum += run.spent_idr[r][j][m];
            per_row.push_back(sum);
        }
        s.spending.push_back({run.programmes[j],
                              j < run.programme_kinds.size() ? run.programme_kinds[j] : "",
                              mean_of(per_row)});
    }
    std::vector<double> policies;
    for (const std::vector<double>& row : run.policy_cost_idr) {
        double sum = 0;
        for (const double v : row)
            sum += v;
        policies.push_back(sum);
    }
    s.policy_cost_idr = mean_of(policies);
    s.money_idr = interval_of(money(run), s.intervals);

    // Funding ends after the last month any programme had members (on average).
    std::optional<std::size_t> last_funded;
    for (std::size_t m = 0; m < T; ++m)
        if (mean_of(column(run.programme_members, m)) > 0) last_funded = m;
    if (last_funded && *last_funded + 1 < T) s.funding_end_month = *last_funded + 1;
}

void goal(PlannerSummary& s, const RunTotals& run) {
    if (!run.ulc) return;
    PlannerSummary::Goal g;
    g.threshold = run.ulc->threshold;
    const bool registered =
        run.ulc->measure == CoverageMeasure::coverage_share && !run.covered_registered.empty();
    g.measure = registered ? "coverage_share" : "resident_coverage";
    const Rows rates = coverage(run, registered);
    const std::size_t T = run.months.size();
    std::vector<std::size_t> first; // per row; T: never within the run
    for (const std::vector<double>& row : rates) {
        std::size_t m = 0;
        while (m < T && !(row[m] >= g.threshold))
            ++m;
        first.push_back(m);
    }
    const auto reached = static_cast<double>(
        std::count_if(first.begin(), first.end(), [&](std::size_t m) { return m < T; }));
    g.probability = reached / static_cast<double>(first.size());
    // The median month as the forecast states it (inverse-CDF: the first month by which at
    // least half had reached the threshold).
    std::sort(first.begin(), first.end());
    const std::size_t middle = (first.size() + 1) / 2 - 1;
    if (first[middle] < T) g.median_month = first[middle];
    g.settling_months = std::min<std::size_t>(12, T);
    std::vector<double> last;
    for (std::size_t m = T - g.settling_months; m < T; ++m)
        last.push_back(100 * mean_of(column(rates, m)));
    g.settles_at = mean_of(last);
    s.goal = g;
}

} // namespace

PlannerSummary planner_summary(const RunTotals& run, const RunTotals* baseline,
                               BaselineSource source, const std::string& note) {
    check_totals(run, "run");
    if (baseline) check_totals(*baseline, "baseline");
    PlannerSummary s;
    s.scenario = run.scenario;
    s.area = run.area;
    s.months = run.months;
    s.replicates = run.replicates;
    s.intervals = run.per_replicate && run.covered.size() > 1;
    s.baseline = source;
    s.baseline_note = note;
    covered_workers(s, run);
    spending(s, run);
    if (baseline) against_baseline(s, run, *baseline);
    goal(s, run);
    return s;
}

} // namespace ulcsim
