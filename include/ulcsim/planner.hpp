#pragma once
/// \file
/// The planner's desk behind `ulcsim serve`: a region's baseline and the programmes a planner
/// adds to it, written as a scenario (TOML text that `ulcsim compare` reproduces), and the
/// comparison of the two with common random numbers — series with intervals, workers added,
/// rupiah by source, the cost per added covered worker-year and when a coverage goal is
/// reached. Pure functions of their inputs, so that the web API built on them is tested
/// without a network.

#include "ulcsim/calendar.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/execution.hpp"
#include "ulcsim/planner_baseline.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/regions.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// What one request may make the server simulate, so that one planner cannot occupy the
/// machine: larger areas are simulated with more workers per agent.
struct PlannerLimits {
    std::int64_t max_agents = 200'000; ///< per replicate, at the start
    int max_replicates = 50;
    int max_months = 240;
    std::size_t max_body_bytes = 1 << 20; ///< a request body beyond this is refused (413)
    int threads = 0;                      ///< per request's ensemble; 0: every core
    /// Comparisons simulated at once, and comparisons waiting for their turn: a request
    /// beyond both is refused with 503 (a burst is not queued without bound).
    int max_running = 2;
    int max_waiting = 4;
    /// Comparisons one client (one remote address) may have running and waiting at once:
    /// beyond it that client's request is refused with 429, so that one client cannot take
    /// every place while another is refused. Below max_running, so that one client cannot
    /// take every turn either: another's comparison starts at once. (A page's newer request
    /// takes its older one's place, so one page needs one.) Behind a proxy every client is
    /// the proxy's address: raise it to max_running + max_waiting there.
    int max_per_client = 1;
    /// The memory the running comparisons' estimates (estimate_memory) may add up to, in
    /// bytes; 0: the machine's, as `ulcsim run` finds it (memory_budget). A comparison that
    /// does not fit beside the running ones waits; one that cannot fit alone is refused (503).
    std::uint64_t memory_limit = 0;
    /// Seconds a connection may wait between the bytes of a request (a slow client) and for
    /// its next request (an idle keep-alive connection) before the server drops it; and the
    /// seconds an answer may take to be accepted by a client that does not read it.
    int read_timeout_seconds = 5;
    int idle_timeout_seconds = 5;
    int write_timeout_seconds = 5;
};

/// A funding programme as the page edits it.
struct PlannerProgramme {
    ProgrammeKind kind = ProgrammeKind::apbd_kabkota;
    double budget_idr_per_year = 0; ///< 0: no budget limit
    std::optional<Month> start;     ///< unset: the run's start
    int months = 12;
    std::int64_t quota_workers = 0;  ///< 0: no quota
    std::int64_t quota_per_desa = 0; ///< most members in each desa/kelurahan; 0: no limit
    std::array<bool, segment_count> segments{false, false, true};
    int max_income_band = 4;
    double member_share = 0; ///< the co-payment: share of the premium the member pays
    double premium_idr_per_month = statutory_bpu_premium_idr;
};

/// A regulation as the page edits it: an enforcement policy (a Perda/Perbup requiring active
/// membership, with its tender and permit conditions).
struct PlannerRegulation {
    std::optional<Month> start; ///< unset: the run's start
    int months = 0;             ///< 0: in force to the end of the run
    double register_multiplier = 1;
    /// The occupations it acts on (["construction"]: a condition on construction tenders);
    /// empty: all.
    std::vector<std::string> occupations;
    double permit_rate = 0;
    double permit_compliance = 0.5;
    double cost_idr_per_month = 0;
};

/// An outreach campaign as the page edits it: a campaign policy.
struct PlannerOutreach {
    std::optional<Month> start; ///< unset: the run's start
    int months = 12;            ///< 0: to the end of the run
    double awareness_gain = 0;
    double fear_reduction = 0;
    std::optional<double> registration_success; ///< assisted registration while in force
    std::optional<double> within_km_of_office;  ///< unset: every village
    double cost_idr_per_worker_month = 0;
    double cost_idr_per_month = 0;
};

/// A region's baseline and the programmes, regulations and outreach added to it.
struct PlannerRequest {
    std::string region; ///< a kab/kota ("33.71") or province ("33") code
    Month start{2025, 1};
    int months = 36;
    int replicates = 10;
    std::uint64_t seed = 1;
    std::vector<PlannerProgramme> programmes;
    std::vector<PlannerRegulation> regulations;
    std::vector<PlannerOutreach> outreach;
};

/// Form fields as a request carries them (repeated names in order: programme i takes the
/// i-th value of each programme field).
using PlannerFields = std::multimap<std::string, std::string>;

/// Reads a request from form fields: region, start, months, replicates, seed; for each
/// programme kind, budget, from, funded_months, quota, quota_per_desa, segments
/// (comma-separated), max_income_band, member_share, premium; for each regulation
/// regulation_from, regulation_months, register_multiplier, regulation_occupations
/// (comma-separated), permit_rate, permit_compliance, regulation_cost; for each outreach
/// campaign outreach_from, outreach_months, awareness_gain, fear_reduction,
/// registration_success, within_km_of_office, outreach_cost_per_worker, outreach_cost. The
/// i-th value of a field belongs to the i-th entry (an empty value: the default); there are
/// as many programmes as `kind` values, and as many regulations (outreach campaigns) as the
/// most values any of their fields has. Throws InputError naming the field of a value that
/// is not a number or not a known name; ranges are the scenario validator's to check.
PlannerRequest planner_request(const PlannerFields& fields);

/// The request as a scenario: the region at one agent per worker or, above the limit's
/// agents, at the fewest workers per agent that fit; starting coverage from the province's
/// Dec 2023 participants; the employer registration at its steady state. When `baseline`,
/// the planner's baseline of it (ulcsim/planner_baseline.hpp): without programmes, and
/// without the regulations and outreach starting within the run (those from before its start
/// stay). Throws InputError for an unknown region.
std::string planner_scenario_toml(const PlannerRequest& request, const RegionTable& regions,
                                  const PlannerLimits& limits, bool baseline);

/// Mean, 5th and 95th percentile over replicates.
struct PlannerInterval {
    double mean = 0, p05 = 0, p95 = 0;
};

/// When coverage (covered / labour force) first reaches a goal, over replicates.
struct GoalReached {
    double share_reaching = 0;         ///< of replicates, within the run
    std::optional<Month> median_month; ///< among those reaching it, when at least half do
};

/// A scenario against its planner's baseline (ulcsim/planner_baseline.hpp).
struct PlannerComparison {
    Scenario policy;
    Scenario baseline;
    /// What the baseline removed of the scenario's programmes and policies, and what it kept.
    BaselineContents baseline_levers;
    /// Both scenarios' monthly totals, replicate by replicate, as `compare` keeps them: what
    /// the workbook and the report page of the comparison are made from.
    ComparedTotals totals;
    std::vector<Month> months;
    std::vector<PlannerInterval> baseline_coverage; ///< covered / labour force, by month
    std::vector<PlannerInterval> policy_coverage;
    std::vector<PlannerInterval> workers_added; ///< covered, policy − baseline, paired
    std::optional<Month> funding_ends;          ///< the last month any window funds
    std::optional<PlannerInterval> workers_added_at_funding_end;
    /// Rupiah over the run by source: each programme kind's premiums, members' co-payments
    /// ("member") and what regulations and outreach cost ("policies").
    std::vector<std::pair<std::string, PlannerInterval>> rupiah_by_source;
    double goal = 1; ///< coverage share: the request's target or the scenario's ULC threshold
    GoalReached baseline_goal, policy_goal;
    /// What `ulcsim compare BASELINE POLICY` reports, measure by measure.
    std::vector<OutcomeMeasure> measures;
    MeasuredScenarios measured;
    std::int64_t agents_per_replicate = 0;
    double workers_per_agent = 1;
};

/// Refuses a scenario larger than the limits allow, saying what would make it fit.
void check_planner_limits(const Scenario& scenario, const PlannerLimits& limits);

/// The memory compare_planner(policy, baseline, threads, …) needs beyond the program's own:
/// estimate_memory of its ensemble (both scenarios' replicates, one in flight per thread),
/// less MemoryEstimate::fixed, which a server running many comparisons holds once.
double planner_memory_bytes(const Scenario& policy, const Scenario& baseline, int threads);

/// Runs `policy` and `baseline` (its planner's baseline) with common
/// random numbers on `threads` threads; stops with ulcsim::Stopped once `stop` is set.
/// `goal`: the coverage share to report reaching (unset: the scenario's ULC threshold).
/// `on_progress` (if set) is told how far both ensembles together are.
PlannerComparison
compare_planner(const Scenario& policy, const Scenario& baseline, int threads,
                const std::atomic<bool>* stop, std::optional<double> goal,
                const std::function<void(const EnsembleProgress&)>& on_progress = {});

/// The comparison as the page's JSON.
std::string planner_comparison_json(const PlannerComparison& comparison);

/// Provinces and kab/kota with their employed workers, as JSON.
std::string planner_regions_json(const RegionTable& regions);

} // namespace ulcsim
