#!/usr/bin/env python3
"""Runs the Python module's tests (tests/python/test_*.py) with pytest.

    PYTHON run_pytest.py BUILD_PYTHON_DIR ULCSIM_PROGRAM [TEST_FILE… or pytest arguments]

BUILD_PYTHON_DIR holds the built package (<build>/python/ulcsim); ULCSIM_PROGRAM is the
`ulcsim` program the module's outputs are compared with. Exits 77 (skipped) when this Python
lacks pytest, NumPy or h5py (setup.sh installs Debian's python3-pytest, python3-numpy and
python3-h5py)."""

import os
import sys

if __name__ == "__main__":
    missing = []
    for module in ("pytest", "numpy", "h5py"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        print(f"skipped: {sys.executable} has no {', '.join(missing)} (./setup.sh installs them)")
        sys.exit(77)
    import pytest

    package_dir, program = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, package_dir)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [package_dir] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ["ULCSIM_PROGRAM"] = program
    here = os.path.dirname(os.path.abspath(__file__))
    chosen = sys.argv[3:]
    if all(a.startswith("-") for a in chosen):
        chosen.append(here)
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", here] + chosen))
