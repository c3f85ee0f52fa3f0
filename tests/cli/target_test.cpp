// Goal seeking (`ulcsim target`): the budget it returns, run forward with `ulcsim forecast`,
// meets the target with the stated probability, and one step less does not — the done-when
// test of issue 5. Also the months variant, any numeric key searched up or down (issue 16),
// a goal that is not monotone in the key, and bad input.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

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
        {"forecast", test::shipped_scenario("kota-magelang-2025.toml"), "--set",
         "population.scale=4", "--replicates", "20", "--set",
         "programme.kota-magelang-apbd.budget_idr_per_year.2024=" + std::to_string(budget), "--set",
         "programme.kota-magelang-apbd.budget_idr_per_year.2025=" + std::to_string(budget),
         "--threshold", "33%", "--by", "2025-12", "-q", "-o", out.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    const RunFileReader f(out);
    return f.array("/forecast/probability_by").values.at(0); // Kota Magelang, by 2025-12
}

/// P(coverage ≥ `reach` by 2025-12) of Kota Magelang 2025 (scale 4, 20 replicates) with the
/// --set overrides `sets`.
double probability_with(const fs::path& dir, const std::vector<std::string>& sets,
                        const std::string& reach) {
    static int runs = 0;
    const fs::path out = dir / ("f" + std::to_string(++runs) + ".h5");
    std::vector<std::string> args{"forecast",     test::shipped_scenario("kota-magelang-2025.toml"),
                                  "--set",        "population.scale=4",
                                  "--replicates", "20"};
    for (const std::string& set : sets) {
        args.push_back("--set");
        args.push_back(set);
    }
    for (const char* a : {"--threshold", reach.c_str(), "--by", "2025-12", "-q", "-o"})
        args.push_back(a);
    args.push_back(out.string());
    const auto r = test::run_program(args);
    EXPECT_EQ(r.status, 0) << r.err;
    const RunFileReader f(out);
    return f.array("/forecast/probability_by").values.at(0);
}

/// The number after `label` in `text` ("Answer: behaviour.h0_self = 0.015: …" after
/// "Answer: behaviour.h0_self = "), or NaN.
double number_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    if (at == std::string::npos) return std::nan("");
    std::smatch m;
    const std::string rest = text.substr(at + label.size());
    if (!std::regex_search(rest, m, std::regex("^[-0-9.e]+"))) return std::nan("");
    return std::stod(m[0]);
}

/// `ulcsim target` on Kota Magelang 2025 at scale 4, 20 replicates, for P(coverage ≥ `reach`
/// by 2025-12) ≥ 80%, with `more` arguments.
test::ProcessResult target_on_key(const std::string& reach, std::vector<std::string> more) {
    std::vector<std::string> args{"target",
                                  test::shipped_scenario("kota-magelang-2025.toml"),
                                  "--set",
                                  "population.scale=4",
                                  "--replicates",
                                  "20",
                                  "--reach",
                                  reach,
                                  "--by",
                                  "2025-12",
                                  "--probability",
                                  "80%",
                                  "-q"};
    args.insert(args.end(), more.begin(), more.end());
    return test::run_program(args);
}

} // namespace

TEST(TargetCommand, AKeyRisingTowardsTheGoalGivesTheSmallestValueAndOneStepLessFails) {
    const std::string reach = "30%";
    const auto r = target_on_key(reach, {"--vary", "behaviour.h0_self", "--lowest", "0",
                                         "--highest", "0.04", "--step", "0.005"});
    ASSERT_EQ(r.status, 0) << r.err;
    const double answer = number_after(r.out, "Answer: behaviour.h0_self = ");
    const double below = number_after(r.out, "One step less, ");
    ASSERT_FALSE(std::isnan(answer)) << r.out;
    ASSERT_FALSE(std::isnan(below)) << r.out;
    EXPECT_NEAR(answer - below, 0.005, 1e-12) << r.out;
    EXPECT_NE(r.out.find("--set behaviour.h0_self="), std::string::npos) << r.out;

    const test::ScratchDir dir;
    const auto set = [](double v) {
        std::ostringstream text;
        text << "behaviour.h0_self=" << v;
        return text.str();
    };
    EXPECT_GE(probability_with(dir.path(), {set(answer)}, reach), 0.80);
    EXPECT_LT(probability_with(dir.path(), {set(below)}, reach), 0.80);
}

TEST(TargetCommand, ALapseHazardIsSoughtDownwardsAndTheWrongDirectionIsReported) {
    const std::string reach = "33%"; // the steady-state start keeps coverage above 30% at any lapse
    const std::vector<std::string> lapse{
        "--vary", "behaviour.h_lapse", "--lowest", "0.01", "--highest", "0.17", "--step", "0.02"};
    auto down_args = lapse;
    down_args.insert(down_args.end(), {"--direction", "down"});
    const auto down = target_on_key(reach, down_args);
    ASSERT_EQ(down.status, 0) << down.err;
    const double answer = number_after(down.out, "Answer: behaviour.h_lapse = ");
    const double above = number_after(down.out, "One step more, ");
    ASSERT_FALSE(std::isnan(answer)) << down.out;
    ASSERT_FALSE(std::isnan(above)) << down.out;
    EXPECT_NEAR(above - answer, 0.02, 1e-12) << down.out;
    EXPECT_NE(down.out.find("(the largest value that meets it)"), std::string::npos) << down.out;

    const test::ScratchDir dir;
    const auto set = [](double v) {
        std::ostringstream text;
        text << "behaviour.h_lapse=" << v;
        return text.str();
    };
    EXPECT_GE(probability_with(dir.path(), {set(answer)}, reach), 0.80);
    EXPECT_LT(probability_with(dir.path(), {set(above)}, reach), 0.80);

    // Searched up, the lowest hazard meets the goal and the highest does not: no answer.
    const auto up = target_on_key(reach, lapse);
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_NE(up.out.find("Not monotone: the goal is met at behaviour.h_lapse = 0.01"),
              std::string::npos)
        << up.out;
    EXPECT_NE(up.out.find("search with --direction down"), std::string::npos) << up.out;
    EXPECT_EQ(up.out.find("Answer:"), std::string::npos) << up.out;
}

TEST(TargetCommand, TheBudgetFoundMeetsTheGoalAndOneStepLessDoesNot) {
    const auto r = test::run_program(
        {"target", test::shipped_scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
         "--replicates", "20", "--reach", "33%", "--by", "2025-12", "--probability", "80%",
         "--programme", "kota-magelang-apbd", "--vary", "budget", "-q"});
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
        {"target", test::shipped_scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
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
        {"target", test::shipped_scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
         "--replicates", "4", "--reach", "90%", "--by", "2025-12", "--probability", "0.5",
         "--programme", "kota-magelang-apbd", "--vary", "budget", "-q"});
    ASSERT_EQ(never.status, 0) << never.err;
    EXPECT_NE(never.out.find("Not reachable: even Rp"), std::string::npos) << never.out;
}

TEST(TargetCommand, BadInputIsRefusedWithExitStatus2) {
    const std::string km = test::shipped_scenario("kota-magelang-2025.toml");
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
        // --vary KEY
        {with_goal({"target", km, "--vary", "behaviour.h0_sel", "--step", "0.001"}),
         "target: behaviour.h0_sel: unknown key (did you mean"},
        {with_goal({"target", km, "--vary", "ulc.measure"}),
         "target: ulc.measure (string) is not a number"},
        {with_goal({"target", km, "--vary", "population.age_bands.15-24"}),
         "target: population.age_bands.15-24 cannot be varied"},
        {with_goal({"target", km, "--vary", "programme.nope.acceptance"}), "nope"},
        {with_goal({"target", km, "--vary", "behaviour.h0_self", "--step", "0"}),
         "target: --step 0: must be above 0"},
        {with_goal({"target", km, "--vary", "behaviour.h0_self", "--step", "-0.001"}),
         "target: --step -0.001: must be above 0"},
        {with_goal(
             {"target", km, "--vary", "behaviour.h0_self", "--lowest", "0.5", "--highest", "0.1"}),
         "target: --lowest 0.5 is above --highest 0.1"},
        {with_goal(
             {"target", km, "--vary", "behaviour.h0_self", "--highest", "11", "--step", "0.1"}),
         "target: --highest 11: outside the range of behaviour.h0_self ([0, 10])"},
        {with_goal({"target", km, "--vary", "behaviour.h_lapse"}),
         "target: --step is required for behaviour.h_lapse"},
        {with_goal({"target", km, "--vary", "behaviour.h0_self", "--lowest", "low"}),
         "--lowest low: not a number"},
        {with_goal({"target", km, "--vary", "behaviour.h0_self", "--step", "0.001", "--direction",
                    "sideways"}),
         "--direction must be 'up' or 'down', not 'sideways'"},
        {with_goal({"target", km, "--vary", "budget"}), "target: --vary budget needs --programme"},
        {with_goal({"target", km, "--vary", "behaviour.h0_self", "--step", "0.001", "--max", "5"}),
         "target: --max is for a programme's budget or months"},
        {with_goal({"target", km, "--programme", "kota-magelang-apbd", "--vary", "budget",
                    "--lowest", "0"}),
         "target: --lowest is for --vary KEY"},
    };
    for (const auto& c : cases) {
        const auto r = test::run_program(c.args);
        EXPECT_EQ(r.status, 2) << c.message << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    }
}

TEST(TargetCommand, HelpDescribesTheKeySearch) {
    const auto r = test::run_program({"target", "--help"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* text : {"--vary KEY", "--lowest", "--highest", "--direction up|down",
                             "a hundredth of the range", "not monotone"})
        EXPECT_NE(r.out.find(text), std::string::npos) << text;
}

TEST(TargetCommand, AtMeansCoverageInThatMonthAndExactlyOneOfAtAndByIsGiven) {
    std::vector<std::string> base{
        "target",        test::shipped_scenario("kota-magelang-2025.toml"),
        "--set",         "population.scale=20",
        "--reach",       "30%",
        "--probability", "80%",
        "--vary",        "behaviour.h0_self",
        "--lowest",      "0",
        "--highest",     "0.04",
        "--step",        "0.01"};
    const auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> args = base;
        args.insert(args.end(), more.begin(), more.end());
        return test::run_program(args);
    };
    const auto at = with({"--at", "2025-12"});
    ASSERT_EQ(at.status, 0) << at.err;
    EXPECT_NE(at.out.find("≥ 30% in 2025-12) ≥ 80%"), std::string::npos) << at.out;
    EXPECT_NE(at.out.find("Reproduce with: ulcsim run "), std::string::npos) << at.out;
    const auto by = with({"--by", "2025-12"});
    ASSERT_EQ(by.status, 0) << by.err;
    EXPECT_NE(by.out.find("≥ 30% by 2025-12) ≥ 80%"), std::string::npos) << by.out;

    for (const auto& wrong : {with({"--at", "2025-12", "--by", "2025-12"}), with({})}) {
        EXPECT_EQ(wrong.status, 2);
        EXPECT_NE(wrong.err.find("--by YYYY-MM (reached in some month up to it) or --at YYYY-MM"),
                  std::string::npos)
            << wrong.err;
    }
    const auto outside = with({"--at", "2040-01"});
    EXPECT_EQ(outside.status, 2);
    EXPECT_NE(outside.err.find("--at 2040-01: outside the run"), std::string::npos) << outside.err;
}
