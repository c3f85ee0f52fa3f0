#pragma once
// How an output file comes to be: written under a temporary name beside the output (unique to
// the process) and moved into place on commit, so that an interrupted command never leaves a
// partial file under the name a user asked for.

#include <filesystem>
#include <string_view>

namespace ulcsim::store {

/// OUTPUT.tmp-PID.
std::filesystem::path temporary_path_for(const std::filesystem::path& output);
/// OUTPUT.replicates.tmp-PID: the replicates' scratch file of a run that keeps only summaries.
std::filesystem::path scratch_path_for(const std::filesystem::path& output);
/// Renames `temporary` to `output` (nothing when the output is discarded), with an error that
/// names both.
void move_into_place(const std::filesystem::path& temporary, const std::filesystem::path& output,
                     bool discard);
/// Throws naming the output when its directory does not exist (unless it is discarded: the
/// ranks that write nothing need not see rank 0's directory).
void require_directory_of(const std::filesystem::path& output, std::string_view kind, bool discard);

} // namespace ulcsim::store
