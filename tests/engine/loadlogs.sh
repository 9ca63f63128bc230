#!/bin/sh
# engine.loadlogs: the memory targets against the cited llama.cpp load logs,
# on the real models, quantization rules and runtime profiles only (a catalog
# of data/models, data/quants and data/runtimes), so that a problem elsewhere
# in data/ (gen check's business) does not hide this one.
# usage: loadlogs.sh ENGINE_ACCURACY DATA_DIR
set -u
tool=$1 data=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
case $data in /*) ;; *) data=$(pwd)/$data;; esac
for kind in models quants runtimes; do ln -s "$data/$kind" "$dir/$kind"; done
"$tool" "$dir" --memory
