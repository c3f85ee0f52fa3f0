#!/usr/bin/env python3
"""Compares two output folders written by tools/check_bit_identical.sh: every HDF5 file
dataset by dataset and attribute by attribute (values bit for bit, NaN equal to NaN), every
CSV and TOML file byte for byte, and the terminal text of each command.

    compare_outputs.py BEFORE_DIR AFTER_DIR [--new-attribute NAME]... [--ignore-attribute NAME]...
                       [--new-dataset NAME]... [--new-csv-column NAME]... [--new-text-line RE]...
                       [--mask-dataset NAME=MASK]... [--sizes-may-change] [--ignore-text NAME]...

Files named with --ignore-text (terminal text, or a report that embeds a changed script) are
not compared.

Attributes named with --ignore-attribute (e.g. engine_version) are not compared; those named
with --new-attribute may exist only in AFTER (a format addition). Likewise an HDF5 dataset
whose last path component is named with --new-dataset (a new metric: /series/NAME,
/summary/…/NAME) may exist only in AFTER; CSV columns whose header is NAME or starts with
NAME_ (NAME_mean, NAME_p05, …) for a --new-csv-column NAME are removed from AFTER's CSV files
before they are compared; and lines of AFTER's terminal text matching a --new-text-line
regular expression (with the indented lines that continue them) are removed. An integer
dataset named with --mask-dataset NAME=MASK (a state column given a new bit) is compared on
the bits of MASK only, and its units attribute (which describes the bits) is not compared. Terminal text
(*.out) is compared after removing the lines that hold timings; with --sizes-may-change (for
a format addition, which makes every run file a little larger) also inspect's lines of the
file's size on disk and of what its parts take. Exits 0 when everything is identical,
1 otherwise, listing each difference.
"""

import argparse
import csv
import io
import pathlib
import re
import sys

import h5py
import numpy as np

TIMING = re.compile(r"(\d+(\.\d+)? ?(s|ms|seconds?)\b)|(thread-seconds)|(replicates? \d+/\d+)")


def attributes(obj):
    out = {}
    for name, value in obj.attrs.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, np.ndarray) and value.dtype.kind in "OS":
            value = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in value]
        out[name] = value
    return out


def same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            return False
        if a.dtype.kind == "f":
            return a.tobytes() == b.tobytes() or bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    return a == b


def compare_h5(before, after, ignore, new, problems, paths_a, paths_b, new_datasets=(),
               masks=None):
    masks = masks or {}
    name = after.name
    with h5py.File(before, "r") as fa, h5py.File(after, "r") as fb:
        objects_a, objects_b = {}, {}
        fa.visititems(lambda k, v: objects_a.__setitem__(k, v))
        fb.visititems(lambda k, v: objects_b.__setitem__(k, v))
        objects_a[""] = fa
        objects_b[""] = fb
        for path in sorted(set(objects_a) | set(objects_b)):
            if path not in objects_b:
                problems.append(f"{name}: /{path} is missing after")
                continue
            if path not in objects_a:
                if path.rsplit("/", 1)[-1] not in new_datasets:
                    problems.append(f"{name}: /{path} is new after")
                continue
            a, b = objects_a[path], objects_b[path]
            if isinstance(a, h5py.Dataset) != isinstance(b, h5py.Dataset):
                problems.append(f"{name}: /{path} changed kind")
                continue
            if isinstance(a, h5py.Dataset):
                if a.shape != b.shape or a.dtype != b.dtype:
                    problems.append(
                        f"{name}: /{path} shape/type {a.shape} {a.dtype} → {b.shape} {b.dtype}")
                elif path.rsplit("/", 1)[-1] in masks and a.dtype.kind in "iu":
                    mask = masks[path.rsplit("/", 1)[-1]]
                    if not np.array_equal(np.asarray(a[()]) & mask, np.asarray(b[()]) & mask):
                        problems.append(f"{name}: /{path} values differ under mask {mask:#x}")
                elif not same_value(a[()], b[()]):
                    va, vb = np.asarray(a[()]), np.asarray(b[()])
                    where = ""
                    if va.dtype.kind in "fiu" and va.size:
                        diff = np.argwhere(~((va == vb) | (np.isnan(va) & np.isnan(vb)))
                                           if va.dtype.kind == "f" else va != vb)
                        where = f" (first difference at {tuple(diff[0])}: {va[tuple(diff[0])]!r} → {vb[tuple(diff[0])]!r}, {len(diff)} elements differ)"
                    problems.append(f"{name}: /{path} values differ{where}")
            attrs_a, attrs_b = attributes(a), attributes(b)
            for attr in sorted(set(attrs_a) | set(attrs_b)):
                if attr in ignore or (attr == "units" and path.rsplit("/", 1)[-1] in masks):
                    continue
                if attr not in attrs_a:
                    if attr not in new:
                        problems.append(f"{name}: /{path} attribute {attr} is new after")
                    continue
                if attr not in attrs_b:
                    problems.append(f"{name}: /{path} attribute {attr} is missing after")
                    continue
                if not same_value(paths_a(attrs_a[attr]), paths_b(attrs_b[attr])):
                    problems.append(f"{name}: /{path} attribute {attr} differs")


# inspect's "Size: 1.1 MB on disk (1,061,000 bytes)" and the parts under it ("  the rest  86
# kB  scenario, …", "  summaries  765 kB  /summary: 79 datasets …"); report's "wrote
# report.html (332 KiB, 3 runs)".
FILE_SIZE = re.compile(
    r"^(Size: .* on disk \(|  (the rest|replicate series|summaries|checkpoint) +[0-9.]+ [kMGT]?B  "
    r"|wrote \S+\.html \([0-9.]+ [KMG]iB, )")


def without_new_lines(text, patterns):
    """AFTER's terminal text without the lines a --new-text-line names, and without the
    indented lines that continue them."""
    out, dropping = [], False
    for line in text.splitlines():
        if any(p.search(line) for p in patterns):
            dropping = True
            continue
        if dropping and line.startswith("   ") and not line.lstrip().startswith(
                tuple("abcdefghijklmnopqrstuvwxyz")):
            continue
        dropping = False
        out.append(line)
    return "\n".join(out)


def without_new_columns(data, names):
    """A CSV file's text without the columns a --new-csv-column names."""
    if not names:
        return data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    if not rows:
        return data
    keep = [i for i, h in enumerate(rows[0])
            if not any(h == n or h.startswith(n + "_") for n in names)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([row[i] for i in keep if i < len(row)])
    return out.getvalue().encode("utf-8")


def without_timings(text, sizes_may_change=False):
    return [line for line in text.splitlines()
            if not TIMING.search(line) and not (sizes_may_change and FILE_SIZE.search(line))]


def extends_by_name(text):
    return [re.sub(r'^extends = ".*/([^/]+)"$', r'extends = "\1"', line)
            for line in text.splitlines()]


class Paths:
    """Replaces the scenarios folder a write named (its .scenarios file) with SCENARIOS/, so
    that two checkouts in different places compare equal."""

    def __init__(self, folder):
        marker = folder / ".scenarios"
        self.prefix = marker.read_text().strip() if marker.exists() else None

    def __call__(self, value):
        if self.prefix is None:
            return value
        if isinstance(value, str):
            return value.replace(self.prefix, "SCENARIOS")
        if isinstance(value, list):
            return [self(v) for v in value]
        return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=pathlib.Path)
    parser.add_argument("after", type=pathlib.Path)
    parser.add_argument("--ignore-attribute", action="append", default=["engine_version"])
    parser.add_argument("--new-attribute", action="append", default=[])
    parser.add_argument("--sizes-may-change", action="store_true",
                        help="ignore inspect's file-size lines, e.g. after a new attribute")
    parser.add_argument("--ignore-text", action="append", default=[],
                        help="outputs not compared, by file name: terminal text (e.g. inspect.out) or a report")
    parser.add_argument("--mask-dataset", action="append", default=[],
                        help="NAME=MASK: integer datasets NAME compared on the bits of MASK")
    parser.add_argument("--new-dataset", action="append", default=[],
                        help="HDF5 datasets of this name may be new after (a new metric)")
    parser.add_argument("--new-csv-column", action="append", default=[],
                        help="CSV columns NAME and NAME_* are removed after (a new metric)")
    parser.add_argument("--new-text-line", action="append", default=[],
                        help="terminal lines matching this regular expression are removed after")
    args = parser.parse_args()

    problems = []
    new_lines = [re.compile(p) for p in args.new_text_line]
    masks = {name: int(mask, 0) for name, mask in
             (m.split("=", 1) for m in args.mask_dataset)}
    paths_a, paths_b = Paths(args.before), Paths(args.after)
    files_a = {p.relative_to(args.before) for p in args.before.rglob("*")
               if p.is_file() and p.name != ".scenarios"}
    files_b = {p.relative_to(args.after) for p in args.after.rglob("*")
               if p.is_file() and p.name != ".scenarios"}
    for missing in sorted(files_a - files_b):
        problems.append(f"{missing}: only before")
    for extra in sorted(files_b - files_a):
        problems.append(f"{extra}: only after")
    compared = 0
    for relative in sorted(files_a & files_b):
        a, b = args.before / relative, args.after / relative
        if relative.suffix == ".h5":
            compare_h5(a, b, set(args.ignore_attribute), set(args.new_attribute), problems,
                       paths_a, paths_b, set(args.new_dataset), masks)
        elif relative.suffix == ".out":
            if relative.name in args.ignore_text:
                continue
            after_text = without_new_lines(b.read_text(), new_lines)
            if (without_timings(paths_a(a.read_text()), args.sizes_may_change)
                    != without_timings(paths_b(after_text), args.sizes_may_change)):
                problems.append(f"{relative}: terminal text differs")
        elif relative.suffix == ".err":
            continue  # progress lines and timings
        elif relative.suffix == ".toml":
            # `extends` is relative to where the folder is: compare the file it names.
            if extends_by_name(a.read_text()) != extends_by_name(b.read_text()):
                problems.append(f"{relative}: text differs")
        elif relative.suffix == ".csv" and args.new_csv_column:
            # Rewritten by the csv module on both sides, so that quoting is the same.
            if (without_new_columns(a.read_bytes(), ["\0"]) !=
                    without_new_columns(b.read_bytes(), args.new_csv_column)):
                problems.append(f"{relative}: bytes differ (without the new columns)")
        elif relative.name in args.ignore_text:
            continue
        elif a.read_bytes() != b.read_bytes():
            problems.append(f"{relative}: bytes differ")
        compared += 1
    for p in problems:
        print(p)
    print(f"{compared} files compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
