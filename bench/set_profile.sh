#!/usr/bin/env bash
# Instructions of one replication of a scenario (default set-separate), split between SimGrid and dasim, by
# callgrind over the simulation alone (bench_set_replication's timed section). Takes a few minutes.
#
#   bench/set_profile.sh [scenario.toml]
#
# SimGrid = everything outside SimGridEngine::fire (the kernel's loop and heap) plus the Timer::set and
# Timer::remove calls made from inside it; dasim = the rest of fire (the model's handlers).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/set-separate.toml}
cmake -S . -B build -DDASIM_BUILD_BENCH=ON >/dev/null  # scripts/setup.sh leaves the benchmarks out
cmake --build build -j"$(nproc)" --target bench_set_replication >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timed_section*' --callgrind-out-file="$out" \
  build/bench/bench_set_replication "$scenario" 2>/dev/null
inclusive() { callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep -F "$1" | head -1 | awk '{gsub(",","",$1); print $1}'; }
total=$(sed -n 's/^totals: *//p' "$out")
fire=$(inclusive "SimGridEngine::fire")
set_cost=$(inclusive "simgrid::kernel::timer::Timer::set(")
remove_cost=$(inclusive "simgrid::kernel::timer::Timer::remove(")
awk -v t="$total" -v f="$fire" -v s="${set_cost:-0}" -v r="${remove_cost:-0}" 'BEGIN {
  dasim = f - s - r; simgrid = t - dasim
  printf "instructions %.0f\nSimGrid %.0f (%.1f%%)\ndasim %.0f (%.1f%%)\n", t, simgrid, 100 * simgrid / t, dasim, 100 * dasim / t }'
