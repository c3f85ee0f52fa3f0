// The nation from Nov 2021 (scenarios/indonesia-2021.toml) and its calibration
// (scenarios/indonesia-2021-calibrated.toml, written by results/national-2021/make.sh): the
// history it is fitted on comes from the observation table, and the calibrated baseline passes
// through that history within its intervals.

#include "support/test_support.hpp"
#include "ulcsim/calibration.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

using namespace ulcsim;

namespace {

/// The fields of one CSV line (RFC 4180 quoting, as observations.csv is written).
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

/// observations.csv's national coverage shares of active participants, by "month segment".
std::map<std::string, double> national_active_shares() {
    std::ifstream in(test::scenarios_dir() / "data" / "observations.csv");
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = csv_fields(line);
    const auto column = [&](const char* name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                        header.begin());
    };
    const std::size_t id = column("id"), month = column("month"), region = column("region"),
                      measure = column("measure"), segment = column("segment"),
                      value = column("value");
    std::map<std::string, double> shares;
    while (std::getline(in, line)) {
        const std::vector<std::string> f = csv_fields(line);
        if (f.size() != header.size()) continue;
        if (f[region] == "ID" && f[measure] == "coverage_share" && f[id].ends_with("-active"))
            shares[f[month] + " " + f[segment]] = std::stod(f[value]);
    }
    return shares;
}

std::string key_of(const Observation& o) {
    return o.month.to_string() + " " +
           std::string(segment_group_names[static_cast<std::size_t>(o.segment)]);
}

} // namespace

TEST(NationalHistory, TheNationFrom2021FitsEveryNationalActiveShareOfTheTable) {
    const std::map<std::string, double> table = national_active_shares();
    ASSERT_EQ(table.size(), 7u) << "Nov 2021 ×2, Feb 2022, Feb 2023 ×2, Dec 2023 ×2";
    const Scenario s = load_scenario(test::scenarios_dir() / "indonesia-2021.toml");
    EXPECT_EQ(s.run.start, Month(2021, 11));
    ASSERT_EQ(s.observations.size(), table.size());
    for (const Observation& o : s.observations) {
        ASSERT_TRUE(table.contains(key_of(o))) << key_of(o);
        EXPECT_EQ(o.value, table.at(key_of(o))) << key_of(o);
        EXPECT_GT(o.error_band, 0) << key_of(o) << ": a derived share has a band";
    }
}

// The calibrated scenario run as `forecast` runs it (one posterior draw per replicate), at 4,000
// workers per agent (33,000 agents) to keep the test short: each observation lies within the
// 5–95% range of the replicates, widened by its error band. At that scale the replicates'
// Monte Carlo spread is about ±0.3 points; the posterior's is 3–7 points by Dec 2023.
TEST(NationalHistory, TheCalibratedBaselinePassesThroughTheHistoryWithinItsIntervals) {
    const Scenario s =
        load_scenario(test::scenarios_dir() / "indonesia-2021-calibrated.toml",
                      {"population.scale=4000", "run.months=26", "run.replicates=20"});
    ASSERT_FALSE(s.run.posterior.empty()) << "the calibrated scenario names its posterior";
    const PosteriorPlan plan = posterior_plan(s, read_posterior(s.run.posterior));
    const std::size_t R = 20;
    std::vector<std::vector<double>> simulated(s.observations.size(), std::vector<double>(R));
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t entry, std::uint32_t r, ReplicateSeries&& series) {
        for (std::size_t i = 0; i < s.observations.size(); ++i)
            simulated[i][r] =
                simulated_observation(series, plan.plan.scenario(entry), s.observations[i]);
    };
    ExecutionContext context;
    context.threads = 2;
    run_ensemble(plan.plan, context, options);

    for (std::size_t i = 0; i < s.observations.size(); ++i) {
        std::vector<double> v = simulated[i];
        std::sort(v.begin(), v.end());
        const double low = v[1], high = v[R - 2]; // second smallest and largest of 20
        const Observation& o = s.observations[i];
        EXPECT_GE(o.value, low - o.error_band) << key_of(o);
        EXPECT_LE(o.value, high + o.error_band) << key_of(o);
    }
}
