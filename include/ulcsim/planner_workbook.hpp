#pragma once
/// \file
/// The workbooks of `--xlsx FILE` (ulcsim/workbook.hpp writes them): what each command puts in
/// front of a planner, built from the very figures its CSV files and terminal table hold —
/// no number is computed a second way. Sheets:
///   run, forecast  Summary (the planner's four answers, ulcsim/planner_summary.hpp),
///                  Coverage (the summary CSV's rows: area × segment × month, mean and 90%
///                  interval), Programmes (the programmes CSV's rows: members, spending,
///                  budget by month), and for a forecast Forecast (the forecast CSV's rows)
///   compare        Summary (each scenario's answers, the others against the first),
///                  Comparison (every month: workers and coverage points each scenario adds
///                  to the first), Measures (the compare CSV's rows)
///   sweep          Sweep (the sweep CSV's rows: one per grid point)
///   target         Summary (the goal and the answer), Target (every candidate tried)
/// Headers name the units; shares are stored as shares and shown as percentages; months are
/// dates.

#include "ulcsim/calendar.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/sweep_grid.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// `run` (forecast null) or `forecast`: `totals` are the same run's totals by replicate
/// (run_totals_of, add_replicate_totals), for the Summary sheet.
void write_run_workbook(const std::filesystem::path& file, const Scenario& scenario,
                        const EnsembleSummary& summary, const RunTotals& totals,
                        const Forecast* forecast = nullptr);

/// `compare`: `totals` from compared_totals() on the same replicates.
void write_comparison_workbook(const std::filesystem::path& file,
                               const std::vector<Scenario>& scenarios,
                               const std::vector<OutcomeMeasure>& measures,
                               const MeasuredScenarios& measured, const ComparedTotals& totals);

/// `sweep`.
void write_sweep_workbook(const std::filesystem::path& file, const std::vector<SweepAxis>& axes,
                          const std::vector<OutcomeMeasure>& measures,
                          const MeasuredScenarios& measured);

/// What `target` found: the goal, the lever, and every candidate it tried.
struct TargetOutcome {
    std::string goal;    ///< "P(Kota Magelang (33.71) coverage_share ≥ 30% by 2025-12) ≥ 80%"
    std::string lever;   ///< "yearly budget of APBD Magelang" or the key varied
    std::string units;   ///< of the lever: "IDR a year", "months", or the key's ("" if none)
    bool rupiah = false; ///< the lever is rupiah (a thousands format)
    Month by;            ///< the goal's month: where the candidates' coverage is taken
    std::string answer;  ///< the value found, as the terminal prints it, or why there is none
    struct Candidate {
        double value = 0; ///< of the lever, in its units
        const GoalTrial* trial = nullptr;
        bool answer = false;
    };
    std::vector<Candidate> candidates; ///< in the lever's order
};
void write_target_workbook(const std::filesystem::path& file, const TargetOutcome& target);

} // namespace ulcsim
