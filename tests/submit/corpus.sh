#!/bin/sh
# Bad submissions: each gets its status and a reason naming what is wrong,
# and none is stored. Prints the corpus size.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
start_intake intake.db --rate 0
n=0

# expect NAME STATUS PATTERN FILE [curl options]
expect() {
    name=$1 status=$2 pattern=$3 file=$4; shift 4
    out=$(post "$file" "$@")
    case "$out" in
        "$status "*) ;;
        *) fail "$name: expected $status, got: $out" ;;
    esac
    printf '%s' "$out" | grep -q -- "$pattern" || fail "$name: no reason matching '$pattern': $out"
    n=$((n + 1))
}

# bad KEY_NUMBER NAME STATUS PATTERN SED: the fixture with one change.
bad() {
    doc "$1" "$5" >case.json
    cmp -s case.json "$FIX/gpu-run.json" && fail "$2: the change did not apply"
    expect "$2" "$3" "$4" case.json
}

printf '{"schema": "willitrun.run/1", "key": ' >c.json
expect malformed 400 'invalid JSON' c.json
printf '[1, 2, 3]' >c.json
expect not-object 400 'expected an object' c.json
printf '' >c.json
expect empty 400 'invalid JSON' c.json
i=0; : >c.json
while [ $i -lt 64 ]; do printf '[' >>c.json; i=$((i + 1)); done
i=0; while [ $i -lt 64 ]; do printf ']' >>c.json; i=$((i + 1)); done
expect deep-nesting 400 'nests 64 levels' c.json
head -c 300000 /dev/zero | tr '\0' ' ' >big.json
expect huge-body 413 'size limit' big.json
expect huge-chunked 413 'size limit' big.json -H 'Transfer-Encoding: chunked'
doc 1 >ok.json
expect key-mismatch 400 'Idempotency-Key header' ok.json -H 'Idempotency-Key: 0123456789abcdef0123456789abcdef'
CT=text/plain expect wrong-type 415 'application/json' ok.json

bad 2 schema-version 400 'unsupported schema version' 's|willitrun.run/1|willitrun.run/2|'
bad 2 schema-unknown 400 'unknown schema' 's|willitrun.run/1|other/1|'
bad 2 schema-missing 400 '"field":"schema"' '/"schema"/d'
bad 2 unknown-field 400 'unknown field' 's|"model":|"modle": "x", "model":|'
bad 2 tps-string 400 'results\[1\].tokens_per_s' 's|"tokens_per_s": 432.1|"tokens_per_s": "fast"|'
bad 2 threads-string 400 'settings.threads' 's|"threads": 4|"threads": "4"|'
bad 2 tps-negative 400 'results\[1\].tokens_per_s' 's|"tokens_per_s": 432.1|"tokens_per_s": -5|'
bad 2 ram-huge 400 'host.ram_bytes' 's|"ram_bytes": 68719476736|"ram_bytes": 1e30|'
bad 2 key-short 400 '"field":"key"' 's|"key": "[0-9a-f]*"|"key": "abc"|'
bad 2 handle-email 400 'never an e-mail' 's|"tester_1"|"tester@example.org"|'
bad 2 time-bad 400 'started_at' 's|2026-11-30T10:00:00Z|yesterday|'
bad 2 unknown-model 400 'unknown model' 's|"model": "qwen2-5-0-5b"|"model": "qwen9-zz"|'
bad 2 unknown-quant 400 'unknown file type' 's|"quant": "q4-0"|"quant": "q9-9"|'
bad 2 backend-bad 400 'runtime.backend' 's|"backend": "CUDA"|"backend": "Abacus"|'
bad 2 implausible-decode 400 'above the bandwidth limit' 's|"tokens_per_s": 432.1|"tokens_per_s": 50000|'
bad 2 implausible-vram 400 'more than the rtx-4090' 's|"gpu_memory_bytes": 25757220864|"gpu_memory_bytes": 99757220864|'
bad 2 implausible-peak 400 'peak_device_bytes' '0,/"peak_device_bytes": 1073741824/s//"peak_device_bytes": 107374182400/'
bad 2 reproduce-other 400 'probe command line' 's|"probe run --model|"rm -rf / --model|'
bad 2 no-results 400 'at least one result' 's|"results": \[|"results": [], "x": [|'

# Markup and SQL in every string field, one at a time.
for field in tester_1 2026-11-30T10:00:00Z qwen2-5-0-5b q4-0 probe '0.1.0 (abcdef123456)' CUDA \
    f16 'Test CPU 9000' 'x86-64-v3 (avx2 fma f16c)' 'Test OS 1.0' 6.1.0-test x86_64 \
    'NVIDIA GeForce RTX 4090' 999.99 13.0 pp tg; do
    bad 3 "script in $field" 400 'is not allowed' "0,/\"$field\"/s//\"<script>alert(1)<\\/script>\"/"
    bad 3 "sql in $field" 400 'is not allowed' "0,/\"$field\"/s//\"x'); DROP TABLE submissions; --\"/"
done
bad 3 "sql in reproduce" 400 'is not allowed' "s|--label 'two words'|--label 'x'; DROP TABLE submissions; --|"
bad 3 "script in reproduce" 400 'is not allowed' "s|--label 'two words'|--label <script>alert(1)</script>|"

[ "$(count intake.db)" = 0 ] || fail "a bad submission was stored: $(sqlite3 intake.db 'SELECT id FROM submissions')"
# The good document is taken, so the corpus failed for the stated reasons.
post ok.json | grep -q '^201 ' || fail "the unmodified fixture was refused: $(post ok.json)"
curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/runs/sub-none" | grep -q 404 || fail "GET unknown id"
n=$((n + 1))
stop_intake

# Per-client rate limit: the fourth request in a minute is 429.
start_intake rate.db --rate 3
doc 9 >r.json
for k in 1 2 3; do post r.json >/dev/null; done
out=$(post r.json -D headers)
case "$out" in 429*) ;; *) fail "rate limit: expected 429, got $out" ;; esac
grep -qi '^Retry-After:' headers || fail "429 without Retry-After"
n=$((n + 1))
lines=$(grep -c 'POST /api/v1/runs' intake.log)
echo "corpus: $n cases, each with its status and reason, nothing stored ($lines request lines logged)"
