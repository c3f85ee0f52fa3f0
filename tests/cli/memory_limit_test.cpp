// The memory pre-check against the process's own limits: under an address-space limit
// (`ulimit -v`, RLIMIT_AS) lower than a run's estimate, the run is refused at once, with exit
// status 2, a message naming that limit and nothing written; a run that fits under it runs.
// A run that passes the pre-check and still runs out ends with status 1 (not bad input), a
// message saying how far it got and what to lower, and nothing written.

#include "support/test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <string>

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

double estimate_of(const std::string& err) {
    std::smatch m;
    if (!std::regex_search(err, m, std::regex("  memory: up to ([0-9.]+) (kB|MB|GB) "))) return 0;
    return std::stod(m[1]) * (m[2] == "kB" ? 1e3 : m[2] == "MB" ? 1e6 : 1e9);
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

// --checkpoint-at keeps a copy of each replicate's state while the replicate goes on, which
// the estimate leaves out: Jawa Tengah at 4 workers per agent for 3 months is estimated at
// about 110 MB, passes the pre-check under a 150 MB address-space limit and then needs more.
TEST(MemoryLimit, RunningOutAfterThePreCheckPassedSaysHowFarItGotAndLeavesNothing) {
    if (sanitized) GTEST_SKIP() << "sanitizers reserve more address space than any limit allows";
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    const std::vector<std::string> args{"run",
                                        test::shipped_scenario("jawa-tengah.toml"),
                                        "-o",
                                        out.string(),
                                        "--set",
                                        "population.scale=4",
                                        "--months",
                                        "3",
                                        "--threads",
                                        "1",
                                        "--replicates",
                                        "1",
                                        "--checkpoint-at",
                                        "2024-02"};
    constexpr std::uint64_t limit = 150'000'000;
    const auto r = test::run_program_with_address_space_limit(args, limit);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(r.out, "");
    const double estimate = estimate_of(r.err);
    EXPECT_GT(estimate, 50e6) << r.err;
    EXPECT_LT(estimate, static_cast<double>(limit)) << "the pre-check passed\n" << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ulcsim: error: ran out of memory after 0 of 1 replicates, although "
                         "the pre-check passed (the estimate was "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(" (the address-space limit (ulimit -v))); nothing written. To make it "
                         "fit, raise population.scale (more workers per agent) with --set, or "
                         "lower --replicates-at-once or --threads"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "no output, no temporary, no lock";
}
