#pragma once
/// \file
/// The text files (CSV, TOML, a workbook) a command writes beside its HDF5 output, committed
/// with it: each is written under a temporary name, the HDF5 file is committed, then they are
/// renamed, so that all of them appear only when all are complete and none after a failure.
/// The program and the Python module write them through the same function.

#include <filesystem>
#include <functional>
#include <ostream>
#include <vector>

namespace ulcsim {

class OutputSink;

/// The file beside `output` with its extension replaced: beside("run.h5", ".summary.csv") is
/// "run.summary.csv".
std::filesystem::path path_beside(std::filesystem::path output, const char* extension);

/// A text file to put beside an HDF5 output, and what writes it; or, with write_file, a file
/// its writer creates itself at the (temporary) path it is given (a workbook).
struct TextOutput {
    std::filesystem::path path;
    std::function<void(std::ostream&)> write;
    std::function<void(const std::filesystem::path&)> write_file = {};
};

/// Writes `texts` under temporary names (OUTPUT.tmp-PID, registered with `sink`, so that the
/// next run on the output recognises them should this process be killed), calls
/// `before_commit` (when given) and `commit` (the HDF5 writer's), then renames them. Refuses
/// (InputError) a text file that would replace one of the sink's inputs; OutputError naming
/// the file when it cannot be written. With a discarding sink, only commits.
void commit_with_text_files(const std::vector<TextOutput>& texts,
                            const std::function<void()>& commit, OutputSink* sink,
                            const std::function<void()>& before_commit = {});

} // namespace ulcsim
