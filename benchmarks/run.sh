#!/usr/bin/env bash
# Regenerates results/BENCHMARKS.md from scratch: a Release build, every benchmark program
# run with repetitions, the national run, the NumPy peer, and the medians and spreads
# tabulated with the machine they ran on. Every figure of the report, the ratios of its
# "Against the goals" table included, comes from the JSON of this one run, so run it whole,
# on an otherwise idle machine: the 2-thread rows need both cores.
#
# What takes the time:
#  - monthly_step_benchmark (about half a minute: 10 million agents, 1 and 2 threads) is set
#    against rng_benchmark's Philox rate and stream_triad_benchmark's memory bandwidth, with
#    the Philox blocks per agent-month that monthly_phases_benchmark (about a minute: a
#    profiled run of Jawa Tengah and of Indonesia at 1/20, 1 and 2 threads) counts.
#  - ensemble_benchmark (about a minute: whole ensembles of Kota Magelang and of Jawa Tengah
#    at a million agents, 1 and 2 threads), whose "Ensemble throughput" section reports the
#    2-thread speed-up against the 1.8x goal.
#  - hdf5_writing_benchmark (about half a minute: mostly the summary of the national shape).
#  - national_run.py: `ulcsim run scenarios/indonesia.toml` at full scale, 145 million agents
#    × 120 months (several minutes on an idle machine, about 3 GB of memory), timed with its
#    peak memory.
#  - benchmarks/reference/time_peer.sh, when it exists: the NumPy peer on the monthly step's
#    scenario.
# The loop below runs every *_benchmark program the Release build makes, so a new one needs
# no line here.
#
#   benchmarks/run.sh
#
# Environment switches, for trying it without the slow parts. A trial must not overwrite
# results/BENCHMARKS.md with a partial run: point ULCSIM_REPORT elsewhere (tmp/ is ignored).
#   ULCSIM_REPORT=tmp/b/BENCHMARKS.md      where the report goes (default results/BENCHMARKS.md)
#   ULCSIM_BENCHMARK_OUT=tmp/b             the JSON files and the national run's summary CSV
#                                          (default <build dir>/benchmark-results; emptied of
#                                          JSON first, so that no figure comes from an
#                                          earlier run)
#   ULCSIM_BUILD_DIR=build/bench           build with the release preset into this directory
#                                          and run from it (default build/release)
#   ULCSIM_BENCHMARK_PROGRAMS='rng|stream' run only the programs whose name matches this
#                                          extended regular expression (default all)
#   ULCSIM_BENCHMARK_FILTER='threads:1'    passed to every program as --benchmark_filter
#   ULCSIM_BENCHMARK_REPETITIONS=3         repetitions of each benchmark (default 7)
#   ULCSIM_NATIONAL_SET='population.scale=50 run.seed=2'
#                                          each KEY=VALUE (separated by spaces) passed to the
#                                          national run as --set; the report then says that
#                                          it is not the goal's workload
#   ULCSIM_NATIONAL_CSV=path.csv           where the national run's summary CSV (about 55 MB) is
#                                          copied (default <ULCSIM_BENCHMARK_OUT>/
#                                          national_run.summary.csv)
#   ULCSIM_NATIONAL=0                      skip the national run
#   ULCSIM_PEER=0                          skip the NumPy peer
# Skipped parts appear in the report as "not measured in this run".
#
#   ULCSIM_REPORT=tmp/b/BENCHMARKS.md ULCSIM_BENCHMARK_OUT=tmp/b ULCSIM_BUILD_DIR=build/bench \
#   ULCSIM_BENCHMARK_REPETITIONS=3 ULCSIM_NATIONAL_SET=population.scale=50 benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ULCSIM_BUILD_DIR:-build/release}
out=${ULCSIM_BENCHMARK_OUT:-$build/benchmark-results}
report=${ULCSIM_REPORT:-results/BENCHMARKS.md}
national_csv=${ULCSIM_NATIONAL_CSV:-$out/national_run.summary.csv}
repetitions=${ULCSIM_BENCHMARK_REPETITIONS:-7}
programs=${ULCSIM_BENCHMARK_PROGRAMS:-.}
filter=()
if [[ -n ${ULCSIM_BENCHMARK_FILTER:-} ]]; then
  filter=(--benchmark_filter="$ULCSIM_BENCHMARK_FILTER")
fi

cmake --preset release -B "$build" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
mkdir -p "$out" "$(dirname "$report")"
rm -f "$out"/*.json "$national_csv"

for program in "$build"/benchmarks/*_benchmark; do
  name=$(basename "$program")
  [[ $name =~ $programs ]] || continue
  echo "==> $name" >&2
  "$program" --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
    "${filter[@]}" --benchmark_out="$out/$name.json" --benchmark_out_format=json >/dev/null
done

if [[ ${ULCSIM_NATIONAL:-1} != 0 ]]; then
  echo "==> national run" >&2
  national_set=()
  for kv in ${ULCSIM_NATIONAL_SET:-}; do
    national_set+=(--set "$kv")
  done
  # A failed run still leaves its JSON, with the error, for the report to show.
  /usr/bin/python3 benchmarks/national_run.py "$out/national_run.json" \
    "$national_csv" --ulcsim "$build/engine/cli/ulcsim" "${national_set[@]}" ||
    echo "warning: the national run failed (see $out/national_run.json)" >&2
fi

if [[ ${ULCSIM_PEER:-1} != 0 && -f benchmarks/reference/time_peer.sh ]]; then
  echo "==> NumPy peer" >&2
  bash benchmarks/reference/time_peer.sh "$out/numpy_peer.json" ||
    { echo "warning: the NumPy peer failed" >&2; rm -f "$out/numpy_peer.json"; }
fi

# Written beside the report and moved over it only when complete.
/usr/bin/python3 benchmarks/render_results.py --build-dir "$build" "$out"/*.json > "$report.tmp"
mv "$report.tmp" "$report"
echo "wrote $report" >&2
