#!/bin/sh
# Benchmark (not a test): how long `gen check` takes on a data folder.
# Prints the file count, the mean wall time per run and per file; the target
# is well under a second for ~150 files.
#
# usage: tests/check/bench_check.sh [GEN] [DATA] [RUNS]
set -eu
gen=${1:-build/gen/gen} data=${2:-data} runs=${3:-20}
files=$(find "$data/gpus" "$data/models" "$data/cloud" "$data/quants" -name '*.json' 2>/dev/null | wc -l)
start=$(date +%s%N)
i=0
while [ "$i" -lt "$runs" ]; do
    "$gen" check --data "$data" >/dev/null 2>&1 || true
    i=$((i + 1))
done
end=$(date +%s%N)
awk -v ns=$((end - start)) -v runs="$runs" -v files="$files" 'BEGIN {
    ms = ns / 1e6 / runs
    printf "gen check: %d files, %.2f ms per run (mean of %d), %.3f ms per file\n", files, ms, runs, ms / files
}'
