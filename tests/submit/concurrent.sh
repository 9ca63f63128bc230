#!/bin/sh
# Fifty submitters at once, each sending its run twice in parallel (a retry
# racing the first attempt): every run is stored exactly once.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
N=50
start_intake intake.db --rate 0 --threads 8
i=1
while [ $i -le $N ]; do doc $((1000 + i)) >d$i.json; i=$((i + 1)); done
start=$(date +%s%N)
pids=
i=1
while [ $i -le $N ]; do
    post d$i.json >a$i.out &
    pids="$pids $!"
    post d$i.json >b$i.out &
    pids="$pids $!"
    i=$((i + 1))
done
for p in $pids; do wait "$p"; done
end=$(date +%s%N)
[ "$(count intake.db)" = $N ] || fail "expected $N rows, found $(count intake.db)"
[ "$(sqlite3 intake.db 'SELECT count(DISTINCT key) FROM submissions')" = $N ] || fail "duplicate keys"
created=$(grep -l '^201 ' a*.out b*.out | wc -l)
again=$(grep -l '^200 ' a*.out b*.out | wc -l)
[ "$created" = $N ] && [ "$again" = $N ] || fail "expected $N 201 and $N 200, got $created and $again"
ms=$(( (end - start) / 1000000 ))
echo "concurrent: $N submitters x 2 attempts in $ms ms; $N runs stored once each"

# Two keys sharing their first ten digits: both stored, the second under an
# id with its whole key.
doc 5000 >k1.json
doc 5000 "s/\"key\": \"[0-9a-f]*\"/\"key\": \"$(printf '%010x%022x' 5000 2)\"/" >k2.json
post k1.json | grep -q '^201 ' || fail "first of a shared prefix refused"
out=$(post k2.json)
case "$out" in 201*"sub-$(printf '%010x%022x' 5000 2)-rtx-4090"*) ;; *) fail "shared prefix: $out" ;; esac
[ "$(count intake.db)" = $((N + 2)) ] || fail "shared prefix: expected $((N + 2)) rows"
