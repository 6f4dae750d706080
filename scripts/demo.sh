#!/usr/bin/env bash
# The main job: set up, build, run the separate, pooled (saving banked and reinvested) and lotted options on
# common random numbers with a sensitivity analysis of their key assumptions, and write the results, the charts and
# the board pack into results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
replications=${DASIM_REPLICATIONS:-40}
# The sensitivity run varies every option (so the tornado ranks assumptions by how far they move the difference
# between options): 2 settings x 10 assumptions x 4 options x its replications, on top of the main run's 4 x
# $replications. Each pattern is one assumption as written in several pools; they vary together, ±25%.
sensitivity_replications=${DASIM_SENSITIVITY_REPLICATIONS:-4}
assumptions="attributes.needs_refuge.p.*,pools.idva-*.duration.mean,pools.*.move_on.mean,pools.*.patience.median"
assumptions+=",outcomes.*.effect.completed,outcomes.*.wait_penalty,relocation.probability"
assumptions+=",contracts.*.management_cost,pools.*.stretch,outcomes.*.thin_support_loss"
./build/dasim run scenarios/set-separate.toml scenarios/set-pooled.toml scenarios/set-pooled-reinvested.toml scenarios/set-lotted.toml \
  --replications "$replications" --seed 2025 --jobs "$(nproc)" --name demo --output results --force \
  --sensitivity --sensitivity-replications "$sensitivity_replications" --vary-only "$assumptions" \
  --metric "(total):all:outcome_cost" --metric "front-door:all:wait_p90" --metric "refuge:all:declined"
./build/dasim report results/demo.h5 --out results/demo-report
# The first page as a picture, for a README or an e-mail (the charts are PNGs already, in charts/).
if command -v pdftoppm >/dev/null && [ -f results/demo-report/board-pack.pdf ]; then
  pdftoppm -r 100 -png -f 1 -l 1 -singlefile results/demo-report/board-pack.pdf results/demo-report/page-1
fi
echo
echo "Results: results/demo.h5 (everything), results/demo-summary.csv (spreadsheet),"
echo "         results/demo-sensitivity.csv (tornado data), results/demo-report/ (board-pack.pdf, .html and .docx,"
echo "         key-measures.xlsx, appendix.html and .xlsx, page-1.png, charts/)"
