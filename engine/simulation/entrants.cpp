#include "entrants.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace ulcsim::detail {

// Eight slots per step.
std::uint32_t next_free_slot(const Population& pop, std::uint32_t from, std::uint32_t end) {
    static_assert(std::endian::native == std::endian::little);
    const std::uint8_t* traits = pop.traits.data();
    std::uint32_t a = from;
    for (; a + 8 <= end; a += 8) {
        std::uint64_t x;
        std::memcpy(&x, traits + a, sizeof x);
        const std::uint64_t free = AgentTraits::free_lanes(x);
        if (free != 0) return a + static_cast<std::uint32_t>(std::countr_zero(free)) / 8;
    }
    for (; a < end; ++a)
        if (segment_of(traits[a]) == no_worker) return a;
    return end;
}

std::vector<std::uint32_t> count_free_slots(const Population& pop,
                                            std::span<const std::uint8_t> owned) {
    std::vector<std::uint32_t> free_slots(pop.region_slots.size(), 0);
    for (std::size_t k = 0; k < pop.region_slots.size(); ++k) {
        if (!owned[k]) continue;
        const RegionSlots& r = pop.region_slots[k];
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
            free_slots[k] += segment_of(pop.traits[a]) == no_worker;
    }
    return free_slots;
}

namespace {

// After this month's leavers, before its entrants.
std::int64_t labour_force_now(const ThreadTally& totals, std::size_t k) {
    std::int64_t n = 0;
    for (std::size_t g = 0; g < segment_count; ++g)
        n += totals.counts[TallyLayout::cell(k, g, SeriesMetric::labour_force)];
    return n;
}

} // namespace

// New workers join at the end of the month, uncovered: entry_rate × last month's labour
// force, rounded up or down at random. They take the slots of workers who left, lowest
// first, before the region's reserved slots, so that the memory a run touches follows
// its labour force rather than everyone who ever entered.
void enter_new_workers(int t, double entry_rate, std::span<const double> target,
                       const CounterRng& rng, const WorkerSynthesis& synthesis,
                       const MonthParameters& month, std::span<const std::int64_t> labour_force,
                       std::span<const std::uint8_t> owned, std::span<ThreadTally> threads,
                       std::vector<std::uint32_t>& free_slots, Population& pop,
                       ThreadTally& totals) {
    const auto m = static_cast<std::uint32_t>(t);
    const double rate = entry_rate;
    for (std::size_t k = 0; k < labour_force.size(); ++k)
        for (std::size_t g = 0; g < segment_count; ++g)
            free_slots[k] += static_cast<std::uint32_t>(
                totals.counts[TallyLayout::cell(k, g, SeriesMetric::deaths)] +
                totals.counts[TallyLayout::cell(k, g, SeriesMetric::aged_out)]);
    if (target.empty() && rate <= 0) return;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, pop.region_slots.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t k = range.begin(); k != range.end(); ++k) {
                if (!owned[k]) continue;
                RegionSlots& r = pop.region_slots[k];
                const double expected =
                    target.empty()
                        ? rate * static_cast<double>(labour_force[k])
                        : std::max(0.0,
                                   target[k] - static_cast<double>(labour_force_now(totals, k)));
                const auto u = rng.words(r.first, m, DrawPurpose::entry, 3)[0];
                auto n = static_cast<std::uint32_t>(expected + CounterRng::unit(u));
                n = std::min(n, free_slots[k] + (r.capacity - r.used));
                threads[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())]
                    .count_blocks(1 + 3 * std::uint64_t{n});
                const auto enter = [&](std::uint32_t a) {
                    synthesis.entrant(pop, rng, a, k, t);
                    const std::size_t g = segment_of(pop.traits[a]);
                    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::labour_force)];
                    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::entrants)];
                    ++totals.village_workers[month.village_first[k] + pop.village[a]];
                };
                const std::uint32_t reused = std::min(n, free_slots[k]);
                std::uint32_t a = r.first;
                for (std::uint32_t i = 0; i < reused; ++i, ++a) {
                    a = next_free_slot(pop, a, r.first + r.used);
                    enter(a);
                }
                free_slots[k] -= reused;
                for (std::uint32_t i = reused; i < n; ++i)
                    enter(r.first + r.used++);
            }
        });
}

} // namespace ulcsim::detail
