#!/usr/bin/env bash
# Golden results: a fixed scenario and seed must reproduce the stored summary exactly. A change to the model that
# alters results is then a visible change to this file, reviewed in the same commit (`--update` rewrites it).
set -euo pipefail
dasim=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
reference="$root/tests/regression/reference/tandem-seed7-summary.csv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$dasim" run "$root/scenarios/validation/tandem.toml" -r 3 -s 7 -q -o "$out" --name tandem-seed7 >/dev/null
if [ "${2:-}" = "--update" ]; then cp "$out/tandem-seed7-summary.csv" "$reference"; echo "updated $reference"; exit 0; fi
if ! diff -q "$reference" "$out/tandem-seed7-summary.csv" >/dev/null; then
  echo "results differ from the stored reference; if the change is intended, run: $0 $dasim --update"
  diff "$reference" "$out/tandem-seed7-summary.csv" | head -20
  exit 1
fi
echo "tandem, seed 7: identical to the stored reference"
