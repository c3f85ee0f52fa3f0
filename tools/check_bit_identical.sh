#!/usr/bin/env bash
# Checks that two builds of ulcsim produce the same outputs, bit for bit, for every shipped
# scenario family and every command that writes results: run (Kota Magelang 2024 and 2025,
# Jawa Tengah at scale 20, Sawahlunto, the nation at scale 2000, --keep summaries, a
# checkpoint and a branch from it), compare, sweep, target, forecast (plain, with a posterior,
# with a backtest), calibrate, inspect and report. A restructuring must leave all of it
# unchanged.
#
#   tools/check_bit_identical.sh write BIN OUTDIR
#       runs every command with the program BIN, writing into OUTDIR (created empty)
#   tools/check_bit_identical.sh compare BEFORE_BIN AFTER_BIN [WORKDIR] [-- compare_outputs options]
#       writes both into WORKDIR/before and WORKDIR/after (default: a temporary folder) and
#       compares them with tools/compare_outputs.py
#   tools/check_bit_identical.sh against REFERENCE_DIR AFTER_BIN [WORKDIR] [-- options]
#       compares AFTER_BIN's outputs with a folder written earlier by `write`
#
# Every command runs in the output folder with relative output names, so that the terminal
# text of two folders can be compared; the scenarios are this checkout's (or $SCENARIOS) and
# the region data $ULCSIM_DATA_DIR (default: the scenarios' data folder) for both builds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
scenarios=${SCENARIOS:-$(cd "$here/../scenarios" && pwd)}
export ULCSIM_DATA_DIR=${ULCSIM_DATA_DIR:-$scenarios/data}

write_outputs() {
  local bin=$1 out=$2
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  rm -rf "$out"
  mkdir -p "$out"
  cd "$out"
  local s=$scenarios
  # Outputs name the scenario files; the comparison reads this to tell a checkout's path from
  # a difference.
  echo "$scenarios" >.scenarios
  # name, then the command's arguments. stdout goes to NAME.out, stderr to NAME.err.
  step() {
    local name=$1
    shift
    if ! "$bin" "$@" >"$name.out" 2>"$name.err"; then
      echo "check_bit_identical: '$name' failed with $bin:" >&2
      cat "$name.err" >&2
      return 1
    fi
  }
  local km24=$s/kota-magelang-2024.toml km25=$s/kota-magelang-2025.toml
  local diy=$s/di-yogyakarta.toml apbd=programme.kota-magelang-apbd
  step run-km2024 run "$km24" -o km2024.h5 --replicates 10 --threads 2
  step run-km2025 run "$km25" -o km2025.h5 --replicates 10 --threads 2 --checkpoint-at 2025-07
  step run-km2025-1thread run "$km25" -o km2025-1thread.h5 --replicates 3 --threads 1
  step branch run "$km25" -o branch.h5 --from-checkpoint km2025.h5 --set run.start=2025-07 \
    --months 18 --threads 2
  step branch-more run "$km25" -o branch-more.h5 --from-checkpoint km2025.h5 \
    --set run.start=2025-07 --months 18 --set "$apbd.continue_after_subsidy=0.6" --threads 2
  step run-jawa-tengah run "$s/jawa-tengah.toml" -o jawa-tengah.h5 --set population.scale=20 \
    --replicates 3 --threads 2
  step run-sawahlunto run "$s/sawahlunto.toml" -o sawahlunto.h5 --replicates 6 --threads 2
  step run-indonesia run "$s/indonesia.toml" -o indonesia.h5 --set population.scale=2000 \
    --replicates 2 --months 24 --threads 2
  step run-summaries run "$km25" -o km2025-summaries.h5 --replicates 6 --keep summaries \
    --threads 2
  step compare compare "$km24" "$km25" -o compare.h5 --replicates 10 --threads 2
  step compare-independent compare "$km24" "$km25" -o compare-independent.h5 --replicates 6 \
    --independent-seeds --threads 2
  step sweep sweep "$km25" -o sweep.h5 --replicates 6 --threads 2 \
    --vary "$apbd.continue_after_subsidy=0.2:0.6:3" --vary "$apbd.window.1.end=2025-06:2025-12:3"
  step target-budget target "$km25" --set population.scale=4 --replicates 10 --reach 30% \
    --by 2025-12 --probability 80% --programme kota-magelang-apbd --vary budget --threads 2
  step target-months target "$km25" --set population.scale=4 --replicates 10 --reach 30% \
    --by 2026-06 --probability 60% --programme kota-magelang-apbd --vary months --threads 2
  step forecast forecast "$diy" -o forecast.h5 --set population.scale=50 --replicates 10 \
    --threads 2 --threshold 40% --by 2025-12
  step calibrate calibrate "$diy" -o diy-calibrated.toml --fit h0_self,h_lapse \
    --set population.scale=200 --evaluations 16 --loss-replicates 2 --particles 6 \
    --generations 2 --threads 2
  step forecast-posterior forecast "$diy" -o forecast-posterior.h5 --set population.scale=200 \
    --replicates 8 --threads 2 --posterior diy-calibrated.fit.h5
  step forecast-backtest forecast "$diy" -o forecast-backtest.h5 --set population.scale=200 \
    --replicates 8 --threads 2 --backtest 2024-10 --fit h0_self --evaluations 12 \
    --loss-replicates 2 --particles 6 --generations 2
  local f
  for f in km2024 km2025 branch jawa-tengah indonesia km2025-summaries compare sweep forecast \
    forecast-backtest diy-calibrated.fit; do
    step "inspect-$f" inspect "$f.h5"
  done
  step report report km2024.h5 km2025.h5 forecast.h5 -o report.html
  step report-id report km2025.h5 -o laporan.html --lang id
}

compare_dirs() {
  # A python3 with h5py: the first on PATH, or Debian's (python3-h5py).
  local python
  for python in python3 /usr/bin/python3; do
    if "$python" -c 'import h5py' 2>/dev/null; then
      "$python" "$here/compare_outputs.py" "$@"
      return
    fi
  done
  echo "check_bit_identical: no python3 with h5py (Debian: python3-h5py)" >&2
  return 2
}

case "${1:-}" in
write)
  [ $# -eq 3 ] || { echo "usage: $0 write BIN OUTDIR" >&2; exit 2; }
  write_outputs "$2" "$3"
  ;;
compare)
  [ $# -ge 3 ] || { echo "usage: $0 compare BEFORE_BIN AFTER_BIN [WORKDIR] [-- options]" >&2; exit 2; }
  before=$2 after=$3
  shift 3
  work=$(mktemp -d)
  if [ $# -gt 0 ] && [ "$1" != "--" ]; then work=$1; shift; fi
  [ "${1:-}" = "--" ] && shift
  (write_outputs "$before" "$work/before")
  (write_outputs "$after" "$work/after")
  compare_dirs "$work/before" "$work/after" "$@"
  ;;
against)
  [ $# -ge 3 ] || { echo "usage: $0 against REFERENCE_DIR AFTER_BIN [WORKDIR] [-- options]" >&2; exit 2; }
  reference=$2 after=$3
  shift 3
  work=$(mktemp -d)
  if [ $# -gt 0 ] && [ "$1" != "--" ]; then work=$1; shift; fi
  [ "${1:-}" = "--" ] && shift
  (write_outputs "$after" "$work/after")
  compare_dirs "$reference" "$work/after" "$@"
  ;;
*)
  sed -n '2,21p' "$0" >&2
  exit 2
  ;;
esac
