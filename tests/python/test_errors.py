"""Bad input raises ulcsim.InputError (a ValueError) carrying the lines `ulcsim` prints."""

import os

import pytest

import ulcsim
from conftest import SCENARIOS

SCENARIO = SCENARIOS / "kota-magelang-2025.toml"


def test_input_error_is_a_value_error():
    assert issubclass(ulcsim.InputError, ValueError)


def test_bad_file_has_the_programs_message(tmp_path, ulcsim_cli):
    bad = tmp_path / "bad.toml"
    bad.write_text('[run]\nname = "bad"\nstart = "2024-13"\nmonths = "twelve"\n'
                   'replicates = 0\n')
    with pytest.raises(ulcsim.InputError) as raised:
        ulcsim.load_scenario(bad)
    done = ulcsim_cli("run", bad, "-q", "-o", tmp_path / "never.h5")
    assert done.returncode == 2
    assert str(raised.value) == done.stderr.rstrip("\n")
    # Every problem, each located in the file.
    lines = str(raised.value).splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{bad}:") and ": error: " in line for line in lines)
    assert lines[1] == f"{bad}:3:9: error: run.start: '2024-13' is not a month (\"YYYY-MM\")"
    assert not (tmp_path / "never.h5").exists()


def test_bad_override_has_the_programs_message(tmp_path, ulcsim_cli):
    with pytest.raises(ulcsim.InputError) as raised:
        ulcsim.load_scenario(SCENARIO, {"behaviour.h0_self": -1})
    done = ulcsim_cli("run", SCENARIO, "-q", "--set", "behaviour.h0_self=-1", "-o",
                      tmp_path / "never.h5")
    assert done.returncode == 2
    assert str(raised.value) == done.stderr.rstrip("\n")
    assert str(raised.value).startswith("--set behaviour.h0_self=-1: error: behaviour.h0_self:")


def test_unknown_key_in_vary_is_an_input_error():
    scenario = ulcsim.load_scenario(SCENARIO, replicates=1)
    with pytest.raises(ulcsim.InputError, match=r"--set run\.no_such_key=1: error"):
        scenario.vary({"run.no_such_key": 1})
    with pytest.raises(TypeError):
        scenario.vary({"run.seed": [1]})


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(ulcsim.InputError, match="no-such.toml"):
        ulcsim.load_scenario(tmp_path / "no-such.toml")


def test_output_problems_are_input_errors_and_write_nothing(tmp_path):
    scenario = ulcsim.load_scenario(SCENARIO, replicates=1, months=2)
    with pytest.raises(ulcsim.InputError, match="does not exist"):
        ulcsim.run(scenario, tmp_path / "no-such-folder" / "out.h5", progress=False)
    # An output may never replace an input of the run.
    with pytest.raises(ulcsim.InputError, match="kota-magelang-2025.toml"):
        ulcsim.run(scenario, SCENARIO, progress=False)
    assert SCENARIO.read_text().startswith("# Kota Magelang 2025")
    assert list(tmp_path.iterdir()) == []


def test_run_file_that_is_not_one(tmp_path):
    not_hdf5 = tmp_path / "text.h5"
    not_hdf5.write_text("not HDF5")
    with pytest.raises(Exception, match=os.path.basename(not_hdf5)):
        ulcsim.open_run(not_hdf5)
