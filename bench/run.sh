#!/usr/bin/env bash
# Speed of the dasim core against the bare SimGrid loop and a hand-written event list, on one M/M/c system,
# and a check that its memory does not grow with the number of customers. Writes bench/RESULTS.md.
#
#   bench/run.sh [customers]        (default 200000; REPEATS=3 runs each, the best is kept)
#
# Wall time on a shared machine is noisy, so when valgrind is installed each program also runs once under
# callgrind, counting the instructions of the timed section only: a ratio that load cannot move
# (INSTRUCTIONS=0 skips it; it takes about half a minute).
#
# Builds a Release tree in build-bench/ (BUILD_DIR to change) so the usual build/ is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
customers="${1:-200000}"
repeats="${REPEATS:-3}"
programs=(bench_reference bench_simgrid_floor bench_simgrid_floor_timers bench_dasim_core)

if [[ ! -f "$build/CMakeCache.txt" ]] || ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDASIM_BUILD_BENCH=ON -DDASIM_BUILD_TESTS=OFF >/dev/null
fi
# Quiet unless the build fails: compiler warnings belong to the build, not to the results.
if ! log="$(cmake --build "$build" -j"$(nproc)" --target "${programs[@]}" 2>&1)"; then
  echo "$log" >&2
  exit 1
fi

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
declare -A instructions
if [[ "${INSTRUCTIONS:-1}" != 0 ]] && command -v valgrind >/dev/null; then
  echo "instructions: one callgrind run each" >&2
  out="$(mktemp)"
  for program in "${programs[@]}"; do
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timed_section*' --callgrind-out-file="$out" \
      "$build/bench/$program" "$customers" >/dev/null 2>&1
    instructions[$program]="$(sed -n 's/^totals: *//p' "$out")"
    echo "  $program: ${instructions[$program]} instructions" >&2
  done
  rm -f "$out"
fi
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
  echo "per-person streams, so its wait differs by sampling noise. Instructions are counted by callgrind over the"
  echo "timed section alone, so their ratio does not move with the load on the machine. Most of the SimGrid programs'"
  echo "memory is SimGrid's own (its libraries and platform); the reference shows a process without it."
  echo
  echo "| implementation | customers/s | % of SimGrid floor | peak RSS MB | events | mean wait (days) | instructions/customer | % of floor by instructions |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  floor_ir="${instructions[bench_simgrid_floor]:-}"
  floor_customers="$(field customers "${result[bench_simgrid_floor]}")"
  # share_of_floor IR CUSTOMERS: the floor's instructions per customer over these, as a percentage.
  share_of_floor() {
    awk -v i="$1" -v c="$2" -v f="$floor_ir" -v fc="$floor_customers" \
      'BEGIN { print ((i == "" || f == "") ? "-" : sprintf("%.0f%%", 100 * (f / fc) / (i / c))) }'
  }
  for program in "${programs[@]}"; do
    line="${result[$program]}"
    rate="$(field customers_per_s "$line")"
    ir="${instructions[$program]:-}"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(field impl "$line")" \
      "$(awk -v r="$rate" 'BEGIN { printf "%.2f M", r / 1e6 }')" \
      "$(awk -v r="$rate" -v f="$floor_rate" 'BEGIN { printf "%.0f%%", 100 * r / f }')" \
      "$(mb "$(field peak_rss_kib "$line")")" "$(field events "$line")" "$(field mean_wait "$line")" \
      "$(awk -v i="$ir" -v c="$(field customers "$line")" 'BEGIN { print (i == "" ? "-" : sprintf("%.0f", i / c)) }')" \
      "$(share_of_floor "$ir" "$(field customers "$line")")"
  done
  echo
  awk -v c="$core_rate" -v f="$floor_rate" 'BEGIN {
    p = 100 * c / f
    printf "Target: the dasim core at ≥ 80%% of the SimGrid floor. Measured by wall time: %.0f%% (%s)", p, (p >= 80 ? "met" : "not met") }'
  if [[ -n "${instructions[bench_dasim_core]:-}" ]]; then
    echo "; by instructions: $(share_of_floor "${instructions[bench_dasim_core]}" "$(field customers "${result[bench_dasim_core]}")")."
    # Against the timers-only floor (SimGrid with its resource models out of the step, as dasim's adapter runs it).
    floor_ir="${instructions[bench_simgrid_floor_timers]:-}"
    floor_customers="$(field customers "${result[bench_simgrid_floor_timers]}")"
    echo
    echo "Against the timers-only floor (SimGrid with its resource models taken out of each step, as dasim's adapter"
    echo "runs it; bench/SIMGRID-STEP.md), the dasim core is at $(share_of_floor "${instructions[bench_dasim_core]}" "$(field customers "${result[bench_dasim_core]}")") by instructions: the floor fell by half, dasim's own work per"
    echo "customer did not change."
  else
    echo "."
  fi
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
