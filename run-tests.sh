#!/usr/bin/env bash
# Builds and runs the whole test suite: an optimised build with warnings as errors, an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and the Open MPI build with its tests
# (mpirun -n 1, 2, 4 against the same program without MPI). Needs the packages that
# ./setup.sh installs.
#
#   ./run-tests.sh          all three builds
#   ./run-tests.sh ci       only the optimised build
#   ./run-tests.sh asan     only the sanitizer build
#   ./run-tests.sh mpi      only the MPI build
set -euo pipefail
cd "$(dirname "$0")"
presets=("${@:-ci asan mpi}")
jobs=$(nproc)
status=0
for preset in ${presets[*]}; do
  echo "==> [$preset] configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "==> [$preset] test"
  ctest --preset "$preset" -j "$jobs" || status=1
done
exit $status
