#pragma once
/// \file
/// Fit files: the record of a calibration (`ulcsim calibrate`, and the calibration inside
/// `forecast --backtest`), written into an HDF5 file by ArrayWriter and read back typed.
/// Layout (every dataset with `dimensions` and `units` attributes):
///   /meta                 attributes scenario_file, scenario_toml, calibrated_scenario
///                         (a calibrate's own file; a backtest's run file has its run /meta)
///   /parameters/key       [parameter] scenario keys; start, prior_lower, prior_upper,
///                         estimate and, with a posterior, posterior_mean, posterior_p05,
///                         posterior_p95 [parameter]
///   /observations/…       region, segment, month, measure, source, observed
///                         (ulcsim/observation_columns.hpp), weight, error_band,
///                         simulated_at_start, simulated_mean, simulated_p05, simulated_p95
///                         [observation]
///   /optimiser/loss       [start_estimate]; best_loss_by_iteration [iteration]; attributes
///                         method, stopped_because, evaluations
///   /posterior/parameter  [parameter]; draws [draw, parameter]; weights, distances [draw];
///                         tolerances, acceptance_rates [generation]; attributes method,
///                         stopped_because — only when the calibration made a posterior
///   /skill/…              the rolling-origin skill and model discrepancy
///                         (ulcsim/skill_file.hpp) — only with `calibrate --skill`
/// Beside it, two CSV files: <name>.fit.csv (one row per observation) and
/// <name>.posterior.csv (one row per draw: draw, weight, distance, then one column per key).

#include "ulcsim/calibration.hpp"
#include "ulcsim/observation_columns.hpp"
#include "ulcsim/rolling_backtest.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/store.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim {

/// /meta of a calibrate's fit file: the scenario fitted (its file and resolved TOML) and the
/// file name of the calibrated scenario written beside it.
void write_fit_meta(ArrayWriter& out, const Scenario& scenario,
                    const std::string& calibrated_scenario);

/// /parameters, /observations, /optimiser and (with a posterior) /posterior.
void write_fit(ArrayWriter& out, const CalibrationProblem& problem,
               const CalibrationResult& result);

/// <name>.fit.csv: one row per observation: where, when, observed, weight, error band, simulated
/// at the
/// start and at the estimate with its 90% interval over replicates, and the source.
void write_fit_csv(std::ostream& out, const CalibrationProblem& problem,
                   const CalibrationResult& result);

/// <name>.posterior.csv: one row per posterior draw: its index, weight, distance and the
/// parameter values (the header alone when there is no posterior).
void write_posterior_csv(std::ostream& out, const CalibrationProblem& problem,
                         const CalibrationResult& result);

/// Posterior draws: the keys, the draws and their weights (and distances).
struct PosteriorDraws {
    std::vector<std::string> keys;
    std::vector<std::vector<double>> draws; ///< [draw][parameter]
    std::vector<double> weights;
    std::vector<double> distances;
};

/// A fit file read back.
struct FitFile {
    std::optional<std::string> scenario_file;
    std::optional<std::string> calibrated_scenario;
    std::optional<std::string> engine_version;

    struct Parameters {
        std::vector<std::string> key;
        std::vector<double> start, prior_lower, prior_upper, estimate;
        /// Empty when the calibration made no posterior.
        std::vector<double> posterior_mean, posterior_p05, posterior_p95;
    } parameters;

    struct Observations : ObservationColumns {
        std::vector<double> weight, simulated_at_start, simulated_mean, simulated_p05,
            simulated_p95;
        std::vector<double> error_band; ///< zeros in a fit file written before error bands
    } observations;

    double start_loss = 0;    ///< share² (weighted mean squared error)
    double estimate_loss = 0; ///< share²
    std::vector<double> best_loss_by_iteration;
    std::string stopped_because;
    std::int64_t evaluations = 0;

    std::optional<PosteriorDraws> posterior;
    /// The rolling-origin skill, when `calibrate --skill` measured it.
    std::optional<Skill> skill;
};

/// Reads every group of the layout; throws std::runtime_error naming the object when one
/// is missing or the shapes disagree.
FitFile read_fit(const RunFileReader& file);

/// The posterior draws of a fit file (`*.fit.h5`) or of its posterior CSV (`*.csv`), for
/// `forecast --posterior`. Throws InputError naming the file (and for the CSV the line and
/// column) when it cannot be read, holds no posterior, a cell is not a number, a weight is
/// negative or all are 0, or a key is not one this version can fit.
PosteriorDraws read_posterior(const std::filesystem::path& file);

} // namespace ulcsim
