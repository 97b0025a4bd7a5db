//! The application wizard for every scheme: a new draft, its steps (Trin) as the scheme's
//! `Skema` describes them, and "Underskriv og send" (seed 004 "Oprettelse af en ny
//! ansøgning"). Nothing here names a scheme (issue 13 §1).

use super::{Indsendt, Ramme, Sti, Svar, vaerdi, version, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt, med_fejl};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{Datelike, Utc};
use domain::FieldError;
use domain::ident::{Cpr, Cvr};
use domain::krav::{Fuldtid, KravResultat};
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Handling};
use domain::skema::dele::{EindkomstMaaned, Kontekst};
use domain::skema::felt::{Blok, Feltart, Gruppe, Gruppehandling, MAKS_RAEKKER};
use domain::skema::{Skemadata, Visning};
use domain::status::Elementart;
use storage::entity::sag;
use storage::sager::{Aendring, NySag, NytElement};

/// The company's CVR, or refusal for anyone else (only companies fill applications here).
fn virksomhedens_cvr(b: &Bruger) -> Result<Cvr, WebFejl> {
    match &b.aktoer {
        Aktoer::Virksomhed { cvr } => Cvr::parse(cvr, "cvr").map_err(|e| WebFejl::Intern(e.into())),
        _ => Err(WebFejl::Afvist(domain::policy::Afvisning::Rolle {
            rolle: b.rolle.navn(),
            handling: Handling::OpretKladde.navn(),
        })),
    }
}

/// `YYYY-MM` of the current month: eIndkomst months before it are complete.
fn denne_maaned() -> String {
    let d = Utc::now().date_naive();
    format!("{:04}-{:02}", d.year(), d.month())
}

#[tracing::instrument(skip_all)]
pub async fn ny(State(st): State<AppState>, b: Bruger, Indsendt(f): Indsendt) -> Svar {
    // An unknown scheme is refused, never taken for another (issue 13 §1).
    let ordning = Ordning::fra_kode(&vaerdi(&f, "ordning"))
        .ok_or_else(|| WebFejl::Ugyldig("Vælg en ordning, som virksomheder kan søge.".into()))?;
    let cvr = virksomhedens_cvr(&b)?;
    // Seed 002 §2.1: the conflict flag is taken from STAR's register when the draft is made.
    let konflikt = st.konflikt.konfliktramt(&cvr).await?;
    let eindkomst = st
        .eindkomst
        .fuldtid(&cvr, &denne_maaned(), 12)
        .await?
        .into_iter()
        .map(|(maaned, h)| EindkomstMaaned { maaned, fuldtid: Fuldtid::from_hundredths(h) })
        .collect();
    let skema = Skemadata::ny(ordning, konflikt, eindkomst)
        .ok_or(WebFejl::Afvist(domain::policy::Afvisning::Ordning { ordning: ordning.navn() }))?;
    let ny = NySag {
        ordning,
        sagsart: ordning.profil().sagsart(),
        cvr: cvr.as_str().to_string(),
        skemadata: skema.json().map_err(anyhow::Error::from)?,
        konfliktramt: konflikt,
    };
    let sag = storage::sager::opret(&st.db, &b.udfoerer(), ny, Utc::now()).await?;
    Ok(videre(format!("/sager/{}/trin/1", sag.id)))
}

/// The case's form, read as its own scheme's (`storage::sager::skemadata`). A case of a
/// scheme whose form is not built is refused as the policy refuses it.
pub async fn skema(db: &storage::Db, s: &sag::Model) -> Result<Skemadata, WebFejl> {
    storage::sager::skemadata(&db.conn, s).await?.ok_or_else(|| match storage::sager::ordning(s) {
        Ok(o) => WebFejl::Afvist(domain::policy::Afvisning::Ordning { ordning: o.navn() }),
        Err(e) => e.into(),
    })
}

/// The form as stored (the counterpart of [`skema`]).
pub fn gemt(s: &Skemadata) -> Result<String, WebFejl> {
    Ok(s.json().map_err(anyhow::Error::from)?)
}

/// "Ansøgning om virksomhedspraktik", "Aftale om IGU": the wizard's and the letters' title
/// for a scheme (`Profil::titel`).
pub fn ansoegningstitel(o: Ordning) -> String {
    o.profil().titel()
}

/// How far one step is: the navigation's marker (seed 002 §3.2's texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trinstatus {
    /// Not saved yet: no red marker before the user has touched it (issue 13 §7).
    IkkeBesoegt,
    Komplet,
    Ufuldstaendig,
}

/// One step in the navigation: number, title, status.
pub struct TrinLink {
    pub nummer: u8,
    pub titel: &'static str,
    pub status: Trinstatus,
    pub aktiv: bool,
}

impl TrinLink {
    pub fn komplet(&self) -> bool {
        self.status == Trinstatus::Komplet
    }
}

/// One row of a step's repeatable group as the company sees it: a `<details>` section that
/// folds open and closed without JavaScript, marked until it is complete (issue 13 §2).
pub struct RaekkeVisning {
    pub nummer: usize,
    pub titel: String,
    pub felter: Vec<Felt>,
    pub komplet: bool,
    /// Open when it has errors or was just added; a complete row folds closed.
    pub aaben: bool,
    /// The name looked up in DFDG for the row's CPR, where the row has one.
    pub borger_navn: Option<String>,
}

/// A step's repeatable group: its rows and its add and remove buttons, which post the step
/// as typed (`gruppe` = `tilfoej:{key}` / `fjern:{key}:{row}`).
pub struct GruppeVisning {
    pub noegle: &'static str,
    pub tilfoej: &'static str,
    pub antal_navn: String,
    pub raekker: Vec<RaekkeVisning>,
    pub fejl: Option<String>,
    pub kan_fjerne: bool,
    pub kan_tilfoeje: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "trin.html")]
pub struct TrinSide {
    pub ramme: Ramme,
    pub overskrift: String,
    pub sag_id: i64,
    pub version: i64,
    pub trin: u8,
    /// The summary's number: the last step.
    pub sidste: u8,
    pub titel: &'static str,
    pub nav: Vec<TrinLink>,
    pub felter: Vec<Felt>,
    pub gruppe: Option<GruppeVisning>,
    pub komplet: bool,
    pub vis_fejl: bool,
    /// The step was just saved with errors: say so, and offer the next step anyway.
    pub gemt_med_fejl: bool,
    pub eindkomst: Option<Vec<(String, String)>>,
    pub borger_navn: String,
    pub opsummering: Vec<(String, Vec<(String, String)>)>,
    pub krav: Vec<(&'static str, KravResultat)>,
    pub fejlliste: Vec<(u8, String, String)>,
    pub konflikt_registreret: bool,
}

/// A field of a form, as the web shows it: its description, its value, the company's
/// P-units for a P-unit choice, and why it is locked.
pub(crate) fn felt(
    d: &'static domain::skema::felt::Felt,
    vaerdier: &serde_json::Map<String, serde_json::Value>,
    p_enheder: &[(String, String)],
    laast: Option<&'static str>,
) -> Felt {
    let tekst = vaerdier.get(d.navn).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let ja_nej = || vec![("ja".to_string(), "Ja".to_string()), ("nej".to_string(), "Nej".to_string())];
    let (art, vaerdi) = match d.art {
        Feltart::Tekst | Feltart::Cpr => (FeltArt::Tekst, tekst),
        Feltart::Email => (FeltArt::Email, tekst),
        Feltart::Telefon => (FeltArt::Telefon, tekst),
        Feltart::Decimal => (FeltArt::Decimal, tekst),
        Feltart::Dato => (FeltArt::Dato, tekst),
        Feltart::Tekstomraade { max } => (FeltArt::Tekstomraade { max }, tekst),
        Feltart::JaNej => (FeltArt::Radio(ja_nej()), tekst),
        Feltart::PEnhed => (FeltArt::Valg(p_enheder.to_vec()), tekst),
        Feltart::Valg(valg) => {
            (FeltArt::Valg(valg.iter().map(|(k, t)| (k.to_string(), t.to_string())).collect()), tekst)
        }
        Feltart::Afkrydsning => (
            FeltArt::Afkrydsning { markeret: vaerdier.get(d.navn).and_then(|v| v.as_bool()).unwrap_or(false) },
            "on".to_string(),
        ),
    };
    let mut f = Felt::ny(d.navn, d.label, art, vaerdi);
    if let Some(h) = d.hjaelp {
        f = f.hjaelp(h);
    }
    if d.valgfri {
        f = f.valgfri();
    }
    if let Some(grund) = laast {
        f = f.laast(true).hjaelp(grund);
    }
    f
}

/// The fields of step `nummer` as the company sees them.
fn trinfelter(s: &Skemadata, nummer: u8, p_enheder: &[(String, String)]) -> Vec<Felt> {
    let v = s.vaerdier();
    s.trin(nummer).map(|t| t.felter().map(|d| felt(d, &v, p_enheder, s.laast(d.navn))).collect()).unwrap_or_default()
}

/// Step `nummer`'s repeatable group as the company sees it. Errors are shown once the step
/// is saved (`vis_fejl`), except on a row just added (`ny`).
fn gruppefelter(
    s: &Skemadata,
    g: &'static Gruppe,
    fejl: &[FieldError],
    vis_fejl: bool,
    ny: Option<usize>,
    p_enheder: &[(String, String)],
) -> GruppeVisning {
    let mut rows = s.raekker(g);
    // A form always shows the group's minimum, so the first row is there to fill.
    rows.resize_with(rows.len().max(g.mindst), serde_json::Map::new);
    let antal = rows.len();
    let har_cpr = g.felter().any(|f| f.art == Feltart::Cpr);
    let raekker = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let praefiks = g.feltnavn(i, "");
            let komplet = !fejl.iter().any(|e| e.felt.starts_with(&praefiks));
            let felter: Vec<Felt> = g
                .felter()
                .map(|d| {
                    let mut f = felt(d, r, p_enheder, None);
                    f.navn = g.feltnavn(i, d.navn).into();
                    f
                })
                .collect();
            let felter = if vis_fejl && ny != Some(i) { med_fejl(felter, fejl) } else { felter };
            RaekkeVisning {
                nummer: i,
                titel: g.raekketitel(i),
                felter,
                komplet,
                aaben: !komplet || ny == Some(i),
                borger_navn: har_cpr
                    .then(|| r.get("borger_navn").and_then(|v| v.as_str()).unwrap_or_default().trim().to_string()),
            }
        })
        .collect();
    GruppeVisning {
        noegle: g.noegle,
        tilfoej: g.tilfoej,
        antal_navn: g.antal_navn(),
        raekker,
        fejl: fejl.iter().find(|e| e.felt == g.noegle).filter(|_| vis_fejl).map(|e| e.besked.clone()),
        kan_fjerne: antal > g.mindst,
        kan_tilfoeje: antal < MAKS_RAEKKER,
    }
}

/// A shown value on the summary and the hearing page: the CPR as the reader may see it, a
/// P-unit with its name.
pub fn vist(v: &Visning, p_enheder: &[(String, String)], rolle: domain::policy::Rolle) -> String {
    match v {
        Visning::Tekst(t) | Visning::Fritekst(t) => t.clone(),
        Visning::Cpr(c) if c.trim().is_empty() => String::new(),
        Visning::Cpr(c) => super::vis_cpr(Some(&c.replace(['-', ' '], "")), rolle),
        Visning::Person { cpr, .. } if cpr.trim().is_empty() => String::new(),
        Visning::Person { cpr, navn } => {
            let cpr = super::vis_cpr(Some(&cpr.replace(['-', ' '], "")), rolle);
            if navn.is_empty() { cpr } else { format!("{navn} ({cpr})") }
        }
        Visning::PEnhed(p) => {
            p_enheder.iter().find(|(k, _)| k == p).map(|(_, t)| t.clone()).unwrap_or_else(|| p.clone())
        }
    }
}

/// The municipality of the company's P-unit `p`, as the CVR register gives it.
async fn pe_kommune(st: &AppState, cvr: &str, p: &domain::ident::PNummer) -> Result<Option<String>, WebFejl> {
    let cvr = Cvr::parse(cvr, "cvr").map_err(|e| WebFejl::Intern(e.into()))?;
    Ok(st
        .cvr
        .virksomhed(&cvr)
        .await?
        .and_then(|v| v.p_enheder.into_iter().find(|e| e.pnummer == p.as_str()))
        .and_then(|e| e.kommunekode))
}

pub(super) async fn p_enheder(st: &AppState, cvr: &str) -> Result<Vec<(String, String)>, WebFejl> {
    let cvr = Cvr::parse(cvr, "cvr").map_err(|e| WebFejl::Intern(e.into()))?;
    Ok(st
        .cvr
        .virksomhed(&cvr)
        .await?
        .map(|v| {
            v.p_enheder
                .into_iter()
                .map(|p| (p.pnummer.clone(), format!("{} – {} ({})", p.pnummer, p.navn, p.adresse)))
                .collect()
        })
        .unwrap_or_default())
}

/// Look the citizen's name up in DFDG when the CPR is valid and consent is given. The lookups
/// are limited per user (issue 14 §2): a company cannot walk DFDG for names.
async fn slaa_navn_op(st: &AppState, b: &Bruger, sag_id: i64, s: &mut Skemadata) -> Result<(), WebFejl> {
    let borgeren = s.dele_mut().borgeren;
    if !borgeren.samtykke {
        return Ok(());
    }
    match Cpr::parse(&borgeren.cpr, "cpr") {
        Ok(cpr) => {
            st.graenser.opslag.tag(b.model.id, std::time::Instant::now()).map_err(WebFejl::ForMange)?;
            tracing::info!(bruger = b.model.id, sag = sag_id, "navneopslag i DFDG");
            let hvad = format!("dfdg-opslag sag {sag_id}");
            crate::adgangslog::laest(st, b, storage::adgangslog::Formaal::Opslag, hvad, [Some(borgeren.cpr.as_str())])
                .await?;
            borgeren.borger_navn = st.dfdg.borger(&cpr).await?.map(|b| b.navn).unwrap_or_default();
        }
        Err(_) => borgeren.borger_navn.clear(),
    }
    Ok(())
}

/// Look up the name of each citizen in a step's repeatable group whose CPR is valid, whose
/// consent is given and who has no name yet (a changed CPR forgot it). Limited per user like
/// the single lookup; a CPR is never logged.
async fn slaa_navne_op(st: &AppState, b: &Bruger, sag_id: i64, s: &mut Skemadata) -> Result<(), WebFejl> {
    for p in s.personer_mut() {
        if !p.samtykke || !p.borger_navn.trim().is_empty() {
            continue;
        }
        let Ok(cpr) = Cpr::parse(&p.cpr, "cpr") else { continue };
        st.graenser.opslag.tag(b.model.id, std::time::Instant::now()).map_err(WebFejl::ForMange)?;
        tracing::info!(bruger = b.model.id, sag = sag_id, "navneopslag i DFDG");
        let hvad = format!("dfdg-opslag sag {sag_id}");
        crate::adgangslog::laest(st, b, storage::adgangslog::Formaal::Opslag, hvad, [Some(p.cpr.as_str())]).await?;
        p.borger_navn = st.dfdg.borger(&cpr).await?.map(|b| b.navn).unwrap_or_default();
    }
    Ok(())
}

async fn side(
    st: &AppState,
    b: &Bruger,
    sag: &sag::Model,
    trin: u8,
    ekstra_fejl: Vec<FieldError>,
    gemt_med_fejl: bool,
    ny: Option<usize>,
) -> Result<TrinSide, WebFejl> {
    let s = skema(&st.db, sag).await?;
    let beskrivelse = s.trin(trin).ok_or(WebFejl::SideFindesIkke)?;
    let sidste = s.opsummeringens_nummer();
    let pe = p_enheder(st, &sag.cvr).await?;
    let pnumre: Vec<String> = pe.iter().map(|(p, _)| p.clone()).collect();
    let k = Kontekst { p_enheder: &pnumre };
    let besoegt = |n: u8| s.dele().opsummering.besoegte_trin.contains(&n);
    let nav = (1..=sidste)
        .map(|n| TrinLink {
            nummer: n,
            titel: s.trin(n).map(|t| t.titel).unwrap_or_default(),
            status: match (besoegt(n), s.fejl(n, &k).is_empty()) {
                (_, true) if besoegt(n) || n == sidste => Trinstatus::Komplet,
                (false, _) => Trinstatus::IkkeBesoegt,
                (true, _) => Trinstatus::Ufuldstaendig,
            },
            aktiv: n == trin,
        })
        .collect();
    let mut fejl = s.fejl(trin, &k);
    fejl.extend(ekstra_fejl);
    let vis_fejl = besoegt(trin) || trin == sidste;
    let felter = if vis_fejl { med_fejl(trinfelter(&s, trin, &pe), &fejl) } else { trinfelter(&s, trin, &pe) };
    let gruppe = beskrivelse.gruppe().map(|g| gruppefelter(&s, g, &fejl, vis_fejl, ny, &pe));
    let (fejlliste, opsummering) = if trin == sidste {
        let mut liste = Vec::new();
        for (n, e) in s.alle_fejl(&k).into_iter().filter(|(n, _)| *n != sidste) {
            let beskrevet = s.trin(n).and_then(|t| t.label(&e.felt));
            let anker = if beskrevet.is_some() { e.felt.clone() } else { String::new() };
            let navn = beskrevet.or(s.trin(n).map(|t| t.titel.to_string())).unwrap_or_default();
            let skille = if navn.ends_with('?') { " " } else { ": " };
            liste.push((n, anker, format!("Trin {n} – {navn}{skille}{}", e.besked)));
        }
        let opsummering = s
            .opsummering()
            .into_iter()
            .map(|sek| {
                let linjer = sek.raekker.iter().map(|(f, v)| (f.label.to_string(), vist(v, &pe, b.rolle))).collect();
                (sek.titel, linjer)
            })
            .collect();
        (liste, opsummering)
    } else {
        (vec![], vec![])
    };
    let d = s.dele();
    Ok(TrinSide {
        ramme: Ramme::ny(format!("{} – {}", ansoegningstitel(s.ordning()), beskrivelse.titel), Some(b)),
        overskrift: ansoegningstitel(s.ordning()),
        sag_id: sag.id,
        version: sag.version,
        trin,
        sidste,
        titel: beskrivelse.titel,
        nav,
        komplet: fejl.is_empty(),
        vis_fejl,
        gemt_med_fejl: gemt_med_fejl && !fejl.is_empty(),
        felter,
        gruppe,
        eindkomst: (beskrivelse.blok == Some(Blok::Eindkomst)).then(|| {
            d.virksomheden
                .eindkomst
                .iter()
                .map(|m| {
                    (
                        domain::periode::dansk_maaned(&m.maaned).unwrap_or_else(|| m.maaned.clone()),
                        m.fuldtid.to_decimal_string(),
                    )
                })
                .collect()
        }),
        borger_navn: d.borgeren.borger_navn.clone(),
        opsummering,
        krav: if trin == sidste { s.krav() } else { vec![] },
        fejlliste,
        // The register's notice goes on the step that asks about the conflict.
        konflikt_registreret: d.virksomheden.konflikt_registreret
            && beskrivelse.felter().any(|f| f.navn == "konfliktramt"),
    })
}

/// `?gemt=fejl`: the step was saved with errors (see [`gem_trin`]); `?ny=2`: row 2 of the
/// step's group was just added (open, its empty fields not yet marked).
#[derive(Debug, Default, serde::Deserialize)]
pub struct TrinForespoergsel {
    #[serde(default)]
    gemt: Option<String>,
    /// Kept as text: a hand-edited `?ny=x` shows the step, not a refusal.
    #[serde(default)]
    ny: Option<String>,
}

#[tracing::instrument(skip_all, fields(sag_id = id, trin))]
pub async fn vis_trin(
    State(st): State<AppState>,
    b: Bruger,
    Sti((id, trin)): Sti<(i64, u8)>,
    Query(q): Query<TrinForespoergsel>,
) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    if sag.ansoegning_status.as_deref() != Some(domain::status::AnsoegningStatus::Kladde.kode()) {
        return Ok(videre(format!("/sager/{id}")));
    }
    Ok(side(&st, &b, &sag, trin, vec![], q.gemt.as_deref() == Some("fejl"), q.ny.and_then(|n| n.parse().ok()))
        .await?
        .into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id, trin))]
pub async fn gem_trin(
    State(st): State<AppState>,
    b: Bruger,
    Sti((id, trin)): Sti<(i64, u8)>,
    Indsendt(f): Indsendt,
) -> Svar {
    let mut forventet = version(&f);
    let (sidste, fejl, antal, gruppe) = loop {
        let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
        let mut s = skema(&st.db, &sag).await?;
        let beskrivelse = s.trin(trin).ok_or(WebFejl::SideFindesIkke)?;
        let foer: Vec<(bool, String)> = s.personer().iter().map(|p| (p.samtykke, p.cpr.clone())).collect();
        s.anvend(trin, &|navn| f.get(navn).cloned())
            .map_err(|e| storage::StorageError::Data(format!("sag {id}: {e}")))?;
        s.laas();
        if beskrivelse.felter().any(|d| d.art == Feltart::Cpr) {
            slaa_navn_op(&st, &b, id, &mut s).await?;
        }
        if beskrivelse.gruppe().is_some_and(|g| g.felter().any(|d| d.art == Feltart::Cpr)) {
            slaa_navne_op(&st, &b, id, &mut s).await?;
        }
        let besoegte = &mut s.dele_mut().opsummering.besoegte_trin;
        if !besoegte.contains(&trin) {
            besoegte.push(trin);
        }
        let mut aendring = Aendring::ny(Handling::GemKladde);
        // Seed 003: the consent is recorded with the save that gives it (decision 67), for
        // each citizen of the form (a group's rows compared by position).
        let nyt = s.personer().iter().enumerate().any(|(i, efter)| {
            let (ja, cpr) = foer.get(i).map(|(j, c)| (*j, c.as_str())).unwrap_or((false, ""));
            domain::samtykke::nyt_samtykke((ja, cpr), (efter.samtykke, &efter.cpr))
        });
        if nyt {
            aendring.samtykke = Some(domain::samtykke::VERSION);
        }
        let antal = beskrivelse.gruppe().map(|g| s.raekker(g).len()).unwrap_or_default();
        aendring.opdatering.skemadata = Some(gemt(&s)?);
        aendring.forventet_version = forventet.or(Some(sag.version));
        let pe = p_enheder(&st, &sag.cvr).await?;
        let pnumre: Vec<String> = pe.into_iter().map(|(p, _)| p).collect();
        let fejl = !s.fejl(trin, &Kontekst { p_enheder: &pnumre }).is_empty();
        match storage::sager::udfoer(&st.db, id, &b.udfoerer(), aendring, Utc::now()).await {
            Ok(_) => break (s.opsummeringens_nummer(), fejl, antal, beskrivelse.gruppe()),
            // Someone saved another step in between (a second tab): a step only writes its
            // own fields, so applying this post onto the newer version loses nothing.
            Err(storage::StorageError::Konflikt) if forventet.is_some() => forventet = None,
            Err(e) => return Err(e.into()),
        }
    };
    // Issue 13 §7: a step saved with errors shows them, with a way on, rather than moving
    // on silently; the name lookup comes back to its own step.
    if vaerdi(&f, "handling") == "opslag" {
        return Ok(videre(format!("/sager/{id}/trin/{trin}")));
    }
    // Issue 13 §2: a group's add or remove button saved the step as typed and shows the same
    // step again, at the new row or at the group.
    let handling = Gruppehandling::parse(&vaerdi(&f, "gruppe"));
    if let (Some(h), Some(g)) = (handling, gruppe)
        && h.noegle() == g.noegle
    {
        let noegle = g.noegle;
        return Ok(videre(match h {
            Gruppehandling::Tilfoej { .. } => {
                let ny = antal.saturating_sub(1);
                format!("/sager/{id}/trin/{trin}?ny={ny}#raekke-{noegle}-{ny}")
            }
            Gruppehandling::Fjern { .. } => format!("/sager/{id}/trin/{trin}#felt-{noegle}"),
        }));
    }
    if fejl {
        return Ok(videre(format!("/sager/{id}/trin/{trin}?gemt=fejl")));
    }
    Ok(videre(format!("/sager/{id}/trin/{}", (trin + 1).min(sidste))))
}

/// "Underskriv og send" from Opsummering: every step must be complete.
#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn indsend(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    let mut s = skema(&st.db, &sag).await?;
    let sidste = s.opsummeringens_nummer();
    s.anvend(sidste, &|navn| f.get(navn).cloned())
        .map_err(|e| storage::StorageError::Data(format!("sag {id}: {e}")))?;
    s.laas();
    let pe = p_enheder(&st, &sag.cvr).await?;
    let pnumre: Vec<String> = pe.iter().map(|(p, _)| p.clone()).collect();
    let gyldig = match s.indsendelse(&Kontekst { p_enheder: &pnumre }) {
        Ok(g) => g,
        Err(fejl) => {
            // Keep the remark, then show every missing field on the summary.
            let mut a = Aendring::ny(Handling::GemKladde);
            a.opdatering.skemadata = Some(gemt(&s)?);
            let sag = storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
            let ekstra = fejl.into_iter().filter(|(t, _)| *t == sidste).map(|(_, e)| e).collect();
            let side = side(&st, &b, &sag, sidste, ekstra, false, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, side).into_response());
        }
    };
    let kommunekode = match &gyldig.cpr {
        // The citizen's home municipality's jobcentre receives the application (docs/decisions.md).
        Some(cpr) => st
            .dfdg
            .borger(cpr)
            .await?
            .map(|b| b.kommunekode)
            .ok_or("CPR-nummeret blev ikke fundet i Det Fælles Datagrundlag."),
        // Seed 004: without a CPR, the jobcentre of the workplace's municipality (decision 102).
        None => pe_kommune(&st, &sag.cvr, &gyldig.pnummer).await?.ok_or(
            "Arbejdsstedets kommune kendes ikke i CVR-registret, så ansøgningen kan ikke sendes uden CPR-nummer. \
             Angiv personens CPR-nummer, eller kontakt jobcentret.",
        ),
    };
    let kommunekode = match kommunekode {
        Ok(k) => k,
        Err(grund) => {
            // Nothing typed is lost: the remark on the summary is kept with the draft.
            let mut a = Aendring::ny(Handling::GemKladde);
            a.opdatering.skemadata = Some(gemt(&s)?);
            storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
            return Err(WebFejl::Ugyldig(grund.into()));
        }
    };
    let jobcenter = storage::organisation::jobcenter_for_kommune(&st.db, &kommunekode)
        .await?
        .ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("ingen jobcenter for kommune {kommunekode}")))?;
    let nu = Utc::now();
    let idag = nu.date_naive();
    let signatur = st.signering.underskriv(&b.navn(), nu).await?;
    let mut a = Aendring::indsendelse(&gyldig, gemt(&s)?, jobcenter, idag);
    a.forventet_version = version(&f);
    let afsender = crate::email::Afsender::for_sag(&st, &sag, Some(jobcenter)).await?;
    if gyldig.til_borger {
        // Decision 99: the citizen hears of the agreement where VITAS has their address.
        if let Some(cpr) = &gyldig.cpr
            && let Some(borger) = storage::organisation::borger_med_cpr(&st.db, cpr.as_str()).await?
        {
            a.emails.push(crate::email::aftale_til_borger(&afsender, &borger.email, &gyldig.borger_navn)?);
        }
    } else if !gyldig.hoering {
        // A one-person company skips the representative: the jobcentre has it now.
        let kontakt = s.dele().kontakt;
        let til = kontakt.kontakt_email.trim();
        if !til.is_empty() {
            a.emails.push(crate::email::ansoegning_modtaget(
                &afsender,
                til,
                &kontakt.kontakt_navn,
                &super::dato(Some(idag)),
            )?);
        }
    }
    a.nyt_element = Some(NytElement {
        art: Elementart::Ansoegning,
        status: String::new(),
        startdato: Some(gyldig.periode.start),
        slutdato: Some(gyldig.periode.slut),
        data: serde_json::to_value(domain::elementdata::Ansoegningsdata {
            underskrevet_af: signatur.underskriver.clone(),
            underskrevet: signatur.tidspunkt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            signeringsmetode: signatur.metode.to_string(),
            krav: s
                .krav()
                .into_iter()
                .map(|(navn, k)| domain::elementdata::Kravlinje {
                    krav: navn.to_string(),
                    opfyldt: k.opfyldt,
                    forklaring: k.forklaring,
                })
                .collect(),
            ..Default::default()
        })
        .map_err(anyhow::Error::from)?,
    });
    if gyldig.hoering {
        let token = storage::sager::ny_token();
        if let Some(til) = &gyldig.rep_email {
            let link = format!("{}/hoering/{token}", st.base_url);
            let rep_navn = s.dele().repraesentant.map(|r| r.rep_navn.clone()).unwrap_or_default();
            a.emails.push(crate::email::hoering(&afsender, til, &rep_navn, &link)?);
        }
        a.link = Some((token, "hoering"));
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, nu).await?;
    Ok(videre(format!("/sager/{id}?sendt=1")))
}
