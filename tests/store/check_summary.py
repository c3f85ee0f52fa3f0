#!/usr/bin/env python3
"""Recomputes a run file's /summary from its /series with NumPy, independently of ulcsim.

    python3 tests/store/check_summary.py RUN.h5

For every series metric and the three ratios (coverage_rate = covered / labour_force,
coverage_share = covered_registered / labour_force, registered_rate = registered /
labour_force) at the region, province and nation
levels, and for every programme metric: mean, sample sd and the quantiles p05 … p95 with
NumPy's default (linear) method, over replicates, where province and nation values are
sums over their regions taken per replicate. Exit 0 and a JSON line when every value
matches within a relative 1e-12; 1 with the first mismatch on stderr otherwise.
"""

import json
import sys

import h5py
import numpy as np

STATISTICS = ["mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95"]
LEVELS = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]
RATIOS = {"coverage_rate": "covered", "coverage_share": "covered_registered",
          "registered_rate": "registered"}
TOLERANCE = 1e-12


class Mismatch(Exception):
    pass


def statistics(values):
    """values: [replicate, …] → [statistic, …]."""
    sd = values.std(axis=0, ddof=1) if values.shape[0] > 1 else np.zeros(values.shape[1:])
    quantiles = np.quantile(values, LEVELS, axis=0)
    return np.concatenate([values.mean(axis=0)[None], sd[None], quantiles])


def with_all_segments(x):
    """[replicate, month, area, 3 segments] → […, 4] with their sum last."""
    return np.concatenate([x, x.sum(axis=-1, keepdims=True)], axis=-1)


def levels(x, province_of_region, provinces):
    """Region, province and nation sums per replicate."""
    region = with_all_segments(x)
    province = np.zeros(region.shape[:2] + (provinces,) + region.shape[3:])
    for k, p in enumerate(province_of_region):
        province[:, :, p] += region[:, :, k]
    nation = region.sum(axis=2)
    return {"": region, "province/": province, "nation/": nation}


def compare(f, path, expected):
    found = f["/summary/" + path][()]
    if found.shape != expected.shape:
        raise Mismatch(f"/summary/{path}: shape {found.shape}, expected {expected.shape}")
    both_nan = np.isnan(found) & np.isnan(expected)
    close = np.isclose(found, expected, rtol=TOLERANCE, atol=TOLERANCE) | both_nan
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        raise Mismatch(f"/summary/{path}{list(where)} ({STATISTICS[where[0]]}): "
                       f"{found[where]!r}, NumPy {expected[where]!r}")


def check(path):
    with h5py.File(path, "r") as f:
        provinces = [c.decode() if isinstance(c, bytes) else c
                     for c in f["/summary/province/code"][()]]
        region_provinces = [c.decode() if isinstance(c, bytes) else c
                            for c in f["/regions/province"][()]]
        province_of_region = [provinces.index(p) for p in region_provinces]
        series = {name: f["/series/" + name][()] for name in f["/series"]}
        checked = 0
        sums = {name: levels(x, province_of_region, len(provinces)) for name, x in series.items()}
        for name in series:
            for level, values in sums[name].items():
                compare(f, level + name, statistics(values))
                checked += 1
        with np.errstate(divide="ignore", invalid="ignore"):
            for ratio, numerator in RATIOS.items():
                for level in sums[numerator]:
                    lf = sums["labour_force"][level]
                    values = np.where(lf > 0, sums[numerator][level] / lf, np.nan)
                    # One NaN replicate makes the whole cell NaN, as NumPy would.
                    compare(f, level + ratio, statistics(values))
                    checked += 1
        for name in f["/programs"]:
            if name == "names":
                continue
            compare(f, "programs/" + name, statistics(f["/programs/" + name][()]))
            checked += 1
        return {"datasets_checked": checked}


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} RUN.h5", file=sys.stderr)
        return 2
    try:
        result = check(argv[1])
    except Mismatch as mismatch:
        print(f"{argv[1]}: {mismatch}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
