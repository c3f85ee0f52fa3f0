// Goal seeking (`ulcsim target`): the budget it returns, run forward with `ulcsim forecast`,
// meets the target with the stated probability, and one step less does not — the done-when
// test of issue 5. Also the months variant and bad input.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <regex>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

std::string scenario(const std::string& name) {
    return (test::scenarios_dir() / name).string();
}

/// "Rp163,497,600" in `text` after `label` → 163497600.
long long rupiah_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    if (at == std::string::npos) return -1;
    std::smatch m;
    const std::string rest = text.substr(at + label.size());
    if (!std::regex_search(rest, m, std::regex("Rp([0-9,]+)"))) return -1;
    std::string digits = m[1];
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    return std::stoll(digits);
}

/// P(coverage ≥ 33% by 2025-12) of Kota Magelang 2025 when its programme has `budget` a year.
double probability_with_budget(const fs::path& dir, long long budget) {
    const fs::path out = dir / ("b" + std::to_string(budget) + ".h5");
    const auto r = test::run_program(
        {"forecast", scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
         "--replicates", "20", "--set",
         "programme.kota-magelang-apbd.budget_idr_per_year.2024=" + std::to_string(budget), "--set",
         "programme.kota-magelang-apbd.budget_idr_per_year.2025=" + std::to_string(budget),
         "--threshold", "33%", "--by", "2025-12", "-q", "-o", out.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    const RunFileReader f(out);
    return f.array("/forecast/probability_by").values.at(0); // Kota Magelang, by 2025-12
}

} // namespace

TEST(TargetCommand, TheBudgetFoundMeetsTheGoalAndOneStepLessDoesNot) {
    const auto r = test::run_program({"target", scenario("kota-magelang-2025.toml"), "--set",
                                      "population.scale=4", "--replicates", "20", "--reach", "33%",
                                      "--by", "2025-12", "--probability", "80%", "--programme",
                                      "kota-magelang-apbd", "--vary", "budget", "-q"});
    ASSERT_EQ(r.status, 0) << r.err;
    const long long answer = rupiah_after(r.out, "Answer: ");
    const long long below = rupiah_after(r.out, "One step less, ");
    ASSERT_GT(answer, 0) << r.out;
    ASSERT_GT(below, 0) << r.out;
    // The default step is one worker-year of the Rp16,800 premium.
    EXPECT_EQ(answer - below, 12 * 16'800) << r.out;
    EXPECT_NE(r.out.find("Reproduce with: ulcsim forecast"), std::string::npos) << r.out;

    // Run forward, independently of the search, with the forecast command.
    const test::ScratchDir dir;
    EXPECT_GE(probability_with_budget(dir.path(), answer), 0.80);
    EXPECT_LT(probability_with_budget(dir.path(), below), 0.80);
}

TEST(TargetCommand, FundedMonthsVariantAndUnreachableGoals) {
    const auto months = test::run_program(
        {"target", scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
         "--replicates", "10", "--reach", "29.5%", "--by", "2025-12", "--probability", "0.5",
         "--programme", "kota-magelang-apbd", "--vary", "months", "-q"});
    ASSERT_EQ(months.status, 0) << months.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(months.out, m, std::regex("Answer: ([0-9]+) months?")))
        << months.out;
    const int answer = std::stoi(m[1]);
    EXPECT_GE(answer, 1);
    EXPECT_LE(answer, 12);

    const auto never = test::run_program(
        {"target", scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
         "--replicates", "4", "--reach", "90%", "--by", "2025-12", "--probability", "0.5",
         "--programme", "kota-magelang-apbd", "--vary", "budget", "-q"});
    ASSERT_EQ(never.status, 0) << never.err;
    EXPECT_NE(never.out.find("Not reachable: even Rp"), std::string::npos) << never.out;
}

TEST(TargetCommand, BadInputIsRefusedWithExitStatus2) {
    const std::string km = scenario("kota-magelang-2025.toml");
    const std::vector<std::string> goal{"--reach", "30%",           "--by",
                                        "2025-12", "--probability", "80%"};
    const auto with_goal = [&](std::vector<std::string> args) {
        args.insert(args.begin() + 2, goal.begin(), goal.end());
        return args;
    };
    const struct {
        std::vector<std::string> args;
        std::string message;
    } cases[] = {
        {{"target", km, "--programme", "kota-magelang-apbd", "--vary", "budget"},
         "target: --reach is required"},
        {with_goal({"target", km, "--programme", "nope", "--vary", "budget"}),
         "--programme nope: the scenario has no such programme (kota-magelang-apbd)"},
        {with_goal({"target", km, "--programme", "kota-magelang-apbd", "--vary", "quota"}),
         "--vary must be 'budget' or 'months', not 'quota'"},
        {with_goal({"target", km, "--programme", "kota-magelang-apbd", "--vary", "budget", "--area",
                    "99"}),
         "--area 99: not an area of the scenario (33.71, all)"},
        {{"target", km, "--reach", "30%", "--by", "2031-01", "--probability", "0.8", "--programme",
          "kota-magelang-apbd", "--vary", "budget"},
         "--by 2031-01: outside the run"},
        {{"target", km, "--reach", "30%", "--by", "2025-12", "--probability", "150%", "--programme",
          "kota-magelang-apbd", "--vary", "budget"},
         "--probability must be above 0 and at most 1 (100%)"},
    };
    for (const auto& c : cases) {
        const auto r = test::run_program(c.args);
        EXPECT_EQ(r.status, 2) << c.message << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    }
}
