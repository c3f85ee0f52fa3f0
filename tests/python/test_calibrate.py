"""calibrate gives what `ulcsim calibrate` gives: the same four files byte for byte (the fit
file object for object), the same numbers, the program's error messages, and nothing written
when Ctrl-C stops it."""

import os
import signal
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

DIY = SCENARIOS / "di-yogyakarta.toml"
# Small and quick: 20 × fewer agents, a handful of loss evaluations and particles.
SMALL = {"population.scale": 20}
FAST = ["--evaluations", 10, "--loss-replicates", 1, "--particles", 4, "--generations", 1]
FAST_ARGS = dict(evaluations=10, loss_replicates=1, particles=4, generations=1)
FILES = ("cal.toml", "cal.fit.h5", "cal.fit.csv", "cal.posterior.csv", "cal.skill.csv",
         "cal.rolling-backtest.csv")


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory, ulcsim_cli):
    """The same calibration (with its skill) by the program and by the module, each in a
    folder of its own beside the other, so that the calibrated scenarios' relative paths
    agree."""
    root = tmp_path_factory.mktemp("calibrate")
    (root / "cli").mkdir()
    (root / "py").mkdir()
    done = ulcsim_cli("calibrate", DIY, "--set", "population.scale=20", "--seed", 7, "--fit",
                      "h0_self", *FAST, "--skill", "--threads", 2, "-q", "-o",
                      root / "cli" / "cal.toml")
    assert done.returncode == 0, done.stderr
    result = ulcsim.calibrate(DIY, "h0_self", set=SMALL, seed=7, skill=True, threads=2,
                              output=root / "py" / "cal.toml", progress=False, **FAST_ARGS)
    return root, result


def test_files_equal_the_programs(calibrated):
    root, result = calibrated
    assert sorted(p.name for p in (root / "cli").iterdir()) == sorted(FILES)
    assert sorted(p.name for p in (root / "py").iterdir()) == sorted(FILES)
    for name in FILES:
        if name.endswith(".h5"):
            assert differences(root / "cli" / name, root / "py" / name) == []
        else:
            assert (root / "cli" / name).read_bytes() == (root / "py" / name).read_bytes(), name
    # The overrides are listed in the calibrated scenario, as the program lists them.
    assert "population.scale=20" in (root / "py" / "cal.toml").read_text()
    assert [p.name for p in result.paths] == list(FILES)


def test_numbers_equal_the_fit_files(calibrated):
    root, result = calibrated
    with h5py.File(root / "cli" / "cal.fit.h5", "r") as f:
        keys = [k.decode() if isinstance(k, bytes) else k for k in f["/parameters/key"][()]]
        assert result.keys == keys == ["behaviour.h0_self"]
        assert np.array_equal(result.estimate, f["/parameters/estimate"][()])
        assert np.array_equal(result.start, f["/parameters/start"][()])
        assert np.array_equal(result.draws, f["/posterior/draws"][()])
        assert np.array_equal(result.posterior["weights"], f["/posterior/weights"][()])
        assert np.array_equal(result.observations["simulated_mean"],
                              f["/observations/simulated_mean"][()])
        assert np.array_equal(result.observations["observed"], f["/observations/observed"][()])
        assert result.estimate_loss == f["/optimiser/loss"][1]
    # The posterior as a table, and the skill as the skill CSV has it.
    table = result.to_dataframe()
    assert list(table.columns) == ["weight", "distance", "behaviour.h0_self"]
    assert len(table) == 4 and table["weight"].sum() == pytest.approx(1, abs=1e-12)
    csv = np.genfromtxt(root / "cli" / "cal.skill.csv", delimiter=",", names=True)
    skill = result.skill_to_dataframe()
    assert list(skill.columns) == list(csv.dtype.names)
    for column in csv.dtype.names:
        assert np.allclose(skill[column], csv[column], rtol=1e-12, equal_nan=True), column
    assert result.skill["cut_offs"] == ["2024-06", "2024-10"]
    parameters = result.parameters_to_dataframe()
    assert parameters.loc["behaviour.h0_self", "estimate"] == result.estimate[0]
    observations = result.observations_to_dataframe()
    assert len(observations) == 3 and list(observations["observed"]) == list(
        result.observations["observed"])
    assert repr(result).startswith("<ulcsim.Calibration di-yogyakarta: behaviour.h0_self; RMSE")


def test_in_memory_equals_the_file_and_writes_nothing(calibrated, tmp_path, monkeypatch):
    _, written = calibrated
    monkeypatch.chdir(tmp_path)
    again = ulcsim.calibrate(ulcsim.load_scenario(DIY, SMALL, seed=7), ["h0_self"], threads=1,
                             progress=False, **FAST_ARGS)
    assert list(tmp_path.iterdir()) == [] and again.paths == []
    # Another thread count, the same numbers.
    assert np.array_equal(again.estimate, written.estimate)
    assert np.array_equal(again.draws, written.draws)
    assert again.skill is None


@pytest.mark.parametrize("arguments,options", [
    (dict(fit="h0_selfish"), ["--fit", "h0_selfish"]),
    (dict(fit="h0_self", prior={"h0_self": (0, 20)}), ["--fit", "h0_self", "--prior",
                                                       "h0_self=0.0:20.0"]),
    (dict(fit="h0_self,h0_self"), ["--fit", "h0_self,h0_self"]),
    (dict(fit="h0_self", particles=1), ["--fit", "h0_self", "--particles", 1]),
    (dict(fit="h0_self", until="2024-02"), ["--fit", "h0_self", "--until", "2024-02"]),
    (dict(fit="h0_self", until="June"), ["--fit", "h0_self", "--until", "June"]),
    (dict(fit="h0_self", particles=0, skill=True), ["--fit", "h0_self", "--particles", 0,
                                                    "--skill"]),
])
def test_errors_are_the_programs(tmp_path, ulcsim_cli, arguments, options):
    out = tmp_path / "never.toml"
    done = ulcsim_cli("calibrate", DIY, *options, "-q", "-o", out)
    assert done.returncode == 2
    assert done.stderr.startswith("ulcsim: error: ")
    with pytest.raises(ulcsim.InputError) as raised:
        ulcsim.calibrate(DIY, output=out, progress=False, **arguments)
    assert str(raised.value) == done.stderr[len("ulcsim: error: "):].rstrip("\n")
    assert list(tmp_path.iterdir()) == []


def test_a_scenario_without_observations(tmp_path, ulcsim_cli):
    scenario = SCENARIOS / "kota-magelang-2025.toml"
    done = ulcsim_cli("calibrate", scenario, "--fit", "h0_self", "-q", "-o", tmp_path / "x.toml")
    assert done.returncode == 2
    with pytest.raises(ulcsim.InputError) as raised:
        ulcsim.calibrate(scenario, "h0_self", progress=False)
    assert str(raised.value) == done.stderr[len("ulcsim: error: "):].rstrip("\n")
    assert "no observations" in str(raised.value)


CHILD = textwrap.dedent("""
    import sys
    import ulcsim

    def progress(simulations):
        print("progress", simulations, flush=True)

    ulcsim.calibrate(sys.argv[1], "h0_self", set={"population.scale": 20}, particles=400,
                     generations=20, evaluations=4000, threads=1, output=sys.argv[2],
                     progress=progress)
    print("finished", flush=True)
""")


def test_sigint_during_calibrate_leaves_no_file(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(DIY), str(out_dir / "c.toml")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=os.environ.copy())
    try:
        line = child.stdout.readline()
        assert line.startswith("progress"), child.stderr.read()
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "finished" not in stdout
    assert "KeyboardInterrupt" in stderr
    assert child.returncode != 0
    # Neither an output, nor a temporary file, nor the output's lock.
    assert list(out_dir.iterdir()) == []
