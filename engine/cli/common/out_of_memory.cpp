#include "out_of_memory.hpp"

#include "ensemble_command.hpp"

#include <atomic>
#include <mutex>

namespace ulcsim::cli {

namespace {

enum class Stage { before, running, writing };

// One command per process: the record of the ensemble it runs (the last, for commands that run
// several, such as calibrate or target). Progress arrives from the ensemble's threads.
struct Record {
    std::mutex mutex;
    Stage stage = Stage::before;
    double estimate = 0;
    double limit = 0;
    std::string limit_source;
    std::size_t replicates = 0;
    std::atomic<std::size_t> done{0};
};

Record& record() {
    static Record r;
    return r;
}

} // namespace

void note_ensemble_started(double estimate, double limit, const std::string& limit_source,
                           std::size_t replicates) {
    Record& r = record();
    const std::lock_guard lock(r.mutex);
    r.stage = Stage::running;
    r.estimate = estimate;
    r.limit = limit;
    r.limit_source = limit_source;
    r.replicates = replicates;
    r.done = 0;
}

void note_replicates_done(std::size_t done) {
    record().done = done;
}

void note_ensemble_finished() {
    Record& r = record();
    const std::lock_guard lock(r.mutex);
    r.stage = Stage::writing;
}

// Composed after the stack has unwound, when the replicates' memory is free again: the strings
// below can be allocated.
std::string out_of_memory_message() {
    Record& r = record();
    const std::lock_guard lock(r.mutex);
    const std::string what_to_lower =
        "raise population.scale (more workers per agent) with --set, or lower "
        "--replicates-at-once or --threads";
    const std::string budget =
        "the estimate was " + byte_size(r.estimate) + ", the limit " +
        (r.limit > 0 ? byte_size(r.limit) + " (" + r.limit_source + ")" : "unknown");
    switch (r.stage) {
    case Stage::before:
        return "ran out of memory; nothing written. Free memory or raise the process's limit "
               "(ulimit -v); for a run, " +
               what_to_lower;
    case Stage::running:
        return "ran out of memory after " + std::to_string(r.done.load()) + " of " +
               std::to_string(r.replicates) + " replicates, although the pre-check passed (" +
               budget + "); nothing written. To make it fit, " + what_to_lower;
    case Stage::writing:
        break;
    }
    return "ran out of memory after all " + std::to_string(r.replicates) +
           " replicates, while writing the output (" + budget +
           "); nothing written. To make it "
           "fit, " +
           what_to_lower;
}

} // namespace ulcsim::cli
