#include "support/test_support.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ulcsim::test {

std::filesystem::path source_dir() {
    return ULCSIM_SOURCE_DIR;
}
std::filesystem::path scenarios_dir() {
    return source_dir() / "scenarios";
}

std::string shipped_scenario(const std::string& name) {
    return (scenarios_dir() / name).string();
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

namespace {

/// A resource limit to set in a child (setrlimit), none when `bytes` is 0.
struct ChildLimit {
    int resource = RLIMIT_FSIZE;
    std::uint64_t bytes = 0;
};

/// Starts args[0] (looked up on PATH) with stdout and stderr going to files; in the child,
/// `child_limit` caps a resource (RLIMIT_FSIZE: the files it writes).
pid_t spawn(const std::vector<std::string>& args, const std::string& out_file,
            const std::string& err_file, ChildLimit child_limit) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0) _exit(126);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        if (child_limit.bytes > 0) {
            // Ignored, SIGXFSZ no longer kills: a write beyond the file size limit fails with
            // EFBIG, as on a full disk. Both survive exec.
            if (child_limit.resource == RLIMIT_FSIZE) signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{child_limit.bytes, child_limit.bytes};
            if (setrlimit(child_limit.resource, &limit) != 0) _exit(125);
        }
        std::vector<std::string> copies = args;
        std::vector<char*> argv;
        for (std::string& a : copies)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

int exit_status(int wstatus) {
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

ProcessResult run_until_done(const std::vector<std::string>& args, ChildLimit child_limit = {}) {
    ScratchDir scratch;
    const std::string out_file = (scratch.path() / "stdout").string();
    const std::string err_file = (scratch.path() / "stderr").string();
    const pid_t pid = spawn(args, out_file, err_file, child_limit);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ProcessResult result;
    result.status = exit_status(wstatus);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}

} // namespace

ProcessResult run_command(const std::vector<std::string>& args) {
    return run_until_done(args);
}

ProcessResult run_program_with_file_limit(const std::vector<std::string>& args,
                                          std::uint64_t bytes) {
    std::vector<std::string> command{ULCSIM_PROGRAM};
    command.insert(command.end(), args.begin(), args.end());
    return run_until_done(command, {RLIMIT_FSIZE, bytes});
}

ProcessResult run_program_with_address_space_limit(const std::vector<std::string>& args,
                                                   std::uint64_t bytes) {
    std::vector<std::string> command{ULCSIM_PROGRAM};
    command.insert(command.end(), args.begin(), args.end());
    return run_until_done(command, {RLIMIT_AS, bytes});
}

BackgroundProgram::BackgroundProgram(const std::vector<std::string>& args)
    : files_(std::make_unique<ScratchDir>()) {
    std::vector<std::string> command{ULCSIM_PROGRAM};
    command.insert(command.end(), args.begin(), args.end());
    pid_ = spawn(command, (files_->path() / "stdout").string(),
                 (files_->path() / "stderr").string(), {});
}

BackgroundProgram::~BackgroundProgram() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int wstatus = 0;
    waitpid(pid_, &wstatus, 0);
}

bool BackgroundProgram::running() {
    if (pid_ <= 0) return false;
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == 0) return true;
    finished_status_ = exit_status(wstatus);
    pid_ = -pid_;
    return false;
}

bool BackgroundProgram::wait_for(const std::function<bool()>& condition, double seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        if (!running()) return condition();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

void BackgroundProgram::signal(int number) const {
    if (pid_ > 0) kill(pid_, number);
}

std::string BackgroundProgram::err_so_far() const {
    return read_file(files_->path() / "stderr");
}

ProcessResult BackgroundProgram::wait() {
    ProcessResult result;
    if (pid_ > 0) {
        int wstatus = 0;
        waitpid(pid_, &wstatus, 0);
        finished_status_ = exit_status(wstatus);
        pid_ = -pid_;
    }
    result.status = finished_status_;
    result.out = read_file(files_->path() / "stdout");
    result.err = read_file(files_->path() / "stderr");
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
