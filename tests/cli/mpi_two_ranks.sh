#!/usr/bin/env bash
# Two MPI ranks give results bit-identical to one process with one job and with two jobs; so does a sequential
# run (--precision): the same replication count and the same results.
#   mpi_two_ranks.sh DASIM SCENARIO [PRECISION_SCENARIO H5_SAME]
set -euo pipefail
dasim=$1
scenario=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_warn_on_fork=0
"$dasim" run "$scenario" -r 6 -s 11 -q -o "$out" --name one
"$dasim" run "$scenario" -r 6 -s 11 -q -j 2 -o "$out" --name jobs
mpirun -np 2 --oversubscribe "$dasim" run "$scenario" -r 6 -s 11 -q -o "$out" --name ranks
cmp "$out/one-summary.csv" "$out/jobs-summary.csv"
cmp "$out/one-summary.csv" "$out/ranks-summary.csv"
echo "1 job, 2 jobs and 2 MPI ranks agree bit for bit"
[ $# -ge 4 ] || exit 0
precision=$3
same=$4
flags=(--precision 0.05 -r 400 -s 9 -o "$out")
"$dasim" run "$precision" "${flags[@]}" -j 1 --name p1 2>"$out/p1.log" >/dev/null
"$dasim" run "$precision" "${flags[@]}" -j 2 --name p2 2>"$out/p2.log" >/dev/null
mpirun -np 2 --oversubscribe "$dasim" run "$precision" "${flags[@]}" --name pranks 2>"$out/pranks.log" >/dev/null
count() { grep -o '[0-9]* replications: every key measure' "$1" || { echo "no stop reason in $1" >&2; cat "$1" >&2; exit 1; }; }
echo "sequential run: $(count "$out/p1.log") (1 job), $(count "$out/p2.log") (2 jobs), $(count "$out/pranks.log") (2 ranks)"
[ "$(count "$out/p1.log")" = "$(count "$out/p2.log")" ] && [ "$(count "$out/p1.log")" = "$(count "$out/pranks.log")" ]
cmp "$out/p1-summary.csv" "$out/p2-summary.csv"
cmp "$out/p1-summary.csv" "$out/pranks-summary.csv"
"$same" "$out/p1.h5" "$out/p2.h5"
"$same" "$out/p1.h5" "$out/pranks.h5"
grep -q "Hoad, Robinson and Davies" "$out/pranks.h5"
echo "--precision: 1 job, 2 jobs and 2 MPI ranks choose the same count and agree bit for bit"
