#!/usr/bin/env bash
# Multiply a PostgreSQL bulk database by copying its cases, for the statistics benchmarks
# (issue 12 §2–3; docs/benchmarks.md "Statistics"). Generating 10M cases with
# `vitas-tools seed-bulk` takes 100 minutes on this machine; copying 1M nine times takes a
# fraction of that.
#
# Each copy gets new ids and uuids, and each copied case is moved by its own random number of
# days (-30..30), the same for every date of the case, its records and its history, so the
# copies spread over the calendar as generated cases would, rather than stacking on the same
# days. The citizens and companies are the same people as in the original (a citizen with
# several cases is normal). Copied: `sag`, `sagselement`, `sagshaendelse` (generated columns,
# such as the sort ranks, are left to the database). Not copied: the
# forms (`sag_skema`, `sag_person`) and the outbox, which the statistics and the lists do not
# read; a copied case's page therefore cannot show its form. The list totals (`sag_antal`)
# are rebuilt at the end with `vitas taelling --genopbyg`, and the tables analysed.
#
# Usage: VITAS_DATABASE_URL=postgres://… scripts/bulk-gange.sh 10
#
# The three tables' indexes that back no constraint (the list and statistics indexes; `sag`
# has about 30) are dropped first and built again at the end, also if a copy fails: building
# an index once over 10M rows is several times faster than keeping 30 indexes up to date row
# by row (1M copied with them: about 6 minutes, docs/benchmarks.md "Statistics").
# INDEKSER=behold keeps them.
#
# Copies FRA..GANGE-1 (default all). Two runs over different ranges can go side by side (one
# core each) if both are given the original's highest ids: MAKS, EMAKS and HMAKS in the
# environment (the script prints them), and INDEKSER=behold (each would otherwise drop and
# build the indexes the other relies on).
set -euo pipefail
URL=${VITAS_DATABASE_URL:?set VITAS_DATABASE_URL to the PostgreSQL bulk database}
GANGE=${1:-10}
FRA=${2:-1}
VITAS=${VITAS:-target/release/vitas}
psql_() { psql "$URL" -v ON_ERROR_STOP=1 -Atq "$@"; }

kolonner() { psql_ -c "SELECT column_name FROM information_schema.columns WHERE table_name = '$1' AND is_generated = 'NEVER' ORDER BY ordinal_position" ; }

# The SELECT expression for each column of a copy: ids moved by the copy's offset, new uuids,
# dates moved by the case's days; every other column as it is.
udtryk() {
    local tabel=$1 kol=$2
    case "$tabel.$kol" in
        sag.id) echo "s.id + :forskyd" ;;
        sag.uuid|sagselement.uuid) echo "gen_random_uuid()::text" ;;
        sag.hovedsag_id) echo "s.hovedsag_id + :forskyd" ;;
        sag.startdato|sag.slutdato|sag.oprindelig_slutdato|sag.modtaget_dato|sag.afgoerelse_dato|sag.godkendt_dato)
            echo "s.$kol + f.dage" ;;
        sag.oprettet|sag.aendret) echo "s.$kol + make_interval(days => f.dage)" ;;
        sagselement.id) echo "s.id + :eforskyd" ;;
        sagselement.sag_id|sagshaendelse.sag_id) echo "s.sag_id + :forskyd" ;;
        sagselement.startdato|sagselement.slutdato) echo "s.$kol + f.dage" ;;
        sagselement.oprettet|sagselement.aendret|sagshaendelse.tidspunkt) echo "s.$kol + make_interval(days => f.dage)" ;;
        sagshaendelse.id) echo "s.id + :hforskyd" ;;
        *) echo "s.$kol" ;;
    esac
}

kopi_sql() {
    local tabel=$1 noegle=$2 liste="" valg=""
    for k in $(kolonner "$tabel"); do
        liste+="${liste:+, }$k"
        valg+="${valg:+, }$(udtryk "$tabel" "$k")"
    done
    echo "INSERT INTO $tabel ($liste) SELECT $valg FROM $tabel s JOIN forskydning f ON f.sag_id = s.$noegle WHERE s.$noegle <= :maks;"
}

MAKS=${MAKS:-$(psql_ -c "SELECT max(id) FROM sag")}
EMAKS=${EMAKS:-$(psql_ -c "SELECT coalesce(max(id), 0) FROM sagselement")}
HMAKS=${HMAKS:-$(psql_ -c "SELECT coalesce(max(id), 0) FROM sagshaendelse")}
echo "original: MAKS=$MAKS EMAKS=$EMAKS HMAKS=$HMAKS; kopi $FRA til $((GANGE - 1))"
SAG_SQL=$(kopi_sql sag id)
ELEMENT_SQL=$(kopi_sql sagselement sag_id)
HISTORIK_SQL=$(kopi_sql sagshaendelse sag_id)
if [ "${INDEKSER:-drop}" != behold ]; then
    INDEKSFIL=$(mktemp)
    psql_ -c "SELECT indexdef || ';' FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('sag', 'sagselement', 'sagshaendelse') AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname" > "$INDEKSFIL"
    byg_indekser() {
        local t0=$(date +%s)
        echo "bygger $(wc -l < "$INDEKSFIL") indekser igen (definitionerne: $INDEKSFIL)"
        { echo "SET maintenance_work_mem = '1GB';"; cat "$INDEKSFIL"; } | psql_
        echo "indekser: $(( $(date +%s) - t0 )) s"
    }
    trap byg_indekser EXIT
    echo "fjerner $(wc -l < "$INDEKSFIL") indekser under kopieringen"
    sed -E 's/^CREATE (UNIQUE )?INDEX ([^ ]+) ON .*/DROP INDEX \2;/' "$INDEKSFIL" | psql_
fi
for ((k = FRA; k < GANGE; k++)); do
    t0=$(date +%s)
    psql_ -v maks="$MAKS" -v forskyd=$((k * MAKS)) -v eforskyd=$((k * EMAKS)) -v hforskyd=$((k * HMAKS)) <<SQL
BEGIN;
CREATE TEMP TABLE forskydning AS SELECT id AS sag_id, (floor(random() * 61) - 30)::int AS dage FROM sag WHERE id <= :maks;
CREATE INDEX ON forskydning (sag_id);
$SAG_SQL
$ELEMENT_SQL
$HISTORIK_SQL
COMMIT;
SQL
    echo "kopi $k: $(( $(date +%s) - t0 )) s"
done
psql_ <<'SQL'
SELECT setval(pg_get_serial_sequence('sag', 'id'), (SELECT max(id) FROM sag));
SELECT setval(pg_get_serial_sequence('sagselement', 'id'), (SELECT max(id) FROM sagselement));
SELECT setval(pg_get_serial_sequence('sagshaendelse', 'id'), (SELECT max(id) FROM sagshaendelse));
SQL
if [ "${INDEKSER:-drop}" != behold ]; then
    trap - EXIT
    byg_indekser
fi
"$VITAS" taelling --genopbyg
psql_ -c "ANALYZE sag; ANALYZE sagselement; ANALYZE sagshaendelse"
echo "i alt: $(psql_ -c 'SELECT count(*) FROM sag') sager"
