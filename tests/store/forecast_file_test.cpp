// /forecast: what write_forecast() puts in comes back through read_forecast(), and its CSV.

#include "support/test_support.hpp"
#include "ulcsim/forecast_file.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

namespace ulcsim {
namespace {

using test::ScratchDir;

/// Two areas over four replicates of a 12-month run from 2025-01: the first reaches the
/// threshold in months 2, 3, 3 and never; the second at the start in every replicate.
Forecast two_areas() {
    Forecast f;
    f.settings.threshold = 0.3;
    f.settings.measure = CoverageMeasure::coverage_share;
    f.settings.by = {Month::parse("2025-04").value(), Month::parse("2025-12").value()};
    f.start = Month::parse("2025-01").value();
    f.months = 12;
    f.areas = {{"33.71", "Kota Magelang", "kabkota", {0}}, {"all", "all regions", "scenario", {0}}};
    f.first_month = {{2, 3, 3, -1}, {0, 0, 0, 0}};
    f.start_coverage_mean = {0.21, 0.35};
    f.finish();
    return f;
}

TEST(ForecastFile, WhatTheWriterPutsInComesBackThroughTheReader) {
    const ScratchDir dir;
    const Forecast f = two_areas();
    const auto path = dir.path() / "f.h5";
    {
        ResultFileWriter w(path, nullptr);
        write_forecast(w, f);
        w.commit();
    }
    const ForecastFile r = read_forecast(RunFileReader(path));
    EXPECT_EQ(r.code, (std::vector<std::string>{"33.71", "all"}));
    EXPECT_EQ(r.name, (std::vector<std::string>{"Kota Magelang", "all regions"}));
    EXPECT_EQ(r.level, (std::vector<std::string>{"kabkota", "scenario"}));
    EXPECT_EQ(r.measure, "coverage_share");
    EXPECT_EQ(r.threshold, 0.3);
    EXPECT_EQ(r.quantile_level, std::vector<double>(forecast_quantile_levels.begin(),
                                                    forecast_quantile_levels.end()));
    ASSERT_EQ(r.first_month.dims, (std::vector<std::size_t>{2, 4}));
    EXPECT_EQ(r.first_month.values[1], 3);
    EXPECT_TRUE(std::isnan(r.first_month.values[3])); // never: NaN, not −1
    EXPECT_EQ(r.first_month.values[4], 0);
    ASSERT_EQ(r.quantile.dims, (std::vector<std::size_t>{2, forecast_quantile_levels.size()}));
    for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t q = 0; q < forecast_quantile_levels.size(); ++q) {
            const int m = f.distributions[a].quantiles[q];
            const double stored = r.quantile.values[a * forecast_quantile_levels.size() + q];
            if (m < 0)
                EXPECT_TRUE(std::isnan(stored));
            else
                EXPECT_EQ(stored, m);
        }
    EXPECT_EQ(r.never, (std::vector<double>{1, 0}));
    EXPECT_EQ(r.by, (std::vector<std::string>{"2025-04", "2025-12"}));
    ASSERT_EQ(r.probability_by.dims, (std::vector<std::size_t>{2, 2}));
    // By April (month 3) three of four replicates of the first area are there.
    EXPECT_EQ(r.probability_by.values[0], 0.75);
    EXPECT_EQ(r.probability_by.values[2], 1.0);
    EXPECT_EQ(r.start_coverage, (std::vector<double>{0.21, 0.35}));
    EXPECT_FALSE(r.posterior.has_value());
}

TEST(ForecastFile, TheCsvHasARowPerAreaInReadingOrder) {
    std::ostringstream csv;
    write_forecast_csv(csv, two_areas());
    std::istringstream in(csv.str());
    std::string header, first, second, more;
    std::getline(in, header);
    std::getline(in, first);
    std::getline(in, second);
    EXPECT_FALSE(std::getline(in, more));
    EXPECT_EQ(header, "level,code,name,threshold,measure,start_coverage,median,p10,p90,p02_5,"
                      "p97_5,replicates,never,probability_by_2025-04,probability_by_2025-12");
    EXPECT_EQ(first.rfind("kabkota,33.71,Kota Magelang,0.3,coverage_share,0.21,2025-04,", 0), 0u)
        << first;
    // The 97.5% quantile of the first area lies beyond the run.
    EXPECT_NE(first.find(",after 2025-12,4,1,0.75,0.75"), std::string::npos) << first;
    EXPECT_EQ(second.rfind("scenario,all,all regions,0.3,coverage_share,0.35,2025-01,", 0), 0u)
        << second;
}

} // namespace
} // namespace ulcsim
