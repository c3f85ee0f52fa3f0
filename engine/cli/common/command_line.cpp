#include "command_line.hpp"

#include "commands.hpp"

#include <iostream>
#include <string>

namespace ulcsim::cli {

namespace po = boost::program_options;

bool parse_command_line(const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::options_description& positional, int max_positional,
                        po::variables_map& vm) {
    po::options_description all;
    all.add(options).add(positional);
    po::positional_options_description bare;
    bare.add(positional.options().front()->long_name().c_str(), max_positional);
    po::store(po::command_line_parser(args).options(all).positional(bare).run(), vm);
    if (vm.count("help")) {
        std::cout << options << '\n';
        return false;
    }
    po::notify(vm);
    return true;
}

Month month_option(const std::string& option, const std::string& text) {
    const auto month = Month::parse(text);
    if (!month) throw UsageError(option + " " + text + ": expected a month YYYY-MM");
    return *month;
}

std::uint64_t seed_option(const std::string& text) {
    constexpr std::uint64_t largest = (std::uint64_t{1} << 63) - 1;
    const auto bad = [&] {
        return UsageError("--seed " + text + ": expected an integer in [0, " +
                          std::to_string(largest) + "]");
    };
    if (text.empty() || text.size() > 19 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        throw bad();
    const std::uint64_t seed = std::stoull(text);
    if (seed > largest) throw bad();
    return seed;
}

} // namespace ulcsim::cli
