#!/usr/bin/env bash
# Regenerates the planner-facing reference results from a clean build: each folder gets the
# runs' CSVs, the printed tables, an HTML report (English and Indonesian), a screenshot of the
# report, and keeps its hand-written README.md (what the numbers tell a planner), which must be
# checked against the new numbers whenever they change. The HDF5 run files stay in
# build/results/ (large). About 2 minutes on 2 cores.
#
#   results/make.sh                 every folder: kota-magelang sawahlunto di-yogyakarta
#                                   experiments jawa-tengah-forecast national national-2021 mpi
#                                   skill
#   results/make.sh kota-magelang   only the ones named
#
# jawa-tengah-forecast, national, national-2021 and mpi have their own scripts, which this one
# runs (about 10, 6, 15 and 8 minutes; the national run needs about 2.5 GB of memory, mpi Debian's
# libhdf5-openmpi-dev and both cores to itself); it adds the Jawa Tengah report.
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

di_yogyakarta() {
  # The 40% target by the end of 2025, and the ASN sponsor uptake it would take. At 10 workers
  # per agent (188,000 agents): the province's share is then known to ±0.2 pp.
  local here=results/di-yogyakarta w=$work/di-yogyakarta
  mkdir -p "$here" "$w"
  "$ulcsim" forecast scenarios/di-yogyakarta.toml --set population.scale=10 --replicates 40 \
    --by 2025-12 --by 2027-12 --by 2030-12 -o "$w/diy.h5" 2>/dev/null | tail -n +2 \
    > "$here/forecast.txt"
  cp "$w/diy.forecast.csv" "$here/forecast.csv"
  "$ulcsim" sweep scenarios/di-yogyakarta.toml --set population.scale=10 --replicates 20 \
    --months 24 --vary programme.kota-yogya-asn-sponsor.sponsors=363,3929,10000,20000,60000 \
    -o "$w/sponsors.h5" 2>/dev/null | tail -n +2 > "$here/sponsors.txt"
  cp "$w/sponsors.csv" "$here/sponsors.csv"
  "$ulcsim" report "$w/diy.h5" -o "$here/report.html" >/dev/null
  "$ulcsim" report "$w/diy.h5" -o "$here/laporan.html" --lang id >/dev/null
  screenshot "$here/report.html" "$here/report.png"
}

jawa_tengah_forecast() {
  results/jawa-tengah-forecast/run.sh
  local here=results/jawa-tengah-forecast w=$work/jawa-tengah-forecast
  "$ulcsim" report "$w/target-51.49.h5" "$w/ulc.h5" -o "$here/report.html" >/dev/null
  "$ulcsim" report "$w/target-51.49.h5" "$w/ulc.h5" -o "$here/laporan.html" --lang id >/dev/null
  screenshot "$here/report.html" "$here/report.png"
}

all=(kota-magelang sawahlunto di-yogyakarta experiments jawa-tengah-forecast national national-2021
  mpi skill)
for folder in "${@:-${all[@]}}"; do
  echo "==> results/$folder" >&2
  case $folder in
    kota-magelang) kota_magelang ;;
    sawahlunto) sawahlunto ;;
    di-yogyakarta) di_yogyakarta ;;
    jawa-tengah-forecast) jawa_tengah_forecast ;;
    experiments) ULCSIM=$ulcsim results/experiments/make.sh ;;
    national) results/national/make.sh ;;
    national-2021) ULCSIM=$ulcsim results/national-2021/make.sh ;;
    mpi) results/mpi/make.sh ;;
    skill) ULCSIM=$ulcsim results/skill/make.sh ;;
    *) echo "results/make.sh: unknown folder '$folder' (${all[*]})" >&2; exit 2 ;;
  esac
done
echo "done; check each folder's README.md against the new numbers" >&2
