#pragma once
// One writer per output: two commands writing the same output at once would race for its
// temporary and final names, and the loser would fail after the winner's file was in place.

#include <filesystem>

namespace ulcsim::store {

/// OUTPUT.lock, locked with flock(2) for as long as the object lives and then removed. The
/// kernel releases the lock of a process that dies, however it dies: a lock file left by a
/// killed run does not stop the next one.
class OutputLock {
public:
    /// Throws InputError naming the output when another process holds it ("is being written
    /// by another ulcsim (pid N)") or when the lock file cannot be created (the directory is
    /// read-only, not writable, gone).
    explicit OutputLock(const std::filesystem::path& output);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

/// OUTPUT.lock.
std::filesystem::path lock_path_for(const std::filesystem::path& output);

} // namespace ulcsim::store
