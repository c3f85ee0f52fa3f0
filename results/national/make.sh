#!/usr/bin/env bash
# Regenerates results/national/: the whole nation at one agent per worker
# (scenarios/indonesia.toml: 144.64 million agents × 120 months, 1 replicate), with the time
# and the peak memory it took, and the coverage it projects by province.
#
#   results/national/make.sh                          runs it (minutes; about 2.5 GB of memory)
#   results/national/make.sh RUN.json SUMMARY.csv     only renders a run that
#                                                     benchmarks/run.sh has just made
#                                                     (build/release/benchmark-results/
#                                                     national_run.json and .summary.csv)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=results/national
if (($# == 2)); then
  json=$1 csv=$2
else
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" >/dev/null
  work=$(mktemp -d build/release/national.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  json=$work/national_run.json csv=$work/national_run.summary.csv
  /usr/bin/python3 benchmarks/national_run.py "$json" "$csv"
fi
/usr/bin/python3 "$here/render.py" "$json" "$csv" "$here"
echo "wrote $here/README.md, $here/run.json, $here/coverage_by_province.csv" >&2
