// `ulcsim run` as a user meets it: the run file it writes (read back by ulcsim and by h5py),
// the thread count not mattering, and bad input stopping before anything is written.

#include "support/test_support.hpp"
#include "ulcsim/calendar.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <sys/resource.h>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

std::string magelang() {
    return (test::scenarios_dir() / "kota-magelang-2024.toml").string();
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    return names;
}

} // namespace

TEST(RunCommand, WritesARunFileThatH5pyReads) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "magelang.h5";
    const auto r = test::run_program(
        {"run", magelang(), "-o", out.string(), "--replicates", "2", "--months", "14"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("magelang.h5, "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("magelang.summary.csv, "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("magelang.programmes.csv: written"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kota-magelang-apbd: at most 2,0"), std::string::npos) << r.out;
    auto written = entries(dir.path());
    std::sort(written.begin(), written.end());
    EXPECT_EQ(written, (std::vector<std::string>{"magelang.h5", "magelang.programmes.csv",
                                                 "magelang.summary.csv"}))
        << "no temporary file is left beside the output";

    const RunFileReader file(out);
    EXPECT_EQ(file.integer_attribute("/meta", "replicates"), 2);
    EXPECT_EQ(file.integer_attribute("/meta", "months"), 14);
    EXPECT_EQ(file.string_attribute("/meta", "start_month"), "2024-01");
    EXPECT_NE(file.string_attribute("/meta", "scenario_toml").find("months = 14"),
              std::string::npos)
        << "the recorded scenario includes the command line's overrides";
    const StoredArray members = file.array("/programs/members");
    ASSERT_EQ(members.dims, (std::vector<std::size_t>{2, 14, 1}));
    EXPECT_NEAR(members.values[6], 2044, 20) << "July 2024, replicate 0";

    const std::string python = test::python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const auto check = test::run_command(
        {python, (test::source_dir() / "tests" / "store" / "check_run_file.py").string(),
         out.string()});
    EXPECT_EQ(check.status, 0) << check.err;
    EXPECT_NE(check.out.find("\"33.71\""), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("\"kota-magelang-apbd\""), std::string::npos) << check.out;
}

// The programmes CSV beside the run: one row per programme and month, the means and 90%
// intervals of the run file's /summary/programs; the 2024 programme pays Rp16,800 a month per
// member, so each month's spending is its members times the premium in every replicate.
TEST(RunCommand, WritesTheProgrammesBesideTheRunForASpreadsheet) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "km.h5";
    const auto r = test::run_program(
        {"run", magelang(), "-q", "-o", out.string(), "--replicates", "3", "--months", "14"});
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream csv(test::read_file(dir.path() / "km.programmes.csv"));
    std::string line;
    std::getline(csv, line);
    EXPECT_EQ(line, "programme,kind,month,members_mean,members_p05,members_p95,enrolled_mean,"
                    "enrolled_p05,enrolled_p95,renewed_mean,renewed_p05,renewed_p95,left_mean,"
                    "left_p05,left_p95,spent_idr_mean,spent_idr_p05,spent_idr_p95,"
                    "committed_idr_mean,committed_idr_p05,committed_idr_p95,budget_idr_mean,"
                    "budget_idr_p05,budget_idr_p95");
    const RunFileReader file(out);
    const StoredArray members = file.array("/summary/programs/members");
    std::vector<std::vector<std::string>> rows;
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');)
            cells.push_back(cell);
        rows.push_back(cells);
    }
    ASSERT_EQ(rows.size(), 14u) << "one programme × 14 months";
    for (std::size_t t = 0; t < rows.size(); ++t) {
        const std::vector<std::string>& c = rows[t];
        ASSERT_EQ(c.size(), 24u);
        EXPECT_EQ(c[0], "kota-magelang-apbd");
        EXPECT_EQ(c[1], "apbd_kabkota");
        EXPECT_EQ(c[2], (Month(2024, 1) + static_cast<int>(t)).to_string());
        const double mean = std::stod(c[3]);
        EXPECT_NEAR(mean, members.values[t], 1e-6) << "the summary's mean, month " << t;
        EXPECT_NEAR(std::stod(c[15]), mean * 16'800, 1e-3) << "spent = members × premium";
        EXPECT_LE(std::stod(c[4]), mean);
        EXPECT_GE(std::stod(c[5]), mean);
    }
    EXPECT_NEAR(std::stod(rows[6][3]), 2044, 20) << "July 2024";
    EXPECT_EQ(std::stod(rows[0][3]), 0) << "nothing is funded before July 2024";
}

TEST(RunCommand, TheThreadCountDoesNotChangeTheOutput) {
    const test::ScratchDir dir;
    std::vector<fs::path> files;
    for (const char* threads : {"1", "2", "4"}) {
        files.push_back(dir.path() / (std::string("t") + threads + ".h5"));
        const auto r = test::run_program({"run", magelang(), "-q", "-o", files.back().string(),
                                          "--replicates", "2", "--threads", threads});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    const RunFileReader one(files[0]);
    for (std::size_t f = 1; f < files.size(); ++f) {
        const RunFileReader other(files[f]);
        for (const std::string group : {"/series", "/programs"})
            for (const std::string& name : one.members(group)) {
                if (name == "names") continue;
                EXPECT_EQ(one.array(group + "/" + name).values,
                          other.array(group + "/" + name).values)
                    << files[f] << " " << group << "/" << name;
            }
    }
}

TEST(RunCommand, BadInputStopsBeforeWritingAnything) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases{
        {{"run", magelang(), "-o", out.string(), "--months", "0"},
         "ulcsim: error: --months must be between 1 and 1200\n"},
        {{"run", magelang(), "-o", out.string(), "--replicates", "-3"},
         "ulcsim: error: --replicates must be between 1 and 100000\n"},
        {{"run", magelang(), "-o", out.string(), "--threads", "0"},
         "ulcsim: error: --threads must be between 1 and 1024\n"},
        {{"run", magelang(), "-o", (dir.path() / "missing" / "out.h5").string()},
         "ulcsim: error: cannot write " + (dir.path() / "missing" / "out.h5").string() +
             ": directory " + (dir.path() / "missing").string() + " does not exist\n"},
        {{"run", magelang(), "-o", out.string(), "--set", "behaviour.h_lapse=-1"},
         "--set behaviour.h_lapse=-1: error: behaviour.h_lapse:"},
        {{"run", "no-such.toml", "-o", out.string()}, "no-such.toml: error: cannot open file"},
        {{"run", "-o", out.string()}, "ulcsim: error: run: no scenario file given"},
        {{"run", magelang(), "-o", out.string(), "--memory-limit", "lots"},
         "ulcsim: error: --memory-limit 'lots': expected a size such as 2G"},
        {{"run", magelang(), "-o", out.string(), "--memory-limit", "0"},
         "ulcsim: error: --memory-limit '0': expected a size"},
        {{"run", magelang(), "-o", out.string(), "--memory-limit", "-2G"},
         "ulcsim: error: --memory-limit '-2G': expected a size"},
        {{"run", magelang(), "-o", out.string(), "--memory-limit", "2Q"},
         "ulcsim: error: --memory-limit '2Q': expected a size"},
        {{"run", magelang(), "-o", out.string(), "--replicates-at-once", "0"},
         "ulcsim: error: --replicates-at-once must be between 1 and 100000\n"},
    };
    for (const Case& c : cases) {
        const auto r = test::run_program(c.args);
        EXPECT_EQ(r.status, 2) << c.message;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err.substr(0, c.message.size()), c.message);
        EXPECT_TRUE(entries(dir.path()).empty()) << c.message;
    }
}

TEST(RunCommand, ProfilePrintsEveryPhase) {
    const test::ScratchDir dir;
    const auto r = test::run_program({"run", magelang(), "-o", (dir.path() / "p.h5").string(),
                                      "--replicates", "1", "--months", "3", "--profile"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* phase : {"calendar", "draws", "demography", "accidents", "coverage",
                              "programme allocation", "awareness", "tally"})
        EXPECT_NE(r.out.find(phase), std::string::npos) << phase;
}

TEST(RunCommand, ARunTooBigForTheMemoryLimitStopsAtOnceWithTheEstimate) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    // The whole nation, one agent per worker: about 2.6 GB at most.
    auto r = test::run_program({"run", (test::scenarios_dir() / "indonesia.toml").string(), "-o",
                                out.string(), "--memory-limit", "1G"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("  memory: up to 2."), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ulcsim: error: not enough memory: this run needs up to 2."),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("more than 1.0 GB (--memory-limit)"), std::string::npos) << r.err;
    // One replicate: only fewer agents can help, and the suggestion fits.
    EXPECT_EQ(r.err.find("--replicates-at-once"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("  --set population.scale=3 (3 workers per agent: up to "),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(entries(dir.path()).empty());

    // Several replicates at once: holding fewer of them is the first way to fit.
    r = test::run_program({"run", (test::scenarios_dir() / "jawa-tengah.toml").string(), "-o",
                           out.string(), "--set", "population.scale=2", "--replicates", "8",
                           "--replicates-at-once", "4", "--memory-limit", "400M"});
    EXPECT_EQ(r.status, 2);
    std::smatch fewer;
    ASSERT_TRUE(std::regex_search(
        r.err, fewer, std::regex("\n  --replicates-at-once ([0-9]+) \\(up to ([0-9]+) MB\\)")))
        << r.err;
    const int suggested = std::stoi(fewer[1]);
    EXPECT_GE(suggested, 1);
    EXPECT_LT(suggested, 4);
    EXPECT_LE(std::stoi(fewer[2]), 400);
    EXPECT_TRUE(entries(dir.path()).empty());
}

TEST(RunCommand, TheMemoryEstimateBoundsThePeakResidentMemory) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "sanitizers add their own memory";
#endif
    const test::ScratchDir dir;
    // A million agents, two replicates side by side, then their summaries.
    const auto r =
        test::run_program({"run", (test::scenarios_dir() / "jawa-tengah.toml").string(), "-o",
                           (dir.path() / "m.h5").string(), "--set", "population.scale=20",
                           "--months", "24", "--replicates", "2", "--threads", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.err, m, std::regex("  memory: up to ([0-9.]+) (kB|MB|GB) ")))
        << r.err;
    const double estimate = std::stod(m[1]) * (m[2] == "kB" ? 1e3 : m[2] == "MB" ? 1e6 : 1e9);
    rusage usage{};
    ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &usage), 0);
    const double peak = static_cast<double>(usage.ru_maxrss) * 1024;
    EXPECT_LE(peak, estimate);
    // An upper bound, but not a useless one.
    EXPECT_GE(peak, estimate / 2.5) << "estimate " << estimate << " B, peak " << peak << " B";
}
