#!/usr/bin/env bash
# Load test, run by hand: LOAD_REQUESTS (200 000) requests on LOAD_CONNS (256) connections
# against the release server on SQLite, mixing token-authenticated reads (a note's detail, the
# list of one's notes, /auth/users/me/: 85 %), creates (14 %) and logins (1 %) over LOAD_USERS
# users, with throttling raised out of the way. Passes with zero socket errors, timeouts, 4xx
# and 5xx, and memory flat: the server's VmRSS is sampled every second and the median of the
# second half may exceed the first half's by 10 % at most. Prints the figures and
# `N passed, M failed`; exits non-zero when a check fails.
#
#   bench/load.sh                             the full run (about a minute: logins are argon2id)
#   LOAD_REQUESTS=20000 bench/load.sh         a quick one
#
# Environment: LOAD_PORT (19320), LOAD_REQUESTS, LOAD_CONNS, LOAD_THREADS (2), LOAD_USERS (64),
# LOAD_LOGIN_PERMILLE (10), LOAD_CREATE_PERMILLE (140), LOAD_KEEP (any value: keep the work
# directory with the database, the server's log and the samples). Needs wrk and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT="${LOAD_PORT:-19320}"
REQUESTS="${LOAD_REQUESTS:-200000}"
CONNS="${LOAD_CONNS:-256}"
THREADS="${LOAD_THREADS:-2}"
USERS="${LOAD_USERS:-64}"

command -v wrk >/dev/null || { echo "load: wrk not found (apt-get install -y wrk)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "load: python3 not found" >&2; exit 2; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "load: port $PORT is already in use (set LOAD_PORT)" >&2
  exit 2
fi
# Each connection is a descriptor on both sides, and the server's own files and pools besides.
NEED=$((CONNS * 2 + 512))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
  ulimit -n "$NEED" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
cargo build --release -q -p portcullis
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/portcullis"

WORK="$(mktemp -d)"
SERVER=""
SAMPLER=""
cleanup() {
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; fi
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ -n "${LOAD_KEEP:-}" ]; then
    echo "load: the database, the server's log and the samples are kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The server alone, with no PORTCULLIS_* setting from the caller's environment.
for var in $(compgen -e | grep '^PORTCULLIS_' || true); do unset "$var"; done
export PORTCULLIS_DATABASE_URL="sqlite://$WORK/load.sqlite3"
export PORTCULLIS_BIND="127.0.0.1:$PORT"
export PORTCULLIS_LOG=warn
export PORTCULLIS_THROTTLE__RATES='{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}'
export PORTCULLIS_THROTTLE__MAX_BYTES=268435456
export PORTCULLIS_THROTTLE__FAILED_LOGINS_PER_ACCOUNT='1000000/hour'
(cd "$WORK" && exec "$BIN" serve) >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/" && break
  kill -0 "$SERVER" 2>/dev/null || { tail -20 "$WORK/serve.log" >&2; exit 1; }
  sleep 0.2
done

echo "load: $REQUESTS requests, $CONNS connections, $THREADS wrk threads, $USERS users" \
  "(logins ${LOAD_LOGIN_PERMILLE:-10}‰, creates ${LOAD_CREATE_PERMILLE:-140}‰, the rest reads)"
python3 "$ROOT/bench/load.py" setup "http://127.0.0.1:$PORT" "$WORK/state" "$USERS"

# VmRSS every second while wrk runs.
(while kill -0 "$SERVER" 2>/dev/null; do
  awk '/^VmRSS:/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || true
  sleep 1
done) >"$WORK/rss" &
SAMPLER=$!
export LOAD_STATE="$WORK/state" LOAD_PER_THREAD=$(((REQUESTS + THREADS - 1) / THREADS))
LOAD_PASSWORD="$(python3 -c 'import sys; sys.path.insert(0, "bench"); import measure; print(measure.PASSWORD)')"
export LOAD_PASSWORD LOAD_SHAPE="$CONNS connections"
export LOAD_DONE_DIR="$WORK/done"
mkdir "$LOAD_DONE_DIR"
wrk -t "$THREADS" -c "$CONNS" -d 30m --timeout 30s -s "$ROOT/bench/load.lua" \
  "http://127.0.0.1:$PORT" >"$WORK/wrk.out" 2>&1 </dev/null &
WRK=$!
# Each wrk thread stops after its share but wrk itself waits out its duration: interrupt it
# once every thread has said it is done (or when it ends by itself, on an error).
while kill -0 "$WRK" 2>/dev/null &&
  [ "$(find "$LOAD_DONE_DIR" -type f | wc -l)" -lt "$THREADS" ]; do
  sleep 0.2
done
kill -INT "$WRK" 2>/dev/null || true
wait "$WRK" || { cat "$WORK/wrk.out" >&2; exit 1; }
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
SAMPLER=""
kill -0 "$SERVER" 2>/dev/null || { echo "load: the server died; its log:" >&2; tail -20 "$WORK/serve.log" >&2; exit 1; }
python3 "$ROOT/bench/load.py" report "$WORK/wrk.out" "$WORK/rss" "$REQUESTS"
