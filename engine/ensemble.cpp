#include "ulcsim/ensemble.hpp"

#include "ulcsim/population.hpp"
#include "ulcsim/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace ulcsim {

namespace {

struct Job {
    std::size_t member;
    std::uint32_t replicate;
};

/// Raised in a replicate when another one has failed, so that it stops at the next month
/// instead of running to the end; never leaves run_ensemble.
struct Abandoned {};

} // namespace

std::int64_t starting_agents(const Scenario& scenario) {
    std::int64_t agents = 0;
    for (std::size_t k = 0; k < scenario.regions.size(); ++k)
        agents += agents_in_region(scenario, k);
    return agents;
}

void run_ensemble(const std::vector<EnsembleMember>& members, const EnsembleOptions& options) {
    // Replicate-major order: the first replicates of every scenario finish first, so an
    // interrupted comparison has paired replicates and progress moves evenly.
    std::vector<Job> jobs;
    std::uint32_t most = 0;
    for (const EnsembleMember& m : members) {
        if (!m.scenario) throw std::invalid_argument("run_ensemble: member without a scenario");
        most = std::max(most, m.replicates.count);
        if (options.on_checkpoint && (options.checkpoint_after_months < 0 ||
                                      options.checkpoint_after_months > m.scenario->run.months))
            throw std::invalid_argument("run_ensemble: checkpoint after " +
                                        std::to_string(options.checkpoint_after_months) +
                                        " months is outside a run of " +
                                        std::to_string(m.scenario->run.months) + " months");
    }
    EnsembleProgress progress;
    std::vector<std::int64_t> per_month(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
        per_month[i] = starting_agents(*members[i].scenario);
        progress.agent_months_total += per_month[i] * members[i].scenario->run.months *
                                       static_cast<std::int64_t>(members[i].replicates.count);
        progress.replicates_total += members[i].replicates.count;
    }
    for (std::uint32_t r = 0; r < most; ++r)
        for (std::size_t i = 0; i < members.size(); ++i)
            if (r < members[i].replicates.count)
                jobs.push_back({i, members[i].replicates.first + r});
    if (jobs.empty()) return;

    const int threads =
        options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    const std::size_t lanes = std::min(jobs.size(), options.concurrent_replicates > 0
                                                        ? options.concurrent_replicates
                                                        : static_cast<std::size_t>(threads));

    std::atomic<std::size_t> next{0};
    std::atomic<std::int64_t> agent_months_done{0};
    std::atomic<std::uint32_t> replicates_done{0};
    std::atomic<bool> failed{false};
    std::mutex report; // serialises the callbacks
    std::mutex load;   // serialises start_state
    std::exception_ptr first_error;

    const auto fail = [&](std::exception_ptr error) {
        std::lock_guard lock(report);
        if (!first_error) first_error = error;
        failed = true;
    };
    const auto notify = [&](bool wait) {
        if (!options.on_progress) return;
        std::unique_lock lock(report, std::defer_lock);
        if (wait)
            lock.lock();
        else if (!lock.try_lock())
            return;
        if (failed) return;
        EnsembleProgress now = progress;
        now.agent_months_done = agent_months_done;
        now.replicates_done = replicates_done;
        options.on_progress(now);
    };

    // A lane is a sequence of replicates pulled from the shared list: at most `lanes`
    // populations exist at once. Each replicate is isolated so that a thread waiting for its
    // agents' tasks never picks up another lane's replicate (and another population).
    const auto lane = [&] {
        for (std::size_t j = next++; j < jobs.size() && !failed; j = next++) {
            const Job job = jobs[j];
            const Scenario& s = *members[job.member].scenario;
            try {
                SimulationOptions sim;
                sim.profile = options.profile;
                sim.on_month = [&](int) {
                    if (failed) throw Abandoned{};
                    agent_months_done += per_month[job.member];
                    notify(false);
                };
                std::optional<ReplicateState> start;
                if (options.start_state) {
                    std::lock_guard lock(load);
                    start = options.start_state(job.member, job.replicate);
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
                    std::lock_guard lock(report);
                    if (failed) return;
                    options.on_checkpoint(job.member, job.replicate, std::move(*state));
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
                if (options.on_replicate) {
                    std::lock_guard lock(report);
                    if (failed) return;
                    options.on_replicate(job.member, job.replicate, std::move(series));
                }
                notify(true);
            } catch (const Abandoned&) {
                return;
            } catch (...) {
                fail(std::current_exception());
                return;
            }
        }
    };

    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lanes, 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i)
                                  lane();
                          });
    });
    if (first_error) std::rethrow_exception(first_error);
}

} // namespace ulcsim
