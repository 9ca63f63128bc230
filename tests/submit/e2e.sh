#!/bin/sh
# From a contributor's `probe run` to published pages, through a real HTTP
# server: run on the CPU, submit, review, accept, build, and find the
# numbers; a GPU submission reaches its model x hardware page; a dropped
# response retried is stored once; offline, runs stay queued.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
start_intake intake.db

"$PROBE" run --data data --model qwen2-5-0-5b --quant q4-0 --pp 4 --tg 2 --reps 1 \
    --threads 1 --db probe.db >run.out 2>run.err || fail "probe run: $(cat run.err)"
"$PROBE" submit --db probe.db --url "$URL" --handle alice_b >submit.out 2>submit.err ||
    fail "probe submit: $(cat submit.err)"
grep -q 'sent as sub-' submit.out || fail "submit printed no id: $(cat submit.out)"
ID=$(sqlite3 probe.db "SELECT sent_id FROM runs WHERE id = 1")
[ "$(sqlite3 probe.db 'SELECT sent FROM runs WHERE id = 1')" = 1 ] || fail "run not marked sent"
curl -s "$URL/api/v1/runs/$ID" | grep -q '"state":"pending"' || fail "GET state is not pending"
# Submitting again sends nothing: every run is sent.
"$PROBE" submit --db probe.db --url "$URL" --handle alice_b | grep -q 'nothing to send' ||
    fail "a sent run was offered again"

# A GPU run by hand, through the same API.
doc 7 >gpu.json
post gpu.json | grep -q '^201 ' || fail "GPU submission not accepted"
GPU_ID=sub-0000000007-rtx-4090-qwen2-5-0-5b-q4-0

"$GEN" review --db intake.db --data data >review.out || fail "gen review"
grep -q "$ID" review.out && grep -q 'by alice_b' review.out && grep -q '% of the bandwidth limit' review.out ||
    fail "review lacks the runs or findings: $(cat review.out)"
"$GEN" accept --db intake.db --data data --results accepted.db "$ID" "$GPU_ID" >accept.out ||
    fail "gen accept: $(cat accept.out)"
grep -q 'rebuilt accepted.db' accept.out &&
    [ "$(sqlite3 accepted.db "SELECT count(*) FROM runs WHERE catalog_id IN ('$ID', '$GPU_ID')")" = 2 ] ||
    fail "accept did not rebuild the results database: $(cat accept.out)"
[ -f "data/runs/$ID.json" ] && [ -f "data/runs/$GPU_ID.json" ] || fail "accept wrote no data/runs file"
curl -s "$URL/api/v1/runs/$ID" | grep -q '"state":"accepted"' || fail "GET state is not accepted"
"$GEN" accept --db intake.db --data data "$ID" 2>/dev/null && fail "accepted twice"
"$GEN" check --data data >/dev/null || fail "gen check fails after accept"

# A rejected run keeps its reason and never reaches data/.
doc 8 's|"tokens_per_s": 432.1|"tokens_per_s": 431.9|' >rej.json
post rej.json | grep -q '^201 ' || fail "second GPU submission not accepted"
REJ=sub-0000000008-rtx-4090-qwen2-5-0-5b-q4-0
"$GEN" reject --db intake.db "$REJ" 2>/dev/null && fail "reject without --why"
"$GEN" reject --db intake.db "$REJ" --why "duplicate of run 7" >/dev/null || fail "gen reject"
curl -s "$URL/api/v1/runs/$REJ" | grep -q '"state":"rejected","received_at":"[^"]*","why":"duplicate of run 7"' ||
    fail "GET does not show the rejection: $(curl -s "$URL/api/v1/runs/$REJ")"
"$GEN" accept --db intake.db --data data "$REJ" 2>/dev/null && fail "a rejected run was accepted"
[ ! -f "data/runs/$REJ.json" ] || fail "a rejected run reached data/"

# An import of published llama-bench results, cited on its page.
SRCURL=https://github.com/ggml-org/llama.cpp/blob/master/tools/llama-bench/README.md
"$GEN" import --data data --llama-bench "$FIX/llama-bench-sample.json" \
    --hardware rtx-4080 --model qwen2-5-7b --source "$SRCURL" >import.out 2>import.err ||
    fail "gen import: $(cat import.err)"
IMP=lb5163-rtx-4080-qwen2-5-7b-q4-k-m
grep -q '"tokens_per_s": 118.881588' "data/runs/$IMP.json" || fail "import lost the tg figure"

"$GEN" build --data data --out site --templates "$SRC/templates" \
    --methodology "$SRC/docs/methodology.md" --jobs 2 --quiet || fail "gen build"
page=site/runs/$ID/index.html
[ -f "$page" ] || fail "no run page $page"
# As the site prints figures (wir_fmt_num).
tg=$(sqlite3 probe.db "SELECT CASE WHEN tokens_per_s >= 100 THEN printf('%.0f', tokens_per_s)
    WHEN tokens_per_s >= 10 THEN printf('%.1f', tokens_per_s) ELSE printf('%.2f', tokens_per_s) END
    FROM results WHERE test = 'tg'")
grep -q ">$tg<" "$page" || fail "run page lacks the decode figure $tg"
grep -q 'alice_b' "$page" || fail "run page lacks the submitter"
grep -q 'probe run --data data --model qwen2-5-0-5b' "$page" || fail "run page lacks the reproduce command"
grep -q 'Kernel' "$page" || fail "run page lacks the host"
grep -q "/runs/$ID/" site/models/qwen2-5-0-5b/index.html || fail "model page does not link the run"
gpage=site/will-it-run/qwen2-5-0-5b/rtx-4090/index.html
grep -q "$GPU_ID" "$gpage" && grep -q 'decode 432 tok/s' "$gpage" || fail "model x hardware page lacks the GPU run"
grep -q "href=\"$SRCURL\"" "site/runs/$IMP/index.html" && grep -q '>119<' "site/runs/$IMP/index.html" ||
    fail "the import's page lacks its source link or figure"
# The contributor's quote is escaped, never raw.
grep -q "&#39;two words&#39;" "site/runs/$GPU_ID/index.html" || fail "reproduce not escaped"
stop_intake

# The results database is rebuilt from data/ (now with the accepted probe runs
# and the import) and reads back equal to it; the contributor's probe.db adds
# nothing, since its run is the accepted one.
"$GEN" results --data data --db results.db >results.out || fail "gen results"
"$GEN" build --data data --db results.db --out site2 --templates "$SRC/templates"     --methodology "$SRC/docs/methodology.md" --jobs 2 >build2.out 2>build2.err ||
    fail "gen build --db: $(cat build2.err)"
grep -q '(0 stale), 0 local runs' build2.out && [ ! -s build2.err ] ||
    fail "the rebuilt database does not match data/runs: $(cat build2.out build2.err)"
# Only the footer (which names the database) may differ.
if diff "$page" site2/runs/$ID/index.html | grep '^[<>]' | grep -qv 'willitrun: every figure'; then
    fail "the run page differs when built from the database"
fi
"$GEN" build --data data --db probe.db --out site3 --templates "$SRC/templates"     --methodology "$SRC/docs/methodology.md" --jobs 2 >build3.out 2>build3.err ||
    fail "gen build --db probe.db: $(cat build3.err)"
grep -q '0 local runs added as not reviewed, 1 already accepted' build3.out ||
    fail "the accepted run was not recognised: $(cat build3.out build3.err)"

# A response lost after the intake stored the run: the retry carries the same
# key and is answered with the stored id, so there is still one row.
start_intake drop.db --drop-after-store 1
"$PROBE" run --data data --model qwen2-5-0-5b --quant q4-0 --pp 4 --tg 2 --reps 1 \
    --threads 1 --db probe2.db >/dev/null 2>&1 || fail "second probe run"
"$PROBE" submit --db probe2.db --url "$URL" --handle bob --backoff-ms 100 >drop.out 2>drop.err ||
    fail "submit after a dropped response: $(cat drop.err)"
grep -q 'already received' drop.out || fail "the retry was not recognised: $(cat drop.out)"
[ "$(count drop.db)" = 1 ] || fail "the retry made a duplicate ($(count drop.db) rows)"
stop_intake

# https is verified: the plain-HTTP intake cannot pass a TLS handshake, and
# the probe never falls back to http.
start_intake tls.db
sqlite3 probe2.db "UPDATE runs SET sent = 0"
"$PROBE" submit --db probe2.db --url "https://127.0.0.1:$PORT" --handle bob --retries 0 \
    >tls.out 2>tls.err && fail "an https submit to a plain-HTTP server succeeded"
grep -qi 'ssl\|tls' tls.err || fail "no TLS error reported: $(cat tls.err)"
[ "$(count tls.db)" = 0 ] || fail "a run arrived without TLS"
stop_intake

# Offline: the run stays queued and the exit status says so.
sqlite3 probe2.db "UPDATE runs SET sent = 0"
"$PROBE" submit --db probe2.db --url "$URL" --handle bob --retries 1 --backoff-ms 10 \
    --connect-timeout 2 >off.out 2>off.err && fail "submit to a closed port succeeded"
grep -q 'stays queued' off.err || fail "offline submit did not say the run is queued"
[ "$(sqlite3 probe2.db 'SELECT sent FROM runs')" = 0 ] || fail "an unsent run was marked sent"
echo "e2e: ok (run $ID, GPU run $GPU_ID)"
