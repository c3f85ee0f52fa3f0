#pragma once
// The subcommands of the `ulcsim` program. Each takes the arguments after its name and
// returns the process exit status; input problems are thrown as ulcsim::InputError or
// UsageError and mapped to status 2 once, in main().

#include "ulcsim/option_error.hpp"

#include <string>
#include <vector>

namespace ulcsim::cli {

/// A command line that does not follow a command's syntax (exit status 2); the library's
/// OptionError is reported the same way.
class UsageError : public OptionError {
public:
    using OptionError::OptionError;
};

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>& args);
};

int validate_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int forecast_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int target_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);
int keys_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);

} // namespace ulcsim::cli
