"""Whether two runs wrote the same outputs: the MPI tests (tests/mpi/mpi_test.py) and the MPI
scaling measurement (results/mpi/scaling.py) set mpirun's files beside the single-process
ones with it. Needs h5py and NumPy.

"The same" means: the same file names; in HDF5 files, the same objects, every dataset the same
type, shape and bytes, every attribute the same but /meta's `threads` (the threads of one
process, which do not change the results); every other file the same bytes.
"""
import pathlib

import h5py
import numpy as np

IGNORED_ATTRIBUTES = {("/meta", "threads")}


def same_values(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "O" or y.dtype.kind == "O":  # variable-length strings
        return x.shape == y.shape and x.tolist() == y.tolist()
    return x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()


def h5_differences(a, b):
    """What differs between two HDF5 files (empty: nothing)."""
    out = []
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            return [f"objects differ: {sorted(set(names_a) ^ set(names_b))}"]
        for name in ["/"] + sorted(names_a):
            oa, ob = fa[name], fb[name]
            path = "/" + name.lstrip("/")
            keys_a = {k for k in oa.attrs.keys() if (path, k) not in IGNORED_ATTRIBUTES}
            keys_b = {k for k in ob.attrs.keys() if (path, k) not in IGNORED_ATTRIBUTES}
            if keys_a != keys_b:
                out.append(f"{path}: attributes {sorted(keys_a ^ keys_b)}")
            for k in sorted(keys_a & keys_b):
                va, vb = oa.attrs[k], ob.attrs[k]
                if not same_values(va, vb):
                    out.append(f"{path}@{k}: {repr(va)[:80]} != {repr(vb)[:80]}")
            if isinstance(oa, h5py.Dataset):
                if oa.dtype != ob.dtype or oa.shape != ob.shape:
                    out.append(f"{path}: {oa.dtype}{oa.shape} != {ob.dtype}{ob.shape}")
                elif not same_values(oa[()], ob[()]):
                    out.append(f"{path}: values differ")
    return out


def output_differences(reference, other, ignore=lambda name: False):
    """What differs between the files of two directories, those `ignore` names aside."""
    reference, other = pathlib.Path(reference), pathlib.Path(other)
    files_a = sorted(p.name for p in reference.iterdir() if not ignore(p.name))
    files_b = sorted(p.name for p in other.iterdir() if not ignore(p.name))
    if files_a != files_b:
        return [f"files {files_a} != {files_b}"]
    out = []
    for name in files_a:
        if name.endswith(".h5"):
            out += [f"{name}: {d}" for d in h5_differences(reference / name, other / name)]
        elif (reference / name).read_bytes() != (other / name).read_bytes():
            out.append(f"{name} differs")
    return out
