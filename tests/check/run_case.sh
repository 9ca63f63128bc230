#!/bin/sh
# One case of the broken-data corpus: `gen check --data CASE`, run from the
# corpus folder so messages name files as CASE/gpus/x.json, must exit 1 with
# nothing on stdout and exactly CASE.expected on stderr.
#
# usage: run_case.sh GEN CORPUS_DIR CASE
# WIR_UPDATE_EXPECTED=1 rewrites CASE.expected from the current output
# (review the diff before committing it).
set -u
gen=$1 corpus=$2 case=$3
cd "$corpus" || exit 2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$gen" check --data "$case" >"$out" 2>"$err"
rc=$?
if [ "${WIR_UPDATE_EXPECTED:-}" = 1 ]; then
    cp "$err" "$case.expected"
fi
status=0
if [ "$rc" -ne 1 ]; then
    echo "FAIL: gen check --data $case exited $rc, expected 1"
    status=1
fi
if [ -s "$out" ]; then
    echo "FAIL: unexpected output on stdout:"
    cat "$out"
    status=1
fi
if ! diff -u "$case.expected" "$err"; then
    echo "FAIL: stderr differs from $case.expected (- expected, + got)"
    status=1
fi
exit $status
