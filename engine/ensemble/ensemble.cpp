#include "ulcsim/ensemble.hpp"

#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <thread>
#include <type_traits>

namespace ulcsim {

namespace {

struct Job {
    std::size_t entry;
    std::uint32_t replicate;
    std::size_t position = 0; ///< in the ensemble's replicate-major list
};

/// Raised in a replicate when another one has failed, so that it stops at the next month
/// instead of running to the end; never leaves run_ensemble.
struct Abandoned {};

/// Replicate-major order: the first replicates of every scenario come first, so an
/// interrupted comparison has paired replicates and progress moves evenly.
std::vector<Job> replicate_major(const RunPlan& plan) {
    std::uint32_t most = 0;
    for (const PlannedScenario& e : plan.entries())
        most = std::max(most, e.replicates.count);
    std::vector<Job> jobs;
    for (std::uint32_t r = 0; r < most; ++r)
        for (std::size_t i = 0; i < plan.size(); ++i)
            if (r < plan[i].replicates.count)
                jobs.push_back({i, plan[i].replicates.first + r, jobs.size()});
    return jobs;
}

// ---- replicates as bytes, between ranks ----------------------------------------------------

class Bytes {
public:
    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const std::byte*>(&value);
        data.insert(data.end(), p, p + sizeof(T));
    }
    template <class T, class A>
    void put(const std::vector<T, A>& values) {
        static_assert(std::is_trivially_copyable_v<T>);
        put(std::uint64_t{values.size()});
        const auto* p = reinterpret_cast<const std::byte*>(values.data());
        data.insert(data.end(), p, p + values.size() * sizeof(T));
    }
    void put(const std::string& text) {
        put(std::uint64_t{text.size()});
        const auto* p = reinterpret_cast<const std::byte*>(text.data());
        data.insert(data.end(), p, p + text.size());
    }
    void put(const std::vector<std::string>& texts) {
        put(std::uint64_t{texts.size()});
        for (const std::string& t : texts)
            put(t);
    }
    std::vector<std::byte> data;
};

class Reader {
public:
    explicit Reader(const std::vector<std::byte>& bytes) : bytes_(bytes) {}
    template <class T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        take(&value, sizeof(T));
        return value;
    }
    template <class V>
    void get(V& values) {
        using T = typename V::value_type;
        const auto n = count(sizeof(T));
        values.resize(n);
        take(values.data(), n * sizeof(T));
    }
    void get(std::string& text) {
        text.resize(count(1));
        take(text.data(), text.size());
    }
    void get(std::vector<std::string>& texts) {
        texts.resize(count(sizeof(std::uint64_t)));
        for (std::string& t : texts)
            get(t);
    }
    bool done() const { return at_ == bytes_.size(); }

private:
    std::size_t count(std::size_t element) {
        const auto n = get<std::uint64_t>();
        if (n > (bytes_.size() - at_) / element) corrupt();
        return static_cast<std::size_t>(n);
    }
    void take(void* out, std::size_t n) {
        if (n > bytes_.size() - at_) corrupt();
        if (n > 0) std::memcpy(out, bytes_.data() + at_, n);
        at_ += n;
    }
    [[noreturn]] static void corrupt() {
        throw std::runtime_error("run_ensemble: a message from another rank is truncated");
    }
    const std::vector<std::byte>& bytes_;
    std::size_t at_ = 0;
};

/// What travels from a rank to rank 0: a replicate's series, or its checkpoint state.
enum class Message : std::uint8_t { series, state };

std::vector<std::byte> encode(const Job& job, const ReplicateSeries& series) {
    Bytes b;
    b.put(Message::series);
    b.put(std::uint64_t{job.entry});
    b.put(job.replicate);
    b.put(std::uint64_t{series.months});
    b.put(std::uint64_t{series.regions});
    b.put(std::uint64_t{series.programmes});
    b.put(series.series);
    b.put(series.programme_series);
    b.put(series.phase_times);
    return std::move(b.data);
}

ReplicateSeries decode_series(Reader& r) {
    ReplicateSeries series;
    series.months = static_cast<std::size_t>(r.get<std::uint64_t>());
    series.regions = static_cast<std::size_t>(r.get<std::uint64_t>());
    series.programmes = static_cast<std::size_t>(r.get<std::uint64_t>());
    r.get(series.series);
    r.get(series.programme_series);
    series.phase_times = r.get<PhaseTimes>();
    return series;
}

[[noreturn]] void corrupt_message(int from) {
    throw std::runtime_error("run_ensemble: rank " + std::to_string(from) +
                             " sent a message of no replicate of this ensemble");
}

/// The kind and the replicate of a message from rank `from`.
std::pair<Message, Job> message_head(Reader& r, std::size_t entries, int from) {
    const auto kind = r.get<Message>();
    Job job;
    job.entry = static_cast<std::size_t>(r.get<std::uint64_t>());
    job.replicate = r.get<std::uint32_t>();
    if ((kind != Message::series && kind != Message::state) || job.entry >= entries)
        corrupt_message(from);
    return {kind, job};
}

// Every column of the population (agent_columns) and its regions' slots, in one order, so
// that encoding and decoding cannot differ.
template <class F>
void for_each_column(Population& p, F&& f) {
    for_each_agent_column(p, [&](const auto&, auto& column) { f(column); });
    f(p.region_slots);
}

std::vector<std::byte> encode(const Job& job, ReplicateState& state) {
    Bytes b;
    b.put(Message::state);
    b.put(std::uint64_t{job.entry});
    b.put(job.replicate);
    b.put(state.seed);
    b.put(state.replicate);
    b.put(state.origin);
    b.put(state.month);
    b.put(state.scale_workers_per_agent);
    b.put(state.region_codes);
    b.put(state.villages);
    b.put(state.desa);
    b.put(state.programme_names);
    for_each_column(state.population, [&](const auto& column) { b.put(column); });
    b.put(state.labour_force);
    b.put(state.village_workers);
    b.put(state.village_covered);
    b.put(state.programme_members);
    b.put(state.commitment_first_year);
    b.put(std::uint64_t{state.committed_idr.size()});
    for (const std::vector<double>& years : state.committed_idr)
        b.put(years);
    return std::move(b.data);
}

ReplicateState decode_state(Reader& r) {
    ReplicateState state;
    state.seed = r.get<std::uint64_t>();
    state.replicate = r.get<std::uint32_t>();
    state.origin = r.get<Month>();
    state.month = r.get<Month>();
    state.scale_workers_per_agent = r.get<double>();
    r.get(state.region_codes);
    r.get(state.villages);
    r.get(state.desa);
    r.get(state.programme_names);
    for_each_column(state.population, [&](auto& column) { r.get(column); });
    r.get(state.labour_force);
    r.get(state.village_workers);
    r.get(state.village_covered);
    r.get(state.programme_members);
    state.commitment_first_year = r.get<int>();
    state.committed_idr.resize(static_cast<std::size_t>(r.get<std::uint64_t>()));
    for (std::vector<double>& years : state.committed_idr)
        r.get(years);
    return state;
}

// ---- agreement between ranks ---------------------------------------------------------------

/// FNV-1a: the same on every rank and build, unlike std::hash.
class Fingerprint {
public:
    void add(std::string_view text) {
        add(std::uint64_t{text.size()});
        for (const char c : text)
            byte(static_cast<unsigned char>(c));
    }
    void add(std::uint64_t value) {
        for (int i = 0; i < 8; ++i)
            byte(static_cast<unsigned char>(value >> (8 * i)));
    }
    std::uint64_t value() const { return hash_; }

private:
    void byte(unsigned char c) {
        hash_ ^= c;
        hash_ *= 0x100000001b3u;
    }
    std::uint64_t hash_ = 0xcbf29ce484222325u;
};

/// Throws InputError on every rank unless every rank runs the same ensemble: a rank given
/// another scenario or seed would otherwise go unnoticed and mix its replicates in.
void check_agreement(const RunPlan& plan, const EnsembleOptions& options,
                     const ExecutionContext& context) {
    Fingerprint f;
    f.add(std::uint64_t{plan.size()});
    for (const PlannedScenario& m : plan.entries()) {
        const Scenario& s = *m.scenario;
        f.add(s.resolved_toml);
        f.add(m.seed_or_scenario());
        f.add(static_cast<std::uint64_t>(s.run.months));
        f.add(static_cast<std::uint64_t>(s.run.start.index()));
        f.add(std::bit_cast<std::uint64_t>(s.population.scale_workers_per_agent));
        f.add(std::uint64_t{s.regions.size()});
        f.add(std::uint64_t{m.replicates.first} << 32 | m.replicates.count);
    }
    f.add(static_cast<std::uint64_t>(context.distribution));
    f.add(static_cast<std::uint64_t>(options.results_on));
    f.add(static_cast<std::uint64_t>(options.checkpoint_after_months));
    f.add(std::uint64_t{options.start_state != nullptr} << 1 | (options.on_checkpoint != nullptr));
    const std::uint64_t mine = f.value();
    const std::vector<std::uint64_t> all = context.cluster->gather_all(std::span(&mine, 1));
    for (std::size_t r = 1; r < all.size(); ++r)
        if (all[r] != all[0])
            throw InputError(Diagnostic{
                {"mpirun", 0, 0, true},
                "ranks",
                "rank " + std::to_string(r) +
                    " was given another ensemble than rank 0 (another scenario, seed, months, "
                    "replicates or options): every rank must run the same command line on the "
                    "same files"});
}

/// What a rank does in a shared ensemble.
struct Sharing {
    Cluster* cluster = nullptr;                 ///< null: this process alone
    bool regions = false;                       ///< every replicate by every rank, each its regions
    std::vector<std::vector<int>> region_ranks; ///< by entry, when regions
};

struct Delivery {
    std::function<void(const Job&, ReplicateSeries&&)> series;
    std::function<void(const Job&, ReplicateState&&)> state; ///< with options.on_checkpoint
};

/// Runs `jobs` here; see run_ensemble. `deliver` is called for each finished replicate (and
/// checkpoint state) with the callbacks' lock held. `poll`, when set, is called with it held
/// every millisecond, on a thread of its own, until it returns false (rank 0 collecting the
/// other ranks' replicates): a rank sending one waits until it is received, so rank 0 must
/// receive while it computes, synthesis and long months included. The progress totals are
/// those of the whole ensemble.
void run_jobs(
    const RunPlan& plan, const EnsembleOptions& options, const ExecutionContext& context,
    const std::vector<Job>& jobs, const Sharing& sharing, const Delivery& deliver,
    const std::function<bool(std::int64_t& agent_months, std::uint32_t& replicates)>& poll) {
    EnsembleProgress progress;
    std::vector<std::int64_t> per_month(plan.size());
    for (std::size_t i = 0; i < plan.size(); ++i)
        per_month[i] = starting_agents(plan.scenario(i));
    progress.agent_months_total = plan.agent_months();
    progress.replicates_total = plan.replicates();

    const int threads =
        context.threads > 0 ? context.threads : tbb::this_task_arena::max_concurrency();
    // Ranks sharing a replicate's regions step it together, one replicate at a time.
    const std::size_t lanes = sharing.regions
                                  ? std::min<std::size_t>(jobs.size(), 1)
                                  : std::min(jobs.size(), context.replicates_at_once > 0
                                                              ? context.replicates_at_once
                                                              : static_cast<std::size_t>(threads));

    std::atomic<std::size_t> next{0};
    std::atomic<std::int64_t> agent_months_done{0};
    std::atomic<std::uint32_t> replicates_done{0};
    std::atomic<bool> failed{false};
    std::mutex report; // serialises the callbacks (and, in a cluster, the messages)
    std::mutex load;   // serialises start_state
    std::exception_ptr first_error;

    const auto fail = [&](std::exception_ptr error) {
        std::lock_guard lock(report);
        if (!first_error) first_error = error;
        failed = true;
    };
    // Delivers with `report` held and, if the delivery throws, marks the failure before
    // letting go of it: otherwise another lane could take the lock in between, see no
    // failure yet, and deliver one replicate more after the one that failed.
    const auto deliver_locked = [&](auto&& delivery) -> bool {
        std::lock_guard lock(report);
        if (failed) return false;
        try {
            delivery();
        } catch (...) {
            if (!first_error) first_error = std::current_exception();
            failed = true;
            return false;
        }
        return true;
    };
    // With `report` held.
    const auto collect = [&]() -> bool {
        std::int64_t months = 0;
        std::uint32_t replicates = 0;
        const bool more = poll(months, replicates);
        agent_months_done += months;
        replicates_done += replicates;
        return more;
    };
    const auto notify = [&](bool wait) {
        if (!context.on_progress) return;
        std::unique_lock lock(report, std::defer_lock);
        if (wait)
            lock.lock();
        else if (!lock.try_lock())
            return;
        if (failed) return;
        EnsembleProgress now = progress;
        now.agent_months_done = agent_months_done;
        now.replicates_done = replicates_done;
        context.on_progress(now);
    };

    // A lane is a sequence of replicates pulled from the shared list: at most `lanes`
    // populations exist at once. Each replicate is isolated so that a thread waiting for its
    // agents' tasks never picks up another lane's replicate (and another population).
    const auto lane = [&] {
        for (std::size_t j = next++; j < jobs.size() && !failed; j = next++) {
            const Job job = jobs[j];
            const Scenario& s = plan.scenario(job.entry);
            try {
                SimulationOptions sim;
                sim.profile = options.profile;
                sim.seed = plan[job.entry].seed;
                if (sharing.regions) {
                    sim.cluster = sharing.cluster;
                    sim.region_ranks = sharing.region_ranks[job.entry];
                }
                sim.on_month = [&](int) {
                    if (failed) throw Abandoned{};
                    if (context.stop && *context.stop) throw Stopped{};
                    agent_months_done += per_month[job.entry];
                    notify(false);
                };
                std::optional<ReplicateState> start;
                if (options.start_state) {
                    std::lock_guard lock(load);
                    start = options.start_state(job.entry, job.replicate);
                }
                const bool checkpoint = static_cast<bool>(options.on_checkpoint);
                const int months = s.run.months;
                const int capture = checkpoint ? options.checkpoint_after_months : months;
                std::unique_ptr<ReplicateSimulation> replicate;
                ReplicateSeries series;
                std::optional<ReplicateState> state;
                // The months up to the checkpoint, then the rest; the callback runs outside
                // the isolated region.
                tbb::this_task_arena::isolate([&] {
                    replicate =
                        start ? std::make_unique<ReplicateSimulation>(s, std::move(*start), sim)
                              : std::make_unique<ReplicateSimulation>(s, job.replicate, sim);
                    start.reset();
                    while (replicate->months_done() < capture)
                        replicate->step();
                    if (!checkpoint) return;
                    if (capture == months) {
                        series = replicate->take_series();
                        state = replicate->take_state();
                        replicate.reset();
                    } else {
                        state = replicate->capture_state();
                    }
                });
                if (state) {
                    if (!deliver_locked([&] { deliver.state(job, std::move(*state)); })) return;
                    state.reset();
                }
                if (replicate)
                    tbb::this_task_arena::isolate([&] {
                        while (replicate->months_done() < months)
                            replicate->step();
                        series = replicate->take_series();
                        replicate.reset();
                    });
                ++replicates_done;
                if (!deliver_locked([&] { deliver.series(job, std::move(series)); })) return;
                notify(true);
            } catch (const Abandoned&) {
                return;
            } catch (...) {
                fail(std::current_exception());
                return;
            }
        }
    };

    // Polling rather than a blocking receive, so that the collector stops when a replicate
    // fails here and leaves the core to the computing threads between messages.
    std::atomic<bool> collecting{static_cast<bool>(poll)};
    std::thread collector;
    if (poll)
        collector = std::thread([&] {
            try {
                for (bool more = true; more;) {
                    if (!deliver_locked([&] { more = collect(); })) break;
                    if (more) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            } catch (...) {
                fail(std::current_exception());
            }
            collecting = false;
        });

    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lanes, 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i)
                                  lane();
                          });
    });
    // The other ranks' replicates still on their way: progress goes on, and on_progress may
    // stop the wait (Ctrl-C), which the collector sees as a failure.
    while (collecting) {
        try {
            if (context.stop && *context.stop) throw Stopped{};
            notify(true);
        } catch (...) {
            fail(std::current_exception());
        }
        for (int i = 0; i < 200 && collecting; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (collector.joinable()) collector.join();
    if (first_error) std::rethrow_exception(first_error);
    if (poll) notify(true);
}

} // namespace

bool splits_regions(const RunPlan& plan, const EnsembleOptions& options,
                    const ExecutionContext& context) {
    if (context.ranks() <= 1) return false;
    switch (context.distribution) {
    case Distribution::replicates:
        return false;
    case Distribution::regions:
        return true;
    case Distribution::automatic:
        break;
    }
    if (options.start_state || options.on_checkpoint) return false;
    return plan.replicates() < static_cast<std::uint32_t>(context.ranks());
}

double largest_agent_share(const RunPlan& plan, const EnsembleOptions& options,
                           const ExecutionContext& context) {
    if (!splits_regions(plan, options, context)) return 1;
    double share = 0;
    for (const PlannedScenario& e : plan.entries()) {
        const std::vector<int> ranks = share_regions(*e.scenario, context.ranks());
        double mine = 0, all = 0;
        for (std::size_t k = 0; k < ranks.size(); ++k) {
            const auto agents = static_cast<double>(agents_in_region(*e.scenario, k));
            all += agents;
            if (ranks[k] == context.rank()) mine += agents;
        }
        share = std::max(share, all > 0 ? mine / all : 0.0);
    }
    return share;
}

void run_ensemble(const RunPlan& plan, const ExecutionContext& context,
                  const EnsembleOptions& options) {
    for (const PlannedScenario& m : plan.entries()) {
        if (options.on_checkpoint && (options.checkpoint_after_months < 0 ||
                                      options.checkpoint_after_months > m.scenario->run.months))
            throw std::invalid_argument("run_ensemble: checkpoint after " +
                                        std::to_string(options.checkpoint_after_months) +
                                        " months is outside a run of " +
                                        std::to_string(m.scenario->run.months) + " months");
    }
    const std::vector<Job> all = replicate_major(plan);
    Cluster* cluster = context.cluster;
    Delivery here;
    here.series = [&](const Job& job, ReplicateSeries&& series) {
        if (options.on_replicate) options.on_replicate(job.entry, job.replicate, std::move(series));
    };
    here.state = [&](const Job& job, ReplicateState&& state) {
        options.on_checkpoint(job.entry, job.replicate, std::move(state));
    };
    if (!cluster || cluster->size() <= 1) {
        if (!all.empty()) run_jobs(plan, options, context, all, {}, here, {});
        return;
    }

    check_agreement(plan, options, context);
    const int rank = cluster->rank();
    const auto ranks = static_cast<std::size_t>(cluster->size());
    const bool everywhere = options.results_on == ResultsOn::every_rank;
    Sharing sharing;
    sharing.cluster = cluster;

    if (splits_regions(plan, options, context)) {
        if (options.start_state || options.on_checkpoint)
            throw InputError(Diagnostic{
                {"mpirun", 0, 0, true},
                "distribution",
                "checkpoints need whole replicates on each rank, not replicates split by "
                "region: run at least as many replicates as ranks, or distribute replicates"});
        sharing.regions = true;
        for (const PlannedScenario& m : plan.entries())
            sharing.region_ranks.push_back(share_regions(*m.scenario, cluster->size()));
        // Every rank ends each replicate with its whole series.
        Delivery keep;
        keep.series = [&](const Job& job, ReplicateSeries&& series) {
            if (everywhere || rank == 0) here.series(job, std::move(series));
        };
        if (!all.empty()) run_jobs(plan, options, context, all, sharing, keep, {});
        return;
    }

    // Replicates: pair i of the replicate-major list runs on rank i mod ranks.
    std::vector<Job> mine;
    for (std::size_t i = static_cast<std::size_t>(rank); i < all.size(); i += ranks)
        mine.push_back(all[i]);
    if (everywhere) {
        if (options.on_checkpoint)
            throw std::invalid_argument(
                "run_ensemble: checkpoints are written by rank 0: ResultsOn::rank_zero");
        // Each rank keeps its replicates as bytes until all are done, then each is broadcast
        // from its rank, in the list's order, so that every rank sees every replicate.
        std::vector<std::vector<std::byte>> kept(mine.size());
        Delivery keep;
        keep.series = [&](const Job& job, ReplicateSeries&& series) {
            kept[job.position / ranks] = encode(job, series);
            here.series(job, std::move(series));
        };
        if (!mine.empty()) run_jobs(plan, options, context, mine, sharing, keep, {});
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto owner = static_cast<int>(i % ranks);
            std::vector<std::byte> bytes;
            if (owner == rank) bytes = std::move(kept[i / ranks]);
            cluster->broadcast(bytes, owner);
            if (owner == rank) continue;
            Reader r(bytes);
            const auto [kind, job] = message_head(r, plan.size(), owner);
            if (kind != Message::series) corrupt_message(owner);
            here.series(job, decode_series(r));
        }
        return;
    }

    if (rank != 0) {
        Delivery send;
        send.series = [&](const Job& job, ReplicateSeries&& series) {
            cluster->send(0, encode(job, series));
        };
        send.state = [&](const Job& job, ReplicateState&& state) {
            cluster->send(0, encode(job, state));
        };
        if (!mine.empty()) run_jobs(plan, options, context, mine, sharing, send, {});
        return;
    }
    // Rank 0: its own replicates, and those the others send, in whatever order they come.
    std::size_t incoming = (all.size() - mine.size()) * (options.on_checkpoint ? 2 : 1);
    std::vector<std::byte> bytes;
    const auto receive = [&](std::int64_t& agent_months, std::uint32_t& replicates) {
        int from = 0;
        while (incoming > 0 && cluster->try_receive(bytes, from)) {
            --incoming;
            Reader r(bytes);
            const auto [kind, job] = message_head(r, plan.size(), from);
            if (kind == Message::state) {
                if (!options.on_checkpoint) corrupt_message(from);
                here.state(job, decode_state(r));
                continue;
            }
            agent_months +=
                starting_agents(plan.scenario(job.entry)) * plan.scenario(job.entry).run.months;
            ++replicates;
            here.series(job, decode_series(r));
        }
        return incoming > 0;
    };
    run_jobs(plan, options, context, mine, sharing, here, receive);
}

PlanRunner runner_on(ExecutionContext context) {
    return [context = std::move(context)](const RunPlan& plan, const EnsembleOptions& options) {
        run_ensemble(plan, context, options);
    };
}

} // namespace ulcsim
