#!/usr/bin/env bash
# Fault test (issue 11 §4, decision 120): PostgreSQL stopped for 10 s under a load of reads and
# writes. VITAS runs on a PostgreSQL cluster of its own (initdb into a scratch folder, pg_ctl
# on a free port), so the machine's main cluster is never touched. While a load generator
# reads pages and writes (new drafts, submissions), the cluster is stopped with
# `pg_ctl stop -m fast`, kept down for NEDE seconds and started again. Then it checks:
#   - during the outage every request was answered, within seconds, by the Danish 503 page
#     "Databasen er midlertidigt utilgængelig" with Retry-After: no hang, no 500, no crash;
#   - the same server process (no restart) answers normally within 5 s of the database's
#     return: every request started 5 s after it succeeded (the figures are printed);
#   - no acknowledged write is lost: every draft answered 303 exists, every submission
#     answered 303 is submitted with exactly one notification and one e-mail in the outbox,
#     and no unsubmitted draft has any;
#   - the worker resumes: every webhook delivery (one per notification, to a receiver of its
#     own) is delivered after the outage.
#
#   bash scripts/pg-fault-test.sh
#
# Environment:
#   VITAS_BIN   a built `vitas` binary (default: cargo build --release)
#   KLADDER     drafts prepared for submissions under load (default 40)
#   NEDE        seconds the database is down (default 10)
#   PG_BIN      PostgreSQL's programs (default /usr/lib/postgresql/15/bin)
#   BEHOLD=1    keep the scratch folder (cluster, logs, the load's record) for inspection
set -euo pipefail
cd "$(dirname "$0")/.."

KLADDER="${KLADDER:-40}"
NEDE="${NEDE:-10}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

if [ -z "${VITAS_BIN:-}" ]; then
    echo "==> Bygger vitas (release)"
    cargo build --release -p server --bin vitas
    VITAS_BIN="${CARGO_TARGET_DIR:-target}/release/vitas"
fi
VITAS_BIN="$(realpath "$VITAS_BIN")"

ledig_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

MAPPE="$(mktemp -d)"
chmod 755 "$MAPPE"
PGROD="$MAPPE/pg"
PGPORT="$(ledig_port)"
PORT="$(ledig_port)"
MPORT="$(ledig_port)"
URL="postgres://postgres@127.0.0.1:$PGPORT/vitas"
ADR="http://127.0.0.1:$PORT"
JAR="$MAPPE/cookies"
HEMMELIGHED="fejltest-hemmelighed-$(date +%s)"
SERVER_PID=""
MODTAGER_PID=""

# PostgreSQL refuses to run as root: as root (CI), its programs run as the user postgres.
som_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_ctl() { som_pg "$PG_BIN/pg_ctl" -D "$PGROD/data" -l "$PGROD/postgres.log" "$@"; }

ryd_op() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$MODTAGER_PID" ] && kill "$MODTAGER_PID" 2>/dev/null || true
    [ -n "${LAST_PID:-}" ] && kill "$LAST_PID" 2>/dev/null || true
    pg_ctl stop -m immediate >/dev/null 2>&1 || true
    if [ "${BEHOLD:-0}" != 1 ]; then
        rm -rf "$MAPPE"
    else
        echo "Beholdt: $MAPPE"
    fi
}
trap ryd_op EXIT

echo "==> Egen PostgreSQL-klynge i $PGROD på port $PGPORT"
mkdir -p "$PGROD"
[ "$(id -u)" = 0 ] && chown postgres "$PGROD"
som_pg "$PG_BIN/initdb" -D "$PGROD/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
pg_ctl -w -o "-p $PGPORT -k $PGROD -c listen_addresses=127.0.0.1" start >/dev/null
psql -q "postgres://postgres@127.0.0.1:$PGPORT/postgres" -c "CREATE DATABASE vitas" >/dev/null
sql() { psql -qtA "$URL" -c "$1"; }

echo "==> Webhook-modtager på port $MPORT og vitas på $ADR"
"$VITAS_BIN" webhook-modtager --lyt "127.0.0.1:$MPORT" --hemmelighed "$HEMMELIGHED" --log "$MAPPE/modtaget.jsonl" \
    >"$MAPPE/modtager.log" 2>&1 &
MODTAGER_PID=$!
VITAS_DATABASE_URL="$URL" VITAS_OUTBOX_GRUNDINTERVAL_MS=500 VITAS_OUTBOX_LOFT_SEK=5 "$VITAS_BIN" serve \
    --addr "127.0.0.1:$PORT" --data-dir "$MAPPE/data" --demo true --graense-pr-minut 0 --opslag-pr-minut 0 \
    >"$MAPPE/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
    if curl -fs "$ADR/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "FEJL: serveren stoppede" >&2; tail -n 30 "$MAPPE/server.log" >&2; exit 1; }
    sleep 0.25
done
curl -fs "$ADR/healthz" >/dev/null || { echo "FEJL: serveren svarede ikke" >&2; tail -n 30 "$MAPPE/server.log" >&2; exit 1; }
# Only the notifications after the subscription go to the receiver.
FOER_OUTBOX="$(psql -qtA "$URL" -c "SELECT coalesce(max(id), 0) FROM outbox")"
VITAS_DATABASE_URL="$URL" "$VITAS_BIN" abonner --jobcenter 0101 --url "http://127.0.0.1:$MPORT/vitas" \
    --hemmelighed "$HEMMELIGHED" >/dev/null

BRUGER="$(sql "SELECT id FROM bruger WHERE email = 'lone@nordlys.dk'")"
curl -fs -o /dev/null -c "$JAR" -X POST "$ADR/demo-login/$BRUGER"
SESSION="$(awk '$6 == "vitas_session" { print $7 }' "$JAR")"
TOKEN="$(curl -fs -b "$JAR" "$ADR/" | sed -n 's/.*<meta name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -n 1)"
if [ -z "$SESSION" ] || [ -z "$TOKEN" ]; then echo "FEJL: intet login (session/CSRF-token)" >&2; exit 1; fi

post() { # sti, felter… → the Location header
    local sti="$1"; shift
    local args=()
    for f in "$@"; do args+=(--data-urlencode "$f"); done
    curl -s -o /dev/null -b "$JAR" -H "X-CSRF-Token: $TOKEN" -w '%{redirect_url}' -X POST "${args[@]}" "$ADR$sti"
}

START="$(date -d '+14 days' +%F)"
SLUT="$(date -d '+194 days' +%F)"
echo "==> Udfylder $KLADDER kladder som Lone Kjær, Nordlys Logistik ApS"
: > "$MAPPE/kladder"
for i in $(seq 1 "$KLADDER"); do
    til="$(post /ansoegninger/ny ordning=loentilskud)"
    id="${til#"$ADR"/sager/}"; id="${id%/trin/1}"
    case "$id" in
        ''|*[!0-9]*) echo "FEJL: kladde $i blev ikke oprettet (svar: $til)" >&2; exit 1 ;;
    esac
    post "/sager/$id/trin/1" pnummer=1003456781 konfliktramt=nej konflikt_kommentar= >/dev/null
    post "/sager/$id/trin/2" rimelighed_ansatte=40,00 allerede_stoettede=0 merbeskaeftigelse_seneste=42,00 >/dev/null
    post "/sager/$id/trin/3" samtykke=on cpr=010190-1234 oeremaerket=ja "startdato=$START" "slutdato=$SLUT" \
        timer=37 stillingsbetegnelse=Lagermedarbejder "jobindhold=Plukning og pakning af varer." timeloen=150,00 >/dev/null
    post "/sager/$id/trin/4" "kontakt_navn=Lone Kjær" kontakt_email=lone@nordlys.dk "kontakt_telefon=33 12 34 56" \
        "arbejdssted_navn=Per Lund" arbejdssted_email=per.lund@nordlys.dk arbejdssted_telefon=33123457 \
        "rep_navn=Søren Bak" rep_email=soeren.bak@nordlys.dk rep_telefon= >/dev/null
    echo "$id" >> "$MAPPE/kladder"
done

# The load: one writer (a new draft, then a submission, in turn) and two readers (the front
# page, a case page), each request recorded as a JSON line: start, end, kind, case, status,
# whether a 503 carried the Danish text and Retry-After. It runs until the file `stop` exists.
cat > "$MAPPE/last.py" <<'PY'
import http.client, json, os, random, sys, threading, time, urllib.parse
port, session, token, kladdefil, ud, stop = sys.argv[1:7]
kladder = [l.strip() for l in open(kladdefil) if l.strip()]
alle = list(kladder)
laas = threading.Lock()
fil = open(ud, "a")
def kald(metode, sti, felter=None):
    start = time.time()
    post = {"status": None, "dansk": None}
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
        h = {"Cookie": "vitas_session=" + session}
        krop = None
        if felter is not None:
            krop = urllib.parse.urlencode(felter)
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["X-CSRF-Token"] = token
        c.request(metode, sti, body=krop, headers=h)
        r = c.getresponse()
        tekst = r.read().decode("utf-8", "replace")
        post["status"] = r.status
        post["location"] = r.getheader("Location")
        if r.status == 503:
            post["dansk"] = "Databasen er midlertidigt utilgængelig" in tekst and r.getheader("Retry-After") is not None
        c.close()
    except Exception as e:
        post["status"] = "fejl: %s" % e
    post.update({"start": start, "slut": time.time(), "metode": metode, "sti": sti})
    with laas:
        fil.write(json.dumps(post) + "\n"); fil.flush()
    return post
def skriver():
    while not os.path.exists(stop):
        kald("POST", "/ansoegninger/ny", {"ordning": "loentilskud"})
        with naeste_lock:
            kladde = kladder.pop(0) if kladder else None
        if kladde:
            kald("POST", "/sager/%s/indsend" % kladde, {"bemaerkning": "Fejltest"})
        time.sleep(0.15)
def laeser():
    while not os.path.exists(stop):
        kald("GET", "/")
        kald("GET", "/sager/%s" % random.choice(alle))
        time.sleep(0.1)
naeste_lock = threading.Lock()
traade = [threading.Thread(target=skriver) for _ in range(2)] + [threading.Thread(target=laeser) for _ in range(4)]
for t in traade: t.start()
for t in traade: t.join()
PY

echo "==> Last i gang; PostgreSQL stoppes efter 3 s og er nede i $NEDE s"
python3 "$MAPPE/last.py" "$PORT" "$SESSION" "$TOKEN" "$MAPPE/kladder" "$MAPPE/last.jsonl" "$MAPPE/stop" &
LAST_PID=$!
sleep 3
T_STOP="$(date +%s.%N)"
pg_ctl -m fast stop >/dev/null
# /readyz takes the node out of a load balancer's rotation while its database is away
# (decision 110), and puts it back when the database returns.
# (Asked beside the outage's clock, so the database stays down NEDE seconds.)
( sleep 2; curl -s -o /dev/null -m 5 -w '%{http_code}' "$ADR/readyz" > "$MAPPE/klar-nede" || true ) &
sleep "$NEDE"
KLAR_NEDE="$(cat "$MAPPE/klar-nede" 2>/dev/null || true)"
T_START="$(date +%s.%N)"
pg_ctl -w -o "-p $PGPORT -k $PGROD -c listen_addresses=127.0.0.1" start >/dev/null
T_OP="$(date +%s.%N)"
KLAR_OP=""
for _ in $(seq 1 50); do
    KLAR_OP="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$ADR/readyz" || true)"
    [ "$KLAR_OP" = 200 ] && break
    sleep 0.1
done
T_KLAR="$(date +%s.%N)"
echo "    /readyz under udfaldet: $KLAR_NEDE; efter: $KLAR_OP, $(python3 -c "print('%.2f' % ($T_KLAR - $T_OP))") s efter databasens genkomst"
if [ "$KLAR_NEDE" != 503 ] || [ "$KLAR_OP" != 200 ]; then
    echo "FEJL: /readyz skulle svare 503 under udfaldet og 200 efter (decision 110)" >&2
    exit 1
fi
sleep 8
touch "$MAPPE/stop"
wait "$LAST_PID"
LAST_PID=""

FEJL=0
kill -0 "$SERVER_PID" 2>/dev/null || { echo "FEJL: serveren døde under udfaldet" >&2; FEJL=1; }

echo "==> Svarene under lasten"
python3 - "$MAPPE/last.jsonl" "$T_STOP" "$T_START" "$T_OP" "$MAPPE" <<'PY' || FEJL=1
import json, statistics, sys
linjer = [json.loads(l) for l in open(sys.argv[1])]
t_stop, t_start, t_op, mappe = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
fejl = []
ok = lambda l: l["status"] in (200, 303)
# Fully inside the outage: after the stop had taken effect, before the start began.
under = [l for l in linjer if l["start"] >= t_stop + 0.5 and l["slut"] <= t_start]
svar503 = [l for l in linjer if l["status"] == 503]
for l in linjer:
    if not ok(l) and l["status"] != 503:
        fejl.append("uventet svar %s på %s %s" % (l["status"], l["metode"], l["sti"]))
    if l["status"] == 503 and not l["dansk"]:
        fejl.append("503 uden den danske besked og Retry-After på %s" % l["sti"])
    if l["slut"] - l["start"] > 10:
        fejl.append("%s %s tog %.1f s (hænger)" % (l["metode"], l["sti"], l["slut"] - l["start"]))
    if l["start"] >= t_op + 5 and not ok(l):
        fejl.append("%s %s fejlede %.1f s efter databasens genkomst" % (l["metode"], l["sti"], l["start"] - t_op))
if not [l for l in under if l["status"] == 503 and l["metode"] == "GET"]:
    fejl.append("ingen læsning fik 503 under udfaldet: testen ramte ikke udfaldet")
if not [l for l in under if l["status"] == 503 and l["metode"] == "POST"]:
    fejl.append("ingen skrivning fik 503 under udfaldet: testen ramte ikke udfaldet")
if [l for l in under if ok(l)]:
    fejl.append("svar OK, mens databasen var nede?")
efter_ok = [l["slut"] - t_op for l in linjer if l["slut"] > t_op and ok(l)]
sidste_503 = max([l["slut"] - t_op for l in svar503] or [float("nan")])
tider = [l["slut"] - l["start"] for l in under]
print("    forespørgsler i alt: %d; under udfaldet: %d, alle 503 med dansk side og Retry-After" % (len(linjer), len(under)))
if tider:
    print("    svartid under udfaldet: median %.2f s, højst %.2f s" % (statistics.median(tider), max(tider)))
print("    PostgreSQL nede %.1f s (stop til start), start til klar %.2f s" % (t_start - t_stop, t_op - t_start))
print("    første svar OK %.2f s efter databasens genkomst; sidste 503 endte %.2f s %s" % (
    min(efter_ok or [float("nan")]), abs(sidste_503), "efter" if sidste_503 >= 0 else "før"))
skriv = [l for l in linjer if l["metode"] == "POST"]
print("    skrivninger: %d, kvitteret (303): %d, 503: %d" % (len(skriv), len([l for l in skriv if l["status"] == 303]), len([l for l in skriv if l["status"] == 503])))
if not efter_ok or min(efter_ok) > 5:
    fejl.append("intet svar OK inden for 5 s efter databasens genkomst")
with open(mappe + "/kvitteret_ny", "w") as f:
    for l in linjer:
        if l["sti"] == "/ansoegninger/ny" and l["status"] == 303:
            f.write(l["location"].split("/sager/")[1].split("/")[0] + "\n")
with open(mappe + "/kvitteret_indsend", "w") as f:
    for l in linjer:
        if l["sti"].endswith("/indsend") and l["status"] == 303:
            f.write(l["sti"].split("/")[2] + "\n")
for f in fejl[:20]:
    print("FEJL: " + f, file=sys.stderr)
sys.exit(1 if fejl else 0)
PY

echo "==> Ingen kvitteret skrivning er tabt"
NYE="$(wc -l < "$MAPPE/kvitteret_ny")"
if [ "$NYE" -gt 0 ]; then
    FUNDET="$(sql "SELECT count(*) FROM sag WHERE id IN ($(paste -sd, "$MAPPE/kvitteret_ny"))")"
    [ "$FUNDET" = "$NYE" ] || { echo "FEJL: $NYE nye kladder kvitteret, $FUNDET findes" >&2; FEJL=1; }
fi
sql "SELECT s.id, s.ansoegning_status = 'sendt_til_medarbejder_rep',
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'notifikation'),
        (SELECT count(*) FROM outbox o WHERE o.sag_id = s.id AND o.art = 'email')
     FROM sag s WHERE s.id IN ($(paste -sd, "$MAPPE/kladder")) ORDER BY s.id" > "$MAPPE/sager"
INDSENDT=0
while IFS='|' read -r id sendt notif mail; do
    if [ "$sendt" = t ]; then
        INDSENDT=$((INDSENDT + 1))
        if [ "$notif" != 1 ] || [ "$mail" != 1 ]; then
            echo "FEJL: sag $id er sendt med $notif notifikationer og $mail e-mails (1 og 1 forventet)" >&2; FEJL=1
        fi
    else
        if [ "$notif" != 0 ] || [ "$mail" != 0 ]; then
            echo "FEJL: sag $id er ikke sendt, men har $notif notifikationer og $mail e-mails" >&2; FEJL=1
        fi
        if grep -qx "$id" "$MAPPE/kvitteret_indsend"; then
            echo "FEJL: sag $id fik kvittering (303), men er ikke sendt" >&2; FEJL=1
        fi
    fi
done < "$MAPPE/sager"
echo "    nye kladder kvitteret: $NYE, alle i databasen; indsendelser kvitteret: $(wc -l < "$MAPPE/kvitteret_indsend"), sendt i databasen: $INDSENDT"

echo "==> Workeren genoptager: hver notifikation leveres til webhook-modtageren"
# A delivery claimed just as the database went away keeps its 2-minute lease before the
# worker's minutely clean-up puts it back (storage::outbox::frigiv_udloebne): allow for that.
LEVERINGER=-1
for _ in $(seq 1 500); do
    VENTER="$(sql "SELECT count(*) FROM outbox WHERE art = 'webhook' AND status <> 'leveret'")"
    [ "$VENTER" = 0 ] && break
    sleep 0.5
done
T_LEVERET="$(date +%s.%N)"
LEVERINGER="$(sql "SELECT count(*) FROM outbox WHERE art = 'webhook'")"
NOTIFIKATIONER="$(sql "SELECT count(*) FROM outbox WHERE art = 'notifikation' AND jobcenter_kode = '0101' AND id > $FOER_OUTBOX")"
GENTAGET="$(sql "SELECT coalesce(sum(forsoeg - 1), 0) FROM outbox WHERE art = 'webhook'")"
MODTAGET="$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$MAPPE/modtaget.jsonl")"
if [ "$VENTER" != 0 ]; then echo "FEJL: $VENTER webhook-leveringer venter stadig" >&2; FEJL=1; fi
if [ "$LEVERINGER" != "$NOTIFIKATIONER" ] || [ "$MODTAGET" != "$NOTIFIKATIONER" ]; then
    echo "FEJL: $NOTIFIKATIONER notifikationer, $LEVERINGER leveringer, $MODTAGET modtaget" >&2; FEJL=1
fi
# The worker's first delivery after the database's return, by the rows' own clock.
FOERSTE_LEVERING="$(sql "SELECT coalesce(round((extract(epoch FROM min(leveret)) - $T_OP)::numeric, 2)::text, 'ingen')
    FROM outbox WHERE art = 'webhook' AND extract(epoch FROM leveret) > $T_OP")"
echo "    $NOTIFIKATIONER notifikationer, alle modtaget én gang ($GENTAGET forsøg ud over det første)"
echo "    workerens første levering $FOERSTE_LEVERING s efter databasens genkomst; køen tom $(python3 -c "print('%.1f' % ($T_LEVERET - $T_OP))") s efter (lasten stoppede efter 8 s)"
curl -fs -o /dev/null -b "$JAR" "$ADR/" || { echo "FEJL: serveren svarer ikke efter udfaldet" >&2; FEJL=1; }
kill -0 "$SERVER_PID" 2>/dev/null || { echo "FEJL: serveren kører ikke længere" >&2; FEJL=1; }
echo "    advarsler i serverens log om databasen: $(grep -c "databasen er utilgængelig" "$MAPPE/server.log" || true)"
if grep -q "intern fejl" "$MAPPE/server.log"; then
    echo "FEJL: serverens log har interne fejl (500):" >&2; grep "intern fejl" "$MAPPE/server.log" | head -n 5 >&2; FEJL=1
fi

if [ "$FEJL" -ne 0 ]; then
    echo "PG-FEJLTEST FEJLEDE" >&2
    exit 1
fi
echo "PG-FEJLTEST OK: dansk 503 under udfaldet, svar OK inden for 5 s efter, intet kvitteret tabt, workeren leverede alt."
