#include "programme_places.hpp"

#include "ulcsim/agent_scale.hpp"

#include <algorithm>
#include <array>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace ulcsim::detail {

namespace {

ThreadTally& this_thread(std::span<ThreadTally> threads) {
    return threads[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())];
}

} // namespace

ProgrammePlaces::ProgrammePlaces(const Scenario& s, const Population& pop, const CounterRng& rng,
                                 RegionExchange& exchange)
    : s_(s), rng_(rng), exchange_(exchange), owned_(exchange.owned()) {
    const std::size_t programmes = s_.programmes.size();
    region_programmes_.assign(s_.regions.size(), {});
    programme_regions_.assign(programmes, {});
    candidate_capacity_.assign(programmes, 0);
    for (std::size_t j = 0; j < programmes; ++j) {
        std::int64_t slots = 0;
        for (std::size_t r : s_.programmes[j].regions) {
            const auto k = static_cast<std::size_t>(
                std::lower_bound(s_.regions.begin(), s_.regions.end(), r) - s_.regions.begin());
            region_programmes_[k].push_back(static_cast<std::uint16_t>(j));
            programme_regions_[j].push_back(k);
            slots += pop.region_slots[k].capacity;
        }
        candidate_capacity_[j] = monthly_enrolment_bound(s_, j, slots);
    }
    // An earlier programme may take some of a later one's best candidates in the same
    // month, so a later programme keeps that many more — but only one that recruits in
    // some of the same regions can.
    shares_regions_.assign(programmes * programmes, 0);
    for (std::size_t i = 0; i < programmes; ++i)
        for (std::size_t j = 0; j < programmes; ++j)
            for (std::size_t k : programme_regions_[i])
                if (std::find(programme_regions_[j].begin(), programme_regions_[j].end(), k) !=
                    programme_regions_[j].end())
                    shares_regions_[i * programmes + j] = 1;
    for (std::size_t j = programmes; j-- > 0;)
        for (std::size_t i = 0; i < j; ++i)
            if (shares_regions_[i * programmes + j])
                candidate_capacity_[j] += candidate_capacity_[i];
    members_.assign(programmes, 0);
    recruiting_.assign(programmes, 0);
    most_.assign(programmes, 0);
    keep_.assign(programmes, 0);
    window_end_.assign(programmes, 0);
    unlimited_.assign(programmes, 0);
    allocated_.assign(programmes, 0);
    renewed_.assign(programmes, 0);
}

void ProgrammePlaces::reserve(std::size_t threads) {
    std::size_t merged = 0;
    for (std::size_t j = 0; j < s_.programmes.size(); ++j)
        merged = std::max(merged, static_cast<std::size_t>(candidate_capacity_[j]));
    merge_.reserve(SmallestKeys::buffer_for(merged) * threads);
}

void ProgrammePlaces::open_month(const MonthParameters& month, int offset, ProgrammeBook& book,
                                 Population& pop, std::span<ThreadTally> threads) {
    std::fill(renewed_.begin(), renewed_.end(), 0);
    for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
        // New members are paid to the end of the window, or for months of their own.
        const auto per_member = s_.programmes[j].months_per_member;
        if (book.window(j) < 0)
            window_end_[j] = 0;
        else if (per_member)
            window_end_[j] = static_cast<std::uint16_t>(month.now + *per_member - 1);
        else
            window_end_[j] = static_cast<std::uint16_t>(book.window_end(j) + offset + month_origin);
        if (book.renews_now(j)) renew_members(j, month, book, pop, threads);
    }
    const std::size_t programmes = s_.programmes.size();
    for (std::size_t j = 0; j < programmes; ++j) {
        // Members who leave this month free their places and their budget: last month's
        // members (renewed ones among them) bound how many may leave.
        most_[j] = book.most_places(j, members_[j]);
        recruiting_[j] = book.window(j) >= 0 && (book.unlimited_enrolment(j) || most_[j] > 0);
        if (!recruiting_[j] || book.unlimited_enrolment(j)) continue;
        // Full villages are passed over however many places are open: keep every candidate.
        const std::int64_t capacity = candidate_capacity_[j];
        if (s_.programmes[j].quota_per_village) {
            keep_[j] = static_cast<std::size_t>(capacity);
            continue;
        }
        // Each term at most the capacity, so that a programme whose places are unlimited
        // (a budget at a premium of 0, a cap per village) cannot overflow the sum.
        std::int64_t earlier = 0;
        for (std::size_t i = 0; i < j; ++i)
            if (shares_regions_[i * programmes + j] && recruiting_[i] &&
                !book.unlimited_enrolment(i))
                earlier = std::min(capacity, earlier + std::min(most_[i], capacity));
        keep_[j] =
            static_cast<std::size_t>(std::min(capacity, std::min(most_[j], capacity) + earlier));
    }
    for (std::size_t j = 0; j < programmes; ++j)
        unlimited_[j] = book.unlimited_enrolment(j);
}

void ProgrammePlaces::reset_candidates(std::span<ThreadTally> threads) const {
    for (ThreadTally& tt : threads)
        for (std::size_t j = 0; j < s_.programmes.size(); ++j)
            tt.candidates[j].reset(recruiting_[j] ? keep_[j] : 0);
}

ProgrammeOffers ProgrammePlaces::offers(std::span<const std::uint16_t> desa) const {
    return {s_.programmes, region_programmes_, recruiting_, unlimited_, window_end_, desa};
}

/// Members whose window ended last month move into the window opening now, as far as
/// the quota and the budget allow; the others meet the end of their subsidy this month.
void ProgrammePlaces::renew_members(std::size_t j, const MonthParameters& month,
                                    ProgrammeBook& book, Population& pop,
                                    std::span<ThreadTally> threads) {
    const auto member = static_cast<std::uint8_t>(programme_base + j);
    const auto ended = static_cast<std::uint16_t>(month.now - 1);
    const std::int64_t places = book.renewal_places(j);
    const bool everyone = members_[j] <= places;
    for (ThreadTally& tt : threads)
        tt.candidates[j].reset(everyone ? 0 : static_cast<std::size_t>(places));
    const auto t = static_cast<std::uint32_t>(month.t);
    std::int64_t renewed = 0;
    for (std::size_t k : programme_regions_[j]) {
        if (!owned_[k]) continue;
        const RegionSlots r = pop.region_slots[k];
        if (everyone) {
            for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
                if (pop.payer[a] == member && pop.paid_until[a] == ended) {
                    pop.paid_until[a] = window_end_[j];
                    ++renewed;
                }
            continue;
        }
        tbb::parallel_for(
            tbb::blocked_range<std::uint32_t>(r.first, r.first + r.used, 4096),
            [&](const tbb::blocked_range<std::uint32_t>& range) {
                ThreadTally& tt = this_thread(threads);
                SmallestKeys& keys = tt.candidates[j];
                for (std::uint32_t a = range.begin(); a != range.end(); ++a)
                    if (pop.payer[a] == member && pop.paid_until[a] == ended) {
                        tt.count_blocks(1);
                        keys.push(std::uint64_t{rng_.words(a, t, DrawPurpose::programme_renewal,
                                                           static_cast<std::uint32_t>(j))[0]}
                                      << 32 |
                                  a);
                    }
            });
    }
    renewed = everyone ? sum_over_exchange(renewed) : renew_smallest(j, places, pop, threads);
    book.enrol(j, renewed, true);
    renewed_[j] = renewed;
}

/// Gathers the threads' candidates for programme j; the first `usable` of them in key
/// order are the smallest of all, whichever thread kept which (merge_in_order).
void ProgrammePlaces::merge_candidates(std::size_t j, std::span<ThreadTally> threads) {
    merge_.clear();
    merge_ordered_ = 0;
    for (ThreadTally& tt : threads)
        merge_.insert(merge_.end(), tt.candidates[j].keys.begin(), tt.candidates[j].keys.end());
}

/// Puts the merged candidates [0, n) in key order, extending the ordered prefix: only as
/// many as the places to fill are sorted, not every candidate kept. Keys are unique (they
/// end in the agent's slot), so the order does not depend on the threads.
void ProgrammePlaces::merge_in_order(std::size_t n) {
    n = std::min(n, merge_.size());
    if (n <= merge_ordered_) return;
    const auto from = merge_.begin() + static_cast<std::ptrdiff_t>(merge_ordered_);
    const auto to = merge_.begin() + static_cast<std::ptrdiff_t>(n);
    if (to != merge_.end()) std::nth_element(from, to - 1, merge_.end());
    std::sort(from, to);
    merge_ordered_ = n;
}

// ---- what couples the regions of the members of the exchange -----------------------
//
// Every member makes the same collective calls in the same order: the programme book, the
// windows and the places are the same on every member, so are the decisions to call.

std::int64_t ProgrammePlaces::sum_over_exchange(std::int64_t value) {
    std::array<std::int64_t, 1> v{value};
    exchange_.sum(v);
    return v[0];
}

/// Cuts merge_ (this member's threads' candidates) to its `n` smallest, in no order. They
/// hold all of this member's keys among the n smallest of every member's, so the first n of
/// every member's cut lists, merged, are in key order those of one process.
void ProgrammePlaces::keep_smallest(std::size_t n) {
    if (merge_.size() <= n) return;
    std::nth_element(merge_.begin(), merge_.begin() + static_cast<std::ptrdiff_t>(n), merge_.end());
    merge_.resize(n);
}

/// Renewal when not every member can be renewed: the `places` members with the smallest
/// keys over the exchange; a process renews those of its regions. Returns the members
/// renewed in all.
std::int64_t ProgrammePlaces::renew_smallest(std::size_t j, std::int64_t places, Population& pop,
                                             std::span<ThreadTally> threads) {
    const auto n = static_cast<std::size_t>(places);
    merge_candidates(j, threads);
    keep_smallest(n);
    exchange_.gather(merge_);
    merge_ordered_ = 0;
    merge_in_order(n);
    std::int64_t renewed = 0;
    for (std::size_t i = 0; i < merge_.size() && renewed < places; ++i) {
        const auto a = static_cast<std::uint32_t>(merge_[i]);
        if (owned_[pop.region_of(a)]) pop.paid_until[a] = window_end_[j];
        ++renewed;
    }
    return renewed;
}

/// Worker a, of region k, takes a place of programme j in the allocation: he joins it,
/// and the stocks move with him.
void ProgrammePlaces::take_place(const MonthParameters& month, const TallyLayout& layout,
                                 Population& pop, ThreadTally& totals, std::uint32_t a,
                                 std::size_t j, std::size_t k) const {
    const std::uint8_t p = pop.payer[a];
    const std::size_t g = segment_of(pop.traits[a]);
    if (p != payer_none && p < programme_base)
        --totals.counts[TallyLayout::cell(k, g, SeriesMetric::in_arrears)];
    if (!pop.registered(a)) ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::registered)];
    join_programme(pop, a, j, window_end_[j], month.now);
    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::covered)];
    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::covered_programme)];
    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::covered_registered)];
    ++totals.counts[TallyLayout::cell(k, g, SeriesMetric::enrolled)];
    ++totals.programme_members[layout.member_cell(k, g, j)];
    ++totals.village_covered[month.village_first[k] + pop.village[a]];
}

/// Programmes with limited places take the accepting candidates with the smallest keys,
/// in the order the scenario lists them; a worker taken by an earlier programme is
/// skipped by the later ones. Every member of the exchange merges the candidates of all
/// and runs the same loop over them, so that the programmes take the workers one process
/// takes and count them on every member; only the member that owns a worker's region
/// enrols him and counts him by region. A candidate is passed over if he is a member or
/// employer-paid: the owner sees that in his columns, the others in passed_over_ (his
/// state when the programme's allocation started, and the workers taken since, the only
/// changes the allocation makes).
void ProgrammePlaces::allocate(const MonthParameters& month, const TallyLayout& layout,
                               ProgrammeBook& book, Population& pop, std::span<ThreadTally> threads,
                               ThreadTally& totals) {
    std::fill(allocated_.begin(), allocated_.end(), 0);
    passed_over_.clear();
    const auto taken_already = [&](std::uint32_t a) {
        const std::uint8_t p = pop.payer[a];
        return p >= programme_base || p == payer_employer;
    };
    for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
        if (!recruiting_[j] || book.unlimited_enrolment(j)) continue;
        const std::int64_t places = book.open_places(j, totals.members[j]);
        if (places <= 0) continue;
        merge_candidates(j, threads);
        // Each thread (and member) kept its keep_[j] smallest keys, so the first keep_[j]
        // of the merged list are the smallest of all candidates whichever thread or member
        // saw whom; beyond them the list would depend on the threads.
        keep_smallest(keep_[j]);
        slots_.clear();
        for (const std::uint64_t key : merge_)
            if (taken_already(static_cast<std::uint32_t>(key))) slots_.push_back(key);
        const std::optional<std::int64_t> village_cap = village_places(j, month, pop);
        exchange_.gather(merge_);
        merge_ordered_ = 0;
        exchange_.gather(slots_);
        add_passed_over(slots_, pop);
        const std::size_t usable = std::min(merge_.size(), keep_[j]);
        std::int64_t taken = 0;
        slots_.clear();
        for (std::size_t c = 0; c < usable && taken < places; ++c) {
            // Some candidates were taken by earlier programmes: order more as needed.
            if (c == merge_ordered_)
                merge_in_order(c + static_cast<std::size_t>(places - taken) + c / 4 + 64);
            const auto a = static_cast<std::uint32_t>(merge_[c]);
            const std::size_t k = pop.region_of(a);
            if (owned_[k] ? taken_already(a)
                          : std::binary_search(passed_over_.begin(), passed_over_.end(), a))
                continue;
            if (village_cap) {
                // Passed over here, but a later programme may still take him.
                std::int64_t& in_village = village_members_[village_of(a, k, month)];
                if (in_village >= *village_cap) continue;
                ++in_village;
            }
            ++taken;
            if (owned_[k])
                take_place(month, layout, pop, totals, a, j, k);
            else
                slots_.push_back(a);
        }
        add_passed_over(slots_, pop);
        book.enrol(j, taken, false);
        totals.members[j] += taken;
        allocated_[j] = taken;
    }
}

/// For a programme with a cap per village: the cap in agents, and its members by village
/// (village_members_, summed over the exchange) with the villages of the candidates every
/// member kept (candidate_villages_, gathered), since a member does not know the villages of
/// another's regions. Collective when the programme has a cap; nothing otherwise.
std::optional<std::int64_t> ProgrammePlaces::village_places(std::size_t j,
                                                            const MonthParameters& month,
                                                            const Population& pop) {
    const auto cap = s_.programmes[j].quota_per_village;
    if (!cap) return std::nullopt;
    candidate_villages_.clear();
    for (const std::uint64_t key : merge_) {
        const auto a = static_cast<std::uint32_t>(key);
        candidate_villages_.push_back(std::uint64_t{a} << 16 | pop.village[a]);
    }
    exchange_.gather(candidate_villages_);
    std::sort(candidate_villages_.begin(), candidate_villages_.end());
    // Counted from the columns each month: members leave in the agent pass (death, an
    // employer, dropping out) without the allocation seeing where they lived.
    village_members_.assign(month.village_first.back(), 0);
    const auto member = static_cast<std::uint8_t>(programme_base + j);
    for (std::size_t k : programme_regions_[j]) {
        if (!owned_[k]) continue;
        const RegionSlots r = pop.region_slots[k];
        for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
            if (pop.payer[a] == member) ++village_members_[month.village_first[k] + pop.village[a]];
    }
    exchange_.sum(std::span<std::int64_t>(village_members_));
    return AgentScale(s_.population.scale_workers_per_agent).agents_within(*cap);
}

/// The village (index over all regions) of candidate a of region k, from candidate_villages_.
std::size_t ProgrammePlaces::village_of(std::uint32_t a, std::size_t k,
                                        const MonthParameters& month) const {
    const auto it = std::lower_bound(candidate_villages_.begin(), candidate_villages_.end(),
                                     std::uint64_t{a} << 16);
    return month.village_first[k] + static_cast<std::size_t>(*it & 0xFFFFu);
}

/// Adds the slots of other members' regions to the sorted list of candidates no later
/// programme may take this month (those of this member's regions show it in the columns).
void ProgrammePlaces::add_passed_over(const std::vector<std::uint64_t>& slots,
                                      const Population& pop) {
    const auto middle = static_cast<std::ptrdiff_t>(passed_over_.size());
    for (const std::uint64_t slot : slots) {
        const auto a = static_cast<std::uint32_t>(slot);
        if (!owned_[pop.region_of(a)]) passed_over_.push_back(a);
    }
    std::sort(passed_over_.begin() + middle, passed_over_.end());
    std::inplace_merge(passed_over_.begin(), passed_over_.begin() + middle, passed_over_.end());
}

} // namespace ulcsim::detail
