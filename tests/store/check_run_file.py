#!/usr/bin/env python3
"""Checks a ulcsim run file (HDF5) the way an outside reader would, with h5py alone.

    python3 tests/store/check_run_file.py RUN.h5

Checks the layout that include/ulcsim/store.hpp documents (groups, datasets, shapes,
attributes) and the accounting identity covered = covered_employer + covered_self +
covered_programme, then prints a JSON summary to stdout. Exit 0 when every check passes; 1
with the reason on stderr otherwise; 2 on bad usage.
"""

import json
import re
import sys

import h5py
import numpy as np

META_ATTRIBUTES = {
    "scenario_toml": str,
    "scenario_name": str,
    "seed": int,
    "start_month": str,
    "months": int,
    "replicates": int,
    "threads": int,
    "engine_version": str,
    "scale_workers_per_agent": float,
}
SERIES_DIMENSIONS = ["replicate", "month", "region", "segment"]
PROGRAMME_DIMENSIONS = ["replicate", "month", "programme"]
SEGMENTS = ["formal", "informal", "vulnerable"]
# The metrics this script computes with; the file may hold more.
REQUIRED_SERIES = ["labour_force", "covered", "covered_employer", "covered_self",
                   "covered_programme"]
REQUIRED_PROGRAMMES = ["members", "spent_idr"]
RELATIVE_TOLERANCE = 1e-9


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def text(value):
    """An HDF5 string as str, whether h5py hands it over as bytes or str."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)


def attribute(obj, name):
    require(name in obj.attrs, f"{obj.name}: missing attribute '{name}'")
    return obj.attrs[name]


def string_list(value):
    return [text(v) for v in np.atleast_1d(value)]


def strings(f, path, length=None):
    require(path in f and isinstance(f[path], h5py.Dataset), f"missing dataset {path}")
    dataset = f[path]
    require(dataset.dtype.kind in ("S", "O", "U"), f"{path}: not a string dataset")
    require(dataset.ndim == 1, f"{path}: expected 1 dimension, found {dataset.ndim}")
    values = [text(v) for v in dataset[()]]
    if length is not None:
        require(len(values) == length, f"{path}: expected {length} entries, found {len(values)}")
    check_description(dataset, None)
    return values


def check_description(dataset, dimensions):
    found = string_list(attribute(dataset, "dimensions"))
    require(len(found) == dataset.ndim,
            f"{dataset.name}: 'dimensions' names {len(found)} axes, the dataset has {dataset.ndim}")
    if dimensions is not None:
        require(found == dimensions,
                f"{dataset.name}: dimensions {found}, expected {dimensions}")
    units = text(attribute(dataset, "units"))
    if dimensions is not None:
        expected = "IDR" if dataset.name.endswith("_idr") else "workers"
        require(units == expected, f"{dataset.name}: units '{units}', expected '{expected}'")


def number_group(f, path, shape, dimensions, required):
    require(path in f and isinstance(f[path], h5py.Group), f"missing group {path}")
    arrays = {}
    for name, member in f[path].items():
        if name == "names":
            continue
        require(isinstance(member, h5py.Dataset), f"{member.name}: expected a dataset")
        require(member.dtype == np.float64, f"{member.name}: type {member.dtype}, expected float64")
        require(member.shape == shape, f"{member.name}: shape {member.shape}, expected {shape}")
        check_description(member, dimensions)
        arrays[name] = member[()]
    for name in required:
        require(name in arrays, f"missing dataset {path}/{name}")
    return arrays


def check(path):
    with h5py.File(path, "r") as f:
        require("meta" in f and isinstance(f["meta"], h5py.Group), "missing group /meta")
        meta = f["meta"]
        values = {}
        for name, kind in META_ATTRIBUTES.items():
            value = attribute(meta, name)
            if kind is str:
                value = text(value)
            else:
                require(np.ndim(value) == 0, f"/meta: attribute '{name}' is not a scalar")
                wanted = np.integer if kind is int else np.floating
                require(np.issubdtype(np.asarray(value).dtype, wanted),
                        f"/meta: attribute '{name}' is not {kind.__name__}")
                value = kind(value)
            values[name] = value
        require(values["scenario_toml"].strip() != "", "/meta: scenario_toml is empty")
        require(re.fullmatch(r"\d{4}-\d{2}", values["start_month"]) is not None,
                f"/meta: start_month '{values['start_month']}' is not YYYY-MM")
        replicates, months = values["replicates"], values["months"]
        require(replicates >= 1, f"/meta: replicates = {replicates}")
        require(months >= 0, f"/meta: months = {months}")

        month_names = strings(f, "/months", months)
        require(all(re.fullmatch(r"\d{4}-\d{2}", m) for m in month_names),
                "/months: entries are not all YYYY-MM")
        if month_names:
            require(month_names[0] == values["start_month"],
                    f"/months starts at {month_names[0]}, /meta start_month is "
                    f"{values['start_month']}")

        codes = strings(f, "/regions/code")
        regions = len(codes)
        strings(f, "/regions/name", regions)
        strings(f, "/regions/province", regions)
        names = strings(f, "/programs/names")
        programmes = len(names)

        require("series" in f, "missing group /series")
        segments = string_list(attribute(f["series"], "segments"))
        require(segments == SEGMENTS, f"/series: segments {segments}, expected {SEGMENTS}")
        series = number_group(f, "/series", (replicates, months, regions, 3), SERIES_DIMENSIONS,
                              REQUIRED_SERIES)
        number_group(f, "/programs", (replicates, months, programmes), PROGRAMME_DIMENSIONS,
                     REQUIRED_PROGRAMMES)

        covered = series["covered"]
        parts = series["covered_employer"] + series["covered_self"] + series["covered_programme"]
        if not np.allclose(covered, parts, rtol=RELATIVE_TOLERANCE, atol=0):
            bad = np.argwhere(~np.isclose(covered, parts, rtol=RELATIVE_TOLERANCE, atol=0))[0]
            r, t, g, s = (int(i) for i in bad)
            raise CheckFailed(
                f"/series: covered != covered_employer + covered_self + covered_programme at "
                f"replicate {r}, month {month_names[t]}, region {codes[g]}, segment {SEGMENTS[s]}: "
                f"{covered[r, t, g, s]!r} vs {parts[r, t, g, s]!r}")

        return {
            "replicates": replicates,
            "months": months,
            "regions": codes,
            "programmes": names,
            "covered_total_last_month_replicate0":
                float(covered[0, -1].sum()) if months > 0 else None,
            "labour_force_total_first_month_replicate0":
                float(series["labour_force"][0, 0].sum()) if months > 0 else None,
        }


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} RUN.h5", file=sys.stderr)
        return 2
    try:
        summary = check(argv[1])
    except CheckFailed as failure:
        print(f"{argv[1]}: {failure}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{argv[1]}: cannot read: {error}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
