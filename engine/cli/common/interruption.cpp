#include "interruption.hpp"

#include "ulcsim/output_sink.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace ulcsim::cli {

namespace {

// What the handler reaches: a handler takes no arguments. Lock-free atomics only, as a
// handler may read nothing else.
std::atomic<OutputSink*> interrupted_sink{nullptr};
std::atomic<bool> say_interrupted{true};
std::atomic<bool> committing{false};
static_assert(std::atomic<OutputSink*>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

struct sigaction previous_int, previous_term;

extern "C" void end_on_signal(int) {
    if (committing) return;
    if (OutputSink* sink = interrupted_sink) sink->remove_temporary_files();
    if (say_interrupted) {
        static constexpr char message[] = "ulcsim: interrupted: nothing written\n";
        [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, message, sizeof message - 1);
    }
    std::_Exit(130);
}

} // namespace

EndOnInterrupt::EndOnInterrupt(OutputSink& sink, bool say_so) {
    interrupted_sink = &sink;
    say_interrupted = say_so;
    committing = false;
    struct sigaction action {};
    action.sa_handler = end_on_signal;
    sigemptyset(&action.sa_mask);
    // Restarted calls: a signal that arrives while outputs are committed, and is then
    // ignored, must not fail the rename or write it interrupted.
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &previous_int);
    ::sigaction(SIGTERM, &action, &previous_term);
}

EndOnInterrupt::~EndOnInterrupt() {
    ::sigaction(SIGINT, &previous_int, nullptr);
    ::sigaction(SIGTERM, &previous_term, nullptr);
    // The sink dies after this object: no handler may reach it afterwards.
    interrupted_sink = nullptr;
}

void outputs_being_committed() {
    committing = true;
}

} // namespace ulcsim::cli
