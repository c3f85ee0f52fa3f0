#include "ulcsim/rolling_backtest.hpp"

#include "ulcsim/ensemble.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace ulcsim {

namespace {

bool same_point(const Observation& a, const Observation& b) {
    return a.region_code == b.region_code && a.segment == b.segment && a.measure == b.measure &&
           a.month == b.month;
}

bool held_out_by(const BacktestOrigin& origin, const Observation& o) {
    return std::any_of(origin.backtest.held_out.begin(), origin.backtest.held_out.end(),
                       [&](const Observation& h) { return same_point(h, o); });
}

/// The replicates' spread as the discrepancy reads it: their 80% interval (type-7 quantiles)
/// read as a normal one, as the intervals are judged. Not their sample variance: a posterior
/// with a few far particles gives a few far replicates, whose variance would say the model
/// already spreads past errors that fall far outside its 80% interval.
double spread_variance(std::vector<double> values) {
    if (values.size() < 2) return 0;
    std::sort(values.begin(), values.end());
    const double sd = (quantile_of_sorted(values, 0.9) - quantile_of_sorted(values, 0.1)) /
                      (2 * 1.2815515655446004);
    return sd * sd;
}

/// An error as the discrepancy sees it. The figure's own error band is uncertainty of the
/// figure, not of the model: read as a uniform error within ±band, it adds band² / 3 to the
/// variance the error is expected to have. (Cutting the band off the error instead would make
/// every error within its band an exact 0, which a likelihood reads as proof that the
/// discrepancy is nil.)
ForecastError discrepancy_error(const Observation& observed, double error,
                                double replicate_variance, int horizon) {
    return {error, replicate_variance + observed.error_band * observed.error_band / 3, horizon};
}

/// The held-out errors of an origin as the discrepancy sees them.
ForecastError held_out_error(const BacktestOrigin& origin, std::size_t i) {
    return discrepancy_error(origin.backtest.held_out[i], -origin.backtest.rows[i].error,
                             spread_variance(origin.backtest.predicted[i]), origin.horizon[i]);
}

/// The errors origin `k` may learn its discrepancy from: its own fit's residuals, and every
/// other origin's residuals and held-out errors on observations that `k` does not hold out.
std::vector<ForecastError> errors_for(const RollingBacktest& rolling, std::size_t k) {
    const BacktestOrigin& self = rolling.origins[k];
    std::vector<ForecastError> errors = self.fit_residuals;
    for (std::size_t j = 0; j < rolling.origins.size(); ++j) {
        if (j == k) continue;
        const BacktestOrigin& other = rolling.origins[j];
        for (std::size_t i = 0; i < other.fitted.size() && i < other.fit_residuals.size(); ++i)
            if (!held_out_by(self, other.fitted[i])) errors.push_back(other.fit_residuals[i]);
        for (std::size_t i = 0; i < other.backtest.held_out.size(); ++i)
            if (!held_out_by(self, other.backtest.held_out[i]))
                errors.push_back(held_out_error(other, i));
    }
    return errors;
}

struct SkillSums {
    std::size_t points = 0, inside_80 = 0, inside_95 = 0, widened_80 = 0, widened_95 = 0;
    double absolute = 0, squared = 0;
    std::size_t persistence_points = 0, trend_points = 0;
    double persistence_model = 0, persistence_naive = 0, trend_model = 0, trend_naive = 0;

    void add(const BacktestOrigin& o, std::size_t i) {
        const BacktestRow& row = o.backtest.rows[i];
        const double observed = o.backtest.held_out[i].value;
        ++points;
        absolute += std::abs(row.error);
        squared += row.error * row.error;
        inside_80 += row.inside_80;
        inside_95 += row.inside_95;
        widened_80 += o.widened_inside_80[i];
        widened_95 += o.widened_inside_95[i];
        if (!std::isnan(row.persistence)) {
            ++persistence_points;
            persistence_model += std::abs(row.error);
            persistence_naive += std::abs(row.persistence - observed);
        }
        if (!std::isnan(row.linear_trend)) {
            ++trend_points;
            trend_model += std::abs(row.error);
            trend_naive += std::abs(row.linear_trend - observed);
        }
    }

    SkillRow row(int from, int to) const {
        SkillRow r;
        r.horizon_from = from;
        r.horizon_to = to;
        r.points = points;
        if (points > 0) {
            const auto n = static_cast<double>(points);
            r.mean_absolute_error = absolute / n;
            r.root_mean_squared_error = std::sqrt(squared / n);
            r.inside_80 = static_cast<double>(inside_80) / n;
            r.inside_95 = static_cast<double>(inside_95) / n;
            r.widened_inside_80 = static_cast<double>(widened_80) / n;
            r.widened_inside_95 = static_cast<double>(widened_95) / n;
        }
        r.persistence.observations = persistence_points;
        if (persistence_points > 0) {
            r.persistence.model_error = persistence_model / static_cast<double>(persistence_points);
            r.persistence.reference_error =
                persistence_naive / static_cast<double>(persistence_points);
        }
        r.linear_trend.observations = trend_points;
        if (trend_points > 0) {
            r.linear_trend.model_error = trend_model / static_cast<double>(trend_points);
            r.linear_trend.reference_error = trend_naive / static_cast<double>(trend_points);
        }
        return r;
    }
};

} // namespace

void RollingBacktest::score() {
    for (BacktestOrigin& o : origins) {
        o.backtest.score();
        o.horizon.clear();
        for (const Observation& h : o.backtest.held_out)
            o.horizon.push_back(h.month - o.backtest.cut_off);
    }
    for (std::size_t k = 0; k < origins.size(); ++k) {
        BacktestOrigin& o = origins[k];
        o.discrepancy = estimate_discrepancy(errors_for(*this, k));
        o.widened.clear();
        o.widened_inside_80.clear();
        o.widened_inside_95.clear();
        for (std::size_t i = 0; i < o.backtest.held_out.size(); ++i) {
            const double variance = o.discrepancy.variance(o.horizon[i]);
            std::array<double, backtest_levels.size()> q{};
            for (std::size_t l = 0; l < backtest_levels.size(); ++l)
                q[l] = widened_quantile(o.backtest.predicted[i], variance, backtest_levels[l]);
            const Observation& observed = o.backtest.held_out[i];
            o.widened.push_back(q);
            o.widened_inside_80.push_back(interval_holds(q[1], q[3], observed));
            o.widened_inside_95.push_back(interval_holds(q[0], q[4], observed));
        }
    }
}

ModelDiscrepancy RollingBacktest::discrepancy() const {
    std::vector<ForecastError> errors;
    for (const BacktestOrigin& o : origins) {
        errors.insert(errors.end(), o.fit_residuals.begin(), o.fit_residuals.end());
        for (std::size_t i = 0; i < o.backtest.rows.size() && i < o.horizon.size(); ++i)
            errors.push_back(held_out_error(o, i));
    }
    return estimate_discrepancy(errors);
}

Skill summarise_rolling(const RollingBacktest& rolling) {
    Skill s;
    std::array<SkillSums, skill_horizons.size()> bins{};
    SkillSums all;
    for (const BacktestOrigin& o : rolling.origins) {
        s.cut_offs.push_back(o.backtest.cut_off);
        for (std::size_t i = 0; i < o.backtest.rows.size(); ++i) {
            all.add(o, i);
            for (std::size_t b = 0; b < skill_horizons.size(); ++b) {
                const auto [from, to] = skill_horizons[b];
                if (o.horizon[i] >= from && (to < 0 || o.horizon[i] <= to)) bins[b].add(o, i);
            }
        }
    }
    for (std::size_t b = 0; b < skill_horizons.size(); ++b)
        s.by_horizon.push_back(bins[b].row(skill_horizons[b][0], skill_horizons[b][1]));
    s.overall = all.row(0, -1);
    s.discrepancy = rolling.discrepancy();
    return s;
}

std::vector<Month> rolling_cut_offs(const Scenario& scenario, std::size_t fitted_at_least) {
    fitted_at_least = std::max<std::size_t>(fitted_at_least, 1);
    std::set<Month> months;
    for (const Observation& o : scenario.observations)
        months.insert(o.month);
    std::vector<Month> cut_offs;
    for (const Month m : months) {
        const auto before =
            std::count_if(scenario.observations.begin(), scenario.observations.end(),
                          [&](const Observation& o) { return o.month < m; });
        if (static_cast<std::size_t>(before) >= fitted_at_least) cut_offs.push_back(m);
    }
    return cut_offs;
}

namespace {

// Without parameters to fit, an origin scores the scenario as it is: one ensemble to its last
// held-out month gives both the residuals of the observations before the cut-off (for the
// discrepancy) and the predictions of those from it on.
void score_as_it_is(const Scenario& to_last, const ExecutionContext& context,
                    BacktestOrigin& origin) {
    const auto replicates = static_cast<std::size_t>(to_last.run.replicates);
    std::vector<std::vector<double>> before(origin.fitted.size(), std::vector<double>(replicates));
    Backtest& b = origin.backtest;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        for (std::size_t i = 0; i < origin.fitted.size(); ++i)
            before[i][r] = simulated_observation(series, to_last, origin.fitted[i]);
        for (std::size_t i = 0; i < b.held_out.size(); ++i)
            b.predicted[i][r] = simulated_observation(series, to_last, b.held_out[i]);
    };
    run_ensemble(RunPlan::replicates_of(to_last), context, options);
    for (std::size_t i = 0; i < origin.fitted.size(); ++i) {
        double mean = 0;
        for (const double v : before[i])
            mean += v;
        mean /= static_cast<double>(replicates);
        const double variance = spread_variance(before[i]);
        origin.fit_residuals.push_back(
            discrepancy_error(origin.fitted[i], origin.fitted[i].value - mean, variance, 0));
    }
}

} // namespace

RollingBacktest
run_rolling_backtest(const Scenario& scenario, const std::vector<CalibrationParameter>& parameters,
                     const std::vector<Month>& cut_offs, const CalibrationSettings& settings,
                     const ExecutionContext& context, const OriginFitted& on_fitted) {
    if (cut_offs.empty()) throw std::invalid_argument("rolling backtest: no cut-offs");
    const bool fitting = !parameters.empty();
    if (fitting && settings.particles == 0)
        throw std::invalid_argument("rolling backtest: the calibration must make a posterior");
    const auto replicates = static_cast<std::size_t>(scenario.run.replicates);
    RollingBacktest rolling;
    for (const Month cut_off : cut_offs) {
        BacktestOrigin& origin = rolling.origins.emplace_back();
        for (const Observation& o : scenario.observations)
            if (o.month < cut_off) origin.fitted.push_back(o);
        origin.backtest = Backtest::holding_out(scenario, cut_off, replicates);
        if (origin.fitted.empty() || origin.backtest.held_out.empty())
            throw std::invalid_argument("rolling backtest: cut-off " + cut_off.to_string() +
                                        " has no observation " +
                                        (origin.fitted.empty() ? "before it" : "from it on"));
        Month last = origin.backtest.held_out.front().month;
        for (const Observation& o : origin.backtest.held_out)
            last = std::max(last, o.month);
        const Scenario to_last = with_horizon(scenario, last - scenario.run.start + 1);
        if (!fitting) {
            score_as_it_is(to_last, context, origin);
            continue;
        }

        const CalibrationProblem problem(scenario, parameters, origin.fitted, context);
        origin.fit = calibrate(problem, settings);
        if (on_fitted) on_fitted(cut_off, problem, origin.fit);
        for (std::size_t i = 0; i < origin.fitted.size(); ++i) {
            // The replicates' 90% interval, read as a normal one, gives their spread.
            const double sd = (origin.fit.simulated_p95[i] - origin.fit.simulated_p05[i]) / 3.29;
            origin.fit_residuals.push_back(discrepancy_error(
                origin.fitted[i], origin.fitted[i].value - origin.fit.simulated_mean[i], sd * sd,
                0));
        }

        const PosteriorPlan plan = posterior_plan(to_last, parameters, origin.fit.posterior);
        EnsembleOptions options;
        Backtest& b = origin.backtest;
        options.on_replicate = [&](std::size_t entry, std::uint32_t r, ReplicateSeries&& series) {
            for (std::size_t i = 0; i < b.held_out.size(); ++i)
                b.predicted[i][r] =
                    simulated_observation(series, plan.plan.scenario(entry), b.held_out[i]);
        };
        run_ensemble(plan.plan, context, options);
    }
    rolling.score();
    return rolling;
}

} // namespace ulcsim
