#!/usr/bin/env bash
# Start Portcullis the way the oracle's serve.sh starts Django: a fresh database holding only the
# staff user admin / admin-pass-123, then the server in the foreground.
#
#   scripts/serve-oracle-config.sh [PORT] [BINARY]
#
# PORT defaults to 8000; BINARY to target/release/portcullis, else target/debug/portcullis.
# On PostgreSQL with ORACLE_SUT_POSTGRES=ADMIN_URL (a URL on which databases may be created, as
# scripts/postgres-server.sh prints): the fresh database is ORACLE_SUT_DB (default
# portcullis_sut_PORT), dropped and created again on that server.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
BIN="${2:-}"
if [ -z "$BIN" ]; then
  if [ -x target/release/portcullis ]; then BIN=target/release/portcullis; else BIN=target/debug/portcullis; fi
fi
DIR="${ORACLE_SUT_DIR:-target/oracle-sut}"
if [ -n "${ORACLE_SUT_POSTGRES:-}" ]; then
  DB="${ORACLE_SUT_DB:-portcullis_sut_$PORT}"
  # FORCE: a server of an earlier run may still hold connections to it.
  psql "$ORACLE_SUT_POSTGRES" -qAt -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DB\"" >/dev/null
  # The admin URL with the new database as its path (and its query string kept).
  BASE="${ORACLE_SUT_POSTGRES%%\?*}"
  export PORTCULLIS_DATABASE_URL="${BASE%/*}/$DB${ORACLE_SUT_POSTGRES#"$BASE"}"
else
  mkdir -p "$DIR"
  rm -f "$DIR"/portcullis.sqlite3*
  export PORTCULLIS_DATABASE_URL="sqlite://$DIR/portcullis.sqlite3"
fi
export PORTCULLIS_BIND="127.0.0.1:$PORT"
# Another configuration (a reference project's, tests/projects/NAME/portcullis.toml) with PORTCULLIS_CONF.
CONF="${PORTCULLIS_CONF:-config/oracle.toml}"
"$BIN" --config "$CONF" migrate >/dev/null
PORTCULLIS_SUPERUSER_PASSWORD='admin-pass-123' "$BIN" --config "$CONF" createsuperuser \
  --noinput --username admin --email admin@example.com >/dev/null
exec "$BIN" --config "$CONF" serve
