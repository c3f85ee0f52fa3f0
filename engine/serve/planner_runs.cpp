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

PlannerRuns::PlannerRuns(int max_running, int max_waiting)
    : max_running_(std::max(1, max_running)), max_waiting_(std::max(0, max_waiting)) {}

PlannerRuns::Ticket::Ticket(PlannerRuns& runs, std::string session)
    : runs_(runs), session_(std::move(session)), stop_(std::make_shared<std::atomic<bool>>(false)),
      progress_(std::make_shared<RunProgress>()) {}

PlannerRuns::Ticket::~Ticket() {
    // A run that ends without saying how (an exception) failed.
    RunState expected = RunState::waiting;
    progress_->state.compare_exchange_strong(expected, RunState::failed);
    expected = RunState::running;
    progress_->state.compare_exchange_strong(expected, RunState::failed);
    const std::lock_guard lock(runs_.mutex_);
    if (counted_) --runs_.admitted_;
    if (running_) --runs_.running_;
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

std::unique_ptr<PlannerRuns::Ticket> PlannerRuns::admit(const std::string& session,
                                                        const std::string& run) {
    const std::lock_guard lock(mutex_);
    // The page has moved on: its older comparison stops between months and gives up its
    // place now (its turn, if it has one, when it has stopped).
    if (!session.empty())
        if (const auto it = sessions_.find(session); it != sessions_.end()) {
            Ticket& older = *it->second;
            *older.stop_ = true;
            if (older.counted_) {
                older.counted_ = false;
                --admitted_;
            }
            sessions_.erase(it);
            turn_.notify_all();
        }
    if (admitted_ >= max_running_ + max_waiting_) return nullptr;
    std::unique_ptr<Ticket> ticket(new Ticket(*this, session));
    ++admitted_;
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
    return ticket;
}

bool PlannerRuns::wait_turn(Ticket& ticket) {
    std::unique_lock lock(mutex_);
    turn_.wait(lock, [&] { return *ticket.stop_ || running_ < max_running_; });
    if (*ticket.stop_) {
        ticket.progress_->state = RunState::stopped;
        return false;
    }
    ++running_;
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
    j.key("max_running").num(max_running_).key("max_waiting").num(max_waiting_).raw("}");
    return j.take();
}

std::string PlannerRuns::busy_message() const {
    return "the server is busy: as many comparisons are running (" + std::to_string(max_running_) +
           ") and waiting (" + std::to_string(max_waiting_) + ") as it takes; try again in " +
           std::to_string(retry_after_seconds) + " s";
}

} // namespace ulcsim::serve
