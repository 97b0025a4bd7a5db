#!/usr/bin/env python3
"""A passive security scan of a running VITAS (issue 14 §4; docs/decisions.md 83).

No OWASP ZAP is available here, so this small scanner does the part of a ZAP baseline scan
that matters for VITAS: it logs in as one demo user of each role (and looks around as an
anonymous visitor), crawls every same-origin page it can reach by links (bounded), and checks
every answer:

  - no 5xx, no stack trace or panic text in the body;
  - a Content-Security-Policy whose scripts are never 'unsafe-inline' or 'unsafe-eval', with
    frame-ancestors 'none' (or X-Frame-Options DENY);
  - X-Content-Type-Options: nosniff; a Referrer-Policy that keeps addresses on the site;
  - Cache-Control: no-store on everything outside /static/;
  - every cookie HttpOnly and SameSite=Lax or Strict (and Secure over https);
  - no Server or X-Powered-By header naming a product version;
  - every POST form carries the `_csrf` field, with the session's token once logged in;
  - no CPR-like number (DDMMYY-SSSS with a real date) in any address: the ones requested,
    Location headers, and every href/action/src on a page.

It also submits each list's filter form with a demo citizen's CPR and name (a read; the
form posts, decision 80) and follows where it leads, so a CPR that leaked into an address
would be found. Nothing else is posted: the scan changes no data.

    python3 scripts/sikkerhedsskanning.py http://127.0.0.1:8080

Exit 0: no findings. Exit 1: the findings, one a line, grouped by check. Exit 2: the scan
could not run (server not answering, no demo login).
"""

from __future__ import annotations

import collections
import datetime
import html.parser
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MAKS_SIDER_PR_ROLLE = 250
MAKS_PR_STI = 12  # distinct queries of one path (lists have a link per page and sort)
DEMO_CPR = "0101901234"
DEMO_NAVN = "Anna"

# "DDMMYY-SSSS" or ten digits in a row, not inside a longer run of letters or digits.
CPR_MOENSTER = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})-?(\d{4})(?![0-9A-Za-z])")
STAKSPOR = [
    "panicked at",
    "stack backtrace",
    "RUST_BACKTRACE",
    "Traceback (most recent call last)",
    "thread 'tokio-runtime-worker'",
    "sqlx::",
    "sea_orm::",
    "DbErr",
]
VERSION_I_BANNER = re.compile(r"\d+\.\d+")


def cpr_i(tekst: str) -> list[str]:
    """The CPR-like numbers in `tekst`: six digits that are a real date, then four."""
    fundet = []
    for m in CPR_MOENSTER.finditer(urllib.parse.unquote(tekst)):
        dd, mm, aa, _ = m.groups()
        try:
            datetime.date(2000 + int(aa), int(mm), int(dd))
        except ValueError:
            continue
        fundet.append(m.group(0))
    return fundet


class Side(html.parser.HTMLParser):
    """The links, addresses and forms of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.adresser: list[str] = []
        self.formularer: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        for navn in ("href", "src", "action", "formaction"):
            if navn in a:
                self.adresser.append(a[navn])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "id": a.get("id", ""),
                "felter": [],
            }
            self.formularer.append(self._form)
        if self._form is not None and tag in ("input", "select", "textarea", "button"):
            if a.get("name"):
                self._form["felter"].append((a["name"], a.get("value", ""), a.get("type", "")))
            if tag == "input" and a.get("name") == "tilbage":
                self.adresser.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


class IngenViderestilling(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


class Skanner:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.https = self.base.startswith("https://")
        self.fund: dict[str, set[str]] = collections.defaultdict(set)
        self.antal_svar = 0

    def klient(self) -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
        jar = http.cookiejar.CookieJar()
        return (
            urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), IngenViderestilling()),
            jar,
        )

    def fund_(self, tjek: str, hvor: str, hvad: str) -> None:
        self.fund[tjek].add(f"{hvor}: {hvad}")

    def hent(self, opener, sti: str, data: dict | None = None, hvem: str = ""):
        """GET (or POST `data`) `sti`; returns (status, headers, body text)."""
        url = sti if sti.startswith("http") else self.base + sti
        krop = urllib.parse.urlencode(data).encode() if data is not None else None
        for forsoeg in range(3):
            req = urllib.request.Request(url, data=krop)
            if krop is not None:
                req.add_header("Origin", self.base)
            try:
                with opener.open(req, timeout=60) as svar:
                    status, hoveder, body = svar.status, svar.headers, svar.read()
            except urllib.error.HTTPError as e:
                status, hoveder, body = e.code, e.headers, e.read()
            if status == 429 and forsoeg < 2:
                time.sleep(min(int(hoveder.get("Retry-After", "2") or 2), 10))
                continue
            break
        self.antal_svar += 1
        tekst = body.decode("utf-8", errors="replace")
        self.tjek(f"{hvem} {'POST' if krop else 'GET'} {sti}", sti, status, hoveder, tekst, hvem != "anonym")
        return status, hoveder, tekst

    def tjek(self, hvor: str, sti: str, status: int, h, tekst: str, logget_ind: bool) -> None:
        sti_uden = urllib.parse.urlsplit(sti).path
        if status >= 500:
            self.fund_("5xx-svar", hvor, f"status {status}")
        for s in STAKSPOR:
            if s in tekst:
                self.fund_("stakspor i svaret", hvor, repr(s))
        for c in cpr_i(sti):
            self.fund_("CPR i en adresse", hvor, f"den anmodede adresse indeholder {c}")
        if h.get("Location"):
            for c in cpr_i(h["Location"]):
                self.fund_("CPR i en adresse", hvor, f"Location {h['Location']} indeholder {c}")
        csp = h.get("Content-Security-Policy", "")
        if not csp:
            self.fund_("Content-Security-Policy", hvor, "mangler")
        else:
            direktiver = {}
            for d in csp.split(";"):
                dele = d.strip().split()
                if dele:
                    direktiver[dele[0].lower()] = [x.lower() for x in dele[1:]]
            scripts = direktiver.get("script-src", direktiver.get("default-src"))
            if scripts is None:
                self.fund_("Content-Security-Policy", hvor, "hverken script-src eller default-src")
            elif "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
                self.fund_("Content-Security-Policy", hvor, f"script-src tillader {' '.join(scripts)}")
            fa = direktiver.get("frame-ancestors")
            xfo = h.get("X-Frame-Options", "").upper()
            if fa != ["'none'"] and xfo != "DENY":
                self.fund_("frame-ancestors/X-Frame-Options", hvor, f"frame-ancestors {fa}, X-Frame-Options {xfo!r}")
        if h.get("X-Content-Type-Options", "").lower() != "nosniff":
            self.fund_("X-Content-Type-Options", hvor, "ikke nosniff")
        rp = h.get("Referrer-Policy", "").lower()
        if rp not in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
            self.fund_("Referrer-Policy", hvor, f"{rp or 'mangler'}")
        if not sti_uden.startswith("/static/"):
            if "no-store" not in h.get("Cache-Control", "").lower():
                self.fund_("Cache-Control: no-store", hvor, h.get("Cache-Control", "mangler"))
        for cookie in h.get_all("Set-Cookie") or []:
            attributter = [x.strip().lower() for x in cookie.split(";")[1:]]
            navn = cookie.split("=", 1)[0]
            if "httponly" not in attributter:
                self.fund_("cookie-flag", hvor, f"{navn} uden HttpOnly")
            if not any(a in ("samesite=lax", "samesite=strict") for a in attributter):
                self.fund_("cookie-flag", hvor, f"{navn} uden SameSite=Lax/Strict")
            if self.https and "secure" not in attributter:
                self.fund_("cookie-flag", hvor, f"{navn} uden Secure over https")
        for banner in ("Server", "X-Powered-By"):
            v = h.get(banner)
            if v and (banner == "X-Powered-By" or VERSION_I_BANNER.search(v)):
                self.fund_("versionsbanner", hvor, f"{banner}: {v}")
        if "text/html" in h.get("Content-Type", ""):
            side = Side()
            side.feed(tekst)
            for a in side.adresser:
                for c in cpr_i(a):
                    self.fund_("CPR i en adresse", hvor, f"siden linker til {a} ({c})")
            for f in side.formularer:
                if f["method"] == "post":
                    # Without a session there is no token to give (decision 57: the token is
                    # derived from the session; the login is guarded by the Origin check), but
                    # the field must be there; with a session it must hold the token.
                    csrf = [v for (n, v, _) in f["felter"] if n == "_csrf"]
                    if not csrf or (logget_ind and not csrf[0]):
                        self.fund_("CSRF-token i formularer", hvor, f"formularen til {f['action'] or sti} mangler _csrf")

    def samme_sted(self, href: str, fra: str) -> str | None:
        """`href` as a local path with query, or None when it leaves the site or is no page."""
        url = urllib.parse.urljoin(self.base + fra, href)
        dele = urllib.parse.urlsplit(url)
        if f"{dele.scheme}://{dele.netloc}" != self.base or dele.scheme not in ("http", "https"):
            return None
        sti = dele.path + (f"?{dele.query}" if dele.query else "")
        return sti

    def kravl(self, opener, hvem: str, start: list[str]) -> None:
        koe = collections.deque(start)
        set_: set[str] = set()
        pr_sti: collections.Counter = collections.Counter()
        sendte_filtre: set[str] = set()
        while koe and len(set_) < MAKS_SIDER_PR_ROLLE:
            sti = koe.popleft()
            if sti in set_:
                continue
            sti_uden = urllib.parse.urlsplit(sti).path
            if pr_sti[sti_uden] >= MAKS_PR_STI:
                continue
            # Static files once: their headers are checked, their content is not a page.
            set_.add(sti)
            pr_sti[sti_uden] += 1
            status, h, tekst = self.hent(opener, sti, hvem=hvem)
            if status in (301, 302, 303, 307, 308) and h.get("Location"):
                til = self.samme_sted(h["Location"], sti)
                if til:
                    koe.append(til)
                continue
            if "text/html" not in h.get("Content-Type", ""):
                continue
            side = Side()
            side.feed(tekst)
            for href in side.links:
                til = self.samme_sted(href, sti)
                if til and til not in set_:
                    koe.append(til)
            # A list's filter form: search by a citizen's CPR and name once per list.
            for f in side.formularer:
                if f["id"] != "filter" or f["method"] != "post":
                    continue
                maal = self.samme_sted(f["action"] or sti, sti)
                if not maal or maal in sendte_filtre:
                    continue
                sendte_filtre.add(maal)
                felter = {n: v for (n, v, t) in f["felter"] if t == "hidden"}
                for cpr_vaerdi, navn in ((DEMO_CPR, ""), (f"{DEMO_CPR[:6]}-{DEMO_CPR[6:]}", DEMO_NAVN)):
                    data = dict(felter, cpr=cpr_vaerdi, navn=navn)
                    s, hh, _ = self.hent(opener, maal, data=data, hvem=hvem)
                    if s == 303 and hh.get("Location"):
                        til = self.samme_sted(hh["Location"], maal)
                        if til:
                            koe.appendleft(til)

    def demo_brugere(self) -> list[tuple[str, str]]:
        """One demo user per role: (role, login path)."""
        opener, _ = self.klient()
        status, _, tekst = self.hent(opener, "/demo-login", hvem="anonym")
        if status != 200:
            return []
        brugere = []
        for blok in tekst.split("<h2>")[1:]:
            rolle = blok.split("</h2>", 1)[0].strip()
            m = re.search(r'action="(/demo-login/\d+)"', blok)
            if m:
                brugere.append((rolle, m.group(1)))
        return brugere

    def koer(self) -> int:
        try:
            self.hent(self.klient()[0], "/healthz", hvem="anonym")
        except OSError as e:
            print(f"FEJL: serveren svarer ikke på {self.base}: {e}", file=sys.stderr)
            return 2
        # Anonymous: the front page, the privacy notice, an unknown page, the API's docs.
        anonym, _ = self.klient()
        self.kravl(anonym, "anonym", ["/", "/privatliv", "/findes-ikke", "/api/docs", "/api/openapi.json"])
        brugere = self.demo_brugere()
        if not brugere:
            print("FEJL: ingen demobrugere på /demo-login (kører serveren i demo-tilstand?)", file=sys.stderr)
            return 2
        for rolle, login in brugere:
            opener, jar = self.klient()
            status, _, _ = self.hent(opener, login, data={}, hvem=rolle)
            if status != 303 or not any(c.name == "vitas_session" for c in jar):
                self.fund_("login", rolle, f"demo-login gav {status} og ingen session")
                continue
            self.kravl(opener, rolle, ["/"])
            print(f"  {rolle}: skannet")
        print(f"Sikkerhedsskanning: {self.antal_svar} svar fra {len(brugere)} roller og en anonym besøgende")
        if not self.fund:
            print("Ingen fund.")
            return 0
        print(f"\nFUND ({sum(len(v) for v in self.fund.values())}):")
        for tjek in sorted(self.fund):
            print(f"\n[{tjek}]")
            for linje in sorted(self.fund[tjek])[:40]:
                print(f"  {linje}")
            if len(self.fund[tjek]) > 40:
                print(f"  … og {len(self.fund[tjek]) - 40} mere")
        return 1


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    return Skanner(sys.argv[1]).koer()


if __name__ == "__main__":
    sys.exit(main())
