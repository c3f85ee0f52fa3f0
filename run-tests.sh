#!/usr/bin/env bash
# Builds and runs the whole test suite twice: an optimised build with warnings as errors,
# and an AddressSanitizer + UndefinedBehaviorSanitizer build. Needs the packages that
# ./setup.sh installs.
#
#   ./run-tests.sh          both builds
#   ./run-tests.sh ci       only the optimised build
#   ./run-tests.sh asan     only the sanitizer build
set -euo pipefail
cd "$(dirname "$0")"
presets=("${@:-ci asan}")
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
