"""Shared fixtures: the repository, the `ulcsim` program, and running it."""

import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = SOURCE_DIR / "scenarios"


@pytest.fixture(scope="session")
def program():
    path = os.environ.get("ULCSIM_PROGRAM")
    if not path:
        pytest.fail("ULCSIM_PROGRAM is not set (run through run_pytest.py or ctest)")
    return path


@pytest.fixture(scope="session")
def ulcsim_cli(program):
    """Runs `ulcsim ARGS…`; returns the CompletedProcess (text output)."""

    def run(*args, cwd=None):
        return subprocess.run([program, *map(str, args)], capture_output=True, text=True,
                              cwd=cwd, timeout=120)

    return run
