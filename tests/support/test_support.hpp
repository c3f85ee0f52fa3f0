#pragma once
// Fixtures shared by the test programs: where the sources and the built program are, a
// scratch directory that cleans up after itself, and running `ulcsim` as a user would.

#include "ulcsim/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ulcsim::test {

std::filesystem::path source_dir();
std::filesystem::path scenarios_dir();
/// The path of a shipped scenario (scenarios/NAME), as a command-line argument.
std::string shipped_scenario(const std::string& name);

/// What a finished process left behind.
struct ProcessResult {
    int status = -1;
    std::string out;
    std::string err;
};

/// Runs the built `ulcsim` with `args` (no shell interpretation of the arguments).
ProcessResult run_program(const std::vector<std::string>& args);
/// Runs any program (args[0], looked up on PATH), capturing its output.
ProcessResult run_command(const std::vector<std::string>& args);

/// run_program with the files it writes capped at `bytes` (RLIMIT_FSIZE, SIGXFSZ ignored): a
/// write beyond fails with EFBIG, as on a full disk.
ProcessResult run_program_with_file_limit(const std::vector<std::string>& args,
                                          std::uint64_t bytes);

/// run_program with its address space capped at `bytes` (RLIMIT_AS, `ulimit -v`): an
/// allocation beyond fails, as when memory runs out.
ProcessResult run_program_with_address_space_limit(const std::vector<std::string>& args,
                                                   std::uint64_t bytes);

class ScratchDir;

/// The built `ulcsim` running in the background (its output going to files), for tests that
/// act on it while it runs: signals, a second process on the same output. Killed (SIGKILL) if
/// still running when the object goes.
class BackgroundProgram {
public:
    explicit BackgroundProgram(const std::vector<std::string>& args);
    ~BackgroundProgram();
    BackgroundProgram(const BackgroundProgram&) = delete;
    BackgroundProgram& operator=(const BackgroundProgram&) = delete;

    /// The process id while it runs (negated once it has been waited for).
    int pid() const { return pid_; }
    bool running();
    /// Polls `condition` until it holds, the program ends or `seconds` pass; whether it holds.
    bool wait_for(const std::function<bool()>& condition, double seconds);
    void signal(int number) const;
    std::string err_so_far() const;
    /// Waits for the end and returns what it left behind.
    ProcessResult wait();

private:
    std::unique_ptr<ScratchDir> files_;
    int pid_ = -1;
    int finished_status_ = -1;
};

/// A python3 that has h5py and NumPy, or "" when there is none. The first python3 on PATH
/// may be a private one (pyenv, venv) without Debian's python3-h5py, so the system's is
/// tried too.
std::string python_with_h5py();

/// A fresh directory under the system temp dir, removed when the object goes away.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    /// Writes `text` to `name` inside the directory and returns the file's path.
    std::filesystem::path write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);

/// Scenario tables that switch off deaths and work accidents, for tests that follow a fixed
/// set of workers (a scenario's [behaviour] table must come before them).
inline constexpr const char* no_deaths_or_accidents = R"(
[behaviour.mortality]
"15-24" = 0
"25-34" = 0
"35-44" = 0
"45-54" = 0
"55-64" = 0
"65+" = 0
[behaviour.accidents]
farmer = 0
fisher = 0
tobacco = 0
religious = 0
transport = 0
trader = 0
construction = 0
waste = 0
community = 0
other = 0
)";

/// Loads a scenario written inline in a test (relative paths resolve in a scratch folder).
Scenario load_scenario_text(const std::string& toml);

/// Two small scenarios of different shapes for ensembles: Kota Magelang 2024 (one region, a
/// funding programme) and Jawa Tengah at 1/800 (35 regions), both 20 months.
std::vector<Scenario> two_small_scenarios();

} // namespace ulcsim::test
