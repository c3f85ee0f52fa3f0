#!/usr/bin/env python3
"""Renders results/national/ from a national run (benchmarks/national_run.py's JSON and the
run's summary CSV): run.json (what was run, how long it took, its peak memory),
coverage_by_province.csv (coverage every September and at the end, nation and provinces, all
segments) and README.md. Standard library only.

    render.py RUN.json SUMMARY.csv OUT_DIR
"""
import csv
import json
import sys
from pathlib import Path


def busy_note(run):
    """A time measured while other work ran is not the engine's speed: say so beside it."""
    load = (run.get("load_avg_at_start") or [0])[0]
    if load <= 0.5:
        return ""
    return (f"; the machine's load average was {load:.1f} at the start (other work on its "
            f"cores), so this is not a benchmark figure: see results/BENCHMARKS.md")

def main():
    run_json, summary_csv, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    run = json.loads(run_json.read_text())
    if run.get("error"):
        sys.exit(f"render.py: the national run failed: {run['error']}")
    if run.get("set"):
        sys.exit("render.py: the national run had --set " + " ".join(run["set"]) +
                 ": results/national/ holds the full-scale run only")

    rows = []
    with summary_csv.open(newline="") as f:
        for r in csv.DictReader(f):
            if r["level"] in ("nation", "province") and r["segment"] == "all":
                rows.append(r)
    months = sorted({r["month"] for r in rows})
    kept_months = [m for i, m in enumerate(months) if i % 12 == 0 or i == len(months) - 1]
    kept = [r for r in rows if r["month"] in kept_months]
    columns = ["level", "code", "name", "month", "labour_force_mean", "covered_mean",
               "coverage_rate_mean", "coverage_share_mean"]
    with (out / "coverage_by_province.csv").open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in kept:
            w.writerow([r[c] for c in columns])
    (out / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n")

    nation = {r["month"]: r for r in kept if r["level"] == "nation"}
    first, last = kept_months[0], kept_months[-1]
    provinces = [r for r in kept if r["level"] == "province" and r["month"] == last]
    provinces.sort(key=lambda r: float(r["coverage_rate_mean"]), reverse=True)

    agents = run["agents"]
    months_run = run["months"]
    bound = 16 * agents * 1.1
    peak = run["peak_rss_bytes"]
    pct = lambda x: f"{100 * float(x):.1f}%"
    millions = lambda x: f"{float(x) / 1e6:,.2f} million"
    lines = [
        "# The whole nation, one agent per worker",
        "",
        "Regenerate with `results/national/make.sh` (never edit by hand): "
        "`ulcsim run scenarios/indonesia.toml --replicates 1 --months 120`, timed by "
        "`benchmarks/national_run.py`.",
        "",
        "## What it took",
        "",
        "| | |",
        "|---|---|",
        f"| agents at the start | {agents:,} (one per employed worker, BPS Aug 2024) |",
        f"| months | {months_run} ({first} … {last}) |",
        f"| threads | {run['threads']} |",
        f"| wall time, whole command | {run['seconds']:.0f} s "
        f"({agents * months_run / run['seconds'] / 1e6:.0f} M agent-months per second, "
        "synthesis, writing and summaries included)" + busy_note(run) + " |",
        f"| peak resident memory | {peak / 1e9:.2f} GB = {peak / agents:.1f} bytes per starting "
        f"agent, against the bound 16 B × agents + 10% = {bound / 1e9:.2f} GB "
        f"({'within' if peak <= bound else 'OVER'} it) |",
        f"| estimate printed before the run | {(run.get('memory_estimate_line') or 'none').strip()} |",
        "",
        "The estimate is an upper bound: it counts a slot for every entrant as if nobody left "
        "the labour force. Entrants take the slots of workers who died or aged out first, and "
        "the slots reserved beyond those are never written, so they cost no memory.",
        "",
        "## What it projects",
        "",
        f"Coverage of resident workers, nation: {pct(nation[first]['coverage_rate_mean'])} in "
        f"{first}, {pct(nation[last]['coverage_rate_mean'])} in {last}; labour force "
        f"{millions(nation[first]['labour_force_mean'])} → "
        f"{millions(nation[last]['labour_force_mean'])}. One replicate at one agent per "
        "worker: the sampling noise of a single replicate is tiny at this size, but the "
        "behaviour parameters are the scenario's priors, not calibrated for the nation "
        "(see scenarios/indonesia.toml), so this is the status-quo baseline the scenario "
        "describes, not a forecast.",
        "",
        f"Provinces in {last}, highest coverage first (coverage_by_province.csv has every "
        "September):",
        "",
        "| province | coverage | share (registered here) | labour force |",
        "|---|---:|---:|---:|",
    ]
    for r in provinces:
        lines.append(f"| {r['name']} ({r['code']}) | {pct(r['coverage_rate_mean'])} | "
                     f"{pct(r['coverage_share_mean'])} | "
                     f"{float(r['labour_force_mean']):,.0f} |")
    (out / "README.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
