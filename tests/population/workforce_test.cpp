// The workforce over time (population.workforce_from = "bps_employment_by_province"): the
// shipped employment series, its interpolation and growth beyond the data, a run from 2021
// whose provinces follow it month by month, and the series' bad input.

#include "support/test_support.hpp"
#include "ulcsim/checkpoint.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/workforce.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <tbb/task_arena.h>

using namespace ulcsim;

namespace {

const RegionTable& shipped_regions() {
    static const RegionTable table = RegionTable::load(test::scenarios_dir() / "data");
    return table;
}

const EmploymentSeries& shipped_series() {
    static const EmploymentSeries series =
        EmploymentSeries::load(test::scenarios_dir() / "data", shipped_regions().provinces());
    return series;
}

Month month(const char* text) {
    return *Month::parse(text);
}

/// The nation at 1 agent per 200 workers from `start`, with the workforce following the series.
Scenario nation_following_series(const std::string& start, int months,
                                 const std::string& more = "") {
    return test::load_scenario_text(R"(
[run]
start = ")" + start + R"("
months = )" + std::to_string(months) +
                                    R"(
seed = 11
[regions]
include = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34",
           "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74",
           "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"]
[population]
scale = 200
workforce_from = "bps_employment_by_province"
)" + more);
}

} // namespace

TEST(EmploymentSeries, ShippedTableHoldsTheBpsFiguresAndSumsToTheNation) {
    const EmploymentSeries& e = shipped_series();
    // BPS Jawa Tengah, Aug 2023 and Aug 2024 (observations.csv rows 33-2023-08-employed-all,
    // 33-2024-08-employed-all).
    EXPECT_DOUBLE_EQ(e.employed_workers("33", month("2023-08"), 1), 19'990'000);
    EXPECT_DOUBLE_EQ(e.employed_workers("33", month("2024-08"), 1), 20'860'000);
    // BPS Sakernas national employed (rows ID-2023-08-, ID-2024-02-, ID-2024-08-employed-all).
    const std::map<std::string, double> national{
        {"2023-08", 139'850'000}, {"2024-02", 142'180'000}, {"2024-08", 144'640'000}};
    for (const auto& [m, expected] : national) {
        double sum = 0;
        for (const Province& p : shipped_regions().provinces()) {
            EXPECT_EQ(e.months(p.code).size(), 3u) << p.code;
            sum += e.employed_workers(p.code, month(m.c_str()), 1);
        }
        EXPECT_DOUBLE_EQ(sum, expected) << m;
    }
    // The region data's month is the series' Aug 2024, province by province.
    for (const Province& p : shipped_regions().provinces())
        EXPECT_DOUBLE_EQ(e.employed_workers(p.code, region_data_month, 1),
                         static_cast<double>(p.employed_workers))
            << p.code;
}

TEST(EmploymentSeries, InterpolatesGeometricallyAndExtendsTheTrendByTheGrowthFactor) {
    const EmploymentSeries& e = shipped_series();
    const double aug23 = 19'990'000, aug24 = 20'860'000;
    const double feb24 = e.employed_workers("33", month("2024-02"), 1);
    // Between two of its months: the geometric path, whatever the factor.
    EXPECT_NEAR(e.employed_workers("33", month("2023-11"), 1), aug23 * std::pow(feb24 / aug23, 0.5),
                1e-6 * aug23);
    EXPECT_DOUBLE_EQ(e.employed_workers("33", month("2023-11"), 0),
                     e.employed_workers("33", month("2023-11"), 1));
    // Beyond: a year past the last month grows by the year of the series (×1), half of its
    // log growth (×0.5), or not at all (×0); and the same backwards.
    const double year = aug24 / aug23;
    EXPECT_NEAR(e.employed_workers("33", month("2025-08"), 1), aug24 * year, 1);
    EXPECT_NEAR(e.employed_workers("33", month("2025-08"), 0.5), aug24 * std::sqrt(year), 1);
    EXPECT_DOUBLE_EQ(e.employed_workers("33", month("2025-08"), 0), aug24);
    EXPECT_NEAR(e.employed_workers("33", month("2021-08"), 1), aug23 / (year * year), 1);
    EXPECT_DOUBLE_EQ(e.employed_workers("33", month("2021-08"), 0), aug23);
    EXPECT_DOUBLE_EQ(e.relative_to_region_data("33", region_data_month, 1), 1);
}

TEST(Workforce, OffByDefaultTheRegionDataHoldWhateverTheStart) {
    const Scenario a = test::load_scenario_text(R"(
[run]
start = "2021-08"
[regions]
include = ["33"]
)");
    EXPECT_EQ(a.population.workforce_from, WorkforceSource::region_data);
    EXPECT_EQ(a.total_employed_workers(), 20'860'000);
    EXPECT_TRUE(a.workforce_targets().empty());
    EXPECT_EQ(a.entrant_room_rate(), a.behaviour.entry_rate);
}

TEST(Workforce, TheStartFollowsTheSeriesAndTheRegionsKeepTheirShares) {
    const Scenario s = nation_following_series("2021-08", 1);
    // Aug 2021 lies two years before the series: the Aug 2023 figure less two years of its
    // growth to Aug 2024, province by province (about 130.7m for the nation).
    double expected = 0;
    for (const Province& p : shipped_regions().provinces())
        expected += shipped_series().employed_workers(p.code, month("2021-08"), 1);
    EXPECT_NEAR(static_cast<double>(s.total_employed_workers()), expected, 514);
    EXPECT_NEAR(expected, 139.85e6 * std::pow(139.85 / 144.64, 2), 0.002 * expected);
    // Kota Magelang keeps its share of Jawa Tengah.
    const std::size_t kota_magelang = *s.region_table.find_region("33.71");
    EXPECT_NEAR(static_cast<double>(s.employed_workers(kota_magelang)),
                69'634 * 19'990'000.0 / 20'860'000.0 / std::pow(20'860'000.0 / 19'990'000.0, 2), 1);
    // At the region data's month nothing moves.
    const Scenario basis = nation_following_series("2024-08", 1);
    EXPECT_EQ(basis.total_employed_workers(), 144'640'000);
}

TEST(Workforce, EachProvinceFollowsTheSeriesFrom2021To2024) {
    // 2021-08 … 2024-08: 37 months. The labour force recorded each month (after the month's
    // leavers and entrants) is within one agent per kab/kota of the series, because entrants
    // fill the gap and the series only grows; checked at the months the series gives.
    const Scenario s = nation_following_series("2021-08", 37);
    const ReplicateSeries r = simulate_replicate(s, 0);
    const double scale = s.population.scale_workers_per_agent;
    std::map<std::string, std::vector<std::size_t>> regions_of;
    for (std::size_t k = 0; k < s.regions.size(); ++k)
        regions_of[s.region_table.regions()[s.regions[k]].province_code].push_back(k);
    ASSERT_EQ(regions_of.size(), 38u);
    for (const char* m : {"2021-08", "2022-08", "2023-08", "2024-02", "2024-08"}) {
        const auto t = static_cast<std::size_t>(month(m) - s.run.start);
        double nation = 0, nation_series = 0;
        for (const auto& [code, ks] : regions_of) {
            double lf = 0;
            for (const std::size_t k : ks)
                for (std::size_t g = 0; g < segment_count; ++g)
                    lf += r.at(SeriesMetric::labour_force, t, k, static_cast<Segment>(g));
            const double series = shipped_series().employed_workers(code, month(m), 1);
            // One agent per kab/kota for the rounding of the month's entrants, and one more
            // for the rounding of the synthesised start.
            EXPECT_NEAR(lf, series, 2 * scale * static_cast<double>(ks.size()))
                << "province " << code << " in " << m;
            nation += lf;
            nation_series += series;
        }
        EXPECT_NEAR(nation, nation_series, 1e-4 * nation_series) << m;
    }
    // Entrants did the work: about 3.4% a year on top of the leavers.
    double entrants = 0;
    for (std::size_t t = 0; t < r.months; ++t)
        entrants += r.total(SeriesMetric::entrants, t);
    EXPECT_GT(entrants, 144.64e6 - 130.7e6);
}

TEST(Workforce, GrowthFactorZeroHoldsTheLabourForceFlatAfterTheSeries) {
    // From Aug 2024 on, beyond the data: ×0 keeps each province at its Aug 2024 figure, ×1
    // grows it by about 3.4% a year.
    const Scenario flat = nation_following_series("2024-08", 13, "workforce_growth_factor = 0\n");
    const Scenario trend = nation_following_series("2024-08", 13);
    const ReplicateSeries a = simulate_replicate(flat, 0);
    const ReplicateSeries b = simulate_replicate(trend, 0);
    const double last_flat = a.total(SeriesMetric::labour_force, 12);
    const double last_trend = b.total(SeriesMetric::labour_force, 12);
    EXPECT_NEAR(last_flat, 144.64e6, 514 * 2 * 200.0);
    EXPECT_NEAR(last_trend / last_flat, 144.64 / 139.85, 0.001);
}

TEST(Workforce, TheSameForAnyThreadCount) {
    const Scenario s = nation_following_series("2023-02", 8);
    const ReplicateSeries one = [&] {
        tbb::task_arena arena(1);
        return arena.execute([&] { return simulate_replicate(s, 1); });
    }();
    const ReplicateSeries two = [&] {
        tbb::task_arena arena(2);
        return arena.execute([&] { return simulate_replicate(s, 1); });
    }();
    EXPECT_EQ(one.series, two.series);
}

TEST(Workforce, ABrokenSeriesIsReportedWithFileLineAndKey) {
    test::ScratchDir dir;
    const std::filesystem::path data = test::scenarios_dir() / "data";
    dir.write("provinces.csv", test::read_file(data / "provinces.csv"));
    dir.write("regions.csv", test::read_file(data / "regions.csv"));
    // Province 11 out of order on line 3; province 12 with a negative count on line 4; the
    // other 36 provinces are missing.
    dir.write("employment_by_province.csv", "province_code,month,employed_workers\n"
                                            "11,2024-08,100\n"
                                            "11,2023-08,90\n"
                                            "12,2024-08,-5\n");
    const auto scenario = dir.write("s.toml", R"(
[run]
start = "2021-08"
[regions]
include = ["33.71"]
data_dir = "."
[population]
workforce_from = "bps_employment_by_province"
)");
    const test::ProcessResult r = test::run_program({"validate", scenario.string()});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("employment_by_province.csv:3:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("month: '2023-08' of province 11 is out of order"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("employment_by_province.csv:4:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("-5 is not positive"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("province 33 (Jawa Tengah) has 0 months"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("s.toml:8:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("population.workforce_from: cannot read the employment series"),
              std::string::npos)
        << r.err;
    // Without the key the same folder is fine: the series is read only when asked for.
    const auto plain = dir.write("plain.toml", R"(
[run]
start = "2021-08"
[regions]
include = ["33.71"]
data_dir = "."
)");
    EXPECT_EQ(test::run_program({"validate", plain.string()}).status, 0);
}

TEST(Workforce, AnUnknownSourceIsRejected) {
    try {
        test::load_scenario_text(R"(
[run]
start = "2021-08"
[regions]
include = ["33.71"]
[population]
workforce_from = "bps"
)");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].key, "population.workforce_from");
        EXPECT_EQ(e.diagnostics()[0].where.line, 7);
    }
}

TEST(Workforce, ABranchFromAStateContinuesTheBaselineBitForBit) {
    // The entrants' targets are calendar months, so a branch from the state after 12 months
    // asks for the same labour force as the baseline's last 12 months, and its slots hold it.
    const std::vector<std::string> on = {"population.workforce_from=\"bps_employment_by_province\"",
                                         "observation=[]"};
    const auto with = [&](std::vector<std::string> more) {
        more.insert(more.end(), on.begin(), on.end());
        return load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml", more);
    };
    const Scenario base = with({"run.months=24"});
    ReplicateSimulation sim(base, 1);
    std::optional<ReplicateState> state;
    while (sim.months_done() < base.run.months) {
        if (sim.months_done() == 12) state = sim.capture_state();
        sim.step();
    }
    const ReplicateSeries a = sim.take_series();
    const Scenario branch = with({"run.start=2025-01", "run.months=12"});
    ReplicateSimulation continued(branch, std::move(*state));
    while (continued.months_done() < branch.run.months)
        continued.step();
    const ReplicateSeries b = continued.take_series();
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < b.months; ++t)
            ASSERT_EQ(a.total(static_cast<SeriesMetric>(m), t + 12),
                      b.total(static_cast<SeriesMetric>(m), t))
                << series_metric_names[m] << " month " << t;
    EXPECT_GT(b.total(SeriesMetric::entrants, 0), 0);
}
