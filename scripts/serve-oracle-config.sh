#!/usr/bin/env bash
# Start Portcullis the way the oracle's serve.sh starts Django: a fresh database holding only the
# staff user admin / admin-pass-123, then the server in the foreground.
#
#   scripts/serve-oracle-config.sh [PORT] [BINARY]
#
# PORT defaults to 8000; BINARY to target/release/portcullis, else target/debug/portcullis.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
BIN="${2:-}"
if [ -z "$BIN" ]; then
  if [ -x target/release/portcullis ]; then BIN=target/release/portcullis; else BIN=target/debug/portcullis; fi
fi
DIR="${ORACLE_SUT_DIR:-target/oracle-sut}"
mkdir -p "$DIR"
rm -f "$DIR"/portcullis.sqlite3*
export PORTCULLIS_DATABASE_URL="sqlite://$DIR/portcullis.sqlite3"
export PORTCULLIS_BIND="127.0.0.1:$PORT"
# Another configuration (a reference project's, tests/projects/NAME/portcullis.toml) with PORTCULLIS_CONF.
CONF="${PORTCULLIS_CONF:-config/oracle.toml}"
"$BIN" --config "$CONF" migrate >/dev/null
PORTCULLIS_SUPERUSER_PASSWORD='admin-pass-123' "$BIN" --config "$CONF" createsuperuser \
  --noinput --username admin --email admin@example.com >/dev/null
exec "$BIN" --config "$CONF" serve
