// The server's comparisons: places among running and waiting, sessions, progress.

#include "planner_runs.hpp"

#include "json_writer.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ulcsim::serve {

bool valid_run_id(const std::string& id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

namespace {

RunBounds checked(RunBounds b) {
    b.max_running = std::max(1, b.max_running);
    b.max_waiting = std::max(0, b.max_waiting);
    b.max_per_client = std::max(1, b.max_per_client);
    return b;
}

std::string byte_text(std::uint64_t bytes) {
    // Whole megabytes, as the run command's memory lines give them.
    return std::to_string((bytes + 500'000) / 1'000'000) + " MB";
}

} // namespace

PlannerRuns::PlannerRuns(RunBounds bounds) : bounds_(checked(std::move(bounds))) {}

PlannerRuns::Ticket::Ticket(PlannerRuns& runs, std::string session, std::string client,
                            std::uint64_t bytes)
    : runs_(runs), session_(std::move(session)), client_(std::move(client)), bytes_(bytes),
      stop_(std::make_shared<std::atomic<bool>>(false)),
      progress_(std::make_shared<RunProgress>()) {}

void PlannerRuns::uncount(Ticket& ticket) {
    if (!ticket.counted_) return;
    ticket.counted_ = false;
    --admitted_;
    if (const auto it = clients_.find(ticket.client_); it != clients_.end() && --it->second <= 0)
        clients_.erase(it);
}

PlannerRuns::Ticket::~Ticket() {
    // A run that ends without saying how (an exception) failed.
    RunState expected = RunState::waiting;
    progress_->state.compare_exchange_strong(expected, RunState::failed);
    expected = RunState::running;
    progress_->state.compare_exchange_strong(expected, RunState::failed);
    const std::lock_guard lock(runs_.mutex_);
    runs_.uncount(*this);
    if (running_) {
        --runs_.running_;
        runs_.running_bytes_ -= bytes_;
    }
    if (!session_.empty()) {
        const auto it = runs_.sessions_.find(session_);
        if (it != runs_.sessions_.end() && it->second == this) runs_.sessions_.erase(it);
    }
    runs_.turn_.notify_all();
}

void PlannerRuns::Ticket::progressed(const EnsembleProgress& p) {
    progress_->agent_months_total = p.agent_months_total;
    progress_->agent_months_done = p.agent_months_done;
    progress_->replicates_total = p.replicates_total;
    progress_->replicates_done = p.replicates_done;
}

void PlannerRuns::Ticket::finish(RunState state) {
    if (state == RunState::done) {
        progress_->agent_months_done = progress_->agent_months_total.load();
        progress_->replicates_done = progress_->replicates_total.load();
    }
    progress_->state = state;
}

void PlannerRuns::stop_session(const std::string& session) {
    const std::lock_guard lock(mutex_);
    stop_session_locked(session);
}

void PlannerRuns::stop_session_locked(const std::string& session) {
    // The page has moved on: its older comparison stops between months and gives up its
    // place now (its turn, if it has one, when it has stopped).
    if (session.empty()) return;
    if (const auto it = sessions_.find(session); it != sessions_.end()) {
        Ticket& older = *it->second;
        *older.stop_ = true;
        uncount(older);
        sessions_.erase(it);
        turn_.notify_all();
    }
}

PlannerRuns::Admission PlannerRuns::admit(const std::string& session, const std::string& run,
                                          const std::string& client, std::uint64_t bytes) {
    const std::lock_guard lock(mutex_);
    stop_session_locked(session);
    Admission refused;
    // A comparison that cannot fit even alone would wait for ever: refused, and trying again
    // does not help.
    if (bounds_.memory_bytes > 0 && bytes > bounds_.memory_bytes) {
        refused.status = 503;
        refused.message = "this comparison needs up to " + byte_text(bytes) +
                          " of memory; the server's memory limit of " +
                          byte_text(bounds_.memory_limit) + " (" + bounds_.memory_source +
                          ") leaves " + byte_text(bounds_.memory_bytes) +
                          " for comparisons beside the program's own. To make it fit, raise "
                          "population.scale (more workers per agent), or ask for fewer "
                          "replicates or months";
        return refused;
    }
    if (admitted_ >= bounds_.max_running + bounds_.max_waiting) {
        refused.status = 503;
        refused.message = busy_message();
        refused.retry_after = retry_after_seconds;
        return refused;
    }
    // One client's comparisons beyond its share, while the server has room for others': 429
    // (Too Many Requests), not 503, since it is this client's load, not the server's, that
    // refuses it; others are still served.
    if (const auto it = clients_.find(client);
        it != clients_.end() && it->second >= bounds_.max_per_client) {
        refused.status = 429;
        refused.message = "too many comparisons from this client: it has " +
                          std::to_string(it->second) +
                          " running and waiting, the most one client may have (" +
                          std::to_string(bounds_.max_per_client) + "); try again in " +
                          std::to_string(retry_after_seconds) + " s";
        refused.retry_after = retry_after_seconds;
        return refused;
    }
    std::unique_ptr<Ticket> ticket(new Ticket(*this, session, client, bytes));
    ++admitted_;
    ++clients_[client];
    if (!session.empty()) sessions_[session] = ticket.get();
    if (!run.empty()) {
        if (progress_.count(run) == 0) {
            order_.push_back(run);
            if (order_.size() > kept_runs) {
                progress_.erase(order_.front());
                order_.pop_front();
            }
        }
        progress_[run] = ticket->progress_;
    }
    return {std::move(ticket), 0, {}, 0};
}

bool PlannerRuns::wait_turn(Ticket& ticket) {
    std::unique_lock lock(mutex_);
    // A turn when a place among the running is free and the comparison's memory fits beside
    // theirs (it fits alone: admit refused it otherwise).
    turn_.wait(lock, [&] {
        return *ticket.stop_ || (running_ < bounds_.max_running &&
                                 (bounds_.memory_bytes == 0 ||
                                  running_bytes_ + ticket.bytes_ <= bounds_.memory_bytes));
    });
    if (*ticket.stop_) {
        ticket.progress_->state = RunState::stopped;
        return false;
    }
    ++running_;
    running_bytes_ += ticket.bytes_;
    ticket.running_ = true;
    ticket.progress_->state = RunState::running;
    return true;
}

std::string PlannerRuns::progress_json(const std::string& run) const {
    std::shared_ptr<RunProgress> p;
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = progress_.find(run); it != progress_.end()) p = it->second;
    }
    static constexpr std::array<std::string_view, 5> names{"waiting", "running", "done", "stopped",
                                                           "failed"};
    detail::JsonWriter j;
    j.raw("{").key("run").str(run).key("state");
    if (!p) {
        j.str("unknown").key("fraction").num(0);
        j.key("replicates_done").num(0).key("replicates_total").num(0).raw("}");
        return j.take();
    }
    const RunState state = p->state;
    const auto total = static_cast<double>(p->agent_months_total.load());
    const double fraction = state == RunState::done ? 1
                            : total > 0 ? static_cast<double>(p->agent_months_done.load()) / total
                                        : 0;
    j.str(names[static_cast<std::size_t>(state)]).key("fraction").num(fraction);
    j.key("replicates_done").num(p->replicates_done.load());
    j.key("replicates_total").num(p->replicates_total.load()).raw("}");
    return j.take();
}

std::string PlannerRuns::health_json() const {
    const std::lock_guard lock(mutex_);
    detail::JsonWriter j;
    j.raw("{").key("status").str("ok");
    j.key("running").num(running_).key("waiting").num(std::max(0, admitted_ - running_));
    j.key("max_running").num(bounds_.max_running).key("max_waiting").num(bounds_.max_waiting);
    j.key("max_per_client").num(bounds_.max_per_client);
    j.key("memory_bytes").raw(std::to_string(running_bytes_));
    j.key("memory_limit_bytes").raw(std::to_string(bounds_.memory_bytes)).raw("}");
    return j.take();
}

std::string PlannerRuns::busy_message() const {
    return "the server is busy: as many comparisons are running (" +
           std::to_string(bounds_.max_running) + ") and waiting (" +
           std::to_string(bounds_.max_waiting) + ") as it takes; try again in " +
           std::to_string(retry_after_seconds) + " s";
}

} // namespace ulcsim::serve
