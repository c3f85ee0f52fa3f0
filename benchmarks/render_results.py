#!/usr/bin/env python3
"""Turns one run's JSON files into results/BENCHMARKS.md (goals, medians, spreads, machine).

    render_results.py [--build-dir DIR] FILE.json...

Each FILE is a Google Benchmark output (named after its program), or national_run.json
(benchmarks/national_run.py) or numpy_peer.json (benchmarks/reference/time_peer.sh). Every
figure of the report is read or derived from these files; whatever is missing from them is
reported as "not measured in this run".
"""
import argparse
import json
import platform
import re
import subprocess
from pathlib import Path

NOT_MEASURED = "not measured in this run"

# The goals of the issue, which the report holds the measurements against (never timed tests).
NATIONAL_SECONDS_GOAL = 60
NATIONAL_AGENTS = 144_640_000  # indonesia.toml at population.scale = 1
NATIONAL_RATE_GOAL = 300e6  # agent-months per second: 145 M × 120 months in 60 s
NATIONAL_BYTES_PER_AGENT = 16
NATIONAL_MEMORY_MARGIN = 0.10
PEER_GOAL = 30
# What results/BENCHMARKS.md holds the 2-thread speed-ups against.
ENSEMBLE_SPEEDUP_GOAL = 1.8
SPEEDUP_GOAL = ENSEMBLE_SPEEDUP_GOAL

SPECIAL = ("national_run", "numpy_peer")
TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


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


def cmake_cache(build_dir):
    values = {}
    cache = Path(build_dir) / "CMakeCache.txt" if build_dir else None
    if cache and cache.exists():
        for line in cache.read_text().splitlines():
            m = re.match(r"^([A-Za-z_]+):[A-Z]+=(.*)$", line)
            if m:
                values[m.group(1)] = m.group(2)
    return values


def aggregates(data):
    """run_name -> {aggregate name -> row}. A benchmark run without repetitions has no
    aggregates; its one row then stands for its median (and it has no spread)."""
    rows = {}
    single = {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("aggregate_name"):
            rows.setdefault(name, {})[b["aggregate_name"]] = b
        elif b.get("run_type", "iteration") == "iteration":
            single.setdefault(name, []).append(b)
    for name, runs in single.items():
        if name not in rows and len(runs) == 1:
            rows[name] = {"median": runs[0]}
    return rows


def medians(data):
    """The median rows of one program's results, by run name."""
    return {name: agg["median"] for name, agg in aggregates(data).items() if "median" in agg}


def cv_of(data, name):
    cv = aggregates(data).get(name, {}).get("cv", {}).get("real_time")
    return cv


def spread_text(cv):
    return f"{cv * 100:.1f}%" if cv is not None else "–"


def seconds(row):
    return row["real_time"] * TIME_UNITS[row["time_unit"]]


def millions(x):
    if x >= 10e9:
        return f"{x / 1e9:.0f} G"
    return f"{x / 1e6:.0f} M" if x >= 100e6 else f"{x / 1e6:.1f} M"


def gigabytes(x):
    return f"{x / 1e9:.2f} GB" if x >= 1e9 else f"{x / 1e6:.0f} MB"


def percent(x):
    return f"{x * 100:.0f}%" if x >= 0.01 else f"{x * 100:.1f}%"


def cell(text):
    """Text fit for one cell of a Markdown table (an error message may hold anything)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def pair(shares):
    """"a / b" for 1 and 2 threads, or one "not measured" when neither was."""
    if all(x is None for x in shares):
        return NOT_MEASURED
    return " / ".join(percent(x) if x is not None else NOT_MEASURED for x in shares)


def threads_label(t):
    return f"{t} thread{'s' if t != 1 else ''}"


# ---- what the sections share -----------------------------------------------------------------


class Run:
    """Everything one run measured, with the figures several sections derive from it."""

    def __init__(self, results, special):
        self.results = results
        self.national = special.get("national_run")
        self.peer = special.get("numpy_peer")

        self.step = results.get("monthly_step_benchmark")
        self.step_by_threads = {}
        if self.step:
            for name, b in medians(self.step).items():
                if name.startswith("monthly_step_jawa_tengah/"):
                    self.step_by_threads[int(b["arena_threads"])] = b

        # Philox blocks per second on one core: the scalar call, and the batch one when the
        # run has it; the limit takes the faster.
        self.philox = {}
        rng = results.get("rng_benchmark")
        if rng:
            m = medians(rng)
            for name in ("philox_blocks", "philox_blocks_batch"):
                if name in m:
                    self.philox[name] = m[name]
        self.philox_best = max(self.philox.items(), key=lambda kv: kv[1]["items_per_second"],
                               default=(None, None))

        # The profiled run: phases, and Philox blocks per agent-month of the monthly step's
        # scenario (its jawa_tengah case).
        self.phases = results.get("monthly_phases_benchmark")
        self.phase_rows = {}  # case -> threads -> median row
        if self.phases:
            for name, b in medians(self.phases).items():
                m = re.match(r"monthly_phases/([^/]+)/threads:(\d+)/", name)
                if m:
                    self.phase_rows.setdefault(m.group(1), {})[int(m.group(2))] = b
        jt = self.phase_rows.get("jawa_tengah", {})
        self.blocks_per_agent_month = (jt[min(jt)]["philox_blocks_per_agent_month"]
                                       if jt else None)

        # STREAM: bytes per second by kernel and threads.
        self.stream = {}
        stream = results.get("stream_triad_benchmark")
        if stream:
            for name, b in medians(stream).items():
                m = re.match(r"(stream_[a-z_]+)/threads:(\d+)", name)
                if m:
                    self.stream.setdefault(m.group(1), {})[int(m.group(2))] = b

    def bytes_per_agent(self):
        rows = list(self.step_by_threads.values())
        return rows[0]["bytes_per_agent"] if rows else None

    def step_bytes_per_agent_month(self):
        b = self.bytes_per_agent()
        return 2 * b if b is not None else None

    def bandwidth_share(self, threads, kernel="stream_triad"):
        step = self.step_by_threads.get(threads)
        triad = self.stream.get(kernel, {}).get(threads)
        per = self.step_bytes_per_agent_month()
        if not step or not triad or per is None:
            return None
        return step["agent_months_per_second"] * per / triad["bytes_per_second"]

    def rng_share(self, threads):
        step = self.step_by_threads.get(threads)
        name, philox = self.philox_best
        if not step or not philox or self.blocks_per_agent_month is None:
            return None
        return (self.blocks_per_agent_month * step["agent_months_per_second"] /
                (philox["items_per_second"] * threads))

    def national_scale(self):
        """The population.scale the national run had (1 unless --set says otherwise), and
        whether it ran the goal's workload: the scenario as shipped, every month."""
        if not self.national:
            return None, False
        scale = 1.0
        others = []
        for kv in self.national.get("set", []):
            key, _, value = kv.partition("=")
            if key.strip() == "population.scale":
                scale = float(value)
            else:
                others.append(kv)
        whole = scale == 1 and not others and self.national.get("months") == 120
        return scale, whole


# ---- against the goals -------------------------------------------------------------------


def verdict_at_most(value, goal):
    return "meets" if value <= goal else f"misses ({value / goal:.2f}× the goal)"


def verdict_at_least(value, goal):
    return "meets" if value >= goal else f"misses ({value / goal * 100:.0f}% of the goal)"


def goals_section(run):
    print("## Against the goals\n")
    print("The goals of the issue, held against this run's measurements (they are goals to "
          "report against, never timed tests). Derived figures are computed from the JSON "
          "of this run only; \"" + NOT_MEASURED + "\" marks an input this run lacks.\n")
    print("| | goal | measured in this run | against the goal |")
    print("|---|---|---|---|")
    rows = []

    # The national run.
    n = run.national
    scale, whole = run.national_scale()
    if n and not n.get("error") and n.get("agents"):
        workload = (f"{n['agents']:,} agents × {n['months']} months, 1 replicate, "
                    f"{threads_label(n['threads'])}")
        caveat = "" if whole else (f"not the goal's workload (`--set {' '.join(n['set'])}`): "
                                   "no verdict")
        rows.append((f"National run, wall time of `ulcsim run indonesia.toml` ({workload})",
                     f"≤ {NATIONAL_SECONDS_GOAL} s on 2 cores", f"{n['seconds']:.1f} s",
                     caveat or verdict_at_most(n["seconds"], NATIONAL_SECONDS_GOAL)))
        rate = n["agents"] * n["months"] / n["seconds"]
        rows.append(("National run, agent-months per second (agents at the start × months "
                     "over the wall time)", f"≈ {millions(NATIONAL_RATE_GOAL)}",
                     millions(rate),
                     caveat or f"{percent(rate / NATIONAL_RATE_GOAL)} of the goal"))
        bound = NATIONAL_BYTES_PER_AGENT * n["agents"] * (1 + NATIONAL_MEMORY_MARGIN)
        peak = n["peak_rss_bytes"]
        rows.append(("National run, peak resident memory (the child's ru_maxrss)",
                     f"≤ {NATIONAL_BYTES_PER_AGENT} B × agents + "
                     f"{NATIONAL_MEMORY_MARGIN * 100:.0f}% = {gigabytes(bound)}",
                     f"{gigabytes(peak)} = {peak / n['agents']:.1f} B per agent",
                     caveat or (f"meets ({peak / bound * 100:.0f}% of the bound)"
                                if peak <= bound else
                                f"misses ({peak / bound:.2f}× the bound)")))
    else:
        why = (f"failed in this run: {n['error']}" if n and n.get("error") else NOT_MEASURED)
        rows.append(("National run (145 M agents × 120 months), wall time",
                     f"≤ {NATIONAL_SECONDS_GOAL} s on 2 cores", why, "–"))
        rows.append(("National run, peak resident memory",
                     f"≤ {NATIONAL_BYTES_PER_AGENT} B × agents + "
                     f"{NATIONAL_MEMORY_MARGIN * 100:.0f}%", why, "–"))

    # The monthly step, 1 and 2 threads, and the speed-up.
    by = run.step_by_threads
    for t in (1, 2):
        b = by.get(t)
        if b:
            cv = cv_of(run.step, b["run_name"])
            measured = (f"{millions(b['agent_months_per_second'])} agent-months/s, "
                        f"{seconds(b) * 1e3:.0f} ms per month (spread {spread_text(cv)})")
        else:
            measured = NOT_MEASURED
        if t == 2:
            goal = f"≈ {millions(NATIONAL_RATE_GOAL)} agent-months/s (the national goal's rate)"
            against = (f"{percent(b['agent_months_per_second'] / NATIONAL_RATE_GOAL)} of it"
                       if b else "–")
        else:
            goal, against = "–", "–"
        rows.append((f"Monthly step, {threads_label(t)} (`monthly_step_benchmark`, "
                     f"{int(run.step['context'].get('monthly_step_agents', 0)) / 1e6:.1f} M "
                     "agents)" if run.step else f"Monthly step, {threads_label(t)}",
                     goal, measured, against))
    if 1 in by and 2 in by:
        speedup = by[2]["agent_months_per_second"] / by[1]["agent_months_per_second"]
        rows.append(("Monthly step, speed-up from 1 to 2 threads", f"≥ {SPEEDUP_GOAL:g}×",
                     f"{speedup:.2f}×", verdict_at_least(speedup, SPEEDUP_GOAL)))
    else:
        rows.append(("Monthly step, speed-up from 1 to 2 threads", f"≥ {SPEEDUP_GOAL:g}×",
                     NOT_MEASURED, "–"))

    # Against the NumPy peer, one thread, the same scenario.
    p = run.peer
    if p and 1 in by:
        engine = seconds(by[1])
        ratio = p["seconds_per_month_median"] / engine
        same = (run.step["context"].get("monthly_step_agents") == str(p.get("agents")))
        note = "" if same else (f"; the peer ran {p.get('agents')} agents, the engine "
                                f"{int(run.step['context'].get('monthly_step_agents', 0)):,}")
        rows.append(("Engine against the NumPy peer, 1 thread, seconds per month on "
                     f"`{p.get('scenario')}`", f"≥ {PEER_GOAL}×",
                     f"{ratio:.0f}× (peer {p['seconds_per_month_median']:.2f} s per month, "
                     f"engine {engine:.3f} s{note})", verdict_at_least(ratio, PEER_GOAL)))
    else:
        rows.append(("Engine against the NumPy peer, 1 thread", f"≥ {PEER_GOAL}×",
                     NOT_MEASURED, "–"))

    # The two limits.
    per = run.step_bytes_per_agent_month()
    shares = [run.bandwidth_share(t) for t in (1, 2)]
    rows.append(("Monthly step, share of the memory-bandwidth limit, 1 / 2 threads "
                 f"({per:g} B per agent-month: 2 × `Population::bytes_per_agent`, assumed, "
                 "over the STREAM triad)" if per is not None else
                 "Monthly step, share of the memory-bandwidth limit, 1 / 2 threads",
                 "– (a limit, not a goal)",
                 pair(shares),
                 "–"))
    name, philox = run.philox_best
    shares = [run.rng_share(t) for t in (1, 2)]
    rng_label = ("Monthly step, share of the random-number limit, 1 / 2 threads "
                 f"({run.blocks_per_agent_month:.3f} Philox blocks per agent-month, measured, "
                 f"over `{name}` × threads)" if philox and run.blocks_per_agent_month else
                 "Monthly step, share of the random-number limit, 1 / 2 threads")
    rows.append((rng_label, "≈ ½ (what 300 M agent-months/s on 2 cores implies)",
                 pair(shares),
                 "–" if shares[1] is None else
                 f"{percent(shares[1])} at 2 threads against ≈ 50%"))
    for r in rows:
        print("| " + " | ".join(cell(c) for c in r) + " |")
    print()
    notes = False
    if n and n.get("memory_estimate_line"):
        notes = True
        print(f"- ulcsim's own estimate, printed before the national run: "
              f"`{n['memory_estimate_line'].strip()}`.")
    if n and not whole and n.get("agents"):
        notes = True
        print(f"- The national run of this report ran `--set {' '.join(n['set'])}` "
              f"({n['agents']:,} agents instead of {NATIONAL_AGENTS:,}): a trial, not the "
              "goal's workload, so its rows give no verdict. Fixed costs (the summary of 514 "
              "regions, the region tables) weigh far more per agent at that size.")
    if notes:
        print()


# ---- the sections ----------------------------------------------------------------------------


def monthly_step_section(run):
    """Headline figures of the monthly step, set against the limits of the same run."""
    step = run.step
    by_threads = run.step_by_threads
    if not by_threads:
        return
    philox_name, philox_row = run.philox_best
    philox = philox_row["items_per_second"] if philox_row else None
    blocks = run.blocks_per_agent_month
    context = step["context"]
    threads = sorted(by_threads)
    first = by_threads[threads[0]]
    per_repetition = re.search(r"/iterations:(\d+)", first["run_name"])
    repetitions = first.get("repetitions", 1)
    months = int(per_repetition.group(1)) * repetitions if per_repetition else None
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
    print("| | " + " | ".join(threads_label(t) for t in threads) + " |")
    print("|---|" + "---:|" * len(threads))
    print("| agent-months per second (median) | " + " | ".join(
        millions(by_threads[t]['agent_months_per_second']) for t in threads) + " |")
    print("| time per month (median) | " + " | ".join(
        f"{by_threads[t]['real_time']:.0f} {by_threads[t]['time_unit']}" for t in threads) + " |")
    print("| spread (cv) | " + " | ".join(
        spread_text(cv_of(step, by_threads[t]["run_name"])) for t in threads) + " |")
    if philox and blocks:
        print("| share of the random-number limit | " + " | ".join(
            percent(run.rng_share(t)) for t in threads) + " |")
    if any(run.bandwidth_share(t) is not None for t in threads):
        print("| share of the memory-bandwidth limit (STREAM triad) | " + " | ".join(
            percent(run.bandwidth_share(t)) if run.bandwidth_share(t) is not None else "–"
            for t in threads) + " |")
    print()
    if 1 in by_threads and len(threads) > 1:
        top = threads[-1]
        speedup = (by_threads[top]["agent_months_per_second"] /
                   by_threads[1]["agent_months_per_second"])
        print(f"- Speed-up, {top} threads over 1 (medians of this run): {speedup:.2f}× "
              f"({speedup / top * 100:.0f}% parallel efficiency).")
    print(f"- Memory: {first['bytes_per_agent']:g} bytes per agent in the columns; "
          f"{first['bytes_per_agent_with_reserve']:.1f} bytes per agent of address space "
          "counting the slots reserved for entrants, which are sized for the whole horizon "
          "as if nobody left (`run.months` above). Entrants take the slots of workers who "
          "left first, and reserved slots are never written until an entrant takes one, so "
          "their pages cost no memory: the national run's peak resident memory, above, is "
          "what a run costs.")
    if philox and blocks:
        rates = ", ".join(f"`{n}` {millions(r['items_per_second'])}" +
                          (f" ({r['label']})" if r.get("label") else "")
                          for n, r in run.philox.items())
        print(f"- Random-number limit: rng_benchmark (below) makes Philox4x32-10 blocks per "
              f"second on one core: {rates}; the limit takes the faster, `{philox_name}`, and "
              "grows with the threads (threads × one core's rate). The step draws "
              f"{blocks:.3f} blocks per agent-month, as monthly_phases_benchmark's profiled run "
              "of the same population counts them (one per agent in its draws phase, the "
              "rarer events the rest; that run starts in 2025-07, with every programme open). "
              "The share is the blocks the step draws per second over that limit: how far the "
              "step is from being bound by generating random numbers alone.")
    elif philox:
        print(f"- Random-number limit: `{philox_name}` (rng_benchmark, below) makes "
              f"{philox / 1e6:.0f} M Philox4x32-10 blocks per second on one core. The blocks "
              f"the step draws per agent-month were {NOT_MEASURED} (monthly_phases_benchmark), "
              "so no share is given.")
    per = run.step_bytes_per_agent_month()
    if run.stream.get("stream_triad") and per is not None:
        print(f"- Memory-bandwidth limit: the STREAM triad (stream_triad_benchmark, below) at "
              "the same thread count. Assumed, not measured: the step moves "
              f"{per:g} bytes per agent-month, every column of an agent read and written back "
              f"once (2 × `Population::bytes_per_agent` = 2 × {per / 2:g}). It reads every slot "
              "in use, empty ones included, and writes back only the columns that change, so "
              "the true figure is somewhat different either way.")
    print()


def phases_section(run):
    if not run.phase_rows:
        return
    context = run.phases["context"]
    print("## Phases of the month\n")
    print("`monthly_phases_benchmark`: a profiled run (`SimulationOptions::profile`, as "
          "`ulcsim run --profile`) of three months per repetition, each repetition a fresh "
          "replicate (synthesis outside the timing). The per-agent phases (draws, demography, "
          "accidents, coverage, awareness, and the tally's pass over the agents) run on every "
          "thread, so their time is in thread-seconds and their agent-months per second are "
          "per thread; calendar and programme allocation run on one thread between the passes "
          "(the demography row also holds the new entrants and the tally row the month's "
          "record, both on one thread). Agent-months per second per phase is the month's "
          "agent-months over that phase's time: the rate the step would have if that phase "
          "were all it did.\n")
    names = context.get("monthly_phases_names", "").split(",")[1:]
    for case, by_threads in run.phase_rows.items():
        threads = sorted(by_threads)
        print(f"**`{context.get(f'monthly_phases_{case}_scenario', case)}`**: "
              f"{int(context.get(f'monthly_phases_{case}_agents', 0)):,} agents, "
              f"{context.get(f'monthly_phases_{case}_regions', '?')} regions, "
              f"{context.get(f'monthly_phases_{case}_programmes', '?')} programmes.\n")
        print("| phase | " + " | ".join(
            f"{threads_label(t)}: ms per month | {threads_label(t)}: agent-months/s"
            for t in threads) + " |")
        print("|---|" + "---:|---:|" * len(threads))
        for name in names:
            cells = []
            for t in threads:
                b = by_threads[t]
                s = b.get(f"{name}_seconds_per_month")
                r = b.get(f"{name}_agent_months_per_second")
                cells.append(f"{s * 1e3:.1f}" if s is not None else "–")
                cells.append(millions(r) if r else "–")
            label = name.replace("_", " ")
            if name in ("programme_allocation", "tally"):
                label = f"**{label}**"
            print(f"| {label} | " + " | ".join(cells) + " |")
        cells = []
        for t in threads:
            b = by_threads[t]
            cells.append(f"{seconds(b) * 1e3:.0f} (wall)")
            cells.append(millions(b["agent_months_per_second"]) + " (wall)")
        print("| whole month | " + " | ".join(cells) + " |")
        print("| synthesis, once per replicate | " + " | ".join(
            f"{by_threads[t]['synthesis_seconds'] * 1e3:.0f} | –" for t in threads) + " |")
        print("| spread of the whole month (cv) | " + " | ".join(
            f"{spread_text(cv_of(run.phases, by_threads[t]['run_name']))} | –"
            for t in threads) + " |")
        first = by_threads[threads[0]]
        print(f"\nLabour force {first['labour_force']:,.0f} agents on average over the months "
              f"timed; {first['philox_blocks_per_agent_month']:.3f} Philox blocks per "
              "agent-month.\n")


def stream_section(run):
    if not run.stream:
        return
    data = run.results["stream_triad_benchmark"]
    array = int(data["context"].get("stream_array_bytes", 0))
    print("## Memory bandwidth\n")
    print(f"`stream_triad_benchmark`: three arrays of {array / 1e6:.0f} MB of doubles, far "
          "beyond the caches, each thread streaming through the part it first touched (a TBB "
          "arena with a static partition). `stream_triad` is STREAM's triad, a[i] = b[i] + "
          "s·c[i], counted as STREAM counts it: 24 bytes per element (two reads, one write; "
          "the read of a[i]'s line before it is written is not counted, so the bus carries up "
          "to a third more). `stream_update_in_place`, a[i] = s·a[i] + t, counts 16 bytes per "
          "element and moves memory as the monthly step does, reading columns and writing "
          "them back in place.\n")
    print("| kernel | threads | bytes per second (median) | spread (cv) |")
    print("|---|---:|---:|---:|")
    for kernel, by_threads in run.stream.items():
        for t in sorted(by_threads):
            b = by_threads[t]
            print(f"| `{kernel}` | {t} | {b['bytes_per_second'] / 1e9:.2f} GB/s | "
                  f"{spread_text(cv_of(data, b['run_name']))} |")
    print()
    per = run.step_bytes_per_agent_month()
    if per is not None and run.step_by_threads and "stream_update_in_place" in run.stream:
        shares = ", ".join(
            f"{threads_label(t)} {percent(s)}" for t in sorted(run.step_by_threads)
            if (s := run.bandwidth_share(t, "stream_update_in_place")) is not None)
        if shares:
            print(f"- The monthly step at {per:g} bytes per agent-month (assumed, see above) "
                  f"against the in-place kernel instead of the triad: {shares}.\n")


def hdf5_section(run):
    data = run.results.get("hdf5_writing_benchmark")
    if not data:
        return
    rows = medians(data)
    if not rows:
        return
    context = data["context"]
    print("## Writing run files\n")
    print("`hdf5_writing_benchmark`: `RunFileWriter` as `ulcsim run` uses it, into a "
          "directory under TMPDIR removed afterwards. `hdf5_write_replicates` times the "
          "file's creation, every replicate's series and the commit (bytes per second of "
          "series written); `run_file_summary` times what follows the replicates in a run: "
          "the statistics over replicates read back and written to /summary, the summary CSV, "
          "and the commit. The series come from one replicate simulated at a small scale "
          "and written as every replicate (the datasets are contiguous and uncompressed, so "
          "the values do not change the cost). Nothing is synced: the figures are those of "
          "writing into the page cache, as a run does.\n")
    print("| benchmark | scenario | regions × months × replicates | series | time (median) | "
          "spread (cv) | series bytes per second | file | CSV |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, b in rows.items():
        m = re.match(r"([a-z0-9_]+)/([a-z_]+)/", name)
        if not m:
            continue
        scenario = context.get(f"hdf5_{m.group(2)}_scenario", m.group(2))
        rate = (f"{b['bytes_per_second'] / 1e6:.0f} MB/s" if "bytes_per_second" in b else "–")
        csv = f"{b['csv_bytes'] / 1e6:.0f} MB" if "csv_bytes" in b else "–"
        print(f"| `{m.group(1)}` | `{scenario}` | {int(b['regions'])} × {int(b['months'])} × "
              f"{int(b['replicates'])} | {b['replicate_bytes'] / 1e6:.0f} MB | "
              f"{seconds(b) * 1e3:.0f} ms | {spread_text(cv_of(data, name))} | {rate} | "
              f"{b['file_bytes'] / 1e6:.0f} MB | {csv} |")
    print()


def national_section(run):
    n = run.national
    print("## National run\n")
    if not n:
        print(f"`benchmarks/national_run.py`: {NOT_MEASURED}.\n")
        return
    print("`benchmarks/national_run.py`: the whole command as a user runs it, timed from "
          "its start to its exit (loading, synthesis, the months, the run file, the summary "
          "and its CSV), with the peak resident set size of the process.\n")
    print(f"```\n$ {n.get('command', '?')}\n```\n")
    if n.get("error"):
        print(f"Failed in this run:\n\n```\n{n['error']}\n```\n")
        return
    scale, whole = run.national_scale()
    rows = [("agents at the start", f"{n['agents']:,}" +
             ("" if whole else f" (`--set {' '.join(n['set'])}`: not the goal's workload)")),
            ("months × replicates", f"{n['months']} × 1"),
            ("threads", str(n["threads"])),
            ("wall time", f"{n['seconds']:.1f} s"),
            ("agent-months per second", millions(n["agents"] * n["months"] / n["seconds"])),
            ("peak resident memory", f"{gigabytes(n['peak_rss_bytes'])} "
                                     f"({n['bytes_per_agent_peak']:.1f} B per agent)"),
            ("memory estimate printed before the run",
             f"`{n['memory_estimate_line'].strip()}`" if n.get("memory_estimate_line") else
             "none (this build of ulcsim prints no `memory:` line)")]
    if n.get("run_file_bytes"):
        rows.append(("run file", f"{n['run_file_bytes'] / 1e6:.0f} MB"))
    if n.get("summary_csv_bytes"):
        rows.append(("summary CSV", f"{n['summary_csv_bytes'] / 1e6:.0f} MB, copied to "
                                    f"`{n.get('summary_csv')}`"))
    load = n.get("load_avg_at_start")
    if load:
        rows.append(("load average at the start", ", ".join(f"{x:.2f}" for x in load) +
                     " (1, 5, 15 min)"))
    print("| | |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    print()
    if n.get("stdout", "").strip():
        print("What it printed:\n")
        print("```\n" + n["stdout"].rstrip() + "\n```\n")


def peer_section(run):
    p = run.peer
    print("## NumPy peer\n")
    if not p:
        print(f"`benchmarks/reference/time_peer.sh`: {NOT_MEASURED}.\n")
        return
    print("`benchmarks/reference/time_peer.sh`: the NumPy implementation of the same model "
          "(benchmarks/reference/numpy_model.py), one process, seconds per simulated month "
          "(synthesis excluded).\n")
    print("| | |\n|---|---|")
    print(f"| scenario | `{p.get('scenario')}` |")
    print(f"| agents | {p['agents']:,} |" if isinstance(p.get("agents"), int) else
          f"| agents | {p.get('agents')} |")
    print(f"| months timed | {p.get('months_timed')} |")
    print(f"| seconds per month, median [min, max] | {p['seconds_per_month_median']:.2f} "
          f"[{p['seconds_per_month_min']:.2f}, {p['seconds_per_month_max']:.2f}] |")
    print(f"| NumPy, Python | {p.get('numpy_version')}, {p.get('python_version')} |")
    print()


def ensemble_section(results):
    """Ensemble throughput by scenario and thread count, and the speed-up from 1 to 2 threads."""
    data = results.get("ensemble_benchmark")
    if data is None:
        return
    # case -> threads -> aggregate name -> row
    cases = {}
    for name, agg in aggregates(data).items():
        m = re.match(r"ensemble/([^/]+)/threads:(\d+)/", name)
        if m:
            cases.setdefault(m.group(1), {})[int(m.group(2))] = agg
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
            print(f"| `{scenario}` | {int(med['agents']):,} | "
                  f"{int(med['months'])} × {int(med['replicates'])} | {t} | "
                  f"{int(med['concurrent_replicates'])} | "
                  f"{med['agent_months_per_second'] / 1e6:.1f} M | {spread_text(cv)} | "
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


# The profiled run's counters per phase are in its own section; its table keeps the rest.
def shown_counter(program, key):
    if program == "monthly_phases_benchmark":
        return not (key.endswith("_seconds_per_month") or
                    (key.endswith("_agent_months_per_second") and
                     key != "agent_months_per_second"))
    return True


def program_table(program, data):
    print(f"## {program}\n")
    print("| benchmark | median | spread (cv) | counters |\n|---|---:|---:|---|")
    skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads",
            "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name",
            "aggregate_unit", "family_index", "per_family_instance_index"}
    for name, agg in aggregates(data).items():
        med = agg.get("median")
        if not med:
            continue
        cv = agg.get("cv", {}).get("real_time")
        counters = ", ".join(f"{k} = {v:g}" for k, v in med.items()
                             if k not in skip and isinstance(v, (int, float))
                             and shown_counter(program, k))
        if med.get("label"):
            counters += f" ({med['label']})"
        print(f"| `{name}` | {med['real_time']:.3f} {med['time_unit']} | {spread_text(cv)} | "
              f"{counters} |")
    print()


def machine_table(context, build_dir):
    cache = cmake_cache(build_dir)
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    build_type = cache.get("CMAKE_BUILD_TYPE", "Release")
    flags = " ".join(f for f in (cache.get("CMAKE_CXX_FLAGS", ""),
                                 cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}",
                                           "-O3 -DNDEBUG")) if f)
    print("| machine | |\n|---|---|")
    print(f"| CPU | {cpu_model()}, {context.get('num_cpus')} logical cores, "
          f"{context.get('mhz_per_cpu')} MHz |")
    mem_kib = next((int(l.split()[1]) for l in Path('/proc/meminfo').read_text().splitlines()
                    if l.startswith('MemTotal')), 0)
    print(f"| memory | {mem_kib / 2**20:.1f} GiB |")
    print(f"| OS | {platform.system()} {platform.release()} |")
    print(f"| compiler | {command_output(compiler, '--version').splitlines()[0]} |")
    print(f"| flags | CMake {build_type} ({flags}), C++20 |")
    print(f"| date | {context.get('date')} |")
    load = context.get("load_avg")
    if load:
        print(f"| load average at the first benchmark | "
              f"{', '.join(f'{x:.2f}' for x in load)} (1, 5, 15 min) |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", help="the build whose CMakeCache.txt gives the flags")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()

    results, special = {}, {}
    for f in args.files:
        data = json.loads(f.read_text())
        if f.stem in SPECIAL:
            special[f.stem] = data
        elif data.get("benchmarks"):
            results[f.stem] = data
    run = Run(results, special)

    print("# Benchmarks\n")
    print("Regenerate with `benchmarks/run.sh` (never edit by hand). Each row is the median "
          "of 7 repetitions; spread is the coefficient of variation across them. Google "
          "Benchmark's warning 'Library was built as DEBUG' concerns Debian's libbenchmark "
          "package itself; ulcsim is built Release. Rates are in decimal units "
          "(M = 10⁶, G = 10⁹, MB = 10⁶ and GB = 10⁹ bytes).\n")
    reps = {b.get("repetitions") for d in results.values() for b in d["benchmarks"]}
    if reps and reps != {7}:
        print(f"**Repetitions in this run: {', '.join(str(r) for r in sorted(reps))}, not 7: "
              "a trial run.**\n")
    first = next(iter(results.values()), None)
    machine_table(first["context"] if first else {}, args.build_dir)
    goals_section(run)
    monthly_step_section(run)
    phases_section(run)
    stream_section(run)
    hdf5_section(run)
    national_section(run)
    peer_section(run)
    ensemble_section(results)
    for program in sorted(results):
        program_table(program, results[program])


if __name__ == "__main__":
    main()
