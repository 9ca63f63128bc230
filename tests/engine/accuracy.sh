#!/bin/sh
# The engine's accuracy benchmark: predicted vs published figure and error
# for every cited llama.cpp load log (memory) and every llama-bench result in
# data/runs (speed, in-sample and leave-one-out), then the summary lines.
# Exit status 1 when a target is missed. Not a timed test.
#
# usage: tests/engine/accuracy.sh [BUILD_DIR] [DATA_DIR]
build=${1:-build} data=${2:-data}
exec "$build/tests/engine/engine_accuracy" "$data"
