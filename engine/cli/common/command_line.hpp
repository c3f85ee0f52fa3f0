#pragma once
// The parsing every command shares: its options, the scenario files as positional
// arguments, and --help.

#include "ulcsim/calendar.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace ulcsim::cli {

/// Parses `args` into `vm`: `options` are shown by --help; `positional` is the (hidden)
/// option that takes up to `max_positional` bare arguments (-1: any number). Returns false
/// when --help was asked for and printed: the command should then exit 0.
bool parse_command_line(const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        const boost::program_options::options_description& positional,
                        int max_positional, boost::program_options::variables_map& vm);

/// The month an option names ("2025-12"); a UsageError naming the option otherwise.
Month month_option(const std::string& option, const std::string& text);

/// The seed --seed names: an integer in [0, 2^63 − 1], run.seed's range; a UsageError stating
/// that range otherwise (-1, 2^64, 1.5), instead of Boost's "invalid argument" or the
/// wrapped-around value a negative number becomes as an unsigned one.
std::uint64_t seed_option(const std::string& text);

} // namespace ulcsim::cli
