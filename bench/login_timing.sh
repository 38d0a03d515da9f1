#!/usr/bin/env bash
# Login timing: the median time of POST /api-token-auth/ for an unknown user, a wrong password
# and an inactive user, side by side (they should be about equal: the answer and the cost must
# not tell an attacker which usernames exist or are active). A benchmark run by hand, not a test.
#
#   bench/login_timing.sh [ROUNDS]        (default 30 rounds; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-30}"
cargo build --release -q -p portcullis
BIN="$PWD/target/release/portcullis"
WORK="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=18123
export PORTCULLIS_DATABASE_URL="sqlite://$WORK/bench.sqlite3"
export PORTCULLIS_SECRET_KEY="bench-secret-bench-secret-bench-secret-0123"
export PORTCULLIS_BIND="127.0.0.1:$PORT"
# Generous limits: the benchmark measures hashing, not throttling.
export PORTCULLIS_THROTTLE__RATES='{anon = "100000/min", user = "100000/min", login = "100000/min"}'
export PORTCULLIS_THROTTLE__FAILED_LOGINS_PER_ACCOUNT='100000/hour'
"$BIN" migrate >/dev/null
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null -X OPTIONS "http://127.0.0.1:$PORT/api-token-auth/" && break; sleep 0.1; done
python3 - "$PORT" "$ROUNDS" "$BIN" <<'PY'
import http.client, json, statistics, subprocess, sys, time
port, rounds, binary = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def post(path, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

password = "kV7#bench-Lamp-42"
for name in ("bench_active", "bench_inactive"):
    status, data = post("/auth/users/", {"username": name, "password": password})
    assert status == 201, data
subprocess.run([binary, "user", "deactivate", "bench_inactive"], check=True, stdout=subprocess.DEVNULL)

cases = {
    "unknown user": {"username": "bench_nobody", "password": password},
    "wrong password": {"username": "bench_active", "password": "not-the-password"},
    "inactive user": {"username": "bench_inactive", "password": password},
}
times = {k: [] for k in cases}
for _ in range(rounds):
    for label, body in cases.items():  # interleaved, so drift hits every case alike
        t0 = time.perf_counter()
        status, data = post("/api-token-auth/", body)
        times[label].append(time.perf_counter() - t0)
        assert status == 400, (label, status, data)
print("%-16s %12s %12s" % ("case", "median ms", "p90 ms"))
for label, samples in times.items():
    samples.sort()
    print("%-16s %12.2f %12.2f" % (label, statistics.median(samples) * 1000, samples[int(len(samples) * 0.9) - 1] * 1000))
medians = [statistics.median(s) for s in times.values()]
print("spread: %.1f%% of the fastest median" % ((max(medians) - min(medians)) / min(medians) * 100))
PY
