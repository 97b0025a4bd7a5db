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

# The server as the README's first command runs it (demo mode, embedded SQLite in the data
# folder), with the default limits: the scan honours a 429's Retry-After.
# shellcheck source=scripts/demoserver.sh
source scripts/demoserver.sh
start_demoserver vitas-skanning "$VITAS_BIN"
status=0
python3 "$SKANNER" "$BASE" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- serverens log ---" >&2
    tail -n 50 "$MAPPE/server.log" >&2
fi
exit "$status"
