#!/usr/bin/env bash
# Times the NumPy peer (numpy_model.py) on Jawa Tengah at population.scale=2 (≈ 10.4 million
# agents), one replicate, the first $MONTHS months (default 6; each takes a few seconds), and
# writes to $1 the JSON that the benchmark report reads:
#   {"scenario": "jawa-tengah.toml --set population.scale=2", "agents": …, "months_timed": …,
#    "seconds_per_month_median": …, "seconds_per_month_min": …, "seconds_per_month_max": …,
#    "numpy_version": "…", "python_version": "…"}
# Seconds per month exclude the synthesis of the population. Run it on an otherwise idle
# machine; it uses one core (NumPy's element-wise operations are single-threaded) and about
# 2 GB of memory.
#
#   benchmarks/reference/time_peer.sh OUT.json
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT.json" >&2
  exit 2
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
months=${MONTHS:-6}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# One thread for any BLAS the NumPy build may use (the model uses none), for a 1-thread figure.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "$python" "$here/numpy_model.py" "$root/scenarios/jawa-tengah.toml" \
  --set population.scale=2 --replicates 1 --months "$months" --json "$scratch/peer.json" --quiet
"$python" - "$scratch/peer.json" "$out" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
report = {
    "scenario": "jawa-tengah.toml --set population.scale=2",
    "agents": int(run["agents"]),
    "months_timed": int(run["months"]),
    "seconds_per_month_median": float(run["seconds_per_month_median"]),
    "seconds_per_month_min": float(run["seconds_per_month_min"]),
    "seconds_per_month_max": float(run["seconds_per_month_max"]),
    "numpy_version": run["numpy_version"],
    "python_version": run["python_version"],
}
with open(sys.argv[2], "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
print(json.dumps(report, indent=2))
PY
