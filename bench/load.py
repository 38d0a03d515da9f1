#!/usr/bin/env python3
"""The two Python halves of bench/load.sh, standard library only:

    load.py setup BASE STATE USERS     USERS users, each with a token and a note: STATE gets
                                       `username token note_id` lines for bench/load.lua
    load.py report LOAD_OUT RSS WANTED the wrk result and the memory samples (one VmRSS in KiB a
                                       line, one a second): the figures, the medians of the two
                                       halves, and `N passed, M failed`; exits 1 on a failure
"""
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import PASSWORD, must  # noqa: E402  (the bench's own helpers)

# The second half's median RSS may exceed the first's by this much and still count as flat
# (allocator arenas and caches settle; a leak grows with the requests served).
FLAT = 1.10


def setup(base, state_path, users):
    with open(state_path, "w") as f:
        for n in range(users):
            name = "load%03d" % n
            must(base, "POST", "/auth/users/", {"username": name, "password": PASSWORD,
                                                "email": name + "@example.com"})
            token = must(base, "POST", "/api-token-auth/", {"username": name, "password": PASSWORD})["token"]
            note = must(base, "POST", "/api/notes/", {"title": "load seed", "body": "x" * 200},
                        "Token " + token)["id"]
            f.write("%s %s %d\n" % (name, token, note))


def report(load_out, rss_file, wanted):
    with open(load_out) as f:
        m = re.search(r"^LOAD (\{.*\})$", f.read(), re.M)
    if not m:
        sys.exit("load: wrk gave no result line (see %s)" % load_out)
    r = json.loads(m.group(1))
    with open(rss_file) as f:
        rss = [int(line) for line in f if line.strip().isdigit()]
    half = len(rss) // 2
    first, second = (statistics.median(rss[:half]), statistics.median(rss[half:])) if half else (0, 0)
    print("load: %d requests in %.1f s (%.0f/s) on %s; p50 %.2f ms, p99 %.2f ms, max %.0f ms"
          % (r["requests"], r["seconds"], r["rps"], os.environ.get("LOAD_SHAPE", "?"),
             r["p50_ms"], r["p99_ms"], r["max_ms"]))
    print("load: sent %s" % json.dumps(r["sent"]))
    print("load: answers 2xx %d, 3xx %d, 4xx %d, 429 %d, 5xx %d; socket errors %d, timeouts %d"
          % (r["s2xx"], r["s3xx"], r["s4xx"], r["s429"], r["s5xx"], r["socket_errors"], r["timeouts"]))
    print("load: VmRSS median, first half %.1f MB, second half %.1f MB (%d samples, peak %.1f MB)"
          % (first / 1024, second / 1024, len(rss), max(rss or [0]) / 1024))
    checks = [
        ("at least %d requests answered" % wanted, r["requests"] >= wanted),
        ("no socket errors or timeouts", r["socket_errors"] == 0 and r["timeouts"] == 0),
        ("no 5xx", r["s5xx"] == 0),
        ("no 4xx (429 included)", r["s4xx"] == 0 and r["s429"] == 0),
        ("memory flat: second half's median within %d %% of the first's" % round((FLAT - 1) * 100),
         half > 0 and second <= first * FLAT),
    ]
    for name, ok in checks:
        print("  %s %s" % ("PASS" if ok else "FAIL", name))
    failed = sum(1 for _, ok in checks if not ok)
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
