#pragma once
/// \file
/// Model discrepancy: what a calibrated model misses that neither its posterior nor its Monte
/// Carlo noise carries. Replicates drawn from a posterior spread only as far as the model can
/// move; the world moves in ways the model has no mechanism for, so intervals made of
/// replicates alone are too narrow (issue 18 measured held-out figures outside nearly all of
/// them). The discrepancy is an error added to every prediction, with a variance that grows
/// with the horizon:
///
///     variance(h) = level_variance + drift_variance · h,   h = months after the cut-off.
///
/// Why this form and these units. The error is additive on the share itself, in share units
/// (percentage points / 100), not on its logit: coverage shares above 1 are observed (a
/// region whose participants outnumber its resident workers, e.g. Sawahlunto's 105%), where a
/// logit is undefined, and the quoted figures are rounded to whole points whatever their
/// level. The variance grows linearly with the horizon, as that of a random walk: the model's
/// trend is off by an amount that accumulates month by month, and a level error remains at
/// h = 0 (definitions and rounding of the quotes). Two parameters are all the few dated
/// observations of a region can estimate.
///
/// Estimation, by maximum likelihood: an error e (observed − mean of the replicates) whose
/// replicates spread with variance v is read as e ~ N(0, v + variance(h)), and the two
/// coefficients (both ≥ 0) maximise the likelihood of the errors given — the fit's own
/// residuals (h = 0) and backtest errors at their horizons. Unlike a least-squares line
/// through e² − v, an error whose replicates already spread widely weighs little: a wide
/// posterior on one figure cannot cancel the misses on others (the national backtest of
/// 2021–2023 had a method-of-moments discrepancy of 0 at every origin while its held-out
/// figures fell outside more than half of the 80% intervals).

#include <cstddef>
#include <span>

namespace ulcsim {

/// One error the discrepancy is estimated from.
struct ForecastError {
    double error = 0;           ///< observed − mean of the replicates (share)
    double spread_variance = 0; ///< the replicates' variance (share²)
    int horizon = 0;            ///< months after the cut-off; 0 for a fit's residual
};

struct ModelDiscrepancy {
    double level_variance = 0; ///< share²
    double drift_variance = 0; ///< share² per month of horizon
    std::size_t errors = 0;    ///< how many errors it was estimated from

    double variance(int horizon) const;
    double standard_deviation(int horizon) const;
};

/// The maximum-likelihood estimate above; none (both 0) from no errors.
ModelDiscrepancy estimate_discrepancy(std::span<const ForecastError> errors);

/// The p-quantile (p in (0, 1)) of the predictions each widened by the discrepancy: of the
/// mixture (1/R) Σ N(x_r, variance). With variance 0 it is the type-7 quantile of the
/// predictions, as the unwidened backtest's. Throws std::invalid_argument for no predictions.
double widened_quantile(std::span<const double> predictions, double variance, double p);

} // namespace ulcsim
