#pragma once
// What the monthly pass over the agents counts, and how: a thread's tally (flows and the
// changes of the stocks), the state code an agent's stocks depend on, and the chunks of slots
// the per-agent phases run over.

#include "month_parameters.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/tally.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace ulcsim::detail {

// Agents are processed in chunks that never cross a region's block of slots. Inside a chunk
// each phase runs over every agent before the next phase starts, so that each phase is a
// named, separately timed loop while the chunk's columns and scratch stay in the core's cache
// (1024 agents measured faster than 512 or 2048 on the monthly step benchmark).
inline constexpr std::uint32_t chunk_size = 1024;

inline constexpr std::uint8_t payer_none = static_cast<std::uint8_t>(Payer::none);
inline constexpr std::uint8_t payer_employer = static_cast<std::uint8_t>(Payer::employer);
inline constexpr std::uint8_t payer_self = static_cast<std::uint8_t>(Payer::self);
inline constexpr std::uint8_t payer_self_autodebit =
    static_cast<std::uint8_t>(Payer::self_autodebit);
inline constexpr std::uint8_t programme_base = static_cast<std::uint8_t>(Payer::programme_base);

// The tally keeps counts; the money metrics become money when the month is recorded.
// Until then the jkm_paid_idr cell counts the JKM claims paid at the waiting-period amount,
// and the scholarships_idr cell the deaths whose children are granted a scholarship.
inline constexpr auto reduced_jkm_claims = SeriesMetric::jkm_paid_idr;
inline constexpr auto scholarship_deaths = SeriesMetric::scholarships_idr;

// What of an agent the stocks of the tally depend on: in the labour force, covered (paid for
// the month), segment, former programme member, registered participant, payer. Taken at the start
// of the month for the flows and compared at its end: an agent whose code did not change leaves
// every stock as it was, so the tally only visits the agents whose state changed (a few in a
// hundred).
using StateCode = std::uint16_t;
inline constexpr StateCode code_in_labour_force = 1;
inline constexpr StateCode code_covered = 2;
inline constexpr int code_segment_shift = 2;
inline constexpr StateCode code_former_member = 16;
inline constexpr StateCode code_registered = 32;
inline constexpr int code_payer_shift = 8;

// The stocks among the series: carried from month to month and changed by deltas. The other
// metrics are flows, counted afresh every month.
inline constexpr std::array<SeriesMetric, 9> stock_metrics{
    SeriesMetric::labour_force,      SeriesMetric::covered,
    SeriesMetric::covered_employer,  SeriesMetric::covered_self,
    SeriesMetric::covered_programme, SeriesMetric::covered_registered,
    SeriesMetric::in_arrears,        SeriesMetric::covered_former_members,
    SeriesMetric::registered};

inline std::uint8_t segment_of(std::uint8_t traits) {
    return AgentTraits{traits}.segment_bits();
}

inline std::size_t segment_in(StateCode code) {
    return (code >> code_segment_shift) & 0x3u;
}

/// Keeps at least the `capacity` smallest of the (unique) keys pushed. Keys below a cut-off
/// are appended; when the buffer holds 1.5 × capacity it is cut back to its `capacity`
/// smallest (nth_element), which lowers the cut-off. That is amortised O(1) per key, where
/// a heap costs O(log capacity) — a cache miss per level when a national programme keeps
/// millions of candidates.
struct SmallestKeys {
    std::vector<std::uint64_t> keys;
    std::size_t capacity = 0;
    std::uint64_t cutoff = 0; ///< no key at or above it can be among the smallest

    static std::size_t buffer_for(std::size_t k) { return k + k / 2 + 1; }

    void reset(std::size_t k) {
        keys.clear();
        capacity = k;
        cutoff = k > 0 ? std::numeric_limits<std::uint64_t>::max() : 0;
    }
    void push(std::uint64_t key) {
        if (key >= cutoff) return;
        keys.push_back(key);
        if (keys.size() >= buffer_for(capacity)) {
            const auto last = keys.begin() + static_cast<std::ptrdiff_t>(capacity) - 1;
            std::nth_element(keys.begin(), last, keys.end());
            cutoff = *last;
            keys.resize(capacity);
        }
    }
};

/// Where a count is in a tally: [region][segment][metric], and programme members by
/// [region][segment][programme].
struct TallyLayout {
    std::size_t programmes = 0;

    static std::size_t cell(std::size_t region, std::size_t segment, SeriesMetric m) {
        return (region * segment_count + segment) * series_metric_count +
               static_cast<std::size_t>(m);
    }
    std::size_t member_cell(std::size_t region, std::size_t segment, std::size_t programme) const {
        return (region * segment_count + segment) * programmes + programme;
    }
};

/// What one thread counts during the agent pass: the flows, and the changes of the stocks.
/// Integer counts, so the combination over threads is exact and independent of which thread
/// processed which chunk (the village counts are unsigned: their changes wrap around and
/// their sums are exact modulo 2³²).
struct ThreadTally {
    std::vector<std::int64_t> counts; ///< TallyLayout::cell
    std::vector<std::uint32_t> village_workers;
    std::vector<std::uint32_t> village_covered;
    std::vector<std::int64_t> members;  ///< per programme, covered by it
    std::vector<std::int64_t> left;     ///< per programme
    std::vector<std::int64_t> released; ///< per programme: left before the month was paid
    std::vector<std::int64_t> enrolled; ///< per programme: enrolled in the pass (no limits)
    std::vector<std::int64_t> programme_members; ///< TallyLayout::member_cell
    std::vector<SmallestKeys> candidates;        ///< per programme
    // Scratch of the chunk being processed: the workers offered programmes, those eligible
    // for one programme, and their draws for it.
    std::vector<std::uint32_t> offered;
    std::vector<std::uint32_t> eligible;
    std::vector<DrawWords> offer_words;
    std::array<double, PhaseTimes::count> seconds{};
    bool profiling = false;          ///< count agent-months and blocks
    std::uint64_t agent_months = 0;  ///< when profiling
    std::uint64_t philox_blocks = 0; ///< when profiling

    void size(std::size_t regions, std::size_t villages, std::size_t programmes) {
        counts.assign(regions * segment_count * series_metric_count, 0);
        village_workers.assign(villages, 0);
        village_covered.assign(villages, 0);
        members.assign(programmes, 0);
        left.assign(programmes, 0);
        released.assign(programmes, 0);
        enrolled.assign(programmes, 0);
        programme_members.assign(regions * segment_count * programmes, 0);
        candidates.resize(programmes);
        offered.resize(chunk_size);
        eligible.resize(chunk_size);
        offer_words.resize(chunk_size);
    }

    /// Zeroes the flows and keeps the stocks, for the tally that carries them from month to
    /// month.
    void clear_flows() {
        for (std::size_t i = 0; i < counts.size(); i += series_metric_count) {
            std::array<std::int64_t, stock_metrics.size()> kept{};
            for (std::size_t m = 0; m < stock_metrics.size(); ++m)
                kept[m] = counts[i + static_cast<std::size_t>(stock_metrics[m])];
            std::fill_n(counts.begin() + static_cast<std::ptrdiff_t>(i), series_metric_count, 0);
            for (std::size_t m = 0; m < stock_metrics.size(); ++m)
                counts[i + static_cast<std::size_t>(stock_metrics[m])] = kept[m];
        }
        std::fill(left.begin(), left.end(), 0);
        std::fill(released.begin(), released.end(), 0);
        std::fill(enrolled.begin(), enrolled.end(), 0);
    }

    void clear() {
        std::fill(counts.begin(), counts.end(), 0);
        std::fill(village_workers.begin(), village_workers.end(), 0);
        std::fill(village_covered.begin(), village_covered.end(), 0);
        std::fill(members.begin(), members.end(), 0);
        std::fill(left.begin(), left.end(), 0);
        std::fill(released.begin(), released.end(), 0);
        std::fill(enrolled.begin(), enrolled.end(), 0);
        std::fill(programme_members.begin(), programme_members.end(), 0);
    }

    /// Blocks drawn outside the draws phase, counted when profiling.
    void count_blocks(std::uint64_t n) {
        if (profiling) philox_blocks += n;
    }
};

/// The state code of a worker from the four bytes that decide it, covered if paid for month
/// `paid_from`. Without branches, so that a loop over a chunk of columns vectorises.
inline StateCode state_code_of(std::uint8_t traits, std::uint8_t income_band, std::uint8_t payer,
                               std::uint16_t paid_until, std::uint16_t paid_from) {
    const unsigned g = traits & AgentTraits::segment_mask;
    const unsigned covered = unsigned{payer != payer_none} & unsigned{paid_until >= paid_from};
    const unsigned registered = covered | unsigned{(traits & AgentTraits::ever_covered_bit) != 0} |
                                unsigned{(income_band & registered_before_bit) != 0};
    const unsigned former = (income_band & former_member_bit) != 0;
    const unsigned code = code_in_labour_force | covered << 1 | g << code_segment_shift |
                          former << 4 | registered << 5 | unsigned{payer} << code_payer_shift;
    static_assert(code_covered == 1u << 1 && code_former_member == 1u << 4 &&
                  code_registered == 1u << 5);
    return static_cast<StateCode>(g == no_worker ? 0u : code);
}

/// The state code of agent a, covered if paid for month `paid_from` (in month-column units).
inline StateCode state_code(const Population& pop, std::uint32_t a, std::uint16_t paid_from) {
    return state_code_of(pop.traits[a], pop.income_band[a], pop.payer[a], pop.paid_until[a],
                         paid_from);
}

/// Adds (sign 1) or removes (sign −1) agent a of region k in state `code` to or from the
/// stocks of tt.
inline void add_stocks(const Population& pop, const MonthParameters& month,
                       const TallyLayout& layout, StateCode code, int sign, std::size_t k,
                       std::uint32_t a, ThreadTally& tt) {
    if (!(code & code_in_labour_force)) return;
    const std::size_t g = segment_in(code);
    const auto p = static_cast<std::uint8_t>(code >> code_payer_shift);
    const std::size_t v = month.village_first[k] + pop.village[a];
    const auto wrap = static_cast<std::uint32_t>(sign);
    const auto cell = &TallyLayout::cell;
    tt.counts[cell(k, g, SeriesMetric::labour_force)] += sign;
    tt.village_workers[v] += wrap;
    if (code & code_registered) tt.counts[cell(k, g, SeriesMetric::registered)] += sign;
    if (code & code_covered) {
        tt.village_covered[v] += wrap;
        tt.counts[cell(k, g, SeriesMetric::covered)] += sign;
        std::size_t registered = k;
        if (p == payer_employer) {
            tt.counts[cell(k, g, SeriesMetric::covered_employer)] += sign;
            registered = pop.registration_region[a];
        } else if (p >= programme_base) {
            tt.counts[cell(k, g, SeriesMetric::covered_programme)] += sign;
            tt.members[p - programme_base] += sign;
            tt.programme_members[layout.member_cell(k, g, p - programme_base)] += sign;
        } else {
            tt.counts[cell(k, g, SeriesMetric::covered_self)] += sign;
        }
        if (p < programme_base && (code & code_former_member))
            tt.counts[cell(k, g, SeriesMetric::covered_former_members)] += sign;
        if (registered != outside_scenario)
            tt.counts[cell(registered, g, SeriesMetric::covered_registered)] += sign;
    } else if (p != payer_none) {
        tt.counts[cell(k, g, SeriesMetric::in_arrears)] += sign;
    }
}

} // namespace ulcsim::detail
