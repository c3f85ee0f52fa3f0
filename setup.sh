#!/usr/bin/env bash
# Installs what ulcsim needs from Debian's packages, builds it (Release) and runs the default
# scenario. Safe to run again: installed packages are skipped, the build is incremental.
#
#   ./setup.sh                 install, build, run the default scenario
#   ./setup.sh --deps-only     only install the packages (what CI does before the tests)
#   ./setup.sh --install-path  as ./setup.sh, then link the program into ~/.local/bin as
#                              'ulcsim' (creating the folder; says so if it is not on PATH)
#   ./setup.sh --help          this text
set -euo pipefail
cd "$(dirname "$0")"

mode=all
case "${1:-}" in
  "") ;;
  --deps-only) mode=deps ;;
  --install-path) mode=install-path ;;
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  *) echo "setup.sh: unknown option '$1' (see ./setup.sh --help)" >&2; exit 2 ;;
esac

packages=(
  cmake make g++ pkg-config python3 python3-h5py python3-numpy
  libboost-program-options-dev libeigen3-dev libtbb-dev libhdf5-dev hdf5-tools
  libtomlplusplus-dev librandom123-dev libgtest-dev libbenchmark-dev chromium
  libopenmpi-dev openmpi-bin libcpp-httplib-dev libxlsxwriter-dev
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
[ "$mode" = deps ] && exit 0

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

# The program on PATH: a symbolic link in ~/.local/bin (the per-user folder of the XDG base
# directories, on PATH in Debian's default ~/.profile once it exists), so that a rebuild is
# picked up without linking again.
program="$PWD/build/release/engine/cli/ulcsim"
bin_dir="$HOME/.local/bin"
echo
if [ "$mode" = install-path ]; then
  mkdir -p "$bin_dir"
  if [ -e "$bin_dir/ulcsim" ] && [ ! -L "$bin_dir/ulcsim" ]; then
    echo "setup.sh: $bin_dir/ulcsim exists and is not a link; left as it is" >&2
    exit 1
  fi
  ln -sfn "$program" "$bin_dir/ulcsim"
  echo "==> linked $bin_dir/ulcsim -> $program"
  case ":$PATH:" in
    *":$bin_dir:"*) echo "'ulcsim' now runs from any folder." ;;
    *) echo "$bin_dir is not on PATH: add this line to ~/.bashrc (or ~/.profile) and open a new shell:"
       echo "  export PATH=\"\$HOME/.local/bin:\$PATH\"" ;;
  esac
else
  echo "To run it as 'ulcsim' from any folder: ./setup.sh --install-path (links it into"
  echo "~/.local/bin), or for this shell only:"
  echo "  export PATH=\"$PWD/build/release/engine/cli:\$PATH\""
fi
