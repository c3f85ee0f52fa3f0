// Every shipped `<base>-levers.toml` adds levers to `<base>.toml`. Run paired (same seed,
// same draws), the two must be identical, metric for metric, before the first lever starts,
// must keep the same workers throughout (the levers act on coverage, not on demography), and
// must differ in coverage afterwards.

#include "support/test_support.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/tally.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>

using namespace ulcsim;

namespace {

std::vector<std::string> lever_files() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(test::scenarios_dir())) {
        const std::string stem = entry.path().stem().string();
        if (entry.path().extension() == ".toml" && stem.ends_with("-levers"))
            names.push_back(stem.substr(0, stem.size() - 7));
    }
    std::sort(names.begin(), names.end());
    return names;
}

// One agent for 20 workers keeps each pair to a second or two.
Scenario coarse(const std::string& stem) {
    return load_scenario(test::scenarios_dir() / (stem + ".toml"),
                         {"population.scale=20", "run.replicates=1"});
}

/// The first month in which a policy or programme of `levers` that `base` lacks acts.
Month first_lever_month(const Scenario& base, const Scenario& levers) {
    std::set<std::string> known;
    for (const Policy& p : base.policies)
        known.insert("policy " + p.name);
    for (const FundingProgramme& p : base.programmes)
        known.insert("programme " + p.name);
    std::optional<Month> first;
    const auto consider = [&](Month m) { first = first ? std::min(*first, m) : m; };
    for (const Policy& p : levers.policies)
        if (!known.contains("policy " + p.name)) consider(p.start);
    for (const FundingProgramme& p : levers.programmes)
        if (!known.contains("programme " + p.name)) consider(p.windows.front().start);
    if (!first) throw std::runtime_error("the levers file adds no policy or programme");
    return *first;
}

} // namespace

class ShippedLevers : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedLevers, ChangeNothingBeforeTheyStartAndCoverageAfter) {
    const Scenario base = coarse(GetParam());
    const Scenario levers = coarse(GetParam() + "-levers");
    ASSERT_EQ(base.run.seed, levers.run.seed);
    ASSERT_EQ(base.run.start, levers.run.start);
    ASSERT_EQ(base.run.months, levers.run.months);
    const int first = first_lever_month(base, levers) - base.run.start;
    ASSERT_GT(first, 0) << "a lever acting from the first month leaves nothing to compare";
    ASSERT_LT(first, base.run.months);

    const ReplicateSeries a = simulate_replicate(base, 0);
    const ReplicateSeries b = simulate_replicate(levers, 0);
    ASSERT_EQ(a.series.size(), b.series.size());
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < static_cast<std::size_t>(first); ++t)
            ASSERT_EQ(a.total(static_cast<SeriesMetric>(m), t),
                      b.total(static_cast<SeriesMetric>(m), t))
                << series_metric_names[m] << ", month " << t;
    for (std::size_t t = 0; t < a.months; ++t)
        ASSERT_EQ(a.total(SeriesMetric::labour_force, t), b.total(SeriesMetric::labour_force, t))
            << "month " << t;
    // A year after the first lever, coverage differs by at least 0.5 percentage points.
    const std::size_t later = std::min<std::size_t>(first + 12, a.months - 1);
    const double difference =
        (b.total(SeriesMetric::covered, later) - a.total(SeriesMetric::covered, later)) /
        a.total(SeriesMetric::labour_force, later);
    EXPECT_GT(difference, 0.005);
}

INSTANTIATE_TEST_SUITE_P(All, ShippedLevers, ::testing::ValuesIn(lever_files()),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(ShippedLevers, TheArticlesRegionsHaveLeversFiles) {
    const auto files = lever_files();
    for (const char* name : {"kabupaten-magelang", "di-yogyakarta", "kota-magelang-2025"})
        EXPECT_NE(std::find(files.begin(), files.end(), name), files.end()) << name;
}
