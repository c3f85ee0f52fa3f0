#!/usr/bin/env bash
# Paired before/after timing of the monthly step across commits, on one host, in one run.
#
#   benchmarks/paired_ab.sh [--rounds N] [--out FILE] REFERENCE COMMIT [COMMIT...]
#
# Each commit is checked out into build/paired-ab/<commit> (a detached worktree) and its
# Release monthly_step_benchmark built there. The programs then run in turn, round after
# round (reference, commit, commit, …; 5 rounds of 3 repetitions by default), so that a
# slow spell of the machine falls on all of them alike; each commit's speed is reported as
# the median over rounds of its ratio to the reference in the same round.
#
# Every program runs on the REFERENCE's benchmark scenario (scenarios/jawa-tengah.toml,
# with its data folder): the shipped scenarios change with the model, and a comparison of
# code must hold the workload fixed. Later code must still read the older scenario.
#
# Run it on an otherwise idle machine; the report (Markdown) goes to stdout, or to --out.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=5
out=
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "paired_ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -lt 2 ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
refs=("$@")
root=$PWD/build/paired-ab
mkdir -p "$root"
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}

shas=()
for ref in "${refs[@]}"; do
  sha=$(git rev-parse --short=12 "$ref^{commit}") || { echo "paired_ab.sh: no commit $ref" >&2; exit 2; }
  shas+=("$sha")
  tree=$root/$sha
  if [[ ! -d $tree ]]; then
    git worktree add -q --detach "$tree" "$sha"
  fi
  echo "building $ref ($sha) in $tree" >&2
  (cd "$tree" && cmake --preset release >/dev/null &&
    cmake --build --preset release -j "$(nproc)" --target monthly_step_benchmark >/dev/null)
done

# The reference's scenario and data, in every tree, for the time of the runs.
scenario=scenarios/jawa-tengah.toml
restore() {
  for sha in "${shas[@]}"; do (cd "$root/$sha" && git checkout -q -- scenarios); done
}
trap restore EXIT
for sha in "${shas[@]:1}"; do
  rm -rf "$root/$sha/scenarios/data"
  cp -r "$root/${shas[0]}/scenarios/data" "$root/$sha/scenarios/data"
  cp "$root/${shas[0]}/$scenario" "$root/$sha/$scenario"
done

json=$root/json
rm -rf "$json"
mkdir -p "$json"
for ((r = 1; r <= rounds; ++r)); do
  for sha in "${shas[@]}"; do
    echo "round $r/$rounds: $sha" >&2
    "$root/$sha/build/release/benchmarks/monthly_step_benchmark" --benchmark_repetitions=3 \
      --benchmark_format=json --benchmark_out="$json/$sha-$r.json" >/dev/null 2>&1
  done
done

report=$(python3 - "$json" "$rounds" "${shas[@]}" <<'EOF'
import json, platform, statistics as st, subprocess, sys
folder, rounds, shas = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def speed(sha, r, threads):
    data = json.load(open(f"{folder}/{sha}-{r}.json"))
    return st.median(b["agent_months_per_second"] for b in data["benchmarks"]
                     if b.get("run_type") == "iteration" and f"threads:{threads}/" in b["name"])
context = json.load(open(f"{folder}/{shas[0]}-1.json"))["context"]
subjects = {s: subprocess.run(["git", "log", "-1", "--format=%cs %s", s], capture_output=True,
                              text=True).stdout.strip()[:90] for s in shas}
print("# Monthly step, paired across commits\n")
print(f"Host: {platform.node()}, {context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz;"
      f" {rounds} rounds of 3 repetitions, the commits in turn within each round; the workload"
      f" is {shas[0]}'s scenarios/jawa-tengah.toml for every commit.\n")
print("| commit | | threads | agent-months/s (median) | ratio to the reference, per round | median ratio |")
print("|---|---|---|---|---|---|")
for threads in (1, 2):
    ref = [speed(shas[0], r, threads) for r in range(1, rounds + 1)]
    for sha in shas:
        v = [speed(sha, r, threads) for r in range(1, rounds + 1)]
        ratios = [a / b for a, b in zip(v, ref)]
        print(f"| `{sha}` | {subjects[sha]} | {threads} | {st.median(v) / 1e6:.1f} M |"
              f" {' '.join(f'{x:.3f}' for x in ratios)} | **{st.median(ratios):.3f}** |")
EOF
)
if [[ -n $out ]]; then
  printf '%s\n\nRegenerate: `benchmarks/paired_ab.sh --out %s %s`\n' "$report" "$out" "${shas[*]}" >"$out"
  echo "wrote $out" >&2
else
  printf '%s\n' "$report"
fi
