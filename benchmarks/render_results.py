#!/usr/bin/env python3
"""Turns Google Benchmark JSON files into results/BENCHMARKS.md (medians, spreads, machine)."""
import json
import platform
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
