#include "ulcsim/population.hpp"

#include "ulcsim/rng.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace ulcsim {

namespace {

static_assert(Population::bytes_per_agent <= 16, "the national run needs ≤ 16 bytes per agent");

/// Cumulative integer thresholds of a categorical distribution: category k is chosen when a
/// 32-bit word falls below cumulative[k] and not below cumulative[k − 1].
template <std::size_t N>
std::array<std::uint64_t, N> cumulative_thresholds(const std::array<double, N>& shares) {
    std::array<std::uint64_t, N> out{};
    double total = 0;
    for (double s : shares)
        total += s;
    double running = 0;
    for (std::size_t k = 0; k < N; ++k) {
        running += shares[k];
        out[k] = CounterRng::threshold(total > 0 ? running / total : 0);
    }
    // The last category with a positive share takes every remaining word, so rounding of the
    // shares can never leave a draw without a category.
    for (std::size_t k = N; k-- > 0;)
        if (shares[k] > 0) {
            out[k] = std::uint64_t{1} << 32;
            break;
        }
    return out;
}

template <std::size_t N>
std::size_t pick(std::uint32_t word, const std::array<std::uint64_t, N>& cumulative) {
    for (std::size_t k = 0; k < N; ++k)
        if (word < cumulative[k]) return k;
    return N - 1;
}

/// Everything synthesis needs about one scenario region, resolved once.
struct RegionPlan {
    std::uint32_t first_agent = 0;
    std::uint32_t agents = 0;
    std::uint32_t formal = 0;   ///< agents [first, first + formal) are formal
    std::uint32_t informal = 0; ///< then informal, then vulnerable
    std::uint16_t villages = 1;
    std::array<std::uint64_t, segment_count> coverage{}; ///< threshold per segment
    /// Registration destinations of formal workers: cumulative thresholds and regions.
    std::vector<std::pair<std::uint64_t, std::uint16_t>> registration;
};

std::vector<RegionPlan> plan_regions(const Scenario& s) {
    const PopulationSpec& pop = s.population;
    std::vector<RegionPlan> plans(s.regions.size());
    std::uint64_t next_agent = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        const std::size_t r = s.regions[k];
        const Region& data = s.region_table.regions()[r];
        const RegionPopulationOverride* o = nullptr;
        for (const auto& candidate : pop.region_overrides)
            if (candidate.region == r) o = &candidate;
        const auto override_or = [&](std::optional<double> RegionPopulationOverride::*field,
                                     double fallback) {
            return o && (o->*field) ? *(o->*field) : fallback;
        };

        RegionPlan& p = plans[k];
        p.first_agent = static_cast<std::uint32_t>(next_agent);
        p.agents = agents_in_region(s, k);
        next_agent += p.agents;
        if (next_agent > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("more than 2^32 agents: raise population.scale");

        const double formal_share = override_or(&RegionPopulationOverride::formal_share,
                                                pop.formal_share.value_or(data.formal_share));
        const double vulnerable_share =
            override_or(&RegionPopulationOverride::vulnerable_share_of_informal,
                        pop.vulnerable_share_of_informal);
        p.formal = static_cast<std::uint32_t>(std::llround(p.agents * formal_share));
        const std::uint32_t non_formal = p.agents - p.formal;
        const auto vulnerable =
            static_cast<std::uint32_t>(std::llround(non_formal * vulnerable_share));
        p.informal = non_formal - vulnerable;
        p.villages = static_cast<std::uint16_t>(std::max(1, data.villages()));

        p.coverage[0] = CounterRng::threshold(override_or(
            &RegionPopulationOverride::formal_employer, pop.initial_coverage.formal_employer));
        p.coverage[1] = CounterRng::threshold(override_or(&RegionPopulationOverride::informal_self,
                                                          pop.initial_coverage.informal_self));
        p.coverage[2] = CounterRng::threshold(override_or(
            &RegionPopulationOverride::vulnerable_self, pop.initial_coverage.vulnerable_self));

        // Explicit flows first, then the unnamed commuting share (registered outside the
        // scenario); the rest register at home.
        double running = 0;
        for (const CommutingFlow& f : s.commuting) {
            if (f.from != r) continue;
            running = std::min(1.0, running + f.share);
            const auto to = std::lower_bound(s.regions.begin(), s.regions.end(), f.to);
            p.registration.emplace_back(CounterRng::threshold(running),
                                        static_cast<std::uint16_t>(to - s.regions.begin()));
        }
        const double outside =
            override_or(&RegionPopulationOverride::commuting_share, pop.commuting_share);
        if (outside > 0) {
            running = std::min(1.0, running + outside);
            p.registration.emplace_back(CounterRng::threshold(running), outside_scenario);
        }
    }
    return plans;
}

/// Awareness with the requested mean: uniform on [0, 2m] below one half, on [2m − 1, 1] above.
std::uint8_t draw_awareness(std::uint32_t word, double mean) {
    const double lo = mean <= 0.5 ? 0 : 2 * mean - 1;
    const double hi = mean <= 0.5 ? 2 * mean : 1;
    return static_cast<std::uint8_t>(std::lround(255 * (lo + (hi - lo) * CounterRng::unit(word))));
}

} // namespace

std::uint32_t agents_in_region(const Scenario& scenario, std::size_t scenario_region) {
    const double workers =
        static_cast<double>(scenario.employed_workers(scenario.regions[scenario_region]));
    return static_cast<std::uint32_t>(
        std::llround(workers / scenario.population.scale_workers_per_agent));
}

Population synthesise_population(const Scenario& s, std::uint32_t replicate) {
    const std::vector<RegionPlan> plans = plan_regions(s);
    const std::size_t total = plans.empty() ? 0 : plans.back().first_agent + plans.back().agents;
    const PopulationSpec& pop = s.population;
    const Behaviour& behaviour = s.behaviour;

    std::array<std::array<std::uint64_t, occupation_count>, segment_count> occupation_cdf;
    std::array<std::array<std::uint64_t, income_band_count>, segment_count> income_cdf;
    std::array<std::uint64_t, segment_count> fear_threshold;
    for (std::size_t g = 0; g < segment_count; ++g) {
        occupation_cdf[g] = cumulative_thresholds(pop.occupation_shares[g]);
        income_cdf[g] = cumulative_thresholds(pop.income_band_shares[g]);
        fear_threshold[g] = CounterRng::threshold(pop.fears_bansos_share[g]);
    }
    const auto age_cdf = cumulative_thresholds(pop.age_band_shares);
    const auto autodebit = CounterRng::threshold(behaviour.autodebit_share);
    const int oldest = std::max(age_band_first_year.back(), behaviour.exit_age_years - 1);

    Population out;
    out.region.resize(total);
    out.village.resize(total);
    out.registration_region.resize(total);
    out.covered_since.assign(total, 0);
    out.paid_until.assign(total, 0);
    out.traits.resize(total);
    out.age_years.resize(total);
    out.income_band.resize(total);
    out.awareness.resize(total);
    out.payer.resize(total);

    const CounterRng rng(s.run.seed, replicate);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, plans.size()), [&](const auto& regions) {
        for (std::size_t k = regions.begin(); k != regions.end(); ++k) {
            const RegionPlan& p = plans[k];
            tbb::parallel_for(
                tbb::blocked_range<std::uint32_t>(0, p.agents, 4096), [&](const auto& range) {
                    for (std::uint32_t j = range.begin(); j != range.end(); ++j) {
                        const std::uint32_t a = p.first_agent + j;
                        const std::size_t g = j < p.formal ? 0 : j < p.formal + p.informal ? 1 : 2;
                        const auto place = rng.words(a, 0, DrawPurpose::synthesis_place);
                        const auto trait = rng.words(a, 0, DrawPurpose::synthesis_traits);
                        const auto cover = rng.words(a, 0, DrawPurpose::synthesis_coverage);

                        out.region[a] = static_cast<std::uint16_t>(k);
                        out.village[a] = static_cast<std::uint16_t>(
                            (std::uint64_t{place[0]} * p.villages) >> 32);
                        std::uint16_t registered = static_cast<std::uint16_t>(k);
                        if (g == 0)
                            for (const auto& [threshold, to] : p.registration)
                                if (place[1] < threshold) {
                                    registered = to;
                                    break;
                                }
                        out.registration_region[a] = registered;

                        const auto occupation =
                            static_cast<Occupation>(pick(trait[0], occupation_cdf[g]));
                        const std::size_t band = pick(trait[1], age_cdf);
                        const int first = age_band_first_year[band];
                        const int last =
                            band + 1 < age_band_count ? age_band_first_year[band + 1] - 1 : oldest;
                        out.age_years[a] = static_cast<std::uint8_t>(
                            first + ((std::uint64_t{trait[2]} * (last - first + 1)) >> 32));
                        out.income_band[a] =
                            static_cast<std::uint8_t>(pick(trait[3], income_cdf[g]));

                        const bool fears = cover[0] < fear_threshold[g];
                        out.awareness[a] = draw_awareness(cover[1], pop.awareness_mean[g]);
                        Payer payer = Payer::none;
                        if (cover[2] < p.coverage[g])
                            payer = g == 0                 ? Payer::employer
                                    : cover[3] < autodebit ? Payer::self_autodebit
                                                           : Payer::self;
                        out.payer[a] = static_cast<std::uint8_t>(payer);
                        out.traits[a] = Population::pack_traits(static_cast<Segment>(g), occupation,
                                                                fears, payer != Payer::none);
                    }
                });
        }
    });
    return out;
}

} // namespace ulcsim
