// What the scheme pays when a covered worker dies: the JKK death benefit to the heirs and the
// scholarships for the children. Accounting identities in every month, region and segment
// (benefits = deaths of covered workers × amounts), the membership rule of the JKM
// scholarship, and paired runs showing that the amounts change the money and nothing else.

#include "support/test_support.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// Deaths and fatal accidents are made frequent so that every month has claims.
constexpr const char* deadly_kota_magelang = R"(
[run]
start = "2024-01"
months = 12
seed = 5
[regions]
include = ["33.71"]
[behaviour.mortality]
"15-24" = 0.01
"25-34" = 0.01
"35-44" = 0.01
"45-54" = 0.01
"55-64" = 0.01
"65+" = 0.01
[behaviour.accidents]
farmer = 0.01
fisher = 0.01
tobacco = 0.01
religious = 0.01
transport = 0.01
trader = 0.01
construction = 0.01
waste = 0.01
community = 0.01
other = 0.01
[benefits]
jkk_fatal_share = 0.5
pu_wage_idr_per_month = 3_000_000
bpu_declared_income_idr_per_month = 1_200_000
)";

// A programme that enrols every vulnerable worker from the first month.
constexpr const char* everyone_funded = R"(
[[programme]]
name = "everyone"
kind = "apbd_kabkota"
acceptance = 1
[programme.eligibility]
segments = ["vulnerable"]
[[programme.window]]
start = "2024-01"
end = "2024-12"
)";

Scenario deadly(const std::vector<std::string>& overrides = {}, const std::string& extra = "") {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", std::string(deadly_kota_magelang) + extra), overrides);
}

double total(const ReplicateSeries& r, SeriesMetric m) {
    double sum = 0;
    for (std::size_t t = 0; t < r.months; ++t)
        sum += r.total(m, t);
    return sum;
}

} // namespace

TEST(HeirsBenefits, AreTheDeathsOfCoveredWorkersTimesTheAmounts) {
    const Scenario s = deadly({"benefits.scholarship_membership_months=0"});
    const ReplicateSeries r = simulate_replicate(s, 0);
    const double scholarship = 174e6 * 0.25;
    for (std::size_t t = 0; t < r.months; ++t)
        for (std::size_t g = 0; g < segment_count; ++g) {
            const auto segment = static_cast<Segment>(g);
            const double wage = segment == Segment::formal ? 3e6 : 1.2e6;
            const double jkk_deaths = r.at(SeriesMetric::jkk_death_claims, t, 0, segment);
            const double jkm_deaths = r.at(SeriesMetric::jkm_claims, t, 0, segment);
            // Whole workers times whole rupiah below 2^53: exact in doubles.
            EXPECT_EQ(r.at(SeriesMetric::jkk_death_paid_idr, t, 0, segment), jkk_deaths * 48 * wage)
                << "month " << t << " segment " << g;
            EXPECT_EQ(r.at(SeriesMetric::scholarships_idr, t, 0, segment),
                      (jkk_deaths + jkm_deaths) * scholarship)
                << "month " << t << " segment " << g;
            // Fatal accidents of covered workers are among the JKK claims and the deaths.
            EXPECT_LE(jkk_deaths, r.at(SeriesMetric::jkk_claims, t, 0, segment));
            EXPECT_LE(jkk_deaths + jkm_deaths, r.at(SeriesMetric::deaths, t, 0, segment));
        }
    // Not vacuous: Kota Magelang's ~19,000 covered workers at these rates give about a
    // thousand of each in a year.
    EXPECT_GT(total(r, SeriesMetric::jkk_death_claims), 300);
    EXPECT_GT(total(r, SeriesMetric::jkm_claims), 300);
    // Half of the accidents of covered workers kill (jkk_fatal_share): within 0.04, about
    // five standard errors of a thousand claims.
    EXPECT_NEAR(total(r, SeriesMetric::jkk_death_claims) / total(r, SeriesMetric::jkk_claims), 0.5,
                0.04);
}

TEST(HeirsBenefits, JkmScholarshipsWaitForTheMembershipTheRulesAsk) {
    // Nobody is covered at the start; a programme enrols everyone in the first month, so no
    // member reaches 36 months within the run: only work-accident deaths bring scholarships.
    const std::vector<std::string> fresh_members{"population.formal_share=0",
                                                 "population.vulnerable_share_of_informal=1",
                                                 "population.initial_coverage.vulnerable_self=0",
                                                 "population.fears_bansos.vulnerable=0",
                                                 "behaviour.h0_self=0",
                                                 "behaviour.entry_rate=0",
                                                 "behaviour.h_informal_to_formal=0",
                                                 "behaviour.h_vulnerable_to_informal=0"};
    const double scholarship = 174e6 * 0.25;
    const ReplicateSeries r = simulate_replicate(deadly(fresh_members, everyone_funded), 0);
    ASSERT_GT(total(r, SeriesMetric::jkm_claims), 300);
    for (std::size_t t = 0; t < r.months; ++t)
        EXPECT_EQ(r.total(SeriesMetric::scholarships_idr, t),
                  r.total(SeriesMetric::jkk_death_claims, t) * scholarship)
            << "month " << t;

    // With three months, the scholarship's rule is the JKM waiting period's: the non-work
    // deaths with a scholarship are those paid the full Rp42m.
    std::vector<std::string> three_months = fresh_members;
    three_months.push_back("benefits.scholarship_membership_months=3");
    const ReplicateSeries q = simulate_replicate(deadly(three_months, everyone_funded), 0);
    double eligible_jkm = 0;
    for (std::size_t t = 0; t < q.months; ++t) {
        const double claims = q.total(SeriesMetric::jkm_claims, t);
        const double full = (q.total(SeriesMetric::jkm_paid_idr, t) - claims * 10e6) / 32e6;
        const double with_scholarship = q.total(SeriesMetric::scholarships_idr, t) / scholarship -
                                        q.total(SeriesMetric::jkk_death_claims, t);
        EXPECT_NEAR(with_scholarship, full, 1e-6) << "month " << t;
        eligible_jkm += full;
    }
    EXPECT_GT(eligible_jkm, 300);
}

TEST(HeirsBenefits, TheAmountsChangeTheMoneyAndNothingElse) {
    const Scenario base = deadly();
    const Scenario richer =
        deadly({"benefits.jkk_death_wage_months=60", "benefits.pu_wage_idr_per_month=5_000_000",
                "benefits.scholarship_share=0.5", "benefits.scholarship_membership_months=12"});
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const ReplicateSeries a = simulate_replicate(base, replicate);
        const ReplicateSeries b = simulate_replicate(richer, replicate);
        for (std::size_t m = 0; m < series_metric_count; ++m) {
            const auto metric = static_cast<SeriesMetric>(m);
            const bool changed = metric == SeriesMetric::jkk_death_paid_idr ||
                                 metric == SeriesMetric::scholarships_idr;
            if (changed) {
                EXPECT_GT(total(b, metric), total(a, metric)) << series_metric_names[m];
                continue;
            }
            for (std::size_t t = 0; t < a.months; ++t)
                ASSERT_EQ(a.total(metric, t), b.total(metric, t))
                    << series_metric_names[m] << " month " << t;
        }
        EXPECT_EQ(a.programme_series, b.programme_series);
    }
}
