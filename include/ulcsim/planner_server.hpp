#pragma once
/// \file
/// `ulcsim serve`: the planner's page and its JSON API on a local HTTP server (cpp-httplib).
/// PlannerApi answers requests as plain values, so that tests call it without a network;
/// PlannerServer puts it on a socket with the page, the body limit, the cancellation of a
/// page's older requests, a bound on the comparisons running and waiting (503 beyond it) and
/// each comparison's progress.
///
///   GET  /                  the page (embedded in the program: nothing is read from disk)
///   GET  /api/health        {"status": "ok"} and the comparisons running and waiting
///   GET  /api/regions       provinces and kab/kota with their employed workers
///   GET  /api/scenario.toml the form's scenario with its programmes, regulations and outreach
///                           (query: the form fields)
///   GET  /api/baseline.toml the same without them
///   POST /api/compare       form fields, or a whole scenario as TOML text: the scenario
///                           against itself without programmes and policies
///                           (query: session=ID, run=ID)
///   GET  /api/progress?run=ID  how far that comparison is

#include "ulcsim/planner.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace ulcsim {

struct ApiResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

/// A comparison request read and checked before it runs: what it will simulate, and the
/// memory that needs (planner_memory_bytes), so that the server decides whether it fits
/// before it takes a place.
struct PreparedComparison {
    Scenario policy, baseline;
    std::optional<double> target;
    double memory_bytes = 0;
};

class PlannerApi {
public:
    PlannerApi(RegionTable regions, PlannerLimits limits);

    ApiResponse regions() const;
    /// The scenario of the form `fields`, with its programmes or (`baseline`) without.
    ApiResponse scenario_toml(const PlannerFields& fields, bool baseline) const;
    /// `body` is a scenario as TOML text unless `form` (then `fields` hold the form); `fields`
    /// also carry the optional coverage `target`. 400 with the validator's messages for bad
    /// input, 413 for a body over the limit, 409 when `stop` is set before the end.
    /// `on_progress` (if set) follows the simulation.
    ApiResponse compare(const std::string& body, bool form, const PlannerFields& fields,
                        const std::atomic<bool>* stop,
                        const std::function<void(const EnsembleProgress&)>& on_progress = {}) const;

    /// compare() in two steps: the request read and checked (the answer refusing it, 400 or
    /// 413, when it cannot run), then run.
    std::variant<PreparedComparison, ApiResponse> prepare(const std::string& body, bool form,
                                                          const PlannerFields& fields) const;
    ApiResponse run(const PreparedComparison& comparison, const std::atomic<bool>* stop,
                    const std::function<void(const EnsembleProgress&)>& on_progress = {}) const;

    const PlannerLimits& limits() const { return limits_; }

private:
    RegionTable regions_;
    PlannerLimits limits_;
};

/// The page's files, as the program carries them.
ApiResponse planner_page_file(const std::string& path);

class PlannerServer {
public:
    explicit PlannerServer(PlannerApi api);
    ~PlannerServer();
    PlannerServer(const PlannerServer&) = delete;
    PlannerServer& operator=(const PlannerServer&) = delete;

    /// Binds `host`:`port` (0: any free port); returns the port, or -1 when it cannot bind.
    /// A port another server listens on is refused, even one that allows sharing it.
    int bind(const std::string& host, int port);
    /// Why bind() failed: "port P is in use", "not an address of this machine", …
    const std::string& bind_error() const;
    /// Serves until stop(); false when the server could not run.
    bool listen();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ulcsim
