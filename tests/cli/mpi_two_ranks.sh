#!/usr/bin/env bash
# Two MPI ranks give results bit-identical to one process with one job and with two jobs.
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
