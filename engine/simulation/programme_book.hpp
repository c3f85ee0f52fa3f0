#pragma once
// The money and membership side of funding programmes during a run: which window is open,
// how many new members a programme may still take this month (outreach, quota, budget),
// and the fiscal-year commitments. A worker enrolled in a window commits the programme to
// pay the premium for every remaining month of the window; a member who leaves early returns
// the months not yet paid. Commitments never exceed a year's budget.
//
// Amounts are per agent: an agent stands for `scale` workers, so it costs premium × scale.

#include "ulcsim/scenario.hpp"

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace ulcsim::detail {

inline constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();

/// The most new members programme `programme` can take in a month, in agents, when its
/// regions hold `slots` slots; 0 when every window takes everyone who accepts at once
/// (no quota, outreach, budget or quota per village), as then no candidates are kept. It
/// bounds the candidates a month keeps.
std::int64_t monthly_enrolment_bound(const Scenario& scenario, std::size_t programme,
                                     std::int64_t slots);

class ProgrammeBook {
public:
    ProgrammeBook(const Scenario& scenario);

    /// Moves to run month `t`: opens and closes windows.
    void begin_month(int t);

    std::size_t size() const { return state_.size(); }

    /// Open window this month, or -1.
    int window(std::size_t k) const { return state_[k].window; }
    /// Run month of the last month of the open window.
    int window_end(std::size_t k) const { return state_[k].window_end; }
    /// This is the first month of a window that takes over the members of the previous one.
    bool renews_now(std::size_t k) const { return state_[k].renews_now; }
    /// Neither quota, outreach, budget nor a quota per village limits this programme: every
    /// accepting eligible worker is enrolled.
    bool unlimited_enrolment(std::size_t k) const { return state_[k].unlimited; }

    /// New members programme k may take now, given its current members and the new members
    /// already taken this month (outreach).
    std::int64_t open_places(std::size_t k, std::int64_t members) const;
    /// Members programme k may renew into the window opening now.
    std::int64_t renewal_places(std::size_t k) const;
    /// An upper bound on open_places over the month, whoever of the `members` leaves and
    /// returns the unpaid rest of the window: how many candidates must be kept this month.
    std::int64_t most_places(std::size_t k, std::int64_t members) const;

    /// `n` agents enrolled now (or renewed into the window opening now).
    void enrol(std::size_t k, std::int64_t n, bool renewal);
    /// `n` members left during the month before being paid for it.
    void release(std::size_t k, std::int64_t n);

    /// The fiscal year's commitments so far and its budget, per agent-scaled rupiah.
    double committed_this_year(std::size_t k) const;
    double budget_this_year(std::size_t k) const;
    std::int64_t enrolled_this_month(std::size_t k) const { return state_[k].enrolled_now; }

    // Checkpoints: the state carried from one month to the next is the commitments and the
    // window open last month (renewal looks at it).
    /// Calendar year of committed_by_year(k)[0]: the year of the run's first month.
    int first_year() const { return first_year_; }
    /// Commitments (IDR) by fiscal year from first_year().
    const std::vector<double>& committed_by_year(std::size_t k) const {
        return state_[k].committed_by_year;
    }
    /// Before the first begin_month of a run that continues another: programme k's
    /// commitments for the years from `first_year` (years outside this run are dropped).
    void restore_commitments(std::size_t k, int first_year, const std::vector<double>& committed);
    /// Before the first begin_month of a run that continues another: the windows open in the
    /// month before the run's first, as if that month had been simulated, so that members
    /// renew into a window opening in the first month.
    void continue_from_previous_month();

private:
    struct State {
        int window = -1;
        int window_end = 0;
        bool renews_now = false;
        bool unlimited = false;
        std::int64_t enrolled_now = 0;
        /// Cost per agent of the rest of the open window, by year index, from this month.
        std::vector<double> cost_by_year;
        std::vector<double> committed_by_year;
        std::vector<double> budget_by_year; ///< +inf when the programme has no budget table
    };

    /// New members the budget allows, if `leaving` members returned their commitments first.
    std::int64_t affordable(const State& s, std::int64_t leaving = 0) const;
    std::int64_t quota_agents(std::size_t k) const;
    /// New members allowed once `leaving` members have returned their commitments, with
    /// `members` in the programme and `enrolled` already taken this month.
    std::int64_t places(std::size_t k, std::int64_t leaving, std::int64_t members,
                        std::int64_t enrolled) const;

    const Scenario& scenario_;
    int first_year_ = 0;
    int t_ = -1;
    std::vector<State> state_;
};

} // namespace ulcsim::detail
