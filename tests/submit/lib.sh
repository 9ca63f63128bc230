# Shared by the submission tests: a scratch folder with a copy of the
# catalog, an intake on an ephemeral loopback port that stops by itself, and
# helpers to post documents. Usage: . lib.sh GEN PROBE SRC_DIR
set -eu
GEN=$1 PROBE=$2 SRC=$3
FIX=$SRC/tests/submit
# Loopback never goes through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wir-submit.XXXXXX")
[ -n "${KEEP:-}" ] && echo "work: $WORK" >&2
INTAKE_PID=
cleanup() {
    if [ -n "$INTAKE_PID" ]; then kill "$INTAKE_PID" 2>/dev/null || true; wait "$INTAKE_PID" 2>/dev/null || true; fi
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
cp -r "$SRC/data" "$WORK/data"

fail() { echo "FAIL: $*" >&2; [ -f "$WORK/intake.log" ] && tail -20 "$WORK/intake.log" >&2; exit 1; }

# start_intake DB [extra options]: sets PORT and URL; the server stops after
# 300 s whatever happens.
start_intake() {
    db=$1; shift
    rm -f "$WORK/port"
    "$GEN" intake --listen 127.0.0.1:0 --db "$WORK/$db" --data "$WORK/data" \
        --port-file "$WORK/port" --max-seconds 300 "$@" 2>>"$WORK/intake.log" &
    INTAKE_PID=$!
    i=0
    while [ ! -s "$WORK/port" ]; do
        i=$((i + 1)); [ $i -le 200 ] || fail "the intake did not start"
        sleep 0.05
    done
    PORT=$(cat "$WORK/port")
    URL=http://127.0.0.1:$PORT
}

stop_intake() {
    kill "$INTAKE_PID"; wait "$INTAKE_PID" 2>/dev/null || true; INTAKE_PID=
}

# doc KEY_NUMBER [sed expression]: the fixture with a key and one change.
doc() {
    key=$(printf '%010x%022x' "$1" "$1")
    sed -e "s/\"KEY\"/\"$key\"/" -e "${2:-s/^//}" "$FIX/gpu-run.json"
}

# post FILE [curl options]: prints "STATUS BODY".
post() {
    f=$1; shift
    r=$(mktemp "$WORK/resp.XXXXXX")
    curl -s -o "$r" -w '%{http_code}' -H "Content-Type: ${CT:-application/json}" \
        --data-binary @"$f" "$@" "$URL/api/v1/runs" || true
    printf ' '; cat "$r" 2>/dev/null || true; rm -f "$r"
}

count() { sqlite3 -cmd '.timeout 10000' "$WORK/$1" "SELECT count(*) FROM submissions${2:+ WHERE $2}"; }
