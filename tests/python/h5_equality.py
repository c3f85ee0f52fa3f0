"""Two HDF5 files hold the same thing: the same groups, datasets (dtype, shape, every value,
NaN where NaN) and attributes."""

import h5py
import numpy as np


def _same_values(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def differences(path_a, path_b):
    """What differs, one line per object (empty when the files agree)."""
    found = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            found.append(f"objects: {sorted(set(names_a) ^ set(names_b))}")
        for name in ["/"] + sorted(set(names_a) & set(names_b)):
            oa, ob = a[name], b[name]
            if set(oa.attrs) != set(ob.attrs):
                found.append(f"{name}: attributes {sorted(set(oa.attrs) ^ set(ob.attrs))}")
            for key in set(oa.attrs) & set(ob.attrs):
                if not _same_values(oa.attrs[key], ob.attrs[key]):
                    found.append(f"{name}@{key}: {oa.attrs[key]!r} != {ob.attrs[key]!r}")
            if isinstance(oa, h5py.Dataset) and not _same_values(oa[()], ob[()]):
                found.append(f"{name}: values differ")
    return found
