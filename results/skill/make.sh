#!/usr/bin/env bash
# The rolling-origin skill of calibrated forecasts on the shipped scenarios that have dated
# observations (issue 18): for each, `ulcsim forecast --backtest A,B,…` or `--rolling` fits the
# behaviour on the observations before every cut-off, forecasts those from it on, and scores
# them together against persistence and the linear trend, with intervals widened by the model
# discrepancy. Writes <name>.txt (the printed tables, or why no skill can be measured),
# <name>.skill.csv and <name>.rolling-backtest.csv; the run files stay in build/results/skill/.
#
#   results/skill/make.sh            (ULCSIM=path/to/ulcsim to use another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${ULCSIM:-}" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target ulcsim_cli >/dev/null
fi
ulcsim=${ULCSIM:-build/release/engine/cli/ulcsim}
here=results/skill work=build/results/skill
mkdir -p "$here" "$work"
# Small enough for a laptop: the measurement is of the method, not a production calibration.
fit=(--particles 20 --generations 3 --evaluations 40 --loss-replicates 4 --threads 2)

measure() { # NAME, then the forecast's arguments; with --fit, the calibration settings follow
  local name=$1 status=0
  shift
  local settings=()
  [[ " $* " == *" --fit "* ]] && settings=("${fit[@]}")
  "$ulcsim" forecast "$@" "${settings[@]}" -o "$work/$name.h5" >"$work/$name.out" \
    2>"$work/$name.err" || status=$?
  {
    echo "\$ ulcsim forecast $* ${settings[*]}"
    echo
    if [ "$status" -eq 0 ]; then
      # The tables after the forecast's own: the backtest of the last cut-off and the skill.
      sed -n '/^Backtest:/,$p' "$work/$name.out"
      cp "$work/$name.skill.csv" "$here/$name.skill.csv"
      cp "$work/$name.rolling-backtest.csv" "$here/$name.rolling-backtest.csv"
    else
      echo "exit status $status:"
      cat "$work/$name.err"
    fi
  } >"$here/$name.txt"
  sed -i "s|$work/||g" "$here/$name.txt"
}

# DI Yogyakarta: three dated shares (Feb, Jun (BPU) and Oct 2024). First the scenario as it is
# (its priors, nothing fitted), then calibrated at every cut-off.
measure di-yogyakarta-priors scenarios/di-yogyakarta.toml --set population.scale=100 \
  --replicates 10 --months 12 --rolling
measure di-yogyakarta-h0_self scenarios/di-yogyakarta.toml --set population.scale=100 \
  --replicates 10 --months 12 --rolling --fit h0_self
measure di-yogyakarta-h0_self-h_lapse scenarios/di-yogyakarta.toml --set population.scale=100 \
  --replicates 10 --months 12 --backtest 2024-06,2024-10 --fit h0_self,h_lapse
# The nation from Nov 2021: seven national figures (Nov 2021, Feb 2022, Feb 2023, Dec 2023),
# three cut-offs. The scenario as it is, then employer registration and self-enrolment fitted.
measure indonesia-2021-priors scenarios/indonesia-2021.toml --set population.scale=1000 \
  --replicates 4 --months 26 --rolling
measure indonesia-2021-h0_register-h0_self scenarios/indonesia-2021.toml \
  --set population.scale=1000 --replicates 4 --months 26 --rolling --fit h0_register,h0_self
# Jawa Tengah (two shares, both Feb 2024), Sawahlunto (one, Mar 2024) and the nation from Sep
# 2024 (none):
# no cut-off has observations both before and after it, which the files say.
measure jawa-tengah scenarios/jawa-tengah.toml --set population.scale=200 --replicates 10 \
  --rolling --fit h0_self
measure sawahlunto scenarios/sawahlunto.toml --replicates 10 --rolling --fit h0_self
measure indonesia scenarios/indonesia.toml --set population.scale=2000 --replicates 4 \
  --months 24 --rolling --fit h0_self
