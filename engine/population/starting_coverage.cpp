#include "starting_coverage.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace ulcsim::detail {

double shifted(double c, double delta) {
    if (c <= 0 || c >= 1) return c;
    const double e = std::exp(delta);
    return c * e / (1 - c + c * e);
}

namespace {

/// The province of every scenario region, and what each province of the scenario aims at.
struct Provinces {
    std::vector<std::size_t> of_region;
    std::vector<double> target;
    std::vector<bool> observed;
};

/// Expected covered residents of region k at shift δ: (formal employer-covered, all).
std::pair<double, double> expected_covered(const RegionStart& r, double delta) {
    const double formal = r.workers * r.formal_share * shifted(r.coverage[0], delta);
    const double others = r.workers * (1 - r.formal_share) *
                          ((1 - r.vulnerable_share_of_informal) * shifted(r.coverage[1], delta) +
                           r.vulnerable_share_of_informal * shifted(r.coverage[2], delta));
    return {formal, formal + others};
}

/// Expected workers of segment g in region r.
double segment_workers(const RegionStart& r, std::size_t g) {
    const double informal = r.workers * (1 - r.formal_share);
    switch (g) {
    case 0:
        return r.workers * r.formal_share;
    case 1:
        return informal * (1 - r.vulnerable_share_of_informal);
    default:
        return informal * r.vulnerable_share_of_informal;
    }
}

} // namespace

void spread_by_urban_share(const Scenario& s, std::vector<RegionStart>& regions) {
    const double shift = s.population.urban_coverage_shift;
    if (shift == 0) return;
    const auto table = s.region_table.regions();
    std::map<std::string, std::vector<std::size_t>> parts;
    for (std::size_t k = 0; k < regions.size(); ++k)
        parts[table[s.regions[k]].province_code].push_back(k);
    for (const auto& [province, members] : parts)
        for (std::size_t g = 0; g < segment_count; ++g) {
            std::vector<std::size_t> free;
            for (const std::size_t k : members)
                if (!regions[k].stated[g]) free.push_back(k);
            // Equal urban shares shift every region alike, which the province's own amount
            // undoes: skipping keeps such scenarios' numbers exactly as they were.
            const bool alike = std::all_of(free.begin(), free.end(), [&](std::size_t k) {
                return regions[k].urban_share == regions[free.front()].urban_share;
            });
            if (alike) continue;
            const auto covered = [&](double delta) {
                double sum = 0;
                for (const std::size_t k : free)
                    sum += segment_workers(regions[k], g) *
                           shifted(regions[k].coverage[g], shift * regions[k].urban_share + delta);
                return sum;
            };
            double goal = 0;
            for (const std::size_t k : free)
                goal += segment_workers(regions[k], g) * regions[k].coverage[g];
            double lo = -40, hi = 40;
            for (int step = 0; step < 64; ++step) {
                const double mid = (lo + hi) / 2;
                (covered(mid) < goal ? lo : hi) = mid;
            }
            for (const std::size_t k : free)
                regions[k].coverage[g] =
                    shifted(regions[k].coverage[g], shift * regions[k].urban_share + lo);
        }
}

void match_province_counts(const Scenario& s, std::vector<RegionStart>& regions) {
    const auto table = s.region_table.regions();
    const auto all_provinces = s.region_table.provinces();
    std::map<std::string, std::size_t> index;
    Provinces p;
    std::vector<std::size_t> table_province; // index into all_provinces, by scenario province
    for (const std::size_t r : s.regions) {
        const auto [at, added] = index.emplace(table[r].province_code, index.size());
        if (added) table_province.push_back(*s.region_table.find_province(table[r].province_code));
        p.of_region.push_back(at->second);
    }
    const std::size_t P = index.size();

    // The part of each province in the scenario, by the region table's employed workers.
    std::vector<double> share_in(P, 0), resident(P, 0);
    for (std::size_t k = 0; k < regions.size(); ++k) {
        const Province& province = all_provinces[table_province[p.of_region[k]]];
        share_in[p.of_region[k]] += static_cast<double>(table[s.regions[k]].employed_workers) /
                                    static_cast<double>(province.employed_workers);
        resident[p.of_region[k]] += expected_covered(regions[k], 0).second;
    }
    p.target.assign(P, 0);
    p.observed.assign(P, false);
    double counted = 0, expected = 0;
    for (std::size_t q = 0; q < P; ++q) {
        const Province& province = all_provinces[table_province[q]];
        if (!province.bpjstk_active_2023_12) continue;
        p.observed[q] = true;
        p.target[q] = static_cast<double>(*province.bpjstk_active_2023_12) * share_in[q];
        counted += p.target[q];
        expected += resident[q];
    }
    const double ratio = expected > 0 ? counted / expected : 1;
    for (std::size_t q = 0; q < P; ++q)
        if (!p.observed[q])
            p.target[q] = s.population.unobserved_province_factor * ratio * resident[q];

    // Formal workers registered in another province leave their own count and add to that
    // province's: a fixed point over the provinces' shifts, each found by bisection (the
    // count rises with δ). The flows are small, so a few rounds settle it.
    std::vector<std::vector<std::size_t>> members(P);
    std::vector<double> away(regions.size(), 0); // formal share registered in another province
    for (std::size_t k = 0; k < regions.size(); ++k) {
        members[p.of_region[k]].push_back(k);
        away[k] = regions[k].registered_outside;
        for (const auto& [to, share] : regions[k].registered_in)
            if (p.of_region[to] != p.of_region[k]) away[k] += share;
        away[k] = std::min(1.0, away[k]);
    }
    std::vector<double> delta(P, 0);
    for (int round = 0; round < 100; ++round) {
        std::vector<double> inflow(P, 0);
        for (std::size_t k = 0; k < regions.size(); ++k) {
            const double formal = expected_covered(regions[k], delta[p.of_region[k]]).first;
            for (const auto& [to, share] : regions[k].registered_in)
                if (p.of_region[to] != p.of_region[k]) inflow[p.of_region[to]] += formal * share;
        }
        double moved = 0;
        for (std::size_t q = 0; q < P; ++q) {
            const auto own = [&](double d) {
                double sum = 0;
                for (const std::size_t k : members[q]) {
                    const auto [formal, all] = expected_covered(regions[k], d);
                    sum += all - formal * away[k];
                }
                return sum;
            };
            const double goal = p.target[q] - inflow[q];
            double lo = -40, hi = 40;
            for (int step = 0; step < 64; ++step) {
                const double mid = (lo + hi) / 2;
                (own(mid) < goal ? lo : hi) = mid;
            }
            moved = std::max(moved, std::abs(lo - delta[q]));
            delta[q] = lo;
        }
        if (moved < 1e-12) break;
    }
    for (std::size_t k = 0; k < regions.size(); ++k)
        for (double& c : regions[k].coverage)
            c = shifted(c, delta[p.of_region[k]]);
}

} // namespace ulcsim::detail
