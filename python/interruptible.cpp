#include "interruptible.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <tbb/task_arena.h>
#include <thread>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// How often the Python thread wakes: Ctrl-C answers within it, and progress is no more
/// frequent.
constexpr std::chrono::milliseconds tick{100};

} // namespace

int threads_used(int threads) {
    return threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
}

ExecutionContext execution_context(int threads, OutputSink* sink) {
    ExecutionContext context;
    context.threads = threads_used(threads);
    context.output = sink;
    return context;
}

void run_interruptibly(const std::function<void(const ExecutionContext&)>& work,
                       ExecutionContext base, const py::object& progress) {
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable finished_or_progress;
    bool done = false;
    std::optional<EnsembleProgress> latest;
    std::exception_ptr failure;

    ExecutionContext context = std::move(base);
    context.stop = &stop;
    context.on_progress = [&](const EnsembleProgress& p) {
        const std::lock_guard lock(mutex);
        latest = p;
    };

    std::thread worker([&] {
        try {
            work(context);
        } catch (...) {
            failure = std::current_exception();
        }
        {
            const std::lock_guard lock(mutex);
            done = true;
        }
        finished_or_progress.notify_all();
    });
    // The worker is joined whatever happens here, without the GIL so that Python's other
    // threads run while it finishes (it never needs the GIL itself).
    const auto stop_and_join = [&] {
        stop = true;
        py::gil_scoped_release release;
        worker.join();
    };

    std::exception_ptr interruption;
    for (;;) {
        bool finished = false;
        std::optional<EnsembleProgress> report;
        {
            py::gil_scoped_release release;
            std::unique_lock lock(mutex);
            finished_or_progress.wait_for(lock, tick, [&] { return done; });
            finished = done;
            report.swap(latest);
        }
        try {
            if (!finished && PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (report && !progress.is_none())
                progress(report->agent_months_done, report->agent_months_total,
                         report->replicates_done, report->replicates_total);
        } catch (...) {
            // KeyboardInterrupt, or the callback's own exception: the work stops, and it is
            // what the caller sees.
            interruption = std::current_exception();
            stop_and_join();
            break;
        }
        if (finished) {
            py::gil_scoped_release release;
            worker.join();
            break;
        }
    }
    if (interruption) std::rethrow_exception(interruption);
    if (failure) std::rethrow_exception(failure);
}

} // namespace ulcsim::python
