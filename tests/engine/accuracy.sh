#!/bin/sh
# The engine's accuracy benchmark: predicted vs published figure and error
# for every cited llama.cpp load log (memory) and every llama-bench result in
# data/runs (speed, in-sample and leave-one-out), then the summary lines.
# It reads the kinds the engine needs (GPUs, models, quantization rules,
# runtime profiles, runs), so a problem in another folder does not stop it.
# Exit status 1 when a target is missed. Not a timed test.
#
# usage: tests/engine/accuracy.sh [BUILD_DIR] [DATA_DIR]
set -u
build=${1:-build} data=${2:-data}
case $data in /*) ;; *) data=$(pwd)/$data;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for kind in gpus models quants runtimes runs; do
    [ -e "$data/$kind" ] && ln -s "$data/$kind" "$dir/$kind"
done
"$build/tests/engine/engine_accuracy" "$dir"
