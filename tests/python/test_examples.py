"""The examples run (few replicates, a coarse population) and draw their PNG."""

import os
import subprocess
import sys

import pytest

from conftest import SOURCE_DIR

pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

EXAMPLES = SOURCE_DIR / "examples"


@pytest.mark.parametrize("script, args", [
    ("twelve_vs_six_months.py", ["--replicates", "2"]),
    ("when_does_my_province_reach_ulc.py", ["--replicates", "3", "--scale", "2000",
                                             "--threshold", "0.33"]),
    ("calibrate_then_forecast.py", ["--scale", "20", "--particles", "4", "--evaluations", "10",
                                    "--generations", "1", "--replicates", "4", "--months",
                                    "24"]),
])
def test_example_draws_its_plot(tmp_path, script, args):
    png = tmp_path / "plot.png"
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args, "--output", str(png)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    assert f"{png}: written" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
