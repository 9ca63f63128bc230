#!/bin/sh
# The site build, case by case. usage: site_test.sh GEN SOURCE_DIR CASE
#   golden         the fixture catalog renders exactly tests/site/golden/
#                  (WIR_UPDATE_GOLDEN=1 rewrites it; review the diff)
#   deterministic  two builds give the same bytes, and the second rewrites nothing
#   links          every internal link and asset resolves (fixture and real data)
#   tidy           tidy finds no errors in any page
#   bad-template   a broken template fails the build as file:line: message; the
#                  previous site stays whole
#   missing-template  a template the pages need is missing: named, site whole
#   bad-verdict    a broken verdict fails the build as file:line:column: message
#   data           the real catalog builds
set -u
gen=$1 src=$2 case=$3
fx=$src/tests/site/fixture
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1764547200
build() { "$gen" build --data "$1" --out "$2" --templates "$src/templates" --methodology "$fx/methodology.md" --quiet; }

case $case in
golden)
    build "$fx/data" "$tmp/site" || exit 1
    if [ "${WIR_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$src/tests/site/golden" && cp -r "$tmp/site" "$src/tests/site/golden"
    fi
    diff -r -u "$src/tests/site/golden" "$tmp/site" && echo "golden: identical"
    ;;
deterministic)
    build "$fx/data" "$tmp/a" && build "$fx/data" "$tmp/b" || exit 1
    diff -r "$tmp/a" "$tmp/b" || { echo "FAIL: two builds differ"; exit 1; }
    before=$(ls -i "$tmp/a/index.html")
    out=$("$gen" build --data "$fx/data" --out "$tmp/a" --templates "$src/templates" --methodology "$fx/methodology.md")
    echo "$out" | head -1
    echo "$out" | grep -q '(0 written' || { echo "FAIL: an unchanged rebuild rewrote pages"; exit 1; }
    [ "$before" = "$(ls -i "$tmp/a/index.html")" ] || { echo "FAIL: unchanged page got a new inode"; exit 1; }
    ls -d "$tmp"/a.new-* 2>/dev/null && { echo "FAIL: build folder left behind"; exit 1; }
    # SOURCE_DATE_EPOCH is the build's date (2025-12-01 here, 2026-01-01 below).
    grep -q "Built 2025-12-01" "$tmp/a/index.html" || { echo "FAIL: SOURCE_DATE_EPOCH not used"; exit 1; }
    SOURCE_DATE_EPOCH=1767225600 build "$fx/data" "$tmp/c" || exit 1
    grep -q "Built 2026-01-01" "$tmp/c/index.html" || { echo "FAIL: SOURCE_DATE_EPOCH not used"; exit 1; }
    echo "deterministic: ok"
    ;;
links)
    build "$fx/data" "$tmp/site" || exit 1
    python3 "$src/tests/site/linkcheck.py" "$tmp/site" || exit 1
    ;;
tidy)
    command -v tidy >/dev/null || { echo "SKIP: tidy is not installed"; exit 77; }
    build "$fx/data" "$tmp/site" || exit 1
    status=0 n=0
    for f in $(find "$tmp/site" -name '*.html' | sort); do
        n=$((n + 1))
        tidy -q -e "$f" >/dev/null 2>"$tmp/tidy.txt"
        [ $? -ge 2 ] && { echo "FAIL: tidy errors in ${f#$tmp/site/}:"; cat "$tmp/tidy.txt"; status=1; }
    done
    echo "tidy: $n pages checked"
    exit $status
    ;;
bad-template)
    build "$fx/data" "$tmp/site" || exit 1
    cp -r "$src/templates" "$tmp/tpl"
    printf '{{%%AUTOESCAPE context="HTML"}}\n<p>\n{{#OPEN}}never closed\n' > "$tmp/tpl/model.tpl"
    sed -i '1d' "$tmp/tpl/home.tpl"
    "$gen" build --data "$fx/data" --out "$tmp/site" --templates "$tmp/tpl" \
        --methodology "$fx/methodology.md" 2>"$tmp/err" && { echo "FAIL: the build succeeded"; exit 1; }
    cat "$tmp/err"
    grep -q "tpl/model.tpl:3:1: section {{#OPEN}} is never closed" "$tmp/err" || exit 1
    grep -q "tpl/home.tpl:1:1: a template starts with {{%AUTOESCAPE" "$tmp/err" || exit 1
    [ -f "$tmp/site/index.html" ] || { echo "FAIL: the previous site was damaged"; exit 1; }
    ;;
missing-template)
    # A template the builders need is missing: named before anything is
    # rendered; the previous site stays whole; a folder a killed build left
    # behind is removed by the next build.
    build "$fx/data" "$tmp/site" || exit 1
    before=$(ls -i "$tmp/site/index.html")
    cp -r "$src/templates" "$tmp/tpl" && rm "$tmp/tpl/fit.tpl"
    "$gen" build --data "$fx/data" --out "$tmp/site" --templates "$tmp/tpl" \
        --methodology "$fx/methodology.md" 2>"$tmp/err" && { echo "FAIL: the build succeeded"; exit 1; }
    cat "$tmp/err"
    grep -q "tpl/fit.tpl: missing: gen build renders pages with it" "$tmp/err" || exit 1
    [ "$before" = "$(ls -i "$tmp/site/index.html")" ] || { echo "FAIL: the previous site changed"; exit 1; }
    mkdir "$tmp/site.new-AbC123" && touch "$tmp/site.new-AbC123/x"
    build "$fx/data" "$tmp/site" || exit 1
    ls -d "$tmp"/site.new-* 2>/dev/null && { echo "FAIL: a stale build folder was left"; exit 1; }
    echo "missing-template: ok"
    ;;
bad-verdict)
    cp -r "$fx/data" "$tmp/data"
    sed -i 's/^tier: runs/tier: maybe/' "$tmp/data/verdicts/llama-3-1-8b--fixture-gpu.md"
    "$gen" build --data "$tmp/data" --out "$tmp/site" --templates "$src/templates" \
        2>"$tmp/err" && { echo "FAIL: the build succeeded"; exit 1; }
    cat "$tmp/err"
    grep -q "verdicts/llama-3-1-8b--fixture-gpu.md:6:7: tier: expected one of runs, tight, partial, wont-run" "$tmp/err" || exit 1
    [ -e "$tmp/site" ] && { echo "FAIL: a failed build wrote a site"; exit 1; }
    exit 0
    ;;
data)
    # A data problem is check.data's to report; this test is about the build.
    "$gen" check --data "$src/data" >/dev/null 2>&1 || { echo "SKIP: data/ does not pass gen check (see check.data)"; exit 77; }
    "$gen" build --data "$src/data" --out "$tmp/site" --templates "$src/templates" || exit 1
    python3 "$src/tests/site/linkcheck.py" "$tmp/site" || exit 1
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac
