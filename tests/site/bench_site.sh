#!/bin/sh
# Benchmark of gen build (not a test): pages per second and peak memory for
# the shipped catalog and for a generated catalog of at least 50,000 pages
# (the shipped one with every GPU cloned until the page count is reached).
#
# usage: tests/site/bench_site.sh [GEN] [DATA_DIR] [JOBS]
#        defaults: build/gen/gen data 2 (the 5-second target is for 2 cores)
# The sites are written under $TMPDIR (default /tmp); TMPDIR=/dev/shm takes the
# disk out of the figures. CPU seconds are printed too: wall time on a busy
# machine says more about the neighbours than about gen.
set -eu
gen=${1:-build/gen/gen} data=${2:-data} jobs=${3:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1764547200

run() { # label data-dir
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$gen" build --data "$2" --out "$tmp/site-$1" --jobs "$jobs" >"$tmp/out"
    files=$(head -1 "$tmp/out" | sed 's/gen build: \([0-9]*\) files.*/\1/')
    read -r secs kb user sys <"$tmp/time"
    echo "$1: $files files in $secs s on $jobs threads ($user s user, $sys s system CPU): $(awk "BEGIN{printf \"%.0f\", $files/$secs}") files/s, peak RSS $((kb / 1024)) MiB"
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$gen" build --data "$2" --out "$tmp/site-$1" --jobs "$jobs" >"$tmp/out"
    read -r secs kb <"$tmp/time"
    echo "$1 (unchanged rebuild): $secs s, $(head -1 "$tmp/out" | sed 's/.*(\(.*\)).*/\1/')"
}

run shipped "$data"

# The generated catalog: GPUs cloned with new slugs and names.
cp -r "$data" "$tmp/big"
python3 - "$tmp/big" <<'PY'
import json, os, sys
root = sys.argv[1]
gdir = os.path.join(root, "gpus")
base = sorted(f for f in os.listdir(gdir) if f.endswith(".json"))
models = len([f for f in os.listdir(os.path.join(root, "models")) if f.endswith(".json")])
want = 50000 // (2 * models) + 1          # will-it-run + cost pages per GPU
k = 0
while len(base) * (k + 1) < want:
    k += 1
    for f in base:
        g = json.load(open(os.path.join(gdir, f)))
        g["slug"] = f"{g['slug']}-clone{k}"
        g["name"] = f"{g['name']} (clone {k})"
        json.dump(g, open(os.path.join(gdir, g["slug"] + ".json"), "w"), indent=1)
PY
run generated "$tmp/big"
