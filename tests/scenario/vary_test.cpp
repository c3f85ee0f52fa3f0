// vary(): a variant of a validated scenario is a new scenario, validated again from its own
// document: the value set exactly, everything else as in the base, a value others default to
// reaching them, bad values reported like a bad --set, and the base untouched.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/vary.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace ulcsim;

namespace {

const Scenario& kota_magelang() {
    static const Scenario s =
        load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", {"population.scale=20"});
    return s;
}

/// The problems of a variant that cannot be made, as the program would print them.
std::string problems_of(const Scenario& base, const std::vector<KeyValue>& values) {
    try {
        vary(base, values);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(Vary, SetsTheValueExactlyAndKeepsEverythingElse) {
    const Scenario& base = kota_magelang();
    const double value = 0.1 + 0.2; // 0.30000000000000004: no round trip through text
    const Scenario v = vary(base, "behaviour.h_lapse", value);
    EXPECT_EQ(v.behaviour.h_lapse, value);
    EXPECT_EQ(base.behaviour.h_lapse, 0.065) << "the base is untouched";
    EXPECT_EQ(v.behaviour.h0_self, base.behaviour.h0_self);
    EXPECT_EQ(v.run.months, base.run.months);
    EXPECT_EQ(v.regions, base.regions);
    EXPECT_EQ(v.population.scale_workers_per_agent, 20);
    ASSERT_EQ(v.programmes.size(), base.programmes.size());
    EXPECT_EQ(v.programmes[0].budget_idr_per_year, base.programmes[0].budget_idr_per_year);
    EXPECT_EQ(v.region_table.regions().size(), base.region_table.regions().size());
    EXPECT_EQ(v.file, base.file);
    // The variant's document is its own, and says what was run.
    EXPECT_NE(v.resolved_toml.find("h_lapse = 0.30000000000000004"), std::string::npos);
    EXPECT_EQ(base.resolved_toml.find("h_lapse"), std::string::npos);
    EXPECT_NE(v.document, base.document);
    // A variant varies again.
    const Scenario w = vary(v, "behaviour.h0_self", 0.02);
    EXPECT_EQ(w.behaviour.h_lapse, value);
    EXPECT_EQ(w.behaviour.h0_self, 0.02);
}

TEST(Vary, ProgrammeKeysByNameOrPositionAndKeysTheFileDoesNotSet) {
    const Scenario& base = kota_magelang();
    const std::vector<KeyValue> values{
        {"programme.kota-magelang-apbd.window.1.end", Month(2026, 6)},
        {"programme.0.budget_idr_per_year.2026", std::int64_t{100'000'000}},
        {"programme.kota-magelang-apbd.targeting", std::string("lowest_income_first")},
        {"programme.0.renewal", false},
    };
    const Scenario v = vary(base, values);
    const FundingProgramme& p = v.programmes[0];
    EXPECT_EQ(p.windows[1].end, Month(2026, 6));
    EXPECT_EQ(p.budget_idr_per_year.at(2026), 100'000'000);
    EXPECT_EQ(p.budget_idr_per_year.at(2025), base.programmes[0].budget_idr_per_year.at(2025));
    EXPECT_EQ(p.targeting, Targeting::lowest_income_first);
    EXPECT_FALSE(p.renewal);
}

TEST(Vary, BehaviourContinueAfterSubsidyReachesTheProgrammesAndChangesTheRun) {
    // The programme of Kota Magelang sets no continue_after_subsidy of its own: it takes the
    // behaviour value, which editing the Scenario struct could not change.
    Scenario base = vary(kota_magelang(), "run.months", std::int64_t{30});
    const Scenario low = vary(base, "behaviour.continue_after_subsidy", 0.05);
    const Scenario high = vary(base, "behaviour.continue_after_subsidy", 0.95);
    EXPECT_EQ(low.programmes[0].continue_after_subsidy, 0.05);
    EXPECT_EQ(high.programmes[0].continue_after_subsidy, 0.95);
    // Funding ends in 2025-12; by 2026-06 the members who kept paying are former members
    // still covered. Same seed and replicate: the draws are the same, the share differs.
    const ReplicateSeries a = simulate_replicate(low, 0), b = simulate_replicate(high, 0);
    const auto month = static_cast<std::size_t>(Month(2026, 6) - base.run.start);
    double former_low = 0, former_high = 0;
    for (const Segment s : {Segment::formal, Segment::informal, Segment::vulnerable}) {
        former_low += a.at(SeriesMetric::covered_former_members, month, 0, s);
        former_high += b.at(SeriesMetric::covered_former_members, month, 0, s);
    }
    EXPECT_GT(former_high, 1.5 * former_low) << former_low << " vs " << former_high;
    // Before funding ends nobody has met the end of a subsidy: the runs are the same.
    const auto before = static_cast<std::size_t>(Month(2025, 11) - base.run.start);
    for (const Segment s : {Segment::formal, Segment::informal, Segment::vulnerable})
        EXPECT_EQ(a.at(SeriesMetric::covered, before, 0, s),
                  b.at(SeriesMetric::covered, before, 0, s));
}

TEST(Vary, BadValuesAreReportedLikeABadSet) {
    const Scenario& base = kota_magelang();
    EXPECT_EQ(problems_of(base, {{"behaviour.h_lapse", -1.0}}),
              "--set behaviour.h_lapse=-1: error: behaviour.h_lapse: -1 is out of range [0, 10]");
    EXPECT_EQ(problems_of(base, {{"behaviour.h_lpase", 0.1}}),
              "--set behaviour.h_lpase=0.1: error: behaviour.h_lpase: unknown key (did you mean "
              "'h_lapse'?)");
    EXPECT_EQ(problems_of(base, {{"programme.nope.acceptance", 0.5}}),
              "--set programme.nope.acceptance=0.5: error: programme: no entry 'nope' (entries: "
              "kota-magelang-apbd)");
    EXPECT_EQ(problems_of(base, {{"run.months", 2.5}}),
              "--set run.months=2.5: error: run.months: expected an integer in [1, 1200], got "
              "a floating-point number");
    // A value that makes another invalid is reported where the other is.
    const std::string budget =
        problems_of(base, {{"programme.0.window.1.end", Month(2025, 6)},
                           {"programme.0.budget_idr_per_year.2026", std::int64_t{1}}});
    EXPECT_NE(budget.find("programme[0].budget_idr_per_year.2026: no window of this programme has "
                          "a month in 2026"),
              std::string::npos)
        << budget;
    Scenario by_hand;
    EXPECT_THROW(vary(by_hand, "behaviour.h_lapse", 0.1), std::invalid_argument);
}

TEST(Vary, KeysResolveToTheScenariosNamesAndNumbersToWhatTheValidatorRead) {
    const Scenario& base = kota_magelang();
    EXPECT_EQ(resolve_key(base, "programme.0.acceptance"),
              "programme.kota-magelang-apbd.acceptance");
    EXPECT_EQ(resolve_key(base, "h_lapse", true), "behaviour.h_lapse");
    EXPECT_THROW(resolve_key(base, "h_lapse"), InputError);
    EXPECT_THROW(resolve_key(base, "programme.9.acceptance"), InputError);
    EXPECT_EQ(scenario_number(base, "behaviour.h_lapse"), 0.065) << "a default";
    EXPECT_EQ(scenario_number(base, "population.scale"), 20) << "from --set";
    EXPECT_EQ(scenario_number(base, "programme.kota-magelang-apbd.continue_after_subsidy"), 0.33)
        << "the behaviour value a programme takes";
    EXPECT_EQ(scenario_number(base, "programme.0.budget_idr_per_year.2025"), 412'070'400);
    EXPECT_EQ(scenario_number(base, "behaviour.mortality.65+"), 0.00333);
    EXPECT_EQ(scenario_number(base, "run.months"), 36) << "integers too";
    EXPECT_EQ(scenario_number(base, "population.formal_share"), std::nullopt)
        << "not given: the region data's";
}

TEST(Vary, TextIsTypedByTheKey) {
    const auto parse = [](std::string_view key, std::string_view text) {
        return parse_scenario_value(*find_scenario_key(key), text);
    };
    EXPECT_EQ(parse("behaviour.h_lapse", "0.5"), ScenarioValue(0.5));
    EXPECT_EQ(parse("behaviour.h_lapse", "2"), ScenarioValue(std::int64_t{2}));
    EXPECT_EQ(parse("programme.x.budget_idr_per_year.2025", "206_035_200"),
              ScenarioValue(std::int64_t{206'035'200}));
    EXPECT_EQ(parse("run.months", "24"), ScenarioValue(std::int64_t{24}));
    EXPECT_EQ(parse("programme.x.window.0.end", "2025-06"), ScenarioValue(Month(2025, 6)));
    EXPECT_EQ(parse("programme.x.renewal", "false"), ScenarioValue(false));
    EXPECT_EQ(parse("programme.x.targeting", "random"), ScenarioValue(std::string("random")));
    EXPECT_THROW(parse("behaviour.h_lapse", "fast"), std::invalid_argument);
    EXPECT_THROW(parse("run.months", "2.5"), std::invalid_argument);
    EXPECT_THROW(parse("programme.x.window.0.end", "June"), std::invalid_argument);
    EXPECT_THROW(parse("programme.x.targeting", "rand"), std::invalid_argument);
    EXPECT_THROW(parse("regions.include", "33.71"), std::invalid_argument);
    EXPECT_EQ(format_scenario_value(0.1), "0.1");
    EXPECT_EQ(format_scenario_value(std::int64_t{-1}), "-1");
    EXPECT_EQ(format_scenario_value(Month(2025, 6)), "2025-06");
}

TEST(WithHorizon, DropsTheObservationsAfterTheNewLastMonthAndKeepsItsHorizonInVariants) {
    const Scenario s = load_scenario(test::scenarios_dir() / "sawahlunto.toml");
    ASSERT_FALSE(s.observations.empty());
    Month earliest = s.observations.front().month;
    for (const Observation& o : s.observations)
        earliest = std::min(earliest, o.month);
    const int months = earliest - s.run.start; // up to the month before the first observation
    ASSERT_GE(months, 1);
    const Scenario cut = with_horizon(s, months);
    EXPECT_EQ(cut.run.months, months);
    EXPECT_EQ(cut.run.start, s.run.start);
    EXPECT_TRUE(cut.observations.empty());
    EXPECT_EQ(with_horizon(s, s.run.months).observations.size(), s.observations.size());
    // A variant of the cut scenario keeps its horizon.
    EXPECT_EQ(vary(cut, "run.seed", std::int64_t{9}).run.months, months);
    EXPECT_THROW(with_horizon(s, 0), std::invalid_argument);
    EXPECT_THROW(with_horizon(s, s.run.months + 1), std::invalid_argument);
}

// DI Yogyakarta's observations name rows of observations.csv and have no month of their own
// in the file: they are dropped by the month they take from the table.
TEST(WithHorizon, KeepsObservationsNamedByTheirTableRowUpToTheNewLastMonth) {
    const Scenario s = load_scenario(test::scenarios_dir() / "di-yogyakarta.toml");
    ASSERT_EQ(s.observations.size(), 3u);    // 2024-02, 2024-10, 2024-06 (bpu)
    const Scenario cut = with_horizon(s, 7); // 2024-01 … 2024-07
    ASSERT_EQ(cut.observations.size(), 2u);
    EXPECT_EQ(cut.observations[0].month, Month(2024, 2));
    EXPECT_EQ(cut.observations[1].month, Month(2024, 6));
    EXPECT_DOUBLE_EQ(cut.observations[1].value, 0.33);
    EXPECT_DOUBLE_EQ(cut.observations[1].error_band, 0.16);
}

TEST(WithHorizon, AOneRegionScenarioKeepsItsFirstMonthsBitForBit) {
    const Scenario& s = kota_magelang();
    const Scenario cut = with_horizon(s, 7);
    for (const std::uint32_t replicate : {0u, 3u}) {
        const ReplicateSeries full = simulate_replicate(s, replicate);
        const ReplicateSeries part = simulate_replicate(cut, replicate);
        ASSERT_EQ(part.months, 7u);
        for (std::size_t m = 0; m < series_metric_count; ++m)
            for (std::size_t i = 0; i < part.series_block(); ++i)
                ASSERT_EQ(part.series[m * part.series_block() + i],
                          full.series[m * full.series_block() + i])
                    << "metric " << m << " at " << i;
    }
}
