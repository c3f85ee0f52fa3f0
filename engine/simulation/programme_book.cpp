#include "programme_book.hpp"

#include "ulcsim/agent_scale.hpp"

#include <algorithm>
#include <cmath>

namespace ulcsim::detail {

ProgrammeBook::ProgrammeBook(const Scenario& s)
    : scenario_(s), first_year_(s.run.start.year()), state_(s.programmes.size()) {
    const int years = s.run.last_month().year() - first_year_ + 1;
    for (std::size_t k = 0; k < state_.size(); ++k) {
        const FundingProgramme& p = s.programmes[k];
        State& st = state_[k];
        st.cost_by_year.assign(static_cast<std::size_t>(years), 0.0);
        st.committed_by_year.assign(static_cast<std::size_t>(years), 0.0);
        st.budget_by_year.assign(
            static_cast<std::size_t>(years),
            p.budget_idr_per_year.empty() ? std::numeric_limits<double>::infinity() : 0.0);
        for (const auto& [year, amount] : p.budget_idr_per_year)
            if (year >= first_year_ && year < first_year_ + years)
                st.budget_by_year[static_cast<std::size_t>(year - first_year_)] = amount;
    }
}

void ProgrammeBook::restore_commitments(std::size_t k, int first_year,
                                        const std::vector<double>& committed) {
    State& st = state_[k];
    for (std::size_t i = 0; i < committed.size(); ++i) {
        const int y = first_year + static_cast<int>(i) - first_year_;
        if (y >= 0 && y < static_cast<int>(st.committed_by_year.size()))
            st.committed_by_year[static_cast<std::size_t>(y)] = committed[i];
    }
}

void ProgrammeBook::continue_from_previous_month() {
    const Month previous = scenario_.run.start + (-1);
    for (std::size_t k = 0; k < state_.size(); ++k) {
        const FundingProgramme& p = scenario_.programmes[k];
        State& st = state_[k];
        st.window = -1;
        for (std::size_t w = 0; w < p.windows.size(); ++w)
            if (p.windows[w].start <= previous && previous <= p.windows[w].end)
                st.window = static_cast<int>(w);
    }
}

void ProgrammeBook::begin_month(int t) {
    t_ = t;
    const Month now = scenario_.run.start + t;
    const AgentScale scale(scenario_.population.scale_workers_per_agent);
    for (std::size_t k = 0; k < state_.size(); ++k) {
        const FundingProgramme& p = scenario_.programmes[k];
        State& st = state_[k];
        st.enrolled_now = 0;
        const int previous = st.window;
        st.window = -1;
        for (std::size_t w = 0; w < p.windows.size(); ++w)
            if (p.windows[w].start <= now && now <= p.windows[w].end)
                st.window = static_cast<int>(w);
        std::fill(st.cost_by_year.begin(), st.cost_by_year.end(), 0.0);
        st.renews_now = false;
        st.unlimited = false;
        if (st.window < 0) continue;
        const CoverageWindow& w = p.windows[static_cast<std::size_t>(st.window)];
        st.window_end = t + (w.end - now);
        // Renewal carries members over only into a window that starts the month after
        // theirs ended: members between windows are no longer covered by the programme.
        st.renews_now = p.renewal && w.start == now && previous >= 0 && previous != st.window &&
                        p.windows[static_cast<std::size_t>(previous)].end + 1 == now;
        // A new member costs the programme's share of the premium for each month he is
        // funded: to the end of the window, or his own months_per_member.
        const Month funded_to = p.months_per_member ? now + (*p.months_per_member - 1) : w.end;
        for (Month m = now; m <= funded_to; m = m + 1) {
            const int y = m.year() - first_year_;
            if (y >= 0 && y < static_cast<int>(st.cost_by_year.size()))
                st.cost_by_year[static_cast<std::size_t>(y)] +=
                    scale.workers(p.programme_premium_idr());
        }
        st.unlimited = !w.quota_workers && !p.quota_workers && !p.outreach_per_month &&
                       !p.quota_per_village && p.budget_idr_per_year.empty();
    }
}

std::int64_t ProgrammeBook::affordable(const State& s, std::int64_t leaving) const {
    std::int64_t n = unlimited;
    for (std::size_t y = 0; y < s.cost_by_year.size(); ++y) {
        const double cost = s.cost_by_year[y];
        if (cost <= 0 || std::isinf(s.budget_by_year[y])) continue;
        const double left =
            s.budget_by_year[y] - s.committed_by_year[y] + static_cast<double>(leaving) * cost;
        if (left < cost) return 0;
        // More places than 64 bits count (a budget at its top over a premium near zero): the
        // budget sets no limit that any run could reach.
        if (!(left / cost < 0x1p62)) continue;
        // floor(left / cost), corrected for the rounding of the division
        auto fit = static_cast<std::int64_t>(left / cost);
        while (static_cast<double>(fit + 1) * cost <= left)
            ++fit;
        while (fit > 0 && static_cast<double>(fit) * cost > left)
            --fit;
        n = std::min(n, fit);
    }
    return n;
}

std::int64_t ProgrammeBook::quota_agents(std::size_t k) const {
    const FundingProgramme& p = scenario_.programmes[k];
    const State& st = state_[k];
    const AgentScale scale(scenario_.population.scale_workers_per_agent);
    std::optional<std::int64_t> quota = p.quota_workers;
    if (st.window >= 0 && p.windows[static_cast<std::size_t>(st.window)].quota_workers)
        quota = p.windows[static_cast<std::size_t>(st.window)].quota_workers;
    return quota ? scale.agents_within(*quota) : unlimited;
}

std::int64_t ProgrammeBook::places(std::size_t k, std::int64_t leaving, std::int64_t members,
                                   std::int64_t enrolled) const {
    const FundingProgramme& p = scenario_.programmes[k];
    const State& st = state_[k];
    if (st.window < 0) return 0;
    std::int64_t n = affordable(st, leaving);
    const std::int64_t quota = quota_agents(k);
    if (quota != unlimited) n = std::min(n, std::max<std::int64_t>(quota - members, 0));
    if (p.outreach_per_month)
        n = std::min(n,
                     std::max<std::int64_t>(AgentScale(scenario_.population.scale_workers_per_agent)
                                                    .agents_within(*p.outreach_per_month) -
                                                enrolled,
                                            0));
    return n;
}

std::int64_t ProgrammeBook::most_places(std::size_t k, std::int64_t members) const {
    // As if every member left first: their money and places come back, the whole quota is
    // free and nobody has been enrolled yet this month.
    return places(k, members, 0, 0);
}

std::int64_t ProgrammeBook::open_places(std::size_t k, std::int64_t members) const {
    return places(k, 0, members, state_[k].enrolled_now);
}

std::int64_t ProgrammeBook::renewal_places(std::size_t k) const {
    const State& st = state_[k];
    if (!st.renews_now) return 0;
    return std::min(affordable(st), quota_agents(k));
}

void ProgrammeBook::enrol(std::size_t k, std::int64_t n, bool renewal) {
    State& st = state_[k];
    for (std::size_t y = 0; y < st.cost_by_year.size(); ++y)
        st.committed_by_year[y] += static_cast<double>(n) * st.cost_by_year[y];
    if (!renewal) st.enrolled_now += n;
}

void ProgrammeBook::release(std::size_t k, std::int64_t n) {
    State& st = state_[k];
    // A member funded for months of his own leaves a rest that depends on when he joined,
    // which the book does not keep: his commitment stays (such a programme has no budget).
    if (st.window < 0 || scenario_.programmes[k].months_per_member) return;
    for (std::size_t y = 0; y < st.cost_by_year.size(); ++y)
        st.committed_by_year[y] -= static_cast<double>(n) * st.cost_by_year[y];
}

double ProgrammeBook::committed_this_year(std::size_t k) const {
    const int y = (scenario_.run.start + t_).year() - first_year_;
    return state_[k].committed_by_year[static_cast<std::size_t>(y)];
}

double ProgrammeBook::budget_this_year(std::size_t k) const {
    const int y = (scenario_.run.start + t_).year() - first_year_;
    const double b = state_[k].budget_by_year[static_cast<std::size_t>(y)];
    return std::isinf(b) ? 0.0 : b;
}

std::int64_t monthly_enrolment_bound(const Scenario& s, std::size_t programme, std::int64_t slots) {
    const FundingProgramme& p = s.programmes[programme];
    const AgentScale scale(s.population.scale_workers_per_agent);
    const auto agents = [&](double workers) { return scale.agents_beyond(workers); };
    double largest_budget = 0;
    for (const auto& [year, amount] : p.budget_idr_per_year)
        largest_budget = std::max(largest_budget, amount);
    std::int64_t most = 0;
    for (const CoverageWindow& w : p.windows) {
        const auto quota = w.quota_workers ? w.quota_workers : p.quota_workers;
        if (!quota && !p.outreach_per_month && !p.quota_per_village &&
            p.budget_idr_per_year.empty())
            continue;
        std::int64_t window_most = slots;
        // With a cap per village the allocation passes over the candidates of full villages,
        // however many places are open: every candidate is kept.
        if (p.quota_per_village) {
            most = std::max(most, window_most);
            continue;
        }
        if (quota) window_most = std::min(window_most, agents(static_cast<double>(*quota)));
        if (p.outreach_per_month)
            window_most = std::min(window_most, agents(static_cast<double>(*p.outreach_per_month)));
        if (!p.budget_idr_per_year.empty() && p.programme_premium_idr() > 0)
            window_most = std::min(window_most, agents(largest_budget / p.programme_premium_idr()));
        most = std::max(most, window_most);
    }
    return most;
}

} // namespace ulcsim::detail
