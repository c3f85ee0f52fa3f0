#include "output_lock.hpp"

#include "ulcsim/input_error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ulcsim::store {

namespace {

[[noreturn]] void refuse(const std::filesystem::path& output, const std::string& message) {
    throw InputError(Diagnostic{{output.string(), 0, 0, false}, "", message});
}

/// The process id the holder wrote into the lock file, or "" while it has not yet.
std::string holder_of(int fd) {
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid(text, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
        pid.pop_back();
    return pid.find_first_not_of("0123456789") == std::string::npos ? pid : "";
}

} // namespace

std::filesystem::path lock_path_for(const std::filesystem::path& output) {
    std::filesystem::path lock = output;
    lock += ".lock";
    return lock;
}

OutputLock::OutputLock(const std::filesystem::path& output) : path_(lock_path_for(output)) {
    // A holder removes the file as it ends: a lock taken on the removed file would lock
    // nothing, so the file locked must still be the one under the name.
    for (int attempt = 0; attempt < 16; ++attempt) {
        const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            refuse(output,
                   "cannot write here (lock file " + path_.string() + "): " + std::strerror(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            const std::string holder = holder_of(fd);
            ::close(fd);
            if (error == EWOULDBLOCK)
                refuse(output, "is being written by another ulcsim" +
                                   (holder.empty() ? std::string() : " (pid " + holder + ")") +
                                   ": wait for it to finish or choose another output name");
            refuse(output,
                   "cannot lock " + path_.string() + ": " + std::string(std::strerror(error)));
        }
        struct stat held {
        }, named{};
        if (::fstat(fd, &held) == 0 && ::stat(path_.c_str(), &named) == 0 &&
            held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
            const std::string pid = std::to_string(::getpid()) + "\n";
            if (::ftruncate(fd, 0) != 0 ||
                ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
                const int error = errno;
                ::unlink(path_.c_str());
                ::close(fd);
                refuse(output, "cannot write lock file " + path_.string() + ": " +
                                   std::string(std::strerror(error)));
            }
            fd_ = fd;
            return;
        }
        ::close(fd);
    }
    refuse(output, "cannot lock " + path_.string() + ": it keeps being replaced");
}

OutputLock::~OutputLock() {
    // Removed while still held, so that no other process can lock the old file meanwhile
    // and believe it alone writes.
    ::unlink(path_.c_str());
    ::close(fd_);
}

} // namespace ulcsim::store
