// The per-agent phases over a hand-built region of ten agents: each phase's tallies and
// column changes follow from the month's thresholds and the draws it is given, without a
// scenario or a random draw.

#include "agent_phases.hpp"
#include "agent_tally.hpp"
#include "month_parameters.hpp"
#include "ulcsim/population.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;
using namespace ulcsim::detail;

namespace {

constexpr std::uint32_t agents = 10;
constexpr std::uint64_t always = std::uint64_t{1} << 32; // above every 32-bit word

/// Ten workers of one region and one village, alternating formal and informal, aged 30 + a,
/// farmers for even slots and traders for odd ones; slots 0-3 are covered (0 and 2 by their
/// employer, 1 and 3 self-paid), the others not.
Population ten_workers() {
    Population p;
    for_each_agent_column(p, [](const auto&, auto& column) { column.resize(agents); });
    p.region_slots = {{0, agents, agents}};
    for (std::uint32_t a = 0; a < agents; ++a) {
        const auto segment = a % 2 == 0 ? Segment::formal : Segment::informal;
        const auto occupation = a % 2 == 0 ? Occupation::farmer : Occupation::trader;
        p.traits[a] = AgentTraits::pack(segment, occupation, false, a < 4);
        p.village[a] = 0;
        p.registration_region[a] = 0;
        p.age_years[a] = static_cast<std::uint8_t>(30 + a);
        p.income_band[a] = 1;
        p.awareness[a] = 100;
        const bool covered = a < 4;
        p.payer[a] = static_cast<std::uint8_t>(!covered     ? Payer::none
                                               : a % 2 == 0 ? Payer::employer
                                                            : Payer::self);
        p.paid_until[a] = !covered ? 0 : a % 2 == 0 ? paid_indefinitely : month_origin;
        p.covered_since[a] = 0;
    }
    return p;
}

/// Run month 1 (now = month_origin + 1) of one region with one village: nothing happens
/// unless a test sets a threshold.
MonthParameters quiet_month() {
    MonthParameters m;
    m.t = 1;
    m.now = month_origin + 1;
    m.calendar_index = 5; // no agent's birthday is (calendar_index + slot) % 12 == 0 but slot 7
    // By occupation for the one region: policies may act on some occupations only.
    m.employer_registration.assign(occupation_count, 0);
    m.permit_enrolment.assign(occupation_count, 0);
    m.registration_success = {0};
    m.self_enrolment_bound = {0};
    m.village_first = {0, 1};
    m.village_self_factor = {0};
    m.village_awareness_gain_16 = {0};
    m.village_fear_reduction_16 = {0};
    for (auto& lapse : m.self_lapse)
        lapse.fill(0); // a self-payer whose word is ≥ 0 pays this month
    return m;
}

struct Phases : testing::Test {
    Population pop = ten_workers();
    MonthParameters month = quiet_month();
    TallyLayout layout{0};
    ThreadTally tt;
    ChunkScratch scratch{};
    const Chunk chunk{0, agents, 0};

    Phases() { tt.size(1, 1, 0); }

    /// Start-of-month state codes (paid for last month), and every draw word `word`.
    void start(std::uint32_t word) {
        for (std::uint32_t a = 0; a < agents; ++a) {
            scratch.start[a] = state_code(pop, a, static_cast<std::uint16_t>(month.now - 1));
            scratch.draws[a] = {word, word, word, word};
        }
    }
    std::int64_t count(Segment g, SeriesMetric m) const {
        return tt.counts[TallyLayout::cell(0, static_cast<std::size_t>(g), m)];
    }
};

} // namespace

TEST_F(Phases, DemographyKillsByAgeAndCountsClaimsOfTheCovered) {
    // Deaths at ages 31 and 32 only: slot 1 (informal, self-paid, covered since before the
    // run) and slot 2 (formal, employer-paid).
    month.death_by_age[31] = always;
    month.death_by_age[32] = always;
    start(0);
    demography(chunk, scratch, month, 3, pop, tt);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::deaths), 1);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::deaths), 1);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::jkm_claims), 1);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::jkm_claims), 1);
    // Covered since month 0 (before the run): past the waiting period, the full amount.
    EXPECT_EQ(count(Segment::formal, reduced_jkm_claims), 0);
    for (std::uint32_t a = 0; a < agents; ++a)
        EXPECT_EQ(pop.in_labour_force(a), a != 1 && a != 2) << "slot " << a;
    EXPECT_EQ(pop.payer[1], static_cast<std::uint8_t>(Payer::none));
}

TEST_F(Phases, DemographyAgesOutOnTheBirthdayAtTheExitAge) {
    // Slot 7 (aged 37) has its birthday this month: (5 + 7) % 12 == 0.
    month.exit_age_years = 38;
    start(always - 1); // no death (thresholds 0), no segment move
    demography(chunk, scratch, month, 3, pop, tt);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::aged_out), 1);
    EXPECT_FALSE(pop.in_labour_force(7));
    EXPECT_EQ(pop.age_years[7], 38);
    EXPECT_EQ(pop.age_years[6], 36); // no birthday
}

TEST_F(Phases, WorkAccidentsByOccupationAreClaimsWhenCovered) {
    // Every farmer (even slots) has an accident, none is fatal; traders never.
    month.accident[static_cast<std::size_t>(Occupation::farmer)] = always;
    month.fatal_share_16 = 0;
    start(0);
    demography(chunk, scratch, month, 3, pop, tt); // the month runs it first
    work_accidents(chunk, scratch, month, pop, tt);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::accidents), 5);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::jkk_claims), 2); // slots 0 and 2
    EXPECT_EQ(count(Segment::informal, SeriesMetric::accidents), 0);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::deaths), 0);
    for (std::uint32_t a = 0; a < agents; ++a)
        EXPECT_TRUE(pop.in_labour_force(a));
}

TEST_F(Phases, WorkAccidentsDrawFromTheDeathWordAboveTheThresholdOfTheAgeAtTheStart) {
    // Death thresholds 1000 below age 38 and 3000 from it; the death word is 1400 for all, so
    // slots 8 and 9 (aged 38 and 39) die. Slot 7 turns 38 this month ((5 + 7) % 12 == 0), but
    // its accident is drawn above the threshold of 37, the age it entered the month with:
    // 1400 − 1000 = 400 < 500, an accident, as for every other survivor.
    for (std::size_t age = 0; age < month.death_by_age.size(); ++age)
        month.death_by_age[age] = age < 38 ? 1000 : 3000;
    month.accident.fill(500);
    month.fatal_share_16 = 0;
    start(1400);
    demography(chunk, scratch, month, 3, pop, tt);
    work_accidents(chunk, scratch, month, pop, tt);
    EXPECT_EQ(pop.age_years[7], 38);
    EXPECT_FALSE(pop.in_labour_force(8));
    EXPECT_FALSE(pop.in_labour_force(9));
    EXPECT_EQ(count(Segment::formal, SeriesMetric::accidents) +
                  count(Segment::informal, SeriesMetric::accidents) +
                  count(Segment::vulnerable, SeriesMetric::accidents),
              8);
    // A word 600 above the threshold is no accident at a risk of 500.
    tt.clear();
    pop = ten_workers();
    start(1600);
    demography(chunk, scratch, month, 3, pop, tt);
    work_accidents(chunk, scratch, month, pop, tt);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::accidents) +
                  count(Segment::informal, SeriesMetric::accidents) +
                  count(Segment::vulnerable, SeriesMetric::accidents),
              0);
}

TEST_F(Phases, TallyCountsOnlyTheAgentsWhoseStateChanged) {
    start(0);
    // Slot 1 lapses (the self-payer has not paid this month), slot 3 pays on, slot 5 enrols
    // self-paid, slot 2 dies.
    pop.paid_until[1] = static_cast<std::uint16_t>(month.now - 1);
    pop.paid_until[3] = month.now;
    pop.payer[5] = static_cast<std::uint8_t>(Payer::self);
    pop.paid_until[5] = month.now;
    pop.traits[2] = no_worker;
    pop.payer[2] = static_cast<std::uint8_t>(Payer::none);
    tally(chunk, scratch, month, layout, pop, tt);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::lapsed), 1);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::enrolled), 1);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::covered_exits), 1);
    // Stocks change by deltas: slot 1 leaves covered_self for in_arrears, slot 5 joins it.
    EXPECT_EQ(count(Segment::informal, SeriesMetric::covered), 0);
    EXPECT_EQ(count(Segment::informal, SeriesMetric::in_arrears), 1);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::labour_force), -1);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::covered_employer), -1);
    EXPECT_EQ(count(Segment::formal, SeriesMetric::covered_registered), -1);
    EXPECT_EQ(tt.village_workers[0], static_cast<std::uint32_t>(-1));
}

TEST_F(Phases, CoverageLapsesEmployersAndKeepsSelfPayersPaying) {
    month.employer_lapse = always; // every employer stops paying
    start(0);
    const std::vector<std::vector<std::uint16_t>> no_programmes(1);
    ProgrammeOffers offers{};
    offers.region_programmes = no_programmes;
    const CounterRng rng(1, 0);
    coverage(chunk, scratch, month, offers, rng, pop, tt);
    EXPECT_EQ(pop.payer[0], static_cast<std::uint8_t>(Payer::none));
    EXPECT_EQ(pop.payer[2], static_cast<std::uint8_t>(Payer::none));
    // Self-payers paid last month and their word (0) is not below the lapse threshold (0).
    EXPECT_EQ(pop.paid_until[1], month.now);
    EXPECT_EQ(pop.paid_until[3], month.now);
    EXPECT_EQ(pop.payer[5], static_cast<std::uint8_t>(Payer::none)); // no self-enrolment
}
