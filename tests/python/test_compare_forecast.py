"""compare and forecast give what `ulcsim compare` and `ulcsim forecast` give."""

import h5py
import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

SIX = SCENARIOS / "kota-magelang-2024.toml"
TWELVE = SCENARIOS / "kota-magelang-2025.toml"


def test_compare_file_equals_the_programs(tmp_path, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("compare", SIX, TWELVE, "-q", "-o", cli, "--threads", 2,
                      "--replicates", 3, "--months", 20)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.h5"
    result = ulcsim.compare(SIX, TWELVE, replicates=3, months=20, output=out, threads=2,
                            progress=False)
    assert differences(cli, out) == []
    assert out.with_suffix(".csv").read_bytes() == cli.with_suffix(".csv").read_bytes()
    assert result.scenarios == ["kota-magelang-2024", "kota-magelang-2025"]
    assert result.values.shape == (2, 3, len(result.measures))
    with h5py.File(cli, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["/measures/name"][()]]
    assert result.measure_names == names
    # The base's differences are zero; the others' are the paired ones.
    m = result.measure("coverage_rate_2025-08")
    assert np.all(result.differences[0, m] == 0)
    paired = result.paired_differences("coverage_rate_2025-08")
    assert result.differences[1, m, 0] == pytest.approx(paired[1].mean(), rel=1e-12)
    table = result.to_dataframe()
    assert table.loc[("coverage_rate_2025-08", "kota-magelang-2025"), "mean"] == \
        result.levels[1, m, 0]


def test_compare_loaded_scenarios_are_paired():
    base = ulcsim.load_scenario(SIX, replicates=3, months=8)
    other = ulcsim.load_scenario(TWELVE, replicates=5, months=8, seed=99)
    result = ulcsim.compare(base, other, progress=False)
    # The other took the base's seed and replicates: common random numbers. Until 2024-12
    # both scenarios are the same, so every paired difference in 2024-08 is exactly zero.
    assert result.values.shape[:2] == (2, 3)
    assert np.all(result.paired_differences("coverage_rate_2024-08")[1] == 0)
    independent = ulcsim.compare(base, other, independent_seeds=True, progress=False)
    assert np.any(independent.paired_differences("coverage_rate_2024-08")[1] != 0)
    with pytest.raises(ValueError, match="same run.start"):
        ulcsim.compare(base, ulcsim.load_scenario(TWELVE, replicates=3, months=9),
                       progress=False)


def test_forecast_equals_the_programs(tmp_path, ulcsim_cli):
    cli = tmp_path / "forecast.h5"
    done = ulcsim_cli("forecast", TWELVE, "-q", "-o", cli, "--threads", 2, "--replicates", 6,
                      "--threshold", "0.3", "--by", "2025-12", "--by", "2026-12")
    assert done.returncode == 0, done.stderr
    result = ulcsim.forecast(ulcsim.load_scenario(TWELVE, replicates=6), threshold=0.3,
                             by=["2025-12", "2026-12"], threads=2, progress=False)
    with h5py.File(cli, "r") as f:
        def text(name):
            return [v.decode() if isinstance(v, bytes) else v for v in f[name][()]]

        assert [a[0] for a in result.areas] == text("/forecast/areas/code")
        assert np.array_equal(result.first_month, f["/forecast/first_month"][()],
                              equal_nan=True)
        assert np.array_equal(result.quantile, f["/forecast/quantile"][()], equal_nan=True)
        assert np.array_equal(result.never, f["/forecast/never"][()])
        assert np.array_equal(result.probability_by, f["/forecast/probability_by"][()])
        assert result.by == text("/forecast/by")
        assert f["/forecast/threshold"][()] == result.threshold == 0.3
    dates = result.first_month_dates("33.71")
    assert dates.dtype == np.dtype("datetime64[ns]") and dates.shape == (6,)
    assert set(result.to_dataframe().index) == {a[0] for a in result.areas}


def test_report_page_equals_the_programs(tmp_path, ulcsim_cli):
    runs = []
    for scenario in (SIX, TWELVE):
        runs.append(tmp_path / f"{scenario.stem}.h5")
        ulcsim.run(ulcsim.load_scenario(scenario, replicates=2, months=14), runs[-1],
                   progress=False)
    cli = tmp_path / "cli.html"
    done = ulcsim_cli("report", *runs, "-o", cli, "--lang", "id")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.html"
    page = ulcsim.report(runs, out, lang="id")
    assert out.read_bytes() == cli.read_bytes() == page.encode()
    # Without the simulated baseline, as --no-baseline gives it.
    bare = tmp_path / "bare.html"
    done = ulcsim_cli("report", *runs, "-o", bare, "--no-baseline")
    assert done.returncode == 0, done.stderr
    assert ulcsim.report(runs, simulate_baseline=False).encode() == bare.read_bytes()
    bare.unlink()
    with pytest.raises(ulcsim.InputError, match="not-a-run.h5"):
        ulcsim.report([tmp_path / "not-a-run.h5"])
    # A report never replaces one of its run files.
    with pytest.raises(ulcsim.InputError):
        ulcsim.report(runs, runs[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["cli.html", "py.html"] + [f"kota-magelang-{year}{extension}" for year in (2024, 2025)
                                   for extension in (".h5", ".summary.csv", ".programmes.csv")])


@pytest.mark.parametrize("threshold", [None, 0.3])
def test_forecast_file_equals_the_programs(tmp_path, ulcsim_cli, threshold):
    cli = tmp_path / "cli.h5"
    extra = [] if threshold is None else ["--threshold", str(threshold)]
    done = ulcsim_cli("forecast", TWELVE, "-q", "-o", cli, "--threads", 2, "--replicates", 3,
                      "--months", 20, *extra)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.h5"
    result = ulcsim.forecast(ulcsim.load_scenario(TWELVE, replicates=3, months=20),
                             threshold=threshold, output=out, threads=2, progress=False)
    assert differences(cli, out) == []
    assert [p.name for p in result.paths] == [
        "py.h5", "py.summary.csv", "py.forecast.csv", "py.programmes.csv"]
    for csv in (".summary.csv", ".forecast.csv", ".programmes.csv"):
        assert out.with_suffix(csv).read_bytes() == cli.with_suffix(csv).read_bytes(), csv
    stored = ulcsim.open_run(out)
    assert np.array_equal(stored.file.array("/forecast/first_month"), result.first_month,
                          equal_nan=True)
