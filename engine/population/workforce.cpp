#include "ulcsim/workforce.hpp"

#include "csv_reader.hpp"
#include "ulcsim/agent_scale.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ulcsim {

EmploymentSeries EmploymentSeries::load(const std::filesystem::path& data_dir,
                                        std::span<const Province> provinces) {
    const std::filesystem::path file = data_dir / "employment_by_province.csv";
    detail::CsvReader csv(file, {"province_code", "month", "employed_workers"});
    EmploymentSeries series;
    const auto known = [&](std::string_view code) {
        return std::any_of(provinces.begin(), provinces.end(),
                           [&](const Province& p) { return p.code == code; });
    };
    while (csv.next()) {
        const std::string code(csv.text("province_code"));
        const auto month = Month::parse(csv.text("month"));
        const std::int64_t workers = csv.integer("employed_workers");
        bool ok = true;
        if (!known(code)) {
            csv.error("province_code", "unknown province '" + code + "'");
            ok = false;
        }
        if (!month) {
            csv.error("month", "'" + std::string(csv.text("month")) + "' is not YYYY-MM");
            ok = false;
        }
        if (workers <= 0) {
            csv.error("employed_workers", std::to_string(workers) + " is not positive");
            ok = false;
        }
        if (!ok) continue;
        std::vector<Point>& points = series.provinces_[code];
        if (!points.empty() && points.back().month >= *month) {
            csv.error("month", "'" + month->to_string() + "' of province " + code +
                                   " is out of order or repeated");
            continue;
        }
        points.push_back({*month, static_cast<double>(workers)});
    }
    // A growth beyond the series needs two months of every province the scenario may hold.
    for (const Province& p : provinces) {
        const auto it = series.provinces_.find(p.code);
        const std::size_t n = it == series.provinces_.end() ? 0 : it->second.size();
        if (n < 2)
            csv.error("province_code", "province " + p.code + " (" + p.name + ") has " +
                                           std::to_string(n) + (n == 1 ? " month" : " months") +
                                           ", at least two are needed");
    }
    csv.finish();
    return series;
}

double EmploymentSeries::employed_workers(std::string_view province_code, Month m,
                                          double growth_factor) const {
    const auto it = provinces_.find(province_code);
    if (it == provinces_.end())
        throw std::invalid_argument("employment series: no province '" +
                                    std::string(province_code) + "'");
    const std::vector<Point>& p = it->second;
    const Point& first = p.front();
    const Point& last = p.back();
    // Log growth per month over the whole series, scaled by the assumption beyond it.
    const double trend =
        growth_factor * std::log(last.workers / first.workers) / (last.month - first.month);
    if (m <= first.month) return first.workers * std::exp(trend * (m - first.month));
    if (m >= last.month) return last.workers * std::exp(trend * (m - last.month));
    const auto after = std::upper_bound(p.begin(), p.end(), m,
                                        [](Month x, const Point& q) { return x < q.month; });
    const Point& a = *(after - 1);
    const Point& b = *after;
    const double f = static_cast<double>(m - a.month) / (b.month - a.month);
    return a.workers * std::pow(b.workers / a.workers, f);
}

double EmploymentSeries::relative_to_region_data(std::string_view province_code, Month m,
                                                 double growth_factor) const {
    return employed_workers(province_code, m, growth_factor) /
           employed_workers(province_code, region_data_month, growth_factor);
}

std::vector<Month> EmploymentSeries::months(std::string_view province_code) const {
    std::vector<Month> out;
    if (const auto it = provinces_.find(province_code); it != provinces_.end())
        for (const Point& p : it->second)
            out.push_back(p.month);
    return out;
}

// ---- the scenario's workforce ------------------------------------------------------------

double Scenario::workforce_factor(std::size_t region, Month m) const {
    if (population.workforce_from == WorkforceSource::region_data || !population.employment)
        return 1;
    return population.employment->relative_to_region_data(
        region_table.regions()[region].province_code, m, population.workforce_growth_factor);
}

std::vector<double> Scenario::workforce_targets() const {
    std::vector<double> out;
    if (population.workforce_from == WorkforceSource::region_data) return out;
    const AgentScale scale(population.scale_workers_per_agent);
    out.reserve(static_cast<std::size_t>(run.months) * regions.size());
    for (int t = 0; t < run.months; ++t)
        for (const std::size_t r : regions)
            out.push_back(
                scale.agents_unrounded(static_cast<double>(region_data_employed_workers(r)) *
                                       workforce_factor(r, run.start + t)));
    return out;
}

double Scenario::entrant_room_rate() const {
    if (population.workforce_from == WorkforceSource::region_data) return behaviour.entry_rate;
    // The largest monthly growth of any province's series over the run: the labour force
    // never runs ahead of its series by more than the month's rounding, so this room holds it.
    double most = 0;
    for (const std::size_t r : regions)
        for (int t = 0; t < run.months; ++t)
            most = std::max(
                most,
                workforce_factor(r, run.start + t + 1) / workforce_factor(r, run.start + t) - 1);
    return most * 1.01;
}

} // namespace ulcsim
