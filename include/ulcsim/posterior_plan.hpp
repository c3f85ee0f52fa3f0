#pragma once
/// \file
/// Parameter uncertainty in a forecast: each replicate runs with a draw from a posterior (a
/// calibration's particles and weights), so the forecast's spread holds what is not known of
/// the parameters as well as the Monte Carlo noise. The draws become a run plan with one
/// entry per replicate; a draw's scenario is made once and shared by the replicates that use
/// it.

#include "ulcsim/run_plan.hpp"
#include "ulcsim/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

struct PosteriorDraws;       // ulcsim/fit_file.hpp
struct AbcPosterior;         // ulcsim/fitting.hpp
struct CalibrationParameter; // ulcsim/calibration.hpp

struct PosteriorPlan {
    std::vector<std::string> keys;           ///< the parameters, as scenario keys
    std::vector<std::size_t> draw;           ///< by replicate: the posterior draw it uses
    std::vector<std::vector<double>> values; ///< [replicate][parameter]
    RunPlan plan;                            ///< entry r: replicate r of vary(base, draw)
};

/// The plan of `replicates` replicates of `base`, replicate r on the posterior draw
/// draws_for_replicates() gives it (systematic resampling of `weights`). `draws` is
/// [draw][parameter]; every draw must have a value per key. Throws InputError as vary() does
/// for a key or value the scenario cannot take, std::invalid_argument for inconsistent sizes.
PosteriorPlan posterior_plan(const Scenario& base, std::uint32_t replicates,
                             const std::vector<std::string>& keys,
                             const std::vector<std::vector<double>>& draws,
                             const std::vector<double>& weights);
/// The same from a posterior read from a fit or posterior file.
PosteriorPlan posterior_plan(const Scenario& base, std::uint32_t replicates,
                             const PosteriorDraws& posterior);
/// The base's own run.replicates replicates.
PosteriorPlan posterior_plan(const Scenario& base, const PosteriorDraws& posterior);
/// The base's own run.replicates replicates on the posterior of a calibration just made
/// (ABC-SMC's particles, `fitted` naming their columns).
PosteriorPlan posterior_plan(const Scenario& base, const std::vector<CalibrationParameter>& fitted,
                             const AbcPosterior& posterior);

/// Replicates [0, replicates) of `scenario` added to `plan`: on the posterior's draws when
/// there is one (replicate r on the draw posterior_plan() gives it: the same draw for every
/// scenario with the same replicates, so paired replicates share their parameters), else
/// plainly.
void add_replicates(RunPlan& plan, const Scenario& scenario, std::uint32_t replicates,
                    const PosteriorDraws* posterior);

/// The fit file the scenarios' run.posterior names, which they run on unless told otherwise;
/// nullopt when none names one. Every scenario must name the same one (paired replicates
/// share their parameters): std::invalid_argument says which differs ("FILE names no
/// run.posterior but OTHER does, and paired replicates must share their parameters: give
/// --posterior FILE for all of them, or --priors").
std::optional<std::filesystem::path>
shared_run_posterior(const std::vector<const Scenario*>& scenarios);

/// Where a run's posterior came from, as outputs record it (the `source` attribute of
/// /replicate_parameters): the file, and when it is the scenario's run.posterior, that it is.
std::string posterior_source(const std::filesystem::path& file, bool of_scenario);

} // namespace ulcsim
