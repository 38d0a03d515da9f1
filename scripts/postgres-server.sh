#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's package `postgresql`) for the tests and CI: its own data
# directory under DIR, on a free loopback port, run by an unprivileged user (`nobody` when this
# runs as root, since PostgreSQL refuses to run as root; the current user otherwise), trust
# authentication for the superuser `postgres`, the C locale, no fsync.
#
#   scripts/postgres-server.sh start DIR   # prints the admin URL: postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres-server.sh url DIR     # prints it again
#   scripts/postgres-server.sh stop DIR    # stops the server and removes DIR
#
# POSTGRES_PORTS=FIRST-LAST picks the ports tried (default 15432-15531); PG_BINDIR the server's
# programs (default: the newest /usr/lib/postgresql/*/bin). DIR must not exist yet or be empty,
# and must be reachable by the unprivileged user (a `mktemp -d` directory is).
set -euo pipefail

usage() { echo "usage: $0 start|url|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
CMD="$1"
DIR="$2"

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$found" ]; then
    echo "no PostgreSQL server programs: install Debian's package postgresql" >&2
    exit 1
  fi
  echo "$found"
}

# Run a command as the unprivileged user, from DIR (PostgreSQL's programs resolve their own
# path and may not be able to read the caller's working directory).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$DIR" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

# Whether something accepts connections on the loopback port.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url() { echo "postgres://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; }

start() {
  local bin first last port
  bin="$(bindir)"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  if [ -n "$(ls -A "$DIR")" ]; then echo "$DIR is not empty" >&2; exit 1; fi
  [ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$DIR"
  if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- test -w "$DIR"; then
    echo "$DIR is out of reach of the user nobody (a parent directory is not searchable)" >&2
    exit 1
  fi
  as_owner "$bin/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  first="${POSTGRES_PORTS:-15432-15531}"; last="${first#*-}"; first="${first%-*}"
  for port in $(seq "$first" "$last"); do
    listening "$port" && continue
    # -w waits until the server accepts connections (or fails, e.g. when the port was taken
    # between the check and the start: the next one is tried).
    if as_owner "$bin/pg_ctl" -D "$DIR/data" -w -t 60 -l "$DIR/log" \
      -o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null; then
      echo "$port" >"$DIR/port"
      url
      return
    fi
  done
  echo "PostgreSQL did not start on any port in $first-$last; its log:" >&2
  tail -20 "$DIR/log" >&2 || true
  exit 1
}

stop() {
  [ -d "$DIR" ] || return 0
  DIR="$(cd "$DIR" && pwd)"
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "$CMD" in
  start) start ;;
  url) url ;;
  stop) stop ;;
  *) usage ;;
esac
