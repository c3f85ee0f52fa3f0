// Validation of [population] (with its per-region overrides) and [[commuting]].

#include "scenario_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace ulcsim::detail {

void ScenarioBuilder::read_population(bool have_regions) {
    PopulationSpec& p = s_.population;
    p = default_population();
    TableReader t = root_.table("population");
    read_number(t, "scale", p.scale_workers_per_agent);
    if (const auto v = t.number("formal_share")) p.formal_share = v;
    read_number(t, "vulnerable_share_of_informal", p.vulnerable_share_of_informal);
    read_number(t, "commuting_share", p.commuting_share);
    read_number(t, "nonactive_per_active", p.nonactive_per_active);
    read_choice(t, "initial_coverage_from", coverage_source_names, p.initial_coverage_from);
    read_number(t, "unobserved_province_factor", p.unobserved_province_factor);
    read_number(t, "urban_coverage_shift", p.urban_coverage_shift);
    read_choice(t, "workforce_from", workforce_source_names, p.workforce_from);
    read_number(t, "workforce_growth_factor", p.workforce_growth_factor);
    if (p.workforce_from == WorkforceSource::bps_employment_by_province && have_regions)
        read_employment_series(t);

    TableReader office = t.table("head_office");
    if (office.present()) {
        p.head_office.region = read_kabkota(office, "region", have_regions);
        read_number(office, "share", p.head_office.share);
    }
    office.finish();

    TableReader coverage = t.table("initial_coverage");
    read_number(coverage, "formal_employer", p.initial_coverage.formal_employer);
    read_number(coverage, "informal_self", p.initial_coverage.informal_self);
    read_number(coverage, "vulnerable_self", p.initial_coverage.vulnerable_self);
    coverage.finish();

    TableReader awareness = t.table("awareness");
    read_named_numbers(awareness, segment_names, p.awareness_mean);
    awareness.finish();

    TableReader fears = t.table("fears_bansos");
    read_number(fears, "informal", p.fears_bansos_share[1]);
    read_number(fears, "vulnerable", p.fears_bansos_share[2]);
    fears.finish();

    TableReader ages = t.table("age_bands");
    read_named_numbers(ages, age_band_names, p.age_band_shares);
    check_sums_to_one(ages, p.age_band_shares);
    ages.finish();

    TableReader incomes = t.table("income_bands");
    for (std::size_t s = 0; s < segment_count; ++s) {
        const auto shares = incomes.number_array(segment_names[s]);
        if (!shares) continue;
        if (shares->size() != income_band_count) {
            incomes.error(segment_names[s], "expected " + std::to_string(income_band_count) +
                                                " shares (bands 0 to 4), got " +
                                                std::to_string(shares->size()));
            continue;
        }
        std::copy(shares->begin(), shares->end(), p.income_band_shares[s].begin());
        const double sum = std::accumulate(shares->begin(), shares->end(), 0.0);
        if (std::abs(sum - 1) > sum_tolerance)
            incomes.error(segment_names[s], "shares sum to " + format_share(sum) + ", not 1");
    }
    incomes.finish();

    TableReader occupations = t.table("occupations");
    for (std::size_t s = 0; s < segment_count; ++s) {
        TableReader mix = occupations.table(segment_names[s]);
        if (!mix.present()) continue;
        p.occupation_shares[s].fill(0);
        read_named_numbers(mix, occupation_names, p.occupation_shares[s]);
        check_sums_to_one(mix, p.occupation_shares[s]);
        mix.finish();
    }
    occupations.finish();

    std::set<std::size_t> seen;
    for (TableReader& o : t.array_of_tables("region")) {
        RegionPopulationOverride entry;
        const auto region = read_kabkota(o, "region", have_regions);
        if (region) {
            entry.region = *region;
            if (!seen.insert(*region).second)
                o.error("region", "duplicate: this region already has an entry");
        }
        if (const auto v = o.integer("employed_workers")) entry.employed_workers = *v;
        entry.formal_share = o.number("formal_share");
        entry.vulnerable_share_of_informal = o.number("vulnerable_share_of_informal");
        entry.km_to_office = o.number("km_to_office");
        entry.commuting_share = o.number("commuting_share");
        entry.formal_employer = o.number("formal_employer");
        entry.informal_self = o.number("informal_self");
        entry.vulnerable_self = o.number("vulnerable_self");
        o.finish();
        if (region) p.region_overrides.push_back(entry);
    }
    if (have_regions && run_valid_) check_agent_slots(t);
    t.finish();
}

// The series is data like the region table: its problems are reported where they are, and
// once more at the key that asked for it.
void ScenarioBuilder::read_employment_series(TableReader& t) {
    try {
        s_.population.employment = std::make_shared<const EmploymentSeries>(
            EmploymentSeries::load(s_.region_table.data_dir(), s_.region_table.provinces()));
    } catch (const InputError& e) {
        for (const Diagnostic& d : e.diagnostics())
            diag_.add(d.where, d.key, d.message);
        t.error("workforce_from",
                "cannot read the employment series in " + s_.region_table.data_dir().string());
    }
}

// Agents are numbered with 32 bits across all regions, so the population with the room its
// entrants may need (as region_capacity reserves it) must fit; beyond, a run could only fail
// or truncate.
void ScenarioBuilder::check_agent_slots(TableReader& t) {
    const double scale = s_.population.scale_workers_per_agent;
    double slots = 0, workers = 0;
    const double room_rate = s_.entrant_room_rate();
    for (const std::size_t r : s_.regions) {
        const double w = static_cast<double>(s_.employed_workers(r));
        workers += w;
        double labour_force = std::round(w / scale);
        for (int month = 0; month < s_.run.months && labour_force < 0x1p33; ++month)
            labour_force += std::ceil(room_rate * labour_force);
        slots += labour_force;
    }
    constexpr double most = 4'294'967'295.0;
    if (slots <= most) return;
    const auto whole = [](double v) { return std::to_string(std::llround(v)); };
    t.error("scale", "the scenario needs about " + whole(slots) + " agent slots (" +
                         whole(workers) + " workers at " + format_number(scale) +
                         " workers per agent, with room for entrants over " +
                         std::to_string(s_.run.months) +
                         " months), more than the 4294967295 one run can hold: raise "
                         "population.scale to at least " +
                         format_number(std::ceil(scale * slots / most)));
}

void ScenarioBuilder::read_commuting(bool have_regions) {
    std::map<std::size_t, double> outflow;
    std::map<std::size_t, TableReader*> last_entry;
    std::vector<TableReader> flows = root_.array_of_tables("commuting");
    for (TableReader& f : flows) {
        const auto from = read_kabkota(f, "from", have_regions);
        const auto to = read_kabkota(f, "to", have_regions);
        const auto share = f.number("share");
        if (!f.get("share")) f.missing("share");
        f.finish();
        if (from && to && *from == *to) f.error("to", "must differ from 'from'");
        if (!from || !to || !share || *from == *to) continue;
        s_.commuting.push_back({*from, *to, *share});
        outflow[*from] += *share;
        last_entry[*from] = &f;
    }
    for (const auto& [from, total] : outflow)
        if (total > 1 + 1e-9)
            last_entry[from]->error(
                "share", "commuting shares out of '" + s_.region_table.regions()[from].code +
                             "' sum to " + format_share(total) + ", more than 1");
}

} // namespace ulcsim::detail
