#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "ulcsim/memory.hpp"
#include "ulcsim/planner_server.hpp"

#include <boost/program_options.hpp>
#include <iostream>

namespace ulcsim::cli {

namespace po = boost::program_options;

int serve_command(const std::vector<std::string>& args) {
    std::string host = "127.0.0.1";
    int port = 8080;
    PlannerLimits limits;
    int max_agents = static_cast<int>(limits.max_agents);
    std::string memory_limit;
    po::options_description options(
        "Usage: ulcsim serve [--host ADDRESS] [--port N] [options]\n\n"
        "The planner's web app: open the printed address in a browser, pick a province or\n"
        "kab/kota, add funding programmes and see their effect against the region's baseline\n"
        "(common random numbers), then download the scenario as TOML for `ulcsim compare`,\n"
        "the results as CSV or XLSX, and the report page.\n"
        "Listens on the loopback address only unless --host says otherwise; writes no files\n"
        "(a downloaded workbook goes through a private temporary folder, removed once sent).\n"
        "The JSON API: README.md, \"The planner's web app\".\n"
        "Ctrl-C or SIGTERM ends it with exit status 130, like every command.\n\nOptions");
    options.add_options()("help,h", "show this help")(
        "host", po::value<std::string>(&host),
        "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")(
        "port", po::value<int>(&port), "port (default 8080; 0: any free port, printed)")(
        "threads", po::value<int>(&limits.threads),
        "threads of each comparison (default: every core)")(
        "max-agents", po::value<int>(&max_agents),
        "agents per replicate a request may simulate; larger areas run with more workers "
        "per agent (default 200000)")("max-replicates", po::value<int>(&limits.max_replicates),
                                      "replicates a request may ask for (default 50)")(
        "max-running", po::value<int>(&limits.max_running),
        "comparisons simulated at once (default 2)")(
        "max-waiting", po::value<int>(&limits.max_waiting),
        "comparisons waiting for their turn (default 4); beyond them a comparison is "
        "answered 503 with Retry-After")(
        "max-per-client", po::value<int>(&limits.max_per_client),
        "comparisons one client (remote address) may have running and waiting (default 1: a "
        "page's newer comparison takes its older one's place); beyond them its comparison is "
        "answered 429 with Retry-After. Behind a proxy every client has the proxy's address: "
        "raise it to --max-running + --max-waiting")(
        "memory-limit", po::value<std::string>(&memory_limit),
        "memory the running comparisons may need together, as estimated before each runs "
        "(default: the machine's, its control group's or ulimit's, as for `ulcsim run`); one "
        "that does not fit beside them waits, one that cannot fit alone is answered 503")(
        "read-timeout", po::value<int>(&limits.read_timeout_seconds),
        "seconds a client may pause while sending a request before it is dropped (default 5)")(
        "idle-timeout", po::value<int>(&limits.idle_timeout_seconds),
        "seconds a kept-alive connection may wait for its next request before it is dropped "
        "(default 5)");
    std::vector<std::string> none; // serve takes no file: a bare argument is refused
    po::options_description hidden;
    hidden.add_options()("argument", po::value<std::vector<std::string>>(&none));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 0, vm)) return 0;
    if (port < 0 || port > 65535) throw UsageError("--port must be between 0 and 65535");
    if (limits.threads < 0 || limits.threads > 1024)
        throw UsageError("--threads must be between 0 (every core) and 1024");
    if (max_agents < 1000) throw UsageError("--max-agents must be at least 1000");
    if (limits.max_replicates < 1 || limits.max_replicates > 100'000)
        throw UsageError("--max-replicates must be between 1 and 100000 (run.replicates' range)");
    if (limits.max_running < 1 || limits.max_running > 64)
        throw UsageError("--max-running must be between 1 and 64");
    if (limits.max_waiting < 0 || limits.max_waiting > 1000)
        throw UsageError("--max-waiting must be between 0 and 1000");
    if (limits.max_per_client < 1 || limits.max_per_client > 1000)
        throw UsageError("--max-per-client must be between 1 and 1000");
    if (limits.read_timeout_seconds < 1 || limits.read_timeout_seconds > 3600)
        throw UsageError("--read-timeout must be between 1 and 3600 seconds");
    if (limits.idle_timeout_seconds < 1 || limits.idle_timeout_seconds > 3600)
        throw UsageError("--idle-timeout must be between 1 and 3600 seconds");
    if (vm.count("memory-limit"))
        limits.memory_limit = parse_byte_size(memory_limit, "--memory-limit");
    limits.max_agents = max_agents;

    PlannerServer server(PlannerApi(RegionTable::load(RegionTable::default_data_dir()), limits));
    const int bound = server.bind(host, port);
    if (bound < 0)
        throw UsageError("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                         server.bind_error() +
                         (server.bind_error().find("in use") != std::string::npos
                              ? " (another ulcsim serve, or another program; choose another "
                                "with --port)"
                              : ""));
    const bool ipv6 = host.find(':') != std::string::npos;
    std::cout << "ulcsim serve: http://" << (ipv6 ? "[" + host + "]" : host) << ':' << bound
              << "/  (Ctrl-C to stop)" << std::endl;
    if (!server.listen()) throw std::runtime_error("the server stopped unexpectedly");
    return 0;
}

} // namespace ulcsim::cli
