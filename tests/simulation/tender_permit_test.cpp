// Tender and permit conditions act where the articles put them, and nowhere else: paired runs
// with common random numbers. A condition on construction tenders multiplies the employer
// registration of construction workers only; a condition on business permits enrols uncovered
// informal workers when they take a permit. Segment moves and peer effects are switched off so
// that coverage in one segment cannot reach another: what may differ is then exactly the
// segment the lever acts on.

#include "support/test_support.hpp"
#include "ulcsim/simulation.hpp"

#include <cmath>
#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

constexpr const char* kota_magelang = R"(
[run]
start = "2024-01"
months = 18
seed = 11

[regions]
include = ["33.71"]

[behaviour]
h_formal_to_informal = 0
h_informal_to_formal = 0
h_informal_to_vulnerable = 0
h_vulnerable_to_informal = 0
b_peer = 0
awareness_peer_gain = 0
)";

constexpr const char* tender_policy = R"(
[[policy]]
name = "tender"
kind = "enforcement"
start = "2024-04"
register_multiplier = 3
)";

constexpr const char* permit_policy = R"(
[[policy]]
name = "permit"
kind = "enforcement"
start = "2024-04"
permit_rate = 0.04
permit_compliance = 0.5
)";

Scenario scenario(const std::string& extra, const std::vector<std::string>& overrides = {}) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", std::string(kota_magelang) + extra), overrides);
}

const std::string only_construction = "policy.0.occupations=[\"construction\"]";

/// Every metric of segment `g` in every month is the same in both runs.
void expect_segment_identical(const ReplicateSeries& a, const ReplicateSeries& b, Segment g) {
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < a.months; ++t)
            ASSERT_EQ(a.at(static_cast<SeriesMetric>(m), t, 0, g),
                      b.at(static_cast<SeriesMetric>(m), t, 0, g))
                << "metric " << m << " month " << t << " segment " << static_cast<int>(g);
}

double total(const ReplicateSeries& r, SeriesMetric metric, Segment g) {
    double sum = 0;
    for (std::size_t t = 0; t < r.months; ++t)
        sum += r.at(metric, t, 0, g);
    return sum;
}

} // namespace

TEST(TenderCondition, ActsOnlyOnFormalConstructionWorkers) {
    const Scenario base = scenario("");
    const Scenario tender = scenario(tender_policy, {only_construction});
    const Scenario everyone = scenario(tender_policy);
    ASSERT_FALSE(tender.policies[0].occupations[static_cast<std::size_t>(Occupation::other)]);
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const ReplicateSeries a = simulate_replicate(base, replicate);
        const ReplicateSeries b = simulate_replicate(tender, replicate);
        const ReplicateSeries c = simulate_replicate(everyone, replicate);
        // Employers register only wage earners: the other segments are untouched.
        expect_segment_identical(a, b, Segment::informal);
        expect_segment_identical(a, b, Segment::vulnerable);
        const double base_covered = total(a, SeriesMetric::covered_employer, Segment::formal);
        const double tender_covered = total(b, SeriesMetric::covered_employer, Segment::formal);
        const double all_covered = total(c, SeriesMetric::covered_employer, Segment::formal);
        // Construction is a tenth of formal workers by default: more registered than without
        // the condition, fewer than with it on every occupation.
        EXPECT_GT(tender_covered, base_covered);
        EXPECT_LT(tender_covered, all_covered);
        EXPECT_LT(tender_covered - base_covered, 0.3 * (all_covered - base_covered));
    }
}

TEST(TenderCondition, IsTheWholePolicyWhereAllWageEarnersBuildAndNothingWhereNoneDo) {
    const std::string builders = "population.occupations.formal={construction = 1.0}";
    const std::string clerks = "population.occupations.formal={other = 1.0}";
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        EXPECT_EQ(
            simulate_replicate(scenario(tender_policy, {builders, only_construction}), replicate)
                .series,
            simulate_replicate(scenario(tender_policy, {builders}), replicate).series);
        EXPECT_EQ(
            simulate_replicate(scenario(tender_policy, {clerks, only_construction}), replicate)
                .series,
            simulate_replicate(scenario("", {clerks}), replicate).series);
    }
}

TEST(PermitCondition, OffByDefaultAndAtRateZero) {
    const Scenario base = scenario("");
    const Scenario zero = scenario(permit_policy, {"policy.0.permit_rate=0"});
    const Scenario multiplier_only =
        scenario(tender_policy, {"policy.0.register_multiplier=1", "policy.0.permit_rate=0"});
    EXPECT_EQ(multiplier_only.policies[0].permit_rate, 0);
    EXPECT_EQ(multiplier_only.policies[0].permit_compliance, 0.5);
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const auto a = simulate_replicate(base, replicate).series;
        EXPECT_EQ(a, simulate_replicate(zero, replicate).series);
        EXPECT_EQ(a, simulate_replicate(multiplier_only, replicate).series);
    }
}

TEST(PermitCondition, EnrolsUncoveredInformalWorkersAtTheRateTimesComplianceAndNooneElse) {
    const Scenario base = scenario("");
    const Scenario permit = scenario(permit_policy);
    const std::size_t april = 3; // run month of 2024-04, when the condition starts
    double extra = 0, expected = 0, variance = 0;
    for (std::uint32_t replicate = 0; replicate < 4; ++replicate) {
        const ReplicateSeries a = simulate_replicate(base, replicate);
        const ReplicateSeries b = simulate_replicate(permit, replicate);
        expect_segment_identical(a, b, Segment::formal);
        expect_segment_identical(a, b, Segment::vulnerable);
        for (std::size_t t = 0; t < april; ++t)
            for (std::size_t m = 0; m < series_metric_count; ++m)
                ASSERT_EQ(a.at(static_cast<SeriesMetric>(m), t, 0, Segment::informal),
                          b.at(static_cast<SeriesMetric>(m), t, 0, Segment::informal))
                    << "before the condition, month " << t;
        for (std::size_t t = 0; t < a.months; ++t)
            ASSERT_EQ(a.at(SeriesMetric::labour_force, t, 0, Segment::informal),
                      b.at(SeriesMetric::labour_force, t, 0, Segment::informal));
        // In its first month the condition meets the informal workers the base leaves
        // unregistered (uncovered and not in arrears): each takes a permit and is held to it
        // with probability p.
        const double p = (1 - std::exp(-0.04)) * 0.5;
        const double uncovered = a.at(SeriesMetric::labour_force, april, 0, Segment::informal) -
                                 a.at(SeriesMetric::covered, april, 0, Segment::informal) -
                                 a.at(SeriesMetric::in_arrears, april, 0, Segment::informal);
        const double scale = permit.population.scale_workers_per_agent;
        extra += b.at(SeriesMetric::enrolled, april, 0, Segment::informal) -
                 a.at(SeriesMetric::enrolled, april, 0, Segment::informal);
        expected += uncovered * p;
        variance += uncovered * scale * p * (1 - p); // in workers: agents × scale
        EXPECT_GT(total(b, SeriesMetric::covered, Segment::informal),
                  total(a, SeriesMetric::covered, Segment::informal));
    }
    // Four binomial standard errors.
    EXPECT_NEAR(extra, expected, 4 * std::sqrt(variance)) << "expected " << expected;
}
