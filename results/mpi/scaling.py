#!/usr/bin/python3
"""Times `ulcsim run` of Jawa Tengah without MPI and under mpirun, checks that every output
is the same as the single-process one, and writes what it measured as JSON (results/mpi/
make.sh runs it; render.py tabulates it). Needs h5py (Debian's /usr/bin/python3 has it).

    scaling.py OUT.json --ulcsim ULCSIM --serial ULCSIM_SERIAL --scenario FILE
               [--months M] [--replicates R] [--rounds N] [--set KEY=VALUE]...

Each configuration runs --rounds times (default 3); the rounds go round the configurations
in turn, so that a change of the machine's load along the script reaches them all alike.
Each run is timed from the start of the command to its end (mpirun's start-up included), and
each process's peak resident memory comes from /usr/bin/time around it (under mpirun, around
each rank). While a run lasts, /proc/stat gives the CPU time the whole machine used; less the
CPU time of the run's own processes, that is what other processes took from it.
"""
import argparse
import json
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "support"))
try:
    from same_outputs import output_differences
except ImportError:
    sys.exit("scaling.py: needs h5py and numpy (run it with /usr/bin/python3)")


def busy_seconds():
    """CPU time the whole machine has spent not idle, in seconds (all cores together)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--ulcsim", required=True)
    p.add_argument("--serial", required=True)
    p.add_argument("--scenario", required=True)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--replicates", type=int, default=4)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--set", action="append", default=[])
    a = p.parse_args()

    mpirun = shutil.which("mpirun")
    if mpirun is None:
        sys.exit("scaling.py: no mpirun on PATH")
    env = dict(os.environ)
    if os.geteuid() == 0:  # Open MPI refuses root unless told
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    time_binary = "/usr/bin/time"
    if not os.access(time_binary, os.X_OK):
        sys.exit("scaling.py: no /usr/bin/time (Debian package time)")

    common = ["run", str(pathlib.Path(a.scenario).resolve()), "--months", str(a.months), "-q",
              "-o", "out.h5"]
    for kv in a.set:
        common += ["--set", kv]
    ulcsim = str(pathlib.Path(a.ulcsim).resolve())
    serial = str(pathlib.Path(a.serial).resolve())
    # Each process under /usr/bin/time, writing its peak resident memory (kB) to rss.<rank>.
    per_rank = ["sh", "-c", 'exec "$0" -f %M -o "rss.${OMPI_COMM_WORLD_RANK:-0}" "$@"',
                time_binary]

    def mpi(ranks, *extra):
        command = [mpirun, "-n", str(ranks), "--bind-to", "none"]
        if ranks > (os.cpu_count() or 1):
            command.append("--oversubscribe")
        return command + list(extra)

    R = str(a.replicates)
    # (key, label, ranks, threads per rank, command before the per-rank wrapper, program, args)
    configurations = [
        ("serial-t1", "ulcsim-serial --threads 1", 1, 1, [], serial,
         ["--replicates", R, "--threads", "1"]),
        ("serial-t2", "ulcsim-serial --threads 2", 1, 2, [], serial,
         ["--replicates", R, "--threads", "2"]),
        ("mpi-n1", "mpirun -n 1 ulcsim --threads 1", 1, 1, mpi(1), ulcsim,
         ["--replicates", R, "--threads", "1"]),
        ("mpi-n2", "mpirun -n 2 ulcsim --threads 1", 2, 1, mpi(2), ulcsim,
         ["--replicates", R, "--threads", "1"]),
        ("mpi-n2-regions", "mpirun -n 2 ulcsim --threads 1 --distribute regions", 2, 1, mpi(2),
         ulcsim, ["--replicates", R, "--threads", "1", "--distribute", "regions"]),
        ("mpi-n4", "mpirun -n 4 --oversubscribe ulcsim --threads 1", 4, 1, mpi(4), ulcsim,
         ["--replicates", R, "--threads", "1"]),
        ("one-serial-t1", "ulcsim-serial --threads 1 --replicates 1", 1, 1, [], serial,
         ["--replicates", "1", "--threads", "1"]),
        ("one-mpi-n2", "mpirun -n 2 ulcsim --threads 1 --replicates 1 (split by region)", 2, 1,
         mpi(2), ulcsim, ["--replicates", "1", "--threads", "1"]),
    ]
    reference_of = {key: ("one-serial-t1" if key.startswith("one-") else "serial-t1")
                    for key, *_ in configurations}

    work = pathlib.Path(tempfile.mkdtemp(prefix="ulcsim-mpi-scaling-"))
    def display(before, prog, args):  # the command as the README shows it
        words = (["mpirun"] + before[1:] if before else []) + [pathlib.Path(prog).name]
        return " ".join(words + common[:1] + [a.scenario] + args + common[2:])

    results = {key: {"label": label, "ranks": ranks, "threads": threads,
                     "replicates": int(args[1]), "command": display(before, prog, args),
                     "runs": []}
               for key, label, ranks, threads, before, prog, args in configurations}
    failed = []
    started_all = time.monotonic()
    try:
        for round_ in range(a.rounds):
            for key, label, ranks, threads, before, prog, args in configurations:
                d = work / f"{key}-{round_}"
                d.mkdir()
                command = before + per_rank + [prog] + common[:2] + args + common[2:]
                print(f"  round {round_ + 1}/{a.rounds}: {label} …", end="", file=sys.stderr,
                      flush=True)
                usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                busy_before, t0 = busy_seconds(), time.monotonic()
                r = subprocess.run(command, cwd=d, env=env, capture_output=True, text=True)
                seconds = time.monotonic() - t0
                busy = busy_seconds() - busy_before
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                own = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime -
                                                                  usage_before.ru_stime)
                if r.returncode != 0:
                    print(" FAILED", file=sys.stderr)
                    failed.append(f"{label}: status {r.returncode}: {r.stderr.strip()[-2000:]}")
                    continue
                rss = {}
                for f in sorted(d.glob("rss.*")):
                    rank = int(f.name.split(".")[1])
                    rss[rank] = int(f.read_text().split()[-1]) * 1024
                    f.unlink()
                run = {"seconds": seconds, "cpu_seconds": own,
                       "other_cpu_cores": max(0.0, busy - own) / seconds,
                       "peak_rss_bytes_by_rank": [rss[k] for k in sorted(rss)],
                       "output_bytes": sum(f.stat().st_size for f in d.iterdir())}
                ref = work / f"{reference_of[key]}-0"
                if d != ref:
                    diffs = output_differences(ref, d, lambda name: name.startswith("rss."))
                    run["identical_to_serial"] = not diffs
                    if diffs:
                        failed.append(f"{label} (round {round_ + 1}): output differs from "
                                      f"{results[reference_of[key]]['label']}: "
                                      + "; ".join(diffs[:5]))
                results[key]["runs"].append(run)
                print(f" {seconds:.1f} s"
                      + ("" if run.get("identical_to_serial", True) else " (output DIFFERS)")
                      + f", others used {run['other_cpu_cores']:.2f} cores", file=sys.stderr)
                if d != ref:
                    shutil.rmtree(d)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for key, c in results.items():
        if c["runs"]:
            c["median_seconds"] = statistics.median(r["seconds"] for r in c["runs"])
            c["median_other_cpu_cores"] = statistics.median(r["other_cpu_cores"]
                                                            for r in c["runs"])
            c["max_peak_rss_bytes_by_rank"] = [
                max(r["peak_rss_bytes_by_rank"][i] for r in c["runs"])
                for i in range(c["ranks"])]
    out = {"scenario": a.scenario, "months": a.months, "replicates": a.replicates,
           "rounds": a.rounds, "set": a.set, "seconds": time.monotonic() - started_all,
           "configurations": results, "failures": failed}
    pathlib.Path(a.out).write_text(json.dumps(out, indent=2) + "\n")
    if failed:
        for f in failed:
            print("scaling.py: " + f, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
