// Statistics over replicates: the quantile rule, and summaries by region, province and
// nation equal a direct computation from the replicates.

#include "support/test_support.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numeric>

using namespace ulcsim;

TEST(Summary, QuantilesInterpolateBetweenOrderStatisticsAsNumPyDoes) {
    // numpy.quantile([1, 2, 3, 4], [0, .1, .5, .95, 1]) = [1, 1.3, 2.5, 3.85, 4]
    const std::vector<double> sorted{1, 2, 3, 4};
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0), 1);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.1), 1.3);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.95), 3.85);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 1), 4);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(std::vector<double>{7}, 0.3), 7);
    EXPECT_TRUE(std::isnan(quantile_of_sorted(std::vector<double>{}, 0.5)));
}

TEST(Summary, StatisticsOfACell) {
    std::vector<double> v{10, 0, 5, 20, 15}; // any order
    const auto s = summarise(v);
    EXPECT_DOUBLE_EQ(s[0], 10);                   // mean
    EXPECT_DOUBLE_EQ(s[1], std::sqrt(250.0 / 4)); // sample sd
    EXPECT_DOUBLE_EQ(s[2], 1);                    // p05: 0 + 0.2 × 5
    EXPECT_DOUBLE_EQ(s[5], 10);                   // p50
    EXPECT_DOUBLE_EQ(s[8], 19);                   // p95: 15 + 0.8 × 5
    std::vector<double> one{3};
    EXPECT_EQ(summarise(one)[1], 0) << "one replicate has no spread";
    std::vector<double> with_nan{1, std::nan(""), 2};
    for (const double x : summarise(with_nan))
        EXPECT_TRUE(std::isnan(x));
}

TEST(Summary, MetricSummaryEqualsADirectComputationAtEveryLevel) {
    // Three regions in two provinces, 7 replicates, 4 months, random-looking counts.
    SummaryShape shape;
    shape.replicates = 7;
    shape.months = 4;
    shape.regions = 3;
    shape.areas.province_codes = {"33", "13"};
    shape.areas.province_names = {"Jawa Tengah", "Sumatera Barat"};
    shape.areas.province_of_region = {0, 1, 0};
    const std::size_t R = 7, T = 4, K = 3, G = segment_count;
    const auto value = [](SeriesMetric m, std::size_t r, std::size_t t, std::size_t k,
                          std::size_t g) {
        const auto x = static_cast<double>((r * 7919 + t * 104729 + k * 1299709 + g * 15485863 +
                                            static_cast<std::size_t>(m) * 32452843) %
                                           1000);
        return m == SeriesMetric::labour_force ? 1000 + x : x;
    };
    std::size_t reads = 0;
    const SeriesBlockReader read = [&](SeriesMetric m, std::size_t first, std::size_t months) {
        ++reads;
        std::vector<double> out;
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t t = first; t < first + months; ++t)
                for (std::size_t k = 0; k < K; ++k)
                    for (std::size_t g = 0; g < G; ++g)
                        out.push_back(value(m, r, t, k, g));
        return out;
    };
    // A block budget of one month's values forces one read per month.
    const MetricSummary covered = summarise_metric(static_cast<std::size_t>(SeriesMetric::covered),
                                                   shape, read, R * K * G * sizeof(double));
    EXPECT_EQ(reads, T);
    const MetricSummary rate = summarise_metric(coverage_rate_metric, shape, read);

    const auto direct = [&](auto per_replicate) {
        std::vector<double> v(R);
        for (std::size_t r = 0; r < R; ++r)
            v[r] = per_replicate(r);
        return summarise(v);
    };
    const auto sum = [&](SeriesMetric m, std::size_t r, std::size_t t, std::vector<std::size_t> ks,
                         std::vector<std::size_t> gs) {
        double s = 0;
        for (const std::size_t k : ks)
            for (const std::size_t g : gs)
                s += value(m, r, t, k, g);
        return s;
    };
    const std::vector<std::size_t> all_segments{0, 1, 2};
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t g = 0; g < summary_segment_count; ++g) {
            const std::vector<std::size_t> gs = g < G ? std::vector<std::size_t>{g} : all_segments;
            for (std::size_t k = 0; k < K; ++k) {
                const auto expect = direct(
                    [&](std::size_t r) { return sum(SeriesMetric::covered, r, t, {k}, gs); });
                for (std::size_t st = 0; st < summary_statistic_count; ++st)
                    EXPECT_DOUBLE_EQ(
                        covered.region[summary_index(static_cast<Statistic>(st), t, k, g, T, K)],
                        expect[st]);
            }
            const auto province_rate = direct([&](std::size_t r) {
                return sum(SeriesMetric::covered, r, t, {0, 2}, gs) /
                       sum(SeriesMetric::labour_force, r, t, {0, 2}, gs);
            });
            const auto nation = direct([&](std::size_t r) {
                return sum(SeriesMetric::covered, r, t, {0, 1, 2}, gs);
            });
            for (std::size_t st = 0; st < summary_statistic_count; ++st) {
                const auto s = static_cast<Statistic>(st);
                EXPECT_DOUBLE_EQ(rate.province[summary_index(s, t, 0, g, T, 2)], province_rate[st]);
                EXPECT_DOUBLE_EQ(covered.nation[summary_index(s, t, 0, g, T, 1)], nation[st]);
            }
        }
}

TEST(Summary, ProvincesAreListedOnceInTheOrderTheyFirstAppear) {
    const Scenario s =
        load_scenario(test::scenarios_dir() / "jawa-tengah.toml",
                      {"population.scale=800", "regions.include=[\"33\", \"34.71\"]"});
    const SummaryAreas areas = summary_areas(s);
    ASSERT_EQ(areas.province_codes, (std::vector<std::string>{"33", "34"}));
    EXPECT_EQ(areas.province_of_region.size(), s.regions.size());
    EXPECT_EQ(areas.province_of_region.back(), 1u);
    EXPECT_EQ(areas.province_names[0], "Jawa Tengah");
}

TEST(Summary, TheScenarioAreaIsNamedAsAPlannerWouldNameIt) {
    const auto with_regions = [](const char* scenario, const std::string& include) {
        return load_scenario(test::scenarios_dir() / scenario,
                             {"population.scale=800", "regions.include=" + include});
    };
    EXPECT_EQ(scenario_area_name(with_regions("jawa-tengah.toml", "[\"33\"]")), "Jawa Tengah");
    EXPECT_EQ(scenario_area_name(with_regions("kota-magelang-2024.toml", "[\"33.71\"]")),
              "Kota Magelang");
    EXPECT_EQ(scenario_area_name(with_regions("kota-magelang-2024.toml", "[\"33.71\", \"33.08\"]")),
              "2 kab/kota in Jawa Tengah");
    const Scenario two = with_regions("jawa-tengah.toml", "[\"33\", \"34.71\"]");
    EXPECT_EQ(scenario_area_name(two), "36 kab/kota in 2 provinces");
    const SummaryAreas areas = summary_areas(two);
    EXPECT_EQ(province_area_name(two, areas, 0), "Jawa Tengah");
    EXPECT_EQ(province_area_name(two, areas, 1), "Daerah Istimewa Yogyakarta (1 of 5 kab/kota)");
    EXPECT_EQ(scenario_area_name(load_scenario(test::scenarios_dir() / "indonesia.toml",
                                               {"population.scale=20000"})),
              "Indonesia");
}
