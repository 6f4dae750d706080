#!/usr/bin/env bash
# Throughput of the whole SET system: one replication of 8 simulated years (events per second, peak memory), and
# replications per second with 1 and with 2 jobs. Writes bench/SET-RESULTS.md. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/dasim ] || bash scripts/setup.sh >/dev/null
scenario=${1:-scenarios/set-separate.toml}
reps=${2:-40}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One replication: best of three, with the worker's own peak memory from /usr/bin/time (it reports the largest
# of the process and its waited-for children).
best=""
for i in 1 2 3; do
  line=$(/usr/bin/time -f "%e %M" ./build/dasim run "$scenario" -r 1 -q -o "$out" --force --name one 2>&1 >/dev/null | tail -1)
  wall=${line% *}; rss=${line#* }
  if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; best_rss=$rss; fi
done
events=$(awk -F, '$1=="summary" && $4=="(total)" && $7=="events" {print $9}' "$out/one-summary.csv")

measure() {  # jobs -> seconds for $reps replications
  local start end
  start=$(date +%s.%N)
  ./build/dasim run "$scenario" -r "$reps" -j "$1" -q -o "$out" --force --name batch >/dev/null
  end=$(date +%s.%N)
  awk "BEGIN{print $end - $start}"
}
t1=$(measure 1)
t2=$(measure 2)
rps1=$(awk "BEGIN{printf \"%.2f\", $reps / $t1}")
rps2=$(awk "BEGIN{printf \"%.2f\", $reps / $t2}")
for1000=$(awk "BEGIN{printf \"%.0f\", 1000 / $rps2}")

{
  echo "# SET system throughput"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $(git rev-parse --short HEAD)"
  echo
  echo "Scenario: \`$scenario\`, 8 simulated years per replication."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| one replication, wall time (best of 3, includes start-up and writing results) | ${best} s |"
  echo "| events in one replication | ${events} |"
  echo "| events per second, one replication | $(awk "BEGIN{printf \"%.0f\", $events / $best}") |"
  echo "| peak memory, one replication | $(awk "BEGIN{printf \"%.1f\", $best_rss / 1024}") MB |"
  echo "| replications per second, 1 job ($reps replications) | $rps1 |"
  echo "| replications per second, 2 jobs ($reps replications) | $rps2 |"
  echo "| projected time for 1000 replications with 2 jobs | ${for1000} s |"
} | tee bench/SET-RESULTS.md
