#!/usr/bin/env bash
# Authenticated reads with a knox token beside a DRF token: wrk on GET /auth/users/me/ with each
# credential of one user, on one server (DRF's class reads `Token`, knox's `Knox`), so the
# cost of knox's authentication (its lookup, served by the authentication cache, and its expiry
# check) shows beside DRF's. A benchmark run by hand, not a test; needs wrk.
#
#   bench/knox_read.sh [SECONDS] [CONNECTIONS]   (default 10 s, 8 connections; builds the
#                                                  release binary; BENCH_PORT, default 18124)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-8}"
PORT="${BENCH_PORT:-18124}"
cargo build --release -q -p portcullis
BIN="$PWD/target/release/portcullis"
WORK="$(mktemp -d)"
SERVER=""
trap 'if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
cat >"$WORK/knox.toml" <<TOML
bind = "127.0.0.1:$PORT"
database_url = "sqlite://$WORK/bench.sqlite3"
secret_key = "bench-secret-bench-secret-bench-secret-0123"
authentication_classes = ["TokenAuthentication", "knox.auth.TokenAuthentication"]
[knox]
auth_header_prefix = "Knox"
[[urls]]
path = "auth/"
include = "djoser.urls"
[[urls]]
path = "api-token-auth/"
view = "obtain_auth_token"
[[urls]]
path = "api/auth/"
include = "knox.urls"
# Throttle rates far above what wrk sends: the benchmark measures authentication.
[throttle]
rates = { anon = "500000/min", user = "500000/min", login = "100000/min" }
TOML
"$BIN" --config "$WORK/knox.toml" migrate >"$WORK/migrate.log" 2>&1 ||
  { cat "$WORK/migrate.log" >&2; exit 1; }
"$BIN" --config "$WORK/knox.toml" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/auth/users/" && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
BODY='{"username": "bench_knox", "password": "kV7#bench-Lamp-42"}'
curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$BODY" "$BASE/auth/users/"
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
DRF="$(curl -fs -H 'Content-Type: application/json' -d "$BODY" "$BASE/api-token-auth/" | field token)"
KNOX="$(curl -fs -H 'Content-Type: application/json' -d "$BODY" "$BASE/api/auth/login/" | field token)"
if [ -n "${BENCH_HOLD:-}" ]; then echo "$BASE Token $DRF / Knox $KNOX"; sleep "$BENCH_HOLD"; fi
for credential in "Token $DRF" "Knox $KNOX"; do
  curl -fs -o /dev/null -H "Authorization: $credential" "$BASE/auth/users/me/" ||
    { echo "GET /auth/users/me/ refused ${credential%% *}" >&2; exit 1; }
  echo "== GET /auth/users/me/ with ${credential%% *} (${DURATION}s, $CONNECTIONS connections)"
  wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" -H "Authorization: $credential" \
    "$BASE/auth/users/me/" | grep -E 'Latency|Requests/sec|Non-2xx'
done
