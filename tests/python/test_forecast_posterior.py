"""forecast on a posterior and with backtests gives what `ulcsim forecast` gives: the run
file object for object, the CSV files beside it byte for byte, the skill and backtest tables,
and the program's refusals."""

import h5py
import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

DIY = SCENARIOS / "di-yogyakarta.toml"
SMALL = {"population.scale": 20}
RUN = ["--set", "population.scale=20", "--replicates", 4, "--months", 14, "--threads", 2]
FAST = ["--evaluations", 10, "--loss-replicates", 1, "--particles", 4, "--generations", 1]
FAST_ARGS = dict(evaluations=10, loss_replicates=1, particles=4, generations=1)


def scenario():
    return ulcsim.load_scenario(DIY, SMALL, replicates=4, months=14)


def same_outputs(cli, result, names):
    """The module wrote the files the program wrote (by their extensions), equal."""
    assert [p.name for p in result.paths] == [f"py{n}" for n in names]
    for name in names:
        a, b = cli.with_name("cli" + name), cli.with_name("py" + name)
        if name.endswith(".h5"):
            assert differences(a, b) == []
        else:
            assert a.read_bytes() == b.read_bytes(), name


@pytest.fixture(scope="module")
def fit(tmp_path_factory, ulcsim_cli):
    """A calibration with its skill, made by the program."""
    out = tmp_path_factory.mktemp("fit") / "diy.toml"
    done = ulcsim_cli("calibrate", DIY, "--set", "population.scale=20", "--fit", "h0_self",
                      *FAST, "--skill", "--threads", 2, "-q", "-o", out)
    assert done.returncode == 0, done.stderr
    return out.with_suffix(".fit.h5")


def test_forecast_on_a_posterior_equals_the_programs(tmp_path, ulcsim_cli, fit):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("forecast", DIY, *RUN, "--posterior", fit, "-q", "-o", cli)
    assert done.returncode == 0, done.stderr
    result = ulcsim.forecast(scenario(), posterior=fit, threads=2, output=tmp_path / "py.h5",
                             progress=False)
    same_outputs(cli, result, [".h5", ".summary.csv", ".forecast.csv", ".programmes.csv"])
    with h5py.File(cli, "r") as f:
        assert np.array_equal(result.replicate_parameters["values"],
                              f["/forecast/posterior/values"][()])
        assert np.array_equal(result.first_month, f["/forecast/first_month"][()],
                              equal_nan=True)
    assert result.parameter_source == str(fit)
    # The fit's skill came with it, and its discrepancy widens the intervals from the month
    # after the last observation fitted.
    assert result.skill["cut_offs"] == ["2024-06", "2024-10"]
    assert result.discrepancy is None or result.discrepancy["from"] == "2024-11"
    # In memory: the same forecast.
    again = ulcsim.forecast(scenario(), posterior=fit, threads=1, progress=False)
    assert np.array_equal(again.first_month, result.first_month, equal_nan=True)
    assert again.paths == []


def test_a_backtest_equals_the_programs(tmp_path, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("forecast", DIY, *RUN, "--backtest", "2024-06", "--fit", "h0_self", *FAST,
                      "-q", "-o", cli)
    assert done.returncode == 0, done.stderr
    result = ulcsim.forecast(scenario(), backtest="2024-06", fit="h0_self", threads=2,
                             output=tmp_path / "py.h5", progress=False, **FAST_ARGS)
    same_outputs(cli, result, [".h5", ".summary.csv", ".forecast.csv", ".programmes.csv",
                               ".backtest.csv"])
    table = result.backtest_to_dataframe()
    assert len(table) == 2
    with h5py.File(cli, "r") as f:
            assert np.array_equal(table["mean"].to_numpy(), f["/backtest/predicted_mean"][()])
    assert result.parameter_source == "backtest: ABC-SMC on the observations before 2024-06"


def test_a_rolling_backtest_of_the_priors_equals_the_programs(tmp_path, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("forecast", DIY, *RUN, "--rolling", "-q", "-o", cli)
    assert done.returncode == 0, done.stderr
    result = ulcsim.forecast(scenario(), rolling=True, threads=2, output=tmp_path / "py.h5",
                             progress=False)
    same_outputs(cli, result, [".h5", ".summary.csv", ".forecast.csv", ".programmes.csv",
                               ".rolling-backtest.csv", ".skill.csv", ".backtest.csv"])
    skill = result.skill_to_dataframe()
    csv = np.genfromtxt(tmp_path / "cli.skill.csv", delimiter=",", names=True)
    for column in csv.dtype.names:
        assert np.allclose(skill[column], csv[column], rtol=1e-12, equal_nan=True), column
    assert result.replicate_parameters is None and result.parameter_source is None


@pytest.mark.parametrize("arguments,options", [
    (dict(posterior="fit.h5", backtest="2024-06", fit="h0_self"),
     ["--posterior", "fit.h5", "--backtest", "2024-06", "--fit", "h0_self"]),
    (dict(backtest="2024-06", rolling=True), ["--backtest", "2024-06", "--rolling"]),
    (dict(fit="h0_self"), ["--fit", "h0_self"]),
    (dict(particles=5), ["--particles", 5]),
    (dict(backtest="2024-06", fit="h0_self", particles=0),
     ["--backtest", "2024-06", "--fit", "h0_self", "--particles", 0]),
    (dict(backtest="2031-01"), ["--backtest", "2031-01"]),
    (dict(backtest="2024-13", fit="h0_self"), ["--backtest", "2024-13", "--fit", "h0_self"]),
    (dict(by=["2040-01"]), ["--by", "2040-01"]),
])
def test_refusals_are_the_programs(tmp_path, ulcsim_cli, arguments, options):
    out = tmp_path / "never.h5"
    done = ulcsim_cli("forecast", DIY, *RUN, *options, "-q", "-o", out)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("ulcsim: error: ")
    with pytest.raises(ulcsim.InputError) as raised:
        ulcsim.forecast(scenario(), output=out, progress=False, **arguments)
    assert str(raised.value) == done.stderr[len("ulcsim: error: "):].rstrip("\n")
    assert list(tmp_path.iterdir()) == []
