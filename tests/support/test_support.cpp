#include "support/test_support.hpp"

#include <atomic>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace ulcsim::test {

std::filesystem::path source_dir() {
    return ULCSIM_SOURCE_DIR;
}
std::filesystem::path scenarios_dir() {
    return source_dir() / "scenarios";
}

std::vector<Scenario> two_small_scenarios() {
    std::vector<Scenario> s;
    s.push_back(load_scenario(scenarios_dir() / "kota-magelang-2024.toml", {"run.months=20"}));
    s.push_back(load_scenario(scenarios_dir() / "jawa-tengah.toml",
                              {"population.scale=800", "run.months=20"}));
    return s;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

ProcessResult run_command(const std::vector<std::string>& args) {
    ScratchDir scratch;
    const std::string out_file = (scratch.path() / "stdout").string();
    const std::string err_file = (scratch.path() / "stderr").string();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0) _exit(126);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        std::vector<std::string> copies = args;
        std::vector<char*> argv;
        for (std::string& a : copies)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ProcessResult result;
    result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}

ProcessResult run_program(const std::vector<std::string>& args) {
    std::vector<std::string> command{ULCSIM_PROGRAM};
    command.insert(command.end(), args.begin(), args.end());
    return run_command(command);
}

std::string python_with_h5py() {
    for (const char* candidate : {"python3", "/usr/bin/python3"})
        if (run_command({candidate, "-c", "import h5py, numpy"}).status == 0) return candidate;
    return "";
}

ScratchDir::ScratchDir() {
    static std::atomic<int> counter{0};
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("ulcsim-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(entropy()));
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path ScratchDir::write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
}

Scenario load_scenario_text(const std::string& toml) {
    const ScratchDir dir;
    return load_scenario(dir.write("scenario.toml", toml));
}

} // namespace ulcsim::test
