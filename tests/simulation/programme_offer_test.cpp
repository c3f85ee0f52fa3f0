// Programmes like a subsidy experiment: funding each member for months of his own, a
// co-payment share, registration of those who accept, and take-up that depends on the
// worker. Each lever, in paired runs with common random numbers, changes what it should and
// nothing else; the programme's spending is members × (1 − share) × premium.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/simulation.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

// 6,000 informal and vulnerable workers, uncovered at the start, offered a programme in the
// first two months. Nobody dies, ages out or takes a wage job, so a member leaves only when
// his funding ends.
const std::string trial = R"(
[run]
start = "2024-01"
months = 20
seed = 11

[regions]
include = ["33.71"]

[[population.region]]
region = "33.71"
employed_workers = 6_000
formal_share = 0
informal_self = 0
vulnerable_self = 0

[population.age_bands] # nobody is old enough to age out within the run
"55-64" = 0.17
"65+" = 0

[behaviour]
h_informal_to_formal = 0
)" + std::string(test::no_deaths_or_accidents) +
                          R"(
[[programme]]
name = "offer"
kind = "other"
acceptance = 0.3
renewal = false

[programme.eligibility]
segments = ["informal", "vulnerable"]

[[programme.window]]
start = "2024-01"
end = "2024-02"
)";

Scenario with(const std::vector<std::string>& overrides) {
    test::ScratchDir dir;
    return load_scenario(dir.write("s.toml", trial), overrides);
}

double programme(const ReplicateSeries& r, ProgrammeMetric m, std::size_t t) {
    return r.at(m, t, 0);
}

double enrolled_in_window(const ReplicateSeries& r) {
    return programme(r, ProgrammeMetric::enrolled, 0) + programme(r, ProgrammeMetric::enrolled, 1);
}

std::vector<std::string> problems(const std::vector<std::string>& overrides) {
    try {
        with(overrides);
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const Diagnostic& d : e.diagnostics())
            out.push_back(d.key + ": " + d.message);
        return out;
    }
    return {};
}

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
    for (const std::string& p : problems)
        if (p.rfind(key, 0) == 0) return true;
    return false;
}

} // namespace

TEST(ProgrammeOffer, MonthsPerMemberFundEachMemberFromHisOwnEnrolment) {
    const Scenario s = with({"programme.offer.months_per_member=12"});
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
        const ReplicateSeries r = simulate_replicate(s, replicate);
        const double first = programme(r, ProgrammeMetric::enrolled, 0);
        const double second = programme(r, ProgrammeMetric::enrolled, 1);
        ASSERT_GT(first, 0);
        ASSERT_GT(second, 0);
        for (std::size_t t = 0; t < r.months; ++t) {
            // Nobody leaves early here: the members are exactly those enrolled in the last
            // 12 months, long after the two-month window closed.
            const double expected = (t < 12 ? first : 0) + (t >= 1 && t < 13 ? second : 0);
            EXPECT_EQ(programme(r, ProgrammeMetric::members, t), expected) << "month " << t;
            EXPECT_EQ(programme(r, ProgrammeMetric::spent_idr, t), expected * 16'800);
        }
        EXPECT_EQ(programme(r, ProgrammeMetric::left, 12), first);
        EXPECT_EQ(programme(r, ProgrammeMetric::left, 13), second);
    }
}

TEST(ProgrammeOffer, WithoutMonthsPerMemberFundingEndsWithTheWindow) {
    const ReplicateSeries r = simulate_replicate(with({}), 0);
    EXPECT_GT(programme(r, ProgrammeMetric::members, 1), 0);
    EXPECT_EQ(programme(r, ProgrammeMetric::members, 2), 0);
}

TEST(ProgrammeOffer, AMemberShareHalvesSpendingAndChangesNothingElseWhenTakeUpIgnoresIt) {
    const Scenario full =
        with({"programme.offer.months_per_member=12", "programme.offer.b_accept_member_share=0"});
    const Scenario half =
        with({"programme.offer.months_per_member=12", "programme.offer.b_accept_member_share=0",
              "programme.offer.member_share=0.5"});
    const ReplicateSeries a = simulate_replicate(full, 0);
    const ReplicateSeries b = simulate_replicate(half, 0);
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < a.months; ++t)
            for (std::size_t g = 0; g < segment_count; ++g) {
                const auto metric = static_cast<SeriesMetric>(m);
                const double x = a.at(metric, t, 0, static_cast<Segment>(g));
                const double y = b.at(metric, t, 0, static_cast<Segment>(g));
                if (metric == SeriesMetric::programme_paid_idr)
                    EXPECT_EQ(y, 0.5 * x);
                else
                    ASSERT_EQ(x, y) << series_metric_names[m] << " month " << t;
            }
    for (std::size_t t = 0; t < a.months; ++t) {
        EXPECT_EQ(programme(a, ProgrammeMetric::members, t),
                  programme(b, ProgrammeMetric::members, t));
        // spent = funded member-months × (1 − share) × premium
        EXPECT_EQ(programme(b, ProgrammeMetric::spent_idr, t),
                  programme(b, ProgrammeMetric::members, t) * 0.5 * 16'800);
    }
}

TEST(ProgrammeOffer, TakeUpFallsWithTheMemberShare) {
    // exp(−1.4 · 0.5) = 0.497 of the acceptance, so about half as many take it up.
    double full = 0, half = 0;
    for (std::uint32_t replicate = 0; replicate < 3; ++replicate) {
        full += enrolled_in_window(simulate_replicate(with({}), replicate));
        half += enrolled_in_window(
            simulate_replicate(with({"programme.offer.member_share=0.5"}), replicate));
    }
    // Over two months 1 − 0.7² = 51% of those without fear of losing bansos take up a full
    // offer and 1 − 0.85² = 28% of those with it (acceptance halved); a half offer, 28% and
    // 14%. With 21% fearing, 46% against 25%: a ratio of 0.54, about 8,300 against 4,500
    // enrolments in three replicates, so its binomial error is about 0.01.
    EXPECT_NEAR(half / full, 0.54, 0.04);
}

TEST(ProgrammeOffer, RegistrationByTheWorkerFailsAsOftenAsTheRegistrationSuccessSays) {
    double by_programme = 0, assisted = 0, self = 0;
    for (std::uint32_t replicate = 0; replicate < 3; ++replicate) {
        by_programme +=
            programme(simulate_replicate(with({}), replicate), ProgrammeMetric::enrolled, 0);
        assisted += programme(
            simulate_replicate(with({"programme.offer.registration=assisted"}), replicate),
            ProgrammeMetric::enrolled, 0);
        self +=
            programme(simulate_replicate(with({"programme.offer.registration=self"}), replicate),
                      ProgrammeMetric::enrolled, 0);
    }
    // In the first month about 27% of 6,000 accept (30%, halved for the 21% who fear losing
    // bansos): some 4,800 in three replicates. Of them 70% manage with help and 50% alone
    // (behaviour defaults); the tolerance is four binomial errors.
    EXPECT_NEAR(assisted / by_programme, 0.7, 0.03);
    EXPECT_NEAR(self / by_programme, 0.5, 0.03);
    // Those who fail stay uncovered and meet the offer again next month.
    const ReplicateSeries r = simulate_replicate(with({"programme.offer.registration=self"}), 0);
    EXPECT_GT(programme(r, ProgrammeMetric::enrolled, 1), 0);
}

TEST(ProgrammeOffer, TakeUpByIncomeAndAwarenessMovesOnlyTheOffer) {
    // The acceptance threshold rises with the coefficient, the draws stay: in the first
    // month, before any other change of state, everyone who took it up still does.
    const ReplicateSeries base = simulate_replicate(with({}), 0);
    const ReplicateSeries richer =
        simulate_replicate(with({"programme.offer.b_accept_income=0.3"}), 0);
    const ReplicateSeries aware =
        simulate_replicate(with({"programme.offer.b_accept_aware=-1"}), 0);
    EXPECT_GT(programme(richer, ProgrammeMetric::enrolled, 0),
              1.2 * programme(base, ProgrammeMetric::enrolled, 0));
    EXPECT_LT(programme(aware, ProgrammeMetric::enrolled, 0),
              0.9 * programme(base, ProgrammeMetric::enrolled, 0));
    for (std::size_t g = 0; g < segment_count; ++g)
        EXPECT_EQ(base.at(SeriesMetric::labour_force, 0, 0, static_cast<Segment>(g)),
                  richer.at(SeriesMetric::labour_force, 0, 0, static_cast<Segment>(g)));
}

TEST(ProgrammeOffer, BadValuesAreRejectedWithTheirKey) {
    EXPECT_TRUE(mentions(problems({"programme.offer.months_per_member=0"}),
                         "programme[0].months_per_member"));
    EXPECT_TRUE(
        mentions(problems({"programme.offer.member_share=1.5"}), "programme[0].member_share"));
    EXPECT_TRUE(
        mentions(problems({"programme.offer.registration=fax"}), "programme[0].registration"));
    EXPECT_TRUE(mentions(problems({"behaviour.assisted_registration_success=1.2"}),
                         "behaviour.assisted_registration_success"));
    EXPECT_TRUE(
        mentions(problems({"programme.offer.months_per_member=12", "programme.offer.renewal=true"}),
                 "programme[0].renewal"));
    EXPECT_TRUE(mentions(problems({"programme.offer.months_per_member=12",
                                   "programme.offer.budget_idr_per_year.2024=1000000"}),
                         "programme[0].budget_idr_per_year"));
    EXPECT_TRUE(problems({"programme.offer.months_per_member=12"}).empty());
}
