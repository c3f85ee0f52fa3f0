// Faults of the machine while a command writes: a full disk (simulated with a file size limit,
// RLIMIT_FSIZE, so that writes fail with EFBIG as they would with ENOSPC) and the output
// folder removed mid-run. Each gives one located line naming the output and the reason, exit
// status 2, and leaves nothing: no output, no temporary file, no lock.

#include "support/test_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
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

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

// The limits fall in different places: the file's creation, the replicates' series, the
// summaries, the CSV.
TEST(WriteFault, ADiskThatFillsUpIsALocatedUserErrorAndLeavesNothing) {
    for (const std::string keep : {"all", "summaries"})
        for (const std::uint64_t limit : {1'000u, 20'000u, 200'000u, 2'000'000u}) {
            SCOPED_TRACE("--keep " + keep + ", " + std::to_string(limit) + " bytes");
            const test::ScratchDir dir;
            const fs::path out = dir.path() / "out.h5";
            const auto r = test::run_program_with_file_limit(
                {"run", scenario("jawa-tengah.toml"), "--set", "population.scale=400", "--months",
                 "24", "--replicates", "8", "--keep", keep, "-q", "-o", out.string()},
                limit);
            EXPECT_EQ(r.status, 2) << r.err;
            EXPECT_EQ(lines(r.err), 1u) << r.err;
            EXPECT_TRUE(r.err.starts_with(dir.path().string() + "/out.")) << r.err;
            EXPECT_NE(r.err.find(": error: "), std::string::npos) << r.err;
            EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
            EXPECT_TRUE(fs::is_empty(dir.path())) << r.err;
        }
}

TEST(WriteFault, TheSameRunWithRoomIsWritten) {
    // The control of the test above: the limit, not the run, made it fail.
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "out.h5";
    const auto r = test::run_program_with_file_limit(
        {"run", scenario("jawa-tengah.toml"), "--set", "population.scale=400", "--months", "24",
         "--replicates", "8", "-q", "-o", out.string()},
        200'000'000u);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
}

TEST(WriteFault, AnOutputFolderRemovedMidRunIsALocatedUserError) {
    const test::ScratchDir dir;
    const fs::path folder = dir.path() / "runs";
    fs::create_directory(folder);
    const fs::path out = folder / "out.h5";
    test::BackgroundProgram run({"run", scenario("kota-magelang-2025.toml"), "--replicates", "64",
                                 "-q", "-o", out.string()});
    fs::path temporary = out;
    temporary += ".tmp-" + std::to_string(run.pid());
    ASSERT_TRUE(run.wait_for([&] { return fs::exists(temporary); }, 120)) << run.err_so_far();
    // Into the simulation, past the file's creation.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    fs::remove_all(folder);
    ASSERT_TRUE(run.running()) << "the run ended before its folder was removed";
    const test::ProcessResult r = run.wait();
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    EXPECT_TRUE(r.err.starts_with(folder.string() + "/out.")) << r.err;
    EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path()));
}
