//! `vitas-tools bench skriv` (issue 15 §4): the write path. Times an application's whole path
//! through real HTTP against the real router, as the company, the employee representative
//! and the caseworker click it: draft → the five steps (with the CPR name lookup on step 3)
//! → sign and send → the representative's approval through the hearing link → the
//! caseworker's approval (grant) → the company's approval of the grant.
//!
//! The application runs in this process on 127.0.0.1:0 in demo mode, over the database it is
//! given (the demo world is seeded if the database is empty). Every simulated user logs in
//! through `POST /demo-login/{id}` into a cookie jar of its own; redirects are not followed,
//! the bench GETs the next page itself as a browser would. C workers each run whole paths
//! until N applications are done. Worker `w` files its applications for citizen `w mod 3`,
//! one in each staffed demo jobcentre, and logs in that jobcentre's caseworker.
//!
//! The **baseline**, measured in the same run with the same concurrency, makes the same ten
//! writes per application without HTTP: `storage::sager::opret` and nine
//! `storage::sager::udfoer` calls with the same kind of `Aendring` the handlers build (the
//! state, history, counts, sub-record, e-mail and notification outbox rows and the hearing
//! link). It leaves out what only the request path does: sessions, page rendering, the
//! reads before each write and the register lookups (CVR, DFDG, eIndkomst).
//!
//! Afterwards it checks the database: the counts agree with the cases
//! (`storage::taelling::afvigelser`), and every completed application has its history and
//! outbox rows. Nothing is asserted on time. The bench leaves its cases in the database: use
//! a scratch database (docs/benchmarks.md).

use crate::bench::percentil;
use anyhow::{Context, bail};
use chrono::{Duration as Dage, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::{Aktoer, Handling};
use domain::status::Elementart;
use futures_util::future::join_all;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use server::{Application, Config, seed_demo_if_empty};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use storage::Db;
use storage::entity::{bruger, outbox, sag, sagshaendelse};
use storage::sager::{Aendring, Email, NySag, NytElement, Udfoerer};

#[derive(Debug, Clone)]
pub struct Indstillinger {
    /// Applications to take the whole way.
    pub antal: u64,
    /// Application paths running side by side.
    pub samtidige: usize,
}

/// Lone Kjær of Nordlys Logistik ApS, the applying company (as in tests/api/flow.rs).
const VIRKSOMHED_EMAIL: &str = "lone@nordlys.dk";
const VIRKSOMHED_CVR: &str = "25348710";
const VIRKSOMHED_NAVN: &str = "Lone Kjær";
/// Mads Ærtebjerg, a demo citizen with MitID, who answers the hearing as the employee
/// representative: the hearing link asks for a MitID login (as in tests/api/flow.rs).
const REP_EMAIL: &str = "mads.aertebjerg@borger.dk";

/// A citizen of the demo world and a caseworker of the citizen's home jobcentre, which
/// receives the application. The CPR is only ever sent in a form, never printed.
struct Borger {
    cpr: &'static str,
    fornavn: &'static str,
    kommunekode: &'static str,
    sagsbehandler: &'static str,
}

const BORGERE: [Borger; 3] = [
    Borger {
        cpr: "010190-1234",
        fornavn: "Anna",
        kommunekode: "0101",
        sagsbehandler: "karen.holm@jobcenter-koebenhavn.dk",
    },
    Borger {
        cpr: "091288-4567",
        fornavn: "Søren",
        kommunekode: "0751",
        sagsbehandler: "rasmus.moeller@jobcenter-aarhus.dk",
    },
    Borger {
        cpr: "040595-7890",
        fornavn: "Louise",
        kommunekode: "0461",
        sagsbehandler: "hanne.skov@jobcenter-odense.dk",
    },
];

/// The requests of one application's path, in order; the tables print in this order.
const TRIN: [&str; 20] = [
    "ny kladde (POST)",
    "trin 1 vis",
    "trin 1 gem (POST)",
    "trin 2 vis",
    "trin 2 gem (POST)",
    "trin 3 vis",
    "trin 3 slå navn op (POST)",
    "trin 3 vis med navn",
    "trin 3 gem (POST)",
    "trin 4 vis",
    "trin 4 gem (POST)",
    "trin 5 vis",
    "underskriv og send (POST)",
    "sagen efter afsendelse",
    "høring vis (rep.)",
    "høring godkend (POST)",
    "sagen (sagsbehandler)",
    "godkend ansøgning (POST)",
    "sagen (virksomhed)",
    "godkend bevilling (POST)",
];

/// The writes (opret/udfoer) of one application: the POSTs above.
const SKRIVNINGER_PR_ANSOEGNING: u64 = 10;
/// History rows of a completed application: draft, sent, received, grant, grant approved.
const HAENDELSER_PR_ANSOEGNING: i64 = 5;
/// Outbox rows of a completed application: a notification per status change once the case
/// has a jobcentre (sent, received, grant, grant approved) and three e-mails (the hearing
/// link, received, grant awaiting approval).
const NOTIFIKATIONER_PR_ANSOEGNING: i64 = 4;
const EMAILS_PR_ANSOEGNING: i64 = 3;

/// Valid input for each step of a løntilskud application by Nordlys Logistik (field names as
/// in `LoentilskudAnsoegning`), for `cpr` and the period `start`–`slut`. The integration
/// tests fill the steps with the same values (tests/api/flow.rs).
pub fn gyldige_felter(n: u8, cpr: &str, start: NaiveDate, slut: NaiveDate) -> Vec<(&'static str, String)> {
    let v = |s: &str| s.to_string();
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    match n {
        1 => vec![("pnummer", v("1003456781")), ("konfliktramt", v("nej")), ("konflikt_kommentar", v(""))],
        2 => vec![
            ("rimelighed_ansatte", v("40,00")),
            ("allerede_stoettede", v("0")),
            ("merbeskaeftigelse_seneste", v("42,00")),
        ],
        3 => vec![
            ("samtykke", v("on")),
            ("cpr", v(cpr)),
            ("oeremaerket", v("ja")),
            ("startdato", iso(start)),
            ("slutdato", iso(slut)),
            ("timer", v("37")),
            ("stillingsbetegnelse", v("Lagermedarbejder")),
            ("jobindhold", v("Plukning, pakning og forsendelse af varer på lageret på Amager.")),
            ("timeloen", v("150,00")),
        ],
        4 => vec![
            ("kontakt_navn", v(VIRKSOMHED_NAVN)),
            ("kontakt_email", v(VIRKSOMHED_EMAIL)),
            ("kontakt_telefon", v("33 12 34 56")),
            ("arbejdssted_navn", v("Per Lund")),
            ("arbejdssted_email", v("per.lund@nordlys.dk")),
            ("arbejdssted_telefon", v("33123457")),
            ("rep_navn", v("Søren Bak")),
            ("rep_email", v("soeren.bak@nordlys.dk")),
            ("rep_telefon", v("")),
        ],
        _ => vec![("bemaerkning", v("Vi glæder os til samarbejdet."))],
    }
}

/// The bench's input for step `n`: a period starting in two weeks, for `borger`.
fn felter(n: u8, borger: &Borger) -> Vec<(&'static str, String)> {
    let start = Utc::now().date_naive() + Dage::days(14);
    gyldige_felter(n, borger.cpr, start, start + Dage::days(181))
}

/// A browser-like client: its own cookie jar, redirects not followed.
fn ny_klient() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?)
}

/// One simulated user's browser.
struct Bruger {
    http: reqwest::Client,
    base: String,
    /// The session's CSRF token from the front page; every POST carries it as `_csrf`, as the
    /// page's forms do.
    csrf: String,
}

/// A page or a redirect.
struct Svar {
    status: StatusCode,
    location: Option<String>,
    html: String,
}

impl Bruger {
    async fn log_ind(base: &str, db: &Db, email: &str) -> anyhow::Result<Bruger> {
        let id = bruger::Entity::find()
            .filter(bruger::Column::Email.eq(email))
            .one(&db.conn)
            .await?
            .with_context(|| format!("demo-brugeren {email} findes ikke"))?
            .id;
        let mut b = Bruger { http: ny_klient()?, base: base.to_string(), csrf: String::new() };
        let s = b.post(&format!("/demo-login/{id}"), &[]).await?;
        if s.status != StatusCode::SEE_OTHER {
            bail!("demo-login som {email} svarede {}", s.status);
        }
        let forside = b.get("/").await?;
        b.csrf = csrf_token(&forside.html).with_context(|| format!("forsiden for {email} har intet CSRF-token"))?;
        Ok(b)
    }

    async fn svar(r: reqwest::Response) -> anyhow::Result<Svar> {
        let status = r.status();
        let location = r.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(Svar { status, location, html: r.text().await? })
    }

    async fn get(&self, sti: &str) -> anyhow::Result<Svar> {
        Self::svar(self.http.get(format!("{}{sti}", self.base)).send().await?).await
    }

    async fn post(&self, sti: &str, felter: &[(&str, &str)]) -> anyhow::Result<Svar> {
        let mut alle = felter.to_vec();
        if !self.csrf.is_empty() {
            alle.push(("_csrf", &self.csrf));
        }
        Self::svar(self.http.post(format!("{}{sti}", self.base)).form(&alle).send().await?).await
    }
}

/// The session's CSRF token in a page's `<meta name="csrf-token">`.
fn csrf_token(html: &str) -> Option<String> {
    let rest =
        &html[html.find(r#"<meta name="csrf-token" content=""#)? + r#"<meta name="csrf-token" content=""#.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The hidden `version` of the page's (first) form.
fn version(html: &str) -> Option<String> {
    let rest = &html[html.find(r#"name="version" value=""#)? + r#"name="version" value=""#.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The path of the hearing link the company's case page shows (`#hoering-link`).
fn hoering_sti(html: &str) -> Option<String> {
    let rest = &html[html.find(r#"id="hoering-link" href=""#)? + r#"id="hoering-link" href=""#.len()..];
    let href = &rest[..rest.find('"')?];
    Some(href[href.find("/hoering/")?..].to_string())
}

/// One worker's logged-in users and what it measured.
struct Arbejder {
    virksomhed: Bruger,
    sagsbehandler: Bruger,
    rep: Bruger,
    borger: &'static Borger,
    /// (index into TRIN, time) per request.
    tider: Vec<(usize, Duration)>,
    /// Whole path per application.
    hele: Vec<Duration>,
    /// The ids of the completed applications.
    sager: Vec<i64>,
}

/// Time one request as step `i`; it must answer `forventet`.
async fn maal(
    tider: &mut Vec<(usize, Duration)>,
    i: usize,
    forventet: StatusCode,
    f: impl Future<Output = anyhow::Result<Svar>>,
) -> anyhow::Result<Svar> {
    let t = Instant::now();
    let s = f.await?;
    tider.push((i, t.elapsed()));
    if s.status != forventet {
        bail!("{}: forventede {forventet}, fik {} (Location {:?})", TRIN[i], s.status, s.location);
    }
    Ok(s)
}

impl Arbejder {
    /// One application's whole path. Returns the case id.
    async fn ansoegning(&mut self) -> anyhow::Result<i64> {
        const OK: StatusCode = StatusCode::OK;
        const VIDERE: StatusCode = StatusCode::SEE_OTHER;
        let (b, firma, t) = (self.borger, &self.virksomhed, &mut self.tider);
        let s = maal(t, 0, VIDERE, firma.post("/ansoegninger/ny", &[("ordning", "loentilskud")])).await?;
        let til = s.location.unwrap_or_default();
        let id: i64 = til
            .strip_prefix("/sager/")
            .and_then(|r| r.strip_suffix("/trin/1"))
            .and_then(|r| r.parse().ok())
            .with_context(|| format!("ny kladde sendte videre til {til}, ikke /sager/{{id}}/trin/1"))?;
        let trin_sti = |n: u8| format!("/sager/{id}/trin/{n}");
        let mut i = 1;
        for n in 1..=4u8 {
            let side = maal(t, i, OK, firma.get(&trin_sti(n))).await?;
            i += 1;
            let mut v = version(&side.html).context("trin-formularen mangler version")?;
            let f = felter(n, b);
            if n == 3 {
                // "Slå navn op": saves the step and comes back to it with the citizen's name.
                let mut opslag: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                opslag.push(("version", &v));
                opslag.push(("handling", "opslag"));
                let s = maal(t, i, VIDERE, firma.post(&trin_sti(3), &opslag)).await?;
                i += 1;
                if s.location.as_deref() != Some(trin_sti(3).as_str()) {
                    bail!("slå navn op sendte videre til {:?}, ikke trin 3", s.location);
                }
                let side = maal(t, i, OK, firma.get(&trin_sti(3))).await?;
                i += 1;
                if !side.html.contains(b.fornavn) {
                    bail!("trin 3 viser ikke borgerens navn efter opslaget");
                }
                v = version(&side.html).context("trin 3 mangler version")?;
            }
            let mut gem: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            gem.push(("version", &v));
            let s = maal(t, i, VIDERE, firma.post(&trin_sti(n), &gem)).await?;
            i += 1;
            if s.location.as_deref() != Some(trin_sti(n + 1).as_str()) {
                bail!("trin {n} gem sendte videre til {:?}, ikke trin {}", s.location, n + 1);
            }
        }
        let side = maal(t, i, OK, firma.get(&trin_sti(5))).await?;
        i += 1;
        let v = version(&side.html).context("trin 5 mangler version")?;
        let f = felter(5, b);
        let mut send: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send.push(("version", &v));
        let s = maal(t, i, VIDERE, firma.post(&format!("/sager/{id}/indsend"), &send)).await?;
        i += 1;
        let efter = s.location.context("underskriv og send uden Location")?;
        let side = maal(t, i, OK, firma.get(&efter)).await?;
        i += 1;
        let hoering = hoering_sti(&side.html).context("sagen viser intet høringslink efter afsendelse")?;
        maal(t, i, OK, self.rep.get(&hoering)).await?;
        i += 1;
        let s = maal(t, i, VIDERE, self.rep.post(&format!("{hoering}/godkend"), &[])).await?;
        i += 1;
        // A refused approval also answers 303 (back to the hearing page), so the receipt is
        // what shows that it was recorded.
        if s.location.as_deref() != Some("/hoering/kvittering/godkendt") {
            bail!("repræsentantens godkendelse sendte videre til {:?}, ikke kvitteringen", s.location);
        }
        for (bruger, slug, ekstra) in [
            (&self.sagsbehandler, "godkend-ansoegning", Some(("tilskudsloft", "50"))),
            (firma, "godkend-bevilling", None),
        ] {
            let side = maal(t, i, OK, bruger.get(&format!("/sager/{id}"))).await?;
            i += 1;
            let v = version(&side.html).with_context(|| format!("sagen mangler version før {slug}"))?;
            let mut form = vec![("version", v.as_str())];
            form.extend(ekstra);
            maal(t, i, VIDERE, bruger.post(&format!("/sager/{id}/handling/{slug}"), &form)).await?;
            i += 1;
        }
        debug_assert_eq!(i, TRIN.len());
        Ok(id)
    }
}

/// The writes of the baseline, by name (one per write of the HTTP path).
const RAA_TRIN: [&str; 10] = [
    "opret kladde",
    "gem trin 1",
    "gem trin 2",
    "gem trin 3 (navneopslag)",
    "gem trin 3",
    "gem trin 4",
    "indsend",
    "rep. godkender",
    "godkend ansøgning",
    "godkend bevilling",
];

/// What the baseline needs to write like the app: the actors and a finished case of the
/// same citizen to copy the form and columns from.
struct RaaSkabelon {
    virksomhed: Udfoerer,
    sagsbehandler: Udfoerer,
    kladde: String,
    sag: sag::Model,
    /// The template case's form, as stored.
    skemadata: String,
}

fn email(til: &str, emne: &str) -> Email {
    Email {
        til: til.into(),
        afsender_navn: "Jobcenter".into(),
        emne: emne.into(),
        tekst: format!("{emne}\n\n{}", "Dette er en besked fra VITAS om ansøgningen om løntilskud. ".repeat(8)),
    }
}

/// One application's ten writes straight through the repository. Returns the case id.
async fn raa_ansoegning(db: &Db, s: &RaaSkabelon, tider: &mut Vec<(usize, Duration)>) -> anyhow::Result<i64> {
    let nu = Utc::now;
    let t = Instant::now();
    let ny = NySag {
        ordning: Ordning::Loentilskud,
        sagsart: Sagsart::Ansoegning,
        cvr: VIRKSOMHED_CVR.into(),
        skemadata: s.kladde.clone(),
        konfliktramt: false,
    };
    let id = storage::sager::opret(db, &s.virksomhed, ny, nu()).await?.id;
    tider.push((0, t.elapsed()));
    for i in 1..=5 {
        let mut a = Aendring::ny(Handling::GemKladde);
        a.opdatering.skemadata = Some(s.skemadata.clone());
        let t = Instant::now();
        storage::sager::udfoer(db, id, &s.virksomhed, a, nu()).await?;
        tider.push((i, t.elapsed()));
    }
    let idag = nu().date_naive();
    let m = &s.sag;
    let token = storage::sager::ny_token();
    let mut a = Aendring::ny(Handling::Indsend { med_hoering: true });
    a.opdatering.skemadata = Some(s.skemadata.clone());
    a.opdatering.jobcenter_id = m.jobcenter_id;
    a.opdatering.pnummer = m.pnummer.clone();
    a.opdatering.cpr = m.cpr.clone();
    a.opdatering.borger_navn = m.borger_navn.clone();
    a.opdatering.startdato = m.startdato;
    a.opdatering.slutdato = m.slutdato;
    a.opdatering.timer_hundrededele = m.timer_hundrededele;
    a.nyt_element = Some(NytElement {
        art: Elementart::Ansoegning,
        status: String::new(),
        startdato: m.startdato,
        slutdato: m.slutdato,
        data: serde_json::to_value(domain::elementdata::Ansoegningsdata {
            underskrevet_af: VIRKSOMHED_NAVN.into(),
            underskrevet: nu().to_rfc3339(),
            signeringsmetode: "demo".into(),
            ..Default::default()
        })?,
    });
    a.emails.push(email("soeren.bak@nordlys.dk", "Høring om ansøgning om løntilskud"));
    a.link = Some((token.clone(), "hoering"));
    let t = Instant::now();
    storage::sager::udfoer(db, id, &s.virksomhed, a, nu()).await?;
    tider.push((6, t.elapsed()));

    let rep = Udfoerer {
        aktoer: Aktoer::Medarbejderrep { sag_id: id },
        bruger_id: None,
        navn: "Søren Bak (medarbejderrepræsentant)".into(),
    };
    let mut a = Aendring::ny(Handling::RepGodkend);
    a.opdatering.modtaget_dato = Some(idag);
    a.brug_link = Some(token);
    a.emails.push(email(VIRKSOMHED_EMAIL, "Ansøgningen er modtaget"));
    let t = Instant::now();
    storage::sager::udfoer(db, id, &rep, a, nu()).await?;
    tider.push((7, t.elapsed()));

    // The same change the handler builds for "Godkend ansøgning" with the default cap.
    let mut a =
        Aendring::bevilling(m, domain::afgoerelse::eksempel(domain::ordning::Ordning::Loentilskud.profil()), idag);
    a.emails.push(email(VIRKSOMHED_EMAIL, "Bevilling til godkendelse"));
    let t = Instant::now();
    storage::sager::udfoer(db, id, &s.sagsbehandler, a, nu()).await?;
    tider.push((8, t.elapsed()));

    let mut a = Aendring::ny(Handling::GodkendBevilling);
    a.opdatering.godkendt_dato = Some(idag);
    let t = Instant::now();
    storage::sager::udfoer(db, id, &s.virksomhed, a, nu()).await?;
    tider.push((9, t.elapsed()));
    Ok(id)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Print p50/p99/max per step and overall; returns all timings sorted.
fn tabel(navne: &[&str], tider: &[(usize, Duration)]) -> Vec<Duration> {
    let mut pr: BTreeMap<usize, Vec<Duration>> = BTreeMap::new();
    for (i, d) in tider {
        pr.entry(*i).or_default().push(*d);
    }
    println!("  {:<34} {:>7} {:>9} {:>9} {:>9}", "trin", "antal", "p50", "p99", "maks");
    for (i, v) in &mut pr {
        v.sort();
        println!(
            "  {:<34} {:>7} {:>7.2}ms {:>7.2}ms {:>7.2}ms",
            navne.get(*i).copied().unwrap_or("?"),
            v.len(),
            ms(percentil(v, 0.5)),
            ms(percentil(v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        );
    }
    let mut alle: Vec<Duration> = tider.iter().map(|(_, d)| *d).collect();
    alle.sort();
    println!(
        "  {:<34} {:>7} {:>7.2}ms {:>7.2}ms {:>7.2}ms",
        "alle",
        alle.len(),
        ms(percentil(&alle, 0.5)),
        ms(percentil(&alle, 0.99)),
        ms(alle.last().copied().unwrap_or_default())
    );
    alle
}

async fn udfoerer(db: &Db, email: &str) -> anyhow::Result<Udfoerer> {
    let b = bruger::Entity::find()
        .filter(bruger::Column::Email.eq(email))
        .one(&db.conn)
        .await?
        .with_context(|| format!("demo-brugeren {email} findes ikke"))?;
    let aktoer = match (b.cvr.clone(), b.jobcenter_id) {
        (Some(cvr), _) => Aktoer::Virksomhed { cvr },
        (None, Some(jobcenter_id)) => Aktoer::Sagsbehandler { jobcenter_id },
        _ => bail!("demo-brugeren {email} er hverken virksomhed eller sagsbehandler"),
    };
    Ok(Udfoerer { aktoer, bruger_id: Some(b.id), navn: format!("{} {}", b.fornavn, b.efternavn) })
}

/// Per case among `ids`: (history rows, notification outbox rows, e-mail outbox rows).
async fn raekker_pr_sag(db: &Db, ids: &[i64]) -> anyhow::Result<BTreeMap<i64, (i64, i64, i64)>> {
    let mut pr: BTreeMap<i64, (i64, i64, i64)> = ids.iter().map(|id| (*id, (0, 0, 0))).collect();
    for stk in ids.chunks(1000) {
        let h: Vec<(i64, i64)> = sagshaendelse::Entity::find()
            .select_only()
            .column(sagshaendelse::Column::SagId)
            .column_as(sagshaendelse::Column::Id.count(), "n")
            .filter(sagshaendelse::Column::SagId.is_in(stk.iter().copied()))
            .group_by(sagshaendelse::Column::SagId)
            .into_tuple()
            .all(&db.conn)
            .await?;
        for (id, n) in h {
            pr.entry(id).or_default().0 = n;
        }
        let o: Vec<(Option<i64>, String, i64)> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::SagId)
            .column(outbox::Column::Art)
            .column_as(outbox::Column::Id.count(), "n")
            .filter(outbox::Column::SagId.is_in(stk.iter().copied()))
            .group_by(outbox::Column::SagId)
            .group_by(outbox::Column::Art)
            .into_tuple()
            .all(&db.conn)
            .await?;
        for (id, art, n) in o {
            let Some(id) = id else { continue };
            let e = pr.entry(id).or_default();
            if art == storage::outbox::NOTIFIKATION {
                e.1 += n;
            } else if art == storage::outbox::EMAIL {
                e.2 += n;
            }
        }
    }
    Ok(pr)
}

/// Print one Danish line per check of the cases `ids`; returns whether all passed.
async fn tjek_sager(db: &Db, hvilke: &str, ids: &[i64]) -> anyhow::Result<bool> {
    let pr = raekker_pr_sag(db, ids).await?;
    let n = ids.len();
    let h = pr.values().filter(|r| r.0 == HAENDELSER_PR_ANSOEGNING).count();
    let no = pr.values().filter(|r| r.1 == NOTIFIKATIONER_PR_ANSOEGNING).count();
    let e = pr.values().filter(|r| r.2 == EMAILS_PR_ANSOEGNING).count();
    let mut faerdige = 0;
    for stk in ids.chunks(1000) {
        faerdige += sag::Entity::find()
            .filter(sag::Column::Id.is_in(stk.iter().copied()))
            .filter(sag::Column::AfgoerelseStatus.eq("godkendt_af_virksomhed"))
            .all(&db.conn)
            .await?
            .len();
    }
    let ok = |a: usize| if a == n { "ok" } else { "AFVIGER" };
    println!("  {hvilke}: {faerdige} af {n} sager står som »Godkendt af virksomhed« ({})", ok(faerdige));
    println!("  {hvilke}: {h} af {n} sager har præcis {HAENDELSER_PR_ANSOEGNING} hændelser i historikken ({})", ok(h));
    println!(
        "  {hvilke}: {no} af {n} sager har præcis {NOTIFIKATIONER_PR_ANSOEGNING} notifikationer i outboxen ({})",
        ok(no)
    );
    println!("  {hvilke}: {e} af {n} sager har præcis {EMAILS_PR_ANSOEGNING} e-mails i outboxen ({})", ok(e));
    Ok(faerdige == n && h == n && no == n && e == n)
}

pub async fn koer(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    if seed_demo_if_empty(db).await? {
        println!("Databasen var tom; demo-verdenen er oprettet.");
    }
    let config = Config {
        database_url: None,
        data_dir: std::env::temp_dir().join("vitas-bench-skriv"),
        addr: "127.0.0.1:0".parse()?,
        demo: true,
        base_url: None,
        api_graense_pr_minut: web::api::graense::STANDARD_PR_MINUT,
        adgangslog_noegle: None,
        drift: server::Drift::default(),
    };
    // The bench is one address making hundreds of logins, lookups and pages a minute on
    // purpose: the rate limits (decision 65) are off, as they are for a load test.
    let app = Application::with_db(config, crate::med_midlertidig_noegle(db.clone()))
        .await?
        .med_state(|s| s.med_graenser(0, 0, 0));
    let base = format!("http://127.0.0.1:{}", app.port);
    let server = tokio::spawn(app.run());
    let samtidige = ind.samtidige.max(1);
    let sager_foer = sag::Entity::find().select_only().column_as(sag::Column::Id.count(), "n").into_tuple::<i64>();
    let sager_foer = sager_foer.one(&db.conn).await?.unwrap_or(0);
    println!(
        "vitas-tools bench skriv: {} ansøgninger hele vejen, {samtidige} samtidige, {:?} ({sager_foer} sager i forvejen)",
        ind.antal,
        db.backend()
    );

    // Log every worker's users in before the clock starts.
    let mut arbejdere = Vec::with_capacity(samtidige);
    for w in 0..samtidige {
        let borger = &BORGERE[w % BORGERE.len()];
        arbejdere.push(Arbejder {
            virksomhed: Bruger::log_ind(&base, db, VIRKSOMHED_EMAIL).await?,
            sagsbehandler: Bruger::log_ind(&base, db, borger.sagsbehandler).await?,
            rep: Bruger::log_ind(&base, db, REP_EMAIL).await?,
            borger,
            tider: Vec::new(),
            hele: Vec::new(),
            sager: Vec::new(),
        });
    }

    // The app: whole paths over HTTP.
    let naeste = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let koerende = arbejdere.into_iter().map(|mut a| {
        let naeste = naeste.clone();
        let antal = ind.antal;
        async move {
            while naeste.fetch_add(1, Ordering::Relaxed) < antal {
                let t = Instant::now();
                let id = a.ansoegning().await?;
                a.hele.push(t.elapsed());
                a.sager.push(id);
            }
            anyhow::Ok(a)
        }
    });
    let resultater = join_all(koerende).await;
    let app_tid = start.elapsed();
    let mut tider = Vec::new();
    let mut hele = Vec::new();
    let mut app_sager = Vec::new();
    let mut skabelon_for: BTreeMap<&'static str, i64> = BTreeMap::new();
    for r in resultater {
        let a = r?;
        if let Some(id) = a.sager.first() {
            skabelon_for.entry(a.borger.kommunekode).or_insert(*id);
        }
        tider.extend(a.tider);
        hele.extend(a.hele);
        app_sager.extend(a.sager);
    }
    server.abort();
    let n = app_sager.len() as f64;
    let app_rate = n / app_tid.as_secs_f64().max(1e-9);
    println!();
    println!("Appen (HTTP mod den rigtige router, {} forespørgsler pr. ansøgning):", TRIN.len());
    println!(
        "  {} ansøgninger på {:.2} s: {:.1} ansøgninger/s (hele vejen), {:.0} forespørgsler/s",
        app_sager.len(),
        app_tid.as_secs_f64(),
        app_rate,
        tider.len() as f64 / app_tid.as_secs_f64().max(1e-9)
    );
    println!(
        "  tilstandsændringer (opret/udfoer): {} ({:.0}/s), heraf statusskift: {}",
        app_sager.len() as u64 * SKRIVNINGER_PR_ANSOEGNING,
        n * SKRIVNINGER_PR_ANSOEGNING as f64 / app_tid.as_secs_f64().max(1e-9),
        app_sager.len() as i64 * HAENDELSER_PR_ANSOEGNING
    );
    hele.sort();
    println!(
        "  hele vejen pr. ansøgning: p50 {:.1} ms, p99 {:.1} ms, maks {:.1} ms",
        ms(percentil(&hele, 0.5)),
        ms(percentil(&hele, 0.99)),
        ms(hele.last().copied().unwrap_or_default())
    );
    tabel(&TRIN, &tider);

    // The baseline: the same ten writes per application, without HTTP.
    let virksomhed = udfoerer(db, VIRKSOMHED_EMAIL).await?;
    let kladde = domain::skema::Skemadata::ny(Ordning::Loentilskud, false, Vec::new())
        .context("løntilskud har en formular")?
        .json()?;
    let mut skabeloner = Vec::new();
    for b in &BORGERE {
        let Some(id) = skabelon_for.get(b.kommunekode) else { continue };
        let sag = sag::Entity::find_by_id(*id).one(&db.conn).await?.context("skabelonsagen forsvandt")?;
        skabeloner.push(Arc::new(RaaSkabelon {
            virksomhed: virksomhed.clone(),
            sagsbehandler: udfoerer(db, b.sagsbehandler).await?,
            kladde: kladde.clone(),
            skemadata: storage::sager::skemajson(&db.conn, sag.id).await?,
            sag,
        }));
    }
    let mut raa_sager = Vec::new();
    let mut raa_tider = Vec::new();
    let mut raa_tid = Duration::ZERO;
    if !skabeloner.is_empty() {
        let naeste = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let koerende = (0..samtidige).map(|w| {
            let naeste = naeste.clone();
            let s = skabeloner[w % skabeloner.len()].clone();
            let antal = app_sager.len() as u64;
            async move {
                let mut tider = Vec::new();
                let mut sager = Vec::new();
                while naeste.fetch_add(1, Ordering::Relaxed) < antal {
                    sager.push(raa_ansoegning(db, &s, &mut tider).await?);
                }
                anyhow::Ok((sager, tider))
            }
        });
        let resultater = join_all(koerende).await;
        raa_tid = start.elapsed();
        for r in resultater {
            let (s, t) = r?;
            raa_sager.extend(s);
            raa_tider.extend(t);
        }
    }
    let raa_rate = raa_sager.len() as f64 / raa_tid.as_secs_f64().max(1e-9);
    println!();
    println!(
        "Grundlinje (samme {SKRIVNINGER_PR_ANSOEGNING} skrivninger pr. ansøgning direkte i storage::sager, uden HTTP, \
         sider, sessioner og registeropslag):"
    );
    println!(
        "  {} ansøgninger på {:.2} s: {:.1} ansøgninger/s, {:.0} tilstandsændringer/s",
        raa_sager.len(),
        raa_tid.as_secs_f64(),
        raa_rate,
        raa_rate * SKRIVNINGER_PR_ANSOEGNING as f64
    );
    tabel(&RAA_TRIN, &raa_tider);
    println!();
    println!("  forhold app ÷ grundlinje (ansøgninger/s): {:.2}", app_rate / raa_rate.max(1e-9));
    println!("  mål: ≥ 500 indsendelser/s; appen nåede {app_rate:.1} hele ansøgninger/s");

    // Consistency.
    println!();
    println!("Konsistens:");
    let afvigelser = storage::taelling::afvigelser(&db.conn).await?;
    if afvigelser.is_empty() {
        println!("  Tællingerne stemmer med sagerne (storage::taelling::afvigelser er tom).");
    } else {
        println!("  {} grupper i tællingerne afviger fra sagerne:", afvigelser.len());
        for a in &afvigelser {
            println!("    {a}");
        }
    }
    let app_ok = tjek_sager(db, "appen", &app_sager).await?;
    let raa_ok = tjek_sager(db, "grundlinjen", &raa_sager).await?;
    if afvigelser.is_empty() && app_ok && raa_ok {
        println!("  Databasen er konsistent.");
    } else {
        println!("  Databasen er IKKE konsistent; se linjerne ovenfor.");
    }
    Ok(())
}
