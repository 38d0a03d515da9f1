#!/usr/bin/env python3
"""The Markdown table of bench/run.sh, from the JSON lines bench/measure.py and run.sh appended.

    report.py RESULTS OUT                                  write the table to OUT and print it
    report.py meta RESULTS DB DB_NAME SCALE VERSIONS       append the run's settings (bench/run.sh)

Rows follow issue 15's table: the figures of both sides, Portcullis ÷ Django, the issue's
target and whether this run meets it, and the non-2xx answers and socket errors of each side
(every one of them must be 0 for a figure to count). Standard library only.
"""
import datetime
import json
import os
import sys

TARGETS = {
    "detail": "≥ 50×, and ≥ 50 % of Portcullis's own floor",
    "jwt_detail": "—",
    "list": "≥ 30×",
    "me": "≥ 60×",
    "login": "≥ 5× (hashing held to cores − 1, same cost)",
    "create": "≥ 5 000 durable creates/s on SQLite",
    "floor": "—",
    "detail_uncached": "—",
    "list_uncached": "—",
}
NAMES = {
    "detail": "token-auth `GET /api/notes/<id>/`",
    "jwt_detail": "simplejwt `Bearer` `GET /api/notes/<id>/`",
    "list": "`GET /api/notes/` (a page of 20)",
    "me": "`GET /auth/users/me/`",
    "login": "`POST /api-token-auth/` (argon2id: Django's costs, 100 MiB, t=2, p=8; Portcullis's, 19 MiB, t=2, p=1)",
    "create": "`POST /api/notes/` (creates per second)",
    "detail_uncached": "the same detail GET with the read cache off (`read_cache_kb = 0`)",
    "list_uncached": "the same list with the read cache off",
}


def num(x):
    """Thousands apart by a space; one decimal below 100 (logins per second), none for counts."""
    if isinstance(x, int) or x >= 100:
        return "{:,.0f}".format(x).replace(",", " ")
    return "%.1f" % x


def few(row):
    """wrk counts only the requests that finished within the run: say so when they were few."""
    return " (only %d requests)" % row["requests"] if row["requests"] < 100 else ""


def errors(row):
    return "?" if row is None else str(row["non2xx"] + row["socket_errors"] + row["timeouts"])


def load(path):
    rows, meta, rss = {}, {}, {}
    for line in open(path):
        r = json.loads(line)
        if r["phase"] == "meta":
            meta.update(r)
        elif r["phase"] == "rss":
            rss[r["side"]] = max(rss.get(r["side"], 0), r["kib"])
        else:
            rows[(r["key"], r["side"])] = r
    return rows, meta, rss


def line(cells):
    return "| " + " | ".join(cells) + " |"


def met(ok):
    return "" if ok is None else (" — **met**" if ok else " — not met")


def endpoint_lines(rows, meta):
    out = []
    floor = rows.get(("floor", "portcullis"))
    for key in ("detail", "jwt_detail", "list", "me", "login", "create", "floor",
                "detail_uncached", "list_uncached"):
        # The uncached rows are compared with Django's figure for the same request.
        d, p = rows.get((key.replace("_uncached", ""), "django")), rows.get((key, "portcullis"))
        if p is None:
            continue
        ratio = p["rps"] / d["rps"] if d and d["rps"] else None
        name = NAMES.get(key)
        if key == "floor":
            name = ("Portcullis's `/healthz`" if p.get("floor") == "healthz"
                    else "CORS preflight `OPTIONS /api/notes/` (the floor: Portcullis has no `/healthz`)")
        target = TARGETS[key]
        ok = None
        if key == "detail_uncached" and floor:
            target += " (%.0f %% of the floor)" % (p["rps"] / floor["rps"] * 100)
        if key == "detail" and ratio is not None and floor:
            share = p["rps"] / floor["rps"]
            target += " (here %.0f %%)" % (share * 100)
            ok = ratio >= 50 and share >= 0.5
        elif key in ("list", "me", "login") and ratio is not None:
            ok = ratio >= {"list": 30, "me": 60, "login": 5}[key]
        elif key == "create" and meta.get("db") == "sqlite":
            ok = p["rps"] >= 5000
        out.append(line([name, num(d["rps"]) if d else "—", num(p["rps"]),
                         "%.1f×" % ratio if ratio else "", target + met(ok),
                         "%s / %s" % (errors(d), errors(p))]))
    return out


def scale_lines(rows, meta):
    sizes = meta.get("scale", [])
    out = []
    for size in sizes:
        d, p = rows.get(("list_%d" % size, "django")), rows.get(("list_%d" % size, "portcullis"))
        if not p:
            continue
        cell = lambda r: "—" if r is None else "p50 %.2f ms, %s rps%s" % (
            r["p50_ms"], num(r["rps"]), few(r))
        ratio = p["rps"] / d["rps"] if d and d["rps"] else None
        out.append(line(["list at %s rows of others (%s visible)" % (num(size), num(p["visible"])),
                         cell(d), cell(p), "%.1f×" % ratio if ratio else "", "—",
                         "%s / %s" % (errors(d), errors(p))]))
    if len(sizes) >= 2:
        big, small = sizes[-1], sizes[0]
        growth = {}
        for side in ("django", "portcullis"):
            a, b = rows.get(("list_%d" % big, side)), rows.get(("list_%d" % small, side))
            growth[side] = a["p50_ms"] / b["p50_ms"] if a and b and b["p50_ms"] else None
        fmt = lambda g: "%.1f×" % g if g else "—"
        ok = growth["portcullis"] <= 3 if growth["portcullis"] else None
        out.append(line(["list p50, %s rows ÷ %s" % (num(big), num(small)), fmt(growth["django"]),
                         fmt(growth["portcullis"]), "", "≤ 3×" + met(ok), ""]))
    return out


def flood_lines(rows):
    out = []
    cell = lambda r: "—" if r is None else "%.2f ms" % r["p99_ms"]
    for key, name in (("reads_alone", "p99 of token detail reads alone"),
                      ("reads_flooded", "p99 of the same during a %s-connection login flood")):
        d, p = rows.get((key, "django")), rows.get((key, "portcullis"))
        if p:
            flood_conns = p.get("flood_conns", 16)
            out.append(line([name.replace("%s", str(flood_conns)), cell(d), cell(p), "", "—",
                             "%s / %s" % (errors(d), errors(p))]))
    growth = {}
    for side in ("django", "portcullis"):
        a, b = rows.get(("reads_flooded", side)), rows.get(("reads_alone", side))
        growth[side] = a["p99_ms"] / b["p99_ms"] if a and b and b["p99_ms"] else None
    if growth["portcullis"]:
        fmt = lambda g: "%.1f×" % g if g else "—"
        d, p = rows.get(("logins_flooding", "django")), rows.get(("logins_flooding", "portcullis"))
        out.append(line(["p99 during the flood ÷ alone", fmt(growth["django"]), fmt(growth["portcullis"]),
                         "", "≤ 2×" + met(growth["portcullis"] <= 2),
                         "%s / %s (the flood's logins)" % (errors(d), errors(p))]))
    return out


def render(rows, meta, rss):
    head = [
        "# Portcullis against Django: benchmark results",
        "",
        "Written by `bench/run.sh` on %s. Machine: %s cores, %s. Database: %s." % (
            meta.get("date", "?"), meta.get("cores", "?"), meta.get("cpu", "?"), meta.get("db_name", "?")),
        "",
        "Settings: %s." % meta.get("settings", "?"),
        "",
    ]
    if meta.get("short"):
        head += ["**Not issue 15's setup** (%s): the figures are indicative only." % meta["short"], ""]
    head += [
        line(["workload", "Django", "Portcullis", "ratio", "target (issue 15)", "non-2xx + socket errors (Django / Portcullis)"]),
        line(["---"] * 6),
    ]
    body = endpoint_lines(rows, meta) + scale_lines(rows, meta) + flood_lines(rows)
    mb = lambda side: "%.1f MB" % (rss[side] / 1024) if side in rss else "—"
    ok = rss["portcullis"] / 1024 < 60 if "portcullis" in rss else None
    body.append(line(["peak RSS over the whole run (VmHWM; Django: sum over gunicorn's processes)",
                      mb("django"), mb("portcullis"), "", "< 60 MB" + met(ok), ""]))
    return "\n".join(head + body) + "\n"


def write_meta(results, db, db_name, scale, versions):
    """Append the run's date, machine and settings, from bench/run.sh's environment."""
    env = os.environ
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    settings = (
        "wrk %s threads, %s connections, %s per run (the login flood: a second wrk, %s connections, "
        "on the login endpoint); %s under gunicorn with 4 sync workers and the local-memory cache; "
        "argon2id on both sides, each at its own default costs (Django 100 MiB, 2 passes, 8 lanes; Portcullis 19 MiB, 2 passes, 1 lane); the reference's throttle classes at "
        "1000000/min on both; no access log line per request on either side; the scale run's user owns 20 notes among the other users' rows, "
        "1 %% public, seeded straight into each database, servers restarted after each seeding; "
        "Portcullis's read cache on for the endpoints and the flood, off (`read_cache_kb = 0`) for "
        "the rows marked so and the whole scale run, which measure the queries themselves"
        % (env["BENCH_THREADS"], env["BENCH_CONNS"], env["DURATION"], env["BENCH_FLOOD_CONNS"], versions))
    # Anything other than the issue's setup is said at the top of the table.
    issue = [("DURATION", "10s"), ("BENCH_THREADS", "2"), ("BENCH_CONNS", "32"), ("BENCH_FLOOD_CONNS", "16")]
    short = ["%s=%s" % (k, env[k]) for k, v in issue if env[k] != v]
    if scale != "1000,100000,1000000":
        short.append("BENCH_SCALE=%s" % scale)
    meta = {"phase": "meta", "db": db, "db_name": db_name, "short": ", ".join(short),
            "scale": [int(s) for s in scale.split(",")],
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "cpu": cpu, "settings": settings}
    with open(results, "a") as f:
        f.write(json.dumps(meta) + "\n")
    return 0


def main(argv):
    if len(argv) == 7 and argv[1] == "meta":
        return write_meta(*argv[2:])
    if len(argv) != 3:
        sys.exit(__doc__)
    rows, meta, rss = load(argv[1])
    text = render(rows, meta, rss)
    with open(argv[2], "w") as f:
        f.write(text)
    sys.stdout.write(text)
    bad = [k for k, r in rows.items() if r["non2xx"] + r["socket_errors"] + r["timeouts"]]
    if bad:
        print("\nWARNING: answers other than 2xx, or socket errors, in: %s"
              % ", ".join("%s (%s)" % k for k in sorted(bad)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
