// `ulcsim run`, `compare` and `sweep` on ensembles, as a user meets them: summaries that
// equal a direct computation over the stored replicates, outputs that do not depend on the
// threads, common random numbers, the Kota Magelang comparison, grids, and bad input.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> datasets(const RunFileReader& file, const std::string& group) {
    std::vector<std::string> out;
    for (const std::string& name : file.members(group)) {
        const std::string path = group + "/" + name;
        if (name == "province" || name == "nation" || name == "programs") {
            for (const std::string& inner : datasets(file, path))
                out.push_back(inner);
        } else if (name != "statistic" && name != "code" && name != "name") {
            out.push_back(path);
        }
    }
    return out;
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    EXPECT_NE(it, names.end()) << name;
    return static_cast<std::size_t>(it - names.begin());
}

/// [scenario or point][measure][statistic] of a compare or sweep file, flattened.
struct Outcomes {
    std::vector<std::string> measures;
    StoredArray statistics, differences, values;

    explicit Outcomes(const fs::path& file) {
        const RunFileReader f(file);
        measures = f.strings("/measures/name");
        statistics = f.array("/statistics");
        differences = f.array("/differences");
        values = f.array("/values");
    }
    double difference(std::size_t scenario, const std::string& measure, Statistic s) const {
        return differences.values[(scenario * measures.size() + index_of(measures, measure)) *
                                      summary_statistic_count +
                                  static_cast<std::size_t>(s)];
    }
    double level(std::size_t scenario, const std::string& measure, Statistic s) const {
        return statistics.values[(scenario * measures.size() + index_of(measures, measure)) *
                                     summary_statistic_count +
                                 static_cast<std::size_t>(s)];
    }
    double value(std::size_t scenario, const std::string& measure, std::size_t replicate) const {
        const std::size_t replicates = values.dims.back();
        return values
            .values[(scenario * measures.size() + index_of(measures, measure)) * replicates +
                    replicate];
    }
};

} // namespace

TEST(RunEnsemble, SummariesEqualADirectComputationOverTheStoredReplicates) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "km.h5";
    const auto r =
        test::run_program({"run", test::shipped_scenario("kota-magelang-2024.toml"), "-q", "-o",
                           out.string(), "--replicates", "7", "--months", "14"});
    ASSERT_EQ(r.status, 0) << r.err;

    // Region-level covered, every cell and statistic, recomputed here from /series.
    StoredArray series, summary;
    {
        // Closed again before Python opens the file for writing (HDF5 locks open files).
        const RunFileReader file(out);
        series = file.array("/series/covered");
        summary = file.array("/summary/covered");
    }
    const std::size_t R = 7, T = 14, K = series.dims[2], G = segment_count;
    ASSERT_EQ(summary.dims, (std::vector<std::size_t>{summary_statistic_count, T, K, 4}));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t g = 0; g <= G; ++g) {
                std::vector<double> v;
                for (std::size_t rep = 0; rep < R; ++rep) {
                    double x = 0;
                    for (std::size_t s = (g < G ? g : 0); s < (g < G ? g + 1 : G); ++s)
                        x += series.values[((rep * T + t) * K + k) * G + s];
                    v.push_back(x);
                }
                double mean = 0;
                for (const double x : v)
                    mean += x / R;
                std::sort(v.begin(), v.end());
                const auto at = [&](Statistic s) {
                    return summary.values[summary_index(s, t, k, g, T, K)];
                };
                EXPECT_NEAR(at(Statistic::mean), mean, 1e-9 * mean);
                EXPECT_DOUBLE_EQ(at(Statistic::p50), v[3]) << "median of 7";
                // p05 of 7 values: v0 + 0.3 (v1 − v0); p95: v5 + 0.7 (v6 − v5).
                EXPECT_DOUBLE_EQ(at(Statistic::p05), v[0] + 0.3 * (v[1] - v[0]));
                EXPECT_DOUBLE_EQ(at(Statistic::p95), v[5] + 0.7 * (v[6] - v[5]));
            }

    // Every summary dataset, recomputed by NumPy from the file alone.
    const std::string python = test::python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const std::string checker =
        (test::source_dir() / "tests" / "store" / "check_summary.py").string();
    const auto check = test::run_command({python, checker, out.string()});
    EXPECT_EQ(check.status, 0) << check.err;
    EXPECT_EQ(check.out, "{\"datasets_checked\": 97}\n");
    // The checker can fail: one tampered value is found.
    const auto tamper =
        test::run_command({python, "-c",
                           "import h5py, sys; f = h5py.File(sys.argv[1], 'r+'); "
                           "f['/summary/province/coverage_rate'][5, 3, 0, 2] += 1e-6",
                           out.string()});
    ASSERT_EQ(tamper.status, 0) << tamper.err;
    const auto caught = test::run_command({python, checker, out.string()});
    EXPECT_EQ(caught.status, 1);
    EXPECT_NE(caught.err.find("/summary/province/coverage_rate[5, 3, 0, 2] (p50)"),
              std::string::npos)
        << caught.err;
}

TEST(RunEnsemble, OutputIsTheSameAtOneTwoAndFourThreads) {
    const test::ScratchDir dir;
    std::vector<fs::path> files;
    for (const char* threads : {"1", "2", "4"}) {
        files.push_back(dir.path() / (std::string("t") + threads + ".h5"));
        const auto r =
            test::run_program({"run", test::shipped_scenario("jawa-tengah.toml"), "-q", "-o",
                               files.back().string(), "--replicates", "5", "--months", "12",
                               "--set", "population.scale=2000", "--threads", threads});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    const RunFileReader one(files[0]);
    std::vector<std::string> all = datasets(one, "/summary");
    ASSERT_GT(all.size(), 3 * summary_metric_count);
    for (const std::string group : {"/series", "/programs"})
        for (const std::string& name : one.members(group))
            if (name != "names") all.push_back(group + "/" + name);
    for (std::size_t f = 1; f < files.size(); ++f) {
        const RunFileReader other(files[f]);
        for (const std::string& path : all) {
            const StoredArray a = one.array(path), b = other.array(path);
            EXPECT_EQ(a.dims, b.dims) << path;
            // Bit for bit, NaN included.
            ASSERT_EQ(a.values.size(), b.values.size()) << path;
            EXPECT_EQ(
                std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)), 0)
                << files[f] << " " << path;
        }
        fs::path csv_one = files[0], csv_other = files[f];
        EXPECT_EQ(test::read_file(csv_one.replace_extension(".summary.csv")),
                  test::read_file(csv_other.replace_extension(".summary.csv")));
    }
}

TEST(RunEnsemble, KeepSummariesWritesTheSameSummariesWithoutTheReplicates) {
    const test::ScratchDir dir;
    const fs::path all = dir.path() / "all.h5", summaries = dir.path() / "summaries.h5";
    const std::vector<std::string> common{"--replicates", "4", "--months", "10", "-q"};
    auto args = std::vector<std::string>{"run", test::shipped_scenario("kota-magelang-2025.toml"),
                                         "-o", all.string()};
    args.insert(args.end(), common.begin(), common.end());
    ASSERT_EQ(test::run_program(args).status, 0);
    args[3] = summaries.string();
    args.push_back("--keep");
    args.push_back("summaries");
    const auto r = test::run_program(args);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(
        entries(dir.path()),
        (std::vector<std::string>{"all.h5", "all.programmes.csv", "all.summary.csv", "summaries.h5",
                                  "summaries.programmes.csv", "summaries.summary.csv"}))
        << "the scratch file of the replicates is gone";

    const RunFileReader a(all), s(summaries);
    EXPECT_EQ(s.integer_attribute("/meta", "replicates_kept"), 0);
    EXPECT_EQ(a.integer_attribute("/meta", "replicates_kept"), 1);
    const auto top = s.members("/");
    EXPECT_EQ(std::count(top.begin(), top.end(), "series"), 0);
    for (const std::string& path : datasets(a, "/summary"))
        EXPECT_EQ(a.array(path).values.size(), s.array(path).values.size()) << path;
    EXPECT_EQ(a.array("/summary/nation/coverage_rate").values,
              s.array("/summary/nation/coverage_rate").values);
    EXPECT_EQ(a.array("/summary/programs/spent_idr").values,
              s.array("/summary/programs/spent_idr").values);
    EXPECT_EQ(test::read_file(dir.path() / "all.summary.csv"),
              test::read_file(dir.path() / "summaries.summary.csv"));
}

TEST(RunEnsemble, PrintsTheOutputSizeAndWritesASpreadsheetCsv) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "jt.h5";
    const auto r =
        test::run_program({"run", test::shipped_scenario("jawa-tengah.toml"), "-o", out.string(),
                           "--replicates", "3", "--months", "6", "--set", "population.scale=2000"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("output about "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(replicates "), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("jt.summary.csv, "), std::string::npos) << r.out;

    const RunFileReader file(out);
    const std::size_t K = file.strings("/regions/code").size();
    const std::size_t P = file.strings("/summary/province/code").size();
    ASSERT_EQ(P, 1u);
    std::istringstream csv(test::read_file(dir.path() / "jt.summary.csv"));
    std::string line;
    std::getline(csv, line);
    EXPECT_TRUE(line.starts_with(
        "level,code,name,segment,month,labour_force_mean,labour_force_p05,labour_force_p95,"))
        << line;
    EXPECT_NE(line.find(",coverage_rate_mean,coverage_rate_p05,coverage_rate_p95,"),
              std::string::npos);
    EXPECT_NE(line.find(",programme_paid_idr_mean,"), std::string::npos);
    // Registered participants next to the active ones, after the columns that were first.
    EXPECT_TRUE(line.ends_with(",registered_mean,registered_p05,registered_p95,"
                               "registered_rate_mean,registered_rate_p05,registered_rate_p95"))
        << line;
    std::size_t rows = 0;
    std::string nation_all_last;
    while (std::getline(csv, line)) {
        ++rows;
        if (line.starts_with("nation,ID,Jawa Tengah,all,2024-06")) nation_all_last = line;
    }
    EXPECT_EQ(rows, (K + P + 1) * 4 * 6);
    ASSERT_FALSE(nation_all_last.empty());
    // The row's coverage_rate_mean is the summary's.
    const StoredArray rate = file.array("/summary/nation/coverage_rate");
    std::vector<std::string> cells;
    std::istringstream fields(nation_all_last);
    for (std::string cell; std::getline(fields, cell, ',');)
        cells.push_back(cell);
    EXPECT_NEAR(std::stod(cells[5 + 3 * 3]),
                rate.values[summary_index(Statistic::mean, 5, 0, 3, 6, 1)], 1e-9);
}

TEST(Compare, KotaMagelang2025BuysMoreCoverageForExactlyTheExtraFundedMonths) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "km.h5";
    const auto r = test::run_program({"compare", test::shipped_scenario("kota-magelang-2024.toml"),
                                      test::shipped_scenario("kota-magelang-2025.toml"), "-o",
                                      out.string(), "--replicates", "10"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* row : {"coverage 2025-12", "covered worker-months 2024-01…2026-12",
                            "programme money spent", "cost per added covered worker-year",
                            "former members covered 12 months after funding ends"})
        EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"km.csv", "km.h5"}));

    const Outcomes o(out);
    EXPECT_GT(o.difference(1, "covered_worker_months", Statistic::p05), 0)
        << "2025 covers more worker-months in at least 95% of replicates";
    for (std::size_t rep = 0; rep < 10; ++rep) {
        const double extra_money =
            o.value(1, "money_spent_idr", rep) - o.value(0, "money_spent_idr", rep);
        const double extra_funded =
            o.value(1, "funded_worker_months", rep) - o.value(0, "funded_worker_months", rep);
        EXPECT_GT(extra_funded, 12 * 2000);
        EXPECT_NEAR(extra_money, extra_funded * 16'800, 0.01 * extra_money) << "replicate " << rep;
    }
    // The base's own differences are zero, and the cost is money over worker-years gained.
    EXPECT_EQ(o.difference(0, "money_spent_idr", Statistic::mean), 0);
    EXPECT_NEAR(o.difference(1, "cost_per_added_covered_worker_year_idr", Statistic::mean),
                o.difference(1, "money_spent_idr", Statistic::mean) /
                    (o.difference(1, "covered_worker_months", Statistic::mean) / 12),
                1e-6);
    EXPECT_GT(o.level(0, "former_members_covered_12_months_after_funding", Statistic::mean), 0);
}

TEST(Compare, CommonRandomNumbersNarrowTheIntervalOfADifferenceThreeFold) {
    // The same pair of scenarios, 20 replicates, with and without common random numbers.
    const test::ScratchDir dir;
    std::vector<double> widths;
    for (const bool independent : {false, true}) {
        const fs::path out = dir.path() / (independent ? "independent.h5" : "common.h5");
        std::vector<std::string> args{"compare",
                                      test::shipped_scenario("kota-magelang-2024.toml"),
                                      test::shipped_scenario("kota-magelang-2025.toml"),
                                      "-q",
                                      "-o",
                                      out.string(),
                                      "--replicates",
                                      "20"};
        if (independent) args.push_back("--independent-seeds");
        const auto r = test::run_program(args);
        ASSERT_EQ(r.status, 0) << r.err;
        const Outcomes o(out);
        for (const char* m : {"covered_worker_months", "coverage_rate_2025-12"})
            widths.push_back(o.difference(1, m, Statistic::p95) -
                             o.difference(1, m, Statistic::p05));
    }
    EXPECT_GE(widths[2], 3 * widths[0]) << "covered worker-months";
    EXPECT_GE(widths[3], 3 * widths[1]) << "coverage in 2025-12";
}

TEST(Sweep, GridIsTheDimensionsOfTheOutputAndEachPointAnEnsemble) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "sweep.h5";
    const auto r = test::run_program(
        {"sweep", test::shipped_scenario("kota-magelang-2025.toml"), "-o", out.string(),
         "--replicates", "3", "--vary", "programme.kota-magelang-apbd.continue_after_subsidy=0:1:3",
         "--vary", "programme.kota-magelang-apbd.budget_idr_per_year.2025=206035200,412070400"});
    ASSERT_EQ(r.status, 0) << r.err;
    const RunFileReader file(out);
    EXPECT_EQ(file.strings("/grid/axis_0"), (std::vector<std::string>{"0", "0.5", "1"}));
    EXPECT_EQ(file.strings("/grid/axis_1"), (std::vector<std::string>{"206035200", "412070400"}));
    EXPECT_EQ(file.string_attribute("/grid/axis_1", "key"),
              "programme.kota-magelang-apbd.budget_idr_per_year.2025");
    const Outcomes o(out);
    ASSERT_EQ(o.statistics.dims,
              (std::vector<std::size_t>{3, 2, o.measures.size(), summary_statistic_count}));
    ASSERT_EQ(o.values.dims, (std::vector<std::size_t>{3, 2, o.measures.size(), 3}));
    // Point (i, j) is row i * 2 + j. A larger 2025 budget spends exactly the extra 2025 money
    // it can commit; keeping on after the subsidy leaves more former members covered.
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(o.level(i * 2, "money_spent_idr", Statistic::mean), 412'070'400);
        EXPECT_DOUBLE_EQ(o.level(i * 2 + 1, "money_spent_idr", Statistic::mean), 618'105'600);
    }
    const std::string former = "former_members_covered_12_months_after_funding";
    EXPECT_GT(o.level(2, former, Statistic::mean), 1.5 * o.level(0, former, Statistic::mean));
    EXPECT_GT(o.level(4, former, Statistic::mean), 1.2 * o.level(2, former, Statistic::mean));
    EXPECT_EQ(o.difference(0, "covered_worker_months", Statistic::p95), 0) << "the base point";
    EXPECT_GT(o.difference(5, "covered_worker_months", Statistic::p05), 0);
    EXPECT_NE(r.out.find("cost per added covered worker-year"), std::string::npos) << r.out;
}

TEST(Sweep, BehaviourContinueAfterSubsidyChangesTheRunThroughTheProgrammes) {
    // Kota Magelang's programme sets no continue_after_subsidy of its own: the behaviour value
    // is its default, so varying it changes what funding leaves behind.
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "continue.h5";
    const auto r =
        test::run_program({"sweep", test::shipped_scenario("kota-magelang-2025.toml"), "-q", "-o",
                           out.string(), "--replicates", "2", "--set", "population.scale=10",
                           "--vary", "behaviour.continue_after_subsidy=0.05,0.95"});
    ASSERT_EQ(r.status, 0) << r.err;
    const Outcomes o(out);
    const std::string former = "former_members_covered_12_months_after_funding";
    EXPECT_GT(o.level(1, former, Statistic::mean), 2 * o.level(0, former, Statistic::mean));
    // Before the end of funding the points are the same run: the programme spends the same.
    EXPECT_EQ(o.level(1, "money_spent_idr", Statistic::mean),
              o.level(0, "money_spent_idr", Statistic::mean));
}

TEST(Sweep, MonthRangesGiveEvenlySpacedMonths) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "months.h5";
    const auto r =
        test::run_program({"sweep", test::shipped_scenario("kota-magelang-2025.toml"), "-q", "-o",
                           out.string(), "--replicates", "1", "--vary",
                           "programme.kota-magelang-apbd.window.1.end=2025-06:2025-12:3"});
    ASSERT_EQ(r.status, 0) << r.err;
    const RunFileReader file(out);
    EXPECT_EQ(file.strings("/grid/axis_0"),
              (std::vector<std::string>{"2025-06", "2025-09", "2025-12"}));
    const Outcomes o(out);
    EXPECT_LT(o.level(0, "funded_worker_months", Statistic::mean),
              o.level(2, "funded_worker_months", Statistic::mean));
}

TEST(EnsembleCommands, BadInputStopsBeforeWritingAnything) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    const std::string km24 = test::shipped_scenario("kota-magelang-2024.toml");
    const fs::path short_run =
        dir.write("short.toml", "extends = \"" + test::shipped_scenario("kota-magelang-2025.toml") +
                                    "\"\n[run]\nmonths = 24\n");
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases{
        {{"run", km24, "-o", out.string(), "--keep", "some"},
         "ulcsim: error: --keep must be 'all' or 'summaries', not 'some'\n"},
        {{"compare", km24, "-o", out.string()},
         "ulcsim: error: compare: give at least two scenario files"},
        {{"compare", km24, short_run.string(), "-o", out.string()},
         "ulcsim: error: compare: " + short_run.string() + " runs 2024-01 for 24 months, " + km24 +
             " 2024-01 for 36 months: paired months need the same run.start and "
             "run.months\n"},
        {{"compare", km24, km24, "-o", out.string(), "--at", "2030-01"},
         "ulcsim: error: --at 2030-01: outside the run (2024-01 … 2026-12)\n"},
        {{"compare", km24, km24, "-o", out.string(), "--at", "December"},
         "ulcsim: error: --at December: expected a month YYYY-MM\n"},
        {{"sweep", km24, "-o", out.string()},
         "ulcsim: error: sweep: give at least one --vary KEY=FROM:TO:STEPS\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "behaviour.h_lapse=1:2"},
         "ulcsim: error: --vary behaviour.h_lapse=1:2: expected FROM:TO:STEPS with a whole "
         "number of steps\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "run.seed=1:3:3"},
         "ulcsim: error: sweep: the grid may not vary run.start, run.months, run.seed or "
         "run.replicates"},
        {{"sweep", km24, "-o", out.string(), "--vary", "behaviour.h_lapse=-1:1:2"},
         "--set behaviour.h_lapse=-1: error: behaviour.h_lapse:"},
        {{"sweep", km24, "-o", out.string(), "--vary", "behaviour.h_lapse=0.1:x:2"},
         "ulcsim: error: --vary behaviour.h_lapse=0.1:x:2: behaviour.h_lapse is a number: FROM "
         "and TO must be numbers\n"},
        // Values are typed by the key, not guessed from the text.
        {{"sweep", km24, "-o", out.string(), "--vary",
          "programme.kota-magelang-apbd.window.0.end=1:3:3"},
         "ulcsim: error: --vary programme.kota-magelang-apbd.window.0.end=1:3:3: "
         "programme.kota-magelang-apbd.window.0.end is a month: FROM and TO must be months "
         "YYYY-MM\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "behaviour.arrears_months=1:2:3"},
         "ulcsim: error: --vary behaviour.arrears_months=1:2:3: 1 does not divide into 2 equal "
         "whole steps\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "programme.0.renewal=yes,no"},
         "ulcsim: error: --vary programme.0.renewal=yes,no: 'yes': programme.*.renewal is true "
         "or false\n"},
        // Only keys of the table, and only those a sweep may vary.
        {{"sweep", km24, "-o", out.string(), "--vary", "behaviour.h_lpase=0.1,0.2"},
         "ulcsim: error: --vary behaviour.h_lpase=0.1,0.2: behaviour.h_lpase: unknown key (did "
         "you mean 'h_lapse'?)\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "observation.0.value=0.1,0.2"},
         "ulcsim: error: --vary observation.0.value=0.1,0.2: observation.0.value cannot be "
         "varied (ulcsim keys --variable lists the keys that can)\n"},
        {{"sweep", km24, "-o", out.string(), "--vary", "programme.nope.acceptance=0.1,0.2"},
         "--set programme.nope.acceptance=0.1: error: programme: no entry 'nope'"},
    };
    for (const Case& c : cases) {
        const auto r = test::run_program(c.args);
        EXPECT_EQ(r.status, 2) << c.message << "\n" << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err.substr(0, c.message.size()), c.message);
        EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"short.toml"}) << c.message;
    }
}
