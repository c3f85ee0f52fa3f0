#include "stale_temporaries.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <string>
#include <system_error>
#include <unistd.h>

namespace ulcsim::store {

namespace fs = std::filesystem;

std::optional<pid_t> temporary_owner(const std::string& filename) {
    const std::string::size_type at = filename.rfind(".tmp-");
    if (at == std::string::npos) return std::nullopt;
    const char* first = filename.data() + at + 5;
    const char* last = filename.data() + filename.size();
    pid_t pid = 0;
    const auto [end, ec] = std::from_chars(first, last, pid);
    if (ec != std::errc() || end != last || first == last || pid <= 0) return std::nullopt;
    return pid;
}

namespace {

std::error_code link_target(const fs::path& link, fs::path& target) {
    std::error_code ec;
    target = fs::read_symlink(link, ec);
    return ec;
}

bool holds_open(pid_t pid, const fs::path& file) {
    std::error_code ec;
    const fs::path wanted = fs::weakly_canonical(file, ec);
    if (ec) return false;
    const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
    fs::directory_iterator it(fds, ec);
    // Another user's process: its descriptors cannot be read, so it may hold the file.
    if (ec) return true;
    for (const fs::directory_entry& fd : it) {
        fs::path target;
        if (!link_target(fd.path(), target) && target == wanted) return true;
    }
    return false;
}

} // namespace

bool may_be_writing(pid_t pid, const fs::path& temporary) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
    fs::path program, self;
    if (link_target("/proc/" + std::to_string(pid) + "/exe", program)) return true;
    if (!link_target("/proc/self/exe", self) && program == self) return true;
    if (program.filename().string().starts_with("ulcsim")) return true;
    // A process id reused by an unrelated program, unless the library itself (the Python
    // module, a test) is writing the file from within that program.
    return holds_open(pid, temporary);
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& output) {
    std::vector<fs::path> removed;
    const fs::path directory = output.has_parent_path() ? output.parent_path() : fs::path(".");
    const std::string prefix = output.stem().string() + ".";
    std::error_code ec;
    fs::directory_iterator it(directory, ec);
    if (ec) return removed;
    for (const fs::directory_entry& entry : it) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const std::optional<pid_t> owner = temporary_owner(name);
        if (!owner || !entry.is_regular_file(ec)) continue;
        if (may_be_writing(*owner, entry.path())) continue;
        if (fs::remove(entry.path(), ec)) removed.push_back(entry.path());
    }
    return removed;
}

} // namespace ulcsim::store
