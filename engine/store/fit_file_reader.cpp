// The readers of the fit family (ulcsim/fit_file.hpp).

#include "csv_reader.hpp"
#include "dataset_names.hpp"
#include "optional_reads.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/skill_file.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ulcsim {

namespace {

using detail::has_member;

std::optional<std::string> meta_text(const RunFileReader& file, const char* name) {
    return detail::optional_attribute(file, dataset::meta, name);
}

/// A one-dimensional dataset of `n` values.
std::vector<double> values_of(const RunFileReader& file, const std::string& dataset,
                              std::size_t n) {
    StoredArray a = file.array(dataset);
    if (a.dims.size() != 1 || a.values.size() != n)
        throw std::runtime_error(dataset + " does not have " + std::to_string(n) + " values");
    return std::move(a.values);
}

PosteriorDraws read_posterior_group(const RunFileReader& file) {
    PosteriorDraws p;
    p.keys = file.strings(dataset::in(dataset::fit_posterior, "parameter"));
    const StoredArray draws = file.array(dataset::in(dataset::fit_posterior, "draws"));
    if (draws.dims.size() != 2 || draws.dims[1] != p.keys.size() || draws.dims[0] == 0)
        throw std::runtime_error(dataset::fit_posterior + " has inconsistent shapes");
    const std::size_t D = draws.dims[0], P = p.keys.size();
    p.weights = values_of(file, dataset::in(dataset::fit_posterior, "weights"), D);
    for (std::size_t d = 0; d < D; ++d)
        p.draws.emplace_back(draws.values.begin() + static_cast<std::ptrdiff_t>(d * P),
                             draws.values.begin() + static_cast<std::ptrdiff_t>((d + 1) * P));
    if (has_member(file, dataset::fit_posterior, "distances"))
        p.distances = values_of(file, dataset::in(dataset::fit_posterior, "distances"), D);
    return p;
}

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& key,
                         const std::string& message) {
    throw InputError(Diagnostic{{file.string(), 0, 0, false}, key, message});
}

/// The posterior CSV: draw, weight, distance, then one column per key.
PosteriorDraws read_posterior_csv(const std::filesystem::path& file) {
    detail::CsvReader csv(file, {"draw", "weight", "distance"});
    PosteriorDraws p;
    const std::vector<std::string>& header = csv.header();
    for (const std::string& column : header)
        if (column != "draw" && column != "weight" && column != "distance")
            p.keys.push_back(column);
    if (p.keys.empty())
        throw InputError(Diagnostic{
            {file.string(), 1, 1, false}, "", "no parameter columns after draw,weight,distance"});
    while (csv.next()) {
        const double weight = csv.number("weight");
        if (!(weight >= 0 && std::isfinite(weight)))
            csv.error("weight", "a weight must be a finite number ≥ 0");
        p.weights.push_back(weight);
        p.distances.push_back(csv.text("distance").empty() ? std::nan("") : csv.number("distance"));
        std::vector<double> draw;
        for (const std::string& key : p.keys)
            draw.push_back(csv.number(key));
        p.draws.push_back(std::move(draw));
    }
    csv.finish();
    double total = 0;
    for (const double w : p.weights)
        total += w;
    if (p.draws.empty() || !(total > 0)) refuse(file, "", "no draws with a positive weight");
    // Weights written with 12 significant digits sum to 1 only nearly; the resampling wants 1.
    for (double& w : p.weights)
        w /= total;
    return p;
}

} // namespace

FitFile read_fit(const RunFileReader& file) {
    FitFile f;
    f.scenario_file = meta_text(file, "scenario_file");
    f.calibrated_scenario = meta_text(file, "calibrated_scenario");
    f.engine_version = meta_text(file, "engine_version");

    FitFile::Parameters& p = f.parameters;
    p.key = file.strings(dataset::in(dataset::fit_parameters, "key"));
    const std::size_t P = p.key.size();
    p.start = values_of(file, dataset::in(dataset::fit_parameters, "start"), P);
    p.prior_lower = values_of(file, dataset::in(dataset::fit_parameters, "prior_lower"), P);
    p.prior_upper = values_of(file, dataset::in(dataset::fit_parameters, "prior_upper"), P);
    p.estimate = values_of(file, dataset::in(dataset::fit_parameters, "estimate"), P);
    if (has_member(file, dataset::fit_parameters, "posterior_mean")) {
        p.posterior_mean =
            values_of(file, dataset::in(dataset::fit_parameters, "posterior_mean"), P);
        p.posterior_p05 = values_of(file, dataset::in(dataset::fit_parameters, "posterior_p05"), P);
        p.posterior_p95 = values_of(file, dataset::in(dataset::fit_parameters, "posterior_p95"), P);
    }

    FitFile::Observations& o = f.observations;
    static_cast<ObservationColumns&>(o) = read_observation_columns(file, dataset::fit_observations);
    const std::size_t N = o.region.size();
    o.weight = values_of(file, dataset::in(dataset::fit_observations, "weight"), N);
    o.error_band = has_member(file, dataset::fit_observations, "error_band")
                       ? values_of(file, dataset::in(dataset::fit_observations, "error_band"), N)
                       : std::vector<double>(N, 0.0);
    o.simulated_at_start =
        values_of(file, dataset::in(dataset::fit_observations, "simulated_at_start"), N);
    o.simulated_mean = values_of(file, dataset::in(dataset::fit_observations, "simulated_mean"), N);
    o.simulated_p05 = values_of(file, dataset::in(dataset::fit_observations, "simulated_p05"), N);
    o.simulated_p95 = values_of(file, dataset::in(dataset::fit_observations, "simulated_p95"), N);

    const std::vector<double> loss =
        values_of(file, dataset::in(dataset::fit_optimiser, "loss"), 2);
    f.start_loss = loss[0];
    f.estimate_loss = loss[1];
    f.best_loss_by_iteration =
        file.array(dataset::in(dataset::fit_optimiser, "best_loss_by_iteration")).values;
    f.stopped_because = file.string_attribute(dataset::fit_optimiser, "stopped_because");
    f.evaluations = std::stoll(file.string_attribute(dataset::fit_optimiser, "evaluations"));

    if (has_member(file, "/", dataset::leaf(dataset::fit_posterior)))
        f.posterior = read_posterior_group(file);
    f.skill = read_skill_if_any(file, SkillPlace::fit);
    return f;
}

PosteriorDraws read_posterior(const std::filesystem::path& file) {
    PosteriorDraws p;
    if (file.extension() == ".csv") {
        p = read_posterior_csv(file);
    } else {
        try {
            const RunFileReader reader(file);
            p = read_posterior_group(reader);
        } catch (const std::runtime_error& e) {
            refuse(file, "",
                   std::string("not a fit file with posterior draws from `ulcsim calibrate` (") +
                       e.what() + ")");
        }
    }
    for (const std::string& key : p.keys)
        if (const ScenarioKey* k = find_scenario_key(key); !k || !k->fittable)
            refuse(file, key, "not a parameter this version can set");
    return p;
}

} // namespace ulcsim
