// behaviour.employer_registration = "steady_state": each region's employer registration hazard
// keeps its starting employer coverage where it is, so that a baseline without policies
// neither rises nor falls on account of the priors; with the prior hazard a high start drifts
// down towards h0_register's equilibrium (the power of the test).

#include "month_parameters.hpp"
#include "support/test_support.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ulcsim;

namespace {

/// Employer coverage of the formal workers of all regions in month t.
double employer_coverage(const ReplicateSeries& r, std::size_t t) {
    double covered = 0, workers = 0;
    for (std::size_t k = 0; k < r.regions; ++k) {
        covered += r.at(SeriesMetric::covered_employer, t, k, Segment::formal);
        workers += r.at(SeriesMetric::labour_force, t, k, Segment::formal);
    }
    return covered / workers;
}

/// The same, region by region.
std::vector<double> employer_coverage_by_region(const ReplicateSeries& r, std::size_t t) {
    std::vector<double> out;
    for (std::size_t k = 0; k < r.regions; ++k)
        out.push_back(r.at(SeriesMetric::covered_employer, t, k, Segment::formal) /
                      r.at(SeriesMetric::labour_force, t, k, Segment::formal));
    return out;
}

/// Three kab/kota starting at very different employer coverage, with no programmes or
/// policies: only the behaviour's hazards move coverage.
Scenario three_regions(const std::string& registration) {
    std::string toml = R"(
[run]
start = "2024-01"
months = 36
seed = 11
[regions]
include = ["33.71", "33.08", "33.74"]
[behaviour]
employer_registration = ")" +
                       registration + R"("
)";
    const char* codes[] = {"33.08", "33.71", "33.74"}; // in code order, as the series
    const char* starts[] = {"0.3", "0.6", "0.85"};
    for (int k = 0; k < 3; ++k)
        toml += std::string("[[population.region]]\nregion = \"") + codes[k] +
                "\"\nemployed_workers = 60000\nformal_employer = " + starts[k] + "\n";
    return test::load_scenario_text(toml);
}

} // namespace

TEST(SteadyStateRegistration, TheHazardBalancesLapsesAndNewUncoveredWageWorkers) {
    Behaviour b;
    b.h_employer_lapse = 0.01;
    b.h_informal_to_formal = 0;
    b.entry_rate = 0;
    // Nothing but lapses to balance: h (1 − s) = s · h_lapse.
    EXPECT_DOUBLE_EQ(detail::steady_state_registration_hazard(b, 0.5, 0.4), 0.01);
    EXPECT_DOUBLE_EQ(detail::steady_state_registration_hazard(b, 0.75, 0.4), 0.03);
    // New wage workers arrive uncovered: from informal work (0.005 × 0.6 / 0.4 per formal
    // worker) and as entrants (0.0025), 0.01 a month in all: h · 0.5 = 0.5 · (0.01 + 0.01).
    b.h_informal_to_formal = 0.005;
    b.entry_rate = 0.0025;
    EXPECT_NEAR(detail::steady_state_registration_hazard(b, 0.5, 0.4), 0.02, 1e-15);
    EXPECT_EQ(detail::steady_state_registration_hazard(b, 0, 0.4), 0);
    EXPECT_EQ(detail::steady_state_registration_hazard(b, 0.5, 0), 0);
    EXPECT_EQ(detail::steady_state_registration_hazard(b, 1, 0.4), 1);
}

// Tolerances: each region has about 25,000 formal agents, so sampling noise of its share is
// about 0.3 pp; the steady state is exact only in continuous time and while the formal share
// stays at its start, which moves it by a few tenths of a point over three years. Under the
// prior hazard the region starting at 85% loses more than 20 pp in the same three years.
TEST(SteadyStateRegistration, EachRegionsEmployerCoverageStaysWhereItStarts) {
    const ReplicateSeries steady = simulate_replicate(three_regions("steady_state"), 0);
    const ReplicateSeries prior = simulate_replicate(three_regions("hazard"), 0);
    const std::size_t last = steady.months - 1;

    const std::vector<double> first = employer_coverage_by_region(steady, 0);
    const std::vector<double> end = employer_coverage_by_region(steady, last);
    ASSERT_EQ(first.size(), 3u);
    const double expected_start[] = {0.3, 0.6, 0.85};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(first[k], expected_start[k], 0.02) << "region " << k;
        EXPECT_NEAR(end[k], first[k], 0.015) << "region " << k;
    }
    EXPECT_NEAR(employer_coverage(steady, last), employer_coverage(steady, 0), 0.01);

    const std::vector<double> prior_first = employer_coverage_by_region(prior, 0);
    const std::vector<double> prior_end = employer_coverage_by_region(prior, last);
    EXPECT_LT(prior_end[2], prior_first[2] - 0.10)
        << "the prior hazard should pull an 85% start down; otherwise the test above shows "
           "nothing";
}

// The default is the one prior hazard, so a scenario that sets h0_register keeps its meaning;
// every shipped scenario with employer coverage asks for the steady state.
TEST(SteadyStateRegistration,
     TheDefaultIsThePriorHazardAndTheShippedScenariosAskForTheSteadyState) {
    const Scenario plain =
        test::load_scenario_text("[run]\nstart = \"2024-01\"\n[regions]\ninclude = [\"33.71\"]\n");
    EXPECT_EQ(plain.behaviour.employer_registration, EmployerRegistration::hazard);
    for (const char* file :
         {"kota-magelang-2024.toml", "kota-magelang-2025.toml", "kabupaten-magelang.toml",
          "jawa-tengah.toml", "di-yogyakarta.toml", "sawahlunto.toml", "indonesia.toml"})
        EXPECT_EQ(load_scenario(test::scenarios_dir() / file).behaviour.employer_registration,
                  EmployerRegistration::steady_state)
            << file;
}
