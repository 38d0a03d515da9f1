#!/usr/bin/env bash
# The cost of a list page as the table grows with rows the caller cannot see. For each size, a
# fresh SQLite database: the caller's 20 notes among SIZE notes of 1000 other users, 1 % of
# them public (bench/seed_notes.py); then `GET /api/notes/` (token auth, a page of 20, with
# its count) under wrk. Prints p50 and requests per second per size, and the ratio of each
# p50 to the first size's. Run by hand, on a quiet machine.
#
#   bench/list_scale.sh [BINARY]
#
# BINARY defaults to target/release/portcullis (built when missing). SIZES (default
# "1000 100000 1000000"), DURATION (wrk, default 3s), CONNECTIONS (default 8) and PORT (default
# 18903) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/release/portcullis}"
SIZES="${SIZES:-1000 100000 1000000}"
DURATION="${DURATION:-3s}"
CONNECTIONS="${CONNECTIONS:-8}"
PORT="${PORT:-18903}"
CONF=config/oracle.toml
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || cargo build --release -q -p portcullis
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SRV=""
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$WORK"' EXIT
export PORTCULLIS_BIND="127.0.0.1:$PORT"
# The benchmark measures the list, not throttling (see bench/compare_oracle.sh).
export PORTCULLIS_THROTTLE__RATES='{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}'
export PORTCULLIS_THROTTLE__MAX_BYTES=268435456

serve() {
  "$BIN" --config "$CONF" serve >>"$WORK/server.log" 2>&1 &
  SRV=$!
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null -X OPTIONS "$BASE/api-token-auth/" && return 0
    sleep 0.2
  done
  echo "the server did not start (see its log)" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

stop() {
  kill "$SRV"
  wait "$SRV" 2>/dev/null || true
  SRV=""
}

printf '%-10s %10s %10s %8s\n' rows p50 rps ratio
FIRST=""
for size in $SIZES; do
  rm -f "$WORK"/notes.sqlite3*
  export PORTCULLIS_DATABASE_URL="sqlite://$WORK/notes.sqlite3"
  "$BIN" --config "$CONF" migrate >>"$WORK/server.log" 2>&1
  serve
  body='{"username": "bench_caller", "password": "bench-pass-9341", "email": "caller@example.com"}'
  curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$body" "$BASE/auth/users/"
  TOKEN="$(curl -fs -H 'Content-Type: application/json' -d "$body" "$BASE/api-token-auth/" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"
  stop
  python3 bench/seed_notes.py "$WORK/notes.sqlite3" bench_caller "$size"
  serve
  curl -fs -o /dev/null -H "Authorization: Token $TOKEN" "$BASE/api/notes/"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Token $TOKEN" \
    "$BASE/api/notes/" >"$WORK/wrk.txt"
  stop
  p50="$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")"
  rps="$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk.txt")"
  FIRST="${FIRST:-$p50}"
  ratio="$(python3 - "$FIRST" "$p50" <<'PY'
import re, sys
def us(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
print("%.1fx" % (us(sys.argv[2]) / us(sys.argv[1])))
PY
)"
  printf '%-10s %10s %10s %8s\n' "$size" "$p50" "$rps" "$ratio"
done
