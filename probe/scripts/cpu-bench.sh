#!/bin/sh
# cpu-bench.sh: CPU decode tokens/s of small generated catalog models with the
# probe's CPU backend, the effective weight bandwidth (weight bytes one token
# reads x tokens/s), the machine's memcpy bandwidth with the same threads, and
# their ratio. A benchmark, not a test: it prints figures and checks nothing.
#
#   probe/scripts/cpu-bench.sh [BUILD_DIR] [THREADS] [N_GEN]
#
# BUILD_DIR defaults to build (cmake --preset default; use the release preset
# for figures), THREADS to the online CPUs, N_GEN (decode steps) to 32.
# Each model/file type is skipped when MemAvailable is below twice its F16
# size (generation holds the weights once; the margin is for the page cache
# and the rest of the machine).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
threads=${2:-$(getconf _NPROCESSORS_ONLN)}
n_gen=${3:-32}
bench=$build/tests/probe-engine/probe_engine_bench
if [ ! -x "$bench" ]; then
    echo "cpu-bench: $bench not built (cmake --build --preset default)" >&2
    exit 1
fi
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
echo "cpu-bench: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $threads threads, MemAvailable $((avail_kb / 1024)) MiB"

# model, F16 size in MiB (params x 2 bytes, rounded up), file types
run() {
    model=$1 f16_mib=$2
    shift 2
    for ftype in "$@"; do
        if [ $((f16_mib * 2 * 1024)) -gt "$avail_kb" ]; then
            echo "model=$model ftype=$ftype skipped: needs about $((f16_mib * 2)) MiB available"
            continue
        fi
        "$bench" "$root/data" "$model" "$ftype" "$threads" "$n_gen" 16 ||
            echo "model=$model ftype=$ftype failed (see the message above)"
    done
}
# Qwen2.5 0.5B's hidden size (896) is not a multiple of 256, so llama.cpp's
# K-quant files of it fall back to q5_0/q8_0 rows (its q4-k-m is mostly
# q5_0). Qwen2.5 1.5B (1536) takes K-quants as they are.
run qwen2-5-0-5b 943 q8-0 f16 q4-k-m
run qwen2-5-1-5b 2945 q4-k-m q8-0 f16
