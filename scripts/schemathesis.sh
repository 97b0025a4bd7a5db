#!/usr/bin/env bash
# Property-based test of the external API against its own OpenAPI document (issue 4 §4):
# schemathesis generates requests from /api/openapi.json and fails on any server error (5xx)
# or any response that does not match the documented schema.
#
#   bash scripts/schemathesis.sh
#
# It builds the `vitas` binary, starts it on a fresh temporary SQLite demo database on a free
# port, gets a token for the demo client (docs/api.md), runs schemathesis, and stops the
# server again, whatever happens. Safe to run again; it leaves nothing behind.
#
# Environment:
#   CARGO_TARGET_DIR            build cache (default: $HOME/.cache/vitas-target)
#   SCHEMATHESIS_MAX_EXAMPLES   test cases per operation (default: 25)
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vitas-target}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
DEMO_KLIENT="vitas-demo"
DEMO_HEMMELIGHED="demo-hemmelighed-kun-til-demo"

# ---- 1. schemathesis (PyPI), only when missing -----------------------------------------------
if ! python3 -m schemathesis.cli --version >/dev/null 2>&1 && ! command -v schemathesis >/dev/null 2>&1; then
    echo "Installerer schemathesis fra PyPI"
    python3 -m pip install --quiet schemathesis
fi
if command -v schemathesis >/dev/null 2>&1; then
    ST=(schemathesis)
else
    ST=(python3 -m schemathesis.cli)
fi
echo "$("${ST[@]}" --version)"

# ---- 2. The server on a fresh SQLite demo database ------------------------------------------
cargo build --quiet --bin vitas

# Port 0: the kernel picks a free port, and the server prints the one it got. The API's
# per-client rate limit is off: schemathesis sends more than a minute's allowance, and 429s
# would stand in for the answers it is here to check (the limit has its own tests).
# shellcheck source=scripts/demoserver.sh
source scripts/demoserver.sh
start_demoserver vitas-schemathesis "$CARGO_TARGET_DIR/debug/vitas" VITAS_API_GRAENSE_PR_MINUT=0

# ---- 3. A token for the demo client ----------------------------------------------------------
TOKEN="$(curl -fsS -u "$DEMO_KLIENT:$DEMO_HEMMELIGHED" -d grant_type=client_credentials "$BASE/api/oauth/token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"

# ---- 4. schemathesis ---------------------------------------------------------------------------
# From the temporary folder, so its cache (.schemathesis/) never lands in the work tree.
cd "$MAPPE"
"${ST[@]}" run "$BASE/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    -H "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" \
    --seed 4 \
    --generation-database none \
    --no-color \
    --report-dir "$MAPPE/rapport"
echo "schemathesis: ingen serverfejl og ingen afvigelser fra skemaet"
