// One writer per output, and no litter from the ones that died: a run on an output removes the
// temporary files that killed runs on it left (and says so), leaves alone those of a live
// ulcsim, refuses at once (exit 2) while another ulcsim writes the same output, and leaves no
// lock file behind.

#include "support/test_support.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

constexpr const char* small_toml = R"(
[run]
name = "small"
start = "2024-01"
months = 3
replicates = 1
[regions]
include = ["33.71"]
[population]
scale = 20
)";

std::string scenario(const char* name) {
    return (test::scenarios_dir() / name).string();
}

/// A run that takes minutes: the tests end it once they have acted on it.
std::vector<std::string> long_run(const fs::path& out) {
    return {"run",          scenario("kota-magelang-2025.toml"),
            "--replicates", "2000",
            "--months",     "1200",
            "-q",           "-o",
            out.string()};
}

fs::path with_suffix(fs::path path, const std::string& suffix) {
    path += suffix;
    return path;
}

/// A process id that is certainly not running: a child that has exited and been reaped.
pid_t dead_pid() {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    return pid;
}

void touch(const fs::path& file) {
    std::ofstream(file) << "half a file";
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST(OutputClaim, TemporariesOfDeadOrForeignProcessesAreRemovedAndNamedThoseOfALiveUlcsimKept) {
    const test::ScratchDir dir;
    const fs::path input = dir.write("small.toml", small_toml);
    const fs::path out = dir.path() / "out.h5";
    const std::string dead = std::to_string(dead_pid());
    const std::vector<fs::path> stale{with_suffix(out, ".tmp-" + dead),
                                      with_suffix(out, ".replicates.tmp-" + dead),
                                      dir.path() / ("out.summary.csv.tmp-" + dead)};
    for (const fs::path& f : stale)
        touch(f);
    // Alive, but not an ulcsim and not holding the file: its id was reused.
    const pid_t foreign = fork();
    if (foreign == 0) {
        pause();
        _exit(0);
    }
    const fs::path foreign_file = with_suffix(out, ".tmp-" + std::to_string(foreign));
    touch(foreign_file);
    // A live ulcsim (writing another output): its files are left alone, and so is another
    // output's temporary.
    test::BackgroundProgram busy(long_run(dir.path() / "busy.h5"));
    const fs::path busy_lock = dir.path() / "busy.h5.lock";
    ASSERT_TRUE(busy.wait_for([&] { return fs::exists(busy_lock); }, 120)) << busy.err_so_far();
    const fs::path live_file = with_suffix(out, ".tmp-" + std::to_string(busy.pid()));
    touch(live_file);
    const fs::path other_output = dir.path() / ("other.h5.tmp-" + dead);
    touch(other_output);

    const auto r = test::run_program({"run", input.string(), "-q", "-o", out.string()});
    kill(foreign, SIGKILL);
    waitpid(foreign, nullptr, 0);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const fs::path& f : stale) {
        EXPECT_FALSE(fs::exists(f)) << f;
        EXPECT_NE(r.err.find("ulcsim: removed " + f.string() +
                             ", left by a run on this output that did not finish"),
                  std::string::npos)
            << r.err;
    }
    EXPECT_FALSE(fs::exists(foreign_file));
    EXPECT_NE(r.err.find(foreign_file.string()), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(live_file));
    EXPECT_EQ(r.err.find(live_file.string()), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(other_output));
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(with_suffix(out, ".lock")));
}

TEST(OutputClaim, ASecondCommandOnAnOutputBeingWrittenIsRefusedAtOnceAndTheFirstGoesOn) {
    const test::ScratchDir dir;
    const fs::path input = dir.write("small.toml", small_toml);
    const fs::path out = dir.path() / "out.h5";
    test::BackgroundProgram first(long_run(out));
    ASSERT_TRUE(first.wait_for([&] { return fs::exists(with_suffix(out, ".lock")); }, 120))
        << first.err_so_far();
    const std::string expected =
        out.string() + ": error: is being written by another ulcsim (pid " +
        std::to_string(first.pid()) + "): wait for it to finish or choose another output name";
    for (const char* command : {"run", "forecast"}) {
        const auto second = test::run_program({command, input.string(), "-q", "-o", out.string()});
        EXPECT_EQ(second.status, 2) << command << ": " << second.err;
        EXPECT_EQ(second.err, expected + "\n") << command;
    }
    EXPECT_TRUE(first.running()) << "the refused command must not disturb the first";

    first.signal(SIGTERM);
    const auto r = first.wait();
    EXPECT_EQ(r.status, 130) << r.err;
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"small.toml"});
}

TEST(OutputClaim, TheLockFileDoesNotOutliveARunAndALockLeftByAKilledRunStopsNothing) {
    const test::ScratchDir dir;
    const fs::path input = dir.write("small.toml", small_toml);
    const fs::path out = dir.path() / "out.h5";
    const auto clean = test::run_program({"run", input.string(), "-q", "-o", out.string()});
    ASSERT_EQ(clean.status, 0) << clean.err;
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"out.h5", "out.programmes.csv",
                                                             "out.summary.csv", "small.toml"}));
    // A failed run (an override out of range) leaves none either.
    const auto failed = test::run_program(
        {"run", input.string(), "-q", "-o", out.string(), "--set", "population.scale=-1"});
    EXPECT_EQ(failed.status, 2) << failed.err;
    EXPECT_FALSE(fs::exists(with_suffix(out, ".lock")));

    // kill -9 leaves the lock file and the temporary output; the kernel has released the lock.
    test::BackgroundProgram killed(long_run(out));
    const fs::path temporary = with_suffix(out, ".tmp-" + std::to_string(killed.pid()));
    ASSERT_TRUE(killed.wait_for([&] { return fs::exists(temporary); }, 120)) << killed.err_so_far();
    killed.signal(SIGKILL);
    EXPECT_EQ(killed.wait().status, 128 + SIGKILL);
    ASSERT_TRUE(fs::exists(with_suffix(out, ".lock")));
    ASSERT_TRUE(fs::exists(temporary));

    const auto next = test::run_program({"run", input.string(), "-q", "-o", out.string()});
    EXPECT_EQ(next.status, 0) << next.err;
    EXPECT_NE(next.err.find("ulcsim: removed " + temporary.string()), std::string::npos)
        << next.err;
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"out.h5", "out.programmes.csv",
                                                             "out.summary.csv", "small.toml"}));
}

TEST(OutputClaim, AnOutputInADirectoryThatCannotBeWrittenIsALocatedUserError) {
    if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
    const test::ScratchDir dir;
    const fs::path input = dir.write("small.toml", small_toml);
    const fs::path locked = dir.path() / "read-only";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    const fs::path out = locked / "out.h5";
    const auto r = test::run_program({"run", input.string(), "-q", "-o", out.string()});
    fs::permissions(locked, fs::perms::owner_all);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err, out.string() + ": error: cannot write here (lock file " + out.string() +
                         ".lock): Permission denied\n");
    EXPECT_TRUE(fs::is_empty(locked));
}
