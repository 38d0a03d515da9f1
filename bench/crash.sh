#!/usr/bin/env bash
# Crash test, run by hand (not a CI stage: it takes a minute or two): clients create notes over
# HTTP as fast as they can while the release server is killed with SIGKILL and started again
# ROUNDS times on the same SQLite file; afterwards every note answered 201 must read back over
# HTTP and be in the file, and PRAGMA integrity_check must say ok. Prints the figures and
# `N passed, M failed`; exits non-zero when a check fails.
#
#   bench/crash.sh                      10 kills, 16 clients, on port 19310
#   CRASH_ROUNDS=3 bench/crash.sh       fewer kills
#
# Environment: CRASH_PORT (19310), CRASH_ROUNDS (10), CRASH_CLIENTS (16), CRASH_KEEP (any value:
# keep the work directory with the database and the server's log). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT="${CRASH_PORT:-19310}"
ROUNDS="${CRASH_ROUNDS:-10}"
CLIENTS="${CRASH_CLIENTS:-16}"

command -v python3 >/dev/null || { echo "crash: python3 not found" >&2; exit 2; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "crash: port $PORT is already in use (set CRASH_PORT)" >&2
  exit 2
fi
cargo build --release -q -p portcullis
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/portcullis"

WORK="$(mktemp -d)"
cleanup() {
  if [ -n "${CRASH_KEEP:-}" ]; then
    echo "crash: the database and the server's log are kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "crash: $ROUNDS SIGKILLs of the release server under $CLIENTS writing clients"
python3 "$ROOT/bench/crash.py" "$BIN" "$WORK" "$PORT" "$ROUNDS" "$CLIENTS" </dev/null
