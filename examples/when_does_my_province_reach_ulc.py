#!/usr/bin/env python3
"""When does my province reach ULC? Jawa Tengah's target is 51.49% coverage of its workers
(the scenario's ulc.threshold); the forecast gives, for every replicate, the first month at or
above it, and so a distribution: median month, 80% interval, the chance of being there by
each December.

    PYTHONPATH=build/release/python python3 examples/when_does_my_province_reach_ulc.py \\
        [--replicates 20] [--scale 200] [--threshold 0.35]

Plots the distribution of the month the province gets there (and the probability of being
there by each month) to a PNG. Copy it and change the scenario for your province.
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
    parser.add_argument("--scenario", default=str(SCENARIOS / "jawa-tengah.toml"))
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--scale", type=float, help="workers per agent (fewer agents: faster)")
    parser.add_argument("--threshold", type=float, help="a share (default: ulc.threshold)")
    parser.add_argument("--output", default="when_does_my_province_reach_ulc.png")
    args = parser.parse_args()

    overrides = {} if args.scale is None else {"population.scale": args.scale}
    scenario = ulcsim.load_scenario(args.scenario, overrides, replicates=args.replicates)
    forecast = ulcsim.forecast(scenario, threshold=args.threshold)
    # The province: the area of level "province", or the whole scenario for a single one.
    province = next((a for a in forecast.areas if a[2] == "province"),
                    next(a for a in forecast.areas if a[2] == "scenario"))
    print(forecast.to_dataframe().loc[[province[0]]].T.to_string())

    dates = forecast.first_month_dates(province[0])
    reached = dates[~np.isnat(dates)]
    horizon = np.datetime64(forecast.start, "M") + forecast.months
    print(f"{province[1]}: {len(reached)} of {len(dates)} replicates reach "
          f"{100 * forecast.threshold:.2f}% before {horizon}")
    i = forecast.area(province[0])
    if len(reached) < len(dates):
        # Where coverage settles explains a threshold out of reach: a longer run (the
        # scenario's run.months) or stronger levers are the way there.
        print(f"  {forecast.measure} starts at {100 * forecast.start_coverage_mean[i]:.1f}%, "
              f"ends near {100 * forecast.settling_level[i]:.1f}% "
              f"({100 * forecast.settling_trend[i]:+.2f} points a year)")

    fig, (hist, cdf) = plt.subplots(1, 2, figsize=(10, 4))
    years, counts = np.unique(reached.astype("datetime64[Y]").astype(int) + 1970,
                              return_counts=True)
    hist.bar(years, counts, color="tab:blue")
    hist.set_xticks(years)
    hist.set_xlabel("year coverage first reaches the threshold")
    hist.set_ylabel("replicates")
    hist.set_title(f"{province[1]}: {len(dates) - len(reached)} never within the run")
    months = np.datetime64(forecast.start, "M") + np.arange(forecast.months)
    first = forecast.first_month[i]
    there = [(np.nan_to_num(first, nan=np.inf) <= m).mean() for m in range(forecast.months)]
    cdf.step(months.astype("datetime64[ns]"), there, where="post")
    cdf.set_ylim(0, 1)
    cdf.set_ylabel(f"P(coverage ≥ {100 * forecast.threshold:.2f}%) by then")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    print(f"{args.output}: written")


if __name__ == "__main__":
    main()
