#!/usr/bin/env bash
# What the operations layer costs on the request path: requests per second of `GET /healthz`
# (the floor: no database, no authentication) and of a token-authenticated
# `GET /api/notes/<id>/`, under wrk (-t2 -c32 -d5s, RUNS runs each), for each variant:
#
#   metrics+access  the defaults: metrics recorded, one access log line per request
#   metrics         metrics recorded, access lines filtered out (portcullis::access=warn)
#   access          metrics disabled (operations.metrics_path = ""), access lines logged
#   neither         metrics disabled and access lines filtered out
#
# Each run prints requests/s and the server's CPU microseconds per request.
# Logs go to /dev/null (JSON, as under a service manager). Run by hand, on a quiet machine.
#
#   bench/operations_cost.sh [BINARY]
#
# BINARY defaults to target/release/portcullis (built when missing). PORT (default 19251) and
# RUNS (default 3) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/release/portcullis}"
PORT="${PORT:-19251}"
RUNS="${RUNS:-3}"
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
[ -x "$BIN" ] || cargo build --release -q -p portcullis
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SRV=""
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$WORK"' EXIT
# Rates no run reaches; the counters' byte cap must hold a million request times per key.
export PORTCULLIS_THROTTLE__RATES='{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}'
export PORTCULLIS_THROTTLE__MAX_BYTES=268435456

# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$SRV/stat"
}

# One wrk run against URL with the given header: "requests/s/CPU µs per request" (the server's
# CPU time per request is far less sensitive than the rate to other load on the machine).
rps() {
  local before after out
  before="$(cpu_ticks)"
  out="$(wrk -t2 -c32 -d5s -H "$2" "$1")"
  after="$(cpu_ticks)"
  printf '%s\n' "$out" | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ { n = $1 }
    /^Requests\/sec/ { r = $2 }
    END { printf "%.0f/%.1f", r, ticks / hz * 1e6 / n }'
}

run_variant() {
  local name="$1" metrics_path="$2" log="$3"
  PORTCULLIS_OPERATIONS__METRICS_PATH="$metrics_path" PORTCULLIS_LOG="$log" \
    ORACLE_SUT_DIR="$WORK/$name" scripts/serve-oracle-config.sh "$PORT" "$BIN" >/dev/null 2>&1 &
  SRV=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$BASE/healthz" && break; sleep 0.1; done
  local token id
  token="$(curl -fs -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"admin-pass-123"}' "$BASE/api-token-auth/" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  id="$(curl -fs -H "Authorization: Token $token" -H 'Content-Type: application/json' \
    -d '{"title":"bench","body":"b"}' "$BASE/api/notes/" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  local health=() note=()
  for _ in $(seq 1 "$RUNS"); do
    health+=("$(rps "$BASE/healthz" "Accept: */*")")
    note+=("$(rps "$BASE/api/notes/$id/" "Authorization: Token $token")")
  done
  printf '%-16s healthz %s   notes/<id> %s\n' "$name" "${health[*]}" "${note[*]}"
  kill "$SRV"
  wait "$SRV" 2>/dev/null || true
  SRV=""
}

echo "requests/s / server CPU µs per request, $RUNS runs each (wrk -t2 -c32 -d5s)"
run_variant metrics+access /metrics info
run_variant metrics /metrics info,portcullis::access=warn
run_variant access "" info
run_variant neither "" info,portcullis::access=warn
