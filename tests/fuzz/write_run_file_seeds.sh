#!/bin/sh
# The seed corpus of run_file_fuzz: small files of each kind a user may hand to inspect, report
# or --from-checkpoint, written by the program under test.
#   write_run_file_seeds.sh ULCSIM OUT_DIR
set -eu
ulcsim=$1
out=$2
rm -rf "$out"
mkdir -p "$out/scenarios"
cat >"$out/scenarios/small.toml" <<'TOML'
[run]
name = "small"
start = "2024-01"
months = 4
replicates = 2
[regions]
include = ["33.71"]
[population]
scale = 100
TOML
cat >"$out/scenarios/other.toml" <<'TOML'
extends = "small.toml"
[behaviour]
continue_after_subsidy = 0.9
TOML
s="$out/scenarios/small.toml"
"$ulcsim" run "$s" -q -o "$out/checkpoint.h5" --checkpoint-at 2024-03
"$ulcsim" run "$s" -q -o "$out/summaries.h5" --keep summaries
"$ulcsim" forecast "$s" -q -o "$out/forecast.h5"
"$ulcsim" compare "$s" "$out/scenarios/other.toml" -q -o "$out/compare.h5"
# Only the HDF5 files are seeds.
rm -rf "$out/scenarios" "$out"/*.csv
ls -l "$out"
