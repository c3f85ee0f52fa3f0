#pragma once
/// \file
/// A planner's four questions about one run, answered in numbers: how many workers are
/// covered, how many a policy adds against its baseline (the same scenario without
/// programmes, or a run the planner names), what it costs by programme, the cost per added
/// covered worker-year, and when the area reaches ULC. Plain figures, no page: the report
/// draws them and any other writer (a workbook) can reuse them.
///
/// Everything is computed from RunTotals, a run's monthly totals over its whole area and all
/// segments, one row per replicate. They come from a run file (its /series and /programs, or
/// only its summaries' means when it kept no replicates), from a scenario simulated here (the
/// automatic baseline), or from one scenario of a `compare` result (its /monthly).
///
/// Accounting identities the summary keeps (tests/report/planner_summary_test.cpp):
///   added worker-months = Σ over months of (run covered − baseline covered), mean over rows;
///   cost per added covered worker-year = (run money − baseline money) ÷ (added worker-months
///   ÷ 12), a ratio of the means as `compare` reports it (ulcsim/outcome.hpp).

#include "ulcsim/execution.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/planner_baseline.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/tally.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// Mean and 90% interval (5th and 95th percentile) over replicates.
struct SummaryInterval {
    double mean = 0, p05 = 0, p95 = 0;
};

/// Where a run is: one kab/kota or one province by name, else how many of each.
struct SummaryArea {
    std::string name;          ///< the kab/kota or province; empty for several provinces
    std::string level;         ///< "kabkota", "province" or "regions"
    std::size_t regions = 0;   ///< kab/kota simulated
    std::size_t provinces = 0; ///< provinces they lie in
};

/// Where a scenario's regions are.
SummaryArea summary_area_of(const Scenario& scenario);

/// A run's monthly totals, whole area and all segments: [row][month], a row per replicate,
/// or one row of means over replicates when the run kept only its summaries.
struct RunTotals {
    std::string scenario;
    std::string file; ///< the file it was read from ("" when simulated here)
    SummaryArea area;
    std::vector<std::string> months; ///< "YYYY-MM"
    std::uint64_t seed = 0;
    std::size_t replicates = 0; ///< of the run
    bool per_replicate = true;  ///< false: a single row of means
    std::vector<std::vector<double>> labour_force, covered;
    /// Active participants registered in the area (the coverage share's numerator); empty
    /// when the source does not hold it (a compare result).
    std::vector<std::vector<double>> covered_registered;
    /// Members of all programmes and the cost of the policies in force (campaigns,
    /// regulations).
    std::vector<std::vector<double>> programme_members, policy_cost_idr;
    std::vector<std::string> programmes;      ///< names
    std::vector<std::string> programme_kinds; ///< "apbd_kabkota", …; "" when unknown
    std::vector<std::vector<std::vector<double>>> spent_idr; ///< [row][programme][month]
    /// The scenario's ULC: coverage share or resident coverage at or above a threshold.
    std::optional<UlcDefinition> ulc;
    /// The scenario as stored with the run ("" when the source holds none).
    std::string scenario_toml;
    /// Set when the run continued from the checkpoint of this file (it cannot be replayed).
    std::optional<std::string> from_checkpoint;
    /// The scenario's programmes and policies, when its stored scenario could be read here
    /// (a summary against a baseline then says what the baseline removed and kept).
    std::optional<std::vector<ScenarioLever>> levers;
};

/// Reads a run file (the output of `run` or `forecast`). Throws InputError ("FILE: error: …")
/// for a file that is not one.
RunTotals read_run_totals(const std::filesystem::path& run_file);

/// The scenarios of a `compare` result, the first its base: their totals from /monthly, with
/// the programmes' spending as one total (an entry without a name). Replicates pair when the
/// comparison used common random numbers. Throws InputError ("FILE: error: …") for a file
/// that is not a compare result.
struct ComparedTotals {
    std::string file, engine_version, method;
    bool common_random_numbers = false;
    std::vector<RunTotals> scenarios;
};
ComparedTotals read_compared_totals(const std::filesystem::path& compare_file);

/// The totals of a run of `scenario` about to start: its area, months, programmes and ULC,
/// and a row of zeros per replicate that add_replicate_totals() fills as replicates finish
/// (what `run --xlsx` and `forecast --xlsx` summarise without reading their file back).
RunTotals run_totals_of(const Scenario& scenario);
/// Adds replicate `replicate`'s series, summed over regions and segments. One call at a time.
void add_replicate_totals(RunTotals& totals, std::uint32_t replicate,
                          const ReplicateSeries& series);

/// The same as read_compared_totals() from the monthly totals `compare` measured,
/// [scenario][replicate], before its file is written (without a file name: set `file` and
/// each scenario's to the name the file would have).
ComparedTotals compared_totals(const std::vector<Scenario>& scenarios,
                               const std::vector<std::vector<ReplicateOutcome>>& outcomes,
                               bool independent_seeds);

/// Simulates `scenario` as `ulcsim run` would (the same seed and replicates: its replicates
/// pair with those of a run of a scenario that differs only in its programmes) and keeps
/// its totals in memory.
RunTotals simulate_run_totals(const Scenario& scenario, const ExecutionContext& context);

/// The scenario to run as the automatic baseline of a run file: the planner's baseline of its
/// stored scenario (ulcsim/planner_baseline.hpp: without its programmes and the policies
/// starting within the run), or why there is none: nothing to remove, or a stored scenario
/// that cannot be read back here (one that names files, such as a calibrated forecast's
/// posterior, or a run continued from a checkpoint).
struct BaselinePlan {
    /// Whether the run has levers to measure: programmes, or policies starting within the
    /// run (when its scenario cannot be read, whether it has programmes).
    bool needed = false;
    std::optional<Scenario> scenario;
    std::string why_not; ///< when it is needed and there is no scenario
};
BaselinePlan baseline_of(const RunTotals& run);

/// How the summary's baseline came about.
enum class BaselineSource {
    not_needed,  ///< nothing to measure: no programmes, no policy starting within the run
    not_given,   ///< programmes, but no baseline (the report was told not to make one)
    unavailable, ///< programmes, but the baseline could not be made: see baseline_note
    given,       ///< a run file the user named
    simulated,   ///< the planner's baseline of the stored scenario, simulated by the report
    compared,    ///< the first scenario of a `compare` result
};

struct PlannerSummary {
    std::string scenario;
    SummaryArea area;
    std::vector<std::string> months;
    std::size_t replicates = 0;
    /// Whether intervals are over replicates (false: the run kept only means, and every
    /// interval is its mean).
    bool intervals = true;

    /// 1. Workers covered (all segments, whole area) and their share of resident workers (%).
    SummaryInterval covered_start, covered_end, covered_peak;
    std::string peak_month;
    SummaryInterval coverage_start, coverage_end;

    /// 2. Against the baseline.
    BaselineSource baseline = BaselineSource::not_needed;
    std::string baseline_name, baseline_note;
    /// Replicate by replicate (same seed and replicates, both kept); otherwise the
    /// difference of the means, without an interval.
    bool paired = false;
    /// What the baseline removed of the run's programmes and policies and what it kept, when
    /// both scenarios were read here.
    std::optional<BaselineContents> baseline_levers;
    /// Per month: covered workers and coverage (percentage points), run − baseline.
    std::vector<SummaryInterval> added_workers, added_points;
    SummaryInterval added_worker_months; ///< Σ over the months of added covered workers
    std::size_t peak_effect_month = 0;   ///< where the mean of added_workers is furthest from 0
    /// The month after the last month any programme had members, when it is within the run.
    std::optional<std::size_t> funding_end_month;

    /// 3. Rupiah over the whole run (means over replicates): each programme's premiums, and
    /// the policies' costs.
    struct Spending {
        std::string programme, kind;
        double idr = 0;
    };
    std::vector<Spending> spending;
    double policy_cost_idr = 0;
    SummaryInterval money_idr;     ///< programmes and policies together
    double baseline_money_idr = 0; ///< the same for the baseline

    /// 4. Rupiah per added covered worker-year: extra money ÷ (added worker-months ÷ 12), the
    /// ratio of the means; p05/p95 over the replicates that gained (NaN when unpaired). Absent
    /// without a baseline, or when coverage did not gain.
    std::optional<SummaryInterval> cost_per_added_worker_year_idr;

    /// 5. When coverage reaches ULC (absent when the scenario's ULC is unknown).
    struct Goal {
        double threshold = 1;                    ///< share
        std::string measure;                     ///< "coverage_share" or "resident_coverage"
        double probability = 0;                  ///< share of replicates reaching it within the run
        std::optional<std::size_t> median_month; ///< when at least half reach it
        /// Where coverage (the measure, %) settles: the mean over the run's last 12 months
        /// (the whole run when shorter), of the means over replicates.
        double settles_at = 0;
        std::size_t settling_months = 0;
    };
    std::optional<Goal> goal;
};

/// The four answers for `run`, against `baseline` when there is one (it must cover the same
/// months). `source` says where the baseline came from (not_needed/not_given/unavailable
/// when `baseline` is null; `note` then explains).
PlannerSummary planner_summary(const RunTotals& run, const RunTotals* baseline,
                               BaselineSource source, const std::string& note = "");

} // namespace ulcsim
