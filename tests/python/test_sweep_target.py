"""sweep and target give what `ulcsim sweep` and `ulcsim target` give."""

import re

import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS
from h5_equality import differences

SCENARIO = SCENARIOS / "kota-magelang-2025.toml"


def test_sweep_file_equals_the_programs(tmp_path, ulcsim_cli):
    cli = tmp_path / "cli.h5"
    done = ulcsim_cli("sweep", SCENARIO, "-q", "-o", cli, "--threads", 2, "--replicates", 2,
                      "--months", 14, "--vary", "behaviour.h0_self=0.001,0.004",
                      "--vary", "programme.kota-magelang-apbd.acceptance=0.5,0.9")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "py.h5"
    scenario = ulcsim.load_scenario(SCENARIO, replicates=2, months=14)
    result = ulcsim.sweep(scenario, {"behaviour.h0_self": [0.001, 0.004],
                                     "programme.kota-magelang-apbd.acceptance": [0.5, 0.9]},
                          output=out, threads=2, progress=False)
    assert differences(cli, out) == []
    assert out.with_suffix(".csv").read_bytes() == cli.with_suffix(".csv").read_bytes()
    assert result.shape == (2, 2)
    assert result.axes[0] == ("behaviour.h0_self", ["0.001", "0.004"])
    # More self-enrolment, more coverage, whatever the acceptance.
    rate = result.grid("coverage_rate_2025-02")
    assert np.all(rate[1] > rate[0])
    assert result.to_xarray()["level"].dims == (
        "behaviour.h0_self", "programme.kota-magelang-apbd.acceptance", "measure", "statistic")


def test_sweep_refuses_keys_it_cannot_vary():
    scenario = ulcsim.load_scenario(SCENARIO, replicates=1, months=2)
    with pytest.raises(ValueError, match="run.seed cannot be varied"):
        ulcsim.sweep(scenario, {"run.seed": [1, 2]}, progress=False)
    with pytest.raises(KeyError, match="behaviour.h0_selff"):
        ulcsim.sweep(scenario, {"behaviour.h0_selff": [1, 2]}, progress=False)


def answer_of(stdout):
    return re.search(r"^Answer: (.*?): P = ", stdout, re.M).group(1)


def tried(stdout):
    return int(re.search(r"^Candidates tried: (\d+)", stdout, re.M).group(1))


def test_target_over_a_key_finds_the_programs_answer(ulcsim_cli):
    args = ["--reach", "0.3", "--by", "2024-09", "--probability", "0.8", "--vary",
            "behaviour.h0_self", "--lowest", "0", "--highest", "0.02", "--step", "0.001"]
    done = ulcsim_cli("target", SCENARIO, "-q", "--replicates", 3, "--threads", 2, *args)
    assert done.returncode == 0, done.stderr
    result = ulcsim.target(ulcsim.load_scenario(SCENARIO, replicates=3), 0.3, by="2024-09",
                           probability=0.8, vary="behaviour.h0_self", lowest=0, highest=0.02,
                           step=0.001, threads=2, progress=False)
    assert answer_of(done.stdout) == f"behaviour.h0_self = {result.answer}"
    # The CLI evaluates one step less after the search; the module reports the search's.
    assert len(result.trials) in (tried(done.stdout), tried(done.stdout) - 1)
    met = {t["label"]: t["probability"] for t in result.trials}
    assert met[result.answer] >= 0.8
    assert result.not_monotone is None


def test_target_over_a_budget(ulcsim_cli):
    done = ulcsim_cli("target", SCENARIO, "-q", "--replicates", 3, "--threads", 2, "--reach",
                      "0.305", "--by", "2024-09", "--probability", "0.5", "--programme",
                      "kota-magelang-apbd", "--vary", "budget")
    assert done.returncode == 0, done.stderr
    result = ulcsim.target(ulcsim.load_scenario(SCENARIO, replicates=3), 0.305, by="2024-09",
                           probability=0.5, programme="kota-magelang-apbd", lever="budget",
                           threads=2, progress=False)
    # "Rp76,809,600 a year": the smallest budget meeting the goal, found the same way.
    assert answer_of(done.stdout) == f"Rp{result.answer:,} a year"
    assert len(result.trials) == tried(done.stdout)
    probability = {t["value"]: t["probability"] for t in result.trials}
    assert probability[result.answer] >= 0.5
    assert result.lever == "kota-magelang-apbd yearly budget (IDR)"


def test_target_needs_one_lever():
    scenario = ulcsim.load_scenario(SCENARIO, replicates=1)
    with pytest.raises(ValueError, match="either vary"):
        ulcsim.target(scenario, 0.3, by="2025-12", probability=0.8, progress=False)
    with pytest.raises(ValueError, match="by or at"):
        ulcsim.target(scenario, 0.3, probability=0.8, vary="behaviour.h0_self",
                      progress=False)
