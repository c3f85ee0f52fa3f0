#!/usr/bin/env bash
# Installs what ulcsim needs from Debian's packages, builds it (Release) and runs the default
# scenario. Safe to run again: installed packages are skipped, the build is incremental.
#
#   ./setup.sh              install, build, run the default scenario
#   ./setup.sh --deps-only  only install the packages (what CI does before the tests)
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake make g++ pkg-config python3 python3-h5py python3-numpy
  libboost-program-options-dev libeigen3-dev libtbb-dev libhdf5-dev hdf5-tools
  libtomlplusplus-dev librandom123-dev libgtest-dev libbenchmark-dev chromium
  libopenmpi-dev openmpi-bin libcpp-httplib-dev
  pybind11-dev python3-dev python3-pytest python3-pandas python3-xarray python3-matplotlib
)
# Node.js and npm for the browser test: Debian's only where the machine has none (a Node.js
# from elsewhere, such as NodeSource's, brings its own npm and conflicts with Debian's).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "==> installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
fi
# puppeteer-core for the planner page's browser test, into tests/browser/node_modules (ignored
# by git); it drives the Chromium above, so it downloads no browser.
if [ ! -d tests/browser/node_modules/puppeteer-core ]; then
  echo "==> installing puppeteer-core (npm) for the browser test"
  (cd tests/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
fi
[ "${1:-}" = "--deps-only" ] && exit 0

echo "==> building (Release) in build/release"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

scenario=scenarios/kota-magelang-2025.toml
mkdir -p runs
echo "==> running the default scenario: $scenario"
build/release/engine/cli/ulcsim run "$scenario" -o runs/kota-magelang-2025.h5
echo
echo "The program is build/release/engine/cli/ulcsim; 'ulcsim --help' lists its commands."
echo "The run file runs/kota-magelang-2025.h5 opens with h5py, pandas or h5dump (layout in"
echo "README.md), runs/kota-magelang-2025.summary.csv in a spreadsheet; scenario files are"
echo "described in scenarios/README.md. To see what the 2025 year buys against stopping in 2024:"
echo "  build/release/engine/cli/ulcsim compare scenarios/kota-magelang-2024.toml $scenario"
