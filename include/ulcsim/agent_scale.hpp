#pragma once
/// \file
/// How many workers one agent stands for, and the one place where workers become agents and
/// agents workers. Each rounding has its reason, named by its function: a region's agents are
/// its workers rounded to the nearest agent, a quota never admits more agents than it pays
/// for, and a bound on enrolments is always above the agents it bounds.

#include <cmath>
#include <cstdint>

namespace ulcsim {

class AgentScale {
public:
    explicit constexpr AgentScale(double workers_per_agent)
        : workers_per_agent_(workers_per_agent) {}

    constexpr double workers_per_agent() const { return workers_per_agent_; }

    /// Workers (or money, or anything counted per worker) for a count per agent.
    constexpr double workers(double agents) const { return agents * workers_per_agent_; }
    double workers(std::int64_t agents) const {
        return static_cast<double>(agents) * workers_per_agent_;
    }

    /// `workers` in agents, unrounded: a target that a random draw rounds (entrants).
    constexpr double agents_unrounded(double workers) const { return workers / workers_per_agent_; }
    /// The agents nearest to `workers` (halves away from zero): a region's population.
    std::int64_t agents_nearest(double workers) const {
        return std::llround(workers / workers_per_agent_);
    }
    /// The most agents `workers` pay for: a quota never admits more agents than its workers
    /// (the 1e-9 keeps an exact multiple from falling one short through rounding).
    std::int64_t agents_within(std::int64_t workers) const {
        return static_cast<std::int64_t>(
            std::floor(static_cast<double>(workers) / workers_per_agent_ + 1e-9));
    }
    /// More agents than `workers` (≥ 0) could ever be: a bound that is safe to reserve. A
    /// budget at its top over a premium near zero pays for more than 64 bits count: such a
    /// bound is 2⁶², far beyond any run's agents.
    std::int64_t agents_beyond(double workers) const {
        const double agents = workers / workers_per_agent_;
        if (!(agents < 0x1p62)) return std::int64_t{1} << 62;
        return static_cast<std::int64_t>(agents) + 1;
    }

private:
    double workers_per_agent_;
};

} // namespace ulcsim
