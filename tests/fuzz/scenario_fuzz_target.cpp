// Fuzz target: the scenario reader and validator. The bytes become a scenario file beside
// copies of the shipped scenarios (so that `extends` finds them) and load_scenario() reads and
// validates it. A scenario or an InputError is an answer; anything else (another exception, a
// crash, a sanitizer report, a hang) is a finding.

#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

fs::path folder;
fs::path input;

void remove_folder() {
    std::error_code ec;
    fs::remove_all(folder, ec);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    folder = fs::temp_directory_path() / ("ulcsim-scenario-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    for (const auto& e : fs::directory_iterator(fs::path(ULCSIM_SOURCE_DIR) / "scenarios"))
        if (e.path().extension() == ".toml") fs::copy_file(e.path(), folder / e.path().filename());
    input = folder / "fuzzed.toml";
    std::atexit(remove_folder);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(input, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const ulcsim::Scenario s = ulcsim::load_scenario(input);
    } catch (const ulcsim::InputError&) {
        // The answer to a bad scenario.
    } catch (const std::exception& e) {
        std::fprintf(stderr, "scenario fuzz: not an InputError: %s\n", e.what());
        std::abort();
    }
    return 0;
}
