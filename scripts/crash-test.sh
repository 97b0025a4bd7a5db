#!/usr/bin/env bash
# Crash test (issue 4 §7): kill the server with `kill -9` in the middle of a burst of
# submissions ("Underskriv og send"), start it again, and check that
#   - every submission the server acknowledged (303) exists, with exactly one notification
#     and one e-mail in the outbox;
#   - every other case is whole: either still a draft with no outbox rows, or submitted
#     with exactly one of each (the server committed, then died before it could answer);
#   - the server comes back up on the same database.
# It runs against PostgreSQL in a scratch database that it creates and drops.
#
#   bash scripts/crash-test.sh
#
# Environment:
#   ANTAL             drafts prepared and submitted in the burst (default 150)
#   SAMTIDIGE         submissions in flight at once (default 8)
#   DRAEB_VED         kill -9 once this many submissions were acknowledged (default ANTAL/3)
#   VITAS_BIN         a built `vitas` binary (default: cargo build --release)
#   VITAS_CRASH_PG    PostgreSQL server URL without a database
#                     (default postgres://postgres@127.0.0.1:5432)
#   BEHOLD=1          keep the scratch database and folder for inspection
set -euo pipefail
cd "$(dirname "$0")/.."

ANTAL="${ANTAL:-150}"
SAMTIDIGE="${SAMTIDIGE:-8}"
DRAEB_VED="${DRAEB_VED:-$((ANTAL / 3))}"
PG="${VITAS_CRASH_PG:-postgres://postgres@127.0.0.1:5432}"

if [ -z "${VITAS_BIN:-}" ]; then
    echo "==> Bygger vitas (release)"
    cargo build --release -p server --bin vitas
    VITAS_BIN="${CARGO_TARGET_DIR:-target}/release/vitas"
fi

MAPPE="$(mktemp -d)"
DB="vitas_crash_$$"
URL="$PG/$DB"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ADR="http://127.0.0.1:$PORT"
JAR="$MAPPE/cookies"
KVITTERET="$MAPPE/kvitteret"
: > "$KVITTERET"
SERVER_PID=""

ryd_op() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    if [ "${BEHOLD:-0}" != 1 ]; then
        psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
        rm -rf "$MAPPE"
    else
        echo "Beholdt: database $DB, mappe $MAPPE"
    fi
}
trap ryd_op EXIT

sql() { psql -qtA "$URL" -c "$1"; }

start_server() {
    VITAS_DATABASE_URL="$URL" "$VITAS_BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$MAPPE/data" \
        --demo true --graense-pr-minut 0 --opslag-pr-minut 0 >>"$MAPPE/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        if curl -fs "$ADR/healthz" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    echo "FEJL: serveren svarede ikke på $ADR/healthz" >&2
    tail -n 30 "$MAPPE/server.log" >&2
    exit 1
}

echo "==> Opretter databasen $DB og starter serveren på $ADR"
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null
start_server

BRUGER="$(sql "SELECT id FROM bruger WHERE email = 'lone@nordlys.dk'")"
curl -fs -o /dev/null -c "$JAR" -X POST "$ADR/demo-login/$BRUGER"
# Every POST carries the session's CSRF token (docs/decisions.md 57), as the pages' forms do.
TOKEN="$(curl -fs -b "$JAR" "$ADR/" | sed -n 's/.*<meta name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -n 1)"
if [ -z "$TOKEN" ]; then echo "FEJL: forsiden gav intet CSRF-token efter login" >&2; exit 1; fi

post() { # sti, felter… → the Location header
    local sti="$1"; shift
    local args=()
    for f in "$@"; do args+=(--data-urlencode "$f"); done
    curl -s -o /dev/null -b "$JAR" -H "X-CSRF-Token: $TOKEN" -w '%{redirect_url}' -X POST "${args[@]}" "$ADR$sti"
}

START="$(date -d '+14 days' +%F)"
SLUT="$(date -d '+194 days' +%F)"
echo "==> Udfylder $ANTAL kladder som Lone Kjær, Nordlys Logistik ApS"
IDS=()
for i in $(seq 1 "$ANTAL"); do
    til="$(post /ansoegninger/ny ordning=loentilskud)"
    id="${til#"$ADR"/sager/}"; id="${id%/trin/1}"
    post "/sager/$id/trin/1" pnummer=1003456781 konfliktramt=nej konflikt_kommentar= >/dev/null
    post "/sager/$id/trin/2" rimelighed_ansatte=40,00 allerede_stoettede=0 merbeskaeftigelse_seneste=42,00 >/dev/null
    post "/sager/$id/trin/3" samtykke=on cpr=010190-1234 oeremaerket=ja "startdato=$START" "slutdato=$SLUT" \
        timer=37 stillingsbetegnelse=Lagermedarbejder "jobindhold=Plukning og pakning af varer." timeloen=150,00 >/dev/null
    post "/sager/$id/trin/4" "kontakt_navn=Lone Kjær" kontakt_email=lone@nordlys.dk "kontakt_telefon=33 12 34 56" \
        "arbejdssted_navn=Per Lund" arbejdssted_email=per.lund@nordlys.dk arbejdssted_telefon=33123457 \
        "rep_navn=Søren Bak" rep_email=soeren.bak@nordlys.dk rep_telefon= >/dev/null
    case "$id" in
        ''|*[!0-9]*) echo "FEJL: kladde $i blev ikke oprettet (svar: $til)" >&2; exit 1 ;;
    esac
    IDS+=("$id")
done

echo "==> Sender alle $ANTAL på én gang ($SAMTIDIGE ad gangen); kill -9 efter $DRAEB_VED kvitteringer"
export ADR JAR KVITTERET TOKEN
printf '%s\n' "${IDS[@]}" | xargs -P "$SAMTIDIGE" -I{} sh -c '
    kode=$(curl -s -o /dev/null -w "%{http_code}" -b "$JAR" -H "X-CSRF-Token: $TOKEN" -X POST --data-urlencode "bemaerkning=Crash-test" "$ADR/sager/{}/indsend")
    if [ "$kode" = 303 ]; then echo {} >> "$KVITTERET"; fi' &
BYGE=$!
while [ "$(wc -l < "$KVITTERET")" -lt "$DRAEB_VED" ] && kill -0 "$BYGE" 2>/dev/null; do sleep 0.01; done
kill -9 "$SERVER_PID"
DRAEBT_VED="$(wc -l < "$KVITTERET")"
wait "$BYGE" || true
SERVER_PID=""
KVITTERINGER="$(sort -u "$KVITTERET" | wc -l)"
echo "    dræbt efter $DRAEBT_VED kvitteringer; $KVITTERINGER i alt, før forbindelserne døde"

echo "==> Starter serveren igen på samme database"
start_server

FEJL=0
IDLISTE="$(IFS=,; echo "${IDS[*]}")"
# Per case: submitted or not, and its notifications and e-mails in the outbox.
sql "SELECT s.id, s.ansoegning_status = 'sendt_til_medarbejder_rep',
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'notifikation'),
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'email')
     FROM sag s WHERE s.id IN ($IDLISTE) ORDER BY s.id" > "$MAPPE/sager"
[ "$(wc -l < "$MAPPE/sager")" -eq "$ANTAL" ] || { echo "FEJL: $ANTAL kladder forventet i databasen" >&2; FEJL=1; }
INDSENDT=0; IKKE_SENDT=0
while IFS='|' read -r id sendt notif mail; do
    if [ "$sendt" = t ]; then
        INDSENDT=$((INDSENDT + 1))
        if [ "$notif" != 1 ] || [ "$mail" != 1 ]; then
            echo "FEJL: sag $id er sendt, men har $notif notifikationer og $mail e-mails (1 og 1 forventet)" >&2; FEJL=1
        fi
    else
        IKKE_SENDT=$((IKKE_SENDT + 1))
        if [ "$notif" != 0 ] || [ "$mail" != 0 ]; then
            echo "FEJL: sag $id er ikke sendt, men har $notif notifikationer og $mail e-mails" >&2; FEJL=1
        fi
        if grep -qx "$id" "$KVITTERET"; then
            echo "FEJL: sag $id fik kvittering (303), men er ikke sendt" >&2; FEJL=1
        fi
    fi
done < "$MAPPE/sager"
# The restarted server serves the cases.
curl -fs -o /dev/null -b "$JAR" "$ADR/sager/${IDS[0]}" || { echo "FEJL: serveren svarer ikke efter genstart" >&2; FEJL=1; }

echo "==> Resultat"
echo "    kladder: $ANTAL, kvitteret: $KVITTERINGER, sendt i databasen: $INDSENDT, ikke sendt: $IKKE_SENDT"
echo "    sendt uden kvittering (gemt, men serveren døde før svaret): $((INDSENDT - KVITTERINGER))"
if [ "$FEJL" -ne 0 ]; then
    echo "CRASH-TEST FEJLEDE" >&2
    exit 1
fi
if [ "$KVITTERINGER" -ge "$ANTAL" ]; then
    echo "Bemærk: alle blev kvitteret før drabet; sæt DRAEB_VED lavere for at ramme midt i byget."
fi
echo "CRASH-TEST OK: hver kvitteret indsendelse findes med præcis én notifikation og én e-mail; ingen halve sager."
