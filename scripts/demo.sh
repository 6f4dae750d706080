#!/usr/bin/env bash
# The main job: set up, build, run the separate, pooled and lotted options on common random numbers, and write
# the results, the charts and the board pack into results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
replications=${DASIM_REPLICATIONS:-40}
./build/dasim run scenarios/set-separate.toml scenarios/set-pooled.toml scenarios/set-lotted.toml \
  --replications "$replications" --seed 2025 --jobs "$(nproc)" --name demo --output results --force
./build/dasim report results/demo.h5 --out results/demo-report
echo
echo "Results: results/demo.h5 (everything), results/demo-summary.csv (spreadsheet),"
echo "         results/demo-report/ (charts as PNG and SVG, board-pack.html, board-pack.pdf)"
