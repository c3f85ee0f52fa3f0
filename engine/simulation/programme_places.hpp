#pragma once
// The funding programmes' places over a month: which programmes recruit and how many
// candidates each thread keeps (the calendar), members renewed into a window that opens now,
// and the allocation of limited places to the accepting candidates with the smallest keys
// after the agent pass.

#include "agent_phases.hpp"
#include "agent_tally.hpp"
#include "month_parameters.hpp"
#include "programme_book.hpp"
#include "region_exchange.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/scenario.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ulcsim::detail {

class ProgrammePlaces {
public:
    /// Which regions each programme recruits in and how many candidates it may need, from
    /// the slots of those regions. The exchange (which must outlive this) says which regions
    /// this process simulates, and couples them with the others'.
    ProgrammePlaces(const Scenario& s, const Population& pop, const CounterRng& rng,
                    RegionExchange& exchange);

    /// The most candidates programme j can ever keep in one month.
    std::size_t candidate_capacity(std::size_t j) const {
        return static_cast<std::size_t>(candidate_capacity_[j]);
    }

    /// Room to merge the candidates of `threads` threads without allocating in the month.
    void reserve(std::size_t threads);

    /// The calendar of the programmes (after book.begin_month and the month's parameters):
    /// window ends, renewal into a window opening now, who recruits and how many candidates
    /// each thread keeps.
    void open_month(const MonthParameters& month, int offset, ProgrammeBook& book, Population& pop,
                    std::span<ThreadTally> threads);

    /// Empties the threads' candidate lists, each keeping as many as its programme needs.
    void reset_candidates(std::span<ThreadTally> threads) const;

    /// What the coverage phase needs of the programmes this month.
    ProgrammeOffers offers(std::span<const std::uint16_t> desa) const;

    /// After the agent pass: programmes with limited places take the accepting candidates
    /// with the smallest keys, in the order the scenario lists them.
    void allocate(const MonthParameters& month, const TallyLayout& layout, ProgrammeBook& book,
                  Population& pop, std::span<ThreadTally> threads, ThreadTally& totals);

    /// Members at the end of last month, by programme.
    std::vector<std::int64_t>& members() { return members_; }
    const std::vector<std::int64_t>& members() const { return members_; }
    /// This month's allocated and renewed members, by programme.
    const std::vector<std::int64_t>& allocated() const { return allocated_; }
    const std::vector<std::int64_t>& renewed() const { return renewed_; }

private:
    void renew_members(std::size_t j, const MonthParameters& month, ProgrammeBook& book,
                       Population& pop, std::span<ThreadTally> threads);
    void merge_candidates(std::size_t j, std::span<ThreadTally> threads);
    void merge_in_order(std::size_t n);
    std::int64_t sum_over_exchange(std::int64_t value);
    void keep_smallest(std::size_t n);
    std::int64_t renew_smallest(std::size_t j, std::int64_t places, Population& pop,
                                std::span<ThreadTally> threads);
    void take_place(const MonthParameters& month, const TallyLayout& layout, Population& pop,
                    ThreadTally& totals, std::uint32_t a, std::size_t j, std::size_t k) const;
    void add_passed_over(const std::vector<std::uint64_t>& slots, const Population& pop);
    std::optional<std::int64_t> village_places(std::size_t j, const MonthParameters& month,
                                               const Population& pop);
    std::size_t village_of(std::uint32_t a, std::size_t k, const MonthParameters& month) const;

    const Scenario& s_;
    const CounterRng& rng_;
    RegionExchange& exchange_;
    std::span<const std::uint8_t> owned_;

    std::vector<std::vector<std::uint16_t>> region_programmes_; ///< by scenario region
    std::vector<std::vector<std::size_t>> programme_regions_;
    std::vector<std::int64_t> candidate_capacity_;
    std::vector<std::uint8_t> recruiting_;
    std::vector<std::uint8_t> unlimited_;      ///< enrols without limits this month
    std::vector<std::int64_t> most_;           ///< places that may open this month, by programme
    std::vector<std::uint8_t> shares_regions_; ///< [i][j]: programmes i and j share a region
    std::vector<std::size_t> keep_;
    std::vector<std::uint16_t> window_end_; ///< paid_until of members joining now
    std::vector<std::int64_t> members_;     ///< at the end of last month
    std::vector<std::int64_t> allocated_;
    std::vector<std::int64_t> renewed_;

    std::vector<std::uint64_t> merge_;
    std::size_t merge_ordered_ = 0;          ///< merge_[0, merge_ordered_) is in key order
    std::vector<std::uint64_t> slots_;       ///< slots to exchange
    std::vector<std::uint32_t> passed_over_; ///< sorted: no later programme takes them now
    /// A programme with a cap per village: its members by village (over all regions), and
    /// slot << 16 | village of its candidates, sorted.
    std::vector<std::int64_t> village_members_;
    std::vector<std::uint64_t> candidate_villages_;
};

} // namespace ulcsim::detail
