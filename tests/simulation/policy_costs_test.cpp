// What campaigns and regulations cost: the policy_cost_idr series against what the policies
// in force cost (per worker of their regions plus the fixed monthly cost), only where and when
// they are in force, changing nothing else; and the comparison's money and cost per added
// covered worker-year, which count it beside the programmes' premiums.

#include "support/test_support.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// Kota and Kabupaten Magelang; the campaign acts in the city only, from April to September.
constexpr const char* two_regions = R"(
[run]
start = "2024-01"
months = 12
seed = 3
[regions]
include = ["33.71", "33.08"]
[population]
scale = 20
)";

constexpr const char* campaign = R"(
[[policy]]
name = "sosialisasi"
kind = "campaign"
regions = ["33.71"]
start = "2024-04"
end = "2024-09"
awareness_gain = 0.05
fear_reduction = 0.2
)";

Scenario scenario(const std::string& extra, const std::vector<std::string>& overrides = {}) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", std::string(two_regions) + extra), overrides);
}

const std::vector<std::string> costed{"policy.sosialisasi.cost_idr_per_month=25_000_000",
                                      "policy.sosialisasi.cost_idr_per_worker_month=150"};

double region_total(const ReplicateSeries& r, SeriesMetric m, std::size_t t, std::size_t k) {
    double sum = 0;
    for (std::size_t g = 0; g < segment_count; ++g)
        sum += r.at(m, t, k, static_cast<Segment>(g));
    return sum;
}

} // namespace

TEST(PolicyCosts, AreTheFixedCostPlusEveryWorkerReachedWhereAndWhenInForce) {
    const Scenario s = scenario(campaign, costed);
    const std::size_t city = s.region_table.regions()[s.regions[0]].code == "33.71" ? 0 : 1;
    const std::size_t kabupaten = 1 - city;
    ASSERT_EQ(s.region_table.regions()[s.regions[kabupaten]].code, "33.08");
    const ReplicateSeries r = simulate_replicate(s, 0);
    for (std::size_t t = 0; t < r.months; ++t) {
        const bool in_force = t >= 3 && t <= 8;
        EXPECT_EQ(region_total(r, SeriesMetric::policy_cost_idr, t, kabupaten), 0) << t;
        for (std::size_t g = 0; g < segment_count; ++g) {
            const auto segment = static_cast<Segment>(g);
            // The fixed cost is shared by the workers of the one region it acts in.
            const double workers = region_total(r, SeriesMetric::labour_force, t, city);
            const double here = r.at(SeriesMetric::labour_force, t, city, segment);
            const double expected = in_force ? here * (150 + 25e6 / workers) : 0;
            EXPECT_NEAR(r.at(SeriesMetric::policy_cost_idr, t, city, segment), expected,
                        1e-9 * std::abs(expected))
                << "month " << t << " segment " << g;
        }
        const double month_cost = r.total(SeriesMetric::policy_cost_idr, t);
        if (in_force)
            EXPECT_NEAR(month_cost,
                        25e6 + 150 * region_total(r, SeriesMetric::labour_force, t, city), 1e-3);
        else
            EXPECT_EQ(month_cost, 0);
    }
}

TEST(PolicyCosts, CostNothingByDefaultAndChangeNothingButTheMoney) {
    const Scenario free = scenario(campaign);
    const Scenario paid = scenario(campaign, costed);
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const ReplicateSeries a = simulate_replicate(free, replicate);
        const ReplicateSeries b = simulate_replicate(paid, replicate);
        for (std::size_t m = 0; m < series_metric_count; ++m) {
            const auto metric = static_cast<SeriesMetric>(m);
            for (std::size_t t = 0; t < a.months; ++t) {
                if (metric == SeriesMetric::policy_cost_idr) {
                    EXPECT_EQ(a.total(metric, t), 0);
                    continue;
                }
                ASSERT_EQ(a.total(metric, t), b.total(metric, t))
                    << series_metric_names[m] << " month " << t;
            }
        }
        EXPECT_GT(b.total(SeriesMetric::policy_cost_idr, 5), 25e6);
    }
}

TEST(PolicyCosts, EnterTheMoneySpentAndTheCostPerAddedCoveredWorkerYear) {
    const Scenario base = scenario("");
    const Scenario paid = scenario(campaign, costed);
    OutcomeSettings settings;
    settings.start = base.run.start;
    settings.months = base.run.months;
    settings.coverage_months = {base.run.start + 11};
    const std::vector<Scenario> both{base, paid};
    settings.policy_costs = any_policy_costs(both);
    ASSERT_TRUE(settings.policy_costs);
    EXPECT_FALSE(any_policy_costs(std::vector<Scenario>{base, scenario(campaign)}));

    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);
    std::size_t money = measures.size(), per_year = measures.size(), worker_months = 0;
    for (std::size_t i = 0; i < measures.size(); ++i) {
        if (measures[i].name == "money_spent_idr") money = i;
        if (measures[i].name == "cost_per_added_covered_worker_year_idr") per_year = i;
        if (measures[i].name == "covered_worker_months") worker_months = i;
    }
    ASSERT_LT(money, measures.size());
    ASSERT_LT(per_year, measures.size());
    EXPECT_EQ(measures[money].label, "money spent (programmes and policies)");

    const ReplicateSeries a = simulate_replicate(base, 0);
    const ReplicateSeries b = simulate_replicate(paid, 0);
    double cost = 0;
    for (std::size_t t = 0; t < b.months; ++t)
        cost += b.total(SeriesMetric::policy_cost_idr, t);
    ASSERT_GT(cost, 6 * 25e6); // six months of the fixed cost, and the workers reached
    const std::vector<double> va = measure_values(outcome_of(a), settings);
    const std::vector<double> vb = measure_values(outcome_of(b), settings);
    EXPECT_EQ(va[money], 0); // no programme, no costly policy
    EXPECT_DOUBLE_EQ(vb[money], cost);
    const std::vector<double> d = paired_differences(vb, va, settings);
    // The campaign raises awareness and lowers fear: coverage gains, at a price.
    ASSERT_GT(d[worker_months], 0);
    EXPECT_DOUBLE_EQ(d[per_year], cost / (d[worker_months] / 12));
}
