#!/usr/bin/env bash
# Regenerates results/BENCHMARKS.md from scratch: a Release build, every benchmark program
# run with repetitions, medians and spreads tabulated with the machine they ran on.
# The "Monthly step" section sets monthly_step_benchmark (about half a minute: 10 million
# agents, 1 and 2 threads) against rng_benchmark's Philox rate, so both must come from the
# same run; run it on an otherwise idle machine, as its 2-thread row needs both cores.
# The same holds for ensemble_benchmark (about a minute: whole ensembles of Kota Magelang
# and of Jawa Tengah at a million agents, 1 and 2 threads), whose "Ensemble throughput"
# section reports the 2-thread speed-up against the 1.8x goal. The loop below runs every
# *_benchmark program the Release build makes, so a new one needs no line here.
#
#   benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
out=build/release/benchmark-results
mkdir -p "$out" results
for program in build/release/benchmarks/*_benchmark; do
  name=$(basename "$program")
  echo "==> $name" >&2
  "$program" --benchmark_repetitions=7 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json >/dev/null
done
python3 benchmarks/render_results.py "$out"/*.json > results/BENCHMARKS.md
echo "wrote results/BENCHMARKS.md" >&2
