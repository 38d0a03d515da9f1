#!/usr/bin/env bash
# Issue 15's benchmark in one command: Portcullis against the Django reference project, both served
# side by side on fresh databases in the same run, measured with wrk; writes a Markdown table of
# figures, ratios and the issue's targets, and prints it. A benchmark run by hand, not a test.
#
#   bench/run.sh                                    SQLite on both sides, 10 s per endpoint
#   BENCH_DB=postgres bench/run.sh                  PostgreSQL on both sides
#   DURATION=2s BENCH_SCALE=1000,10000 bench/run.sh smoke mode: end to end in a few minutes
#
# Environment: DURATION (10s per wrk run), BENCH_SCALE (rows of other users in the scale run,
# 1000,100000,1000000), BENCH_DB (sqlite | postgres), BENCH_OUT (bench/RESULTS.md, or
# bench/RESULTS-postgres.md), BENCH_VENV (the bench's own virtualenv with the reference's pins,
# argon2-cffi and psycopg; default target/bench-venv, created when missing), ORACLE_DIR (the
# reference project, ../shared/oracle), BENCH_PORT (19100: Django on +1, Portcullis on +2,
# PostgreSQL on +50..+59), WRK_TIMEOUT (30s), BENCH_THREADS (2), BENCH_CONNS (32),
# BENCH_FLOOD_CONNS (16: the login flood's connections), BENCH_BIN (a release binary to use
# instead of building one), BENCH_SETTLED (0.15: see bench/measure.py), BENCH_KEEP (any value: keep the work directory with
# the servers' logs and the raw results, results.jsonl, which bench/report.py renders). Needs wrk,
# python3 and, for PostgreSQL, its server programs (see scripts/postgres-server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BENCH="$ROOT/bench"
ORACLE="$(cd "${ORACLE_DIR:-$ROOT/../shared/oracle}" 2>/dev/null && pwd)" ||
  { echo "bench: no reference project at ${ORACLE_DIR:-../shared/oracle} (set ORACLE_DIR)" >&2; exit 2; }
export DURATION="${DURATION:-10s}"
SCALE="${BENCH_SCALE:-1000,100000,1000000}"
# The scale run only adds rows: its sizes go up.
[[ "$SCALE" =~ ^[0-9]+(,[0-9]+)*$ ]] ||
  { echo "bench: BENCH_SCALE must be sizes apart by commas, like 1000,100000, not $SCALE" >&2; exit 2; }
SCALE="$(tr , '\n' <<<"$SCALE" | sort -n | paste -sd, -)"
DB="${BENCH_DB:-sqlite}"
case "$DB" in
  sqlite) OUT="${BENCH_OUT:-$BENCH/RESULTS.md}" ;;
  postgres) OUT="${BENCH_OUT:-$BENCH/RESULTS-postgres.md}" ;;
  *) echo "bench: BENCH_DB must be sqlite or postgres, not $DB" >&2; exit 2 ;;
esac
PORT="${BENCH_PORT:-19100}"
DJANGO_PORT=$((PORT + 1))
PORTCULLIS_PORT=$((PORT + 2))
VENV="${BENCH_VENV:-$ROOT/target/bench-venv}"

command -v wrk >/dev/null || { echo "bench: wrk not found (apt-get install -y wrk)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: python3 not found" >&2; exit 2; }
[ -f "$ORACLE/django_ref/manage.py" ] || { echo "bench: $ORACLE holds no django_ref/manage.py" >&2; exit 2; }

# The bench's own virtualenv: the reference's pinned stack plus what the bench adds (argon2-cffi
# for the hasher at Portcullis's cost, psycopg for PostgreSQL). Never the reference's own venv.
if ! "$VENV/bin/python" -c "import django, rest_framework, djoser, argon2, psycopg, gunicorn" 2>/dev/null; then
  echo "bench: preparing the virtualenv $VENV" >&2
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" ||
    { echo "bench: could not create $VENV (Debian: apt-get install -y python3-venv)" >&2; exit 2; }
  "$VENV/bin/pip" install -q -r "$ORACLE/requirements.txt" -c "$ORACLE/requirements.lock.txt" \
    argon2-cffi "psycopg[binary]" ||
    { echo "bench: installing the Django stack into $VENV failed (see above)" >&2; exit 2; }
fi
PY="$VENV/bin/python"

# BENCH_BIN: a binary built beforehand (no build here; cargo would wait for any other cargo
# holding the package cache).
if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
else
  cargo build --release -q -p portcullis
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/portcullis"
fi

WORK="$(mktemp -d)"
PGDIR=""
DJANGO_PID=""
PORTCULLIS_PID=""
RESULTS="$WORK/results.jsonl"
STATE="$WORK/state.json"
cleanup() {
  stop_servers || true
  [ -z "$PGDIR" ] || scripts/postgres-server.sh stop "$PGDIR" || true
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "bench: the servers' logs and the raw results are kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the databases ---------------------------------------------------------------------------
if [ "$DB" = postgres ]; then
  PGDIR="$(mktemp -d)"
  ADMIN_URL="$(POSTGRES_PORTS="$((PORT + 50))-$((PORT + 59))" scripts/postgres-server.sh start "$PGDIR")"
  psql "$ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench_django" \
    -c "CREATE DATABASE bench_portcullis" >/dev/null
  PG_PORT="$(cat "$PGDIR/port")"
  export BENCH_DJANGO_PG_NAME=bench_django BENCH_DJANGO_PG_HOST=127.0.0.1 BENCH_DJANGO_PG_PORT="$PG_PORT"
  DJANGO_TARGET="postgres://postgres@127.0.0.1:$PG_PORT/bench_django"
  PORTCULLIS_TARGET="postgres://postgres@127.0.0.1:$PG_PORT/bench_portcullis"
  export PORTCULLIS_DATABASE_URL="$PORTCULLIS_TARGET"
  DB_NAME="PostgreSQL $(psql "$ADMIN_URL" -qAt -c 'SHOW server_version')"
else
  export BENCH_DJANGO_SQLITE="$WORK/django.sqlite3"
  DJANGO_TARGET="$BENCH_DJANGO_SQLITE"
  PORTCULLIS_TARGET="$WORK/portcullis.sqlite3"
  export PORTCULLIS_DATABASE_URL="sqlite://$PORTCULLIS_TARGET"
  DB_NAME="SQLite (each side its own file)"
fi

# --- the two servers -------------------------------------------------------------------------
# Django: the reference project under bench/django_bench/settings.py (Django's own argon2id
# hasher, local-memory cache, rates that cannot trip), gunicorn with 4 sync workers.
export PYTHONPATH="$BENCH:$ORACLE/django_ref"
export DJANGO_SETTINGS_MODULE=django_bench.settings
# Portcullis: the reference's configuration (config/oracle.toml) with the same rates. Rates this
# high need a byte bound of at least 128 bytes per request of a period (throttle.max_bytes).
export PORTCULLIS_BIND="127.0.0.1:$PORTCULLIS_PORT"
export PORTCULLIS_THROTTLE__RATES='{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}'
export PORTCULLIS_THROTTLE__MAX_BYTES=268435456
# gunicorn writes no access log unless asked: neither side logs a line per request.
export PORTCULLIS_LOG="info,portcullis::access=warn"
export PORTCULLIS_THROTTLE__FAILED_LOGINS_PER_ACCOUNT='1000000/hour'
CONF="$ROOT/config/oracle.toml"

django() { (cd "$ORACLE/django_ref" && "$PY" manage.py "$@"); }

# Migrations and the reference's staff user on both sides; their chatter goes to the logs.
prepare_databases() {
  django migrate --noinput -v 0 >>"$WORK/django.log" 2>&1 &&
    DJANGO_SUPERUSER_PASSWORD='admin-pass-123' django createsuperuser --noinput \
      --username admin --email admin@example.com >>"$WORK/django.log" 2>&1 ||
    { echo "bench: preparing Django's database failed:" >&2; tail -20 "$WORK/django.log" >&2; exit 1; }
  "$BIN" --config "$CONF" migrate >>"$WORK/portcullis.log" 2>&1 &&
    PORTCULLIS_SUPERUSER_PASSWORD='admin-pass-123' "$BIN" --config "$CONF" createsuperuser \
      --noinput --username admin --email admin@example.com >>"$WORK/portcullis.log" 2>&1 ||
    { echo "bench: preparing Portcullis's database failed:" >&2; tail -20 "$WORK/portcullis.log" >&2; exit 1; }
}

# Wait until PORT answers; fail with the server's log if its process died or it never does.
wait_ready() {
  local name="$1" port="$2" pid="$3" log="$4"
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null -X OPTIONS "http://127.0.0.1:$port/api-token-auth/" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "bench: $name did not come up on port $port; the end of its log:" >&2
  tail -20 "$log" >&2
  exit 1
}

start_servers() {
  local port
  # A server left over on a port would answer the readiness check in place of the new one.
  for port in "$DJANGO_PORT" "$PORTCULLIS_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "bench: port $port is already in use (set BENCH_PORT to move the bench's ports)" >&2
      exit 1
    fi
  done
  (cd "$ORACLE/django_ref" && exec "$VENV/bin/gunicorn" refproject.wsgi:application \
    --bind "127.0.0.1:$DJANGO_PORT" --workers 4 --worker-class sync \
    --error-logfile - --log-level warning) >>"$WORK/django.log" 2>&1 &
  DJANGO_PID=$!
  "$BIN" --config "$CONF" serve >>"$WORK/portcullis.log" 2>&1 &
  PORTCULLIS_PID=$!
  wait_ready Django "$DJANGO_PORT" "$DJANGO_PID" "$WORK/django.log"
  wait_ready Portcullis "$PORTCULLIS_PORT" "$PORTCULLIS_PID" "$WORK/portcullis.log"
}

# Peak RSS in KiB (VmHWM) of a process and its children: gunicorn's master and workers.
peak_kib() {
  local total=0 pid kib
  for pid in "$1" $(pgrep -P "$1" || true); do
    kib="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

# Record both servers' peaks (the run's peak is the largest over every start), then stop them.
stop_servers() {
  local side pid
  for side in django portcullis; do
    if [ "$side" = django ]; then pid="$DJANGO_PID"; else pid="$PORTCULLIS_PID"; fi
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      echo "{\"phase\": \"rss\", \"side\": \"$side\", \"kib\": $(peak_kib "$pid")}" >>"$RESULTS"
      kill -TERM "$pid"
      wait "$pid" 2>/dev/null || true
    else
      echo "bench: the $side server had stopped by itself; the end of its log:" >&2
      tail -20 "$WORK/$side.log" >&2
    fi
  done
  DJANGO_PID=""
  PORTCULLIS_PID=""
}

# --- the run ---------------------------------------------------------------------------------
export BENCH_THREADS="${BENCH_THREADS:-2}" BENCH_CONNS="${BENCH_CONNS:-32}" BENCH_FLOOD_CONNS="${BENCH_FLOOD_CONNS:-16}"
echo "bench: $DB_NAME, wrk $BENCH_THREADS threads, $BENCH_CONNS connections, $DURATION per run;" \
  "scale run at $SCALE rows"
prepare_databases
start_servers
"$PY" "$BENCH/measure.py" setup "$STATE" "http://127.0.0.1:$DJANGO_PORT" "http://127.0.0.1:$PORTCULLIS_PORT"
echo "== endpoints"
"$PY" "$BENCH/measure.py" endpoints "$STATE" "$RESULTS"
echo "== login flood"
"$PY" "$BENCH/measure.py" flood "$STATE" "$RESULTS"
echo "== read cache off"
# From here on Portcullis keeps no answers: the uncached rows and the scale run measure what
# the queries cost, not a map lookup.
export PORTCULLIS_LIMITS__READ_CACHE_KB=0
stop_servers
start_servers
"$PY" "$BENCH/measure.py" uncached "$STATE" "$RESULTS"
echo "== scale run"
RESET=--reset
for size in ${SCALE//,/ }; do
  stop_servers
  "$PY" "$BENCH/seed.py" "$DJANGO_TARGET" notes_note bench_scale "$size" ${RESET:+"$RESET"}
  "$PY" "$BENCH/seed.py" "$PORTCULLIS_TARGET" notes bench_scale "$size" ${RESET:+"$RESET"}
  RESET=""
  start_servers
  "$PY" "$BENCH/measure.py" scale "$STATE" "$RESULTS" "$size"
done
stop_servers

DJANGO_VERSION="$("$PY" -c 'import django, rest_framework as r; print("Django %s + DRF %s" % (django.get_version(), r.__version__))')"
"$PY" "$BENCH/report.py" meta "$RESULTS" "$DB" "$DB_NAME" "$SCALE" "$DJANGO_VERSION"
echo
STATUS=0
"$PY" "$BENCH/report.py" "$RESULTS" "$OUT" || STATUS=$?
echo "bench: written to $OUT"
exit "$STATUS"
