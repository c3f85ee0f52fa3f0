#!/usr/bin/env python3
"""Turns Google Benchmark JSON files into results/BENCHMARKS.md (medians, spreads, machine)."""
import json
import platform
import re
import subprocess
import sys
from pathlib import Path


def command_output(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def medians(data):
    """The median rows of one program's results, by run name."""
    return {b["run_name"]: b for b in data["benchmarks"] if b.get("aggregate_name") == "median"}


def monthly_step_section(results):
    """Headline figures of the monthly step, set against the Philox rate of the same run."""
    step = results.get("monthly_step_benchmark")
    if step is None:
        return
    by_threads = {int(b["arena_threads"]): b for b in medians(step).values()}
    if not by_threads:
        return
    rng = results.get("rng_benchmark")
    philox = next((b["items_per_second"] for name, b in medians(rng).items()
                   if name.startswith("philox_blocks")), None) if rng else None
    context = step["context"]
    threads = sorted(by_threads)
    first = by_threads[threads[0]]
    per_repetition = re.search(r"/iterations:(\d+)", first["run_name"])
    months = int(per_repetition.group(1)) * first["repetitions"] if per_repetition else None
    timed = f"months 1–{months} of the run" if months else "the run's first months"
    print("## Monthly step\n")
    print(f"`ReplicateSimulation::step()`, one month per iteration, on "
          f"`{context.get('monthly_step_scenario', '?')}`: "
          f"{int(context.get('monthly_step_agents', 0)):,} agents at the start. Each thread "
          "count synthesises its population once, outside the timing, and its repetitions "
          f"continue one another, so together they time {timed}; the spread therefore "
          "includes the change of cost along the run (entrants, programme windows, slots left "
          "empty by deaths) as well as noise. An agent-month is one agent in the labour force "
          "simulated for one month.\n")
    print("| | " + " | ".join(f"{t} thread{'s' if t > 1 else ''}" for t in threads) + " |")
    print("|---|" + "---:|" * len(threads))
    print("| agent-months per second (median) | " + " | ".join(
        f"{by_threads[t]['agent_months_per_second'] / 1e6:.1f} M" for t in threads) + " |")
    print("| time per month (median) | " + " | ".join(
        f"{by_threads[t]['real_time']:.0f} {by_threads[t]['time_unit']}" for t in threads) + " |")
    if philox:
        print("| share of the random-number limit | " + " | ".join(
            f"{by_threads[t]['agent_months_per_second'] / (t * philox) * 100:.0f}%"
            for t in threads) + " |")
    print()
    if 1 in by_threads and len(threads) > 1:
        top = threads[-1]
        speedup = (by_threads[top]["agent_months_per_second"] /
                   by_threads[1]["agent_months_per_second"])
        print(f"- Speed-up, {top} threads over 1 (medians of this run): {speedup:.2f}× "
              f"({speedup / top * 100:.0f}% parallel efficiency).")
    print(f"- Memory: {first['bytes_per_agent']:g} bytes per agent in the columns; "
          f"{first['bytes_per_agent_with_reserve']:.1f} bytes per agent counting the slots "
          "reserved for entrants, which are sized for the whole horizon (`run.months` above; "
          "shorter runs reserve less).")
    if philox:
        print(f"- Random-number limit: `philox_blocks` (rng_benchmark, below) makes "
              f"{philox / 1e6:.0f} M Philox4x32-10 blocks per second on one core. "
              "Assumed: the step draws about "
              "one block per agent-month on its common path (its draws phase; the rarer "
              "events draw more), and the limit grows with the threads (threads × one "
              "core's rate). The share is agent-months per second over that limit: how "
              "far the step is from being bound by generating random numbers alone.")
    print()


# What results/BENCHMARKS.md holds the ensemble's 2-thread speed-up against.
ENSEMBLE_SPEEDUP_GOAL = 1.8


def ensemble_section(results):
    """Ensemble throughput by scenario and thread count, and the speed-up from 1 to 2 threads."""
    data = results.get("ensemble_benchmark")
    if data is None:
        return
    # case -> threads -> aggregate name -> row
    cases = {}
    for b in data["benchmarks"]:
        m = re.match(r"ensemble/([^/]+)/threads:(\d+)/", b.get("run_name", ""))
        if m and b.get("aggregate_name") in ("median", "cv"):
            cases.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[
                b["aggregate_name"]] = b
    cases = {c: {t: agg for t, agg in by.items() if "median" in agg} for c, by in cases.items()}
    cases = {c: by for c, by in cases.items() if by}
    if not cases:
        return
    context = data["context"]
    print("## Ensemble throughput\n")
    print("`ulcsim::run_ensemble`: per iteration, every replicate of the scenario from "
          "synthesis to its last month, on 1 and 2 threads in the same run. "
          "`kota_magelang_2025` is a planner's typical ensemble of small replicates, which the "
          "threads run side by side. `jawa_tengah_x20` runs its replicates one at a time "
          "(`concurrent_replicates = 1`), so a second thread can only help inside a replicate, "
          "across its agents. An agent-month here is one of the agents a replicate starts with, "
          "simulated for one month, as the ensemble's progress counts them (the monthly step "
          "above counts the labour force of each month instead). Cores busy is the process's "
          "CPU time over wall time; TBB workers waiting for work count as busy while they spin, "
          "so it is an upper bound on the cores doing useful work.\n")
    print("| scenario | agents | months × replicates | threads | replicates at once | "
          "agent-months per second (median) | spread (cv) | replicates per second (median) | "
          "cores busy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case, by_threads in cases.items():
        scenario = context.get(f"ensemble_{case}_scenario", case)
        for t in sorted(by_threads):
            med = by_threads[t]["median"]
            cv = by_threads[t].get("cv", {}).get("real_time")
            spread = f"{cv * 100:.1f}%" if cv is not None else "–"
            print(f"| `{scenario}` | {int(med['agents']):,} | "
                  f"{int(med['months'])} × {int(med['replicates'])} | {t} | "
                  f"{int(med['concurrent_replicates'])} | "
                  f"{med['agent_months_per_second'] / 1e6:.1f} M | {spread} | "
                  f"{med['replicates_per_second']:.2f} | "
                  f"{med['cpu_time'] / med['real_time']:.2f} |")
    print()
    for case, by_threads in cases.items():
        if 1 not in by_threads or 2 not in by_threads:
            continue
        one, two = by_threads[1]["median"], by_threads[2]["median"]
        speedup = two["agent_months_per_second"] / one["agent_months_per_second"]
        verdict = ("meets" if speedup >= ENSEMBLE_SPEEDUP_GOAL else "falls short of")
        line = (f"- `{case}`: speed-up, 2 threads over 1 (medians of this run): "
                f"{speedup:.2f}× ({speedup / 2 * 100:.0f}% parallel efficiency), which "
                f"{verdict} the goal of {ENSEMBLE_SPEEDUP_GOAL:g}×.")
        busy = two["cpu_time"] / two["real_time"]
        if speedup < ENSEMBLE_SPEEDUP_GOAL and busy < 1.5:
            line += (f" The 2-thread run kept only {busy:.2f} cores busy: either another job "
                     "had the second core or the ensemble left it idle, so this run cannot "
                     "tell which; the figure is only meaningful from an otherwise idle "
                     "machine.")
        print(line)
    load = context.get("load_avg")
    cpus = context.get("num_cpus")
    if load:
        print(f"- Load average when `ensemble_benchmark` started: "
              f"{', '.join(f'{x:.2f}' for x in load)} (1, 5, 15 min) on {cpus} logical cores; "
              "anything near the core count means other work shared the cores.")
    print()


def main(files):
    print("# Benchmarks\n")
    print("Regenerate with `benchmarks/run.sh` (never edit by hand). Each row is the median "
          "of 7 repetitions; spread is the coefficient of variation across them. Google "
          "Benchmark's warning 'Library was built as DEBUG' concerns Debian's libbenchmark "
          "package itself; ulcsim is built Release.\n")
    context = json.loads(Path(files[0]).read_text())["context"]
    print("| machine | |\n|---|---|")
    print(f"| CPU | {cpu_model()}, {context.get('num_cpus')} logical cores, "
          f"{context.get('mhz_per_cpu')} MHz |")
    mem_kib = next((int(l.split()[1]) for l in Path('/proc/meminfo').read_text().splitlines()
                    if l.startswith('MemTotal')), 0)
    print(f"| memory | {mem_kib / 2**20:.1f} GiB |")
    print(f"| OS | {platform.system()} {platform.release()} |")
    print(f"| compiler | {command_output('c++', '--version').splitlines()[0]} |")
    print(f"| flags | CMake Release (-O3 -DNDEBUG) |")
    print(f"| date | {context.get('date')} |\n")
    results = {Path(f).stem: json.loads(Path(f).read_text()) for f in files}
    monthly_step_section(results)
    ensemble_section(results)
    for f in files:
        data = json.loads(Path(f).read_text())
        print(f"## {Path(f).stem}\n")
        print("| benchmark | median | spread (cv) | counters |\n|---|---:|---:|---|")
        rows = {}
        for b in data["benchmarks"]:
            name = b.get("run_name", b["name"])
            rows.setdefault(name, {})[b.get("aggregate_name", "")] = b
        for name, agg in rows.items():
            med = agg.get("median")
            if not med:
                continue
            cv = agg.get("cv", {}).get("real_time")
            skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads",
                    "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name",
                    "aggregate_unit", "family_index", "per_family_instance_index"}
            counters = ", ".join(f"{k} = {v:g}" for k, v in med.items()
                                 if k not in skip and isinstance(v, (int, float)))
            spread = f"{cv * 100:.1f}%" if cv is not None else "–"
            print(f"| `{name}` | {med['real_time']:.3f} {med['time_unit']} | {spread} | {counters} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
