#!/usr/bin/python3
"""Renders results/mpi/README.md from what results/mpi/make.sh measured: machine.json,
scaling.json (scaling.py) and output_benchmark_P<P>.json (mpi_output_benchmark's Google
Benchmark JSON), with results/national/run.json for the national replicate's compute time.
Standard library only. Prints the README.

    render.py DIR [SCRIPT_SECONDS]
"""
import json
import statistics
import sys
from pathlib import Path

STRATEGIES = [
    ("gather", "gather (rank 0 writes alone)"),
    ("parallel_independent", "parallel HDF5, independent"),
    ("parallel_collective", "parallel HDF5, collective"),
]
SHAPES = [
    ("jawa_tengah", "Jawa Tengah"),
    ("indonesia", "Indonesia"),
]
REPLICATES_WRITTEN = 16
NATIONAL_RUN = Path(__file__).resolve().parent.parent / "national" / "run.json"


def fmt_s(x):
    return f"{x:.1f} s" if x >= 10 else f"{x:.2f} s"


def fmt_ms(x):
    return f"{x:.0f} ms" if x >= 100 else (f"{x:.1f} ms" if x >= 1 else f"{x:.2f} ms")


def fmt_bytes(x):
    if x >= 1e9:
        return f"{x / 1e9:.2f} GB"
    if x >= 1e6:
        return f"{x / 1e6:.0f} MB" if x >= 100e6 else f"{x / 1e6:.1f} MB"
    return f"{x / 1e3:.0f} kB"


def fmt_us(seconds):
    return f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else fmt_ms(1000 * seconds)


def pct(x):
    return f"{100 * x:.2g}%" if x < 0.01 else f"{100 * x:.1f}%"


def load_benchmarks(d):
    """{(shape, strategy, P): {median_ms, cv, bytes_per_second, replicate_bytes}} and the
    load average each program saw at its start."""
    out, loads = {}, {}
    for f in sorted(d.glob("output_benchmark_P*.json")):
        j = json.loads(f.read_text())
        ranks = int(j["context"].get("mpi_output_ranks", f.stem.split("_P")[-1]))
        loads[ranks] = j["context"].get("load_avg", [])
        for b in j["benchmarks"]:
            if b.get("run_type") != "aggregate":
                continue
            case = b["run_name"].split("/")[1]  # mpi_output/<strategy>_<shape>/…
            shape = next(s for s, _ in SHAPES if case.endswith("_" + s))
            strategy = case[: -len(shape) - 1]
            if b.get("time_unit", "ns") != "ms":
                sys.exit(f"render.py: {b['name']}: time unit {b.get('time_unit')}, expected ms")
            e = out.setdefault((shape, strategy, ranks), {})
            if b["aggregate_name"] == "median":
                e["median_ms"] = b["real_time"]
                e["bytes_per_second"] = b["bytes_per_second"]
                e["replicate_bytes"] = b["replicate_bytes"]
                e["months"] = b["months"]
                e["regions"] = b["regions"]
            elif b["aggregate_name"] == "cv":
                e["cv"] = b["real_time"]
    return out, loads


def main():
    d = Path(sys.argv[1])
    script_seconds = int(sys.argv[2]) if len(sys.argv) > 2 else None
    machine = json.loads((d / "machine.json").read_text())
    scaling = json.loads((d / "scaling.json").read_text())
    bench, bench_loads = load_benchmarks(d)
    national = json.loads(NATIONAL_RUN.read_text()) if NATIONAL_RUN.exists() else None

    conf = scaling["configurations"]
    for key, c in conf.items():
        if "median_seconds" not in c:
            sys.exit(f"render.py: {c['label']} has no successful run")
    if scaling.get("failures"):
        sys.exit("render.py: scaling.json records failures: " + "; ".join(scaling["failures"]))
    months, replicates = scaling["months"], scaling["replicates"]
    full_scale = not scaling.get("set")
    base = conf["serial-t1"]["median_seconds"]
    one_base = conf["one-serial-t1"]["median_seconds"]
    load0 = machine["load_avg_at_start"]
    others = [r["other_cpu_cores"] for c in conf.values() for r in c["runs"]]
    ranks_seen = sorted({p for _, _, p in bench})

    L = []
    L += [
        "# MPI: scaling on this machine, and how the output is written",
        "",
        "Regenerate with `results/mpi/make.sh` (never edit by hand): it builds the `mpi` preset "
        "(Open MPI, RelWithDebInfo) with `benchmarks/mpi_output_benchmark`, times `ulcsim run` "
        "without MPI and under `mpirun` (`results/mpi/scaling.py`), runs the output benchmark "
        "at P = " + ", ".join(str(p) for p in ranks_seen) + ", and renders this page "
        "(`results/mpi/render.py`) from `machine.json`, `scaling.json` and "
        "`output_benchmark_P*.json` beside it"
        + (f"; the whole script took {script_seconds / 60:.1f} minutes." if script_seconds
           else "."),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {machine['cpu_model']}, {machine['cpus']} logical cores "
        f"({machine['threads_per_core']} thread per core) |",
        f"| memory | {machine['memory_bytes'] / 2**30:.1f} GiB |",
        f"| MPI | {machine['mpirun_version']} |",
        f"| parallel HDF5 | {machine['hdf5_openmpi_version']} (Debian libhdf5-openmpi-dev) |",
        f"| OS | {machine['os']} |",
        f"| compiler | {machine['compiler']} |",
        f"| date | {machine['date']} |",
        f"| load average at the start | {', '.join(f'{x:.2f}' for x in load0)} (1, 5, 15 min)"
        + (" — **above 0.5: other work was running when the script started**"
           if load0[0] > 0.5 else "")
        + (f"; the script first waited {machine['waited_for_quiet_seconds']} s for a quieter "
           "machine" if machine.get("waited_for_quiet_seconds") else "") + " |",
        f"| CPU used by other processes during the `ulcsim` runs | median "
        f"{statistics.median(others):.2f} cores, at most {max(others):.2f} (of "
        f"{machine['cpus']}; /proc/stat over each run less the run's own CPU time) |",
        "| load average at the start of each output benchmark | "
        + "; ".join(f"P = {p}: {', '.join(f'{x:.2f}' for x in bench_loads[p])}"
                    for p in ranks_seen if bench_loads.get(p))
        + " (what this script's own runs just before leave in it: they keep both cores busy)"
        " |",
        "",
    ]

    # Scaling.
    agents = "20.86 million agents (one per employed worker, BPS Aug 2024)"
    L += [
        "## Scaling of `ulcsim run`",
        "",
        f"`ulcsim run scenarios/jawa-tengah.toml --months {months} --replicates {replicates} -q`"
        + (f" at full scale: {agents}, 35 regions" if full_scale
           else " with --set " + " ".join(scaling["set"]) + " (**not the full scale**)")
        + f". Each configuration ran {scaling['rounds']} times, the rounds taking the "
        "configurations in turn; the table gives the median wall time of the whole command "
        "(process start, population synthesis, the months, the output written and closed; "
        "under mpirun, MPI's start-up too) and the range. Speed-up is against "
        "`ulcsim-serial --threads 1` of this same script run. Every mpirun was given "
        "`--bind-to none`; 4 ranks on 2 cores need `--oversubscribe`.",
        "",
        "| configuration | processes × threads | wall time (median) | range | speed-up | "
        "peak memory per process | output identical to serial |",
        "|---|---|---:|---:|---:|---:|---|",
    ]

    def row(key, reference):
        c = conf[key]
        secs = [r["seconds"] for r in c["runs"]]
        rss = c["max_peak_rss_bytes_by_rank"]
        identical = [r.get("identical_to_serial") for r in c["runs"]]
        if key in ("serial-t1", "one-serial-t1"):
            same = "(the reference)"
        else:
            same = ("yes, " + f"{len(identical)} of {len(identical)} runs"
                    if all(identical) else "**NO**")
        rss_text = (fmt_bytes(rss[0]) if len(rss) == 1
                    else " / ".join(fmt_bytes(x) for x in rss) + " (rank 0 / …)")
        command, _, note = c["label"].partition(" (")
        label = f"`{command}`" + (f" ({note}" if note else "")
        return (f"| {label} | {c['ranks']} × {c['threads']} | {fmt_s(c['median_seconds'])}"
                f" | {fmt_s(min(secs))}–{fmt_s(max(secs))} | "
                f"{reference / c['median_seconds']:.2f}× | {rss_text} | {same} |")

    for key in ("serial-t1", "serial-t2", "mpi-n1", "mpi-n2", "mpi-n2-regions", "mpi-n4"):
        L.append(row(key, base))
    s2 = base / conf["serial-t2"]["median_seconds"]
    n2 = base / conf["mpi-n2"]["median_seconds"]
    n2r = base / conf["mpi-n2-regions"]["median_seconds"]
    n4 = base / conf["mpi-n4"]["median_seconds"]
    n1 = conf["mpi-n1"]["median_seconds"] / base
    per_replicate_month = base / (replicates * months)
    L += [
        "",
        f"- 2 ranks of 1 thread, by replicate: {n2:.2f}× ({50 * n2:.0f}% parallel "
        f"efficiency on 2 cores), against {s2:.2f}× for one process of 2 threads. "
        f"By region (`--distribute regions`): {n2r:.2f}×. 4 ranks on 2 cores "
        f"(oversubscribed): {n4:.2f}×.",
        f"- mpirun -n 1 takes {n1:.2f}× the time of the program without MPI (MPI's start-up "
        "and its writing of the output through rank 0).",
        f"- Compute time of one replicate at 1 thread, from the serial run: "
        f"{fmt_s(base / replicates)} for {months} months, i.e. "
        f"{fmt_ms(1000 * per_replicate_month)} per replicate-month (population synthesis "
        f"spread over the {months} months).",
        "",
        "### One replicate split by region",
        "",
        f"`--replicates 1`: with fewer replicates than ranks, mpirun shares each replicate's "
        "regions among the ranks (automatically; `--distribute regions` asks for it with more "
        "replicates). Each rank synthesises and simulates only its own regions' agents, so it "
        "holds about its share of the population; peak memory is each process's maximum "
        "resident set (`/usr/bin/time -f %M` around each rank), the largest over the runs.",
        "",
        "| configuration | processes × threads | wall time (median) | range | speed-up | "
        "peak memory per process | output identical to serial |",
        "|---|---|---:|---:|---:|---:|---|",
        row("one-serial-t1", one_base),
        row("one-mpi-n2", one_base),
        "",
    ]
    rss1 = conf["one-serial-t1"]["max_peak_rss_bytes_by_rank"][0]
    rss2 = conf["one-mpi-n2"]["max_peak_rss_bytes_by_rank"]
    L += [
        f"- Peak memory per rank over the single process's: "
        + ", ".join(f"rank {i} {x / rss1:.2f}" for i, x in enumerate(rss2))
        + f"; together {sum(rss2) / rss1:.2f}× the single process (each rank also holds the "
        "scenario, the region tables and its MPI library). Speed-up "
        f"{one_base / conf['one-mpi-n2']['median_seconds']:.2f}×.",
        "",
    ]

    # Output benchmark.
    L += [
        "## Writing the output: rank 0 gathering, or parallel HDF5",
        "",
        "`benchmarks/mpi_output_benchmark` under `mpirun -n P` (`--bind-to none`, "
        "`--oversubscribe` at P = 4): 16 replicates' series written into one HDF5 file, "
        "rank r holding the replicates i with i mod P = r, as one contiguous, uncompressed "
        "float64 dataset [replicate, month, region, 4, 22] whose every replicate is one "
        "hyperslab. *gather*: the other ranks `MPI_Send` each replicate to rank 0, which alone "
        "opens the file (sec2 driver) and writes them as they arrive — what `ulcsim run` does. "
        "*parallel HDF5*: every rank opens the file through MPI-IO (`H5Pset_fapl_mpio`) and "
        "writes its own replicates, with independent or collective transfers. The time is "
        "the slowest rank's, from a common barrier to the file closed (creation, writes, "
        "close; no fsync, as a run does not fsync: the page cache, not the disk), median of 5 "
        "repetitions; spread is their coefficient of variation.",
        "",
    ]
    for shape, shape_name in SHAPES:
        any_e = next((e for (s, _, _), e in bench.items() if s == shape), None)
        if any_e is None:
            continue
        L += [
            f"**{shape_name}**: {int(any_e['regions'])} regions × {int(any_e['months'])} months, "
            f"{fmt_bytes(any_e['replicate_bytes'])} per replicate, "
            f"{fmt_bytes(any_e['replicate_bytes'] * REPLICATES_WRITTEN)} per file.",
            "",
            "| strategy | P | whole file (median) | per replicate | rate | spread |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for strategy, strategy_name in STRATEGIES:
            for p in ranks_seen:
                e = bench.get((shape, strategy, p))
                if not e:
                    continue
                L.append(f"| {strategy_name} | {p} | {fmt_ms(e['median_ms'])} | "
                         f"{fmt_ms(e['median_ms'] / REPLICATES_WRITTEN)} | "
                         f"{e['bytes_per_second'] / 1e6:,.0f} MB/s | {100 * e.get('cv', 0):.0f}% |")
        L.append("")
        fastest = []
        for p in ranks_seen:
            es = {st: bench[(shape, st, p)]["median_ms"] for st, _ in STRATEGIES
                  if (shape, st, p) in bench}
            if "gather" not in es:
                continue
            best = min(es, key=es.get)
            name = dict(STRATEGIES)[best]
            fastest.append(f"P = {p}: {name}" + (
                "" if best == "gather" else
                f", {es['gather'] / es[best]:.1f}× faster than gather "
                f"({fmt_ms((es['gather'] - es[best]) / REPLICATES_WRITTEN)} saved per replicate)"))
        L += [f"- Fastest, {shape_name}: " + "; ".join(fastest) + ".", ""]

    # Writing against computing.
    L += [
        "## What share of a run the writing is",
        "",
        "Under mpirun each rank computes its replicates on its own, but rank 0 also writes "
        "every replicate: with P ranks of one thread, rank 0 computes R/P replicates and "
        "writes R, so the writing's share of the run is at most P·w / (c + P·w), w the time "
        "to write one replicate (gather, the median per replicate above, at that P) and c "
        "the time to compute one on one thread. Both are taken per replicate-month, so that "
        f"the benchmark's 84 or 120 months and the scaling runs' {months} can be set side by "
        "side; c includes the population synthesis spread over the run's months, which makes "
        "it somewhat larger per month on a short run than on a long one.",
        "",
        "| shape | c: compute, per replicate-month, 1 thread | w: write (gather), per "
        "replicate-month, P = " + " / ".join(str(p) for p in ranks_seen)
        + " | writing's share of the run, P = " + " / ".join(str(p) for p in ranks_seen) + " |",
        "|---|---:|---:|---:|",
    ]
    shares = []
    compute = {"jawa_tengah": (per_replicate_month, f"{fmt_ms(1000 * per_replicate_month)} "
                               "(`ulcsim-serial --threads 1` above)")}
    if national:
        # The national run used 2 threads; the monthly step scales 2.0× from 1 to 2 threads
        # (results/BENCHMARKS.md), so its thread-time is what one thread would take.
        nat = national["seconds"] * national["threads"] / national["months"]
        compute["indonesia"] = (nat, f"{fmt_s(nat)} ({fmt_s(national['seconds'])} × "
                                f"{national['threads']} threads / {national['months']} months: "
                                "results/national/run.json, one replicate of the whole nation "
                                "at one agent per worker)")
    for shape, shape_name in SHAPES:
        if shape not in compute:
            continue
        c, text = compute[shape]
        writes, row_shares = [], []
        for p in ranks_seen:
            e = bench.get((shape, "gather", p))
            if e:
                w = e["median_ms"] / 1000 / REPLICATES_WRITTEN / e["months"]
                writes.append(w)
                row_shares.append(p * w / (c + p * w))
        if not writes:
            continue
        shares.append((shape_name, max(row_shares), c, max(writes)))
        L.append(f"| {shape_name} | {text} | " + " / ".join(fmt_us(w) for w in writes)
                 + " | " + " / ".join(pct(x) for x in row_shares) + " |")
    L += [""]
    if shares:
        worst = max(s for _, s, _, _ in shares)
        jt = conf["serial-t1"]["median_seconds"] / replicates / months * 84
        jt_w = max(bench[("jawa_tengah", "gather", p)]["median_ms"] / REPLICATES_WRITTEN
                   for p in ranks_seen if ("jawa_tengah", "gather", p) in bench)
        if worst < 0.01:
            L += [
                f"Writing through rank 0 is at most {pct(worst)} of a run at every P measured "
                f"here. A Jawa Tengah replicate of 84 months takes about {fmt_s(jt)} to "
                f"compute on one thread (c × 84, from the {months}-month runs) and at most {fmt_ms(jt_w)} to write through rank 0; "
                "whatever parallel HDF5 saves on the writing (the \"fastest\" lines above) "
                "cannot change a run's time measurably, while rank 0 writing alone keeps the "
                "file identical to the single-process one (the check above) with the serial "
                "HDF5 library every build already links, and needs no parallel file system. "
                "That is the measurement behind the gather.",
                "",
            ]
        else:
            L += [
                f"Writing through rank 0 is up to {pct(worst)} of a run here (a Jawa Tengah "
                f"replicate of 84 months: about {fmt_s(jt)} to compute on one thread, at most "
                f"{fmt_ms(jt_w)} to write): large enough that the strategies above should be "
                "weighed by their time, not only by their simplicity.",
                "",
            ]
    print("\n".join(L))


if __name__ == "__main__":
    main()
