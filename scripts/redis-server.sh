#!/usr/bin/env bash
# A throwaway Redis (Debian's package `redis-server`) for CI, started as the tests start theirs
# (crates/portcullis-server/tests/it/harness/redis_server.rs): a free loopback port, a
# directory of its own, no persistence, run by `nobody` when this runs as root.
#
#   scripts/redis-server.sh start DIR   # prints the URL: redis://127.0.0.1:PORT/1
#   scripts/redis-server.sh url DIR     # prints it again
#   scripts/redis-server.sh flush DIR   # empties it (a fresh Redis for the next server)
#   scripts/redis-server.sh stop DIR    # stops the server and removes DIR
#
# REDIS_PORTS=FIRST-LAST picks the ports tried (default 16379-16478). The URL names database 1,
# as django-redis' LOCATION usually does.
set -euo pipefail

usage() { echo "usage: $0 start|url|flush|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
CMD="$1"
DIR="$2"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url() { echo "redis://127.0.0.1:$(cat "$DIR/port")/1"; }

cli() { redis-cli -h 127.0.0.1 -p "$(cat "$DIR/port")" "$@"; }

start() {
  local first last port
  command -v redis-server >/dev/null || {
    echo "no redis-server: install Debian's package redis-server" >&2
    exit 1
  }
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  [ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$DIR"
  if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- test -w "$DIR"; then
    echo "$DIR is out of reach of the user nobody (a parent directory is not searchable)" >&2
    exit 1
  fi
  first="${REDIS_PORTS:-16379-16478}"; last="${first#*-}"; first="${first%-*}"
  for port in $(seq "$first" "$last"); do
    listening "$port" && continue
    local run=(redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no
      --dir "$DIR" --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/log")
    if [ "$(id -u)" -eq 0 ]; then
      (cd "$DIR" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "${run[@]}")
    else
      (cd "$DIR" && "${run[@]}")
    fi
    echo "$port" >"$DIR/port"
    for _ in $(seq 1 50); do
      # Ours only if the server answering is the process this started (the port may have been
      # taken meanwhile by another Redis).
      if [ -f "$DIR/redis.pid" ] &&
        cli info server 2>/dev/null | grep -qx "process_id:$(cat "$DIR/redis.pid")"$'\r'; then
        url
        return
      fi
      sleep 0.1
    done
    # Not ours, or it did not come up: stop what may have started and try the next port.
    [ -f "$DIR/redis.pid" ] && kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
    rm -f "$DIR/redis.pid"
  done
  echo "redis-server did not start on any port in $first-$last" >&2
  tail -20 "$DIR/log" >&2 2>/dev/null || true
  exit 1
}

stop() {
  [ -d "$DIR" ] || return 0
  if [ -f "$DIR/redis.pid" ]; then
    local pid
    pid="$(cat "$DIR/redis.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
}

case "$CMD" in
  start) start ;;
  url) url ;;
  flush) cli flushall >/dev/null ;;
  stop) stop ;;
  *) usage ;;
esac
