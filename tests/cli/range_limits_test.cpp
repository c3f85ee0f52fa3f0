// Money and counts at the limits of their ranges: budgets, quotas, premiums, benefits, policy
// costs, the scale and the employed workers set to the top of what validation accepts (and a
// premium just above zero under the largest budget) must run — a short run that neither hangs
// nor writes a non-finite or negative count or amount — and what is beyond must be refused
// with exit status 2. The programme ledger's money arithmetic once overflowed into a loop
// without end here.

#include "support/test_support.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/store.hpp"

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace ulcsim;

namespace {

constexpr std::size_t npos = std::string::npos;

/// Kota Magelang with a billion employed workers, a funding programme with a budget, quotas
/// and a window as long as the run (so that the largest premium still funds a few agents
/// from the largest budget), and a costly campaign: every kind of money the run adds up.
constexpr const char* base_scenario = R"(
[run]
start = "2025-01"
months = 2
replicates = 2
seed = 11

[regions]
include = ["33.71"]

[population]
scale = 100_000

[[population.region]]
region = "33.71"
employed_workers = 1_000_000_000

[[programme]]
name = "top"
kind = "apbd_kabkota"
[programme.budget_idr_per_year]
2025 = 1e16
[[programme.window]]
start = "2025-01"
end = "2025-02"

[[policy]]
name = "campaign"
kind = "campaign"
start = "2025-01"
)";

std::string number_text(double v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

/// --set arguments that put every money key of the benefits, the programme and the policy,
/// and every quota, at the top of its range, from the key table.
std::vector<std::string> money_at_the_top() {
    std::vector<std::string> sets;
    for (const ScenarioKey& k : scenario_keys()) {
        if (k.type != KeyType::number && k.type != KeyType::integer) continue;
        const std::string path(k.path);
        const bool money = k.unit.find("IDR") != std::string_view::npos;
        const bool quota = k.unit.starts_with("workers") && path.starts_with("programme.");
        const bool here = path.starts_with("benefits.") ||
                          (path.starts_with("programme.*.") && path.find(".window.") == npos) ||
                          path.starts_with("policy.*.cost");
        // A sponsor's quota needs its list of sponsors: another kind of programme.
        if (!(money || quota) || !here || path.ends_with(".*") ||
            path.ends_with(".workers_per_sponsor"))
            continue;
        std::string concrete = path;
        for (std::size_t at = concrete.find('*'); at != std::string::npos; at = concrete.find('*'))
            concrete.replace(at, 1, "0");
        const std::string value = k.type == KeyType::integer
                                      ? std::to_string(static_cast<long long>(k.upper))
                                      : number_text(k.upper);
        sets.insert(sets.end(), {"--set", concrete + "=" + value});
    }
    return sets;
}
/// Runs the program, failing (and killing it) if it has not ended within `seconds`.
test::ProcessResult run_within(const std::vector<std::string>& args, double seconds) {
    test::BackgroundProgram program(args);
    program.wait_for([] { return false; }, seconds);
    if (program.running()) {
        ADD_FAILURE() << "still running after " << seconds << " s: it hangs";
        program.signal(SIGKILL);
    }
    return program.wait();
}

/// Every count and amount the run file holds is finite and not negative (the summaries'
/// ratios are NaN where nobody works, and may be).
void expect_finite_and_not_negative(const fs::path& file) {
    const RunFileReader r(file);
    std::size_t checked = 0;
    const auto check = [&](const std::string& group, bool ratios_may_be_nan) {
        for (const std::string& name : r.members(group)) {
            if (name == "names" || name == "statistic" || name == "province" || name == "nation" ||
                name == "programs" || name == "code" || name == "name")
                continue;
            const std::string path = group + "/" + name;
            const StoredArray a = r.array(path);
            const bool ratio = name.find("rate") != npos || name.find("share") != npos;
            for (std::size_t i = 0; i < a.values.size(); ++i) {
                const double v = a.values[i];
                if (ratios_may_be_nan && ratio && std::isnan(v)) continue;
                ASSERT_TRUE(std::isfinite(v) && v >= 0) << path << "[" << i << "] = " << v;
            }
            checked += a.values.size();
        }
    };
    check("/series", false);
    check("/programs", false);
    check("/summary/nation", true);
    check("/summary/programs", true);
    EXPECT_GT(checked, 100u);
}

double nation_mean(const fs::path& file, const std::string& metric) {
    const RunFileReader r(file);
    const StoredArray a = r.array("/summary/nation/" + metric);
    // [statistic, month, segment]: the mean of the last month, all segments.
    const std::size_t months = a.dims.at(1), segments = a.dims.at(2);
    return a.values.at((months - 1) * segments + segments - 1);
}

double total(const fs::path& file, const std::string& dataset) {
    double sum = 0;
    for (const double v : RunFileReader(file).array(dataset).values)
        sum += v;
    return sum;
}

} // namespace

TEST(RangeLimits, MoneyAndQuotasAtTheTopOfTheirRangesRunToFiniteAmounts) {
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("top.toml", base_scenario);
    const fs::path out = dir.path() / "top.h5";
    std::vector<std::string> args{"run", scenario.string(), "-q", "-o", out.string()};
    const auto sets = money_at_the_top();
    ASSERT_GE(sets.size(), 2u * 12) << "benefits, premiums, quotas, budget and policy costs";
    args.insert(args.end(), sets.begin(), sets.end());
    const auto r = run_within(args, 60);
    ASSERT_EQ(r.status, 0) << r.err;
    expect_finite_and_not_negative(out);
    EXPECT_GT(nation_mean(out, "labour_force"), 9e8);
    // The money was really added up: the programme paid premiums, the policy cost money.
    EXPECT_GT(total(out, "/programs/spent_idr"), 1e12);
    EXPECT_GT(total(out, "/series/policy_cost_idr"), 1e16);
}

TEST(RangeLimits, APremiumNearZeroUnderTheLargestBudgetNeitherHangsNorOverflows) {
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("tiny.toml", base_scenario);
    for (const char* premium : {"1e-300", "5e-324", "0.001"}) {
        SCOPED_TRACE(premium);
        const fs::path out = dir.path() / "tiny.h5";
        fs::remove(out);
        const auto r = run_within({"run", scenario.string(), "-q", "-o", out.string(), "--set",
                                   std::string("programme.0.premium_idr_per_month=") + premium},
                                  60);
        ASSERT_EQ(r.status, 0) << r.err;
        expect_finite_and_not_negative(out);
    }
}

TEST(RangeLimits, TheLargestScaleAndTheSmallestRunRunOrAreRefused) {
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("scale.toml", base_scenario);
    const fs::path out = dir.path() / "scale.h5";
    // A billion workers per agent: one agent for the whole region.
    auto r = run_within({"run", scenario.string(), "-q", "-o", out.string(), "--set",
                         "population.scale=1000000000"},
                        60);
    ASSERT_EQ(r.status, 0) << r.err;
    expect_finite_and_not_negative(out);
    fs::remove(out);

    // One worker per agent for a billion workers: refused up front by the memory check (13
    // GB of agents), never started.
    r = run_within({"run", scenario.string(), "-q", "-o", out.string(), "--set",
                    "population.scale=1", "--memory-limit", "4G"},
                   60);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("not enough memory"), npos) << r.err;
    EXPECT_FALSE(fs::exists(out));

    // Beyond the tops: refused by validation, each naming its key.
    r = run_within({"run", scenario.string(), "-q", "-o", out.string(), "--set",
                    "population.scale=1e10", "--set",
                    "population.region.0.employed_workers=1000000001", "--set",
                    "programme.0.budget_idr_per_year.2025=1.0000001e16"},
                   60);
    EXPECT_EQ(r.status, 2) << r.err;
    for (const char* key : {"population.scale", "population.region[0].employed_workers",
                            "programme[0].budget_idr_per_year.2025"})
        EXPECT_NE(r.err.find(std::string(key) + ": "), npos) << key << "\n" << r.err;
    EXPECT_FALSE(fs::exists(out));
}
