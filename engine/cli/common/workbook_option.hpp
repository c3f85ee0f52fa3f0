#pragma once
// --xlsx FILE, which the commands that write results share: the option, the checks on the
// file before anything runs, and the workbook as one more output committed with the others.

#include "ensemble_command.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim::cli {

struct WorkbookOption {
    std::string file;

    /// Adds --xlsx with `contents` (what the workbook holds) in its help.
    void add_to(boost::program_options::options_description& options, const std::string& contents);

    /// The workbook to write, or none without --xlsx. Checked before anything runs: it ends in
    /// .xlsx, is none of the command's inputs nor `other_outputs`, and its directory exists
    /// (UsageError or InputError: exit 2); then claimed like an output (its lock, for the rest
    /// of the command).
    std::optional<std::filesystem::path>
    path(const std::vector<std::filesystem::path>& other_outputs = {}) const;
};

/// The workbook as an output of commit_with_text_files(): written by `write` under a
/// temporary name, moved into place with the others.
TextOutput workbook_output(const std::filesystem::path& path,
                           std::function<void(const std::filesystem::path&)> write);

} // namespace ulcsim::cli
