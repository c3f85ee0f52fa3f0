#pragma once
// Temporary files left behind by a process that did not finish (killed with SIGKILL, a power
// cut, an out-of-memory kill): nothing removes them but the next run on the same output.

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ulcsim::store {

/// The process id in a temporary name "….tmp-PID", if the name is one.
std::optional<pid_t> temporary_owner(const std::string& filename);

/// Whether `temporary` may still be written by process `pid`: the process is alive and is an
/// ulcsim (the same program as this one, or one called ulcsim), or holds the file open. A
/// process this one may not look into counts as a writer.
bool may_be_writing(pid_t pid, const std::filesystem::path& temporary);

/// Removes the temporary files beside `output` (OUTPUT-STEM.….tmp-PID: the output's own, its
/// replicates' scratch file and the text files beside it) whose process cannot be writing them
/// any more, and returns their paths.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& output);

} // namespace ulcsim::store
