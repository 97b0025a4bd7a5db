//! The løntilskud application: a new draft, its five steps (Trin) and "Underskriv og send"
//! (seed 004 "Oprettelse af en ny ansøgning").

use super::{Formular, Indsendt, Ramme, Sti, Svar, vaerdi, version, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt, med_fejl};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{Datelike, Utc};
use domain::FieldError;
use domain::ident::{Cpr, Cvr};
use domain::krav::{Fuldtid, KravResultat};
use domain::loentilskud::{EindkomstMaaned, Kontekst, LoentilskudAnsoegning, Trin};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::{Aktoer, Handling};
use domain::skema::Skemadata;
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
        sagsart: Sagsart::Ansoegning,
        cvr: cvr.as_str().to_string(),
        skemadata: skema.json().map_err(anyhow::Error::from)?,
        konfliktramt: konflikt,
    };
    let sag = storage::sager::opret(&st.db, &b.udfoerer(), ny, Utc::now()).await?;
    Ok(videre(format!("/sager/{}/trin/1", sag.id)))
}

/// The case's løntilskud form (read as its own scheme's, `storage::sager::skemadata`). A case
/// of a scheme whose form is not built is refused as the policy refuses it.
pub fn skema(s: &sag::Model) -> Result<LoentilskudAnsoegning, WebFejl> {
    match storage::sager::skemadata(s)? {
        Some(Skemadata::Loentilskud(a)) => Ok(a),
        None => {
            Err(WebFejl::Afvist(domain::policy::Afvisning::Ordning { ordning: storage::sager::ordning(s)?.navn() }))
        }
    }
}

/// The løntilskud form as stored (the counterpart of [`skema`]).
pub fn gemt(s: &LoentilskudAnsoegning) -> Result<String, WebFejl> {
    Ok(Skemadata::Loentilskud(s.clone()).json().map_err(anyhow::Error::from)?)
}

/// One step in the navigation: number, title, complete or not.
pub struct TrinLink {
    pub nummer: u8,
    pub titel: &'static str,
    pub komplet: bool,
    pub aktiv: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "trin.html")]
pub struct TrinSide {
    pub ramme: Ramme,
    pub sag_id: i64,
    pub version: i64,
    pub trin: u8,
    pub titel: &'static str,
    pub nav: Vec<TrinLink>,
    pub felter: Vec<Felt>,
    pub komplet: bool,
    pub vis_fejl: bool,
    pub eindkomst: Vec<(String, String)>,
    pub borger_navn: String,
    pub opsummering: Vec<(String, Vec<(String, String)>)>,
    pub krav: Vec<(&'static str, KravResultat)>,
    pub fejlliste: Vec<(u8, &'static str, String)>,
    pub konflikt_registreret: bool,
}

fn ja_nej() -> Vec<(String, String)> {
    vec![("ja".into(), "Ja".into()), ("nej".into(), "Nej".into())]
}

/// The fields of one step, as the company sees them.
fn trinfelter(trin: Trin, s: &LoentilskudAnsoegning, p_enheder: &[(String, String)]) -> Vec<Felt> {
    match trin {
        Trin::Virksomheden => vec![
            Felt::ny(
                "pnummer",
                "Arbejdssted (P-enhed)",
                FeltArt::Valg(p_enheder.to_vec()),
                s.pnummer.clone(),
            )
            .hjaelp("Vælg den produktionsenhed, hvor ansættelsen skal finde sted."),
            Felt::ny("konfliktramt", "Er virksomheden omfattet af en arbejdskonflikt?", FeltArt::Radio(ja_nej()), s.konfliktramt.clone())
                .laast(s.konflikt_registreret)
                .hjaelp(if s.konflikt_registreret {
                    "Styrelsen for Arbejdsmarked og Rekruttering har registreret virksomheden som konfliktramt. Svaret kan ikke ændres."
                } else {
                    "Svar Ja, hvis virksomheden er omfattet af strejke eller lockout."
                }),
            Felt::ny(
                "konflikt_kommentar",
                "Hvilke fagområder er omfattet af konflikten?",
                FeltArt::Tekstomraade { max: 2000 },
                s.konflikt_kommentar.clone(),
            )
            // Required when the answer above is Ja (loentilskud::gyldig), so never "(valgfrit)".
            .hjaelp("Skal udfyldes, når I har svaret Ja ovenfor. Lad feltet stå tomt ved Nej."),
        ],
        Trin::Yderligere => vec![
            Felt::ny(
                "rimelighed_ansatte",
                "Antal ordinært ansatte på arbejdsstedet i seneste måned (fuldtidspersoner)",
                FeltArt::Decimal,
                s.rimelighed_ansatte.clone(),
            )
            .hjaelp("Deltidsansatte tælles som brøkdele af en fuldtidsperson, fx 12,50."),
            Felt::ny(
                "allerede_stoettede",
                "Antal personer i virksomhedspraktik, nytteindsats eller løntilskud på arbejdsstedet i dag",
                FeltArt::Decimal,
                s.allerede_stoettede.clone(),
            )
            .hjaelp("Et helt antal personer, fx 0."),
            Felt::ny(
                "merbeskaeftigelse_seneste",
                "Antal ordinært ansatte i hele virksomheden (CVR) i seneste måned (fuldtidspersoner)",
                FeltArt::Decimal,
                s.merbeskaeftigelse_seneste.clone(),
            )
            .hjaelp("Feltet er tomt, indtil I har taget stilling. Sammenlign med eIndkomst-tallene ovenfor."),
        ],
        Trin::Ansaettelsen => vec![
            Felt::ny(
                "samtykke",
                domain::samtykke::TEKST,
                FeltArt::Afkrydsning { markeret: s.samtykke },
                "on",
            ),
            Felt::ny("cpr", "CPR-nummer", FeltArt::Tekst, s.cpr.clone())
                .hjaelp("10 cifre, fx 010190-1234. Navnet slås op i Det Fælles Datagrundlag."),
            Felt::ny("oeremaerket", "Har virksomheden selv fundet personen (øremærket ansøgning)?", FeltArt::Radio(ja_nej()), s.oeremaerket.clone()),
            Felt::ny("startdato", "Startdato", FeltArt::Dato, s.startdato.clone()),
            Felt::ny("slutdato", "Slutdato", FeltArt::Dato, s.slutdato.clone()),
            Felt::ny("timer", "Timer pr. uge", FeltArt::Decimal, s.timer.clone()).hjaelp("Skriv som decimaltal, fx 37 eller 32,5."),
            Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", FeltArt::Tekst, s.stillingsbetegnelse.clone()),
            Felt::ny("jobindhold", "Jobindhold", FeltArt::Tekstomraade { max: 2000 }, s.jobindhold.clone())
                .hjaelp("Beskriv arbejdsopgaverne. Højst 2.000 tegn."),
            Felt::ny("timeloen", "Timeløn (kr.)", FeltArt::Decimal, s.timeloen.clone()).hjaelp("Fx 145,50"),
        ],
        Trin::Kontaktpersoner => vec![
            Felt::ny("kontakt_navn", "Ansvarlig kontaktperson: navn", FeltArt::Tekst, s.kontakt_navn.clone()),
            Felt::ny("kontakt_email", "Ansvarlig kontaktperson: e-mail", FeltArt::Email, s.kontakt_email.clone()),
            Felt::ny("kontakt_telefon", "Ansvarlig kontaktperson: telefon", FeltArt::Telefon, s.kontakt_telefon.clone()),
            Felt::ny("arbejdssted_navn", "Kontaktperson på arbejdsstedet: navn", FeltArt::Tekst, s.arbejdssted_navn.clone()),
            Felt::ny("arbejdssted_email", "Kontaktperson på arbejdsstedet: e-mail", FeltArt::Email, s.arbejdssted_email.clone()).valgfri(),
            Felt::ny("arbejdssted_telefon", "Kontaktperson på arbejdsstedet: telefon", FeltArt::Telefon, s.arbejdssted_telefon.clone()).valgfri(),
            Felt::ny(
                "enmandsvirksomhed",
                "Virksomheden er en enmandsvirksomhed (der er ingen medarbejderrepræsentant)",
                FeltArt::Afkrydsning { markeret: s.enmandsvirksomhed },
                "on",
            )
            .valgfri(),
            Felt::ny("rep_navn", "Tillids- eller medarbejderrepræsentant: navn", FeltArt::Tekst, s.rep_navn.clone())
                .hjaelp("Repræsentanten skal godkende høringsdelen af ansøgningen efter jer."),
            Felt::ny("rep_email", "Repræsentantens e-mail", FeltArt::Email, s.rep_email.clone())
                .valgfri()
                .hjaelp("Ikke påkrævet. Uden e-mail får I et link, som I selv sender videre."),
            Felt::ny("rep_telefon", "Repræsentantens telefon", FeltArt::Telefon, s.rep_telefon.clone()).valgfri(),
        ],
        Trin::Opsummering => vec![
            Felt::ny("bemaerkning", "Bemærkning til jobcentret", FeltArt::Tekstomraade { max: 2000 }, s.bemaerkning.clone())
                .valgfri()
                .hjaelp("Fx en forklaring, hvis et af kravene herover ikke er opfyldt."),
        ],
    }
}

/// Take the posted fields of one step into the form. Only that step's fields change.
fn anvend(trin: Trin, s: &mut LoentilskudAnsoegning, f: &Formular) {
    let v = |n: &str| vaerdi(f, n);
    match trin {
        Trin::Virksomheden => {
            s.pnummer = v("pnummer");
            s.konfliktramt = v("konfliktramt");
            s.konflikt_kommentar = v("konflikt_kommentar");
        }
        Trin::Yderligere => {
            s.rimelighed_ansatte = v("rimelighed_ansatte");
            s.allerede_stoettede = v("allerede_stoettede");
            s.merbeskaeftigelse_seneste = v("merbeskaeftigelse_seneste");
        }
        Trin::Ansaettelsen => {
            s.samtykke = f.contains_key("samtykke");
            let cpr = v("cpr");
            if cpr.trim() != s.cpr.trim() {
                s.borger_navn.clear();
            }
            s.cpr = cpr;
            s.oeremaerket = v("oeremaerket");
            s.startdato = v("startdato");
            s.slutdato = v("slutdato");
            s.timer = v("timer");
            s.stillingsbetegnelse = v("stillingsbetegnelse");
            s.jobindhold = v("jobindhold");
            s.timeloen = v("timeloen");
        }
        Trin::Kontaktpersoner => {
            s.kontakt_navn = v("kontakt_navn");
            s.kontakt_email = v("kontakt_email");
            s.kontakt_telefon = v("kontakt_telefon");
            s.arbejdssted_navn = v("arbejdssted_navn");
            s.arbejdssted_email = v("arbejdssted_email");
            s.arbejdssted_telefon = v("arbejdssted_telefon");
            s.enmandsvirksomhed = f.contains_key("enmandsvirksomhed");
            s.rep_navn = v("rep_navn");
            s.rep_email = v("rep_email");
            s.rep_telefon = v("rep_telefon");
        }
        Trin::Opsummering => s.bemaerkning = v("bemaerkning"),
    }
}

async fn p_enheder(st: &AppState, cvr: &str) -> Result<Vec<(String, String)>, WebFejl> {
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

fn trin_fra(n: u8) -> Result<Trin, WebFejl> {
    Trin::fra_nummer(n).ok_or(WebFejl::SideFindesIkke)
}

/// Look the citizen's name up in DFDG when the CPR is valid and consent is given. The lookups
/// are limited per user (issue 14 §2): a company cannot walk DFDG for names.
async fn slaa_navn_op(st: &AppState, b: &Bruger, sag_id: i64, s: &mut LoentilskudAnsoegning) -> Result<(), WebFejl> {
    if !s.samtykke {
        return Ok(());
    }
    match Cpr::parse(&s.cpr, "cpr") {
        Ok(cpr) => {
            st.graenser.opslag.tag(b.model.id, std::time::Instant::now()).map_err(WebFejl::ForMange)?;
            tracing::info!(bruger = b.model.id, sag = sag_id, "navneopslag i DFDG");
            let hvad = format!("dfdg-opslag sag {sag_id}");
            crate::adgangslog::laest(st, b, storage::adgangslog::Formaal::Opslag, hvad, [Some(s.cpr.as_str())]).await?;
            s.borger_navn = st.dfdg.borger(&cpr).await?.map(|b| b.navn).unwrap_or_default();
        }
        Err(_) => s.borger_navn.clear(),
    }
    Ok(())
}

async fn side(
    st: &AppState,
    b: &Bruger,
    sag: &sag::Model,
    trin: Trin,
    ekstra_fejl: Vec<FieldError>,
) -> Result<TrinSide, WebFejl> {
    let s = skema(sag)?;
    let pe = p_enheder(st, &sag.cvr).await?;
    let pnumre: Vec<String> = pe.iter().map(|(p, _)| p.clone()).collect();
    let k = Kontekst { p_enheder: &pnumre };
    let nav = Trin::ALLE
        .iter()
        .map(|t| TrinLink {
            nummer: t.nummer(),
            titel: t.titel(),
            komplet: s.fejl(*t, &k).is_empty(),
            aktiv: *t == trin,
        })
        .collect();
    let mut fejl = s.fejl(trin, &k);
    fejl.extend(ekstra_fejl);
    let vis_fejl = s.besoegte_trin.contains(&trin.nummer()) || trin == Trin::Opsummering;
    let felter = if vis_fejl { med_fejl(trinfelter(trin, &s, &pe), &fejl) } else { trinfelter(trin, &s, &pe) };
    let fejlliste = if trin == Trin::Opsummering {
        let mut liste = Vec::new();
        for t in Trin::ALLE.iter().filter(|t| **t != Trin::Opsummering) {
            let felter = trinfelter(*t, &s, &pe);
            for e in s.fejl(*t, &k) {
                let navn = felter.iter().find(|f| f.navn == e.felt).map(|f| f.label.as_str()).unwrap_or(t.titel());
                let felt = felter.iter().find(|f| f.navn == e.felt).map(|f| f.navn).unwrap_or("");
                let skille = if navn.ends_with('?') { " " } else { ": " };
                liste.push((t.nummer(), felt, format!("Trin {} – {navn}{skille}{}", t.nummer(), e.besked)));
            }
        }
        liste
    } else {
        vec![]
    };
    let opsummering = if trin == Trin::Opsummering {
        Trin::ALLE
            .iter()
            .filter(|t| **t != Trin::Opsummering)
            .map(|t| {
                let linjer = trinfelter(*t, &s, &pe)
                    .into_iter()
                    .map(|f| {
                        let vist = match f.art {
                            FeltArt::Afkrydsning { markeret } => if markeret { "Ja" } else { "Nej" }.to_string(),
                            FeltArt::Valg(ref valg) | FeltArt::Radio(ref valg) => {
                                valg.iter().find(|(k, _)| *k == f.vaerdi).map(|(_, v)| v.clone()).unwrap_or_default()
                            }
                            _ if f.navn == "cpr" => super::vis_cpr(Some(&s.cpr.replace('-', "")), b.rolle),
                            _ => f.vaerdi.clone(),
                        };
                        (f.label, vist)
                    })
                    .collect();
                (t.titel().to_string(), linjer)
            })
            .collect()
    } else {
        vec![]
    };
    Ok(TrinSide {
        ramme: Ramme::ny(format!("Ansøgning om løntilskud – {}", trin.titel()), Some(b)),
        sag_id: sag.id,
        version: sag.version,
        trin: trin.nummer(),
        titel: trin.titel(),
        nav,
        komplet: fejl.is_empty(),
        vis_fejl,
        felter,
        eindkomst: s
            .eindkomst
            .iter()
            .map(|m| {
                (
                    domain::periode::dansk_maaned(&m.maaned).unwrap_or_else(|| m.maaned.clone()),
                    m.fuldtid.to_decimal_string(),
                )
            })
            .collect(),
        borger_navn: s.borger_navn.clone(),
        opsummering,
        krav: if trin == Trin::Opsummering { s.krav() } else { vec![] },
        fejlliste,
        konflikt_registreret: s.konflikt_registreret,
    })
}

pub async fn vis_trin(State(st): State<AppState>, b: Bruger, Sti((id, n)): Sti<(i64, u8)>) -> Svar {
    let trin = trin_fra(n)?;
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    if sag.ansoegning_status.as_deref() != Some(domain::status::AnsoegningStatus::Kladde.kode()) {
        return Ok(videre(format!("/sager/{id}")));
    }
    Ok(side(&st, &b, &sag, trin, vec![]).await?.into_response())
}

pub async fn gem_trin(
    State(st): State<AppState>,
    b: Bruger,
    Sti((id, n)): Sti<(i64, u8)>,
    Indsendt(f): Indsendt,
) -> Svar {
    let trin = trin_fra(n)?;
    let mut forventet = version(&f);
    loop {
        let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
        let mut s = skema(&sag)?;
        let foer = (s.samtykke, s.cpr.clone());
        anvend(trin, &mut s, &f);
        s.laas();
        if trin == Trin::Ansaettelsen {
            slaa_navn_op(&st, &b, id, &mut s).await?;
        }
        if !s.besoegte_trin.contains(&trin.nummer()) {
            s.besoegte_trin.push(trin.nummer());
        }
        let mut aendring = Aendring::ny(Handling::GemKladde);
        // Seed 003: the consent is recorded with the save that gives it (decision 67).
        if domain::samtykke::nyt_samtykke((foer.0, &foer.1), (s.samtykke, &s.cpr)) {
            aendring.samtykke = Some(domain::samtykke::VERSION);
        }
        aendring.opdatering.skemadata = Some(gemt(&s)?);
        aendring.forventet_version = forventet.or(Some(sag.version));
        match storage::sager::udfoer(&st.db, id, &b.udfoerer(), aendring, Utc::now()).await {
            Ok(_) => break,
            // Someone saved another step in between (a second tab): a step only writes its
            // own fields, so applying this post onto the newer version loses nothing.
            Err(storage::StorageError::Konflikt) if forventet.is_some() => forventet = None,
            Err(e) => return Err(e.into()),
        }
    }
    let naeste = if vaerdi(&f, "handling") == "opslag" { trin.nummer() } else { (trin.nummer() + 1).min(5) };
    Ok(videre(format!("/sager/{id}/trin/{naeste}")))
}

/// "Underskriv og send" from Opsummering: every step must be complete.
pub async fn indsend(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    let mut s = skema(&sag)?;
    anvend(Trin::Opsummering, &mut s, &f);
    s.laas();
    let pe = p_enheder(&st, &sag.cvr).await?;
    let pnumre: Vec<String> = pe.iter().map(|(p, _)| p.clone()).collect();
    let gyldig = match s.gyldig(&Kontekst { p_enheder: &pnumre }) {
        Ok(g) => g,
        Err(fejl) => {
            // Keep the remark, then show every missing field on the summary.
            let mut a = Aendring::ny(Handling::GemKladde);
            a.opdatering.skemadata = Some(gemt(&s)?);
            let sag = storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
            let ekstra = fejl.into_iter().filter(|(t, _)| *t == Trin::Opsummering).map(|(_, e)| e).collect();
            let side = side(&st, &b, &sag, Trin::Opsummering, ekstra).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, side).into_response());
        }
    };
    let borger = st
        .dfdg
        .borger(&gyldig.cpr)
        .await?
        .ok_or_else(|| WebFejl::Ugyldig("CPR-nummeret blev ikke fundet i Det Fælles Datagrundlag.".into()))?;
    // The citizen's home municipality's jobcentre receives the application (docs/decisions.md).
    let jobcenter = storage::organisation::jobcenter_for_kommune(&st.db, &borger.kommunekode)
        .await?
        .ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("ingen jobcenter for kommune {}", borger.kommunekode)))?;
    let nu = Utc::now();
    let idag = nu.date_naive();
    let signatur = st.signering.underskriv(&b.navn(), nu).await?;
    let mut a = Aendring::ny(Handling::Indsend { med_hoering: gyldig.hoering });
    a.forventet_version = version(&f);
    a.opdatering.skemadata = Some(gemt(&s)?);
    a.opdatering.jobcenter_id = Some(jobcenter);
    a.opdatering.pnummer = Some(gyldig.pnummer.as_str().to_string());
    a.opdatering.cpr = Some(gyldig.cpr.as_str().to_string());
    a.opdatering.borger_navn = Some(gyldig.borger_navn.clone());
    a.opdatering.startdato = Some(gyldig.periode.start);
    a.opdatering.slutdato = Some(gyldig.periode.slut);
    a.opdatering.timer_hundrededele = i32::try_from(gyldig.timer.hundredths()).ok();
    let afsender = crate::email::Afsender::for_sag(&st, &sag, Some(jobcenter)).await?;
    if !gyldig.hoering {
        // Seed 001 §1.9: "Modtaget dato" is the day the application reaches the jobcentre.
        a.opdatering.modtaget_dato = Some(idag);
        // A one-person company skips the representative: the jobcentre has it now.
        let til = s.kontakt_email.trim();
        if !til.is_empty() {
            a.emails.push(crate::email::ansoegning_modtaget(
                &afsender,
                til,
                &s.kontakt_navn,
                &super::dato(Some(idag)),
            )?);
        }
    }
    a.nyt_element = Some(NytElement {
        art: Elementart::Ansoegning,
        status: String::new(),
        startdato: Some(gyldig.periode.start),
        slutdato: Some(gyldig.periode.slut),
        data: serde_json::json!({
            "underskrevetAf": signatur.underskriver,
            "underskrevet": signatur.tidspunkt,
            "signeringsmetode": signatur.metode,
            "krav": s.krav().iter().map(|(navn, k)| serde_json::json!({"krav": navn, "opfyldt": k.opfyldt, "forklaring": k.forklaring})).collect::<Vec<_>>(),
        }),
    });
    if gyldig.hoering {
        let token = storage::sager::ny_token();
        if let Some(til) = &gyldig.rep_email {
            let link = format!("{}/hoering/{token}", st.base_url);
            a.emails.push(crate::email::hoering(&afsender, til, &s.rep_navn, &link)?);
        }
        a.link = Some((token, "hoering"));
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, nu).await?;
    Ok(videre(format!("/sager/{id}?sendt=1")))
}
