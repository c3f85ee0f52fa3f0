#pragma once
/// \file
/// /forecast of a run file (`ulcsim forecast`) written and read back, its CSV, and the
/// replicates' posterior draws (/forecast/posterior) written and read. /forecast holds
/// (ulcsim/forecast.hpp says what a forecast is): areas/code, areas/name, areas/level [area];
/// first_month [area, replicate] and quantile [area, quantile] in months after the first month of
/// the run (NaN: not within it); quantile_level [quantile]; never, start_coverage [area]; by [by]
/// and probability_by [area, by]; threshold [1]; attribute measure. /forecast/posterior: parameter
/// [parameter], draw [replicate], values [replicate, parameter]; attribute source.

#include "ulcsim/forecast.hpp"
#include "ulcsim/posterior_plan.hpp"
#include "ulcsim/store.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ulcsim {

/// Writes /forecast (layout above).
void write_forecast(ArrayWriter& out, const Forecast& forecast);

/// The forecast CSV: one row per area with the months of the median and the intervals
/// ("YYYY-MM", "after YYYY-MM" beyond the run), replicates that never reach the threshold,
/// and one column of probability per `by` month.
void write_forecast_csv(std::ostream& out, const Forecast& forecast);

/// /forecast/posterior: which posterior draw each replicate ran with, and where it came from.
void write_replicate_parameters(ArrayWriter& out, const PosteriorPlan& plan,
                                const std::string& source);
/// The same as /replicate_parameters, in the file of a run or a comparison (whose scenarios'
/// replicate r all ran on the draw of the plan's replicate r).
void write_run_parameters(ArrayWriter& out, const PosteriorPlan& plan, const std::string& source);

/// /forecast read back.
struct ForecastFile {
    std::vector<std::string> code, name, level; ///< by area
    std::optional<std::string> measure;
    double threshold = 0;
    std::vector<double> quantile_level;
    StoredArray first_month; ///< [area, replicate]
    StoredArray quantile;    ///< [area, quantile]
    std::vector<std::string> by;
    StoredArray probability_by; ///< [area, by]
    std::vector<double> never, start_coverage;

    /// Present when each replicate ran with a posterior draw.
    struct Posterior {
        std::vector<std::string> parameter;
        std::optional<std::string> source;
    };
    std::optional<Posterior> posterior;
};
/// Throws std::runtime_error naming the object when one is missing or the shapes disagree.
ForecastFile read_forecast(const RunFileReader& file);

} // namespace ulcsim
