"""Ctrl-C (SIGINT) during a long run raises KeyboardInterrupt and leaves no file behind."""

import os
import signal
import subprocess
import sys
import textwrap

from conftest import SCENARIOS

CHILD = textwrap.dedent("""
    import sys
    import ulcsim

    scenario = ulcsim.load_scenario(sys.argv[1], replicates=400, months=120)

    def progress(*_):
        print("progress", flush=True)

    ulcsim.run(scenario, sys.argv[2], threads=1, progress=progress)
    print("finished", flush=True)
""")


def test_sigint_during_a_run_leaves_no_file(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "long.h5"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(SCENARIOS / "kota-magelang-2025.toml"), str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        # Once it reports progress, its temporary file is open beside the output.
        assert child.stdout.readline().strip() == "progress", child.stderr.read()
        assert any(p.name.startswith("long.h5") for p in out_dir.iterdir())
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "finished" not in stdout
    assert "KeyboardInterrupt" in stderr
    assert child.returncode != 0
    # Neither the output, nor its temporary file, nor its lock.
    assert list(out_dir.iterdir()) == []
