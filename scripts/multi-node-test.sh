#!/usr/bin/env bash
# Multi-node test (issue 11 §5; docs/scale-out.md): VITAS on more than one machine, shown on
# this one with real parts:
#   - a PostgreSQL streaming replica of the machine's primary (127.0.0.1:5432), made with
#     `pg_basebackup -R` into a temporary folder and started on a free port;
#   - three `vitas serve` nodes (no in-process worker) and two `vitas worker` nodes on a
#     scratch database, all sharing one data folder (the exports; in production a shared
#     mount such as NFS), the serve nodes and workers reading lists and exports from the
#     replica (VITAS_READ_DATABASE_URL);
#   - nginx (Debian's package) in front, round robin, run in the foreground from a config
#     in the temporary folder;
#   - a webhook receiver (`vitas webhook-modtager`) subscribed to København's notifications.
# The test (scripts/multi-node-klient.py drives the pages through nginx):
#   1. a company submits a case, the representative approves, the caseworker grants it and
#      the company approves, each request on whichever node nginx picks;
#   2. with the replica's replay paused, the caseworker's own change is on her next list page
#      (read-your-writes: the primary) while her colleague's list still shows the old state
#      (the replica); after the replay resumes both agree;
#   3. a list above the export threshold is exported as Excel: a worker writes the file to
#      the shared folder, and it is downloaded through nginx from a serve node;
#   4. one serve node is killed with kill -9, and a burst of submissions through nginx still
#      succeeds on the others;
#   5. every webhook notification was delivered exactly once with two workers claiming.
# It prints the figures (requests per node, time) and cleans up after itself: the nodes,
# nginx, the replica and its replication slot, and the scratch database.
#
#   bash scripts/multi-node-test.sh
#
# Environment:
#   VITAS_BIN            a built `vitas` binary (default: cargo build, debug)
#   VITAS_MULTINODE_PG   the primary, without a database (default postgres://postgres@127.0.0.1:5432)
#   ANTAL, SAMTIDIGE     the burst after the kill (default 20 submissions, 4 at a time)
#   BEHOLD=1             keep the temporary folder (logs) for inspection
#
# What it changes on the primary: if pg_hba.conf has no line for replication connections
# from 127.0.0.1, it appends one (`host replication postgres 127.0.0.1/32 trust`, the same
# trust the CI's PostgreSQL already gives every local connection) and reloads; run again, it
# finds the line and changes nothing. It creates a replication slot for the replica and drops
# it at the end (and drops any inactive slot a killed earlier run left). wal_level and
# max_wal_senders need a restart to change, so the script only checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
START_TID=$SECONDS

PG="${VITAS_MULTINODE_PG:-postgres://postgres@127.0.0.1:5432}"
ANTAL="${ANTAL:-20}"
SAMTIDIGE="${SAMTIDIGE:-4}"
NOEGLE="multinode-adgangslog-noegle-0123456789abcdef0123"
HEMMELIGHED="multinode-webhook-hemmelighed-0123456789"
VINDUE_SEK=2

if [ -z "${VITAS_BIN:-}" ]; then
    echo "==> Bygger vitas"
    cargo build -p server --bin vitas
    VITAS_BIN="${CARGO_TARGET_DIR:-target}/debug/vitas"
fi
VITAS_BIN="$(realpath "$VITAS_BIN")"
command -v nginx >/dev/null 2>&1 || { echo "FEJL: nginx mangler (apt-get install nginx)" >&2; exit 1; }
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PGBIN/pg_basebackup" ] || { echo "FEJL: pg_basebackup findes ikke under /usr/lib/postgresql" >&2; exit 1; }

# The replica's files must belong to the user PostgreSQL runs as.
if [ "$(id -u)" -eq 0 ]; then som_postgres() { runuser -u postgres -- "$@"; }; else som_postgres() { "$@"; }; fi

MAPPE="$(mktemp -d /tmp/vitas-multinode.XXXXXX)"
chmod 755 "$MAPPE"
DB="vitas_multinode_$$"
SLOT="vitas_multinode_$$"
URL="$PG/$DB"
fri_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
R_PORT="$(fri_port)"; N_PORT="$(fri_port)"; W_PORT="$(fri_port)"
R_URL="postgres://postgres@127.0.0.1:$R_PORT/$DB"
ADR="http://127.0.0.1:$N_PORT"
REPLIKA="$MAPPE/replika"
DATA="$MAPPE/data"
PIDS=()
NODE_PIDS=()
NODE_PORTE=()

ryd_op() {
    local kode=$?
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ -f "$REPLIKA/postmaster.pid" ]; then
        som_postgres "$PGBIN/pg_ctl" -D "$REPLIKA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    psql -qtA "$PG/postgres" -c "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null 2>&1 || true
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    if [ "${BEHOLD:-0}" = 1 ] || [ "$kode" -ne 0 ]; then
        echo "Logfilerne ligger i $MAPPE"
        if [ "$kode" -ne 0 ]; then
            for f in "$MAPPE"/*.log; do echo "--- $f (sidste linjer)"; tail -n 15 "$f"; done
        fi
    else
        rm -rf "$MAPPE"
    fi
}
trap ryd_op EXIT

sql() { psql -qtA "$URL" -c "$1"; }
vent_paa() { # url, name
    for _ in $(seq 1 240); do
        if curl -fs -o /dev/null "$1"; then return 0; fi
        sleep 0.25
    done
    echo "FEJL: $2 svarede ikke på $1" >&2
    exit 1
}

echo "==> Den primære: replikering fra 127.0.0.1"
[ "$(psql -qtA "$PG/postgres" -c 'SHOW wal_level')" != minimal ] || { echo "FEJL: wal_level er minimal" >&2; exit 1; }
[ "$(psql -qtA "$PG/postgres" -c 'SHOW max_wal_senders')" -gt 0 ] || { echo "FEJL: max_wal_senders er 0" >&2; exit 1; }
HBA="$(psql -qtA "$PG/postgres" -c 'SHOW hba_file')"
if [ "$(psql -qtA "$PG/postgres" -c "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND (address = '127.0.0.1' OR type = 'local')")" = 0 ]; then
    echo "    pg_hba.conf har ingen linje for replikering; tilføjer 'host replication postgres 127.0.0.1/32 trust'"
    printf '\n# scripts/multi-node-test.sh: the test replica streams from 127.0.0.1\nhost replication postgres 127.0.0.1/32 trust\n' >>"$HBA"
    psql -qtA "$PG/postgres" -c 'SELECT pg_reload_conf()' >/dev/null
    sleep 0.5
fi
# A slot left by a run that was killed before its clean-up holds WAL back: drop it.
psql -qtA "$PG/postgres" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE 'vitas_multinode_%' AND NOT active" >/dev/null

echo "==> Databasen $DB: skema og demo-verden"
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null
export VITAS_ADGANGSLOG_NOEGLE="$NOEGLE"
VITAS_DATABASE_URL="$URL" "$VITAS_BIN" seed-demo --data-dir "$DATA" >"$MAPPE/seed.log" 2>&1
# Enough cases for Excel's background job (above jobs::eksport::GRAENSE, 2,000 rows): copies
# of a received demo application in København, then the list counts recomputed.
KILDE="$(sql "SELECT s.id FROM sag s JOIN jobcenter j ON j.id = s.jobcenter_id WHERE j.kommunekode = '0101' AND s.ansoegning_status = 'modtaget' ORDER BY s.id LIMIT 1")"
[ -n "$KILDE" ] || { echo "FEJL: ingen modtaget demosag i København at kopiere" >&2; exit 1; }
KOLONNER="$(sql "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'sag' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'uuid')")"
sql "INSERT INTO sag (uuid, $KOLONNER) SELECT gen_random_uuid()::text, $KOLONNER FROM sag, generate_series(1, 2100) WHERE id = $KILDE" >/dev/null
sql "INSERT INTO sag_skema (sag_id, skemadata) SELECT s.id, k.skemadata FROM sag s, sag_skema k WHERE k.sag_id = $KILDE AND NOT EXISTS (SELECT 1 FROM sag_skema x WHERE x.sag_id = s.id)" >/dev/null
VITAS_DATABASE_URL="$URL" "$VITAS_BIN" taelling --genopbyg >>"$MAPPE/seed.log" 2>&1
echo "    $(sql 'SELECT count(*) FROM sag') sager"

echo "==> Replikaen: pg_basebackup -R til $REPLIKA, port $R_PORT"
mkdir -p "$REPLIKA"; chown postgres:postgres "$REPLIKA" 2>/dev/null || true; chmod 700 "$REPLIKA"
T0=$SECONDS
som_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$REPLIKA" -R -X stream -C -S "$SLOT" \
    --checkpoint=fast >"$MAPPE/basebackup.log" 2>&1
# A hot standby needs at least the primary's limits.
GRAENSER="$(psql -qtA "$PG/postgres" -c "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')")"
som_postgres tee "$REPLIKA/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $R_PORT
unix_socket_directories = '$REPLIKA'
hot_standby = on
shared_buffers = 32MB
# A throwaway replica: no fsync (the start-up's sync of the copied files took 10 s).
fsync = off
$GRAENSER
EOF
som_postgres tee "$REPLIKA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
som_postgres touch "$REPLIKA/pg_ident.conf"
touch "$MAPPE/replika.log"; chown postgres "$MAPPE/replika.log" 2>/dev/null || true
som_postgres "$PGBIN/pg_ctl" -D "$REPLIKA" -l "$MAPPE/replika.log" -w -t 60 start >/dev/null
[ "$(psql -qtA "$R_URL" -c 'SELECT pg_is_in_recovery()')" = t ] || { echo "FEJL: replikaen er ikke i recovery" >&2; exit 1; }
echo "    klar på $((SECONDS - T0)) s ($(du -sh "$REPLIKA" | cut -f1)); $(psql -qtA "$R_URL" -c 'SELECT count(*) FROM sag') sager i replikaen"

echo "==> Webhook-modtager og abonnement for København (0101)"
"$VITAS_BIN" webhook-modtager --lyt "127.0.0.1:$W_PORT" --hemmelighed "$HEMMELIGHED" --log "$MAPPE/webhooks.jsonl" \
    >"$MAPPE/modtager.log" 2>&1 &
PIDS+=($!)
VITAS_DATABASE_URL="$URL" VITAS_WEBHOOK_HEMMELIGHED="$HEMMELIGHED" "$VITAS_BIN" abonnent opret --jobcenter 0101 \
    --url "http://127.0.0.1:$W_PORT/" >"$MAPPE/abonnent.log" 2>&1
ABONNENT="$(sql "SELECT id FROM webhook_abonnent ORDER BY id DESC LIMIT 1")"

echo "==> Tre serve-noder og to workere (fælles datamappe $DATA; lister læser replikaen)"
export VITAS_DATABASE_URL="$URL" VITAS_READ_DATABASE_URL="$R_URL" VITAS_READ_PRIMARY_SEK="$VINDUE_SEK" \
    VITAS_DATA_DIR="$DATA" VITAS_DEMO=true VITAS_WORKER_I_PROCESSEN=false VITAS_BETROET_PROXY=true \
    VITAS_GRAENSE_PR_MINUT=0 VITAS_OPSLAG_PR_MINUT=0 VITAS_BASE_URL="$ADR" VITAS_OUTBOX_GRUNDINTERVAL_MS=200
for n in 1 2 3; do
    p="$(fri_port)"
    "$VITAS_BIN" serve --addr "127.0.0.1:$p" >"$MAPPE/node$n.log" 2>&1 &
    PIDS+=($!); NODE_PIDS+=($!); NODE_PORTE+=("$p")
done
for n in 1 2; do
    # At debug level the outbox logs each delivery it sent: which worker sent what.
    VITAS_LOG="info,jobs::outbox=debug" "$VITAS_BIN" worker >"$MAPPE/worker$n.log" 2>&1 &
    PIDS+=($!)
done
for p in "${NODE_PORTE[@]}"; do vent_paa "http://127.0.0.1:$p/healthz" "noden på port $p"; done

echo "==> nginx på $ADR, round robin over ${NODE_PORTE[*]}"
mkdir -p "$MAPPE/nginx"
{
    echo "daemon off; worker_processes 1; pid $MAPPE/nginx/nginx.pid; error_log $MAPPE/nginx-fejl.log;"
    echo "events { worker_connections 512; }"
    echo "http {"
    echo "  log_format node '\$status \$request_method \$request_time \$upstream_addr';"
    echo "  access_log $MAPPE/nginx-adgang.log node;"
    echo "  client_body_temp_path $MAPPE/nginx/krop; proxy_temp_path $MAPPE/nginx/proxy;"
    echo "  fastcgi_temp_path $MAPPE/nginx/fcgi; uwsgi_temp_path $MAPPE/nginx/uwsgi; scgi_temp_path $MAPPE/nginx/scgi;"
    echo "  proxy_max_temp_file_size 0;"
    echo "  upstream vitas {"
    for p in "${NODE_PORTE[@]}"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=30s;"; done
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$N_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://vitas;"
    echo "      proxy_set_header Host \$http_host;"
    echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    # A node that refuses the connection (killed) is skipped; a request it has begun is not
    # sent again (nginx never repeats a POST that reached a node).
    echo "      proxy_next_upstream error timeout;"
    echo "    }"
    echo "  }"
    echo "}"
} >"$MAPPE/nginx/nginx.conf"
nginx -p "$MAPPE/nginx" -c "$MAPPE/nginx/nginx.conf" >"$MAPPE/nginx.log" 2>&1 &
PIDS+=($!)
vent_paa "$ADR/healthz" nginx
echo "    alt kører efter $((SECONDS - START_TID)) s"

export ADR MAPPE ANTAL SAMTIDIGE PSQL_URL="$URL" PSQL_REPLIKA="$R_URL" VINDUE_SEK
T0=$SECONDS
echo "==> 1–2. En sag hele vejen gennem nginx; lister fra replikaen, egne ændringer fra den primære"
python3 scripts/multi-node-klient.py flow
echo "==> 3. Excel-udtræk som baggrundsjob på en worker, hentet gennem nginx"
python3 scripts/multi-node-klient.py eksport
echo "==> 4. kill -9 af node 2 (port ${NODE_PORTE[1]}); en byge af indsendelser på de andre"
LINJER_FOER="$(wc -l <"$MAPPE/nginx-adgang.log")"
kill -9 "${NODE_PIDS[1]}"
wait "${NODE_PIDS[1]}" 2>/dev/null || true
python3 scripts/multi-node-klient.py byge
kill -0 "${NODE_PIDS[0]}" && kill -0 "${NODE_PIDS[2]}" || { echo "FEJL: en af de andre noder er død" >&2; exit 1; }
DRAEBT="127.0.0.1:${NODE_PORTE[1]}"
# After the kill, a request nginx tried on the dead node shows it first in $upstream_addr.
EFTER_DRAB="$(tail -n +"$((LINJER_FOER + 1))" "$MAPPE/nginx-adgang.log" | grep -c "$DRAEBT" || true)"

echo "==> 5. Notifikationerne: leveret præcis én gang med to workere"
SLUT=$((SECONDS + 90))
while [ "$(sql "SELECT count(*) FROM outbox WHERE kanal = 'webhook:$ABONNENT' AND status <> 'leveret'")" != 0 ]; do
    if [ $SECONDS -gt $SLUT ]; then
        echo "FEJL: webhooks ikke leveret efter 90 s:" >&2
        sql "SELECT status, count(*) FROM outbox WHERE kanal = 'webhook:$ABONNENT' GROUP BY status" >&2
        exit 1
    fi
    sleep 0.5
done
sleep 1 # the receiver's log is written before it answers; one more look for late duplicates
RAEKKER="$(sql "SELECT count(*) FROM outbox WHERE kanal = 'webhook:$ABONNENT'")"
FLERE_FORSOEG="$(sql "SELECT count(*) FROM outbox WHERE kanal = 'webhook:$ABONNENT' AND forsoeg <> 1")"
LINJER="$(wc -l <"$MAPPE/webhooks.jsonl")"
UNIKKE="$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$MAPPE/webhooks.jsonl")"
GENTAGNE="$(grep -c 'AlleredeModtaget' "$MAPPE/modtager.log" || true)"
PR_WORKER=()
for n in 1 2; do
    PR_WORKER+=("$(sed 's/\x1b\[[0-9;]*m//g' "$MAPPE/worker$n.log" | grep 'levering sendt' | grep -c 'art=webhook' || true)")
done
sql "SELECT payload::json ->> 'id' FROM outbox WHERE kanal = 'webhook:$ABONNENT'" >"$MAPPE/noegler"
python3 -c 'import json,sys; print("\n".join(sorted(json.loads(l)["id"] for l in open(sys.argv[1]))))' "$MAPPE/webhooks.jsonl" >"$MAPPE/modtaget"
echo "    $RAEKKER leveringer i outbox; modtaget: $LINJER linjer, $UNIKKE forskellige id'er; sendt igen: $GENTAGNE; rækker med mere end ét forsøg: $FLERE_FORSOEG"
echo "    sendt af worker 1: ${PR_WORKER[0]}, af worker 2: ${PR_WORKER[1]}"
FEJL=0
[ "$RAEKKER" -ge $((ANTAL + 3)) ] || { echo "FEJL: for få notifikationer ($RAEKKER)" >&2; FEJL=1; }
[ "$LINJER" = "$RAEKKER" ] && [ "$UNIKKE" = "$RAEKKER" ] || { echo "FEJL: modtaget $LINJER/$UNIKKE, ikke $RAEKKER" >&2; FEJL=1; }
[ "$GENTAGNE" = 0 ] && [ "$FLERE_FORSOEG" = 0 ] || { echo "FEJL: en notifikation blev sendt mere end én gang" >&2; FEJL=1; }
[ "$((PR_WORKER[0] + PR_WORKER[1]))" = "$RAEKKER" ] || { echo "FEJL: workerne sendte $((PR_WORKER[0] + PR_WORKER[1])), ikke $RAEKKER" >&2; FEJL=1; }
# The receiver's ids are the outbox's (X-Vitas-Id, the payload's id): the very same set.
if ! diff <(LC_ALL=C sort "$MAPPE/noegler") <(LC_ALL=C sort "$MAPPE/modtaget") >/dev/null; then
    echo "FEJL: de modtagne id'er er ikke outboxens" >&2; FEJL=1
fi
for n in 1 2; do
    grep -qi "panicked" "$MAPPE/worker$n.log" && { echo "FEJL: worker $n gik ned" >&2; FEJL=1; }
done

echo "==> Tal"
echo "    forespørgsler gennem nginx pr. node (upstream):"
# The node that answered is the last one in $upstream_addr.
awk '{print $NF}' "$MAPPE/nginx-adgang.log" | sort | uniq -c | sed 's/^/      /'
echo "    svar fra nginx (status): $(awk '{print $1}' "$MAPPE/nginx-adgang.log" | sort | uniq -c | tr -s ' \n' ' ')"
echo "    forespørgsler efter drabet, som nginx først prøvede på den dræbte node og sendte videre: $EFTER_DRAB"
N5XX="$(awk '$1 >= 500' "$MAPPE/nginx-adgang.log" | wc -l)"
[ "$N5XX" = 0 ] || { echo "FEJL: $N5XX svar 5xx gennem nginx" >&2; FEJL=1; }
echo "    selve testen: $((SECONDS - T0)) s; i alt med opstart: $((SECONDS - START_TID)) s"
if [ "$FEJL" -ne 0 ]; then
    echo "MULTI-NODE-TEST FEJLEDE" >&2
    exit 1
fi
echo "MULTI-NODE-TEST OK: tre noder bag nginx, lister fra replikaen og egne ændringer fra den primære, Excel via fælles mappe, en node dræbt uden fejl, hver notifikation leveret præcis én gang."
