#!/usr/bin/env python3
"""Times the national run as a user runs it and records it for results/BENCHMARKS.md.

    national_run.py OUT.json OUT.summary.csv [--ulcsim PATH] [--set KEY=VALUE]... [--threads T]

Runs `ulcsim run scenarios/indonesia.toml --replicates 1 --months 120` into a temporary
directory beside OUT.json (on the same disk as the results, not a tmpfs), and writes OUT.json:
the command, agents, months, threads, wall seconds of the whole command (loading, synthesis,
the months, writing the run file, the summary and its CSV), the child's peak resident set
size, and the memory estimate line ulcsim prints before the run when it prints one. The run's
summary CSV is copied to OUT.summary.csv; the run file is removed with the directory.

--set is passed through (`--set population.scale=50` tries it at a fiftieth of the agents);
it is recorded in the JSON so that the report can tell such a run from the goal's workload.
Standard library only: run.sh calls it with /usr/bin/python3.

When ulcsim fails, OUT.json still gets written, with "error" holding the exit status and the
end of its stderr, and the exit status is 1.
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "scenarios/indonesia.toml"
MONTHS = 120

# ulcsim run's first line on stderr, e.g.
# "ulcsim run indonesia: 144,640,000 agents × 120 months × 1 replicate on 2 threads → x.h5"
HEADER = re.compile(r"^ulcsim run (?P<name>\S+): (?P<agents>[\d,]+) agents × (?P<months>\d+) "
                    r"months × (?P<replicates>\d+) replicates? on (?P<threads>\d+) threads?")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_out", type=Path)
    parser.add_argument("csv_out", type=Path)
    parser.add_argument("--ulcsim", type=Path, default=ROOT / "build/release/engine/cli/ulcsim")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        dest="overrides")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()

    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    # The child runs in the repository's root, where the scenario's relative path points.
    ulcsim = args.ulcsim.resolve()
    record = {"scenario": SCENARIO, "set": args.overrides, "load_avg_at_start": os.getloadavg()}
    if not ulcsim.is_file():
        record["error"] = f"{ulcsim} does not exist (build the release preset first)"
        args.json_out.write_text(json.dumps(record, indent=2) + "\n")
        print(record["error"], file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="national-run-",
                                     dir=args.json_out.parent.resolve()) as tmp:
        output = Path(tmp) / "indonesia.h5"
        command = [str(ulcsim), "run", SCENARIO, "--replicates", "1",
                   "--months", str(MONTHS), "-o", str(output)]
        for o in args.overrides:
            command += ["--set", o]
        if args.threads:
            command += ["--threads", str(args.threads)]
        record["command"] = " ".join(command).replace(tmp, "<tmp>").replace(f"{ROOT}/", "")
        print("$ " + record["command"], file=sys.stderr)

        stdout_path = Path(tmp) / "stdout.txt"
        with stdout_path.open("w") as stdout_file:
            started = time.monotonic()
            # stdout to a file: a pipe read only at the end could fill and stall the child.
            child = subprocess.Popen(command, cwd=ROOT, stdout=stdout_file,
                                     stderr=subprocess.PIPE, text=True)
            # Echoed as it comes, so that run.sh shows the progress of a long run.
            stderr_lines = []
            for line in child.stderr:
                sys.stderr.write(line)
                stderr_lines.append(line.rstrip("\n"))
            status = child.wait()
            seconds = time.monotonic() - started
        stdout = stdout_path.read_text().replace(tmp, "<tmp>")
        # ru_maxrss is in KiB on Linux, the largest of the children waited for: ulcsim is
        # this process's only one.
        peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024

        header = next((m for m in map(HEADER.match, stderr_lines) if m), None)
        agents = int(header["agents"].replace(",", "")) if header else None
        months = int(header["months"]) if header else MONTHS
        record.update({
            "agents": agents,
            "months": months,
            "threads": int(header["threads"]) if header else args.threads,
            "seconds": seconds,
            "agent_months_per_second": agents * months / seconds if agents else None,
            "peak_rss_bytes": peak_rss,
            "bytes_per_agent_peak": peak_rss / agents if agents else None,
            "memory_estimate_line": next(
                (line for line in stderr_lines if line.startswith("  memory:")), None),
            "stderr_first_line": stderr_lines[0].replace(tmp, "<tmp>") if stderr_lines else None,
            "stdout": stdout,
        })
        csv = output.with_suffix(".summary.csv")
        if status == 0 and csv.exists():
            args.csv_out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(csv, args.csv_out)
            record["summary_csv"] = str(args.csv_out)
            record["summary_csv_bytes"] = args.csv_out.stat().st_size
            record["run_file_bytes"] = output.stat().st_size if output.exists() else None
        if status != 0:
            tail = "\n".join(stderr_lines[-5:])
            record["error"] = f"ulcsim exited with status {status}: {tail}"
        elif header is None:
            record["error"] = "ulcsim's first line on stderr was not the expected header"

    args.json_out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.json_out}", file=sys.stderr)
    return 1 if "error" in record else 0


if __name__ == "__main__":
    sys.exit(main())
