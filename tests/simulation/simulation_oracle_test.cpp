// The simulation against mathematics: in a homogeneous population with constant hazards
// and nothing that couples agents, each agent's coverage state is a Markov chain, so the mean
// coverage over agents and replicates must follow the chain's distribution π(t+1) = π(t)·P,
// computed here independently with Eigen. Tolerance: 4 binomial standard errors of the
// simulated share at every month, with fixed seeds.

#include "support/test_support.hpp"
#include "ulcsim/simulation.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <gtest/gtest.h>
#include <string>

using namespace ulcsim;

namespace {

constexpr int agents = 20'000;
constexpr int replicates = 16;
constexpr int months = 36;

/// Everything but coverage is switched off: no deaths, accidents, ageing out, entrants or
/// segment moves, and the self-paid hazard depends on nothing but h0_self.
std::string homogeneous_scenario(const std::string& segment_shares, const std::string& behaviour,
                                 const std::string& rest) {
    return R"(
[run]
start = "2024-01"
months = )" +
           std::to_string(months) +
           R"(
seed = 20240701
[regions]
include = ["33.71"]
[population]
)" + segment_shares +
           R"(
[[population.region]]
region = "33.71"
employed_workers = )" +
           std::to_string(agents) + R"(
[population.fears_bansos]
informal = 0
vulnerable = 0
[population.age_bands]
"15-24" = 1
"25-34" = 0
"35-44" = 0
"45-54" = 0
"55-64" = 0
"65+" = 0
[behaviour]
b_aware = 0
b_peer = 0
b_income = 0
b_fear = 0
b_dist = 0
b_lapse_income = 0
h_formal_to_informal = 0
h_informal_to_formal = 0
h_informal_to_vulnerable = 0
h_vulnerable_to_informal = 0
entry_rate = 0
exit_age_years = 100
awareness_decay = 0
awareness_peer_gain = 0
)" + behaviour +
           test::no_deaths_or_accidents + rest;
}

double p_of(double hazard) {
    return -std::expm1(-hazard);
}

/// Mean covered share per month over all agents of all replicates, and the number of
/// agent-trajectories behind it.
std::vector<double> simulated_coverage(const Scenario& s) {
    std::vector<double> covered(months, 0.0), workers(months, 0.0);
    for (std::uint32_t r = 0; r < replicates; ++r) {
        const ReplicateSeries series = simulate_replicate(s, r);
        for (std::size_t t = 0; t < months; ++t) {
            covered[t] += series.total(SeriesMetric::covered, t);
            workers[t] += series.total(SeriesMetric::labour_force, t);
        }
    }
    for (std::size_t t = 0; t < months; ++t) {
        EXPECT_EQ(workers[t], double(agents) * replicates) << "no one enters or leaves";
        covered[t] /= workers[t];
    }
    return covered;
}

void expect_within_four_standard_errors(const std::vector<double>& simulated,
                                        const std::vector<double>& oracle) {
    const double n = double(agents) * replicates;
    for (std::size_t t = 0; t < simulated.size(); ++t) {
        const double se = std::sqrt(oracle[t] * (1 - oracle[t]) / n);
        EXPECT_NEAR(simulated[t], oracle[t], 4 * se) << "month " << t;
    }
}

/// The self-paid membership states shared by both chains. An arrears state holds d = months
/// since the last paid month (1 … arrears + 1); from d = arrears + 1 the membership ends.
struct SelfPaidStates {
    int arrears;
    int uncovered = 0;
    int active(int autodebit) const { return 1 + autodebit; }
    int in_arrears(int autodebit, int d) const { return 3 + autodebit * (arrears + 1) + (d - 1); }
    int count() const { return 3 + 2 * (arrears + 1); }
};

} // namespace

// Parameter set 1: self-paid enrolment, lapse (with and without auto-debit), the 3-month
// arrears period with reinstatement.
TEST(SimulationOracle, SelfPaidMembershipFollowsItsMarkovChain) {
    const double h0_self = 0.05, success = 0.6, h_lapse = 0.08, h_lapse_ad = 0.02;
    const double autodebit = 0.3, h_reinstate = 0.15, initial = 0.2;
    const int arrears = 3;
    const Scenario s = test::load_scenario_text(homogeneous_scenario(
        "formal_share = 0\nvulnerable_share_of_informal = 0\n[population.initial_coverage]\n"
        "informal_self = 0.2\n",
        "h0_self = 0.05\nregistration_success = 0.6\nh_lapse = 0.08\nh_lapse_autodebit = 0.02\n"
        "autodebit_share = 0.3\nh_reinstate = 0.15\narrears_months = 3\n",
        ""));

    const SelfPaidStates st{arrears};
    const double pe = p_of(h0_self) * success, pr = p_of(h_reinstate);
    const std::array<double, 2> pl{p_of(h_lapse), p_of(h_lapse_ad)};
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(st.count(), st.count());
    P(st.uncovered, st.active(0)) = pe * (1 - autodebit);
    P(st.uncovered, st.active(1)) = pe * autodebit;
    P(st.uncovered, st.uncovered) = 1 - pe;
    for (int ad = 0; ad < 2; ++ad) {
        P(st.active(ad), st.in_arrears(ad, 1)) = pl[ad];
        P(st.active(ad), st.active(ad)) = 1 - pl[ad];
        for (int d = 1; d <= arrears; ++d) {
            P(st.in_arrears(ad, d), st.active(ad)) = pr;
            P(st.in_arrears(ad, d), st.in_arrears(ad, d + 1)) = 1 - pr;
        }
        P(st.in_arrears(ad, arrears + 1), st.uncovered) = 1; // membership ends, no new try
    }
    ASSERT_TRUE((P.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-12);

    Eigen::RowVectorXd pi = Eigen::RowVectorXd::Zero(st.count());
    pi(st.uncovered) = 1 - initial;
    pi(st.active(0)) = initial * (1 - autodebit);
    pi(st.active(1)) = initial * autodebit;
    std::vector<double> oracle;
    for (int t = 0; t < months; ++t) {
        pi = pi * P;
        oracle.push_back(pi(st.active(0)) + pi(st.active(1)));
    }
    expect_within_four_standard_errors(simulated_coverage(s), oracle);
}

// Parameter set 2: a programme without limits (every accepting worker enrolled) over a
// window, members dropping out during it, the end of the subsidy with continue_after_subsidy,
// and self-paid membership around it.
TEST(SimulationOracle, ProgrammeWindowAndEndOfSubsidyFollowTheirMarkovChain) {
    const double h0_self = 0.01, success = 0.5, h_lapse = 0.06, h_reinstate = 0.1;
    const double acceptance = 0.4, dropout = 0.05, carry_on = 0.3, initial = 0.05;
    const int arrears = 3, window_start = 3, window_end = 11; // 2024-04 … 2024-12
    const Scenario s = test::load_scenario_text(homogeneous_scenario(
        "formal_share = 0\nvulnerable_share_of_informal = 1\n[population.initial_coverage]\n"
        "vulnerable_self = 0.05\n",
        "h0_self = 0.01\nregistration_success = 0.5\nh_lapse = 0.06\nautodebit_share = 0\n"
        "h_reinstate = 0.1\narrears_months = 3\n",
        R"(
[[programme]]
name = "open-offer"
kind = "apbd_kabkota"
acceptance = 0.4
renewal = false
continue_after_subsidy = 0.3
member_lapse_per_month = 0.05
[programme.eligibility]
segments = ["vulnerable"]
[[programme.window]]
start = "2024-04"
end = "2024-12"
)"));

    const SelfPaidStates st{arrears};
    const int member = st.count();
    const int n = st.count() + 1;
    const double pe = p_of(h0_self) * success, pr = p_of(h_reinstate), pl = p_of(h_lapse);
    const double pd = p_of(dropout);

    const auto chain = [&](int t) {
        const bool open = t >= window_start && t <= window_end;
        const double offer = open ? acceptance : 0;
        Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
        // Uncovered at the start: joins by himself, else takes the programme's offer.
        P(st.uncovered, st.active(0)) = pe;
        P(st.uncovered, member) = (1 - pe) * offer;
        P(st.uncovered, st.uncovered) = (1 - pe) * (1 - offer);
        P(st.active(0), st.in_arrears(0, 1)) = pl;
        P(st.active(0), st.active(0)) = 1 - pl;
        for (int d = 1; d <= arrears; ++d) {
            P(st.in_arrears(0, d), st.active(0)) = pr;
            P(st.in_arrears(0, d), member) = (1 - pr) * offer;
            P(st.in_arrears(0, d), st.in_arrears(0, d + 1)) = (1 - pr) * (1 - offer);
        }
        P(st.in_arrears(0, arrears + 1), member) = offer;
        P(st.in_arrears(0, arrears + 1), st.uncovered) = 1 - offer;
        // A member leaves when dropping out or when the window has ended; either way he
        // carries on paying or falls into arrears from his last funded month.
        const double leaves = open ? pd : 1;
        P(member, member) = 1 - leaves;
        P(member, st.active(0)) = leaves * carry_on;
        P(member, st.in_arrears(0, 1)) = leaves * (1 - carry_on);
        for (int i = 0; i < n; ++i) // the auto-debit states stay empty (autodebit_share = 0)
            if (P.row(i).sum() == 0) P(i, i) = 1;
        return P;
    };

    Eigen::RowVectorXd pi = Eigen::RowVectorXd::Zero(n);
    pi(st.uncovered) = 1 - initial;
    pi(st.active(0)) = initial;
    std::vector<double> oracle;
    for (int t = 0; t < months; ++t) {
        const Eigen::MatrixXd P = chain(t);
        ASSERT_LT((P.rowwise().sum().array() - 1).abs().maxCoeff(), 1e-12) << "month " << t;
        pi = pi * P;
        oracle.push_back(pi(st.active(0)) + pi(member));
    }
    expect_within_four_standard_errors(simulated_coverage(s), oracle);
}
