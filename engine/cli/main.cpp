// The `ulcsim` program: dispatches to a subcommand and maps failures to exit statuses —
// 0 success, 2 bad input (scenario, data or command line), 1 internal failure.

#include "commands.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <array>
#include <boost/program_options/errors.hpp>
#include <iomanip>
#include <iostream>
#include <string_view>

namespace {

using ulcsim::cli::Command;

constexpr std::array<Command, 9> commands{{
    {"run", "simulate a scenario's replicates; write their series and statistics to HDF5 and CSV",
     ulcsim::cli::run_command},
    {"compare", "paired differences between scenarios with common random numbers",
     ulcsim::cli::compare_command},
    {"sweep", "an ensemble at every point of a grid of scenario values",
     ulcsim::cli::sweep_command},
    {"forecast", "when coverage reaches the ULC threshold: first-passage months by region",
     ulcsim::cli::forecast_command},
    {"calibrate", "fit behaviour parameters to observed coverage; posterior draws",
     ulcsim::cli::calibrate_command},
    {"target", "goal seeking: the smallest programme budget or months that reach a target",
     ulcsim::cli::target_command},
    {"report", "a self-contained HTML report of run files, for a browser",
     ulcsim::cli::report_command},
    {"inspect", "a terminal summary of a run file: scenario, seed, sizes, headline figures",
     ulcsim::cli::inspect_command},
    {"validate", "check scenario files and report every problem", ulcsim::cli::validate_command},
}};

void print_help(std::ostream& out) {
    out << "ulcsim " << ulcsim::engine_version()
        << " — agent-based simulation of employment social-security coverage (BPJS\n"
           "Ketenagakerjaan) in Indonesia.\n\n"
           "Usage: ulcsim COMMAND [ARGS...]\n"
           "       ulcsim COMMAND --help\n\n"
           "Commands:\n";
    std::size_t width = 0;
    for (const Command& c : commands)
        width = std::max(width, std::string_view(c.name).size());
    for (const Command& c : commands)
        out << "  " << std::left << std::setw(static_cast<int>(width + 2)) << c.name << c.summary
            << '\n';
    out << "\nExit status: 0 success, 2 bad input, 1 internal failure, 130 interrupted.\n"
           "Scenario language: scenarios/README.md\n";
}

int dispatch(int argc, char** argv) {
    if (argc < 2) {
        print_help(std::cerr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_help(std::cout);
        return 0;
    }
    if (name == "--version") {
        std::cout << "ulcsim " << ulcsim::engine_version() << '\n';
        return 0;
    }
    for (const Command& c : commands)
        if (name == c.name) return c.run(std::vector<std::string>(argv + 2, argv + argc));
    throw ulcsim::cli::UsageError("unknown command '" + std::string(name) +
                                  "' (run 'ulcsim --help' for the list)");
}

} // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const ulcsim::InputError& e) {
        for (const ulcsim::Diagnostic& d : e.diagnostics())
            std::cerr << d.format() << '\n';
        return 2;
    } catch (const ulcsim::cli::Interrupted& e) {
        std::cerr << "ulcsim: " << e.what() << '\n';
        return 130;
    } catch (const ulcsim::cli::UsageError& e) {
        std::cerr << "ulcsim: error: " << e.what() << '\n';
        return 2;
    } catch (const boost::program_options::error& e) {
        std::cerr << "ulcsim: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "ulcsim: internal error: " << e.what() << '\n';
        return 1;
    }
}
