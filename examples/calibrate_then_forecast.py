#!/usr/bin/env python3
"""Fit my province to its published figures, then forecast on the fit. Di Yogyakarta's
[[observation]]s (coverage in 2024) pin down how readily informal workers enrol themselves
(behaviour.h0_self); the calibration's posterior carries what the figures leave open into
the forecast, each replicate on a draw, and its skill (a rolling-origin backtest) widens the
intervals by the model's own error.

    PYTHONPATH=build/release/python python3 examples/calibrate_then_forecast.py \\
        [--scale 20] [--particles 40] [--generations 3] [--replicates 20]

Writes the calibrated scenario (and its fit files) beside the plot, and plots the posterior
of the fitted value and the forecast's probability of reaching the threshold by each month.
Copy it and change the scenario and --fit keys for your province.
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")  # a file, no window: works on a server and in CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ulcsim  # noqa: E402

SCENARIOS = pathlib.Path(__file__).resolve().parent.parent / "scenarios"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(SCENARIOS / "di-yogyakarta.toml"))
    parser.add_argument("--fit", default="h0_self", help="keys to fit, comma-separated")
    parser.add_argument("--scale", type=float, help="workers per agent (fewer agents: faster)")
    parser.add_argument("--particles", type=int, default=40)
    parser.add_argument("--evaluations", type=int, default=60)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--months", type=int, help="forecast this many months")
    parser.add_argument("--output", default="calibrate_then_forecast.png")
    args = parser.parse_args()

    overrides = {} if args.scale is None else {"population.scale": args.scale}
    calibrated = pathlib.Path(args.output).with_suffix(".toml")
    fit = ulcsim.calibrate(args.scenario, args.fit, set=overrides, particles=args.particles,
                           evaluations=args.evaluations, generations=args.generations,
                           skill=True, output=calibrated)
    print(fit)
    print(fit.parameters_to_dataframe().to_string())

    # The calibrated scenario names its posterior (run.posterior): the forecast runs on it.
    scenario = ulcsim.load_scenario(calibrated, overrides, replicates=args.replicates,
                                    months=args.months)
    forecast = ulcsim.forecast(scenario)
    area = next((a for a in forecast.areas if a[2] == "province"),
                next(a for a in forecast.areas if a[2] == "scenario"))
    print(forecast.to_dataframe().loc[[area[0]]].T.to_string())
    print(f"parameters: {forecast.parameter_source}")

    fig, (posterior, cdf) = plt.subplots(1, 2, figsize=(10, 4))
    posterior.hist(fit.draws[:, 0], weights=fit.posterior["weights"], bins=15,
                   color="tab:blue")
    posterior.axvline(fit.estimate[0], color="black", linestyle="--", label="estimate")
    posterior.set_xlabel(fit.keys[0])
    posterior.set_ylabel("posterior weight")
    posterior.legend()
    i = forecast.area(area[0])
    months = np.datetime64(forecast.start, "M") + np.arange(forecast.months)
    first = np.nan_to_num(forecast.first_month[i], nan=np.inf)
    cdf.step(months.astype("datetime64[ns]"), [(first <= m).mean() for m in
                                               range(forecast.months)], where="post")
    cdf.set_ylim(0, 1)
    cdf.set_ylabel(f"P(coverage ≥ {100 * forecast.threshold:.2f}%) by then")
    cdf.set_title(f"{area[1]}, on the posterior")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    print(f"{args.output}: written")


if __name__ == "__main__":
    main()
