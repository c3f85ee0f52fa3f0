#include "agent_phases.hpp"
#include "agent_tally.hpp"
#include "entrants.hpp"
#include "month_parameters.hpp"
#include "monthly_record.hpp"
#include "policy_costs.hpp"
#include "population/worker_synthesis.hpp"
#include "programme_book.hpp"
#include "programme_places.hpp"
#include "region_exchange.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/phases.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace ulcsim {

namespace {

using detail::Chunk;
using detail::chunk_size;
using detail::MonthParameters;
using detail::payer_none;
using detail::programme_base;
using detail::ProgrammeBook;
using detail::SmallestKeys;
using detail::ThreadTally;

constexpr const char* checkpoints_not_split =
    "checkpoints are not supported for a replicate split by region";

} // namespace

class ReplicateSimulation::Impl {
public:
    Impl(const Scenario& s, std::uint32_t replicate, const SimulationOptions& options)
        : s_(s), options_(options), rng_(options.seed.value_or(s.run.seed), replicate),
          synthesis_(s), book_(s),
          result_(static_cast<std::size_t>(s.run.months), s.regions.size(), s.programmes.size()),
          layout_{s.programmes.size()}, replicate_(replicate) {
        set_up_ranks();
        const auto started = Clock::now();
        // Split by region, this rank synthesises only its own regions' agents: the other
        // regions' slots are never written, so they cost no memory.
        pop_ = synthesise_population(s, replicate, s.run.months, exchange_->region_ranks(),
                                     exchange_->rank(), options.seed);
        result_.phase_times.of(Phase::synthesis) += seconds_since(started);
        params_ = detail::make_month_parameters(s, synthesis_.plans());
        for (const detail::RegionPlan& plan : synthesis_.plans())
            desa_.push_back(plan.desa);
        places_.emplace(s_, pop_, rng_, *exchange_);
        set_up_tallies();
        tally_stocks();
        free_slots_ = detail::count_free_slots(pop_, owned_);
    }

    /// Continues from a checkpoint: the agents, the programmes' members and commitments come
    /// from the state, the stocks of the tally are counted from the agents; month t of this
    /// run is month offset_ + t of the draws and of the population's month columns.
    Impl(const Scenario& s, ReplicateState&& state, const SimulationOptions& options)
        : s_(s), options_(options), rng_(state.seed, state.replicate), synthesis_(s), book_(s),
          result_(static_cast<std::size_t>(s.run.months), s.regions.size(), s.programmes.size()),
          layout_{s.programmes.size()}, replicate_(state.replicate) {
        if (options.cluster) throw std::invalid_argument(checkpoints_not_split);
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
        places_.emplace(s_, pop_, rng_, *exchange_);
        set_up_tallies();
        // The stocks from the agents; the state's village counts and labour force are the
        // same numbers.
        tally_stocks();
        free_slots_ = detail::count_free_slots(pop_, owned_);
        book_.continue_from_previous_month();
        for (std::size_t j = 0; j < state.programme_names.size(); ++j) {
            if (to[j] == payer_none) continue;
            const std::size_t i = to[j] - programme_base;
            places_->members()[i] = state.programme_members[j];
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
        if (options_.cluster) throw std::invalid_argument(checkpoints_not_split);
        ReplicateState state;
        state.seed = options_.seed.value_or(s_.run.seed);
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
        state.programme_members = places_->members();
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
        exchange_->sum(std::span<double>(result_.series));
        detail::record_policy_costs(s_, result_);
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

    /// Which regions this process simulates: all of them, or, for a replicate split by region,
    /// those region_ranks gives to its rank.
    void set_up_ranks() {
        if (options_.cluster)
            exchange_ = std::make_unique<detail::ClusterExchange>(
                *options_.cluster, options_.region_ranks, s_.regions.size());
        else
            exchange_ = std::make_unique<detail::SingleProcessExchange>(s_.regions.size());
        owned_ = exchange_->owned();
    }

    void set_up_tallies() {
        const std::size_t threads =
            static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
        const std::size_t villages = params_.village_first.back();
        threads_.resize(threads);
        for (ThreadTally& tt : threads_) {
            tt.size(s_.regions.size(), villages, s_.programmes.size());
            tt.profiling = options_.profile;
            for (std::size_t j = 0; j < s_.programmes.size(); ++j)
                tt.candidates[j].keys.reserve(
                    SmallestKeys::buffer_for(places_->candidate_capacity(j)));
        }
        places_->reserve(threads);
        totals_.size(s_.regions.size(), villages, s_.programmes.size());
        labour_force_.assign(s_.regions.size(), 0);
        workforce_targets_ = s_.workforce_targets();

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
                detail::add_stocks(pop_, params_, layout_, detail::state_code(pop_, a, was_paid), 1,
                                   k, a, totals_);
            labour_force_[k] = 0;
            for (std::size_t g = 0; g < segment_count; ++g)
                labour_force_[k] +=
                    totals_.counts[detail::TallyLayout::cell(k, g, SeriesMetric::labour_force)];
        }
        exchange_->sum(std::span<std::int64_t>(totals_.members));
    }

    // ---- the month ------------------------------------------------------------------

    void month(int t) {
        auto started = Clock::now();
        calendar(t);
        result_.phase_times.of(Phase::calendar) += seconds_since(started);

        for (ThreadTally& tt : threads_)
            tt.clear();
        places_->reset_candidates(threads_);
        chunks_.clear();
        for (std::size_t k = 0; k < pop_.region_slots.size(); ++k) {
            if (!owned_[k]) continue;
            const RegionSlots& r = pop_.region_slots[k];
            for (std::uint32_t b = r.first; b < r.first + r.used; b += detail::chunk_size)
                chunks_.push_back({b, std::min(b + detail::chunk_size, r.first + r.used), k});
        }
        const detail::ProgrammeOffers offers = places_->offers(desa_);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks_.size(), 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              ThreadTally& tt = this_thread();
                              for (std::size_t c = range.begin(); c != range.end(); ++c)
                                  process_chunk(chunks_[c], offers, tt);
                          });
        combine();

        started = Clock::now();
        places_->allocate(params_, layout_, book_, pop_, threads_, totals_);
        result_.phase_times.of(Phase::allocation) += seconds_since(started);

        started = Clock::now();
        const std::span<const double> target =
            workforce_targets_.empty()
                ? std::span<const double>()
                : std::span<const double>(workforce_targets_)
                      .subspan(static_cast<std::size_t>(t) * s_.regions.size(), s_.regions.size());
        detail::enter_new_workers(t + offset_, s_.behaviour.entry_rate, target, rng_, synthesis_,
                                  params_, labour_force_, owned_, threads_, free_slots_, pop_,
                                  totals_);
        result_.phase_times.of(Phase::demography) += seconds_since(started);

        started = Clock::now();
        detail::record_month(static_cast<std::size_t>(t), s_, layout_, totals_,
                             {places_->allocated(), places_->renewed()}, book_, *exchange_,
                             registered_, labour_force_, result_);
        places_->members() = totals_.members;
        result_.phase_times.of(Phase::tally) += seconds_since(started);
    }

    /// Programme windows and budgets, policies in force, village coverage; members renewed
    /// into a window that opens now.
    void calendar(int t) {
        detail::update_month_parameters(params_, s_, t, totals_.village_covered,
                                        totals_.village_workers);
        // The calendar is this run's; draws and month columns count from the origin.
        params_.t = t + offset_;
        params_.now = static_cast<std::uint16_t>(params_.t + month_origin);
        book_.begin_month(t);
        places_->open_month(params_, offset_, book_, pop_, threads_);
    }

    /// The per-agent phases over one chunk, each timed when profiling.
    void process_chunk(Chunk c, const detail::ProgrammeOffers& offers, ThreadTally& tt) {
        detail::ChunkScratch scratch;
        const bool timed = options_.profile;
        auto mark = timed ? Clock::now() : Clock::time_point{};
        const auto lap = [&](Phase p) {
            if (!timed) return;
            const auto now = Clock::now();
            tt.seconds[phase_index(p)] += std::chrono::duration<double>(now - mark).count();
            mark = now;
        };
        const std::uint32_t drawn = detail::draw_month(c, pop_, params_, rng_, scratch);
        if (timed) {
            tt.agent_months += drawn;
            tt.philox_blocks += c.end - c.begin;
        }
        lap(Phase::draws);
        detail::demography(c, scratch, params_, s_.benefits.jkm_waiting_months, pop_, tt);
        lap(Phase::demography);
        detail::work_accidents(c, scratch, params_, pop_, tt);
        lap(Phase::accidents);
        detail::coverage(c, scratch, params_, offers, rng_, pop_, tt);
        lap(Phase::coverage);
        detail::awareness(c, scratch, params_, pop_);
        lap(Phase::awareness);
        detail::tally(c, scratch, params_, layout_, pop_, tt);
        lap(Phase::tally);
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
        }
        combine_programmes();
        for (std::size_t j = 0; j < s_.programmes.size(); ++j) {
            book_.release(j, totals_.released[j]);
            book_.enrol(j, totals_.enrolled[j], false);
        }
    }

    /// The programmes' changes of members, leavers and enrolments summed over the threads and
    /// then over the members of the exchange, so that every member's book sees the
    /// programmes' totals (the counts by region stay with the member that owns the region).
    void combine_programmes() {
        const std::size_t n = s_.programmes.size();
        sums_.assign(4 * n, 0);
        for (const ThreadTally& tt : threads_)
            for (std::size_t j = 0; j < n; ++j) {
                sums_[j] += tt.members[j];
                sums_[n + j] += tt.left[j];
                sums_[2 * n + j] += tt.released[j];
                sums_[3 * n + j] += tt.enrolled[j];
            }
        exchange_->sum(std::span<std::int64_t>(sums_));
        for (std::size_t j = 0; j < n; ++j) {
            totals_.members[j] += sums_[j];
            totals_.left[j] = sums_[n + j];
            totals_.released[j] = sums_[2 * n + j];
            totals_.enrolled[j] = sums_[3 * n + j];
        }
    }

    const Scenario& s_;
    const SimulationOptions options_; // a copy: callers may pass a temporary
    CounterRng rng_;
    detail::WorkerSynthesis synthesis_;
    ProgrammeBook book_;
    ReplicateSeries result_;
    Population pop_;
    MonthParameters params_;
    detail::TallyLayout layout_;
    std::optional<detail::ProgrammePlaces> places_; ///< once the agents are there

    std::vector<std::int64_t> labour_force_; ///< by region, at the end of last month
    /// [month][region]: the labour force the workforce series asks for (empty: entry_rate).
    std::vector<double> workforce_targets_;
    std::vector<std::uint32_t> free_slots_; ///< by region: slots in use whose worker left
    std::vector<std::uint16_t> desa_;

    std::vector<ThreadTally> threads_;
    ThreadTally totals_;
    std::vector<Chunk> chunks_;
    std::uint32_t replicate_ = 0;
    int offset_ = 0; ///< months from the origin (the run that synthesised the agents) to ours
    int months_done_ = 0;

    // The process simulates the regions it owns (all of them, or for a replicate split by
    // region those options_.region_ranks gives its rank) and exchanges what couples them.
    std::unique_ptr<detail::RegionExchange> exchange_;
    std::span<const std::uint8_t> owned_; ///< by scenario region: exchange_->owned()
    std::vector<std::int64_t> sums_;      ///< what is summed over the exchange
    std::vector<std::int64_t> registered_;
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

ReplicateSeries simulate_replicate(const Scenario& scenario, std::uint32_t replicate,
                                   const SimulationOptions& options) {
    ReplicateSimulation simulation(scenario, replicate, options);
    while (simulation.months_done() < scenario.run.months)
        simulation.step();
    return simulation.take_series();
}

} // namespace ulcsim
