#include "ulcsim/simulation.hpp"

#include "month_parameters.hpp"
#include "programme_book.hpp"
#include "ulcsim/agent_scale.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "worker_synthesis.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace ulcsim {

namespace {

using detail::MonthParameters;
using detail::ProgrammeBook;

// Agents are processed in chunks that never cross a region's block of slots. Inside a chunk
// each phase runs over every agent before the next phase starts, so that each phase is a
// named, separately timed loop while the chunk's columns and scratch stay in the core's cache
// (1024 agents measured faster than 512 or 2048 on the monthly step benchmark).
constexpr std::uint32_t chunk_size = 1024;

constexpr std::uint8_t payer_none = static_cast<std::uint8_t>(Payer::none);
constexpr std::uint8_t payer_employer = static_cast<std::uint8_t>(Payer::employer);
constexpr std::uint8_t payer_self = static_cast<std::uint8_t>(Payer::self);
constexpr std::uint8_t payer_self_autodebit = static_cast<std::uint8_t>(Payer::self_autodebit);
constexpr std::uint8_t programme_base = static_cast<std::uint8_t>(Payer::programme_base);

enum Phase : std::size_t {
    phase_synthesis,
    phase_calendar,
    phase_draws,
    phase_demography,
    phase_accidents,
    phase_coverage,
    phase_allocation,
    phase_awareness,
    phase_tally,
};

// The tally keeps counts; the two money metrics become money when the month is recorded.
// Until then the jkm_paid_idr cell counts the JKM claims paid at the waiting-period amount.
constexpr auto reduced_jkm_claims = SeriesMetric::jkm_paid_idr;

// What of an agent the stocks of the tally depend on: in the labour force, covered (paid for
// the month), segment, former programme member, payer. Taken at the start of the month for
// the flows and compared at its end: an agent whose code did not change leaves every stock
// as it was, so the tally only visits the agents whose state changed (a few in a hundred).
using StateCode = std::uint16_t;
constexpr StateCode code_in_labour_force = 1;
constexpr StateCode code_covered = 2;
constexpr int code_segment_shift = 2;
constexpr StateCode code_former_member = 16;
constexpr int code_payer_shift = 8;

// The stocks among the series: carried from month to month and changed by deltas. The other
// metrics are flows, counted afresh every month.
constexpr std::array<SeriesMetric, 8> stock_metrics{
    SeriesMetric::labour_force,      SeriesMetric::covered,
    SeriesMetric::covered_employer,  SeriesMetric::covered_self,
    SeriesMetric::covered_programme, SeriesMetric::covered_registered,
    SeriesMetric::in_arrears,        SeriesMetric::covered_former_members};

std::uint8_t segment_of(std::uint8_t traits) {
    return AgentTraits{traits}.segment_bits();
}

std::size_t segment_in(StateCode code) {
    return (code >> code_segment_shift) & 0x3u;
}
constexpr std::uint8_t ever_covered_bit = AgentTraits::ever_covered_bit;
constexpr std::uint8_t fears_bit = AgentTraits::fears_bit;

constexpr const char* checkpoints_not_split =
    "checkpoints are not supported for a replicate split by region";

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

/// What one thread counts during the agent pass: the flows, and the changes of the stocks.
/// Integer counts, so the combination over threads is exact and independent of which thread
/// processed which chunk (the village counts are unsigned: their changes wrap around and
/// their sums are exact modulo 2³²).
struct ThreadTally {
    std::vector<std::int64_t> counts; ///< [region][segment][metric]
    std::vector<std::uint32_t> village_workers;
    std::vector<std::uint32_t> village_covered;
    std::vector<std::int64_t> members;  ///< per programme, covered by it
    std::vector<std::int64_t> left;     ///< per programme
    std::vector<std::int64_t> released; ///< per programme: left before the month was paid
    std::vector<std::int64_t> enrolled; ///< per programme: enrolled in the pass (no limits)
    std::vector<std::int64_t> programme_members; ///< [region][segment][programme]
    std::vector<SmallestKeys> candidates;        ///< per programme
    // Scratch of the chunk being processed: the workers offered programmes, those eligible
    // for one programme, and their draws for it.
    std::vector<std::uint32_t> offered;
    std::vector<std::uint32_t> eligible;
    std::vector<DrawWords> offer_words;
    std::array<double, PhaseTimes::count> seconds{};
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
};

/// Slots [begin, end) of one region's block.
struct Chunk {
    std::uint32_t begin;
    std::uint32_t end;
    std::size_t region;
};

} // namespace

class ReplicateSimulation::Impl {
public:
    Impl(const Scenario& s, std::uint32_t replicate, const SimulationOptions& options)
        : s_(s), options_(options), rng_(s.run.seed, replicate), synthesis_(s), book_(s),
          result_(static_cast<std::size_t>(s.run.months), s.regions.size(), s.programmes.size()),
          replicate_(replicate), cluster_(options.cluster) {
        set_up_ranks();
        const auto started = Clock::now();
        // Split by region, this rank synthesises only its own regions' agents: the other
        // regions' slots are never written, so they cost no memory.
        pop_ = synthesise_population(s, replicate, s.run.months,
                                     cluster_ ? std::span<const int>(options_.region_ranks)
                                              : std::span<const int>{},
                                     cluster_ ? cluster_->rank() : 0);
        result_.phase_times.seconds[phase_synthesis] += seconds_since(started);
        params_ = detail::make_month_parameters(s, synthesis_.plans());
        for (const detail::RegionPlan& plan : synthesis_.plans())
            desa_.push_back(plan.desa);
        set_up_programmes();
        set_up_tallies();
        tally_stocks();
        count_free_slots();
    }

    /// Continues from a checkpoint: the agents, the programmes' members and commitments come
    /// from the state, the stocks of the tally are counted from the agents; month t of this
    /// run is month offset_ + t of the draws and of the population's month columns.
    Impl(const Scenario& s, ReplicateState&& state, const SimulationOptions& options)
        : s_(s), options_(options), rng_(state.seed, state.replicate), synthesis_(s), book_(s),
          result_(static_cast<std::size_t>(s.run.months), s.regions.size(), s.programmes.size()),
          replicate_(state.replicate), cluster_(options.cluster) {
        if (cluster_) throw std::invalid_argument(checkpoints_not_split);
        set_up_ranks();
        check_state(state);
        offset_ = state.months_since_origin();
        pop_ = std::move(state.population);
        // Programmes by name: the state's programme j is this scenario's to[j].
        std::vector<std::uint8_t> to(state.programme_names.size(), payer_none);
        for (std::size_t j = 0; j < state.programme_names.size(); ++j)
            for (std::size_t i = 0; i < s.programmes.size(); ++i)
                if (s.programmes[i].name == state.programme_names[j])
                    to[j] = static_cast<std::uint8_t>(programme_base + i);
        for (const RegionSlots& r : pop_.region_slots)
            for (std::uint32_t a = r.first; a < r.first + r.used; ++a) {
                std::uint8_t& p = pop_.payer[a];
                if (p < programme_base) continue;
                const std::size_t j = p - programme_base;
                if (j >= to.size() || to[j] == payer_none)
                    throw InputError(
                        Diagnostic{{"checkpoint", 0, 0, false},
                                   "programme",
                                   "an agent is a member of programme " +
                                       (j < to.size() ? "'" + state.programme_names[j] + "'"
                                                      : std::to_string(j)) +
                                       ", which the scenario does not have"});
                p = to[j];
            }
        params_ = detail::make_month_parameters(s, synthesis_.plans());
        for (const detail::RegionPlan& plan : synthesis_.plans())
            desa_.push_back(plan.desa);
        set_up_programmes();
        set_up_tallies();
        // The stocks from the agents; the state's village counts and labour force are the
        // same numbers.
        tally_stocks();
        count_free_slots();
        book_.continue_from_previous_month();
        for (std::size_t j = 0; j < state.programme_names.size(); ++j) {
            if (to[j] == payer_none) continue;
            const std::size_t i = to[j] - programme_base;
            members_[i] = state.programme_members[j];
            book_.restore_commitments(i, state.commitment_first_year, state.committed_idr[j]);
        }
    }

    int months_done() const { return months_done_; }

    void step() {
        month(months_done_);
        ++months_done_;
        if (options_.on_month) options_.on_month(months_done_);
    }

    /// The state after months_done_ months, but for the agents.
    ReplicateState state_without_agents() const {
        // A rank holds only its regions' agents, and the state of a replicate is one file.
        if (cluster_) throw std::invalid_argument(checkpoints_not_split);
        ReplicateState state;
        state.seed = s_.run.seed;
        state.replicate = replicate_;
        state.origin = s_.run.start + (-offset_);
        state.month = s_.run.start + months_done_;
        state.scale_workers_per_agent = s_.population.scale_workers_per_agent;
        for (const std::size_t r : s_.regions)
            state.region_codes.push_back(s_.region_table.regions()[r].code);
        for (const detail::RegionPlan& plan : synthesis_.plans()) {
            state.villages.push_back(plan.villages);
            state.desa.push_back(plan.desa);
        }
        for (const FundingProgramme& p : s_.programmes)
            state.programme_names.push_back(p.name);
        state.labour_force = labour_force_;
        state.village_workers = totals_.village_workers;
        state.village_covered = totals_.village_covered;
        state.programme_members = members_;
        state.commitment_first_year = book_.first_year();
        for (std::size_t j = 0; j < s_.programmes.size(); ++j)
            state.committed_idr.push_back(book_.committed_by_year(j));
        return state;
    }

    ReplicateSeries take_series() {
        for (ThreadTally& tt : threads_) {
            for (std::size_t p = 0; p < PhaseTimes::count; ++p)
                result_.phase_times.seconds[p] += tt.seconds[p];
            tt.seconds.fill(0);
            result_.phase_times.agent_months += tt.agent_months;
            result_.phase_times.philox_blocks += tt.philox_blocks;
            tt.agent_months = tt.philox_blocks = 0;
        }
        // Each rank recorded its own regions and zeros (+0.0) elsewhere, so the sum is exact:
        // every rank returns the whole replicate's series. The programme series are already
        // the same on every rank (recorded from the totals over all ranks).
        if (cluster_) cluster_->sum(std::span<double>(result_.series));
        return std::move(result_);
    }

    const Population& population() const { return pop_; }
    Population take_population() { return std::move(pop_); }

private:
    /// The checks of check_branch that concern one replicate, and the shape of its state.
    void check_state(const ReplicateState& state) const {
        CheckpointInfo info = checkpoint_info_of(state);
        info.file = "checkpoint of replicate " + std::to_string(state.replicate);
        // How many replicates run is the ensemble's concern, not this replicate's.
        info.replicates = static_cast<std::uint32_t>(std::max(s_.run.replicates, 1));
        check_branch(s_, info);
        const std::size_t slots = state.population.size();
        const auto bad = [&](const std::string& what) {
            throw std::invalid_argument("checkpoint of replicate " +
                                        std::to_string(state.replicate) + ": " + what);
        };
        const Population& p = state.population;
        for_each_agent_column(p, [&](const auto&, const auto& column) {
            if (column.size() != slots) bad("agent columns of different lengths");
        });
        if (p.region_slots.size() != s_.regions.size() ||
            state.labour_force.size() != s_.regions.size())
            bad("not one entry per region");
        for (const RegionSlots& r : p.region_slots)
            if (r.used > r.capacity || r.first > slots || r.capacity > slots - r.first)
                bad("region slots outside the agents");
        std::size_t villages = 0;
        for (const std::uint16_t v : state.villages)
            villages += v;
        if (state.village_workers.size() != villages || state.village_covered.size() != villages)
            bad("not one entry per village");
        if (state.programme_members.size() != state.programme_names.size() ||
            state.committed_idr.size() != state.programme_names.size())
            bad("not one entry per programme");
    }

    using Clock = std::chrono::steady_clock;
    static double seconds_since(Clock::time_point t) {
        return std::chrono::duration<double>(Clock::now() - t).count();
    }

    std::size_t cell(std::size_t region, std::size_t segment, SeriesMetric m) const {
        return (region * segment_count + segment) * series_metric_count +
               static_cast<std::size_t>(m);
    }

    std::size_t member_cell(std::size_t region, std::size_t segment, std::size_t programme) const {
        return (region * segment_count + segment) * s_.programmes.size() + programme;
    }

    /// Which regions this process simulates: all of them, or, for a replicate split by region,
    /// those region_ranks gives to its rank.
    void set_up_ranks() {
        owned_.assign(s_.regions.size(), 1);
        if (!cluster_) return;
        const std::vector<int>& ranks = options_.region_ranks;
        if (ranks.size() != s_.regions.size())
            throw std::invalid_argument("region_ranks has " + std::to_string(ranks.size()) +
                                        " entries for " + std::to_string(s_.regions.size()) +
                                        " regions");
        for (std::size_t k = 0; k < ranks.size(); ++k) {
            if (ranks[k] < 0 || ranks[k] >= cluster_->size())
                throw std::invalid_argument("region_ranks gives a region to rank " +
                                            std::to_string(ranks[k]) + " of " +
                                            std::to_string(cluster_->size()));
            owned_[k] = ranks[k] == cluster_->rank();
        }
    }

    void set_up_programmes() {
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
                slots += pop_.region_slots[k].capacity;
            }
            candidate_capacity_[j] = detail::monthly_enrolment_bound(s_, j, slots);
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
    }

    void set_up_tallies() {
        const std::size_t threads =
            static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
        const std::size_t villages = params_.village_first.back();
        threads_.resize(threads);
        std::size_t merged = 0;
        for (std::size_t j = 0; j < s_.programmes.size(); ++j)
            merged = std::max(merged, static_cast<std::size_t>(candidate_capacity_[j]));
        for (ThreadTally& tt : threads_) {
            tt.size(s_.regions.size(), villages, s_.programmes.size());
            for (std::size_t j = 0; j < s_.programmes.size(); ++j)
                tt.candidates[j].keys.reserve(
                    SmallestKeys::buffer_for(static_cast<std::size_t>(candidate_capacity_[j])));
        }
        merge_.reserve(SmallestKeys::buffer_for(merged) * threads);
        totals_.size(s_.regions.size(), villages, s_.programmes.size());
        allocated_.assign(s_.programmes.size(), 0);
        renewed_.assign(s_.programmes.size(), 0);
        labour_force_.assign(s_.regions.size(), 0);

        std::size_t chunks = 0;
        for (std::size_t k = 0; k < pop_.region_slots.size(); ++k)
            if (owned_[k]) chunks += (pop_.region_slots[k].capacity + chunk_size - 1) / chunk_size;
        chunks_.reserve(chunks);
    }

    ThreadTally& this_thread() {
        return threads_[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())];
    }

    /// The stocks at the start of the first month, counted over every agent; from then on
    /// the tally changes them agent by agent. Split by region, each rank counts its regions,
    /// and the programmes' members are summed over the ranks: every rank holds the totals.
    void tally_stocks() {
        totals_.clear();
        const auto was_paid = static_cast<std::uint16_t>(offset_ + month_origin - 1);
        for (std::size_t k = 0; k < pop_.region_slots.size(); ++k) {
            if (!owned_[k]) continue;
            const RegionSlots& r = pop_.region_slots[k];
            for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
                add_stocks(state_code(a, was_paid), 1, k, a, totals_);
            labour_force_[k] = 0;
            for (std::size_t g = 0; g < segment_count; ++g)
                labour_force_[k] += totals_.counts[cell(k, g, SeriesMetric::labour_force)];
        }
        if (cluster_) cluster_->sum(std::span<std::int64_t>(totals_.members));
    }

    StateCode state_code(std::uint32_t a, std::uint16_t paid_from) const {
        const std::uint8_t g = segment_of(pop_.traits[a]);
        if (g == no_worker) return 0;
        const std::uint8_t p = pop_.payer[a];
        const bool covered = p != payer_none && pop_.paid_until[a] >= paid_from;
        return static_cast<StateCode>(
            code_in_labour_force | (covered ? code_covered : 0) | (g << code_segment_shift) |
            (pop_.former_member(a) ? code_former_member : 0) | (p << code_payer_shift));
    }

    /// Adds (sign 1) or removes (sign −1) an agent of region k in state `code` to or from
    /// the stocks.
    void add_stocks(StateCode code, int sign, std::size_t k, std::uint32_t a,
                    ThreadTally& tt) const {
        if (!(code & code_in_labour_force)) return;
        const std::size_t g = segment_in(code);
        const auto p = static_cast<std::uint8_t>(code >> code_payer_shift);
        const std::size_t v = params_.village_first[k] + pop_.village[a];
        const auto wrap = static_cast<std::uint32_t>(sign);
        tt.counts[cell(k, g, SeriesMetric::labour_force)] += sign;
        tt.village_workers[v] += wrap;
        if (code & code_covered) {
            tt.village_covered[v] += wrap;
            tt.counts[cell(k, g, SeriesMetric::covered)] += sign;
            std::size_t registered = k;
            if (p == payer_employer) {
                tt.counts[cell(k, g, SeriesMetric::covered_employer)] += sign;
                registered = pop_.registration_region[a];
            } else if (p >= programme_base) {
                tt.counts[cell(k, g, SeriesMetric::covered_programme)] += sign;
                tt.members[p - programme_base] += sign;
                tt.programme_members[member_cell(k, g, p - programme_base)] += sign;
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

    // ---- the month ------------------------------------------------------------------

    void month(int t) {
        auto started = Clock::now();
        calendar(t);
        result_.phase_times.seconds[phase_calendar] += seconds_since(started);

        for (ThreadTally& tt : threads_) {
            tt.clear();
            for (std::size_t j = 0; j < s_.programmes.size(); ++j)
                tt.candidates[j].reset(recruiting_[j] ? keep_[j] : 0);
        }
        chunks_.clear();
        for (std::size_t k = 0; k < pop_.region_slots.size(); ++k) {
            if (!owned_[k]) continue;
            const RegionSlots& r = pop_.region_slots[k];
            for (std::uint32_t b = r.first; b < r.first + r.used; b += chunk_size)
                chunks_.push_back({b, std::min(b + chunk_size, r.first + r.used), k});
        }
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks_.size(), 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              ThreadTally& tt = this_thread();
                              for (std::size_t c = range.begin(); c != range.end(); ++c)
                                  process_chunk(chunks_[c], tt);
                          });
        combine();

        started = Clock::now();
        if (cluster_)
            allocate_programme_places_across_ranks();
        else
            allocate_programme_places();
        result_.phase_times.seconds[phase_allocation] += seconds_since(started);

        started = Clock::now();
        enter_new_workers(t + offset_);
        result_.phase_times.seconds[phase_demography] += seconds_since(started);

        started = Clock::now();
        record(t);
        result_.phase_times.seconds[phase_tally] += seconds_since(started);
    }

    /// Phase 1: programme windows and budgets, policies in force, village coverage; members
    /// renewed into a window that opens now.
    void calendar(int t) {
        detail::update_month_parameters(params_, s_, t, totals_.village_covered,
                                        totals_.village_workers);
        // The calendar is this run's; draws and month columns count from the origin.
        params_.t = t + offset_;
        params_.now = static_cast<std::uint16_t>(params_.t + month_origin);
        book_.begin_month(t);
        std::fill(renewed_.begin(), renewed_.end(), 0);
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            window_end_[j] =
                book_.window(j) >= 0
                    ? static_cast<std::uint16_t>(book_.window_end(j) + offset_ + month_origin)
                    : 0;
            if (book_.renews_now(j)) renew_members(j);
        }
        const std::size_t programmes = s_.programmes.size();
        for (std::size_t j = 0; j < programmes; ++j) {
            // Members who leave this month free their places and their budget: last month's
            // members (renewed ones among them) bound how many may leave.
            most_[j] = book_.most_places(j, members_[j]);
            recruiting_[j] = book_.window(j) >= 0 && (book_.unlimited_enrolment(j) || most_[j] > 0);
            if (!recruiting_[j] || book_.unlimited_enrolment(j)) continue;
            std::int64_t earlier = 0;
            for (std::size_t i = 0; i < j; ++i)
                if (shares_regions_[i * programmes + j] && recruiting_[i] &&
                    !book_.unlimited_enrolment(i))
                    earlier += most_[i];
            keep_[j] =
                static_cast<std::size_t>(std::min(candidate_capacity_[j], most_[j] + earlier));
        }
    }

    /// Members whose window ended last month move into the window opening now, as far as
    /// the quota and the budget allow; the others meet the end of their subsidy this month.
    void renew_members(std::size_t j) {
        const auto member = static_cast<std::uint8_t>(programme_base + j);
        const auto ended = static_cast<std::uint16_t>(params_.now - 1);
        const std::int64_t places = book_.renewal_places(j);
        const bool everyone = members_[j] <= places;
        for (ThreadTally& tt : threads_)
            tt.candidates[j].reset(everyone ? 0 : static_cast<std::size_t>(places));
        const auto t = static_cast<std::uint32_t>(params_.t);
        std::int64_t renewed = 0;
        for (std::size_t k : programme_regions_[j]) {
            if (!owned_[k]) continue;
            const RegionSlots r = pop_.region_slots[k];
            if (everyone) {
                for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
                    if (pop_.payer[a] == member && pop_.paid_until[a] == ended) {
                        pop_.paid_until[a] = window_end_[j];
                        ++renewed;
                    }
                continue;
            }
            tbb::parallel_for(
                tbb::blocked_range<std::uint32_t>(r.first, r.first + r.used, 4096),
                [&](const tbb::blocked_range<std::uint32_t>& range) {
                    ThreadTally& tt = this_thread();
                    SmallestKeys& keys = tt.candidates[j];
                    for (std::uint32_t a = range.begin(); a != range.end(); ++a)
                        if (pop_.payer[a] == member && pop_.paid_until[a] == ended) {
                            count_blocks(tt, 1);
                            keys.push(std::uint64_t{rng_.words(a, t, DrawPurpose::programme_renewal,
                                                               static_cast<std::uint32_t>(j))[0]}
                                          << 32 |
                                      a);
                        }
                });
        }
        if (!everyone && cluster_) {
            renewed = renew_across_ranks(j, places);
        } else if (!everyone) {
            merge_candidates(j);
            merge_in_order(static_cast<std::size_t>(places));
            for (std::size_t i = 0; i < merge_.size() && renewed < places; ++i) {
                const auto a = static_cast<std::uint32_t>(merge_[i]);
                pop_.paid_until[a] = window_end_[j];
                ++renewed;
            }
        } else if (cluster_) {
            renewed = sum_over_ranks(renewed);
        }
        book_.enrol(j, renewed, true);
        renewed_[j] = renewed;
    }

    /// Gathers the threads' candidates for programme j; the first `usable` of them in key
    /// order are the smallest of all, whichever thread kept which (merge_in_order).
    void merge_candidates(std::size_t j) {
        merge_.clear();
        merge_ordered_ = 0;
        for (ThreadTally& tt : threads_)
            merge_.insert(merge_.end(), tt.candidates[j].keys.begin(), tt.candidates[j].keys.end());
    }

    /// Puts the merged candidates [0, n) in key order, extending the ordered prefix: only as
    /// many as the places to fill are sorted, not every candidate kept. Keys are unique (they
    /// end in the agent's slot), so the order does not depend on the threads.
    void merge_in_order(std::size_t n) {
        n = std::min(n, merge_.size());
        if (n <= merge_ordered_) return;
        const auto from = merge_.begin() + static_cast<std::ptrdiff_t>(merge_ordered_);
        const auto to = merge_.begin() + static_cast<std::ptrdiff_t>(n);
        if (to != merge_.end()) std::nth_element(from, to - 1, merge_.end());
        std::sort(from, to);
        merge_ordered_ = n;
    }

    // ---- a replicate split by region: what couples the ranks' regions -------------------
    //
    // Every rank makes the same collective calls in the same order: the programme book, the
    // windows and the places are the same on every rank, so are the decisions to call.

    std::int64_t sum_over_ranks(std::int64_t value) {
        std::array<std::int64_t, 1> v{value};
        cluster_->sum(v);
        return v[0];
    }

    /// Cuts merge_ (this rank's threads' candidates) to its `n` smallest, in no order. They
    /// hold all of this rank's keys among the n smallest of every rank's, so the first n of
    /// every rank's cut lists, merged, are in key order those of one process.
    void keep_smallest(std::size_t n) {
        if (merge_.size() <= n) return;
        std::nth_element(merge_.begin(), merge_.begin() + static_cast<std::ptrdiff_t>(n),
                         merge_.end());
        merge_.resize(n);
    }

    /// Replaces merge_ with every rank's `n` smallest candidates, in rank order.
    void gather_smallest(std::size_t n) {
        keep_smallest(n);
        merge_ = cluster_->gather_all(merge_);
        merge_ordered_ = 0;
    }

    /// Renewal when not every member can be renewed: the `places` members with the smallest
    /// keys over every rank; a rank renews its own. Returns the members renewed on all ranks.
    std::int64_t renew_across_ranks(std::size_t j, std::int64_t places) {
        const auto n = static_cast<std::size_t>(places);
        merge_candidates(j);
        gather_smallest(n);
        merge_in_order(n);
        std::int64_t renewed = 0;
        for (std::size_t i = 0; i < merge_.size() && renewed < places; ++i) {
            const auto a = static_cast<std::uint32_t>(merge_[i]);
            if (owned_[pop_.region_of(a)]) pop_.paid_until[a] = window_end_[j];
            ++renewed;
        }
        return renewed;
    }

    // ---- the per-agent phases, chunk by chunk ---------------------------------------

    struct ChunkScratch {
        std::array<DrawWords, chunk_size> draws;
        std::array<StateCode, chunk_size> start;
    };

    void process_chunk(Chunk c, ThreadTally& tt) {
        ChunkScratch scratch;
        const bool timed = options_.profile;
        auto mark = timed ? Clock::now() : Clock::time_point{};
        const auto lap = [&](Phase p) {
            if (!timed) return;
            const auto now = Clock::now();
            tt.seconds[p] += std::chrono::duration<double>(now - mark).count();
            mark = now;
        };
        const std::uint32_t drawn = draws(c, scratch);
        if (timed) {
            tt.agent_months += drawn;
            tt.philox_blocks += c.end - c.begin;
        }
        lap(phase_draws);
        demography(c, scratch, tt);
        lap(phase_demography);
        work_accidents(c, scratch, tt);
        lap(phase_accidents);
        coverage(c, scratch, tt);
        lap(phase_coverage);
        awareness(c, scratch);
        lap(phase_awareness);
        tally(c, scratch, tt);
        lap(phase_tally);
    }

    /// One Philox block per agent and month: words for death or accident, segment move,
    /// the coverage event and awareness. Also the start-of-month state for the flows.
    std::uint32_t draws(Chunk c, ChunkScratch& x) const {
        std::uint32_t drawn = 0;
        const auto t = static_cast<std::uint32_t>(params_.t);
        // A block for every slot, empty ones too: eight at a time is faster than skipping.
        rng_.words_for_range(c.begin, c.end - c.begin, t, DrawPurpose::month_events, 0,
                             x.draws.data());
        const std::uint16_t was_paid = static_cast<std::uint16_t>(params_.now - 1);
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const StateCode code = state_code(a, was_paid);
            x.start[a - c.begin] = code;
            drawn += code & code_in_labour_force;
        }
        return drawn;
    }

    /// Blocks drawn outside the draws phase, counted when profiling.
    void count_blocks(ThreadTally& tt, std::uint64_t n) const {
        if (options_.profile) tt.philox_blocks += n;
    }

    bool has_birthday(std::uint32_t a) const {
        return (static_cast<std::uint32_t>(params_.calendar_index) + a) % 12 == 0;
    }

    /// A worker leaves the labour force (death, ageing out). A programme member's unpaid
    /// months return to the budget.
    void leave_labour_force(std::uint32_t a, ThreadTally& tt) {
        leave_programme(a, tt);
        pop_.traits[a] = no_worker;
        pop_.payer[a] = payer_none;
        pop_.paid_until[a] = 0;
    }

    void leave_programme(std::uint32_t a, ThreadTally& tt) {
        const std::uint8_t p = pop_.payer[a];
        if (p < programme_base) return;
        const std::size_t j = p - programme_base;
        ++tt.left[j];
        if (pop_.paid_until[a] >= params_.now) ++tt.released[j];
    }

    void jkm_claim(std::uint32_t a, std::size_t k, std::size_t g, ThreadTally& tt) {
        ++tt.counts[cell(k, g, SeriesMetric::jkm_claims)];
        if (params_.now - pop_.covered_since[a] < s_.benefits.jkm_waiting_months)
            ++tt.counts[cell(k, g, reduced_jkm_claims)];
    }

    /// Phase 2: deaths by age, ageing out, moves between formal, informal and vulnerable.
    void demography(Chunk c, const ChunkScratch& x, ThreadTally& tt) {
        const std::size_t k = c.region;
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const std::uint32_t i = a - c.begin;
            if (!(x.start[i] & code_in_labour_force)) continue;
            const DrawWords& w = x.draws[i];
            std::size_t g = segment_of(pop_.traits[a]);
            if (w[0] < params_.death_by_age[pop_.age_years[a]]) {
                ++tt.counts[cell(k, g, SeriesMetric::deaths)];
                if (x.start[i] & code_covered) jkm_claim(a, k, g, tt);
                leave_labour_force(a, tt);
                continue;
            }
            if (has_birthday(a) && ++pop_.age_years[a] >= params_.exit_age_years) {
                ++tt.counts[cell(k, g, SeriesMetric::aged_out)];
                leave_labour_force(a, tt);
                continue;
            }
            const auto& move = params_.move[g];
            if (w[1] < move[segment_count - 1]) {
                std::size_t d = 0;
                while (w[1] >= move[d])
                    ++d;
                // A formal worker who leaves the job loses the employer's coverage.
                if (g == 0 && pop_.payer[a] == payer_employer) {
                    pop_.payer[a] = payer_none;
                    pop_.paid_until[a] = 0;
                }
                pop_.traits[a] =
                    AgentTraits::with_segment(pop_.traits[a], static_cast<unsigned>(d));
                g = d;
            }
        }
    }

    /// Phase 3: work accidents by occupation; a covered one is a JKK claim, and a fatal one
    /// ends the worker's life. They use the part of the death word above the death
    /// threshold, so deaths and accidents keep their exact monthly probabilities.
    void work_accidents(Chunk c, const ChunkScratch& x, ThreadTally& tt) {
        const std::size_t k = c.region;
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const std::uint32_t i = a - c.begin;
            if (segment_of(pop_.traits[a]) == no_worker) continue;
            const std::uint8_t age_at_start =
                static_cast<std::uint8_t>(pop_.age_years[a] - (has_birthday(a) ? 1 : 0));
            const std::uint64_t above = x.draws[i][0] - params_.death_by_age[age_at_start];
            const std::uint64_t risk =
                params_.accident[AgentTraits{pop_.traits[a]}.occupation_index()];
            if (above >= risk) continue;
            const std::size_t g = segment_of(pop_.traits[a]);
            ++tt.counts[cell(k, g, SeriesMetric::accidents)];
            if (x.start[i] & code_covered) ++tt.counts[cell(k, g, SeriesMetric::jkk_claims)];
            if ((above << 16) < risk * params_.fatal_share_16) {
                ++tt.counts[cell(k, g, SeriesMetric::deaths)];
                leave_labour_force(a, tt);
            }
        }
    }

    std::uint64_t self_enrolment_threshold(std::uint32_t a, std::size_t k) const {
        const unsigned fears = (pop_.traits[a] & fears_bit) ? 1u : 0u;
        const double h = params_.self_hazard[detail::self_hazard_index(
                             pop_.awareness[a], pop_.income_band_of(a), fears)] *
                         params_.village_self_factor[params_.village_first[k] + pop_.village[a]];
        return static_cast<std::uint64_t>(CounterRng::fast_probability_from_hazard(h) *
                                          params_.registration_success[k] * 0x1p32);
    }

    /// A self-payer's continuation after the end of a subsidy: pays on (perhaps by
    /// auto-debit) or falls into arrears from the last funded month.
    void after_subsidy(std::uint32_t a, std::size_t j, ThreadTally& tt) {
        count_blocks(tt, 1);
        const auto r =
            rng_.words(a, static_cast<std::uint32_t>(params_.t), DrawPurpose::month_events, 1);
        if (r[1] < params_.continue_after[j]) {
            pop_.payer[a] = (r[2] >> 16) < params_.autodebit_16 ? payer_self_autodebit : payer_self;
            pop_.paid_until[a] = params_.now;
        } else {
            pop_.payer[a] = payer_self;
            pop_.paid_until[a] = std::min<std::uint16_t>(
                pop_.paid_until[a], static_cast<std::uint16_t>(params_.now - 1));
        }
    }

    /// Phase 4: employer registration and lapse, self-paid lapse, arrears and reinstatement,
    /// the end of subsidies, self-paid enrolment, and programme offers.
    void coverage(Chunk c, const ChunkScratch& x, ThreadTally& tt) {
        const std::size_t k = c.region;
        const std::uint16_t now = params_.now;
        const auto t = static_cast<std::uint32_t>(params_.t);
        std::uint32_t offered = 0;
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const std::uint32_t i = a - c.begin;
            const std::uint8_t g = segment_of(pop_.traits[a]);
            if (g == no_worker) continue;
            const std::uint32_t w = x.draws[i][2];
            const std::uint8_t p = pop_.payer[a];
            const std::uint16_t paid = pop_.paid_until[a];

            if (g == 0 && p != payer_employer) {
                if (p != payer_none) count_blocks(tt, 1);
                const std::uint32_t word =
                    p == payer_none ? w : rng_.words(a, t, DrawPurpose::month_events, 1)[0];
                if (word < params_.employer_registration[k]) {
                    leave_programme(a, tt);
                    if (!(x.start[i] & code_covered)) pop_.covered_since[a] = now;
                    pop_.payer[a] = payer_employer;
                    pop_.paid_until[a] = paid_indefinitely;
                    pop_.traits[a] |= ever_covered_bit;
                    continue;
                }
            }

            if (p == payer_none && g == 0) {
                // An unregistered wage earner waits for the employer; only programmes that
                // admit formal workers may still cover him.
            } else if (p == payer_employer) {
                if (w < params_.employer_lapse) {
                    pop_.payer[a] = payer_none;
                    pop_.paid_until[a] = 0;
                }
            } else if (p == payer_self || p == payer_self_autodebit) {
                if (paid + 1 >= now) {
                    const std::size_t autodebit = p == payer_self_autodebit ? 1 : 0;
                    if (w >= params_.self_lapse[autodebit][pop_.income_band_of(a)])
                        pop_.paid_until[a] = now;
                } else if (now - 1 - paid > params_.arrears_months) {
                    pop_.payer[a] = payer_none; // past the arrears period: membership ends
                    pop_.paid_until[a] = 0;
                } else if (w < params_.reinstate) {
                    pop_.paid_until[a] = now;
                }
            } else if (p >= programme_base) {
                const std::size_t j = p - programme_base;
                if (paid >= now) {
                    if (w < params_.member_dropout[j]) {
                        leave_programme(a, tt);
                        after_subsidy(a, j, tt);
                    }
                } else {
                    leave_programme(a, tt);
                    after_subsidy(a, j, tt);
                }
            } else if (w < params_.self_enrolment_bound[k]) {
                const std::uint64_t enrol = self_enrolment_threshold(a, k);
                if (w < enrol) {
                    pop_.payer[a] = (std::uint64_t{w} << 16) < enrol * params_.autodebit_16
                                        ? payer_self_autodebit
                                        : payer_self;
                    pop_.paid_until[a] = now;
                    pop_.covered_since[a] = now;
                    pop_.traits[a] |= ever_covered_bit;
                }
            }

            // Programme offers go to workers uncovered at the start of the month who are
            // still uncovered: never to someone who just lapsed or just joined.
            if ((x.start[i] & code_covered) || region_programmes_[k].empty()) continue;
            if (pop_.payer[a] != payer_none &&
                !(pop_.payer[a] <= payer_self_autodebit && pop_.payer[a] >= payer_self &&
                  pop_.paid_until[a] < now))
                continue;
            tt.offered[offered++] = a;
        }
        if (offered > 0) offer_programmes(k, offered, tt);
    }

    bool eligible(std::uint32_t a, std::size_t k, const FundingProgramme& p) const {
        const Eligibility& e = p.eligibility;
        const AgentTraits traits{pop_.traits[a]};
        if (!e.segments[traits.segment_bits()] || !e.occupations[traits.occupation_index()])
            return false;
        if (pop_.income_band_of(a) > e.max_income_band) return false;
        if (pop_.age_years[a] < e.min_age_years || pop_.age_years[a] > e.max_age_years)
            return false;
        if (p.villages != VillageScope::all) {
            const bool desa = pop_.village[a] < desa_[k];
            if ((p.villages == VillageScope::desa) != desa) return false;
        }
        return true;
    }

    /// The chunk's workers in tt.offered[0, n) meet the programmes of their region, one
    /// programme after the other in the scenario's order, each programme's draws made in one
    /// batch. A worker who accepts a programme without limits joins it and meets no later
    /// programme; one who accepts a limited programme becomes its candidate and may also
    /// be a later one's.
    void offer_programmes(std::size_t k, std::uint32_t n, ThreadTally& tt) {
        const auto t = static_cast<std::uint32_t>(params_.t);
        for (const std::uint16_t j : region_programmes_[k]) {
            if (!recruiting_[j]) continue;
            const FundingProgramme& p = s_.programmes[j];
            std::uint32_t m = 0;
            for (std::uint32_t i = 0; i < n; ++i) {
                const std::uint32_t a = tt.offered[i];
                if (pop_.payer[a] < programme_base && eligible(a, k, p)) tt.eligible[m++] = a;
            }
            rng_.words_for_agents(tt.eligible.data(), m, t, DrawPurpose::programme_offer, j,
                                  tt.offer_words.data());
            count_blocks(tt, m);
            const bool unlimited = book_.unlimited_enrolment(j);
            for (std::uint32_t i = 0; i < m; ++i) {
                const std::uint32_t a = tt.eligible[i];
                const DrawWords& offer = tt.offer_words[i];
                const unsigned fears = (pop_.traits[a] & fears_bit) ? 1u : 0u;
                if (offer[0] >= params_.acceptance[j][fears]) continue;
                if (unlimited) {
                    join_programme(a, j);
                    ++tt.enrolled[j];
                    continue;
                }
                const std::uint64_t priority =
                    p.targeting == Targeting::lowest_income_first
                        ? static_cast<std::uint64_t>(pop_.income_band_of(a)) << 29 | (offer[1] >> 3)
                        : offer[1];
                tt.candidates[j].push(priority << 32 | a);
            }
        }
    }

    void join_programme(std::uint32_t a, std::size_t j) {
        pop_.payer[a] = static_cast<std::uint8_t>(programme_base + j);
        pop_.paid_until[a] = window_end_[j];
        pop_.covered_since[a] = params_.now;
        pop_.traits[a] |= ever_covered_bit;
        pop_.income_band[a] |= former_member_bit;
    }

    /// Phase 5: campaigns and covered neighbours raise awareness, it decays; campaigns
    /// lift the fear of losing bansos. Awareness is rounded stochastically so that small
    /// monthly changes accumulate on the 0–255 scale.
    void awareness(Chunk c, const ChunkScratch& x) {
        const std::size_t k = c.region;
        const std::int64_t* gain_16 =
            params_.village_awareness_gain_16.data() + params_.village_first[k];
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const std::uint32_t i = a - c.begin;
            if (segment_of(pop_.traits[a]) == no_worker) continue;
            const std::uint32_t w = x.draws[i][3];
            const std::int64_t level = pop_.awareness[a] * params_.awareness_keep_16 +
                                       gain_16[pop_.village[a]] +
                                       static_cast<std::int64_t>(w & 0xFFFFu);
            pop_.awareness[a] =
                static_cast<std::uint8_t>(std::clamp<std::int64_t>(level >> 16, 0, 255));
            if ((pop_.traits[a] & fears_bit) && (w >> 16) < params_.fear_reduction_16[k])
                pop_.traits[a] &= static_cast<std::uint8_t>(~fears_bit);
        }
    }

    /// Phase 6: the flows, and the stocks changed by the agents whose state changed.
    void tally(Chunk c, const ChunkScratch& x, ThreadTally& tt) {
        const std::size_t k = c.region;
        const std::uint16_t now = params_.now;
        for (std::uint32_t a = c.begin; a < c.end; ++a) {
            const std::uint32_t i = a - c.begin;
            const StateCode start = x.start[i];
            const StateCode end = state_code(a, now);
            if (end == start) continue;
            add_stocks(start, -1, k, a, tt);
            add_stocks(end, 1, k, a, tt);
            if (!(start & code_in_labour_force)) continue;
            const std::size_t g0 = segment_in(start);
            const bool was_covered = start & code_covered;
            if (!(end & code_in_labour_force)) {
                if (was_covered) ++tt.counts[cell(k, g0, SeriesMetric::covered_exits)];
                continue;
            }
            const std::size_t g = segment_in(end);
            const bool covered = end & code_covered;
            if (was_covered && !covered) ++tt.counts[cell(k, g0, SeriesMetric::lapsed)];
            if (!was_covered && covered) ++tt.counts[cell(k, g, SeriesMetric::enrolled)];
            if (was_covered && covered && g != g0) {
                ++tt.counts[cell(k, g0, SeriesMetric::covered_moved_out)];
                ++tt.counts[cell(k, g, SeriesMetric::covered_moved_in)];
            }
        }
    }

    // ---- after the agent pass -------------------------------------------------------

    void combine() {
        totals_.clear_flows();
        // Integer sums: the result is the same whichever thread counted what.
        for (const ThreadTally& tt : threads_) {
            for (std::size_t i = 0; i < tt.counts.size(); ++i)
                totals_.counts[i] += tt.counts[i];
            for (std::size_t i = 0; i < tt.programme_members.size(); ++i)
                totals_.programme_members[i] += tt.programme_members[i];
            for (std::size_t v = 0; v < tt.village_workers.size(); ++v) {
                totals_.village_workers[v] += tt.village_workers[v];
                totals_.village_covered[v] += tt.village_covered[v];
            }
            if (cluster_) continue;
            for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
                totals_.members[j] += tt.members[j];
                totals_.left[j] += tt.left[j];
                totals_.released[j] += tt.released[j];
                totals_.enrolled[j] += tt.enrolled[j];
            }
        }
        if (cluster_) combine_programmes_across_ranks();
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            book_.release(j, totals_.released[j]);
            book_.enrol(j, totals_.enrolled[j], false);
        }
    }

    /// Split by region: the programmes' changes of members, leavers and enrolments summed over
    /// the threads and then over the ranks, so that every rank's book sees the programmes'
    /// totals (the counts by region stay with the rank that owns the region).
    void combine_programmes_across_ranks() {
        const std::size_t n = s_.programmes.size();
        exchange_.assign(4 * n, 0);
        for (const ThreadTally& tt : threads_)
            for (std::size_t j = 0; j < n; ++j) {
                exchange_[j] += tt.members[j];
                exchange_[n + j] += tt.left[j];
                exchange_[2 * n + j] += tt.released[j];
                exchange_[3 * n + j] += tt.enrolled[j];
            }
        cluster_->sum(std::span<std::int64_t>(exchange_));
        for (std::size_t j = 0; j < n; ++j) {
            totals_.members[j] += exchange_[j];
            totals_.left[j] = exchange_[n + j];
            totals_.released[j] = exchange_[2 * n + j];
            totals_.enrolled[j] = exchange_[3 * n + j];
        }
    }

    /// Worker a, of region k, takes a place of programme j in the allocation: he joins it,
    /// and the stocks move with him.
    void take_place(std::uint32_t a, std::size_t j, std::size_t k) {
        const std::uint8_t p = pop_.payer[a];
        const std::size_t g = segment_of(pop_.traits[a]);
        if (p != payer_none && p < programme_base)
            --totals_.counts[cell(k, g, SeriesMetric::in_arrears)];
        join_programme(a, j);
        ++totals_.counts[cell(k, g, SeriesMetric::covered)];
        ++totals_.counts[cell(k, g, SeriesMetric::covered_programme)];
        ++totals_.counts[cell(k, g, SeriesMetric::covered_registered)];
        ++totals_.counts[cell(k, g, SeriesMetric::enrolled)];
        ++totals_.programme_members[member_cell(k, g, j)];
        ++totals_.village_covered[params_.village_first[k] + pop_.village[a]];
    }

    /// Programmes with limited places take the accepting candidates with the smallest keys,
    /// in the order the scenario lists them; a worker taken by an earlier programme is
    /// skipped by the later ones.
    void allocate_programme_places() {
        std::fill(allocated_.begin(), allocated_.end(), 0);
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            if (!recruiting_[j] || book_.unlimited_enrolment(j)) continue;
            std::int64_t places = book_.open_places(j, totals_.members[j]);
            if (places <= 0) continue;
            merge_candidates(j);
            // Each thread kept its keep_[j] smallest keys, so the first keep_[j] of the merged
            // list are the smallest of all candidates whichever thread saw whom; beyond them
            // the list would depend on the threads.
            const std::size_t usable = std::min(merge_.size(), keep_[j]);
            std::int64_t taken = 0;
            for (std::size_t c = 0; c < usable && taken < places; ++c) {
                // Some candidates were taken by earlier programmes: order more as needed.
                if (c == merge_ordered_)
                    merge_in_order(c + static_cast<std::size_t>(places - taken) + c / 4 + 64);
                const auto a = static_cast<std::uint32_t>(merge_[c]);
                const std::uint8_t p = pop_.payer[a];
                if (p >= programme_base || p == payer_employer) continue;
                take_place(a, j, pop_.region_of(a));
                ++taken;
            }
            book_.enrol(j, taken, false);
            totals_.members[j] += taken;
            allocated_[j] = taken;
        }
    }

    /// The same allocation for a replicate split by region. Every rank merges the candidates
    /// of all ranks and runs the same loop over them, so that the programmes take the workers
    /// one process takes and count them on every rank; only the rank that owns a worker's
    /// region enrols him and counts him by region. A candidate is passed over if he was a
    /// member or employer-paid when the allocation started (only his rank can see that) or
    /// was taken by an earlier programme this month: both are the same list of slots on
    /// every rank, as these are the only changes the allocation makes.
    void allocate_programme_places_across_ranks() {
        std::fill(allocated_.begin(), allocated_.end(), 0);
        passed_over_.clear();
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            if (!recruiting_[j] || book_.unlimited_enrolment(j)) continue;
            const std::int64_t places = book_.open_places(j, totals_.members[j]);
            if (places <= 0) continue;
            merge_candidates(j);
            // This rank's keep_[j] smallest (as in one process, the first keep_[j] of all
            // ranks' candidates are then the smallest of all, whichever rank and thread kept
            // them), and which of them cannot be taken.
            keep_smallest(keep_[j]);
            slots_.clear();
            for (const std::uint64_t key : merge_) {
                const auto a = static_cast<std::uint32_t>(key);
                const std::uint8_t p = pop_.payer[a];
                if (p >= programme_base || p == payer_employer) slots_.push_back(a);
            }
            merge_ = cluster_->gather_all(merge_);
            merge_ordered_ = 0;
            add_passed_over(cluster_->gather_all(slots_));
            const std::size_t usable = std::min(merge_.size(), keep_[j]);
            std::int64_t taken = 0;
            slots_.clear();
            for (std::size_t c = 0; c < usable && taken < places; ++c) {
                if (c == merge_ordered_)
                    merge_in_order(c + static_cast<std::size_t>(places - taken) + c / 4 + 64);
                const auto a = static_cast<std::uint32_t>(merge_[c]);
                if (std::binary_search(passed_over_.begin(), passed_over_.end(), a)) continue;
                slots_.push_back(a);
                ++taken;
                const std::size_t k = pop_.region_of(a);
                if (owned_[k]) take_place(a, j, k);
            }
            add_passed_over(slots_);
            book_.enrol(j, taken, false);
            totals_.members[j] += taken;
            allocated_[j] = taken;
        }
    }

    /// Adds slots to the sorted list of candidates no later programme may take this month.
    template <typename Slots>
    void add_passed_over(const Slots& slots) {
        const auto middle = static_cast<std::ptrdiff_t>(passed_over_.size());
        for (const auto a : slots)
            passed_over_.push_back(static_cast<std::uint32_t>(a));
        std::sort(passed_over_.begin() + middle, passed_over_.end());
        std::inplace_merge(passed_over_.begin(), passed_over_.begin() + middle, passed_over_.end());
    }

    /// The first slot in [from, end) whose worker left, or `end`. Eight slots per step.
    std::uint32_t next_free_slot(std::uint32_t from, std::uint32_t end) const {
        static_assert(std::endian::native == std::endian::little);
        const std::uint8_t* traits = pop_.traits.data();
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

    /// Slots of each region's block in use whose worker left, as the constructors find them.
    void count_free_slots() {
        free_slots_.assign(pop_.region_slots.size(), 0);
        for (std::size_t k = 0; k < pop_.region_slots.size(); ++k) {
            if (!owned_[k]) continue;
            const RegionSlots& r = pop_.region_slots[k];
            for (std::uint32_t a = r.first; a < r.first + r.used; ++a)
                free_slots_[k] += segment_of(pop_.traits[a]) == no_worker;
        }
    }

    /// New workers join at the end of the month, uncovered: entry_rate × last month's labour
    /// force, rounded up or down at random. They take the slots of workers who left, lowest
    /// first, before the region's reserved slots, so that the memory a run touches follows
    /// its labour force rather than everyone who ever entered.
    void enter_new_workers(int t) {
        const auto month = static_cast<std::uint32_t>(t);
        const double rate = s_.behaviour.entry_rate;
        for (std::size_t k = 0; k < s_.regions.size(); ++k)
            for (std::size_t g = 0; g < segment_count; ++g)
                free_slots_[k] +=
                    static_cast<std::uint32_t>(totals_.counts[cell(k, g, SeriesMetric::deaths)] +
                                               totals_.counts[cell(k, g, SeriesMetric::aged_out)]);
        if (rate <= 0) return;
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, pop_.region_slots.size(), 1),
            [&](const tbb::blocked_range<std::size_t>& range) {
                for (std::size_t k = range.begin(); k != range.end(); ++k) {
                    if (!owned_[k]) continue;
                    RegionSlots& r = pop_.region_slots[k];
                    const double expected = rate * static_cast<double>(labour_force_[k]);
                    const auto u = rng_.words(r.first, month, DrawPurpose::entry, 3)[0];
                    auto n = static_cast<std::uint32_t>(expected + CounterRng::unit(u));
                    n = std::min(n, free_slots_[k] + (r.capacity - r.used));
                    count_blocks(this_thread(), 1 + 3 * std::uint64_t{n});
                    const auto enter = [&](std::uint32_t a) {
                        synthesis_.entrant(pop_, rng_, a, k, t);
                        const std::size_t g = segment_of(pop_.traits[a]);
                        ++totals_.counts[cell(k, g, SeriesMetric::labour_force)];
                        ++totals_.counts[cell(k, g, SeriesMetric::entrants)];
                        ++totals_.village_workers[params_.village_first[k] + pop_.village[a]];
                    };
                    const std::uint32_t reused = std::min(n, free_slots_[k]);
                    std::uint32_t a = r.first;
                    for (std::uint32_t i = 0; i < reused; ++i, ++a) {
                        a = next_free_slot(a, r.first + r.used);
                        enter(a);
                    }
                    free_slots_[k] -= reused;
                    for (std::uint32_t i = reused; i < n; ++i)
                        enter(r.first + r.used++);
                }
            });
    }

    void record(int t) {
        const auto month = static_cast<std::size_t>(t);
        const AgentScale scale(s_.population.scale_workers_per_agent);
        const Benefits& b = s_.benefits;
        for (std::size_t k = 0; k < s_.regions.size(); ++k) {
            if (!owned_[k]) continue; // +0.0: another rank records it
            std::int64_t lf = 0;
            for (std::size_t g = 0; g < segment_count; ++g) {
                const auto segment = static_cast<Segment>(g);
                for (std::size_t m = 0; m < series_metric_count; ++m)
                    result_.at(static_cast<SeriesMetric>(m), month, k, segment) =
                        scale.workers(totals_.counts[cell(k, g, static_cast<SeriesMetric>(m))]);
                const auto claims = totals_.counts[cell(k, g, SeriesMetric::jkm_claims)];
                const auto reduced = totals_.counts[cell(k, g, reduced_jkm_claims)];
                result_.at(SeriesMetric::jkm_paid_idr, month, k, segment) =
                    scale.workers(static_cast<double>(claims - reduced) * b.jkm_idr +
                                  static_cast<double>(reduced) * b.jkm_waiting_idr);
                result_.at(SeriesMetric::jkk_paid_idr, month, k, segment) = scale.workers(
                    static_cast<double>(totals_.counts[cell(k, g, SeriesMetric::jkk_claims)]) *
                    b.jkk_mean_claim_idr);
                double premiums = 0;
                for (std::size_t j = 0; j < s_.programmes.size(); ++j)
                    premiums +=
                        static_cast<double>(totals_.programme_members[member_cell(k, g, j)]) *
                        s_.programmes[j].premium_idr_per_month;
                result_.at(SeriesMetric::programme_paid_idr, month, k, segment) =
                    scale.workers(premiums);
                lf += totals_.counts[cell(k, g, SeriesMetric::labour_force)];
            }
            labour_force_[k] = lf;
        }
        if (cluster_) record_registered_across_ranks(month);
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            const double premium = s_.programmes[j].premium_idr_per_month;
            members_[j] = totals_.members[j];
            const auto n = [&](std::int64_t v) { return scale.workers(v); };
            result_.at(ProgrammeMetric::members, month, j) = n(totals_.members[j]);
            result_.at(ProgrammeMetric::enrolled, month, j) =
                n(totals_.enrolled[j] + allocated_[j]);
            result_.at(ProgrammeMetric::renewed, month, j) = n(renewed_[j]);
            result_.at(ProgrammeMetric::left, month, j) = n(totals_.left[j]);
            result_.at(ProgrammeMetric::spent_idr, month, j) = n(totals_.members[j]) * premium;
            result_.at(ProgrammeMetric::committed_idr, month, j) = book_.committed_this_year(j);
            result_.at(ProgrammeMetric::budget_idr, month, j) = book_.budget_this_year(j);
        }
    }

    /// Split by region, an employer may register a worker in a region of another rank: the
    /// participants registered in a region are summed over the ranks before its rank records
    /// them.
    void record_registered_across_ranks(std::size_t month) {
        const AgentScale scale(s_.population.scale_workers_per_agent);
        exchange_.assign(s_.regions.size() * segment_count, 0);
        for (std::size_t k = 0; k < s_.regions.size(); ++k)
            for (std::size_t g = 0; g < segment_count; ++g)
                exchange_[k * segment_count + g] =
                    totals_.counts[cell(k, g, SeriesMetric::covered_registered)];
        cluster_->sum(std::span<std::int64_t>(exchange_));
        for (std::size_t k = 0; k < s_.regions.size(); ++k)
            if (owned_[k])
                for (std::size_t g = 0; g < segment_count; ++g)
                    result_.at(SeriesMetric::covered_registered, month, k,
                               static_cast<Segment>(g)) =
                        scale.workers(exchange_[k * segment_count + g]);
    }

    const Scenario& s_;
    const SimulationOptions options_; // a copy: callers may pass a temporary
    CounterRng rng_;
    detail::WorkerSynthesis synthesis_;
    ProgrammeBook book_;
    ReplicateSeries result_;
    Population pop_;
    MonthParameters params_;

    std::vector<std::vector<std::uint16_t>> region_programmes_; ///< by scenario region
    std::vector<std::vector<std::size_t>> programme_regions_;
    std::vector<std::int64_t> candidate_capacity_;
    std::vector<std::uint8_t> recruiting_;
    std::vector<std::int64_t> most_;           ///< places that may open this month, by programme
    std::vector<std::uint8_t> shares_regions_; ///< [i][j]: programmes i and j share a region
    std::vector<std::size_t> keep_;
    std::vector<std::uint16_t> window_end_; ///< paid_until of members joining now
    std::vector<std::int64_t> members_;     ///< at the end of last month
    std::vector<std::int64_t> allocated_;
    std::vector<std::int64_t> renewed_;
    std::vector<std::int64_t> labour_force_; ///< by region, at the end of last month
    std::vector<std::uint32_t> free_slots_;  ///< by region: slots in use whose worker left
    std::vector<std::uint16_t> desa_;

    std::vector<ThreadTally> threads_;
    ThreadTally totals_;
    std::vector<std::uint64_t> merge_;
    std::size_t merge_ordered_ = 0; ///< merge_[0, merge_ordered_) is in key order
    std::vector<Chunk> chunks_;
    std::uint32_t replicate_ = 0;
    int offset_ = 0; ///< months from the origin (the run that synthesised the agents) to ours
    int months_done_ = 0;

    // A replicate split by region (options_.cluster): the process simulates the regions it
    // owns and exchanges what couples them with the other ranks.
    Cluster* cluster_ = nullptr;
    std::vector<std::uint8_t> owned_;        ///< by scenario region; all 1 without a cluster
    std::vector<std::int64_t> exchange_;     ///< sums over the ranks
    std::vector<std::uint64_t> slots_;       ///< slots to exchange
    std::vector<std::uint32_t> passed_over_; ///< sorted: no later programme takes them now
};

ReplicateSimulation::ReplicateSimulation(const Scenario& scenario, std::uint32_t replicate,
                                         const SimulationOptions& options)
    : impl_(std::make_unique<Impl>(scenario, replicate, options)) {}
ReplicateSimulation::ReplicateSimulation(const Scenario& scenario, ReplicateState state,
                                         const SimulationOptions& options)
    : impl_(std::make_unique<Impl>(scenario, std::move(state), options)) {}
ReplicateSimulation::~ReplicateSimulation() = default;
ReplicateState ReplicateSimulation::capture_state() const {
    ReplicateState state = impl_->state_without_agents();
    state.population = impl_->population();
    return state;
}
ReplicateState ReplicateSimulation::take_state() {
    ReplicateState state = impl_->state_without_agents();
    state.population = impl_->take_population();
    return state;
}
int ReplicateSimulation::months_done() const {
    return impl_->months_done();
}
void ReplicateSimulation::step() {
    impl_->step();
}
ReplicateSeries ReplicateSimulation::take_series() {
    return impl_->take_series();
}
const Population& ReplicateSimulation::population() const {
    return impl_->population();
}

std::vector<int> share_regions(const Scenario& scenario, int ranks) {
    if (ranks < 1)
        throw std::invalid_argument("share_regions: " + std::to_string(ranks) +
                                    " ranks (at least 1)");
    const std::size_t regions = scenario.regions.size();
    const auto p = static_cast<std::size_t>(ranks);
    std::vector<int> out(regions, 0);
    if (p >= regions) {
        // One region each; the ranks beyond them simulate none.
        for (std::size_t k = 0; k < regions; ++k)
            out[k] = static_cast<int>(k);
        return out;
    }
    // Agents before each region in scenario order: rank r starts at the region boundary
    // nearest to r/P of all agents, leaving at least one region to each rank.
    std::vector<double> before(regions + 1, 0.0);
    for (std::size_t k = 0; k < regions; ++k)
        before[k + 1] = before[k] + agents_in_region(scenario, k);
    std::size_t first = 0;
    for (std::size_t r = 1; r < p; ++r) {
        const double target = before[regions] * static_cast<double>(r) / static_cast<double>(p);
        std::size_t b = first + 1;
        while (b + 1 <= regions - (p - r) &&
               std::abs(before[b + 1] - target) < std::abs(before[b] - target))
            ++b;
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(first),
                  out.begin() + static_cast<std::ptrdiff_t>(b), static_cast<int>(r - 1));
        first = b;
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), static_cast<int>(p - 1));
    return out;
}

ReplicateSeries simulate_replicate(const Scenario& scenario, std::uint32_t replicate,
                                   const SimulationOptions& options) {
    ReplicateSimulation simulation(scenario, replicate, options);
    while (simulation.months_done() < scenario.run.months)
        simulation.step();
    return simulation.take_series();
}

} // namespace ulcsim
