#!/usr/bin/env bash
# kill -9 soak (issue 11 §4, decision 120): the crash test (scripts/crash-test.sh) many times
# over. Writers keep creating drafts, filling in their steps and submitting them while the
# server is killed with `kill -9` KILLS times, each at a random moment, and started again on
# the same database. Then:
#   - every acknowledged write (303) is present exactly once: each acknowledged new draft
#     exists, and no more cases exist than were asked for; each acknowledged submission is
#     submitted;
#   - exactly one outbox row per state change: each submitted case has exactly one
#     submission in its history, one notification and one e-mail; a case that is not
#     submitted has none of them (no half-written change survives a kill).
# It runs against PostgreSQL in a scratch database that it creates and drops.
#
#   KILLS=200 bash scripts/kill-soak.sh
#
# Environment:
#   KILLS          how many times the server is killed (default 20; CI runs 5)
#   SKRIVERE       writers at once (default 4)
#   MELLEM_MS      the longest a server lives before the kill, in ms (default 3000; the
#                  shortest is a fifth of it)
#   VITAS_BIN      a built `vitas` binary (default: cargo build --release)
#   VITAS_CRASH_PG PostgreSQL server URL without a database (default postgres://postgres@127.0.0.1:5432)
#   BEHOLD=1       keep the scratch database and folder for inspection
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS="${KILLS:-20}"
SKRIVERE="${SKRIVERE:-4}"
MELLEM_MS="${MELLEM_MS:-3000}"
PG="${VITAS_CRASH_PG:-postgres://postgres@127.0.0.1:5432}"

if [ -z "${VITAS_BIN:-}" ]; then
    echo "==> Bygger vitas (release)"
    cargo build --release -p server --bin vitas
    VITAS_BIN="${CARGO_TARGET_DIR:-target}/release/vitas"
fi

MAPPE="$(mktemp -d)"
DB="vitas_soak_$$"
URL="$PG/$DB"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ADR="http://127.0.0.1:$PORT"
JAR="$MAPPE/cookies"
SERVER_PID=""
LAST_PID=""

ryd_op() {
    [ -n "$SERVER_PID" ] && { kill -9 "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true
    [ -n "$LAST_PID" ] && kill "$LAST_PID" 2>/dev/null || true
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
    for _ in $(seq 1 400); do
        if curl -fs "$ADR/healthz" >/dev/null 2>&1; then return 0; fi
        sleep 0.05
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
SESSION="$(awk '$6 == "vitas_session" { print $7 }' "$JAR")"
# The CSRF token is derived from the session id (decision 57), so it outlives a restart.
TOKEN="$(curl -fs -b "$JAR" "$ADR/" | sed -n 's/.*<meta name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -n 1)"
if [ -z "$SESSION" ] || [ -z "$TOKEN" ]; then echo "FEJL: intet login (session/CSRF-token)" >&2; exit 1; fi
FOER="$(sql "SELECT coalesce(max(id), 0) FROM sag")"

# The writers: a new draft, its four steps, the submission, again and again; every request
# and its answer as a JSON line. A refused connection (the server is down) is retried.
cat > "$MAPPE/skriv.py" <<'PY'
import datetime, http.client, json, os, sys, threading, time, urllib.parse
port, session, token, ud, stop, antal = sys.argv[1:7]
start = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
slut = (datetime.date.today() + datetime.timedelta(days=194)).isoformat()
TRIN = [
    {"pnummer": "1003456781", "konfliktramt": "nej", "konflikt_kommentar": ""},
    {"rimelighed_ansatte": "40,00", "allerede_stoettede": "0", "merbeskaeftigelse_seneste": "42,00"},
    {"samtykke": "on", "cpr": "010190-1234", "oeremaerket": "ja", "startdato": start, "slutdato": slut, "timer": "37",
     "stillingsbetegnelse": "Lagermedarbejder", "jobindhold": "Plukning og pakning af varer.", "timeloen": "150,00"},
    {"kontakt_navn": "Lone Kjær", "kontakt_email": "lone@nordlys.dk", "kontakt_telefon": "33 12 34 56",
     "arbejdssted_navn": "Per Lund", "arbejdssted_email": "per.lund@nordlys.dk", "arbejdssted_telefon": "33123457",
     "rep_navn": "Søren Bak", "rep_email": "soeren.bak@nordlys.dk", "rep_telefon": ""},
]
laas = threading.Lock()
fil = open(ud, "a")
def post(sti, felter):
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        c.request("POST", sti, body=urllib.parse.urlencode(felter), headers={
            "Cookie": "vitas_session=" + session, "X-CSRF-Token": token,
            "Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse(); r.read(); c.close()
        svar = (r.status, r.getheader("Location"))
    except Exception as e:
        svar = ("fejl", str(e))
    with laas:
        fil.write(json.dumps({"sti": sti, "status": svar[0], "location": svar[1]}) + "\n"); fil.flush()
    return svar
def skriver():
    while not os.path.exists(stop):
        status, til = post("/ansoegninger/ny", {"ordning": "loentilskud"})
        if status != 303:
            time.sleep(0.05); continue
        sag = til.split("/sager/")[1].split("/")[0]
        for i, felter in enumerate(TRIN, start=1):
            if post("/sager/%s/trin/%d" % (sag, i), felter)[0] != 303:
                break
        else:
            post("/sager/%s/indsend" % sag, {"bemaerkning": "Kill-soak"})
traade = [threading.Thread(target=skriver) for _ in range(int(antal))]
for t in traade: t.start()
for t in traade: t.join()
PY

echo "==> $SKRIVERE skrivere; serveren dræbes med kill -9 $KILLS gange"
python3 "$MAPPE/skriv.py" "$PORT" "$SESSION" "$TOKEN" "$MAPPE/svar.jsonl" "$MAPPE/stop" "$SKRIVERE" &
LAST_PID=$!
: > "$MAPPE/genstart"
for i in $(seq 1 "$KILLS"); do
    sleep "$(python3 -c "import random; print(random.uniform($MELLEM_MS / 5000, $MELLEM_MS / 1000))")"
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    foer_start="$(date +%s%N)"
    start_server
    echo $(( ($(date +%s%N) - foer_start) / 1000000 )) >> "$MAPPE/genstart"
    if [ $((i % 20)) = 0 ]; then echo "    $i drab"; fi
done
sleep 1
touch "$MAPPE/stop"
wait "$LAST_PID" || true
LAST_PID=""

echo "==> Kontrol"
FEJL=0
python3 - "$MAPPE/svar.jsonl" "$MAPPE" <<'PY'
import json, sys
linjer = [json.loads(l) for l in open(sys.argv[1])]
mappe = sys.argv[2]
ny = [l for l in linjer if l["sti"] == "/ansoegninger/ny"]
with open(mappe + "/kvitteret_ny", "w") as f:
    for l in ny:
        if l["status"] == 303:
            f.write(l["location"].split("/sager/")[1].split("/")[0] + "\n")
with open(mappe + "/kvitteret_indsend", "w") as f:
    for l in linjer:
        if l["sti"].endswith("/indsend") and l["status"] == 303:
            f.write(l["sti"].split("/")[2] + "\n")
# A new draft that got no answer may or may not exist; one refused before it was sent cannot.
with open(mappe + "/forsoegt_ny", "w") as f:
    f.write(str(len([l for l in ny if not (l["status"] == "fejl" and "refused" in (l["location"] or ""))])))
andre = [l for l in linjer if l["status"] not in (303, "fejl")]
print("    forespørgsler: %d, kvitteret (303): %d, uden svar: %d, andre svar: %d" % (
    len(linjer), len([l for l in linjer if l["status"] == 303]), len([l for l in linjer if l["status"] == "fejl"]), len(andre)))
for l in andre[:10]:
    print("    andet svar: %s %s" % (l["status"], l["sti"]))
PY
KV_NY="$(wc -l < "$MAPPE/kvitteret_ny")"
KV_INDSEND="$(wc -l < "$MAPPE/kvitteret_indsend")"
FORSOEGT="$(cat "$MAPPE/forsoegt_ny")"
sql "SELECT s.id,
        s.ansoegning_status = 'sendt_til_medarbejder_rep',
        (SELECT count(*) FROM sagshaendelse h WHERE h.sag_id = s.id AND h.handling LIKE 'Indsend%'),
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'notifikation'),
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'email')
     FROM sag s WHERE s.id > $FOER ORDER BY s.id" > "$MAPPE/sager"
cut -d'|' -f1 "$MAPPE/sager" | sort > "$MAPPE/i_databasen"
SAGER="$(wc -l < "$MAPPE/i_databasen")"
MANGLER="$(sort -u "$MAPPE/kvitteret_ny" | comm -23 - "$MAPPE/i_databasen" | wc -l)"
if [ "$MANGLER" != 0 ]; then echo "FEJL: $MANGLER kvitterede kladder findes ikke" >&2; FEJL=1; fi
if [ "$SAGER" -gt "$FORSOEGT" ]; then echo "FEJL: $SAGER sager, men kun $FORSOEGT forsøgt oprettet" >&2; FEJL=1; fi
INDSENDT=0
while IFS='|' read -r id sendt hist notif mail; do
    if [ "$sendt" = t ]; then
        INDSENDT=$((INDSENDT + 1))
        if [ "$hist" != 1 ] || [ "$notif" != 1 ] || [ "$mail" != 1 ]; then
            echo "FEJL: sag $id er sendt med $hist indsendelser i historikken, $notif notifikationer og $mail e-mails (1, 1, 1)" >&2; FEJL=1
        fi
    else
        if [ "$hist" != 0 ] || [ "$notif" != 0 ] || [ "$mail" != 0 ]; then
            echo "FEJL: sag $id er ikke sendt, men har $hist indsendelser, $notif notifikationer og $mail e-mails" >&2; FEJL=1
        fi
        if grep -qx "$id" "$MAPPE/kvitteret_indsend"; then
            echo "FEJL: sag $id fik kvittering (303) for indsendelsen, men er ikke sendt" >&2; FEJL=1
        fi
    fi
done < "$MAPPE/sager"
curl -fs -o /dev/null -b "$JAR" "$ADR/" || { echo "FEJL: serveren svarer ikke efter sidste genstart" >&2; FEJL=1; }
GENSTART="$(sort -n "$MAPPE/genstart" | awk '{a[NR]=$1} END {printf "median %d ms, højst %d ms", a[int((NR+1)/2)], a[NR]}')"

echo "==> Resultat"
echo "    drab: $KILLS; genstart til /healthz svarer: $GENSTART"
echo "    kladder kvitteret: $KV_NY, sager i databasen: $SAGER (forsøgt: $FORSOEGT)"
echo "    indsendelser kvitteret: $KV_INDSEND, sendt i databasen: $INDSENDT (sendt uden kvittering: $((INDSENDT - $(sort -u "$MAPPE/kvitteret_indsend" | wc -l))))"
if [ "$FEJL" -ne 0 ]; then
    echo "KILL-SOAK FEJLEDE" >&2
    exit 1
fi
echo "KILL-SOAK OK: hver kvitteret skrivning findes præcis én gang, og hver indsendelse har præcis én notifikation og én e-mail."
