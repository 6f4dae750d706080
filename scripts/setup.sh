#!/usr/bin/env bash
# Installs the Debian packages dasim needs, if any are missing, then configures and builds it in build/.
# Safe to run again: it installs nothing when everything is present, and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libsimgrid-dev libboost-dev libhdf5-dev libtomlplusplus-dev libcli11-dev libfmt-dev libgtest-dev
  libopenmpi-dev openmpi-bin
  python3 python3-matplotlib python3-h5py python3-numpy python3-docx python3-openpyxl python3-pandas
  poppler-utils chromium fonts-dejavu-core
  libcpp-httplib-dev nlohmann-json3-dev graphviz python3-selenium chromium-driver
  r-cran-hdf5r
  libtcmalloc-minimal4
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_type=${DASIM_BUILD_TYPE:-Release}
# The demo and the tests need no benchmarks: bench/ scripts build theirs themselves (DASIM_BUILD_BENCH=ON to keep them).
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type" -DDASIM_BUILD_BENCH="${DASIM_BUILD_BENCH:-OFF}" ${DASIM_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
