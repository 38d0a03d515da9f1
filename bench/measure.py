#!/usr/bin/env python3
"""The measuring half of bench/run.sh: users through each server's API, then wrk runs whose
results are appended as JSON lines to a results file (bench/report.py turns them into a table).

    measure.py setup STATE DJANGO_BASE PORTCULLIS_BASE   users, notes and tokens on both sides
    measure.py endpoints STATE RESULTS                    the issue's endpoint rows
    measure.py flood STATE RESULTS                        p99 of detail reads alone and in a login flood
    measure.py scale STATE RESULTS SIZE                   the list of the scale user at SIZE rows

Standard library only. wrk settings from the environment: DURATION (10s), BENCH_THREADS (2),
BENCH_CONNS (32), BENCH_FLOOD_CONNS (16), WRK_TIMEOUT (30s); BENCH_SETTLED (0.15): each run waits
until less than this fraction of the machine's CPU is busy (at most a minute).
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

SIDES = ("django", "portcullis")
PASSWORD = "kV7#bench-Lamp-42"
LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk_result.lua")
DURATION = os.environ.get("DURATION", "10s")
THREADS = os.environ.get("BENCH_THREADS", "2")
CONNS = os.environ.get("BENCH_CONNS", "32")
FLOOD_CONNS = os.environ.get("BENCH_FLOOD_CONNS", "16")
TIMEOUT = os.environ.get("WRK_TIMEOUT", "30s")
# Below this fraction of busy CPU the machine counts as quiet between runs (see settle()).
SETTLED = float(os.environ.get("BENCH_SETTLED", "0.15"))


def call(base, method, path, body=None, auth=None, headers=None):
    """One request; returns (status, parsed JSON or raw bytes)."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    h = {"Content-Type": "application/json", **(headers or {})}
    if auth:
        h["Authorization"] = auth
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    try:
        return resp.status, json.loads(data) if data else None
    except ValueError:
        return resp.status, data


def must(base, method, path, body=None, auth=None, want=(200, 201)):
    status, data = call(base, method, path, body, auth)
    if status not in want:
        sys.exit("bench setup: %s %s%s answered %s: %.300r" % (method, base, path, status, data))
    return data


def make_user(base, name):
    """Register NAME through djoser and return its DRF token."""
    must(base, "POST", "/auth/users/", {"username": name, "password": PASSWORD, "email": name + "@example.com"})
    return must(base, "POST", "/api-token-auth/", {"username": name, "password": PASSWORD})["token"]


def setup(state_path, django_base, portcullis_base):
    # The framework floor: Portcullis's /healthz when it has one (Django has none), else the
    # CORS preflight, which both answer before routing and authentication.
    status, _ = call(portcullis_base, "GET", "/healthz")
    state = {"floor": "healthz" if 200 <= status < 300 else "preflight"}
    for side, base in zip(SIDES, (django_base, portcullis_base)):
        token = make_user(base, "bench_reader")
        auth = "Token " + token
        ids = [must(base, "POST", "/api/notes/", {"title": "bench note %d" % i, "body": "x" * 200}, auth)["id"]
               for i in range(25)]
        scale_token = make_user(base, "bench_scale")
        # `me` gets a user of its own: the throttle keeps each user's request times for a
        # minute, and after the detail, JWT and list runs one user would pass 1000000/min.
        me_token = make_user(base, "bench_me")
        state[side] = {"base": base, "token": token, "note_id": ids[0], "user": "bench_reader",
                       "scale_token": scale_token, "me_token": me_token}
    with open(state_path, "w") as f:
        json.dump(state, f)


def seconds_of(duration):
    m = re.fullmatch(r"(\d+)([smh]?)", duration)
    if not m:
        sys.exit("bench: DURATION must look like 10s, 2m or 1h, not %r" % duration)
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def wrk_command(url, headers=(), conns=CONNS, duration=DURATION):
    cmd = ["wrk", "-t", THREADS, "-c", conns, "-d", duration, "--timeout", TIMEOUT, "-s", LUA]
    for h in headers:
        cmd += ["-H", h]
    return cmd + [url]


def parse_wrk(out, cmd):
    m = re.search(r"^WRK (\{.*\})$", out, re.M)
    if not m:
        sys.exit("bench: wrk gave no result line for %s:\n%s" % (" ".join(cmd), out))
    return json.loads(m.group(1))


def wrk_env(body=None, method=None):
    env = dict(os.environ, BENCH_WRK_BODY="", BENCH_WRK_METHOD="")
    if body is not None:
        env["BENCH_WRK_BODY"] = json.dumps(body)
    if method:
        env["BENCH_WRK_METHOD"] = method
    return env


def busy_fraction(interval=0.5):
    """The fraction of the machine's CPU time spent busy over INTERVAL seconds (/proc/stat)."""
    def ticks():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), idle
    total0, idle0 = ticks()
    time.sleep(interval)
    total1, idle1 = ticks()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def settle(limit=60):
    """Wait until the machine is quiet before a run. A side keeps working after wrk stops: each
    gunicorn worker finishes the requests already in its socket's backlog (seconds of argon2 with
    32 login connections), which would otherwise be counted against the next run's server."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if busy_fraction() < SETTLED:
            return
    print("bench: the machine stayed busy for %ds before a run; measuring anyway" % limit, flush=True)


def run_wrk(url, headers=(), body=None, method=None, conns=CONNS):
    cmd = wrk_command(url, headers, conns)
    settle()
    done = subprocess.run(cmd, capture_output=True, text=True, env=wrk_env(body, method))
    if done.returncode != 0:
        sys.exit("bench: wrk failed (%d): %s" % (done.returncode, done.stderr.strip()))
    return parse_wrk(done.stdout, cmd)


def record(results_path, row):
    """Append a result, print it, and say loudly when anything but a 2xx answered."""
    with open(results_path, "a") as f:
        f.write(json.dumps(row) + "\n")
    bad = row.get("non2xx", 0) + row.get("socket_errors", 0) + row.get("timeouts", 0)
    print("  %-10s %-22s rps=%9.1f p50=%8.2f ms p99=%8.2f ms non-2xx=%d socket-errors=%d timeouts=%d%s" % (
        row["side"], row["key"], row["rps"], row["p50_ms"], row["p99_ms"], row["non2xx"],
        row["socket_errors"], row["timeouts"], "   <-- NOT ALL 2xx" if bad else ""), flush=True)


def endpoint_runs(side, s, floor):
    """(key, path, headers, body, method) of each endpoint row, in the order they run."""
    token = ["Authorization: Token " + s["token"]]
    note = "/api/notes/%d/" % s["note_id"]
    runs = [("detail", note, token, None, None)]
    runs.append(("jwt_detail", note, None, None, None))  # headers filled in just before the run
    runs.append(("list", "/api/notes/", token, None, None))
    runs.append(("me", "/auth/users/me/", ["Authorization: Token " + s["me_token"]], None, None))
    if floor == "healthz" and side == "portcullis":
        runs.append(("floor", "/healthz", [], None, None))
    elif floor == "preflight":
        preflight = ["Origin: http://localhost:5173", "Access-Control-Request-Method: GET"]
        runs.append(("floor", "/api/notes/", preflight, None, "OPTIONS"))
    runs.append(("login", "/api-token-auth/", [], {"username": s["user"], "password": PASSWORD}, None))
    runs.append(("create", "/api/notes/", token, {"title": "bench create", "body": "y" * 200}, None))
    return runs


def endpoints(state_path, results_path):
    state = json.load(open(state_path))
    plans = {side: endpoint_runs(side, state[side], state["floor"]) for side in SIDES}
    keys = [k for k, *_ in plans["portcullis"]]
    for key in keys:
        for side in SIDES:
            s = state[side]
            run = next((r for r in plans[side] if r[0] == key), None)
            if run is None:
                continue
            _, path, headers, body, method = run
            if key == "jwt_detail":
                # simplejwt's access token lives 5 minutes: obtained right before its run.
                pair = must(s["base"], "POST", "/api/token/", {"username": s["user"], "password": PASSWORD})
                headers = ["Authorization: Bearer " + pair["access"]]
            result = run_wrk(s["base"] + path, headers, body, method)
            record(results_path, {"phase": "endpoint", "key": key, "side": side,
                                  "floor": state["floor"], **result})


def flood(state_path, results_path):
    """Detail reads alone, then the same while a second wrk floods the login endpoint."""
    state = json.load(open(state_path))
    for side in SIDES:
        s = state[side]
        url = s["base"] + "/api/notes/%d/" % s["note_id"]
        headers = ["Authorization: Token " + s["token"]]
        alone = run_wrk(url, headers)
        record(results_path, {"phase": "flood", "key": "reads_alone", "side": side, **alone})
        # The flood starts first and outlasts the reads by a second on either side.
        flood_cmd = wrk_command(s["base"] + "/api-token-auth/", (), FLOOD_CONNS,
                                "%ds" % (seconds_of(DURATION) + 2))
        body = {"username": s["user"], "password": PASSWORD}
        settle()
        flooder = subprocess.Popen(flood_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=wrk_env(body))
        time.sleep(1)
        flooded = run_wrk(url, headers)
        out, err = flooder.communicate()
        if flooder.returncode != 0:
            sys.exit("bench: the login flood's wrk failed: %s" % err.strip())
        record(results_path, {"phase": "flood", "key": "reads_flooded", "side": side,
                              "flood_conns": int(FLOOD_CONNS), **flooded})
        record(results_path, {"phase": "flood", "key": "logins_flooding", "side": side,
                              **parse_wrk(out, flood_cmd)})


def uncached(state_path, results_path):
    """Portcullis's detail and list again, on a server started with the read cache off
    (`read_cache_kb = 0`): what the queries themselves cost."""
    state = json.load(open(state_path))
    s = state["portcullis"]
    token = ["Authorization: Token " + s["token"]]
    for key, path in (("detail_uncached", "/api/notes/%d/" % s["note_id"]), ("list_uncached", "/api/notes/")):
        result = run_wrk(s["base"] + path, token)
        record(results_path, {"phase": "endpoint", "key": key, "side": "portcullis",
                              "floor": state["floor"], **result})


def scale(state_path, results_path, size):
    state = json.load(open(state_path))
    counts = {}
    for side in SIDES:
        page = must(state[side]["base"], "GET", "/api/notes/", auth="Token " + state[side]["scale_token"])
        counts[side] = page["count"]
    # Both sides must see the same rows: the user's 20 and every hundredth of the others' (from 0).
    if len(set(counts.values())) != 1 or counts["django"] != 20 + (size + 99) // 100:
        sys.exit("bench: the seeded lists differ from what was written: %r" % counts)
    for side in SIDES:
        s = state[side]
        auth = "Token " + s["scale_token"]
        count = counts[side]
        result = run_wrk(s["base"] + "/api/notes/", ["Authorization: " + auth])
        record(results_path, {"phase": "scale", "key": "list_%d" % size, "size": size, "side": side,
                              "visible": count, **result})


def main(argv):
    commands = {"setup": (setup, 4), "endpoints": (endpoints, 3), "flood": (flood, 3),
                "uncached": (uncached, 3), "scale": (scale, 4)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) != commands[argv[1]][1] + 1:
        sys.exit(__doc__)
    fn, _ = commands[argv[1]]
    args = argv[2:]
    if fn is scale:
        args[2] = int(args[2])
    fn(*args)


if __name__ == "__main__":
    main(sys.argv)
