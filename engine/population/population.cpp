#include "ulcsim/population.hpp"

#include "starting_coverage.hpp"
#include "ulcsim/agent_scale.hpp"
#include "worker_synthesis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace ulcsim {

std::array<double, segment_count> RegionShares::of_workers() const {
    const double rest = 1 - formal_share;
    return {formal_share, rest * (1 - vulnerable_share_of_informal),
            rest * vulnerable_share_of_informal};
}

RegionShares region_shares(const Scenario& s, std::size_t region) {
    const RegionPopulationOverride* o = nullptr;
    for (const auto& candidate : s.population.region_overrides)
        if (candidate.region == region) o = &candidate;
    RegionShares shares;
    shares.formal_share =
        o && o->formal_share
            ? *o->formal_share
            : s.population.formal_share.value_or(s.region_table.regions()[region].formal_share);
    shares.vulnerable_share_of_informal = o && o->vulnerable_share_of_informal
                                              ? *o->vulnerable_share_of_informal
                                              : s.population.vulnerable_share_of_informal;
    return shares;
}

namespace detail {

namespace {

static_assert(Population::bytes_per_agent <= 16, "the national run needs ≤ 16 bytes per agent");

/// Awareness with the requested mean: uniform on [0, 2m] below one half, on [2m − 1, 1] above.
std::uint8_t draw_awareness(std::uint32_t word, double mean) {
    const double lo = mean <= 0.5 ? 0 : 2 * mean - 1;
    const double hi = mean <= 0.5 ? 2 * mean : 1;
    return static_cast<std::uint8_t>(std::lround(255 * (lo + (hi - lo) * CounterRng::unit(word))));
}

} // namespace

WorkerSynthesis::WorkerSynthesis(const Scenario& s) : scenario_(s) {
    const PopulationSpec& pop = s.population;
    plans_.resize(s.regions.size());
    std::vector<RegionStart> starts(s.regions.size());
    const auto table = s.region_table.regions();
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const std::size_t r = s.regions[k];
        const Region& data = table[r];
        const RegionPopulationOverride* o = nullptr;
        for (const auto& candidate : pop.region_overrides)
            if (candidate.region == r) o = &candidate;
        const auto override_or = [&](std::optional<double> RegionPopulationOverride::*field,
                                     double fallback) {
            return o && (o->*field) ? *(o->*field) : fallback;
        };

        RegionPlan& p = plans_[k];
        p.agents = agents_in_region(s, k);
        const RegionShares shares = region_shares(s, r);
        p.formal_share = shares.formal_share;
        p.vulnerable_share_of_informal = shares.vulnerable_share_of_informal;
        p.km_to_office = override_or(&RegionPopulationOverride::km_to_office, data.km_to_office);
        p.formal = static_cast<std::uint32_t>(std::llround(p.agents * p.formal_share));
        const std::uint32_t non_formal = p.agents - p.formal;
        const auto vulnerable =
            static_cast<std::uint32_t>(std::llround(non_formal * p.vulnerable_share_of_informal));
        p.informal = non_formal - vulnerable;
        p.villages = static_cast<std::uint16_t>(std::max(1, data.villages()));
        p.desa = static_cast<std::uint16_t>(data.villages() > 0 ? data.desa : 1);

        RegionStart& start = starts[k];
        start.workers = static_cast<double>(s.employed_workers(r));
        start.formal_share = p.formal_share;
        start.vulnerable_share_of_informal = p.vulnerable_share_of_informal;
        start.coverage = {override_or(&RegionPopulationOverride::formal_employer,
                                      pop.initial_coverage.formal_employer),
                          override_or(&RegionPopulationOverride::informal_self,
                                      pop.initial_coverage.informal_self),
                          override_or(&RegionPopulationOverride::vulnerable_self,
                                      pop.initial_coverage.vulnerable_self)};
        start.stated = {o && o->formal_employer, o && o->informal_self, o && o->vulnerable_self};
        start.urban_share = data.villages() > 0 ? static_cast<double>(data.kelurahan) /
                                                      static_cast<double>(data.villages())
                                                : 0.0;

        // Explicit flows first, then head offices in another province, then the unnamed
        // commuting share (registered outside the scenario); the rest register at home.
        double running = 0;
        const auto add = [&](double share, std::uint16_t to) {
            const double before = running;
            running = std::min(1.0, running + share);
            p.registration.emplace_back(CounterRng::threshold(running), to);
            if (to == outside_scenario)
                start.registered_outside += running - before;
            else
                start.registered_in.emplace_back(to, running - before);
        };
        const auto position = [&](std::size_t region) {
            const auto at = std::lower_bound(s.regions.begin(), s.regions.end(), region);
            return static_cast<std::uint16_t>(at - s.regions.begin());
        };
        for (const CommutingFlow& f : s.commuting)
            if (f.from == r) add(f.share, position(f.to));
        const HeadOffice& office = pop.head_office;
        if (office.region && office.share > 0 &&
            table[*office.region].province_code != data.province_code)
            add(office.share, position(*office.region));
        const double outside =
            override_or(&RegionPopulationOverride::commuting_share, pop.commuting_share);
        if (outside > 0) add(outside, outside_scenario);
    }
    spread_by_urban_share(s, starts);
    if (pop.initial_coverage_from == CoverageSource::province_active_2023_12)
        match_province_counts(s, starts);
    for (std::size_t k = 0; k < s.regions.size(); ++k)
        for (std::size_t g = 0; g < segment_count; ++g) {
            plans_[k].coverage[g] = CounterRng::threshold(starts[k].coverage[g]);
            plans_[k].starting_share[g] = starts[k].coverage[g];
            // nonactive_per_active non-active members for each active one: as a share of the
            // segment's uncovered, r·c / (1 − c), at most all of them.
            const double c = starts[k].coverage[g];
            plans_[k].nonactive[g] = CounterRng::threshold(
                c < 1 ? std::min(1.0, pop.nonactive_per_active * c / (1 - c)) : 0.0);
        }

    for (std::size_t g = 0; g < segment_count; ++g) {
        occupation_cdf_[g] = cumulative_thresholds(pop.occupation_shares[g]);
        income_cdf_[g] = cumulative_thresholds(pop.income_band_shares[g]);
        fear_threshold_[g] = CounterRng::threshold(pop.fears_bansos_share[g]);
    }
    age_cdf_ = cumulative_thresholds(pop.age_band_shares);
    autodebit_ = CounterRng::threshold(s.behaviour.autodebit_share);
    oldest_ = std::max(age_band_first_year.back(), s.behaviour.exit_age_years - 1);
}

void WorkerSynthesis::place_and_traits(Population& out, std::uint32_t a, std::size_t k,
                                       std::size_t g, const DrawWords& place,
                                       const DrawWords& trait, bool young) const {
    const RegionPlan& p = plans_[k];
    out.village[a] = static_cast<std::uint16_t>((std::uint64_t{place[0]} * p.villages) >> 32);
    std::uint16_t registered = static_cast<std::uint16_t>(k);
    if (g == 0)
        for (const auto& [threshold, to] : p.registration)
            if (place[1] < threshold) {
                registered = to;
                break;
            }
    out.registration_region[a] = registered;

    const std::size_t band = young ? 0 : pick(trait[1], age_cdf_);
    const int first = age_band_first_year[band];
    const int last = band + 1 < age_band_count ? age_band_first_year[band + 1] - 1 : oldest_;
    out.age_years[a] =
        static_cast<std::uint8_t>(first + ((std::uint64_t{trait[2]} * (last - first + 1)) >> 32));
    out.income_band[a] = static_cast<std::uint8_t>(pick(trait[3], income_cdf_[g]));
}

void WorkerSynthesis::starting_worker(Population& out, const CounterRng& rng, std::uint32_t a,
                                      std::size_t k, std::uint32_t j) const {
    const RegionPlan& p = plans_[k];
    const std::size_t g = j < p.formal ? 0 : j < p.formal + p.informal ? 1 : 2;
    const auto place = rng.words(a, 0, DrawPurpose::synthesis_place);
    const auto trait = rng.words(a, 0, DrawPurpose::synthesis_traits);
    const auto cover = rng.words(a, 0, DrawPurpose::synthesis_coverage);
    place_and_traits(out, a, k, g, place, trait, false);

    const bool fears = cover[0] < fear_threshold_[g];
    out.awareness[a] = draw_awareness(cover[1], scenario_.population.awareness_mean[g]);
    Payer payer = Payer::none;
    if (cover[2] < p.coverage[g])
        payer = g == 0                  ? Payer::employer
                : cover[3] < autodebit_ ? Payer::self_autodebit
                                        : Payer::self;
    out.payer[a] = static_cast<std::uint8_t>(payer);
    // Its own draw, taken only where it can matter, so that no other draw moves.
    if (payer == Payer::none && p.nonactive[g] > 0 &&
        rng.words(a, 0, DrawPurpose::synthesis_registration)[0] < p.nonactive[g])
        out.income_band[a] |= registered_before_bit;
    // Starting members joined before the run (covered_since 0: past any waiting period);
    // self-payers have paid up to the month before the run and decide each month.
    out.covered_since[a] = 0;
    out.paid_until[a] = payer == Payer::employer ? paid_indefinitely
                        : payer == Payer::none   ? 0
                                                 : static_cast<std::uint16_t>(month_origin - 1);
    const auto occupation = static_cast<Occupation>(pick(trait[0], occupation_cdf_[g]));
    out.traits[a] =
        AgentTraits::pack(static_cast<Segment>(g), occupation, fears, payer != Payer::none);
}

void WorkerSynthesis::entrant(Population& out, const CounterRng& rng, std::uint32_t a,
                              std::size_t k, int month) const {
    const RegionPlan& p = plans_[k];
    const auto m = static_cast<std::uint32_t>(month);
    const auto place = rng.words(a, m, DrawPurpose::entry, 0);
    const auto trait = rng.words(a, m, DrawPurpose::entry, 1);
    const auto more = rng.words(a, m, DrawPurpose::entry, 2);
    const double u = CounterRng::unit(more[0]);
    const double formal = p.formal_share;
    const std::size_t g = u < formal                                                         ? 0
                          : u < formal + (1 - formal) * (1 - p.vulnerable_share_of_informal) ? 1
                                                                                             : 2;
    place_and_traits(out, a, k, g, place, trait, true);
    out.awareness[a] = draw_awareness(more[1], scenario_.population.awareness_mean[g]);
    out.payer[a] = static_cast<std::uint8_t>(Payer::none);
    out.covered_since[a] = 0;
    out.paid_until[a] = 0;
    const auto occupation = static_cast<Occupation>(pick(trait[0], occupation_cdf_[g]));
    out.traits[a] =
        AgentTraits::pack(static_cast<Segment>(g), occupation, more[2] < fear_threshold_[g], false);
}

} // namespace detail

std::uint32_t agents_in_region(const Scenario& scenario, std::size_t scenario_region) {
    const double workers =
        static_cast<double>(scenario.employed_workers(scenario.regions[scenario_region]));
    return static_cast<std::uint32_t>(
        AgentScale(scenario.population.scale_workers_per_agent).agents_nearest(workers));
}

std::size_t Population::region_of(std::uint32_t slot) const {
    const auto after =
        std::upper_bound(region_slots.begin(), region_slots.end(), slot,
                         [](std::uint32_t a, const RegionSlots& r) { return a < r.first; });
    return static_cast<std::size_t>(after - region_slots.begin()) - 1;
}

std::uint32_t region_capacity(std::uint32_t agents, double entry_rate, int months) {
    // Follows the largest labour force entrants could make (no one ever leaving), with the
    // count rounded up each month as the monthly entrant draw may round it.
    double labour_force = agents;
    for (int t = 0; t < months; ++t)
        labour_force += std::ceil(entry_rate * labour_force);
    if (labour_force > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("more than 2^32 agents: raise population.scale");
    return static_cast<std::uint32_t>(labour_force);
}

Population synthesise_population(const Scenario& s, std::uint32_t replicate, int entrant_months,
                                 std::span<const int> region_ranks, int rank,
                                 std::optional<std::uint64_t> seed) {
    const detail::WorkerSynthesis synthesis(s);
    const auto& plans = synthesis.plans();
    if (!region_ranks.empty() && region_ranks.size() != plans.size())
        throw std::invalid_argument("synthesise_population: region_ranks has " +
                                    std::to_string(region_ranks.size()) + " entries for " +
                                    std::to_string(plans.size()) + " regions");

    Population out;
    out.region_slots.resize(plans.size());
    const double room_rate = s.entrant_room_rate();
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < plans.size(); ++k) {
        RegionSlots& slots = out.region_slots[k];
        slots.first = static_cast<std::uint32_t>(total);
        slots.used = plans[k].agents;
        slots.capacity = region_capacity(plans[k].agents, room_rate, entrant_months);
        total += slots.capacity;
        if (total > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("more than 2^32 agents: raise population.scale");
    }

    // Uninitialised: synthesis writes every column of the slots in use, an entrant those of
    // its slot, and nothing reads the others. Nor does anything read another rank's regions.
    for_each_agent_column(out, [&](const auto&, auto& column) { column.resize(total); });

    const CounterRng rng(seed.value_or(s.run.seed), replicate);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, plans.size()), [&](const auto& regions) {
        for (std::size_t k = regions.begin(); k != regions.end(); ++k) {
            if (!region_ranks.empty() && region_ranks[k] != rank) continue;
            const RegionSlots slots = out.region_slots[k];
            tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, slots.used, 4096),
                              [&](const auto& range) {
                                  for (std::uint32_t j = range.begin(); j != range.end(); ++j)
                                      synthesis.starting_worker(out, rng, slots.first + j, k, j);
                              });
        }
    });
    return out;
}

} // namespace ulcsim
