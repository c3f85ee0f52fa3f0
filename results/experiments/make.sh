#!/usr/bin/env bash
# Regenerates results/experiments/: the four arms of the replica of the Banerjee et al.
# (AER 2021) subsidy experiment (scenarios/experiments/subsidy-trial-*.toml, 40 replicates
# each, common random numbers), and table.csv beside the published figures. A few seconds
# once the program is built.
#
#   results/experiments/make.sh                   builds the Release program first
#   ULCSIM=path/to/ulcsim results/experiments/make.sh   uses that program
set -euo pipefail
cd "$(dirname "$0")/../.."
here=results/experiments
if [[ -z ${ULCSIM:-} ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target ulcsim_cli >/dev/null
  ULCSIM=build/release/engine/cli/ulcsim
fi
work=build/results/experiments
mkdir -p "$work"
for arm in control full full-assisted half; do
  "$ULCSIM" run "scenarios/experiments/subsidy-trial-$arm.toml" -o "$work/$arm.h5" --quiet \
    >"$work/$arm.txt"
done
/usr/bin/python3 "$here/table.py" "$work" >"$here/table.csv"
echo "wrote $here/table.csv; check README.md against it" >&2
