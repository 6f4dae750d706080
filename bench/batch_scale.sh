#!/usr/bin/env bash
# The batch layer at scale: parent peak memory and replications per second for a tiny scenario (bench/tiny.toml)
# at 300, 3,000 and 30,000 replications with 2 jobs. Each replication costs little, so what grows, if anything, is
# the batch layer around it. Writes bench/BATCH-RESULTS.md.
#
#   bench/batch_scale.sh [sizes...]      (default: 300 3000 30000)
#
# /usr/bin/time's peak memory is that of the process it starts (the parent), not of the workers it forks; its CPU
# times are of every process (the parent, the spawner and the workers), so CPU per replication does not depend on
# how busy the machine is, as the rate does.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/dasim ] || bash scripts/setup.sh >/dev/null
sizes=("$@")
((${#sizes[@]})) || sizes=(300 3000 30000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rows=()
for n in "${sizes[@]}"; do
  line=$(/usr/bin/time -f "%e %M %U %S" -o "$out/time" ./build/dasim run bench/tiny.toml -r "$n" -j 2 -q -o "$out" --name "n$n")
  read -r wall kib user sys <"$out/time"
  # dasim's own line gives the time of the replications alone; the rest of the wall time is the end phase.
  run=$(sed -n 's/.* replications in \([0-9.]*\) s.*/\1/p' <<<"$line")
  rows+=("| $n | $wall | $run | $(awk -v n="$n" -v r="$run" 'BEGIN{printf "%.0f", n / r}') | $(awk -v w="$wall" -v r="$run" 'BEGIN{printf "%.1f", w - r}') | $(awk -v k="$kib" 'BEGIN{printf "%.1f", k / 1024}') | $(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f | %.2f", 1000 * (u + s) / n, 1000 * s / n}') | $(cut -d' ' -f1 /proc/loadavg) |")
  echo "  $n replications: $wall s, parent peak $kib KiB" >&2
done
{
  echo "# Batch layer at scale"
  echo
  echo "Written by \`bench/batch_scale.sh\`. $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "(other work on the machine slows the wall times), commit $(git rev-parse --short HEAD)."
  echo
  echo "Scenario \`bench/tiny.toml\` (one pool, one year, about 1,000 events a replication), \`-j 2\`; wall time includes"
  echo "the summary and the results files. Peak memory is the parent's own."
  echo
  echo "| replications | wall (s) | replications (s) | replications/s while running | end phase and start-up (s) | parent peak MB | CPU ms a replication (all processes) | of which system | load after |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee bench/BATCH-RESULTS.md
