#!/bin/sh
# Report (not a test): each hand-written verdict's tier next to the tier the
# engine computes for the same model, file type, context and GPUs (`gen fit`),
# with flash attention off and on, since that decides several borderline cases.
# Editors write verdicts in their own words; a disagreement is a prompt to look
# at both, not an error, so the script always exits 0 when it could run.
#
# usage: tests/verdicts/verdict_vs_engine.sh [GEN] [DATA]
set -eu
gen=${1:-build/gen/gen} data=${2:-data}
if ! "$gen" fit --help >/dev/null 2>&1; then
    echo "verdict_vs_engine: $gen has no working 'fit' command" >&2
    exit 2
fi
if ! "$gen" check --data "$data" >/dev/null 2>&1; then
    echo "verdict_vs_engine: gen check fails on $data; fix that first:" >&2
    "$gen" check --data "$data" 2>&1 | tail -n 5 >&2
    exit 2
fi

# A front-matter field of a verdict file: the text after "key:" on its line
# in the block between the first two '---' lines.
field() {
    awk -v key="$2" '
        /^---$/ { n++; next }
        n == 1 && index($0, key ":") == 1 {
            v = substr($0, length(key) + 2); sub(/^ +/, "", v); sub(/ +#.*$/, "", v)
            print v; exit
        }' "$1"
}

# The engine's tier, in the verdict files' words (the engine says "no").
engine_tier() {
    out=$("$gen" fit --data "$data" --model "$1" --quant "$2" --ctx "$3" --gpu "$4:$5" \
          --flash-attn "$6" --json 2>/dev/null) || { echo "error"; return; }
    t=$(printf '%s\n' "$out" | sed -n 's/.*"tier": *"\([a-z-]*\)".*/\1/p' | head -n 1)
    [ "$t" = no ] && t=wont-run
    echo "${t:-error}"
}

agree=0 differ=0 skipped=0
printf '%-44s %-9s %-9s %-9s\n' "verdict" "editor" "engine" "-fa on"
for f in "$data"/verdicts/*.md; do
    [ -e "$f" ] || continue
    model=$(field "$f" model) hw=$(field "$f" hardware) quant=$(field "$f" quant)
    tier=$(field "$f" tier) n=$(field "$f" gpu_count) ctx=$(field "$f" context)
    name=$(basename "$f" .md)
    if [ ! -e "$data/gpus/$hw.json" ]; then
        printf '%-44s %-9s (no gpus/%s.json)\n' "$name" "$tier" "$hw"
        skipped=$((skipped + 1))
        continue
    fi
    off=$(engine_tier "$model" "$quant" "${ctx:-4096}" "$hw" "${n:-1}" off)
    on=$(engine_tier "$model" "$quant" "${ctx:-4096}" "$hw" "${n:-1}" on)
    mark=differs
    if [ "$off" = "$tier" ] || [ "$on" = "$tier" ]; then mark=; agree=$((agree + 1)); else differ=$((differ + 1)); fi
    printf '%-44s %-9s %-9s %-9s %s\n' "$name" "$tier" "$off" "$on" "$mark"
done
echo "verdicts: $agree agree with the engine (flash attention off or on), $differ differ, $skipped without a GPU file"
