#include "temporary_file.hpp"

#include "ulcsim/input_error.hpp"

#include <string>
#include <system_error>
#include <unistd.h>

namespace ulcsim::store {

std::filesystem::path temporary_path_for(const std::filesystem::path& output) {
    std::filesystem::path temporary = output;
    temporary += ".tmp-" + std::to_string(::getpid());
    return temporary;
}

std::filesystem::path scratch_path_for(const std::filesystem::path& output) {
    std::filesystem::path scratch = output;
    scratch += ".replicates.tmp-" + std::to_string(::getpid());
    return scratch;
}

// HDF5's own message for this ("unable to open file … errno = 2") names the temporary file,
// not the one the user asked for.
void move_into_place(const std::filesystem::path& temporary, const std::filesystem::path& output,
                     bool discard) {
    if (discard) return;
    std::error_code ec;
    std::filesystem::rename(temporary, output, ec);
    if (ec)
        throw OutputError(Diagnostic{{output.string(), 0, 0, false},
                                     "",
                                     "cannot move " + temporary.filename().string() +
                                         " into place: " + ec.message()});
}

void require_directory_of(const std::filesystem::path& output, std::string_view kind,
                          bool discard) {
    if (discard) return;
    const std::filesystem::path directory =
        output.has_parent_path() ? output.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec))
        throw OutputError(Diagnostic{{output.string(), 0, 0, false},
                                     "",
                                     "cannot create this " + std::string(kind) + ": directory " +
                                         directory.string() + " does not exist"});
}

} // namespace ulcsim::store
