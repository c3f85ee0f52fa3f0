// Fuzz target: the readers of run files. The bytes become a file, which goes to everything
// that reads one a user may hand over: `ulcsim inspect` (and --scenario), `ulcsim report`, and
// `ulcsim run --from-checkpoint` (the checkpoint reader, then a month simulated from the
// state read). Each command is called in this process. A refusal (InputError, UsageError)
// is an answer; a crash or sanitizer report is a finding. Another exception is what the
// program calls an internal error (exit 1): not a crash, but a message that does not name
// the damage; they are counted and the first of each kind printed at the end.

#include "commands.hpp"
#include "ulcsim/input_error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

fs::path folder;
fs::path input, branch, report, output;
std::map<std::string, std::pair<std::uint64_t, std::string>> internal_errors;
std::uint64_t executions = 0;

constexpr const char* branch_toml = R"(
[run]
name = "branch"
start = "2024-03"
months = 1
[regions]
include = ["33.71"]
[population]
scale = 100
)";

void finish() {
    std::cout << "run-file fuzz: " << executions << " inputs";
    if (internal_errors.empty()) std::cout << ", no internal error";
    std::cout << '\n';
    for (const auto& [command, seen] : internal_errors)
        std::cout << "  " << command << ": " << seen.first
                  << " internal errors, the first: " << seen.second << '\n';
    std::error_code ec;
    fs::remove_all(folder, ec);
}

void call(const char* name, int (*command)(const std::vector<std::string>&),
          const std::vector<std::string>& args) {
    try {
        command(args);
    } catch (const ulcsim::InputError&) {
    } catch (const ulcsim::cli::UsageError&) {
    } catch (const std::exception& e) {
        auto& seen = internal_errors[name];
        if (seen.first++ == 0) seen.second = e.what();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    folder = fs::temp_directory_path() / ("ulcsim-run-file-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    input = folder / "fuzzed.h5";
    branch = folder / "branch.toml";
    report = folder / "report.html";
    output = folder / "branch.h5";
    std::ofstream(branch) << branch_toml;
    std::atexit(finish);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(input, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    ++executions;
    // What the commands print is not looked at.
    std::ostringstream sink;
    std::streambuf* const cout = std::cout.rdbuf(sink.rdbuf());
    call("inspect", ulcsim::cli::inspect_command, {input.string()});
    call("inspect --scenario", ulcsim::cli::inspect_command, {input.string(), "--scenario"});
    call("report", ulcsim::cli::report_command, {input.string(), "-o", report.string()});
    call("run --from-checkpoint", ulcsim::cli::run_command,
         {branch.string(), "--from-checkpoint", input.string(), "--threads", "1", "-q", "-o",
          output.string()});
    std::cout.rdbuf(cout);
    return 0;
}
