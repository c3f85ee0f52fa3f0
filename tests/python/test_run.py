"""ulcsim.run writes the run file `ulcsim run` writes, and keeps the same series in memory."""

import sys
import types

import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

SCENARIO = SCENARIOS / "kota-magelang-2025.toml"
# Small and quick, yet every part of the file: programmes, observations, two years.
SETTINGS = dict(replicates=3, months=18, seed=11)
THREADS = 2


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, ulcsim_cli):
    out = tmp_path_factory.mktemp("cli") / "run.h5"
    done = ulcsim_cli("run", SCENARIO, "-q", "-o", out, "--threads", THREADS,
                      "--replicates", SETTINGS["replicates"], "--months", SETTINGS["months"],
                      "--seed", SETTINGS["seed"])
    assert done.returncode == 0, done.stderr
    return out


def test_file_equals_the_programs_bit_for_bit(cli_run, tmp_path):
    scenario = ulcsim.load_scenario(SCENARIO, **SETTINGS)
    out = tmp_path / "run.h5"
    run = ulcsim.run(scenario, out, threads=THREADS, progress=False)
    assert run.path == out
    assert differences(cli_run, out) == []
    # Beside it, the program's CSV files, byte for byte.
    for csv in (".summary.csv", ".programmes.csv"):
        assert out.with_suffix(csv).read_bytes() == cli_run.with_suffix(csv).read_bytes(), csv
    # And the comparison can fail: another seed differs.
    other = tmp_path / "other.h5"
    ulcsim.run(scenario.vary({"run.seed": 12}), other, threads=THREADS, progress=False)
    assert any("values differ" in d for d in differences(cli_run, other))


def test_file_does_not_depend_on_threads(cli_run, tmp_path):
    scenario = ulcsim.load_scenario(SCENARIO, **SETTINGS)
    out = tmp_path / "one-thread.h5"
    ulcsim.run(scenario, out, threads=1, progress=False)
    # Only /meta@threads records how it ran.
    assert differences(cli_run, out) == ["meta@threads: 2 != 1"]


def test_in_memory_series_equal_the_file(cli_run):
    scenario = ulcsim.load_scenario(SCENARIO, **SETTINGS)
    memory = ulcsim.run(scenario, threads=THREADS, progress=False)
    stored = ulcsim.open_run(cli_run)
    assert memory.path is None
    assert memory.month_names == stored.month_names
    assert memory.regions == stored.regions
    assert sorted(memory.metrics) == sorted(stored.metrics)
    for metric in memory.metrics:
        a, b = memory.series(metric), stored.series(metric)
        assert a.shape == (3, 18, 1, 3)
        assert np.array_equal(a, b, equal_nan=True), metric
    for metric in ("members", "spent_idr"):
        assert np.array_equal(memory.programme_series(metric), stored.programme_series(metric))
    # The coverage the summaries hold (nation level, all segments) from the series.
    rate = memory.coverage()
    summary = stored.summary("coverage_rate", "nation")  # [statistic, month, segment]
    assert np.allclose(rate.mean(axis=0), summary[0, :, 3], rtol=1e-12)


def test_arrays_are_the_engines_buffers_not_copies(cli_run):
    memory = ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=1, months=2), progress=False)
    covered = memory.series("covered")
    # Owned by the capsule that holds the engine's vector: NumPy did not copy it.
    assert not covered.flags.owndata
    assert covered.base is not None
    assert covered.dtype == np.float64 and covered.flags.c_contiguous


def test_progress_callback_sees_the_work_done(tmp_path):
    calls = []
    ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=6, months=36), threads=2,
               progress=lambda *args: calls.append(args))
    assert calls, "no progress reported"
    for done, total, replicates_done, replicates_total in calls:
        assert 0 <= done <= total and total > 0
        assert 0 <= replicates_done <= replicates_total == 6
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_a_callback_that_raises_stops_the_run_and_leaves_no_file(tmp_path):
    out = tmp_path / "stopped.h5"

    def refuse(*_):
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=4, months=36), out, threads=1,
                   progress=refuse)
    assert list(tmp_path.iterdir()) == []


def test_keep_summaries_and_checkpoint(tmp_path, ulcsim_cli):
    scenario = ulcsim.load_scenario(SCENARIO, replicates=2, months=6)
    out = tmp_path / "summaries.h5"
    run = ulcsim.run(scenario, out, threads=1, keep="summaries", checkpoint_at="2024-04",
                     progress=False)
    assert not run.file.has_series
    assert run.summary("covered").shape[:2] == (9, 6)
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("run", SCENARIO, "-q", "-o", cli, "--threads", 1, "--replicates", 2,
                      "--months", 6, "--keep", "summaries", "--checkpoint-at", "2024-04")
    assert done.returncode == 0, done.stderr
    assert differences(cli, out) == []


def test_branch_from_a_checkpoint_equals_the_programs(tmp_path, ulcsim_cli):
    first = tmp_path / "first.h5"
    ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=2, months=12, seed=5), first,
               threads=2, checkpoint_at="2024-06", progress=False)
    cli = tmp_path / "cli-branch.h5"
    done = ulcsim_cli("run", SCENARIO, "-q", "-o", cli, "--threads", 2, "--set",
                      "run.start=2024-06", "--months", 6, "--from-checkpoint", first)
    assert done.returncode == 0, done.stderr
    info = ulcsim._ulcsim._checkpoint_info(str(first))
    assert (info["seed"], info["replicates"], info["month"]) == (5, 2, "2024-06")
    branch = ulcsim.load_scenario(SCENARIO, {"run.start": "2024-06"}, months=6,
                                  seed=info["seed"], replicates=info["replicates"])
    out = tmp_path / "py-branch.h5"
    run = ulcsim.run(branch, out, threads=2, from_checkpoint=first, progress=False)
    # /meta names the checkpoint as given, the same path here.
    assert differences(cli, out) == []
    assert run.file.meta["from_checkpoint"] == str(first)
    # A branch that changes nothing continues the first run exactly.
    continued = ulcsim.open_run(first).series("covered")[:, 5:11]
    assert np.array_equal(run.series("covered"), continued)
    with pytest.raises(ulcsim.InputError, match="run.start"):
        ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=2, months=6), tmp_path / "x.h5",
                   from_checkpoint=first, progress=False)


def test_progress_true_moves_a_tqdm_bar(monkeypatch):
    bars = []

    class Bar:
        """What tqdm.auto.tqdm is to the hook: total, update, n, set_postfix_str, close."""

        def __init__(self, total, **_):
            self.total, self.n, self.closed, self.postfix = total, 0, False, ""
            bars.append(self)

        def update(self, k):
            self.n += k

        def set_postfix_str(self, text, refresh=True):
            self.postfix = text

        def close(self):
            self.closed = True

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = Bar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    ulcsim.run(ulcsim.load_scenario(SCENARIO, replicates=6, months=36), threads=2)
    assert len(bars) == 1 and bars[0].closed
    assert 0 < bars[0].n <= bars[0].total == 100
    assert bars[0].postfix.startswith("replicates ")
