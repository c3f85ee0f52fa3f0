#pragma once
// Long library calls from Python: the work runs on its own thread without the GIL, while the
// calling (Python) thread wakes every tenth of a second to call the progress callback with
// the latest EnsembleProgress and to let Python see its signals. On Ctrl-C, Python's handler
// has raised KeyboardInterrupt: the ensemble's stop flag is set, the work ends between
// months by throwing Stopped, its writers remove their temporary files as they unwind, and
// KeyboardInterrupt reaches the caller with nothing written.

#include "ulcsim/execution.hpp"

#include <functional>
#include <pybind11/pybind11.h>

namespace ulcsim::python {

/// Calls `work(context)` as above, `context` being `base` with the progress hook and the
/// stop flag set. `progress` is None or a callable taking (done, total, replicates_done,
/// replicates_total), in agent-months and replicates. Rethrows what the work threw, a
/// callback's exception, or KeyboardInterrupt.
void run_interruptibly(const std::function<void(const ExecutionContext&)>& work,
                       ExecutionContext base, const pybind11::object& progress);

/// The execution context of `threads` threads (None or 0: every core) and `sink`.
ExecutionContext execution_context(int threads, OutputSink* sink);

/// `threads` as a run records it: the arena's threads when none were asked for.
int threads_used(int threads);

} // namespace ulcsim::python
