#!/usr/bin/env bash
# Hashing under attack: the p99 of authenticated reads (GET /auth/users/me/ with a token) alone,
# during a login flood (many concurrent logins, each an argon2 hash) and during a disconnect
# storm (clients that send a login and hang up before the answer), with the server's peak RSS
# (VmHWM) and the most password hashes that ran at once. Hashing runs on a fixed pool of
# workers that reuse their memory, so the peak in flight must stay at the pool's size and the
# RSS flat. A benchmark run by hand, not a test.
#
#   bench/hash_flood.sh [SECONDS] [CLIENTS]   (default 10 s per phase, 16 clients; needs wrk;
#                                             builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_PHASE="${1:-10}"
CLIENTS="${2:-16}"
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
cargo build --release -q -p portcullis
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/portcullis"
WORK="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=18124
export PORTCULLIS_DATABASE_URL="sqlite://$WORK/bench.sqlite3"
export PORTCULLIS_SECRET_KEY="bench-secret-bench-secret-bench-secret-0123"
export PORTCULLIS_BIND="127.0.0.1:$PORT"
# Generous limits: the benchmark measures hashing, not throttling. The reader makes thousands of
# reads a second, all counted under its user id: its log of request times (8 bytes each, up to
# 8 MiB at a million a minute) is part of the RSS printed below.
export PORTCULLIS_THROTTLE__RATES='{anon = "100000/min", user = "1000000/min", login = "100000/min"}'
export PORTCULLIS_THROTTLE__MAX_BYTES=268435456
export PORTCULLIS_THROTTLE__FAILED_LOGINS_PER_ACCOUNT='100000/hour'
# The pool logs each new peak of hashes in flight, and its totals when it stops, at debug.
export PORTCULLIS_LOG="info,portcullis_server::auth::hashing_pool=debug"
"$BIN" migrate >/dev/null 2>&1
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null -X OPTIONS "http://127.0.0.1:$PORT/api-token-auth/" && break; sleep 0.1; done

cat >"$WORK/p99.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("READS requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

python3 - "$PORT" "$SERVER" "$SECONDS_PER_PHASE" "$CLIENTS" "$WORK/p99.lua" <<'PY'
import http.client, json, random, re, socket, subprocess, sys, threading, time
port, pid, seconds, clients, lua = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
password = "kV7#bench-Lamp-42"

def post(path, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

def status_kib(field):
    for line in open("/proc/%s/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0

users = ["flood_%d" % i for i in range(8)]
for name in users + ["reader"]:
    status, data = post("/auth/users/", {"username": name, "password": password})
    assert status == 201, data
status, data = post("/auth/token/login/", {"username": "reader", "password": password})
assert status == 200, data
token = json.loads(data)["auth_token"]

def reads():
    out = subprocess.run(
        ["wrk", "-t2", "-c8", "-d%ds" % seconds, "--timeout", "30s", "-s", lua,
         "-H", "Authorization: Token " + token, "http://127.0.0.1:%d/auth/users/me/" % port],
        check=True, capture_output=True, text=True).stdout
    m = re.search(r"READS requests=(\d+) errors=(\d+) p50_ms=([\d.]+) p99_ms=([\d.]+)", out)
    return int(m.group(1)), int(m.group(2)), float(m.group(3)), float(m.group(4))

login = lambda user, pw: json.dumps({"username": user, "password": pw}).encode()
def request(body):
    return (b"POST /auth/token/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))

def flood(stop, counts):
    # Logins back to back, right and wrong passwords, each waiting for its answer.
    while not stop.is_set():
        body = login(random.choice(users), random.choice([password, "wrong-password"]))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
                s.sendall(request(body))
                s.recv(64)
            counts["logins"] += 1
        except OSError:
            counts["errors"] += 1

def storm(stop, counts):
    # Send a login, wait a moment so the server has asked for the hash, hang up unanswered.
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(request(login(random.choice(users), password)))
            time.sleep(random.uniform(0.002, 0.02))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
            counts["logins"] += 1
        except OSError:
            counts["errors"] += 1

def phase(name, attack):
    counts = {"logins": 0, "errors": 0}
    stop = threading.Event()
    threads = [threading.Thread(target=attack, args=(stop, counts)) for _ in range(clients if attack else 0)]
    for t in threads: t.start()
    requests, errors, p50, p99 = reads()
    stop.set()
    for t in threads: t.join()
    print("%-18s reads=%6d read_errors=%d p50=%7.2f ms p99=%8.2f ms  logins=%5d  rss=%6.1f MB  peak_rss=%6.1f MB"
          % (name, requests, errors, p50, p99, counts["logins"], status_kib("VmRSS") / 1024, status_kib("VmHWM") / 1024))
    return p99

print("clients=%d seconds per phase=%d cores=%s" % (clients, seconds, subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()))
print("start              rss=%.1f MB" % (status_kib("VmRSS") / 1024))
alone = phase("reads alone", None)
flooded = phase("login flood", flood)
stormed = phase("disconnect storm", storm)
print("p99 of reads: alone %.2f ms, during the login flood %.2f ms, during the disconnect storm %.2f ms" % (alone, flooded, stormed))
print("peak RSS (VmHWM): %.1f MB" % (status_kib("VmHWM") / 1024))
PY
kill -TERM "$SERVER"
wait "$SERVER" 2>/dev/null || true
# Without ANSI colours the fields read `peak=3`, `workers=3`, `peak_in_flight=3`.
PEAK=$(grep -o 'peak=[0-9]*' "$WORK/server.log" | cut -d= -f2 | sort -n | tail -1)
echo "peak hashes in flight: ${PEAK:-0}"
grep 'password hashing pool stopped' "$WORK/server.log" | sed 's/^.*stopped/pool totals:/' || true
