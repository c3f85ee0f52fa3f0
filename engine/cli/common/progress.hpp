#pragma once
// Progress of a long run on stderr: a bar redrawn in place on a terminal, a plain line every
// few seconds otherwise (logs, CI), nothing when quiet.

#include <chrono>
#include <cstdint>
#include <string>

namespace ulcsim::cli {

class Progress {
public:
    /// `total_steps` units of work (agent-months), reported as `label`.
    Progress(std::int64_t total_steps, bool quiet);
    ~Progress();

    /// `done` units finished so far; `detail` describes where the run is.
    void update(std::int64_t done, const std::string& detail);
    /// Clears the bar (terminal) so the summary starts on a clean line.
    void finish();

private:
    using Clock = std::chrono::steady_clock;
    std::int64_t total_;
    bool quiet_;
    bool terminal_;
    bool drawn_ = false;
    Clock::time_point started_;
    Clock::time_point last_;
};

} // namespace ulcsim::cli
