#!/usr/bin/env bash
# Schemathesis against Portcullis's own OpenAPI document: the debug (or given) binary served as
# the oracle configuration is served (scripts/serve-oracle-config.sh), with throttle rates raised
# so that no generated request is throttled, tested anonymously and with a DRF token of a user
# registered for the run. Checks: no server error, status codes, content types, response headers
# and bodies conforming to the document. Prints `N passed, M failed` (operations) last.
#
#   scripts/schemathesis.sh [PORT] [BINARY]
#
# PORT defaults to 19200; BINARY to target/debug/portcullis. Schemathesis (pinned below) is
# installed on first use into its own venv under target/. ST_MAX_EXAMPLES sets the examples per
# operation and phase (default 40). ST_CONFIG names another configuration to start from (default
# config/oracle.toml; its registration must stay open to `{username, password, email}`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-19200}"
BIN="${2:-target/debug/portcullis}"
VERSION="4.32.5"
VENV="${CARGO_TARGET_DIR:-target}/schemathesis-venv"
EXAMPLES="${ST_MAX_EXAMPLES:-40}"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$VERSION" </dev/null
fi

WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The oracle's configuration with every throttle rate raised.
sed -e 's|^rates = .*|rates = { anon = "100000/min", user = "100000/min", login = "100000/min" }|' \
  "${ST_CONFIG:-config/oracle.toml}" >"$WORK/portcullis.toml"
sed -i 's|^\[throttle\]$|[throttle]\nfailed_logins_per_account = "100000/hour"|' "$WORK/portcullis.toml"
PORTCULLIS_CONF="$WORK/portcullis.toml" ORACLE_SUT_DIR="$WORK/db" \
  scripts/serve-oracle-config.sh "$PORT" "$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$BASE/api/schema/" && break; sleep 0.2; done

# A user of the run and its DRF token (djoser's registration, then authtoken's login).
curl -fs -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"schemathesis","password":"st-pass-9d8c7b6a","email":"st@example.com"}' \
  "$BASE/auth/users/"
TOKEN="$(curl -fs -H 'Content-Type: application/json' \
  -d '{"username":"schemathesis","password":"st-pass-9d8c7b6a"}' "$BASE/api-token-auth/" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
PASSED=0
FAILED=0
# One run: its name, then schemathesis's own arguments.
run() {
  local name="$1"
  shift
  echo "--- schemathesis: $name"
  set +e
  "$VENV/bin/st" run "$BASE/api/schema/?format=json" --checks "$CHECKS" \
    --max-examples "$EXAMPLES" --seed 1 --no-color --generation-database none --phases examples,coverage,fuzzing \
    --report junit --report-junit-path "$WORK/$name.xml" "$@" </dev/null 2>&1 | tee "$WORK/$name.log"
  set -e
  # No report (schemathesis did not run) counts as one failure.
  read -r p f < <(python3 - "$WORK/$name.xml" 2>/dev/null <<'PY' || echo "0 1"
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
print(passed, failed)
PY
  )
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}
# Logging out (one token, or all of them) would end the authenticated run's session; deleting
# the user takes its current password, which no generated body has.
run anonymous
run authenticated -H "Authorization: Token $TOKEN" \
  --exclude-path /auth/token/logout/ --exclude-path /auth/logout_all/ \
  --exclude-operation-id auth_users_me_destroy --exclude-operation-id auth_users_destroy
REQUESTS="$(cat "$WORK"/*.log | grep -Eo '[0-9]+ generated' | awk '{s+=$1} END {print s+0}')"
echo "requests generated: ${REQUESTS:-unknown}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
