#!/usr/bin/env python3
"""The browser side of scripts/multi-node-test.sh (issue 11 §5): drives VITAS through nginx
with the demo logins, as the pages' forms post (CSRF token, hidden version fields), using
the Python standard library only. Every request goes to nginx, which spreads them round robin
over the `vitas serve` nodes.

    python3 scripts/multi-node-klient.py FASE

FASE (the shell script runs them in this order, and does the database work in between):
  flow        a company submits a case, the representative approves, the caseworker grants
              it while the replica's replay is paused, and the company approves
  eksport     the caseworker orders Søg's Ansøgninger as Excel (a background job on a
              worker), follows its progress and downloads the file through nginx
  byge        ANTAL applications submitted SAMTIDIGE at a time (after a node was killed)

Environment: ADR (nginx's address), PSQL_URL (the primary's scratch database), PSQL_REPLIKA
(the replica's), MAPPE (where to keep state between phases), ANTAL, SAMTIDIGE.
"""

import concurrent.futures
import html
import http.cookiejar
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

ADR = os.environ["ADR"]
PSQL_URL = os.environ["PSQL_URL"]
PSQL_REPLIKA = os.environ["PSQL_REPLIKA"]
MAPPE = os.environ["MAPPE"]
TILSTAND = os.path.join(MAPPE, "klient.json")

LONE = "lone@nordlys.dk"
KAREN = "karen.holm@jobcenter-koebenhavn.dk"
REP = "mads.aertebjerg@borger.dk"

# Every answer, for the figures: (status, seconds).
MAALT = []


def fejl(besked):
    print(f"FEJL: {besked}", file=sys.stderr)
    sys.exit(1)


def sql(sporgsmaal, url=PSQL_URL):
    ud = subprocess.run(["psql", "-qtA", url, "-c", sporgsmaal], check=True, capture_output=True, text=True)
    return ud.stdout.strip()


class IngenViderestilling(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Bruger:
    """One demo user with their own cookie jar (the session and the write cookie)."""

    def __init__(self, email):
        self.email = email
        self.jar = http.cookiejar.CookieJar()
        self.aabner = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), IngenViderestilling()
        )
        self.token = None
        bruger_id = sql(f"SELECT id FROM bruger WHERE email = '{email}'")
        if not bruger_id:
            fejl(f"demo-brugeren {email} findes ikke")
        status, _, _ = self.kald("POST", f"/demo-login/{bruger_id}", csrf=False)
        if status != 303:
            fejl(f"demo-login som {email} gav {status}")
        _, _, forside = self.kald("GET", "/")
        m = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', forside)
        if not m:
            fejl(f"forsiden gav intet CSRF-token til {email}")
        self.token = m.group(1)

    def kald(self, metode, sti, felter=None, csrf=True):
        data = None
        if metode == "POST":
            data = urllib.parse.urlencode(felter or []).encode()
        req = urllib.request.Request(ADR + sti, data=data, method=metode)
        if csrf and self.token:
            req.add_header("X-CSRF-Token", self.token)
        start = time.monotonic()
        try:
            with self.aabner.open(req, timeout=60) as svar:
                status, hoveder, krop = svar.status, svar.headers, svar.read()
        except urllib.error.HTTPError as e:
            status, hoveder, krop = e.code, e.headers, e.read()
        MAALT.append((status, time.monotonic() - start))
        if status >= 500:
            fejl(f"{metode} {sti} som {self.email} gav {status}")
        typ = hoveder.get("Content-Type", "")
        tekst = krop.decode("utf-8", "replace") if typ.startswith("text/") else krop
        return status, hoveder, tekst

    def hent(self, sti):
        status, _, tekst = self.kald("GET", sti)
        if status != 200:
            fejl(f"GET {sti} som {self.email} gav {status}")
        return tekst

    def post(self, sti, felter, forventet=303):
        status, hoveder, tekst = self.kald("POST", sti, felter)
        if status != forventet:
            fejl(f"POST {sti} som {self.email} gav {status}, ikke {forventet}:\n{tekst if isinstance(tekst, str) else ''}"[:3000])
        return hoveder.get("Location", ""), tekst

    def knap(self, sti, knap_id, ekstra=()):
        """Post the form of the button `knap_id` on the page at `sti`, with its fields as the
        page filled them (hidden version, a decision's default values)."""
        side = self.hent(sti)
        for m in re.finditer(r"<form\b[^>]*>.*?</form>", side, re.S):
            form = m.group(0)
            if f'id="{knap_id}"' not in form:
                continue
            action = html.unescape(re.search(r'action="([^"]*)"', form).group(1))
            felter = []
            for inp in re.finditer(r"<input\b[^>]*>", form):
                t = inp.group(0)
                navn = re.search(r'name="([^"]*)"', t)
                if not navn:
                    continue
                typ = (re.search(r'type="([^"]*)"', t) or [None, "text"])[1]
                if typ in ("checkbox", "radio") and "checked" not in t:
                    continue
                vaerdi = re.search(r'value="([^"]*)"', t)
                felter.append((html.unescape(navn.group(1)), html.unescape(vaerdi.group(1)) if vaerdi else ""))
            for sel in re.finditer(r'<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
                valgt = re.search(r'<option\b[^>]*value="([^"]*)"[^>]*selected', sel.group(2))
                if valgt:
                    felter.append((sel.group(1), html.unescape(valgt.group(1))))
            felter = [(k, v) for k, v in felter if k not in dict(ekstra)] + list(ekstra)
            return self.post(action, felter)
        fejl(f"{sti} har ingen knap #{knap_id} for {self.email}")


def raekke(side, sag_id):
    """The text of the list row that links to the case, or None."""
    for m in re.finditer(r"<tr\b.*?</tr>", side, re.S):
        if f'href="/sager/{sag_id}"' in m.group(0):
            return " ".join(re.sub(r"<[^>]+>", " ", m.group(0)).split())
    return None


def ny_ansoegning(lone, nr):
    """A løntilskud application through its four steps and sent; returns its id."""
    til, _ = lone.post("/ansoegninger/ny", [("ordning", "loentilskud")])
    m = re.search(r"/sager/(\d+)/trin/1$", til)
    if not m:
        fejl(f"ny ansøgning sendte videre til {til}")
    sag_id = m.group(1)
    start = time.strftime("%Y-%m-%d", time.localtime(time.time() + 14 * 86400))
    slut = time.strftime("%Y-%m-%d", time.localtime(time.time() + 194 * 86400))
    trin = [
        [("pnummer", "1003456781"), ("konfliktramt", "nej"), ("konflikt_kommentar", "")],
        [("rimelighed_ansatte", "40,00"), ("allerede_stoettede", "0"), ("merbeskaeftigelse_seneste", "42,00")],
        [("samtykke", "on"), ("cpr", "010190-1234"), ("oeremaerket", "ja"), ("startdato", start),
         ("slutdato", slut), ("timer", "37"), ("stillingsbetegnelse", "Lagermedarbejder"),
         ("jobindhold", "Plukning og pakning af varer."), ("timeloen", "150,00")],
        [("kontakt_navn", "Lone Kjær"), ("kontakt_email", "lone@nordlys.dk"), ("kontakt_telefon", "33 12 34 56"),
         ("arbejdssted_navn", "Per Lund"), ("arbejdssted_email", "per.lund@nordlys.dk"),
         ("arbejdssted_telefon", "33123457"), ("rep_navn", "Søren Bak"), ("rep_email", "soeren.bak@nordlys.dk"),
         ("rep_telefon", "")],
    ]
    for n, felter in enumerate(trin, start=1):
        til, _ = lone.post(f"/sager/{sag_id}/trin/{n}", felter)
        if not til.endswith(f"/sager/{sag_id}/trin/{n + 1}"):
            fejl(f"trin {n} af ansøgning {nr} sendte videre til {til}, ikke trin {n + 1}")
    til, _ = lone.post(f"/sager/{sag_id}/indsend", [("bemaerkning", f"Multi-node {nr}")])
    if f"/sager/{sag_id}" not in til:
        fejl(f"indsendelsen af {sag_id} sendte videre til {til}")
    return int(sag_id)


def replikaen_indhentet(frist=30):
    """Wait until the replica has replayed everything the primary has written so far."""
    maal = sql("SELECT pg_current_wal_lsn()")
    slut = time.monotonic() + frist
    while time.monotonic() < slut:
        if sql(f"SELECT pg_last_wal_replay_lsn() >= '{maal}'::pg_lsn", PSQL_REPLIKA) == "t":
            return
        time.sleep(0.1)
    fejl(f"replikaen nåede ikke {maal} på {frist} s")


def flow():
    lone, karen = Bruger(LONE), Bruger(KAREN)
    kollega_email = sql(
        "SELECT b.email FROM bruger b JOIN jobcenter j ON j.id = b.jobcenter_id "
        f"WHERE j.kommunekode = '0101' AND b.rolle = 'sagsbehandler' AND b.email <> '{KAREN}' ORDER BY b.id LIMIT 1"
    )
    if not kollega_email:
        fejl("ingen anden sagsbehandler i København i demo-verdenen")
    kollega = Bruger(kollega_email)

    sag_id = ny_ansoegning(lone, 0)
    print(f"    virksomheden sendte sag {sag_id}")
    token = sql(f"SELECT token FROM link WHERE sag_id = {sag_id}")
    rep = Bruger(REP)
    rep.hent(f"/hoering/{token}")
    til, _ = rep.post(f"/hoering/{token}/godkend", [])
    if "kvittering" not in til:
        fejl(f"repræsentantens godkendelse sendte videre til {til}")
    print("    repræsentanten godkendte")

    # The lists read the replica: with its replay paused, the caseworker's own change is on
    # her next list page (read from the primary), and her colleague's list still shows the
    # case as it was (read from the replica).
    replikaen_indhentet()
    time.sleep(float(os.environ.get("VINDUE_SEK", "5")) + 0.5)  # Karen's login is older than the window
    foer = raekke(kollega.hent("/sager"), sag_id)
    if foer is None:
        fejl(f"sag {sag_id} er ikke på kollegaens liste, heller ikke efter replikaen er indhentet")
    sql("SELECT pg_wal_replay_pause()", PSQL_REPLIKA)
    try:
        karen.knap(f"/sager/{sag_id}", "godkend-ansoegning")
        egen = raekke(karen.hent("/sager"), sag_id)
        kollegas = raekke(kollega.hent("/sager"), sag_id)
        if egen == foer:
            fejl(f"sagsbehandleren ser ikke sin egen ændring på næste side: {egen!r}")
        if kollegas != foer:
            fejl(f"kollegaens liste blev ikke læst fra replikaen (den er sat på pause): {kollegas!r}")
        print(f"    replikaen på pause: egen liste (primær) viser »{egen}«; kollegaens (replika) »{kollegas}«")
    finally:
        sql("SELECT pg_wal_replay_resume()", PSQL_REPLIKA)
    replikaen_indhentet()
    efter = raekke(kollega.hent("/sager"), sag_id)
    if efter != egen:
        fejl(f"kollegaens liste viser ikke ændringen, efter replikaen er indhentet: {efter!r}")
    print("    replikaen genoptaget: kollegaens liste viser nu det samme")

    lone.knap(f"/sager/{sag_id}", "godkend-bevilling")
    status = sql(f"SELECT afgoerelse_status FROM sag WHERE id = {sag_id}")
    print(f"    virksomheden godkendte bevillingen: afgørelsesstatus {status}")
    gem({"sag_id": sag_id})


def eksport():
    karen = Bruger(KAREN)
    total = int(sql("SELECT count(*) FROM sag s JOIN jobcenter j ON j.id = s.jobcenter_id "
                    "WHERE j.kommunekode = '0101' AND s.ansoegning_status IS NOT NULL "
                    "AND s.ansoegning_status <> 'kladde'"))
    start = time.monotonic()
    til, _ = karen.post("/excel/soeg-ansoegninger", [])
    m = re.search(r"/eksport/([0-9a-f-]+)$", til)
    if not m:
        fejl(f"Excel-bestillingen sendte videre til {til}, ikke til et job (er listen over grænsen?)")
    uuid = m.group(1)
    status = {}
    while time.monotonic() - start < 120:
        _, _, tekst = karen.kald("GET", f"/eksport/{uuid}/status")
        status = json.loads(tekst)
        if status["status"] in ("faerdig", "fejlet"):
            break
        time.sleep(0.3)
    if status.get("status") != "faerdig":
        fejl(f"eksportjobbet blev ikke færdigt: {status}")
    status_kode, hoveder, fil = karen.kald("GET", status["fil"])
    if status_kode != 200 or not isinstance(fil, bytes) or not fil.startswith(b"PK"):
        fejl(f"filen kunne ikke hentes gennem nginx: {status_kode}")
    with zipfile.ZipFile(io.BytesIO(fil)) as z:
        ark = z.read("xl/worksheets/sheet1.xml").decode()
    raekker = ark.count("<row ") - 1
    tid = time.monotonic() - start
    print(f"    Excel: job {uuid}, {raekker} rækker ({status['total']} i listen), {len(fil)} bytes, {tid:.1f} s "
          "fra bestilling til hentet fil")
    if raekker != status["total"] or raekker < 2000:
        fejl(f"filen har {raekker} rækker, jobbet sagde {status['total']}")
    print(f"    (sager i København med ansøgningsstatus: {total})")


def byge():
    antal = int(os.environ.get("ANTAL", "20"))
    samtidige = int(os.environ.get("SAMTIDIGE", "4"))
    lone = Bruger(LONE)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(samtidige) as pulje:
        ids = list(pulje.map(lambda nr: ny_ansoegning(lone, nr), range(1, antal + 1)))
    print(f"    {len(ids)} ansøgninger sendt gennem nginx på {time.monotonic() - start:.1f} s")
    gem({"byge": ids})


def gem(data):
    tilstand = {}
    if os.path.exists(TILSTAND):
        with open(TILSTAND) as f:
            tilstand = json.load(f)
    tilstand.update(data)
    with open(TILSTAND, "w") as f:
        json.dump(tilstand, f)


def tal():
    fejl5 = sum(1 for s, _ in MAALT if s >= 500)
    tider = sorted(t for _, t in MAALT)
    if tider:
        p50 = tider[len(tider) // 2] * 1000
        p99 = tider[min(len(tider) - 1, int(len(tider) * 0.99))] * 1000
        print(f"    {len(MAALT)} forespørgsler, {fejl5} svar 5xx, median {p50:.0f} ms, p99 {p99:.0f} ms")


if __name__ == "__main__":
    fase = sys.argv[1] if len(sys.argv) > 1 else ""
    {"flow": flow, "eksport": eksport, "byge": byge}.get(fase, lambda: fejl(f"ukendt fase {fase!r}"))()
    tal()
