// `ulcsim report` and its baseline, as a user meets them: a run with programmes is summarised
// against its planner's baseline (simulated by the report, paired), a baseline
// given with --baseline, none with --no-baseline; a compare result is reported by its
// monthly series; bad combinations stop with exit status 2 and leave no page.

#include "support/test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <regex>

namespace ulcsim::test {
namespace {

namespace fs = std::filesystem;

/// Kota Magelang 2025 (its programme from 2024-07) or 2024 for ten months, two replicates.
std::string run_of(const ScratchDir& dir, const char* scenario, const char* name,
                   const std::vector<std::string>& extra = {}, const char* months = "10") {
    const std::string out = (dir.path() / name).string();
    std::vector<std::string> args{"run",          (scenarios_dir() / scenario).string(),
                                  "-o",           out,
                                  "--replicates", "2",
                                  "--months",     months,
                                  "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ProcessResult r = run_program(args);
    EXPECT_EQ(r.status, 0) << r.err;
    return out;
}

/// The JSON value of the first summary's `key` in a page ("simulated", true, …).
std::string summary_value(const std::string& page, const std::string& key) {
    const std::size_t summaries = page.find("\"summaries\":[{");
    if (summaries == std::string::npos) return "no summaries";
    const std::regex value("\"" + key + "\":(\"[^\"]*\"|true|false|null|[-0-9.e+]+)");
    std::smatch m;
    const std::string rest = page.substr(summaries);
    return std::regex_search(rest, m, value) ? m[1].str() : "no " + key;
}

TEST(ReportBaseline, ARunWithProgrammesIsComparedWithItsScenarioWithoutThem) {
    const ScratchDir dir;
    const std::string run = run_of(dir, "kota-magelang-2025.toml", "km.h5");
    const fs::path page = dir.path() / "page.html";
    const ProcessResult r = run_program({"report", run, "-o", page.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("simulating the baseline of km.h5 (kota-magelang-2025 without its "
                         "programmes and the policies starting within the run, seed "),
              std::string::npos)
        << r.err;
    const std::string html = read_file(page);
    EXPECT_EQ(summary_value(html, "baseline"), "\"simulated\"");
    EXPECT_EQ(summary_value(html, "paired"), "true");
    EXPECT_EQ(summary_value(html, "name"), "\"Kota Magelang\"");
    EXPECT_EQ(summary_value(html, "level"), "\"kabkota\"");
    EXPECT_NE(summary_value(html, "cost_per_added_worker_year_idr"), "null");

    // Told not to: the summary says none was given (the page explains how to make one).
    const ProcessResult no = run_program({"report", run, "-o", page.string(), "--no-baseline"});
    ASSERT_EQ(no.status, 0) << no.err;
    EXPECT_EQ(no.err.find("simulating"), std::string::npos) << no.err;
    const std::string plain = read_file(page);
    EXPECT_EQ(summary_value(plain, "baseline"), "\"not_given\"");
    EXPECT_EQ(summary_value(plain, "cost_per_added_worker_year_idr"), "null");
    EXPECT_NE(plain.find("--set 'programme=[]'"), std::string::npos);
}

TEST(ReportBaseline, AGivenBaselineIsUsedAndOneOverOtherMonthsIsRefused) {
    const ScratchDir dir;
    const std::string run = run_of(dir, "kota-magelang-2025.toml", "km.h5");
    // The planner's baseline by hand: without the programme, and without the campaign of
    // 2024-07, which starts within the run (from 2024-01).
    const std::string base = run_of(dir, "kota-magelang-2025.toml", "base.h5",
                                    {"--set", "programme=[]", "--set", "policy=[]"});
    const fs::path page = dir.path() / "page.html";
    const ProcessResult r = run_program({"report", run, "-o", page.string(), "--baseline", base});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("simulating"), std::string::npos) << r.err;
    const std::string given = read_file(page);
    EXPECT_EQ(summary_value(given, "baseline"), "\"given\"");
    EXPECT_EQ(summary_value(given, "paired"), "true");
    // The baseline made by hand is the one the report simulates: the same numbers.
    ASSERT_EQ(run_program({"report", run, "-o", (dir.path() / "auto.html").string()}).status, 0);
    const std::string simulated = read_file(dir.path() / "auto.html");
    const auto added = [](const std::string& html) {
        const std::size_t at = html.find("\"added_worker_months\":");
        return at == std::string::npos ? std::string("none") : html.substr(at, 80);
    };
    EXPECT_EQ(added(given), added(simulated));
    // Both say what the baseline removed and kept.
    const std::string levers =
        "\"baseline_levers\":{\"removed\":[{\"kind\":\"programme\",\"name\":\"kota-magelang-"
        "apbd\",\"start\":\"2024-07\"},{\"kind\":\"policy\",\"name\":\"kota-magelang-bansos-"
        "message\",\"start\":\"2024-07\"}],\"kept\":[]}";
    EXPECT_NE(simulated.find(levers), std::string::npos);
    EXPECT_NE(given.find(levers), std::string::npos);

    const std::string shorter = run_of(dir, "kota-magelang-2024.toml", "short.h5", {}, "8");
    fs::remove(page);
    const ProcessResult bad =
        run_program({"report", run, "-o", page.string(), "--baseline", shorter});
    EXPECT_EQ(bad.status, 2) << bad.err;
    EXPECT_NE(bad.err.find(run + ": error: cannot compare with kota-magelang-2024 (short.h5): "
                                 "the baseline covers 2024-01…2024-08, the run 2024-01…2024-10"),
              std::string::npos)
        << bad.err;
    EXPECT_FALSE(fs::exists(page));
    // Runs over other months side by side (a forecast beside a shorter target run) are
    // reported; only their month-by-month difference is left out, saying why.
    const ProcessResult side =
        run_program({"report", run, shorter, "-o", page.string(), "--no-baseline"});
    ASSERT_EQ(side.status, 0) << side.err;
    const std::string sides = read_file(page);
    const std::size_t against = sides.find("\"against_first\":[{");
    ASSERT_NE(against, std::string::npos);
    EXPECT_NE(sides.find("\"baseline\":\"unavailable\"", against), std::string::npos);
    EXPECT_NE(sides.find("not compared with kota-magelang-2025 (km.h5) month by month: the "
                         "baseline covers 2024-01…2024-10, the run 2024-01…2024-08",
                         against),
              std::string::npos);
    fs::remove(page);
    const ProcessResult both =
        run_program({"report", run, "-o", page.string(), "--baseline", base, "--no-baseline"});
    EXPECT_EQ(both.status, 2);
    EXPECT_NE(both.err.find("--baseline FILE or --no-baseline"), std::string::npos) << both.err;
}

TEST(ReportBaseline, ACompareResultIsReportedByItsMonthlySeries) {
    const ScratchDir dir;
    const std::string compared = (dir.path() / "compare.h5").string();
    const ProcessResult c =
        run_program({"compare", (scenarios_dir() / "kota-magelang-2024.toml").string(),
                     (scenarios_dir() / "kota-magelang-2025.toml").string(), "-o", compared,
                     "--replicates", "2", "--months", "10", "--quiet"});
    ASSERT_EQ(c.status, 0) << c.err;
    const fs::path page = dir.path() / "page.html";
    const ProcessResult r = run_program({"report", compared, "-o", page.string(), "--lang", "id"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string html = read_file(page);
    EXPECT_EQ(summary_value(html, "scenario"), "\"kota-magelang-2025\"");
    EXPECT_EQ(summary_value(html, "baseline"), "\"compared\"");
    EXPECT_EQ(summary_value(html, "paired"), "true");
    EXPECT_NE(html.find("\"compared\":{\"file\":\"compare.h5\""), std::string::npos);
    // Both scenarios fund the same programme through 2024-10: nothing is added.
    EXPECT_NE(html.find("\"added_worker_months\":{\"mean\":0,"), std::string::npos);

    const ProcessResult mixed = run_program(
        {"report", compared, run_of(dir, "kota-magelang-2025.toml", "km.h5"), "-o", page.string()});
    EXPECT_EQ(mixed.status, 2);
    EXPECT_NE(mixed.err.find(compared + ": error: a compare result is reported alone"),
              std::string::npos)
        << mixed.err;
}

TEST(ReportBaseline, ASweepResultIsReportedPointByPointAgainstItsFirst) {
    const ScratchDir dir;
    const std::string swept = (dir.path() / "sweep.h5").string();
    const ProcessResult c =
        run_program({"sweep", (scenarios_dir() / "kota-magelang-2025.toml").string(), "--vary",
                     "programme.kota-magelang-apbd.quota_workers=1000:2000:2", "-o", swept,
                     "--replicates", "2", "--months", "10", "--quiet"});
    ASSERT_EQ(c.status, 0) << c.err;
    const fs::path page = dir.path() / "page.html";
    const ProcessResult r = run_program({"report", swept, "-o", page.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("a sweep result"), std::string::npos) << r.out;
    const std::string html = read_file(page);
    EXPECT_NE(html.find("\"swept\":{\"file\":\"sweep.h5\",\"engine_version\":"), std::string::npos);
    EXPECT_NE(
        html.find("\"keys\":[\"programme.kota-magelang-apbd.quota_workers\"],"
                  "\"points\":[[\"1000\"],[\"2000\"]],\"measures\":[\"coverage_rate_2024-10\""),
        std::string::npos);
    // The first point against itself: a difference of exactly zero.
    EXPECT_NE(html.find("\"differences\":[[{\"mean\":0,\"p05\":0,\"p95\":0},"), std::string::npos);
}

} // namespace
} // namespace ulcsim::test
