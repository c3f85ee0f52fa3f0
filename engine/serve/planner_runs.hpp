#pragma once
// The comparisons a planner's server runs: how many may run and wait at once (beyond them a
// request is refused, so that a burst cannot pile up without bound), how many of them one
// client may hold (so that it cannot take every place), how much memory the running ones may
// need together, a page's newer request stopping its older one, and how far each run is, for
// the page's progress bar.

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

/// The bounds of PlannerRuns.
struct RunBounds {
    int max_running = 2, max_waiting = 4;
    int max_per_client = 1;         ///< running and waiting comparisons of one client
    std::uint64_t memory_bytes = 0; ///< the running comparisons' estimates together; 0: none
    std::uint64_t memory_limit = 0; ///< the budget it is left of, beside the program's own
    std::string memory_source;      ///< what sets the budget ("--memory-limit", …)
};

class PlannerRuns {
public:
    explicit PlannerRuns(RunBounds bounds);

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
        Ticket(PlannerRuns& runs, std::string session, std::string client, std::uint64_t bytes);
        PlannerRuns& runs_;
        std::string session_;
        std::string client_;
        std::uint64_t bytes_ = 0; ///< its run's memory estimate, held while it runs
        std::shared_ptr<std::atomic<bool>> stop_;
        std::shared_ptr<RunProgress> progress_;
        bool counted_ = true; ///< holds a place among running and waiting (runs_.mutex_)
        bool running_ = false;
    };

    /// A ticket, or why there is none: the status (429, 503), the message and the seconds
    /// to wait before trying again (0: trying again does not help).
    struct Admission {
        std::unique_ptr<Ticket> ticket;
        int status = 0;
        std::string message;
        int retry_after = 0;
    };
    /// Admits a comparison of page `session` (empty: none) from `client` (its address) that
    /// needs `bytes` of memory while it runs, its progress kept under `run` (empty: not
    /// kept). Stops the session's older comparison, which gives up its place at once.
    /// Refused: 503 when the comparison needs more memory than the bound even alone (no
    /// Retry-After); 503 when as many comparisons as allowed are running and waiting; 429 when
    /// the client has as many comparisons running and waiting as one client may.
    Admission admit(const std::string& session, const std::string& run, const std::string& client,
                    std::uint64_t bytes);
    /// Stops page `session`'s comparison, which gives up its place at once: the page has
    /// moved on to a request that cannot run (admit does it for one that can).
    void stop_session(const std::string& session);
    /// Waits for a turn to run — a place among the running, and room in the memory bound
    /// beside the running comparisons; false when the ticket was stopped meanwhile.
    bool wait_turn(Ticket& ticket);

    /// {"run", "state", "fraction", "replicates_done", "replicates_total"}; state "unknown"
    /// for a run id the server does not know (not yet arrived, or long forgotten).
    std::string progress_json(const std::string& run) const;
    /// {"status": "ok", "running", "waiting", "max_running", "max_waiting", "max_per_client",
    /// "memory_bytes" (the running comparisons' estimates), "memory_limit_bytes" (0: none)}.
    std::string health_json() const;
    /// Seconds a refused request is told to wait before trying again.
    static constexpr int retry_after_seconds = 2;
    std::string busy_message() const;

private:
    /// Gives up a ticket's place among running and waiting (mutex_ held).
    void uncount(Ticket& ticket);
    /// stop_session with mutex_ held.
    void stop_session_locked(const std::string& session);

    const RunBounds bounds_;
    mutable std::mutex mutex_;
    std::condition_variable turn_;
    int admitted_ = 0;                   ///< counted tickets: running or waiting, not stopped
    int running_ = 0;                    ///< tickets holding a turn (a stopped one until it ends)
    std::uint64_t running_bytes_ = 0;    ///< the estimates of the tickets holding a turn
    std::map<std::string, int> clients_; ///< counted tickets by client
    std::map<std::string, Ticket*> sessions_;
    /// Progress of the most recent runs, oldest first in `order_`, at most `kept_runs`.
    static constexpr std::size_t kept_runs = 256;
    std::map<std::string, std::shared_ptr<RunProgress>> progress_;
    std::deque<std::string> order_;
};

} // namespace ulcsim::serve
