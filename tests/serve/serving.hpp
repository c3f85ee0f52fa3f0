#pragma once
// A planner server on a free port of 127.0.0.1, for the serve tests.

#include "ulcsim/planner_server.hpp"
#include "ulcsim/regions.hpp"

#include <thread>

namespace ulcsim::test {

/// A server on a free port of 127.0.0.1 with `limits`, serving in a thread until it goes.
class Serving {
public:
    explicit Serving(PlannerLimits limits)
        : server_(PlannerApi(RegionTable::load(RegionTable::default_data_dir()), limits)) {
        port_ = server_.bind("127.0.0.1", 0);
        if (port_ > 0) thread_ = std::thread([this] { server_.listen(); });
    }
    ~Serving() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    Serving(const Serving&) = delete;
    Serving& operator=(const Serving&) = delete;
    int port() const { return port_; }

private:
    PlannerServer server_;
    int port_ = -1;
    std::thread thread_;
};

} // namespace ulcsim::test
