#pragma once
/// \file
/// Errors in user input (scenario files, region data, command-line overrides). Every problem
/// carries where it is and which key it concerns, and all problems of an input are gathered
/// before anything is thrown, so that a user fixes a file in one pass.

#include <stdexcept>
#include <string>
#include <vector>

namespace ulcsim {

/// Where in the input a problem is. `file` is a path, or the text of a `--set` argument when
/// `from_command_line` is true; line and column are 1-based, 0 when unknown.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
    bool from_command_line = false;
};

/// One problem: where, which key (full dotted path, may be empty), and what is wrong.
struct Diagnostic {
    SourceLocation where;
    std::string key;
    std::string message;
    /// Something the input asks that it cannot get, which does not stop a run.
    bool warning = false;

    /// "FILE:LINE:COLUMN: error: KEY: MESSAGE" ("warning:" for a warning), or
    /// "--set K=V: error: KEY: MESSAGE".
    std::string format() const;
};

/// Thrown when input is invalid; carries every problem found, in reading order (by source,
/// then line and column). The CLI maps it to exit 2.
class InputError : public std::runtime_error {
public:
    explicit InputError(std::vector<Diagnostic> diagnostics);
    explicit InputError(Diagnostic diagnostic);
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

private:
    enum Sorted { sorted };
    InputError(std::vector<Diagnostic> diagnostics, Sorted);
    std::vector<Diagnostic> diagnostics_;
};

/// An output that cannot be written — its folder is gone or read-only, the disk is full, a
/// file size limit is reached — named with the reason. Like bad input, it is the user's to
/// fix (exit status 2), and nothing is left under the output's name.
class OutputError : public InputError {
public:
    using InputError::InputError;
};

} // namespace ulcsim
