#!/usr/bin/env bash
# Throughput of Portcullis against the Django reference, measured in the same run with the
# reference's own wrk script (../shared/oracle/bench.sh), printed as ratios. Run by hand.
#
#   bench/compare_oracle.sh            (DURATION=10s per endpoint; needs wrk and the oracle venv)
set -euo pipefail
cd "$(dirname "$0")/.."
ORACLE="${ORACLE_DIR:-$PWD/../shared/oracle}"
export DURATION="${DURATION:-10s}"
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
cargo build --release -q -p portcullis
WORK="$(mktemp -d)"
trap 'kill $REF $SUT 2>/dev/null || true; rm -rf "$WORK"' EXIT
ORACLE_DB="$WORK/oracle.sqlite3" "$ORACLE/serve.sh" 18901 >"$WORK/ref.log" 2>&1 &
REF=$!
# The benchmark measures the request path, not throttling. Rates this high need a byte bound of
# at least 256 bytes per request of a period (throttle.max_bytes).
PORTCULLIS_THROTTLE__RATES='{anon = "1000000/min", user = "1000000/min", login = "1000000/min"}' \
  PORTCULLIS_THROTTLE__MAX_BYTES=268435456 \
  ORACLE_SUT_DIR="$WORK/sut" scripts/serve-oracle-config.sh 18902 target/release/portcullis >"$WORK/sut.log" 2>&1 &
SUT=$!
for port in 18901 18902; do
  for _ in $(seq 1 100); do curl -fs -o /dev/null -X OPTIONS "http://127.0.0.1:$port/api-token-auth/" && break; sleep 0.2; done
done
"$ORACLE/bench.sh" http://127.0.0.1:18901 | tee "$WORK/ref.txt"
"$ORACLE/bench.sh" http://127.0.0.1:18902 | tee "$WORK/sut.txt"
python3 - "$WORK/ref.txt" "$WORK/sut.txt" <<'PY'
import re, sys
def rps(path):
    out = {}
    for line in open(path):
        m = re.match(r"^(\S+ \S+(?: \(.*?\))?)\s+rps=([\d.]+)\s+p50=(\S+)", line)
        if m:
            out[m.group(1)] = (float(m.group(2)), m.group(3))
    return out
ref, sut = rps(sys.argv[1]), rps(sys.argv[2])
print("\n%-32s %12s %12s %8s" % ("endpoint", "Django rps", "Portcullis", "ratio"))
for name, (r, _) in ref.items():
    s = sut.get(name, (0.0, "?"))[0]
    print("%-32s %12.1f %12.1f %7.1fx" % (name, r, s, s / r if r else 0))
PY
