// The `ulcsim` program: dispatches to a subcommand and maps failures to exit statuses —
// 0 success, 2 bad input (scenario, data or command line, or an output that cannot be
// written), 1 internal failure (running out of memory after the memory pre-check passed
// included: out_of_memory.hpp), 130 interrupted by SIGINT or SIGTERM (interruption.hpp).
// Built with ULCSIM_MPI, every rank of an mpirun job runs the same command: rank 0 prints
// and writes, and a failure on any rank ends the whole job.

#include "commands.hpp"
#include "interruption.hpp"
#include "out_of_memory.hpp"
#include "process_role.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/output_sink.hpp"
#include "ulcsim/version.hpp"
#ifdef ULCSIM_MPI
#include "ulcsim/mpi_cluster.hpp"

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>
#endif

#include <algorithm>
#include <array>
#include <boost/program_options/errors.hpp>
#include <iomanip>
#include <iostream>
#include <new>
#include <string_view>

namespace {

using ulcsim::cli::Command;

constexpr std::array<Command, 11> commands{{
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
    {"serve", "the planner's web app: pick a region, add programmes, see the effect",
     ulcsim::cli::serve_command},
    {"validate", "check scenario files and report every problem", ulcsim::cli::validate_command},
    {"keys", "the keys of the scenario language: type, range, what may be fitted or varied",
     ulcsim::cli::keys_command},
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
#ifdef ULCSIM_MPI
    out << "Built for Open MPI: `mpirun -n P ulcsim COMMAND …` shares the work of run, compare,\n"
           "sweep, forecast, calibrate and target (README.md: Running on a cluster).\n";
#endif
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

/// Runs the command; a failure's message goes to `errors` and its exit status is returned.
int run_command_line(int argc, char** argv, std::ostream& errors) {
    try {
        return dispatch(argc, argv);
    } catch (const ulcsim::InputError& e) {
        for (const ulcsim::Diagnostic& d : e.diagnostics())
            errors << d.format() << '\n';
        return 2;
    } catch (const ulcsim::OptionError& e) {
        // UsageError, and the library's checks of the options it shares with Python.
        errors << "ulcsim: error: " << e.what() << '\n';
        return 2;
    } catch (const boost::program_options::error& e) {
        errors << "ulcsim: error: " << e.what() << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        // Not bad input: the run passed the memory pre-check (or had none), so the estimate
        // fell short or the memory went elsewhere. Status 1, but a message that says what to
        // lower; the temporaries went with the unwinding.
        errors << "ulcsim: error: " << ulcsim::cli::out_of_memory_message() << '\n';
        return 1;
    } catch (const std::exception& e) {
        errors << "ulcsim: internal error: " << e.what() << '\n';
        return 1;
    }
}

#ifdef ULCSIM_MPI

/// Swallows what the ranks other than 0 would print.
class Silence : public std::streambuf {
protected:
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

int run_as_rank(int argc, char** argv, ulcsim::MpiCluster& cluster) {
    using ulcsim::cli::ProcessRole;
    const int rank = cluster.rank();
    // Ranks other than 0 compute what rank 0 writes: their files stay in memory.
    ulcsim::OutputSink sink(rank != 0);
    // SIGTERM is how mpirun ends the ranks of a job that one rank aborted: the temporary
    // output goes with the process, quietly (the failing rank says why).
    const ulcsim::cli::EndOnInterrupt end_on_interrupt(sink, false);
    ulcsim::cli::set_process_role(
        ProcessRole{rank, cluster.size(), cluster.ranks_on_this_machine(), &cluster, &sink});
    std::ostream stderr_stream(std::cerr.rdbuf());
    Silence silence;
    struct Restore {
        std::streambuf* out = std::cout.rdbuf();
        std::streambuf* err = std::cerr.rdbuf();
        ~Restore() {
            std::cout.rdbuf(out);
            std::cerr.rdbuf(err);
        }
    } restore;
    if (rank != 0) {
        std::cout.rdbuf(&silence);
        std::cerr.rdbuf(&silence);
    }
    std::ostringstream failure;
    int status = 0;
    try {
        status = run_command_line(argc, argv, failure);
    } catch (const ulcsim::cli::ShareDone&) {
        return 0;
    }
    if (failure.str().empty()) return status;
    // Input every rank reads fails on every rank: rank 0 alone says so, and its abort ends
    // the others while they wait here. A failure of this rank alone is printed after the
    // wait, with the rank.
    std::cout.flush();
    if (rank != 0) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        stderr_stream << "ulcsim: rank " << rank << " of " << cluster.size() << " failed:\n";
    }
    stderr_stream << failure.str() << std::flush;
    // The abort ends the process without unwinding: what the sink holds (temporaries, the
    // output's lock file) goes now.
    sink.remove_temporary_files();
    cluster.abort(status);
}

#endif

} // namespace

int main(int argc, char** argv) {
    // Before any thread (MPI's, TBB's, the server's) takes an arena of its own.
    ulcsim::limit_malloc_arenas_under_address_space_limit();
#ifdef ULCSIM_MPI
    std::optional<ulcsim::MpiCluster> cluster;
    try {
        cluster.emplace(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "ulcsim: internal error: " << e.what() << '\n';
        return 1;
    }
    if (cluster->size() > 1) return run_as_rank(argc, argv, *cluster);
#endif
    ulcsim::OutputSink sink;
    const ulcsim::cli::EndOnInterrupt end_on_interrupt(sink, true);
    ulcsim::cli::ProcessRole role;
    role.output = &sink;
    ulcsim::cli::set_process_role(role);
    return run_command_line(argc, argv, std::cerr);
}
