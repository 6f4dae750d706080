#!/usr/bin/env bash
# The whole test suite: C++ unit, validation and end-to-end tests (ctest), then the chart and board-pack tests
# (Python). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd build && ctest --output-on-failure -j2 --timeout 600)
/usr/bin/python3 -m unittest discover -s tests/plots
