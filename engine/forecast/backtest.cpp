#include "ulcsim/backtest.hpp"

#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ulcsim {

namespace {

bool same_series(const Observation& a, const Observation& b) {
    return a.region_code == b.region_code && a.segment == b.segment && a.measure == b.measure;
}

} // namespace

Backtest Backtest::holding_out(const Scenario& scenario, Month cut_off, std::size_t replicates) {
    Backtest b;
    b.cut_off = cut_off;
    for (const Observation& o : scenario.observations) {
        if (o.month < cut_off) continue;
        b.held_out.push_back(o);
        std::vector<Observation> earlier;
        for (const Observation& e : scenario.observations)
            if (e.month < cut_off && same_series(e, o)) earlier.push_back(e);
        std::stable_sort(
            earlier.begin(), earlier.end(),
            [](const Observation& x, const Observation& y) { return x.month < y.month; });
        b.history.push_back(std::move(earlier));
    }
    b.predicted.assign(b.held_out.size(), std::vector<double>(replicates));
    return b;
}

void Backtest::score() {
    if (predicted.size() != held_out.size())
        throw std::invalid_argument("Backtest::score: " + std::to_string(held_out.size()) +
                                    " observations, " + std::to_string(predicted.size()) +
                                    " predictions");
    rows.clear();
    for (std::size_t i = 0; i < held_out.size(); ++i) {
        if (predicted[i].empty())
            throw std::invalid_argument("Backtest::score: observation " + std::to_string(i) +
                                        " has no prediction");
        std::vector<double> sorted = predicted[i];
        std::sort(sorted.begin(), sorted.end());
        BacktestRow row;
        for (std::size_t q = 0; q < backtest_levels.size(); ++q)
            row.quantiles[q] = quantile_of_sorted(sorted, backtest_levels[q]);
        for (const double v : sorted)
            row.mean += v / static_cast<double>(sorted.size());
        const double observed = held_out[i].value;
        row.error = row.mean - observed;
        row.inside_80 = interval_holds(row.quantiles[1], row.quantiles[3], held_out[i]);
        row.inside_95 = interval_holds(row.quantiles[0], row.quantiles[4], held_out[i]);
        if (i < history.size() && !history[i].empty()) {
            const Observation& last = history[i].back();
            row.persistence = last.value;
            // The latest earlier observation of another month: two in one month give no slope.
            for (auto e = history[i].rbegin(); e != history[i].rend(); ++e) {
                if (e->month == last.month) continue;
                const double slope = (last.value - e->value) / (last.month - e->month);
                row.linear_trend = last.value + slope * (held_out[i].month - last.month);
                break;
            }
        }
        rows.push_back(row);
    }
}

BacktestSummary summarise_backtest(const Backtest& b) {
    BacktestSummary s;
    s.observations = b.rows.size();
    double squared = 0, absolute = 0;
    for (const BacktestRow& row : b.rows) {
        squared += row.error * row.error;
        absolute += std::abs(row.error);
        s.inside_80 += row.inside_80;
        s.inside_95 += row.inside_95;
    }
    const auto n = static_cast<double>(s.observations);
    s.mean_absolute_error = s.observations ? absolute / n : 0;
    s.root_mean_squared_error = s.observations ? std::sqrt(squared / n) : 0;

    const auto against = [&](double BacktestRow::*reference) {
        BacktestSummary::AgainstReference a;
        double model = 0, naive = 0;
        for (std::size_t i = 0; i < b.rows.size(); ++i) {
            const double forecast = b.rows[i].*reference;
            if (std::isnan(forecast)) continue;
            ++a.observations;
            model += std::abs(b.rows[i].error);
            naive += std::abs(forecast - b.held_out[i].value);
        }
        if (a.observations > 0) {
            a.model_error = model / static_cast<double>(a.observations);
            a.reference_error = naive / static_cast<double>(a.observations);
        }
        return a;
    };
    s.persistence = against(&BacktestRow::persistence);
    s.linear_trend = against(&BacktestRow::linear_trend);
    return s;
}

} // namespace ulcsim
