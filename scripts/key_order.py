#!/usr/bin/env python3
"""
Record and check the order of the keys of every JSON object in every response body.

difftest.py compares bodies with their keys sorted, so it cannot see that a server writes
`{"body":…,"id":…}` where Django writes `{"id":…,"body":…}`. A frontend that shows
`Object.keys(row)` as table columns, or a snapshot test, does see it. This script replays a
scenario folder in difftest.py's format (with difftest.py's own runner, imported from the
oracle's folder) and reduces each step's body to the key sequence of each object in it:

  {"scenario": "notes_create_and_retrieve",
   "steps": [{"step": "create", "objects": {"$": ["id", "title", "body", ...]}},
             {"step": "list", "objects": {"$": ["count", "next", "previous", "results"],
                                          "$.results[0]": ["id", "title", ...]}}]}

Modes
  record --base URL --scenarios DIR [--out DIR] [--only NAME ...]
      Replay against the reference Django and write one NAME.json per scenario into --out
      (default: key_order/ beside the scenario folder, that is beside its expected/).
  check --sut URL --scenarios DIR [--key-order DIR] [--only NAME ...]
      Replay against a server and compare with the recordings: PASS or FAIL per scenario, each
      differing step with the first differing object, then "N passed, M failed"; exit 1 on a
      difference. Steps that deviations.json (beside the scenario folder, or --deviations)
      deviates in status or body are skipped: there Portcullis deliberately answers otherwise.

Only keys are recorded, never values, so steps whose values are random compare fine. Steps
recorded with "record": "status" are skipped, as difftest.py skips their bodies. The oracle's
folder is $SHARED/oracle (SHARED defaults to ../shared beside the repository).

Python 3 standard library only.
"""
import argparse
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED", ROOT.parent / "shared"))


def load_difftest():
    """difftest.py imported as a module from the oracle's folder (not copied into the tree)."""
    path = SHARED / "oracle" / "difftest.py"
    spec = importlib.util.spec_from_file_location("difftest", path)
    if spec is None or spec.loader is None:
        sys.exit("cannot import %s" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


difftest = load_difftest()

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def child_path(parent, key):
    return "%s.%s" % (parent, key) if IDENT.match(key) else "%s[%s]" % (parent, json.dumps(key))


class Obj(list):
    """A JSON object as the list of its (key, value) members, in the order they came."""


def key_sequences(value, path="$", out=None):
    """{path: [key, ...]} for every object in a body parsed with object_pairs_hook=Obj (so the
    keys keep their order on the wire), in document order."""
    out = {} if out is None else out
    if isinstance(value, Obj):
        out[path] = [k for k, _ in value]
        for k, v in value:
            key_sequences(v, child_path(path, k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            key_sequences(v, "%s[%d]" % (path, i), out)
    return out


def body_objects(exchange):
    """The key sequences of a response's JSON body; {} when the body is not JSON."""
    ctype = (exchange.headers.get("content-type") or "").lower() if exchange.headers else ""
    if "json" not in ctype or not exchange.body:
        return {}
    try:
        data = json.loads(exchange.body.decode("utf-8"), object_pairs_hook=Obj)
    except ValueError:
        return {"<unparseable-json>": []}
    return key_sequences(data)


def run(sc, base, signing_key):
    """Replay one scenario; a list of {"step", "objects"} (or "error") in step order."""
    log = []
    difftest.run_scenario(sc, base, signing_key, raw_log=log)
    full = {}
    for step in sc["steps"]:
        full[step.get("name", "step")] = step.get("record", "full") == "full"
    steps = []
    for label, _method, _path, _headers, _body, ex in log:
        entry = {"step": label}
        if ex.error:
            entry["error"] = ex.error
        elif full.get(label, full.get(label.rsplit("#", 1)[0], True)):
            entry["objects"] = body_objects(ex)
        steps.append(entry)
    return steps


def file_text(name, steps):
    """A recording as written to disk: one line per object, so a changed order is a one-line diff."""
    dumps = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    lines = ['{"scenario": %s, "steps": [' % dumps(name)]
    for n, step in enumerate(steps):
        sep = "," if n + 1 < len(steps) else ""
        if "objects" not in step or not step["objects"]:
            lines.append(" %s%s" % (dumps(step), sep))
            continue
        lines.append(' {"step": %s, "objects": {' % dumps(step["step"]))
        objects = list(step["objects"].items())
        for m, (path, keys) in enumerate(objects):
            lines.append("  %s: %s%s" % (dumps(path), dumps(keys), "," if m + 1 < len(objects) else ""))
        lines.append(" }}%s" % sep)
    lines.append("]}")
    return "\n".join(lines) + "\n"


def cmd_record(args):
    scenarios = difftest.load_scenarios(args.scenarios, args.only)
    out = Path(args.out or Path(args.scenarios).parent / "key_order")
    out.mkdir(parents=True, exist_ok=True)
    for sc in scenarios:
        steps = run(sc, args.base, args.signing_key)
        (out / ("%s.json" % sc["name"])).write_text(file_text(sc["name"], steps), encoding="utf-8")
        errors = sum(1 for s in steps if "error" in s)
        print("recorded %s (%d steps%s)" % (sc["name"], len(steps), ", %d errors" % errors if errors else ""))
    print("%d scenarios recorded into %s" % (len(scenarios), out))
    return 0


def deviated_steps(entries):
    """Step patterns whose status or body Portcullis deliberately answers otherwise."""
    return [e["step"] for e in entries or [] if "status" in e or "body" in e]


def differences(want, got, most=3):
    """The first few objects whose keys differ, as text."""
    out = []
    for path in list(want) + [p for p in got if p not in want]:
        if want.get(path) != got.get(path):
            out.append("%s: expected %s, got %s" % (path, want.get(path), got.get(path)))
    more = "; and %d more" % (len(out) - most) if len(out) > most else ""
    return "; ".join(out[:most]) + more


def compare(expected, actual, skipped):
    """Lines describing each differing step (empty when the key orders agree)."""
    lines = []
    for i in range(max(len(expected), len(actual))):
        want = expected[i] if i < len(expected) else None
        got = actual[i] if i < len(actual) else None
        label = (want or got)["step"]
        if any(difftest._step_matches(s, label) for s in skipped):
            continue
        if want is None or got is None or want["step"] != got["step"]:
            lines.append("    step %s: missing on one side" % label)
        elif "error" in got or "error" in want:
            lines.append("    step %s: %s" % (label, got.get("error") or "recorded with an error"))
        elif "objects" in want and want["objects"] != got.get("objects"):
            diff = differences(want["objects"], got.get("objects") or {})
            lines.append("    step %s differs at %s" % (label, diff))
    return lines


def cmd_check(args):
    scenarios = difftest.load_scenarios(args.scenarios, args.only)
    recorded = Path(args.key_order or Path(args.scenarios).parent / "key_order")
    devs = difftest.load_deviations(args.deviations, args.scenarios)
    passed = failed = 0
    for sc in scenarios:
        p = recorded / ("%s.json" % sc["name"])
        if not p.exists():
            print("FAIL %s\n    no key-order recording at %s" % (sc["name"], p.name))
            failed += 1
            continue
        expected = json.loads(p.read_text(encoding="utf-8"))["steps"]
        lines = compare(expected, run(sc, args.sut, args.signing_key), deviated_steps(devs.get(sc["name"])))
        print("%s %s" % ("FAIL" if lines else "PASS", sc["name"]))
        for line in lines:
            print(line)
        failed += bool(lines)
        passed += not lines
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="record and check the key order of JSON answers")
    sub = ap.add_subparsers(dest="mode", required=True)
    for name, fn in (("record", cmd_record), ("check", cmd_check)):
        p = sub.add_parser(name)
        p.add_argument("--scenarios", required=True, help="scenario folder (difftest.py format)")
        p.add_argument("--only", action="append", help="scenario name or pattern (repeatable)")
        p.add_argument("--signing-key", default=os.environ.get("ORACLE_SIGNING_KEY", difftest.DEFAULT_SIGNING_KEY))
        p.set_defaults(fn=fn)
    record = sub.choices["record"]
    record.add_argument("--base", required=True, help="the reference Django's URL")
    record.add_argument("--out", help="default: key_order/ beside the scenario folder")
    check = sub.choices["check"]
    check.add_argument("--sut", required=True, help="the server under test's URL")
    check.add_argument("--key-order", help="recordings (default: key_order/ beside the scenario folder)")
    check.add_argument("--deviations", help="default: deviations.json beside the scenario folder")
    args = ap.parse_args(argv)
    if args.mode == "check" and args.deviations is None:
        default = Path(args.scenarios).parent / "deviations.json"
        args.deviations = str(default) if default.exists() else None
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
