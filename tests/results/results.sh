#!/bin/sh
# The results database, case by case: results.sh CASE GEN PROBE SRC_DIR.
# Each case works in its own scratch folder with a copy of the catalog.
set -eu
CASE=$1 GEN=$2 PROBE=$3 SRC=$4
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wir-results.XXXXXX")
trap '[ -n "${KEEP:-}" ] && echo "work: $WORK" >&2 || rm -rf "$WORK"' EXIT
cd "$WORK"
cp -r "$SRC/data" data
export SOURCE_DATE_EPOCH=1764547200
fail() { echo "FAIL ($CASE): $*" >&2; exit 1; }
build() { "$GEN" build --data data --templates "$SRC/templates" \
              --methodology "$SRC/docs/methodology.md" --jobs 2 "$@"; }
runs_in_data() { ls data/runs/*.json | wc -l; }

case $CASE in
rebuild)
    # Every run, result and sample of data/runs is in the database.
    "$GEN" results --data data --db results.db >out || fail "gen results: $(cat out)"
    n=$(runs_in_data)
    results=$(cat data/runs/*.json | grep -c '"test":')
    grep -q "results.db: $n runs, $results results" out || fail "summary: $(cat out)"
    [ "$(sqlite3 results.db 'SELECT count(*) FROM runs WHERE catalog_id IS NOT NULL')" = "$n" ] ||
        fail "the database lacks runs"
    [ "$(sqlite3 results.db 'SELECT count(*) FROM results')" = "$results" ] || fail "results"
    [ "$(sqlite3 results.db 'PRAGMA integrity_check')" = ok ] || fail "integrity"
    [ "$(sqlite3 results.db 'PRAGMA journal_mode')" = delete ] || fail "not a single-file database"
    [ ! -e results.db.tmp ] && [ ! -e results.db-wal ] || fail "files left beside the database"
    # The catalog's run ids and their figures, one for one.
    id=d15013-rtx-4090-llama-2-7b-q4-0
    [ -f data/runs/$id.json ] || fail "fixture run $id is gone"
    tg=$(sqlite3 results.db "SELECT r.tokens_per_s FROM results r JOIN runs u ON u.id = r.run_id
                             WHERE u.catalog_id = '$id' AND r.test = 'tg'")
    grep -q "\"tokens_per_s\": ${tg%.0}" data/runs/$id.json || fail "tg of $id: $tg"
    # --db is required; a bad catalog leaves nothing behind.
    "$GEN" results --data data 2>err && fail "no --db accepted"
    grep -q -- '--db FILE is required' err || fail "usage: $(cat err)"
    ;;
idempotent)
    "$GEN" results --data data --db a.db >/dev/null
    "$GEN" results --data data --db b.db >/dev/null
    cmp a.db b.db || fail "two rebuilds differ"
    "$GEN" results --data data --db a.db >/dev/null
    cmp a.db b.db || fail "a rebuild over the old file differs"
    ;;
keep-old)
    "$GEN" results --data data --db results.db >/dev/null
    cp results.db before.db
    # A broken run file: the catalog check fails, the database is untouched.
    cp -r data bad
    f=$(ls bad/runs/*.json | head -1)
    sed 's/"tokens_per_s": [0-9.]*/"tokens_per_s": "fast"/' "$f" >"$f.x" && mv "$f.x" "$f"
    "$GEN" results --data bad --db results.db >out 2>err && fail "a broken run was accepted"
    grep -q "tokens_per_s" err && grep -q "results.db is unchanged" err || fail "message: $(cat err)"
    cmp results.db before.db || fail "the old database changed"
    # The rename itself fails (a folder is in the way): no temporary file stays.
    mkdir taken.db && touch taken.db/keep
    "$GEN" results --data data --db taken.db 2>err && fail "renamed over a folder"
    grep -q "taken.db: .*the previous database is unchanged" err || fail "message: $(cat err)"
    [ -f taken.db/keep ] && [ ! -e taken.db.tmp ] || fail "left a temporary file or lost the folder"
    ;;
roundtrip)
    # The database's catalog runs read back equal to data/runs; the site shows
    # the same pages as without it, but for the footer that names it.
    "$GEN" results --data data --db results.db >/dev/null
    build --out plain >/dev/null
    build --db results.db --out withdb >out 2>err || fail "gen build --db: $(cat err)"
    [ ! -s err ] || fail "warnings: $(cat err)"
    n=$(runs_in_data)
    grep -q "results database results.db: $n catalog runs (0 stale), 0 local runs" out ||
        fail "summary: $(cat out)"
    grep -q 'Measured figures were read from the results database results.db' withdb/index.html ||
        fail "the footer does not name the database"
    grep -q 'This build read no probe results database' plain/index.html || fail "plain footer"
    diff -r plain withdb | grep '^[<>]' | grep -v 'willitrun: every figure has a source' >diffs || true
    [ ! -s diffs ] || fail "pages differ beyond the footer: $(head -5 diffs)"
    # A contributor's probe never offers the catalog's runs for submission.
    "$PROBE" submit --db results.db --url http://127.0.0.1:9 --handle editor >sub.out 2>&1 || true
    grep -q 'nothing to send' sub.out || fail "probe submit offered catalog runs: $(cat sub.out)"
    ;;
stale)
    "$GEN" results --data data --db results.db >/dev/null
    id=d15013-rtx-4090-llama-2-7b-q4-0
    sed 's/"tokens_per_s": 189.0/"tokens_per_s": 4321/' data/runs/$id.json >x && mv x data/runs/$id.json
    grep -q '"tokens_per_s": 4321' data/runs/$id.json || fail "fixture edit did not apply"
    rm data/runs/d15013-a100-80gb-llama-2-7b-q4-0.json
    build --db results.db --out site >out 2>err || fail "a stale database failed the build"
    grep -q "results.db: run [0-9]*: catalog run \"$id\" differs from .*$id.json, which is shown" err ||
        fail "no stale warning: $(cat err)"
    grep -q 'catalog run "d15013-a100-80gb-llama-2-7b-q4-0" is not in data/runs/' err ||
        fail "no warning for a removed run: $(cat err)"
    grep -q '4,321\|4321' site/runs/$id/index.html || fail "the run page does not show the file's figure"
    [ ! -d site/runs/d15013-a100-80gb-llama-2-7b-q4-0 ] || fail "a removed run was published"
    ;;
local)
    # A contributor's own run, never submitted: shown as not reviewed.
    "$PROBE" run --data data --model qwen2-5-0-5b --quant q4-0 --pp 4 --tg 2 --reps 1 \
        --threads 1 --db probe.db >run.out 2>run.err || fail "probe run: $(cat run.err)"
    # As the site prints figures (wir_fmt_num: 3 significant digits).
    tg=$(sqlite3 probe.db "SELECT CASE WHEN tokens_per_s >= 100 THEN printf('%.0f', tokens_per_s)
        WHEN tokens_per_s >= 10 THEN printf('%.1f', tokens_per_s) ELSE printf('%.2f', tokens_per_s) END
        FROM results WHERE test = 'tg'")
    build --out plain >/dev/null
    build --db probe.db --out site >out 2>err || fail "gen build --db: $(cat err)"
    grep -q '1 local run added as not reviewed' out || fail "summary: $(cat out)"
    page=site/runs/local-1-cpu-qwen2-5-0-5b-q4-0/index.html
    [ -f "$page" ] || fail "no page for the local run: $(ls site/runs | head)"
    grep -q 'Not reviewed.' "$page" && grep -q '<code>probe.db</code>' "$page" || fail "no label"
    grep -q ">$tg<" "$page" || fail "the run page lacks decode $tg t/s"
    grep -q 'probe run --data data --model qwen2-5-0-5b' "$page" || fail "no reproduce command"
    grep -q 'local probe run, not reviewed' site/models/qwen2-5-0-5b/index.html ||
        fail "the model page does not label the run"
    grep -q '1 local run from it is shown marked' site/index.html || fail "footer"
    # Estimates are calibrated on reviewed runs only.
    cal() { grep -o 'lsq-runs-n[0-9]*' "$1/methodology/index.html" | sort -u; }
    [ "$(cal site)" = "$(cal plain)" ] || fail "the local run changed the calibration"
    # The database file was only read.
    sqlite3 probe.db 'PRAGMA user_version' | grep -qx 4 || fail "schema"
    ;;
refused)
    # A local run faster than physics allows is left out, with the reason.
    "$PROBE" run --data data --model qwen2-5-0-5b --quant q4-0 --pp 4 --tg 2 --reps 1 \
        --threads 1 --db probe.db >run.out 2>run.err || fail "probe run: $(cat run.err)"
    sqlite3 probe.db "UPDATE results SET tokens_per_s = 1e6 WHERE test = 'tg';
                      UPDATE samples SET tokens_per_s = 1e6 WHERE result_id IN
                          (SELECT id FROM results WHERE test = 'tg')"
    build --db probe.db --out site >out 2>err || fail "a refused run failed the build"
    grep -q 'probe.db: run 1: .*refused by the intake' err || fail "no reason: $(cat err)"
    grep -q 'results.*tokens_per_s\|bandwidth' err || fail "no physics reason: $(cat err)"
    [ ! -d site/runs/local-1-cpu-qwen2-5-0-5b-q4-0 ] || fail "the refused run was published"
    ;;
bad-db)
    build --out site >/dev/null
    cp -r site before
    echo 'not a database' >junk.db
    build --db junk.db --out site >out 2>err && fail "a junk file was read"
    grep -q 'junk.db' err && grep -q 'previous site is unchanged' err || fail "message: $(cat err)"
    build --db missing.db --out site 2>err && fail "a missing file was read"
    grep -q 'missing.db' err || fail "message: $(cat err)"
    [ ! -e missing.db ] || fail "reading created the file"
    sqlite3 newer.db 'PRAGMA user_version = 99'
    build --db newer.db --out site 2>err && fail "a newer schema was read"
    grep -q 'newer.db: schema version 99 is newer' err || fail "message: $(cat err)"
    # An intake database is SQLite with a schema version too, but not this one.
    sqlite3 intake.db 'CREATE TABLE submissions (id TEXT); PRAGMA user_version = 2'
    build --db intake.db --out site 2>err && fail "an intake database was read"
    grep -q 'intake.db: not a results database' err || fail "message: $(cat err)"
    diff -r before site >/dev/null || fail "the site changed"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "results.$CASE: ok"
