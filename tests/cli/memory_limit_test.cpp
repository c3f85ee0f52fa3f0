// The memory pre-check against the process's own limits: under an address-space limit
// (`ulimit -v`, RLIMIT_AS) lower than a run's estimate, the run is refused at once, with exit
// status 2, a message naming that limit and nothing written; a run that fits under it runs,
// also just above its estimate, with a checkpoint's copy of the agents and on two threads
// (their malloc arenas). A run that passes the pre-check and still runs out (its limit
// lowered while it runs) ends with status 1 (not bad input), a message saying how far it got
// and what to lower, and nothing written.

#include "support/test_support.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <string>
#include <sys/resource.h>
#include <thread>

namespace fs = std::filesystem;
using namespace ulcsim;

namespace {

// AddressSanitizer (and ThreadSanitizer) reserve terabytes of address space for their shadow
// memory, so that no program of theirs starts under an address-space limit at all.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

double bytes_of(const std::smatch& m) {
    return std::stod(m[1]) * (m[2] == "kB" ? 1e3 : m[2] == "MB" ? 1e6 : 1e9);
}

double estimate_of(const std::string& err) {
    std::smatch m;
    if (!std::regex_search(err, m, std::regex("  memory: up to ([0-9.]+) (kB|MB|GB) "))) return 0;
    return bytes_of(m);
}

/// The budget the run was given under an address-space limit, as its memory line says.
double address_space_budget_of(const std::string& err) {
    std::smatch m;
    if (!std::regex_search(err, m,
                           std::regex(" of ([0-9.]+) (kB|MB|GB) \\(the address-space limit")))
        return 0;
    return bytes_of(m);
}

} // namespace

TEST(MemoryLimit, AnAddressSpaceLimitBelowTheEstimateRefusesTheRunAndNamesTheLimit) {
    if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any limit allows";
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    // Jawa Tengah, one agent per worker for a year: its estimate is about 320 MB.
    const std::vector<std::string> args{"run",          test::shipped_scenario("jawa-tengah.toml"),
                                        "-o",           out.string(),
                                        "--set",        "population.scale=1",
                                        "--months",     "12",
                                        "--threads",    "1",
                                        "--replicates", "1"};
    const auto r = test::run_program_with_address_space_limit(args, 300'000'000);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_GT(estimate_of(r.err), 300e6) << r.err;
    EXPECT_NE(r.err.find("ulcsim: error: not enough memory: this run needs up to "),
              std::string::npos)
        << r.err;
    EXPECT_NE(
        r.err.find(" (the address-space limit (ulimit -v)). To make it fit, run with one of:"),
        std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "nothing written";

    // --memory-limit above the address-space limit does not lift it; below it, it is the one
    // named.
    auto with = args;
    with.insert(with.end(), {"--memory-limit", "10G"});
    auto limited = test::run_program_with_address_space_limit(with, 300'000'000);
    EXPECT_EQ(limited.status, 2) << limited.err;
    EXPECT_NE(limited.err.find("(the address-space limit (ulimit -v))"), std::string::npos)
        << limited.err;
    with.back() = "100M";
    limited = test::run_program_with_address_space_limit(with, 300'000'000);
    EXPECT_EQ(limited.status, 2) << limited.err;
    EXPECT_NE(limited.err.find("more than 100 MB (--memory-limit)"), std::string::npos)
        << limited.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "nothing written";
}

TEST(MemoryLimit, ARunThatFitsUnderTheAddressSpaceLimitRuns) {
    if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any limit allows";
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    const auto r = test::run_program_with_address_space_limit(
        {"run", test::shipped_scenario("kota-magelang-2025.toml"), "-o", out.string(), "--months",
         "2", "--replicates", "2", "--threads", "2"},
        1'000'000'000);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_NE(r.err.find("(the address-space limit (ulimit -v))"), std::string::npos)
        << "the smallest limit is the one named\n"
        << r.err;
}

// The estimate bounds what an address-space limit counts, with a checkpoint (whose copy of
// each replicate's agents it counts) and on one and two threads (each thread's malloc arena
// would reserve 64 MiB that is never resident: under the limit there is one arena). Jawa
// Tengah at ten workers per agent for three months, a checkpoint after the first, as many
// replicates as threads: with the limit set so that the run's budget is 4 MB above its
// estimate it runs; 4 MB below, it is refused at once.
class JustAboveTheEstimate : public testing::TestWithParam<int> {};

TEST_P(JustAboveTheEstimate, RunsAndJustBelowIsRefusedUpFront) {
    if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any limit allows";
    const int threads = GetParam();
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    const std::vector<std::string> args{"run",
                                        test::shipped_scenario("jawa-tengah.toml"),
                                        "-o",
                                        out.string(),
                                        "--set",
                                        "population.scale=10",
                                        "--months",
                                        "3",
                                        "--checkpoint-at",
                                        "2024-02",
                                        "--threads",
                                        std::to_string(threads),
                                        "--replicates",
                                        std::to_string(threads)};
    // The estimate, then what the program maps without using before its pre-check (the
    // limit less the budget it reports), from two runs that are refused at once.
    auto probe = args;
    probe.insert(probe.end(), {"--memory-limit", "1"});
    const auto estimated = test::run_program_with_address_space_limit(probe, 4'000'000'000);
    ASSERT_EQ(estimated.status, 2) << estimated.err;
    const double estimate = estimate_of(estimated.err);
    ASSERT_GT(estimate, 60e6) << estimated.err;
    EXPECT_NE(estimated.err.find("and as much again for the checkpoint's copy"), std::string::npos)
        << estimated.err;
    const auto at_estimate =
        test::run_program_with_address_space_limit(args, static_cast<std::uint64_t>(estimate));
    ASSERT_EQ(at_estimate.status, 2) << at_estimate.err;
    const double unused = estimate - address_space_budget_of(at_estimate.err);
    ASSERT_GT(unused, 0) << at_estimate.err;
    ASSERT_LT(unused, estimate) << at_estimate.err;

    const auto above = test::run_program_with_address_space_limit(
        args, static_cast<std::uint64_t>(estimate + unused + 4e6));
    EXPECT_EQ(above.status, 0) << above.err;
    EXPECT_TRUE(fs::exists(out));
    for (const auto& written : fs::directory_iterator(dir.path()))
        fs::remove(written.path());

    const auto below = test::run_program_with_address_space_limit(
        args, static_cast<std::uint64_t>(estimate + unused - 4e6));
    EXPECT_EQ(below.status, 2) << below.err;
    EXPECT_NE(below.err.find("ulcsim: error: not enough memory: this run needs up to "),
              std::string::npos)
        << below.err;
    EXPECT_NE(below.err.find("(the address-space limit (ulimit -v))"), std::string::npos)
        << below.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "nothing written";
}

INSTANTIATE_TEST_SUITE_P(OneAndTwoThreads, JustAboveTheEstimate, testing::Values(1, 2),
                         [](const testing::TestParamInfo<int>& param) {
                             return std::to_string(param.param) + "_threads";
                         });

namespace {

/// The address space a process has mapped now (VmSize), 0 when it cannot be read.
std::uint64_t mapped_bytes(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmSize:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
    return 0;
}

} // namespace

// Memory taken away after the pre-check passed: the run's address-space limit lowered, while
// it runs, below what it has mapped then (as an administrator's prlimit, or memory taken
// elsewhere, would). Jawa Tengah at 4 workers per agent for 12 months on one thread, many
// seconds: it runs out before its output is written.
TEST(MemoryLimit, RunningOutAfterThePreCheckPassedSaysHowFarItGotAndLeavesNothing) {
    if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any limit allows";
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    test::BackgroundProgram run({"run", test::shipped_scenario("jawa-tengah.toml"), "-o",
                                 out.string(), "--set", "population.scale=4", "--months", "12",
                                 "--threads", "1", "--replicates", "1"});
    // Once the pre-check has passed (whether the agents are made yet or not, the run needs
    // more address space than it has then, and it runs out).
    ASSERT_TRUE(run.wait_for(
        [&] { return run.err_so_far().find("  memory: up to ") != std::string::npos; }, 60))
        << run.err_so_far();
    // Below what it has mapped (the program alone maps more than 50 MB): what it maps from
    // now on fails, what it has stays. Whether the agents were made by then or not, the
    // replicate or the writing of its output runs out.
    ASSERT_GT(mapped_bytes(run.pid()), 50'000'000u);
    const rlimit lowered{50'000'000, 50'000'000};
    ASSERT_EQ(prlimit(run.pid(), RLIMIT_AS, &lowered, nullptr), 0);
    const auto r = run.wait();
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    // In the replicate, or (its agents made before the limit fell) writing the output, whose
    // HDF5 allocations fail as any other.
    EXPECT_TRUE(std::regex_search(
        r.err, std::regex("ulcsim: error: ran out of memory after (0 of 1 replicates, although "
                          "the pre-check passed|all 1 replicates, while writing the output) "
                          "\\(the estimate was ")))
        << r.err;
    EXPECT_NE(r.err.find(" (this machine)); nothing written. To make it fit, raise "
                         "population.scale (more workers per agent) with --set, or lower "
                         "--replicates-at-once or --threads"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "no output, no temporary, no lock";
}
