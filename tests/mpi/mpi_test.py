#!/usr/bin/env python3
"""mpirun -n P ulcsim … against the same program built without MPI (ulcsim-serial).

  mpi_test.py ULCSIM ULCSIM_SERIAL SCENARIOS GROUP

GROUP is one of:
  replicates  `run` of Jawa Tengah, 5 replicates, at P = 1, 2, 4 and 1 or 2 threads per rank
  regions     one replicate split by region at P = 2, 4; three replicates with --distribute
              regions at P = 2
  commands    run --checkpoint-at and a branch --from-checkpoint, compare, sweep, forecast,
              calibrate and target at P = 2 (some also at 3 or 4)
  failures    a rank that fails (bad input on one rank, on every rank, a rank that runs out of
              memory once rank 0 has started writing, ranks given different seeds) ends the job
              with a non-zero status within seconds, one message, and no file under the output
              name or beside it

"Identical" is tests/support/same_outputs.py's: the same files; every HDF5 dataset the same
type, shape and bytes; every attribute the same but /meta's `threads` (the threads of one
process); every other file the same bytes. Exit status 0 passes, 1 fails, 77 skips (no
mpirun, or no h5py).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
try:
    from same_outputs import output_differences
except ImportError:
    # As tests/support/test_support.cpp: python3 on PATH, else Debian's, which setup.sh gives h5py.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("no h5py/numpy: skipped")
    sys.exit(77)

ULCSIM, SERIAL, SCENARIOS, GROUP = sys.argv[1:5]
MPIRUN = shutil.which("mpirun")
if MPIRUN is None:
    print("no mpirun: skipped")
    sys.exit(77)

# CI runs as root; Open MPI refuses that unless told. --oversubscribe: 4 ranks on 2 cores.
# In containers, the shared-memory transport's single copy (Linux CMA) may be forbidden.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none")
MPI = [MPIRUN, "--oversubscribe", "--bind-to", "none"]
failures = []


def scenario(name):
    return str(pathlib.Path(SCENARIOS) / name)


def run(args, cwd, ranks=None, timeout=600):
    command = (MPI + ["-n", str(ranks), ULCSIM] if ranks else [SERIAL]) + args
    started = time.monotonic()
    r = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True,
                       timeout=timeout)
    return r, time.monotonic() - started


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)
    return condition


def same_outputs(reference, other, label):
    differences = output_differences(reference, other)
    if check(not differences, f"{label}: " + "; ".join(differences[:5])):
        print(f"ok: {label}: {len(list(pathlib.Path(reference).iterdir()))} files identical")


def compare_runs(args, configurations, work, name, serial_extra=()):
    """Runs `args` (+ serial_extra) once without MPI, then under mpirun for each (ranks,
    extra args)."""
    reference = pathlib.Path(work) / f"{name}-serial"
    reference.mkdir()
    r, _ = run(args + list(serial_extra), reference)
    if not check(r.returncode == 0, f"{name} without MPI: status {r.returncode}: {r.stderr}"):
        return
    for ranks, extra in configurations:
        label = f"{name} -n {ranks} {' '.join(extra)}".strip()
        d = pathlib.Path(work) / label.replace(" ", "_")
        d.mkdir()
        r, seconds = run(args + extra, d, ranks)
        if check(r.returncode == 0, f"{label}: status {r.returncode}: {r.stderr}"):
            print(f"     {label}: {seconds:.1f} s")
            same_outputs(reference, d, label)


JT = [scenario("jawa-tengah.toml"), "--set", "population.scale=200", "--months", "30", "-q"]


def group_replicates(work):
    compare_runs(["run"] + JT + ["--replicates", "5", "-o", "out.h5"],
                 [(1, ["--threads", "1"]), (2, ["--threads", "1"]), (2, ["--threads", "2"]),
                  (4, ["--threads", "1"])],
                 work, "run-replicates", ["--threads", "2"])


def group_regions(work):
    compare_runs(["run"] + JT + ["--replicates", "1", "-o", "out.h5"],
                 [(2, ["--threads", "1"]), (4, ["--threads", "1"]), (2, ["--threads", "2"])],
                 work, "run-one-replicate", ["--threads", "2"])
    compare_runs(["run"] + JT + ["--replicates", "3", "-o", "out.h5", "--threads", "1"],
                 [(2, ["--distribute", "regions"]), (3, ["--distribute", "regions"])],
                 work, "run-regions")


def group_commands(work):
    # Checkpoints travel to rank 0 with the series; a branch reads its states on every rank.
    km24 = scenario("kota-magelang-2024.toml")
    compare_runs(["run", km24, "--replicates", "3", "--months", "18", "--checkpoint-at",
                  "2025-01", "-q", "-o", "base.h5"], [(2, []), (4, [])], work, "checkpoint")
    base = str(pathlib.Path(work) / "checkpoint-serial" / "base.h5")
    compare_runs(["run", km24, "--from-checkpoint", base, "--set", "run.start=2025-01",
                  "--months", "11", "-q", "-o", "branch.h5"], [(2, [])], work, "branch")
    km = [scenario("kota-magelang-2024.toml"), scenario("kota-magelang-2025.toml")]
    compare_runs(["compare"] + km + ["--replicates", "4", "-q", "-o", "out.h5"], [(2, [])],
                 work, "compare")
    compare_runs(["sweep", scenario("kota-magelang-2025.toml"), "--replicates", "2", "-q",
                  "-o", "out.h5", "--vary",
                  "programme.kota-magelang-apbd.continue_after_subsidy=0:1:3"],
                 [(2, []), (3, [])], work, "sweep")
    compare_runs(["forecast"] + JT + ["--replicates", "4", "-o", "out.h5"], [(2, [])], work,
                 "forecast")
    # target writes no file: its answer is what it prints, after ensembles every rank decides on.
    target = ["target", scenario("kota-magelang-2025.toml"), "--set", "population.scale=4",
              "--replicates", "10", "--reach", "30%", "--by", "2025-12", "--probability", "80%",
              "--programme", "kota-magelang-apbd", "--vary", "budget", "-q"]
    serial, _ = run(target, work)
    shared, _ = run(target, work, 2)
    if check(serial.returncode == 0 and shared.returncode == 0,
             f"target: status {serial.returncode}, {shared.returncode}: {shared.stderr}"):
        if check(serial.stdout == shared.stdout and serial.stdout.strip(),
                 f"target -n 2 printed:\n{shared.stdout}\nnot:\n{serial.stdout}"):
            print("ok: target -n 2: the same answer")
    compare_runs(["calibrate", scenario("jawa-tengah.toml"), "--set", "population.scale=2000",
                  "--fit", "population.initial_coverage.informal_self", "--prior",
                  "population.initial_coverage.informal_self=0.05:0.3", "--particles", "12",
                  "--generations", "2", "--evaluations", "30", "-q", "-o", "fitted.toml"],
                 [(2, [])], work, "calibrate")


def no_output(directory, label):
    left = sorted(p.name for p in pathlib.Path(directory).iterdir())
    check(not left, f"{label}: files left behind: {left}")


def group_failures(work):
    seconds_allowed = 20

    def job(label, parts):
        """parts: (ranks, args) pairs of one MPMD job, each rank in the same directory."""
        d = pathlib.Path(work) / label.replace(" ", "_")
        d.mkdir()
        command = list(MPI)
        for i, (ranks, args) in enumerate(parts):
            if i: command.append(":")
            command += ["-n", str(ranks), ULCSIM] + args
        started = time.monotonic()
        r = subprocess.run(command, cwd=d, env=ENV, capture_output=True, text=True, timeout=300)
        seconds = time.monotonic() - started
        print(f"     {label}: status {r.returncode} after {seconds:.1f} s")
        check(seconds < seconds_allowed, f"{label}: took {seconds:.1f} s")
        return r, d

    good = ["run"] + JT + ["--replicates", "4", "-o", "out.h5"]
    r, d = job("bad input on rank 1", [(1, good), (1, ["run", "missing.toml", "-o", "out.h5"])])
    check(r.returncode == 2, f"bad input on rank 1: status {r.returncode}")
    check("rank 1 of 2 failed" in r.stderr and "missing.toml: error: cannot open file" in r.stderr,
          f"bad input on rank 1: message: {r.stderr}")
    no_output(d, "bad input on rank 1")

    r, d = job("bad input on every rank", [(3, ["run", "missing.toml", "-o", "out.h5"])])
    check(r.returncode == 2, f"bad input on every rank: status {r.returncode}")
    check(r.stderr.count("missing.toml: error: cannot open file") == 1,
          f"bad input on every rank: one message expected: {r.stderr}")
    no_output(d, "bad input on every rank")

    # Rank 0 has created its temporary output when rank 1 refuses to start for memory.
    longer = ["run", scenario("jawa-tengah.toml"), "--set", "population.scale=20", "--months",
              "60", "--replicates", "4", "-q", "-o", "out.h5"]
    r, d = job("rank 1 out of memory", [(1, longer), (1, longer + ["--memory-limit", "20M"])])
    check(r.returncode == 2, f"rank 1 out of memory: status {r.returncode}")
    check("rank 1 of 2 failed" in r.stderr and "not enough memory" in r.stderr,
          f"rank 1 out of memory: message: {r.stderr}")
    no_output(d, "rank 1 out of memory")

    r, d = job("ranks disagree", [(1, good), (1, good + ["--seed", "99"])])
    check(r.returncode == 2, f"ranks disagree: status {r.returncode}")
    check(r.stderr.count("was given another ensemble than rank 0") == 1,
          f"ranks disagree: one message expected: {r.stderr}")
    no_output(d, "ranks disagree")

    r, d = job("checkpoint split by region",
               [(2, ["run"] + JT + ["--replicates", "1", "--distribute", "regions",
                                    "--checkpoint-at", "2024-06", "-o", "out.h5"])])
    check(r.returncode == 2, f"checkpoint split by region: status {r.returncode}")
    check(r.stderr.count("checkpoints need whole replicates") == 1,
          f"checkpoint split by region: message: {r.stderr}")
    no_output(d, "checkpoint split by region")


groups = {"replicates": group_replicates, "regions": group_regions,
          "commands": group_commands, "failures": group_failures}
with tempfile.TemporaryDirectory(prefix=f"ulcsim-mpi-{GROUP}-") as work:
    groups[GROUP](work)
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("passed")
