// PlannerApi on cpp-httplib: the routes, the body limit, and one running comparison per page.

#include "ulcsim/planner_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

namespace ulcsim {

namespace {

void reply(httplib::Response& res, const ApiResponse& answer) {
    res.status = answer.status;
    res.set_content(answer.body, answer.content_type);
    // The page and its answers change with every build and every request.
    res.set_header("Cache-Control", "no-store");
}

bool is_form(const httplib::Request& req) {
    return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

} // namespace

struct PlannerServer::Impl {
    explicit Impl(PlannerApi api_) : api(std::move(api_)) {}

    PlannerApi api;
    httplib::Server server;
    // The listening socket, so that bind() can give it a longer queue of connections than
    // cpp-httplib's 5: beyond the queue the kernel drops connections whose requests have been
    // sent, and a page's requests then fail after the read timeout instead of waiting.
    int listening_socket = -1;
    // A page names itself with a session id; a newer comparison from the same page sets the
    // stop flag of the one still running, whose ensemble then ends between months.
    std::mutex sessions_mutex;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> running;

    std::shared_ptr<std::atomic<bool>> start_for(const std::string& session) {
        auto flag = std::make_shared<std::atomic<bool>>(false);
        if (session.empty()) return flag;
        const std::lock_guard lock(sessions_mutex);
        auto& current = running[session];
        if (current) *current = true;
        current = flag;
        return flag;
    }
    void finished(const std::string& session, const std::shared_ptr<std::atomic<bool>>& flag) {
        if (session.empty()) return;
        const std::lock_guard lock(sessions_mutex);
        const auto it = running.find(session);
        if (it != running.end() && it->second == flag) running.erase(it);
    }

    void routes() {
        server.set_socket_options([this](socket_t socket) {
            httplib::default_socket_options(socket);
            listening_socket = socket;
        });
        server.set_payload_max_length(api.limits().max_body_bytes);
        for (const char* path : {"/", "/planner.js", "/planner.css"})
            server.Get(path, [](const httplib::Request& req, httplib::Response& res) {
                reply(res, planner_page_file(req.path));
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
        server.Post("/api/compare", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string session =
                req.has_param("session") ? req.get_param_value("session") : std::string();
            const auto flag = start_for(session);
            reply(res, api.compare(req.body, is_form(req), req.params, flag.get()));
            finished(session, flag);
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
    // Listening again on a listening socket only changes its queue's length (Linux).
    if (bound > 0 && impl_->listening_socket >= 0) ::listen(impl_->listening_socket, SOMAXCONN);
    return bound;
}

bool PlannerServer::listen() {
    return impl_->server.listen_after_bind();
}

void PlannerServer::stop() {
    impl_->server.stop();
}

} // namespace ulcsim
