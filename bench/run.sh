#!/usr/bin/env bash
# Speed of the dasim core against the bare SimGrid loop and a hand-written event list, on one M/M/c system,
# and a check that its memory does not grow with the number of customers. Writes bench/RESULTS.md.
#
#   bench/run.sh [customers]        (default 200000; REPEATS=3 runs each, the best is kept)
#
# Builds a Release tree in build-bench/ (BUILD_DIR to change) so the usual build/ is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
customers="${1:-200000}"
repeats="${REPEATS:-3}"
programs=(bench_reference bench_simgrid_floor bench_dasim_core)

if [[ ! -f "$build/CMakeCache.txt" ]] || ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDASIM_BUILD_BENCH=ON -DDASIM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${programs[@]}" >/dev/null

# One core, the same one every time, when taskset is there: the programs are single-threaded anyway, and
# pinning keeps the scheduler from moving them mid-run.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

# field NAME LINE: the value of NAME=... in a result line.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# The programs take turns, REPEATS rounds, so a busy spell on the machine slows all three alike; for each the
# run with the highest customers/s is kept (noise only ever slows a run down).
echo "speed: $customers customers, best of $repeats" >&2
declare -A result
for ((round = 0; round < repeats; round++)); do
  for program in "${programs[@]}"; do
    line="$("${pin[@]}" "$build/bench/$program" "$customers")"
    echo "  $line" >&2
    if [[ -z "${result[$program]:-}" ]] ||
      (($(field customers_per_s "$line") > $(field customers_per_s "${result[$program]}"))); then
      result[$program]="$line"
    fi
  done
done
floor_rate="$(field customers_per_s "${result[bench_simgrid_floor]}")"
core_rate="$(field customers_per_s "${result[bench_dasim_core]}")"

echo "memory: bench_dasim_core, one fresh process per size" >&2
sizes=(100000 200000 400000 800000)
declare -A memory
for n in "${sizes[@]}"; do
  memory[$n]="$("${pin[@]}" "$build/bench/bench_dasim_core" "$n")"
  echo "  ${memory[$n]}" >&2
done

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain -- . ":!bench/RESULTS.md" 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
compiler="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")"
compiler_version="$("$compiler" --version | head -1)"
simgrid="$(pkg-config --modversion simgrid 2>/dev/null || echo unknown)"

{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\`; do not edit by hand."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}"
  echo "- commit: $commit"
  echo "- build: Release, $compiler_version, SimGrid $simgrid"
  echo
  echo "## Speed"
  echo
  echo "M/M/10, λ = 9 a day, μ = 1 a day (ρ = 0.9), $customers customers, one core, best of $repeats runs."
  echo "Customers per second is customers arrived over the wall time of the simulation itself (set-up excluded)."
  echo "The mean wait shows each program simulates the same system (Erlang C: Wq = 0.6687 days); the reference and"
  echo "the SimGrid floor draw the same numbers in the same order and agree exactly; the dasim core draws from its own"
  echo "per-person streams, so its wait differs by sampling noise."
  echo
  echo "| implementation | customers/s | % of SimGrid floor | peak RSS MB | events | mean wait (days) |"
  echo "|---|---:|---:|---:|---:|---:|"
  for program in "${programs[@]}"; do
    line="${result[$program]}"
    rate="$(field customers_per_s "$line")"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$(field impl "$line")" \
      "$(awk -v r="$rate" 'BEGIN { printf "%.2f M", r / 1e6 }')" \
      "$(awk -v r="$rate" -v f="$floor_rate" 'BEGIN { printf "%.0f%%", 100 * r / f }')" \
      "$(mb "$(field peak_rss_kib "$line")")" "$(field events "$line")" "$(field mean_wait "$line")"
  done
  echo
  awk -v c="$core_rate" -v f="$floor_rate" 'BEGIN {
    p = 100 * c / f
    printf "Target: the dasim core at ≥ 80%% of the SimGrid floor. Measured: %.0f%% (%s).\n", p, (p >= 80 ? "met" : "not met") }'
  echo
  echo "## Memory"
  echo
  echo "Peak RSS of \`bench_dasim_core\` as the run grows (a fresh process each): people and cases are recycled and"
  echo "waits go into fixed histograms, so only per-day arrival rates and per-month bins grow with the horizon."
  echo
  echo "| customers | horizon (days) | events | peak RSS MB | vs 100k |"
  echo "|---:|---:|---:|---:|---:|"
  base="$(field peak_rss_kib "${memory[${sizes[0]}]}")"
  for n in "${sizes[@]}"; do
    line="${memory[$n]}"
    kib="$(field peak_rss_kib "$line")"
    printf '| %s | %s | %s | %s | %+.1f MB |\n' "$(field customers "$line")" \
      "$(awk -v n="$n" 'BEGIN { printf "%.0f", n / 9 }')" "$(field events "$line")" "$(mb "$kib")" \
      "$(awk -v k="$kib" -v b="$base" 'BEGIN { printf "%.1f", (k - b) / 1024 }')"
  done
} | tee "$here/RESULTS.md"
