#!/usr/bin/env bash
# Regenerates results/mpi/: how `mpirun -n P ulcsim run` scales on this machine, and what
# writing the output costs when rank 0 gathers every replicate against parallel HDF5.
#  1. builds the mpi preset (Open MPI, RelWithDebInfo) with its benchmarks: ulcsim,
#     ulcsim-serial (the same program without MPI) and benchmarks/mpi_output_benchmark;
#  2. records the machine (machine.json);
#  3. times `ulcsim run scenarios/jawa-tengah.toml` at full scale (20.86 million agents) without
#     MPI at 1 and 2 threads and under mpirun at 1, 2 (by replicate and by region) and 4
#     (oversubscribed) ranks of 1 thread, and one replicate split by region over 2 ranks, with
#     the peak memory of every rank; each configuration 3 times, and every output checked
#     against the single-process one (scaling.json, by scaling.py);
#  4. runs mpi_output_benchmark at P = 1, 2 and 4 (oversubscribed): 16 replicates of the
#     Jawa Tengah and of the national shape written into one file by rank 0 alone (gather) or
#     by every rank through MPI-IO (output_benchmark_P<P>.json);
#  5. renders README.md (render.py) from those files. Never edit README.md by hand.
# About 8 minutes on an idle 2-core machine; it needs both cores to itself to mean anything.
#
#   results/mpi/make.sh
#
# Environment switches (a trial must not overwrite results/mpi/: point ULCSIM_MPI_OUT
# elsewhere; tmp/ is ignored):
#   ULCSIM_BUILD_DIR=build/mpi-bench  where the mpi preset is built (default build/mpi-bench)
#   ULCSIM_MPI_OUT=tmp/mpi            where README.md and the JSON go (default results/mpi)
#   ULCSIM_MPI_MONTHS=12              months of each run (default 12)
#   ULCSIM_MPI_REPLICATES=4           replicates of each run (default 4; at least 4, so that 4
#                                     ranks split by replicate)
#   ULCSIM_MPI_ROUNDS=3               runs of each configuration (default 3)
#   ULCSIM_MPI_SET='population.scale=50'
#                                     KEY=VALUE pairs (separated by spaces) passed to every run
#                                     as --set; the README then says it is not the full scale
#   ULCSIM_MPI_QUIET_WAIT=900         first wait up to this many seconds for the 1-minute load
#                                     average to fall below 0.5 (default 0: start at once)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${ULCSIM_BUILD_DIR:-build/mpi-bench}
out=${ULCSIM_MPI_OUT:-results/mpi}
months=${ULCSIM_MPI_MONTHS:-12}
replicates=${ULCSIM_MPI_REPLICATES:-4}
rounds=${ULCSIM_MPI_ROUNDS:-3}
quiet_wait=${ULCSIM_MPI_QUIET_WAIT:-0}
here=results/mpi
python=/usr/bin/python3 # Debian's, with h5py
started=$(date +%s)

load1() { cut -d' ' -f1 /proc/loadavg; }

if ! pkg-config --exists hdf5-openmpi; then
  echo "make.sh: the output benchmark needs parallel HDF5: apt-get install libhdf5-openmpi-dev" \
       "(setup.sh installs Open MPI but not this, which only this script needs)" >&2
  exit 1
fi

echo "==> building the mpi preset in $build" >&2
cmake --preset mpi -B "$build" -DULCSIM_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j 2 --target ulcsim_cli ulcsim_serial mpi_output_benchmark >/dev/null
ulcsim=$build/engine/cli/ulcsim
serial=$build/engine/cli/ulcsim-serial
benchmark=$build/benchmarks/mpi_output_benchmark
for program in "$ulcsim" "$serial" "$benchmark"; do
  [[ -x $program ]] || { echo "make.sh: $program was not built" >&2; exit 1; }
done

waited=0
while ((waited < quiet_wait)) && awk -v l="$(load1)" 'BEGIN { exit !(l >= 0.5) }'; do
  ((waited == 0)) && echo "==> waiting for the load average ($(load1)) to fall below 0.5" >&2
  sleep 30
  waited=$((waited + 30))
done

mkdir -p "$out"
rm -f "$out"/machine.json "$out"/scaling.json "$out"/output_benchmark_P*.json
mpi_env=()
if ((EUID == 0)); then # Open MPI refuses root unless told
  mpi_env=(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)
fi

echo "==> machine" >&2
"$python" - "$out/machine.json" "$waited" <<'PY'
import json, os, platform, subprocess, sys
def run(*command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
lscpu = {}
for line in run("lscpu").splitlines():
    key, _, value = line.partition(":")
    lscpu[key.strip()] = value.strip()
memory = next(int(l.split()[1]) * 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
machine = {
    "cpu_model": lscpu.get("Model name", "?"),
    "cpus": os.cpu_count(),
    "threads_per_core": lscpu.get("Thread(s) per core", "?"),
    "memory_bytes": memory,
    "mpirun_version": run("mpirun", "--version").splitlines()[0],
    "hdf5_openmpi_version": run("pkg-config", "--modversion", "hdf5-openmpi").strip(),
    "os": f"{platform.system()} {platform.release()}",
    "compiler": run("c++", "--version").splitlines()[0],
    "date": run("date", "-Iseconds").strip(),
    "load_avg_at_start": [float(x) for x in open("/proc/loadavg").read().split()[:3]],
    "waited_for_quiet_seconds": int(sys.argv[2]),
}
open(sys.argv[1], "w").write(json.dumps(machine, indent=2) + "\n")
PY
echo "    load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if awk -v l="$(load1)" 'BEGIN { exit !(l > 0.5) }'; then
  echo "    warning: the machine is not idle; the README will say so" >&2
fi

echo "==> scaling of ulcsim run (${rounds} rounds)" >&2
set_args=()
for kv in ${ULCSIM_MPI_SET:-}; do
  set_args+=(--set "$kv")
done
"$python" "$here/scaling.py" "$out/scaling.json" --ulcsim "$ulcsim" --serial "$serial" \
  --scenario scenarios/jawa-tengah.toml --months "$months" --replicates "$replicates" \
  --rounds "$rounds" "${set_args[@]}"

for ranks in 1 2 4; do
  echo "==> mpi_output_benchmark, P = $ranks (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  extra=()
  ((ranks > $(nproc))) && extra=(--oversubscribe)
  env "${mpi_env[@]}" mpirun -n "$ranks" --bind-to none "${extra[@]}" "$benchmark" \
    --benchmark_out="$out/output_benchmark_P$ranks.json" --benchmark_out_format=json \
    --benchmark_color=false >&2
done

echo "==> README" >&2
"$python" "$here/render.py" "$out" "$(($(date +%s) - started))" > "$out/README.md.tmp"
mv "$out/README.md.tmp" "$out/README.md"
echo "wrote $out/README.md in $(($(date +%s) - started)) s" >&2
