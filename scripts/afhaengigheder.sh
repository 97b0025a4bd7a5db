#!/usr/bin/env bash
# The dependencies, checked with cargo-deny against deny.toml (issue 14 §4; docs/decisions.md
# 84; docs/security.md "What CI runs"):
#
#   - licenses, bans, sources: always. Offline: they read Cargo.lock and the crates' manifests
#     in ~/.cargo/registry, which the build has already fetched. A failure fails CI.
#   - advisories (the RustSec database, the `cargo audit` equivalent): the database is a git
#     repository on GitHub, which this machine cannot reach. So:
#       VITAS_ADVISORY_DB=<a checkout of github.com/rustsec/advisory-db>  checks against that
#         copy without fetching (its date is printed: a copy is only as new as its last pull);
#       otherwise the fetch is tried once with a time limit; when it fails, the step says in
#         capitals that advisories were NOT checked, and CI goes on (an unreachable network
#         must not make CI red, nor silently green: the message is the honest result).
#     A copy that is found and reports a vulnerability fails CI.
#
#   bash scripts/afhaengigheder.sh
#
# cargo-deny is installed from crates.io when missing (`cargo install --locked`, pinned
# version, its own target directory that is removed afterwards). Measured here: 18 min 18 s
# wall clock with -j1 on this 2-core machine while three other builds ran, 253 s of CPU in all
# (so roughly 2–3 minutes on two idle cores). A machine that keeps ~/.cargo/bin pays it once;
# the checks themselves take 2–5 s.
set -euo pipefail

cd "$(dirname "$0")/.."
DENY_VERSION="${DENY_VERSION:-0.20.2}"

if ! command -v cargo-deny >/dev/null 2>&1; then
    echo "Installerer cargo-deny $DENY_VERSION fra crates.io (kun første gang)"
    BYG="$(mktemp -d -t cargo-deny-byg-XXXXXX)"
    start=$SECONDS
    cargo install --locked --quiet cargo-deny --version "$DENY_VERSION" --target-dir "$BYG"
    rm -rf "$BYG"
    echo "cargo-deny installeret på $((SECONDS - start)) s"
fi
cargo deny --version

echo "==> cargo deny check licenses bans sources"
cargo deny --log-level error check licenses bans sources

echo "==> cargo deny check advisories"
if [ -n "${VITAS_ADVISORY_DB:-}" ]; then
    # cargo-deny keeps each database in a folder named after its URL under db-path: point a
    # throw-away db-path at the given copy, and do not fetch.
    DB_ROD="$(mktemp -d -t advisory-dbs-XXXXXX)"
    trap 'rm -rf "$DB_ROD"' EXIT
    ln -s "$(cd "$VITAS_ADVISORY_DB" && pwd)" "$DB_ROD/advisory-db-3157b0e258782691"
    sed "s|^\[advisories\]|[advisories]\ndb-path = \"$DB_ROD\"|" deny.toml >"$DB_ROD/deny.toml"
    dato="$(git -C "$VITAS_ADVISORY_DB" log -1 --format=%cI 2>/dev/null || echo ukendt)"
    echo "Bruger advisory-databasen i $VITAS_ADVISORY_DB (seneste ændring $dato), uden at hente"
    cargo deny --offline --log-level error --config "$DB_ROD/deny.toml" check advisories
    exit 0
fi
UD="$(mktemp -t deny-advisories-XXXXXX)"
if timeout 300 cargo deny --log-level error check advisories 2>"$UD"; then
    echo "Ingen kendte sårbarheder (RustSec-databasen er hentet nu)"
elif grep -q "failed to fetch advisory database" "$UD"; then
    # Not a finding: the database could not be fetched (no GitHub here). Said loudly, and
    # CI goes on: an unreachable network must neither make CI red nor pass for a check.
    grep -m1 "failed to fetch" "$UD" | cut -c1-200
    echo "ADVARSEL: SÅRBARHEDER ER IKKE TJEKKET: RustSec-databasen kunne ikke hentes fra GitHub." \
        "Sæt VITAS_ADVISORY_DB til en kopi af github.com/rustsec/advisory-db for at tjekke mod den."
else
    cat "$UD" >&2
    rm -f "$UD"
    exit 1
fi
rm -f "$UD"
