// The Kabupaten Magelang baseline starts where the branch's counts put it (its levers file is
// tested with the others in shipped_levers_test).

#include "support/test_support.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// One agent for 10 workers: about 80,000 agents, so a share's sampling error is about
// 0.1 percentage point, a third of the tolerances below or less.
const std::vector<std::string> coarse{"population.scale=10", "run.replicates=1"};

Scenario kabupaten(const std::string& file) {
    return load_scenario(test::scenarios_dir() / file, coarse);
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
