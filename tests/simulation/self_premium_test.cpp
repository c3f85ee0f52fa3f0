// The self-paid premium acts on self-paid enrolment and on self-payers' lapse, and on nothing
// else: paired runs with common random numbers at the statutory minimum (Rp16,800) and with
// JHT (Rp36,800).

#include "support/test_support.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// No programmes and no campaigns: self-payers are the only ones the premium can move.
constexpr const char* region_without_programmes = R"(
[run]
start = "2024-01"
months = 24
seed = 7

[regions]
include = ["33.71"]
)";

Scenario with(const std::vector<std::string>& overrides) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", region_without_programmes), overrides);
}

struct Totals {
    double self_covered = 0; ///< self-paid worker-months
    double enrolled = 0;     ///< informal and vulnerable enrolments (all self-paid here)
    double lapsed = 0;       ///< informal and vulnerable lapses
};

Totals totals(const ReplicateSeries& r) {
    Totals out;
    for (std::size_t t = 0; t < r.months; ++t)
        for (const Segment g : {Segment::informal, Segment::vulnerable}) {
            out.self_covered += r.at(SeriesMetric::covered_self, t, 0, g);
            out.enrolled += r.at(SeriesMetric::enrolled, t, 0, g);
            out.lapsed += r.at(SeriesMetric::lapsed, t, 0, g);
        }
    return out;
}

} // namespace

TEST(SelfPremium, TheStatutoryMinimumIsTheDefaultAndChangesNothing) {
    const Scenario base = with({});
    EXPECT_EQ(base.benefits.self_premium_idr_per_month, 16'800);
    const Scenario explicit_minimum = with({"benefits.self_premium_idr_per_month=16800"});
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const ReplicateSeries a = simulate_replicate(base, replicate);
        const ReplicateSeries b = simulate_replicate(explicit_minimum, replicate);
        EXPECT_EQ(a.series, b.series);
    }
}

TEST(SelfPremium, WithJhtFewerEnrolMoreLapseAndEmployersAreUntouched) {
    const Scenario minimum = with({});
    const Scenario jht = with({"benefits.self_premium_idr_per_month=36800"});
    Totals low, high;
    for (std::uint32_t replicate = 0; replicate < 4; ++replicate) {
        const ReplicateSeries a = simulate_replicate(minimum, replicate);
        const ReplicateSeries b = simulate_replicate(jht, replicate);
        // Demography draws from words the premium never touches.
        for (std::size_t t = 0; t < a.months; ++t)
            for (std::size_t g = 0; g < segment_count; ++g) {
                const auto segment = static_cast<Segment>(g);
                for (const SeriesMetric m :
                     {SeriesMetric::labour_force, SeriesMetric::deaths, SeriesMetric::entrants})
                    ASSERT_EQ(a.at(m, t, 0, segment), b.at(m, t, 0, segment))
                        << "month " << t << " segment " << g;
                // Employers register with the same probability; only a wage earner who pays
                // for himself (one who enrolled while informal) draws that decision from
                // another word than an uncovered one, so the premium moves employer coverage
                // by a few workers out of some 14,000.
                EXPECT_NEAR(a.at(SeriesMetric::covered_employer, t, 0, segment),
                            b.at(SeriesMetric::covered_employer, t, 0, segment),
                            1e-3 * a.at(SeriesMetric::labour_force, t, 0, segment) + 1)
                    << "month " << t << " segment " << g;
            }
        const Totals x = totals(a), y = totals(b);
        low.self_covered += x.self_covered;
        low.enrolled += x.enrolled;
        low.lapsed += x.lapsed;
        high.self_covered += y.self_covered;
        high.enrolled += y.enrolled;
        high.lapsed += y.lapsed;
    }
    // With b_premium = b_lapse_premium = 0.5 the ratio 36,800 / 16,800 = 2.19 multiplies the
    // enrolment hazard by 0.68 and the lapse hazard by 1.48. Kota Magelang has some 2,000
    // self-paid enrolments a year, so the counts are far beyond their noise.
    EXPECT_LT(high.enrolled, 0.8 * low.enrolled);
    EXPECT_GT(high.enrolled, 0.55 * low.enrolled);
    EXPECT_LT(high.self_covered, low.self_covered);
    // Lapses per self-paid worker-month rise with the premium.
    EXPECT_GT(high.lapsed / high.self_covered, 1.3 * low.lapsed / low.self_covered);
}

TEST(SelfPremium, ElasticitiesOfZeroMakeThePremiumIrrelevant) {
    const Scenario a = with({"behaviour.b_premium=0", "behaviour.b_lapse_premium=0"});
    const Scenario b = with({"behaviour.b_premium=0", "behaviour.b_lapse_premium=0",
                             "benefits.self_premium_idr_per_month=200000"});
    EXPECT_EQ(simulate_replicate(a, 0).series, simulate_replicate(b, 0).series);
}

TEST(SelfPremium, APremiumOfZeroIsRejectedWithItsKey) {
    const test::ProcessResult r =
        test::run_program({"validate", (test::scenarios_dir() / "kota-magelang-2024.toml").string(),
                           "--set", "benefits.self_premium_idr_per_month=0"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("benefits.self_premium_idr_per_month"), std::string::npos) << r.err;
}
