// PlannerApi on cpp-httplib: the routes, the body limit, the bounded number of comparisons,
// their progress, and one running comparison per page.

#include "ulcsim/planner_server.hpp"

#include "json_writer.hpp"
#include "planner_runs.hpp"
#include "ulcsim/memory.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ulcsim {

namespace {

void reply(httplib::Response& res, const ApiResponse& answer) {
    res.status = answer.status;
    res.set_content(answer.body, answer.content_type);
    // The page and its answers change with every build and every request.
    res.set_header("Cache-Control", "no-store");
}

void reply_errors(httplib::Response& res, int status, const std::string& message) {
    detail::JsonWriter j;
    j.raw("{").key("errors").strs({message}).raw("}");
    reply(res, {status, "application/json", j.take()});
}

bool is_form(const httplib::Request& req) {
    return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

// Why `host`:`port` cannot be bound, asked of the system with a socket of its own (cpp-httplib
// does not keep the error): the port in use, or the address not one of this machine.
std::string bind_failure(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int e = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); e != 0)
        return std::string("not an address: ") + gai_strerror(e);
    std::string why = "not an address of this machine";
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        const int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        const int bound = ::bind(fd, a->ai_addr, a->ai_addrlen);
        const int error = errno;
        close(fd);
        if (bound == 0) continue; // free now: it was taken a moment ago
        why = error == EADDRINUSE      ? "port " + service + " is in use"
              : error == EADDRNOTAVAIL ? "not an address of this machine"
                                       : std::strerror(error);
        if (error == EADDRINUSE) break;
    }
    freeaddrinfo(found);
    return why;
}

// The id a request names itself by (page session or run): empty when absent; nullopt when
// it is not one the server keeps.
std::optional<std::string> id_param(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return std::string();
    const std::string id = req.get_param_value(name);
    if (!serve::valid_run_id(id)) return std::nullopt;
    return id;
}

// The bounds of the server's comparisons. Memory: the budget `ulcsim run` would have
// (memory_budget: the machine, its control group, ulimit -v and -d, --memory-limit), less
// the program's own (MemoryEstimate::fixed), which the server holds once however many
// comparisons it runs.
serve::RunBounds run_bounds(const PlannerLimits& limits) {
    serve::RunBounds b;
    b.max_running = limits.max_running;
    b.max_waiting = limits.max_waiting;
    b.max_per_client = limits.max_per_client;
    const MemoryBudget budget = memory_budget(limits.memory_limit);
    if (budget.bytes > 0) {
        const auto fixed = static_cast<std::uint64_t>(estimate_memory(RunPlan{}, 1, 0).fixed);
        b.memory_limit = budget.bytes;
        b.memory_bytes = budget.bytes > fixed ? budget.bytes - fixed : 1;
        b.memory_source = budget.source;
    }
    return b;
}

} // namespace

struct PlannerServer::Impl {
    explicit Impl(PlannerApi api_) : api(std::move(api_)), runs(run_bounds(api.limits())) {}

    PlannerApi api;
    serve::PlannerRuns runs;
    httplib::Server server;
    // The listening socket, so that bind() can give it a longer queue of connections than
    // cpp-httplib's 5: beyond the queue the kernel drops connections whose requests have been
    // sent, and a page's requests then fail after the read timeout instead of waiting.
    int listening_socket = -1;
    std::string bind_error;

    // A place for `comparison` and then its turn to run, or nothing once the refusal (429 or
    // 503, with Retry-After when trying again helps; 409 when stopped while waiting) is in
    // `res`.
    std::unique_ptr<serve::PlannerRuns::Ticket>
    turn(const httplib::Request& req, httplib::Response& res, const std::string& session,
         const std::string& run, const PreparedComparison& comparison,
         const std::string& when_stopped) {
        auto admission = runs.admit(session, run, req.remote_addr,
                                    static_cast<std::uint64_t>(std::ceil(comparison.memory_bytes)));
        if (!admission.ticket) {
            reply_errors(res, admission.status, admission.message);
            if (admission.retry_after > 0)
                res.set_header("Retry-After", std::to_string(admission.retry_after));
            return nullptr;
        }
        if (!runs.wait_turn(*admission.ticket)) {
            reply_errors(res, 409, when_stopped);
            return nullptr;
        }
        return std::move(admission.ticket);
    }

    void compare(const httplib::Request& req, httplib::Response& res) {
        const auto session = id_param(req, "session");
        const auto run = id_param(req, "run");
        if (!session || !run) {
            reply_errors(res, 400, "session and run ids are 1 to 64 letters, digits, '-' or '_'");
            return;
        }
        // The request is read and checked, and its memory estimated, before it takes a place:
        // a body over the limit (cpp-httplib limits a body with a length, not a chunked one)
        // or a bad scenario is refused at once.
        auto prepared = api.prepare(req.body, is_form(req), req.params);
        if (const auto* refused = std::get_if<ApiResponse>(&prepared)) {
            // The page has moved on all the same: its older comparison stops.
            runs.stop_session(*session);
            reply(res, *refused);
            return;
        }
        const PreparedComparison& comparison = std::get<PreparedComparison>(prepared);
        const auto ticket = turn(req, res, *session, *run, comparison,
                                 "superseded by a newer request from the same page");
        if (!ticket) return;
        const ApiResponse answer = api.run(
            comparison, ticket->stop(), [&](const EnsembleProgress& p) { ticket->progressed(p); });
        ticket->finish(answer.status == 200   ? serve::RunState::done
                       : answer.status == 409 ? serve::RunState::stopped
                                              : serve::RunState::failed);
        reply(res, answer);
    }

    // A download of the form's comparison: from the one the API holds, else run under the
    // same admission as /api/compare (503 when full, 429 beyond the client's share). It belongs to
    // no page session, so that it neither stops nor is stopped by the page's comparisons.
    void download(const httplib::Request& req, httplib::Response& res, PlannerDownload what,
                  const std::string& filename) {
        std::optional<ApiResponse> answer = api.download(what, req.params);
        if (!answer) {
            auto prepared = api.prepare("", true, req.params);
            if (const auto* refused = std::get_if<ApiResponse>(&prepared)) {
                reply(res, *refused);
                return;
            }
            const PreparedComparison& comparison = std::get<PreparedComparison>(prepared);
            const auto ticket =
                turn(req, res, "", "", comparison, "stopped before the comparison was done");
            if (!ticket) return;
            answer = api.download(what, req.params, comparison, ticket->stop(),
                                  [&](const EnsembleProgress& p) { ticket->progressed(p); });
            ticket->finish(answer->status == 200 ? serve::RunState::done : serve::RunState::failed);
        }
        reply(res, *answer);
        if (answer->status == 200)
            res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }

    void routes() {
        server.set_socket_options([this](socket_t socket) {
            // Not cpp-httplib's default_socket_options: its SO_REUSEPORT would let a second
            // server bind the port beside the first (and the kernel share connections
            // between them). SO_REUSEADDR alone rebinds a port left in TIME_WAIT.
            const int yes = 1;
            setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            listening_socket = socket;
        });
        // Threads for every comparison running or waiting, and some for the page, the
        // region list and the progress polls, which are answered meanwhile.
        const auto& limits = api.limits();
        const auto pool = static_cast<std::size_t>(
            std::max(8, std::max(1, limits.max_running) + std::max(0, limits.max_waiting) + 4));
        server.new_task_queue = [pool] { return new httplib::ThreadPool(pool); };
        server.set_payload_max_length(limits.max_body_bytes);
        // Set here rather than left to cpp-httplib's defaults, so that the bounds are the ones
        // documented: a connection that sends nothing for this long between the bytes of a
        // request, or between requests, is dropped, and frees its thread.
        server.set_read_timeout(limits.read_timeout_seconds, 0);
        server.set_keep_alive_timeout(limits.idle_timeout_seconds);
        server.set_write_timeout(limits.write_timeout_seconds, 0);
        for (const char* path : {"/", "/planner.js", "/planner.css"})
            server.Get(path, [](const httplib::Request& req, httplib::Response& res) {
                reply(res, planner_page_file(req.path));
            });
        server.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
            reply(res, {200, "application/json", runs.health_json()});
        });
        server.Get("/api/regions", [this](const httplib::Request&, httplib::Response& res) {
            reply(res, api.regions());
        });
        server.Get("/api/scenario.toml",
                   [this](const httplib::Request& req, httplib::Response& res) {
                       reply(res, api.scenario_toml(req.params, false));
                   });
        server.Get("/api/baseline.toml",
                   [this](const httplib::Request& req, httplib::Response& res) {
                       reply(res, api.scenario_toml(req.params, true));
                   });
        server.Get("/api/progress", [this](const httplib::Request& req, httplib::Response& res) {
            const auto run = id_param(req, "run");
            if (!run || run->empty()) {
                reply_errors(res, 400, "run: 1 to 64 letters, digits, '-' or '_'");
                return;
            }
            reply(res, {200, "application/json", runs.progress_json(*run)});
        });
        server.Post("/api/compare", [this](const httplib::Request& req, httplib::Response& res) {
            compare(req, res);
        });
        server.Get("/api/results.xlsx",
                   [this](const httplib::Request& req, httplib::Response& res) {
                       download(req, res, PlannerDownload::workbook, "results.xlsx");
                   });
        server.Get("/api/report.html", [this](const httplib::Request& req, httplib::Response& res) {
            download(req, res, PlannerDownload::report, "report.html");
        });
    }
};

PlannerServer::PlannerServer(PlannerApi api) : impl_(std::make_unique<Impl>(std::move(api))) {
    impl_->routes();
}

PlannerServer::~PlannerServer() = default;

int PlannerServer::bind(const std::string& host, int port) {
    const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                                : (impl_->server.bind_to_port(host, port) ? port : -1);
    if (bound < 0) {
        impl_->bind_error = bind_failure(host, port);
        return -1;
    }
    // Listening again on a listening socket only changes its queue's length (Linux).
    if (impl_->listening_socket >= 0) ::listen(impl_->listening_socket, SOMAXCONN);
    return bound;
}

const std::string& PlannerServer::bind_error() const {
    return impl_->bind_error;
}

bool PlannerServer::listen() {
    return impl_->server.listen_after_bind();
}

void PlannerServer::stop() {
    impl_->server.stop();
}

} // namespace ulcsim
