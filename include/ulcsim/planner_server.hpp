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
///   GET  /api/results.xlsx  the form's comparison as the workbook `ulcsim compare --xlsx`
///                           writes of baseline.toml against scenario.toml (query: the form)
///   GET  /api/report.html   the same comparison as the page `ulcsim report` writes of it
///                           (query: the form, and lang=id or en)

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

/// What the page downloads of a comparison besides its scenarios.
enum class PlannerDownload { workbook, report };
/// A comparison request read and checked before it runs: what it will simulate, and the
/// memory that needs (planner_memory_bytes), so that the server decides whether it fits
/// before it takes a place.
struct PreparedComparison {
    std::string toml; ///< the scenario text, by which the API holds the comparison
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
    /// Runs a prepared comparison (409 when `stop` is set before the end) and holds it for
    /// the downloads.
    ApiResponse run(const PreparedComparison& comparison, const std::atomic<bool>* stop,
                    const std::function<void(const EnsembleProgress&)>& on_progress = {}) const;

    /// The comparison of the form `fields` as a workbook (the one `ulcsim compare --xlsx`
    /// writes of baseline.toml against scenario.toml) or as a report page (the one `ulcsim
    /// report` writes of that comparison; Indonesian unless `fields` say lang=en), made from
    /// the comparison held for the same scenario (the API holds the last few it ran).
    /// Nothing when it holds none (prepare() the form and download() with it); 400 with the
    /// located messages for a bad form.
    std::optional<ApiResponse> download(PlannerDownload what, const PlannerFields& fields) const;
    /// The same, running the prepared comparison of the form first (as run()).
    ApiResponse
    download(PlannerDownload what, const PlannerFields& fields,
             const PreparedComparison& comparison, const std::atomic<bool>* stop,
             const std::function<void(const EnsembleProgress&)>& on_progress = {}) const;

    const PlannerLimits& limits() const { return limits_; }

    /// Comparisons held for the downloads, the most recent ones.
    static constexpr std::size_t held_comparisons = 4;

private:
    struct Held;
    std::shared_ptr<const PlannerComparison>
    run_comparison(const PreparedComparison& comparison, const std::atomic<bool>* stop,
                   const std::function<void(const EnsembleProgress&)>& on_progress) const;

    RegionTable regions_;
    PlannerLimits limits_;
    std::shared_ptr<Held> held_; ///< shared by copies of the API
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
