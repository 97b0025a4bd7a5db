#!/usr/bin/env bash
# A passive security scan of a running server with the headers checked (issue 14 §4;
# docs/decisions.md 83). No OWASP ZAP is available here, so scripts/sikkerhedsskanning.py
# (Python 3 standard library only) logs in as each demo role, crawls every page it reaches
# and checks every answer's headers, cookies, forms and addresses. Any finding fails it.
#
#   bash scripts/sikkerhedsskanning.sh
#
# It builds the `vitas` binary, starts it on a fresh temporary SQLite demo database on a free
# port (as scripts/schemathesis.sh does), runs the scan, and stops the server again, whatever
# happens. It leaves nothing behind.
#
# Environment:
#   CARGO_TARGET_DIR   build cache (default: $HOME/.cache/vitas-target)
#   VITAS_BIN          a vitas binary to use instead of building one
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vitas-target}"
SKANNER="$PWD/scripts/sikkerhedsskanning.py"

if [ -z "${VITAS_BIN:-}" ]; then
    cargo build --quiet --bin vitas
    VITAS_BIN="$CARGO_TARGET_DIR/debug/vitas"
fi
MAPPE="$(mktemp -d -t vitas-skanning-XXXXXX)"
SERVER_PID=""
stop() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$MAPPE"
}
trap stop EXIT

# The server as the README's first command runs it (demo mode, embedded SQLite in the data
# folder), with the default limits: the scan honours a 429's Retry-After.
VITAS_DATABASE_URL="" VITAS_LOG="${VITAS_LOG:-warn}" "$VITAS_BIN" \
    --data-dir "$MAPPE/data" --addr 127.0.0.1:0 --demo true serve >"$MAPPE/server.log" 2>&1 &
SERVER_PID=$!
# shellcheck source=scripts/vent-paa-server.sh
source scripts/vent-paa-server.sh
vent_paa_server "$SERVER_PID" "$MAPPE/server.log"
status=0
python3 "$SKANNER" "$BASE" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- serverens log ---" >&2
    tail -n 50 "$MAPPE/server.log" >&2
fi
exit "$status"
