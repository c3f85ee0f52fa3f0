#!/usr/bin/env python3
"""12 months vs 6 months for my city: what does renewing Kota Magelang's APBD programme for
all of 2025 buy, compared with stopping after the 6 months of 2024?

    PYTHONPATH=build/release/python python3 examples/twelve_vs_six_months.py [--replicates 20]

Runs both scenarios with common random numbers (the same workers draw the same numbers, so
the difference is the programme's), prints the paired differences, and plots coverage of
vulnerable workers month by month (mean and 90% interval over replicates) to a PNG.
Copy it and change the two scenario files for your own city.
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")  # a file, no window: works on a server and in CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ulcsim  # noqa: E402

SCENARIOS = pathlib.Path(__file__).resolve().parent.parent / "scenarios"


def vulnerable_coverage(run):
    """Share of the vulnerable workers covered, [replicate, month]."""
    vulnerable = ulcsim.SEGMENTS.index("vulnerable")
    covered = run.series("covered")[..., vulnerable].sum(axis=2)
    workers = run.series("labour_force")[..., vulnerable].sum(axis=2)
    return covered / workers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--output", default="twelve_vs_six_months.png")
    args = parser.parse_args()

    six = ulcsim.load_scenario(SCENARIOS / "kota-magelang-2024.toml", replicates=args.replicates)
    twelve = ulcsim.load_scenario(SCENARIOS / "kota-magelang-2025.toml",
                                  replicates=args.replicates)

    comparison = ulcsim.compare(six, twelve)
    table = comparison.to_dataframe()
    print(table.xs(twelve.name, level="scenario")[
        ["units", "difference_mean", "difference_p05", "difference_p95"]].to_string())

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for scenario, colour in ((six, "tab:orange"), (twelve, "tab:blue")):
        run = ulcsim.run(scenario)
        share = 100 * vulnerable_coverage(run)
        low, high = np.percentile(share, [5, 95], axis=0)
        ax.fill_between(run.months, low, high, color=colour, alpha=0.2)
        ax.plot(run.months, share.mean(axis=0), color=colour, label=scenario.name)
    ax.set_ylabel("vulnerable workers covered (%)")
    ax.set_title("Kota Magelang: APBD JKK+JKM for 6 months (2024) or 12 more (2025)")
    ax.legend()
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    print(f"{args.output}: written")


if __name__ == "__main__":
    main()
