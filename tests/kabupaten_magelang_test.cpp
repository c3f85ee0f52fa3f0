// The Kabupaten Magelang scenarios: the baseline starts where the branch's counts put it,
// and the levers of the April 2024 proposals, all starting in January 2025, change nothing
// before then and only what they act on afterwards (a paired run: same seed, same draws).

#include "support/test_support.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/tally.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// One agent for 10 workers: about 80,000 agents, so a share's sampling error is about
// 0.1 percentage point, five times smaller than the tolerances below.
const std::vector<std::string> coarse{"population.scale=10", "run.replicates=1"};

Scenario kabupaten(const std::string& file) {
    return load_scenario(test::scenarios_dir() / file, coarse);
}

double share(const ReplicateSeries& s, SeriesMetric m, std::size_t month) {
    return s.total(m, month) / s.total(SeriesMetric::labour_force, month);
}

} // namespace

TEST(KabupatenMagelang, StartsAtTheBranchsCountsOfOctober2022) {
    const Scenario s = kabupaten("kabupaten-magelang.toml");
    const Population pop = synthesise_population(s, 0);
    double workers = 0, formal = 0, covered = 0, employer = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
        if (!pop.in_labour_force(i)) continue;
        ++workers;
        const bool is_formal = pop.segment(i) == Segment::formal;
        formal += is_formal;
        // Month -1: the state before the first month's events.
        covered += pop.covered(i, -1);
        employer += is_formal && pop.payer[i] == static_cast<std::uint8_t>(Payer::employer);
    }
    // (26,000 + 22,174 + 7,093 + 8,740) / 796,325 = 8.0% (rows 33.08-2022-10-participants-*).
    EXPECT_NEAR(covered / workers, 0.080, 0.003);
    // Employer coverage of formal workers: 55,267 / (796,325 × 0.3289) = 21.1%.
    EXPECT_NEAR(employer / formal, 0.211, 0.004);
    EXPECT_NEAR(formal / workers, 0.3289, 0.004);
}

TEST(KabupatenMagelang, LeversChangeNothingBefore2025AndRaiseCoverageAfter) {
    const Scenario base = kabupaten("kabupaten-magelang.toml");
    const Scenario levers = kabupaten("kabupaten-magelang-levers.toml");
    ASSERT_EQ(base.run.seed, levers.run.seed);
    const ReplicateSeries a = simulate_replicate(base, 0);
    const ReplicateSeries b = simulate_replicate(levers, 0);
    ASSERT_EQ(a.series.size(), b.series.size());
    const std::size_t first_lever_month = static_cast<std::size_t>(Month(2025, 1) - base.run.start);
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < first_lever_month; ++t)
            ASSERT_EQ(a.total(static_cast<SeriesMetric>(m), t),
                      b.total(static_cast<SeriesMetric>(m), t))
                << series_metric_names[m] << " month " << t;

    const std::size_t last = a.months - 1;
    // The regulation doubles employer registration: employer coverage rises faster.
    EXPECT_GT(b.total(SeriesMetric::covered_employer, last),
              a.total(SeriesMetric::covered_employer, last) * 1.05);
    // The programmes pay for members, and only the levers' run has any.
    EXPECT_EQ(a.total(SeriesMetric::covered_programme, last), 0);
    EXPECT_GT(b.total(SeriesMetric::covered_programme, first_lever_month + 6), 0);
    EXPECT_GT(share(b, SeriesMetric::covered, last), share(a, SeriesMetric::covered, last) + 0.03);
    // Population events do not depend on coverage: the labour force is the same worker for
    // worker, so every difference is one of coverage.
    for (std::size_t t = 0; t < a.months; ++t)
        EXPECT_EQ(a.total(SeriesMetric::labour_force, t), b.total(SeriesMetric::labour_force, t));
}
