#pragma once
// The comparisons a planner's server runs: how many may run and wait at once (beyond them a
// request is refused, so that a burst cannot pile up without bound), a page's newer request
// stopping its older one, and how far each run is, for the page's progress bar.

#include "ulcsim/execution.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ulcsim::serve {

enum class RunState : int { waiting, running, done, stopped, failed };

/// How far one run is; written by the run, read by the progress route.
struct RunProgress {
    std::atomic<RunState> state{RunState::waiting};
    std::atomic<std::int64_t> agent_months_done{0}, agent_months_total{0};
    std::atomic<std::uint32_t> replicates_done{0}, replicates_total{0};
};

/// Whether a page's session or run id is one the server keeps: 1–64 letters, digits, '-'
/// or '_' (ids are keys of maps, never paths, and never echoed unchecked).
bool valid_run_id(const std::string& id);

class PlannerRuns {
public:
    PlannerRuns(int max_running, int max_waiting);

    /// A comparison admitted to run: holds its place until it goes.
    class Ticket {
    public:
        ~Ticket();
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;

        const std::atomic<bool>* stop() const { return stop_.get(); }
        /// Records the ensemble's progress (ExecutionContext::on_progress).
        void progressed(const EnsembleProgress& p);
        void finish(RunState state);

    private:
        friend class PlannerRuns;
        Ticket(PlannerRuns& runs, std::string session);
        PlannerRuns& runs_;
        std::string session_;
        std::shared_ptr<std::atomic<bool>> stop_;
        std::shared_ptr<RunProgress> progress_;
        bool counted_ = true; ///< holds a place among running and waiting (runs_.mutex_)
        bool running_ = false;
    };

    /// Admits a comparison of page `session` (empty: none), its progress kept under `run`
    /// (empty: not kept). Stops the session's older comparison, which gives up its place at
    /// once. Null when as many comparisons as allowed are running and waiting.
    std::unique_ptr<Ticket> admit(const std::string& session, const std::string& run);
    /// Waits for a turn to run; false when the ticket was stopped meanwhile.
    bool wait_turn(Ticket& ticket);

    /// {"run", "state", "fraction", "replicates_done", "replicates_total"}; state "unknown"
    /// for a run id the server does not know (not yet arrived, or long forgotten).
    std::string progress_json(const std::string& run) const;
    /// {"status": "ok", "running", "waiting", "max_running", "max_waiting"}.
    std::string health_json() const;
    /// Seconds a refused request is told to wait before trying again.
    static constexpr int retry_after_seconds = 2;
    std::string busy_message() const;

private:
    const int max_running_, max_waiting_;
    mutable std::mutex mutex_;
    std::condition_variable turn_;
    int admitted_ = 0; ///< counted tickets: running or waiting, not stopped
    int running_ = 0;  ///< tickets holding a turn (a stopped one until it ends)
    std::map<std::string, Ticket*> sessions_;
    /// Progress of the most recent runs, oldest first in `order_`, at most `kept_runs`.
    static constexpr std::size_t kept_runs = 256;
    std::map<std::string, std::shared_ptr<RunProgress>> progress_;
    std::deque<std::string> order_;
};

} // namespace ulcsim::serve
