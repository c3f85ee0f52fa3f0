#pragma once
// Fixtures shared by the test programs: where the sources and the built program are, a
// scratch directory that cleans up after itself, and running `ulcsim` as a user would.

#include "ulcsim/scenario.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace ulcsim::test {

std::filesystem::path source_dir();
std::filesystem::path scenarios_dir();

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

/// Loads a scenario written inline in a test (relative paths resolve in a scratch folder).
Scenario load_scenario_text(const std::string& toml);

/// Two small scenarios of different shapes for ensembles: Kota Magelang 2024 (one region, a
/// funding programme) and Jawa Tengah at 1/800 (35 regions), both 20 months.
std::vector<Scenario> two_small_scenarios();

} // namespace ulcsim::test
