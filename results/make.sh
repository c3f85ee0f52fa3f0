#!/usr/bin/env bash
# Regenerates the planner-facing reference results from a clean build: each folder gets the
# runs' CSVs, the printed tables, an HTML report (English and Indonesian), a screenshot of the
# report, and keeps its hand-written README.md (what the numbers tell a planner), which must be
# checked against the new numbers whenever they change. The HDF5 run files stay in
# build/results/ (large). About 2 minutes on 2 cores.
#
#   results/make.sh                 every folder below
#   results/make.sh kota-magelang   one of them
#
# Other folders have their own script: results/jawa-tengah-forecast/run.sh,
# results/national/make.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target ulcsim_cli >/dev/null
ulcsim=build/release/engine/cli/ulcsim
work=build/results
mkdir -p "$work"

screenshot() { # HTML PNG: what the report looks like in a browser (Debian's chromium)
  if ! command -v chromium >/dev/null; then
    echo "warning: no chromium, so no screenshot $2 (setup.sh installs it)" >&2
    return
  fi
  chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --virtual-time-budget=5000 \
    --window-size=1280,2400 --screenshot="$2" "file://$PWD/$1" 2>/dev/null
}

kota_magelang() {
  # 6 funded months in 2024 against 12 more in 2025, paired with common random numbers.
  local here=results/kota-magelang w=$work/kota-magelang
  mkdir -p "$here" "$w"
  "$ulcsim" compare scenarios/kota-magelang-2024.toml scenarios/kota-magelang-2025.toml \
    --replicates 40 -o "$w/compare.h5" 2>/dev/null | tail -n +2 > "$here/compare.txt"
  cp "$w/compare.csv" "$here/compare.csv"
  for year in 2024 2025; do
    "$ulcsim" run "scenarios/kota-magelang-$year.toml" --replicates 40 -o "$w/km$year.h5" --quiet
    cp "$w/km$year.summary.csv" "$here/km$year.summary.csv"
  done
  "$ulcsim" report "$w/km2024.h5" "$w/km2025.h5" -o "$here/report.html" >/dev/null
  "$ulcsim" report "$w/km2024.h5" "$w/km2025.h5" -o "$here/laporan.html" --lang id >/dev/null
  screenshot "$here/report.html" "$here/report.png"
}

sawahlunto() {
  # Coverage share above 100%: registered participants over resident workers.
  local here=results/sawahlunto w=$work/sawahlunto
  mkdir -p "$here" "$w"
  "$ulcsim" run scenarios/sawahlunto.toml --replicates 40 -o "$w/sawahlunto.h5" 2>/dev/null \
    > "$here/run.txt"
  sed -i "s|$w/||g" "$here/run.txt"
  # Kota Sawahlunto, all segments, every December and the first months: coverage of residents
  # against the coverage share.
  /usr/bin/python3 - "$w/sawahlunto.summary.csv" "$here/sawahlunto-share.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["code"] == "13.73" and r["segment"] == "all"
        and (r["month"] in ("2024-01", "2024-03") or r["month"].endswith("-12"))]
columns = ["month", "labour_force_mean", "covered_mean", "coverage_rate_mean",
           "coverage_rate_p05", "coverage_rate_p95", "coverage_share_mean",
           "coverage_share_p05", "coverage_share_p95"]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r[c] for c in columns])
PY
  "$ulcsim" report "$w/sawahlunto.h5" -o "$here/report.html" >/dev/null
  "$ulcsim" report "$w/sawahlunto.h5" -o "$here/laporan.html" --lang id >/dev/null
  screenshot "$here/report.html" "$here/report.png"
}

folders=("${@:-kota-magelang sawahlunto}")
for folder in ${folders[@]}; do
  echo "==> results/$folder" >&2
  case $folder in
    kota-magelang) kota_magelang ;;
    sawahlunto) sawahlunto ;;
    *) echo "results/make.sh: unknown folder '$folder' (kota-magelang, sawahlunto)" >&2; exit 2 ;;
  esac
done
echo "done; check each folder's README.md against the new numbers" >&2
