"""Runs on a posterior, chosen as the program chooses it: the scenario's run.posterior by
default, a file given (--posterior), or none (--priors)."""

import h5py
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

SIX = SCENARIOS / "kota-magelang-2024.toml"
TWELVE = SCENARIOS / "kota-magelang-2025.toml"
# Two draws of equal weight: with 4 replicates, systematic resampling gives replicates 0 and 1
# the first draw, 2 and 3 the second.
POSTERIOR = "draw,weight,distance,behaviour.h0_self\n0,0.5,0.01,0.008\n1,0.5,0.01,0.048\n"


@pytest.fixture
def posterior(tmp_path):
    path = tmp_path / "fit.posterior.csv"
    path.write_text(POSTERIOR)
    return path


def test_run_on_a_posterior_file_equals_the_programs(tmp_path, posterior, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("run", TWELVE, "-q", "-o", cli, "--threads", 2, "--replicates", 4,
                      "--months", 8, "--posterior", posterior)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.h5"
    ulcsim.run(ulcsim.load_scenario(TWELVE, replicates=4, months=8), out, threads=2,
               posterior=posterior, progress=False)
    assert differences(cli, out) == []
    with h5py.File(out, "r") as f:
        assert list(f["/replicate_parameters/values"][:, 0]) == [0.008, 0.008, 0.048, 0.048]


def test_the_scenarios_run_posterior_is_the_default(tmp_path, posterior, ulcsim_cli):
    calibrated = tmp_path / "calibrated.toml"
    calibrated.write_text(f'extends = "{TWELVE}"\n[run]\nposterior = "{posterior.name}"\n')
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("run", calibrated, "-q", "-o", cli, "--threads", 2, "--replicates", 4,
                      "--months", 6)
    assert done.returncode == 0, done.stderr
    scenario = ulcsim.load_scenario(calibrated, replicates=4, months=6)
    out = tmp_path / "py.h5"
    ulcsim.run(scenario, out, threads=2, progress=False)
    assert differences(cli, out) == []
    with h5py.File(out, "r") as f:
        assert f["/replicate_parameters"].attrs["source"].endswith(
            ", the scenario's run.posterior; --priors runs without it")
    # posterior=False: the scenario's own values, as --priors.
    priors = tmp_path / "priors.h5"
    ulcsim.run(scenario, priors, threads=2, posterior=False, progress=False)
    with h5py.File(priors, "r") as f:
        assert "replicate_parameters" not in f
    # In memory, the same draws.
    memory = ulcsim.run(scenario, threads=2, progress=False)
    stored = ulcsim.open_run(out)
    assert (memory.series("covered") == stored.series("covered")).all()
    # A forecast runs on it too, as the program's does.
    cli_forecast = tmp_path / "cli-forecast.h5"
    done = ulcsim_cli("forecast", calibrated, "-q", "-o", cli_forecast, "--threads", 2,
                      "--replicates", 4, "--months", 6)
    assert done.returncode == 0, done.stderr
    forecast = ulcsim.forecast(scenario, output=tmp_path / "py-forecast.h5", threads=2,
                               progress=False)
    assert differences(cli_forecast, tmp_path / "py-forecast.h5") == []
    assert forecast.parameter_source.endswith(
        ", the scenario's run.posterior; --priors runs without it")
    assert forecast.replicate_parameters["values"][:, 0].tolist() == [0.008, 0.008, 0.048, 0.048]


def test_compare_on_a_posterior_equals_the_programs(tmp_path, posterior, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("compare", SIX, TWELVE, "-q", "-o", cli, "--threads", 2, "--replicates",
                      4, "--months", 14, "--posterior", posterior)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.h5"
    ulcsim.compare(SIX, TWELVE, replicates=4, months=14, output=out, threads=2,
                   posterior=posterior, progress=False)
    assert differences(cli, out) == []


def test_a_posterior_that_cannot_be_read_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.posterior.csv"
    bad.write_text("draw,weight,distance,behaviour.h0_self\n0,x,0.01,0.008\n")
    with pytest.raises(ulcsim.InputError, match="bad.posterior.csv"):
        ulcsim.run(ulcsim.load_scenario(TWELVE, replicates=2, months=2), posterior=bad,
                   progress=False)
