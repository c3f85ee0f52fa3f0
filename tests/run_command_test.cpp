// `ulcsim run` as a user meets it: the run file it writes (read back by ulcsim and by h5py),
// the thread count not mattering, and bad input stopping before anything is written.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>

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
    EXPECT_NE(r.out.find("magelang.summary.csv: written"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kota-magelang-apbd: at most 2,0"), std::string::npos) << r.out;
    auto written = entries(dir.path());
    std::sort(written.begin(), written.end());
    EXPECT_EQ(written, (std::vector<std::string>{"magelang.h5", "magelang.summary.csv"}))
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
        {python, (test::source_dir() / "tests" / "check_run_file.py").string(), out.string()});
    EXPECT_EQ(check.status, 0) << check.err;
    EXPECT_NE(check.out.find("\"33.71\""), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("\"kota-magelang-apbd\""), std::string::npos) << check.out;
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
