// Ctrl-C and SIGTERM end every command the same way, whatever it is doing: exit status 130,
// "interrupted: nothing written", nothing under the output name, no temporary file and no
// lock left. Each command runs with a size that takes minutes, and gets the signal once it
// has claimed its output (its lock file exists) and a moment more.

#include "support/test_support.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

std::string scenario(const char* name) {
    return (test::scenarios_dir() / name).string();
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

struct Case {
    const char* name;
    int signal;
    std::vector<std::string> args; ///< without -o
    const char* output;            ///< in the scratch folder; "" for a command that writes none
};

const std::vector<std::string> long_ensemble{"--replicates", "2000", "--months", "1200", "-q"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<Case> cases() {
    return {
        {"forecast", SIGINT, with({"forecast", scenario("kota-magelang-2024.toml")}, long_ensemble),
         "f.h5"},
        {"calibrate",
         SIGINT,
         {"calibrate", scenario("di-yogyakarta.toml"), "--set", "population.scale=20", "--fit",
          "h0_self", "--particles", "400", "--generations", "20", "--evaluations", "4000", "-q"},
         "c.toml"},
        {"run", SIGTERM, with({"run", scenario("kota-magelang-2025.toml")}, long_ensemble), "r.h5"},
        {"compare", SIGINT,
         with({"compare", scenario("kota-magelang-2024.toml"), scenario("kota-magelang-2025.toml")},
              long_ensemble),
         "d.h5"},
        {"sweep", SIGTERM,
         with({"sweep", scenario("kota-magelang-2025.toml"), "--vary",
               "behaviour.continue_after_subsidy=0.05,0.95"},
              long_ensemble),
         "s.h5"},
        {"target",
         SIGINT,
         {"target", scenario("kota-magelang-2025.toml"), "--replicates", "2000", "--reach", "33%",
          "--by", "2025-12", "--probability", "80%", "--programme", "kota-magelang-apbd", "--vary",
          "budget", "-q"},
         ""},
    };
}

} // namespace

TEST(Interruption, EveryCommandEndsWithStatus130AndLeavesNothing) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.name);
        const test::ScratchDir dir;
        std::vector<std::string> args = c.args;
        const fs::path out = dir.path() / c.output;
        if (*c.output) {
            args.push_back("-o");
            args.push_back(out.string());
        }
        test::BackgroundProgram program(args);
        if (*c.output) {
            fs::path lock = out;
            lock += ".lock";
            ASSERT_TRUE(program.wait_for([&] { return fs::exists(lock); }, 120))
                << program.err_so_far();
        }
        // Into the work: the simulation, the calibration or the search.
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        ASSERT_TRUE(program.running()) << "too small to interrupt: " << program.err_so_far();
        program.signal(c.signal);
        const test::ProcessResult r = program.wait();
        EXPECT_EQ(r.status, 130) << r.err;
        EXPECT_EQ(r.err, "ulcsim: interrupted: nothing written\n");
        EXPECT_EQ(entries(dir.path()), std::vector<std::string>{});
    }
}
