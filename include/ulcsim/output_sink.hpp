#pragma once
/// \file
/// Where a command's files go. Every output file is written under a temporary name beside its
/// final name and renamed when complete, so that an interrupted or failed command never leaves
/// a partial file under the name a user asked for. The sink knows every temporary file alive,
/// so that a process about to die (a signal, an MPI abort from another rank) can remove them
/// at once. A sink that discards writes nothing to disk: the ranks other than 0 of a
/// distributed run compute what rank 0 writes, and their writers keep the file in memory.
///
/// A sink is an explicit object owned by whoever runs commands (the program has one, a test or
/// the Python module another); the library keeps no process-wide state.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

namespace ulcsim {

class OutputSink {
public:
    /// `discard`: write nothing to disk (files are kept in memory and dropped on commit).
    explicit OutputSink(bool discard = false);
    ~OutputSink();
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;

    bool discards() const;

    /// Marks `input` as read by the command: no output may replace it, whether named by the
    /// same path, another path to it, a hard link or a symbolic link.
    void protect_input(const std::filesystem::path& input);
    /// Throws InputError naming `output` when writing it would replace a protected input.
    /// Commands call it before they start and again before each file is moved into place.
    void refuse_if_input(const std::filesystem::path& output) const;

    /// Claims `output` for this command until the sink goes away: takes the lock OUTPUT.lock
    /// (InputError naming the output when another process is writing it, or when its
    /// directory cannot be written), then removes the temporary files that runs on it left
    /// when they ended without finishing (their process is gone, or is no ulcsim). Returns
    /// the files removed, for the command to mention. Nothing for a discarding sink or an
    /// output already claimed.
    std::vector<std::filesystem::path> claim(const std::filesystem::path& output);

    /// Removes every temporary file registered now, and the lock files of claim().
    /// Async-signal-safe (no allocation, no locks that a signal could interrupt): for a signal
    /// handler.
    void remove_temporary_files() noexcept;

    /// A temporary file registered for as long as it lives.
    class Temporary {
    public:
        Temporary(OutputSink* sink, const std::filesystem::path& path);
        ~Temporary();
        Temporary(const Temporary&) = delete;
        Temporary& operator=(const Temporary&) = delete;

    private:
        OutputSink* sink_;
        std::size_t slot_;
    };

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ulcsim
