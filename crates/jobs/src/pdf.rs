//! A case's PDFs: the application, the grant and the rejection letter (issue 4 §6). This is
//! the one place that turns a case row into a letter, so the case page's download
//! (`web::html::pdf`) and the API's GetPDF (DOMAIN.md "Web services") give the same file.
//!
//! The caller loads the case with `storage::sager::hent`, which enforces the policy's scope;
//! [`dokument`] then decides whether the document exists in the case's state, gathers the
//! data, and renders it on a blocking thread (typesetting is CPU work).

use chrono::{DateTime, NaiveDate, Utc};
use documents::pdf::{AfslagPdf, AnsoegningPdf, BevillingPdf, Brevhoved, PdfFejl, PdfSektion, VirksomhedPdf};
use domain::ident::{Cpr, Cvr};
use domain::ordning::Ordning;
use domain::policy::{Handling, Rolle};
use domain::skema::{Skemadata, Visning};
use domain::status::{AnsoegningStatus, Elementart};
use storage::entity::sag;
use storage::registre::CvrRegister;
use storage::{Db, StorageError};

/// The documents a case can have, by the slug in `/sager/{id}/pdf/{dokument}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dokument {
    Ansoegning,
    Bevilling,
    Afslag,
}

impl Dokument {
    pub const ALLE: [Dokument; 3] = [Dokument::Ansoegning, Dokument::Bevilling, Dokument::Afslag];

    pub fn slug(self) -> &'static str {
        match self {
            Dokument::Ansoegning => "ansoegning",
            Dokument::Bevilling => "bevilling",
            Dokument::Afslag => "afslag",
        }
    }

    pub fn fra_slug(slug: &str) -> Option<Dokument> {
        Dokument::ALLE.into_iter().find(|d| d.slug() == slug)
    }

    /// The download link's text: what it is and that it is a PDF (WCAG 2.4.4).
    pub fn linktekst(self) -> &'static str {
        match self {
            Dokument::Ansoegning => "Hent ansøgningen som PDF",
            Dokument::Bevilling => "Hent bevillingen som PDF",
            Dokument::Afslag => "Hent afslaget som PDF",
        }
    }

    /// `vitas-<id>-<dokument>.pdf`.
    pub fn filnavn(self, sag_id: i64) -> String {
        format!("vitas-{sag_id}-{}.pdf", self.slug())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DokumentFejl {
    /// The document does not exist in the case's state (no grant yet, not rejected, a draft).
    #[error("Dokumentet findes ikke for sagen.")]
    FindesIkke,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("sagens skemadata kan ikke læses: {0}")]
    Skemadata(String),
    #[error(transparent)]
    Pdf(#[from] PdfFejl),
    #[error("PDF-arbejdet blev afbrudt: {0}")]
    Afbrudt(String),
}

/// Whether the case has `dokument` in its current state. Only the schemes whose whole life
/// cycle is built have letters (`ordning::Profil::bygget`).
pub fn findes(s: &sag::Model, dokument: Dokument) -> bool {
    if !Ordning::fra_kode(&s.ordning).is_some_and(Ordning::bygget) {
        return false;
    }
    let Ok(t) = storage::sager::tilstand(s) else { return false };
    match dokument {
        // The application as signed and sent; a draft is still the company's own.
        Dokument::Ansoegning => t.ansoegning.is_some_and(|a| a != AnsoegningStatus::Kladde),
        // The jobcentre approved the application and wrote a grant.
        Dokument::Bevilling => t.afgoerelse.is_some(),
        Dokument::Afslag => t.ansoegning == Some(AnsoegningStatus::Afvist),
    }
}

/// The PDF of `dokument` for the case `s`, as a reader with `rolle` may see it: a role that
/// may not see personal data (Anden Aktør) gets neither name nor full CPR, and the letters to
/// the company carry the CPR masked (docs/decisions.md 46). `s` must come from
/// `storage::sager::hent`, which has checked the reader's scope.
#[tracing::instrument(skip_all, fields(sag_id = s.id))]
pub async fn dokument(
    db: &Db,
    cvr_register: &dyn CvrRegister,
    rolle: Rolle,
    s: &sag::Model,
    dokument: Dokument,
) -> Result<Vec<u8>, DokumentFejl> {
    if !findes(s, dokument) {
        return Err(DokumentFejl::FindesIkke);
    }
    let skema: Skemadata = match storage::sager::skemadata(&db.conn, s).await {
        Ok(Some(a)) => a,
        Ok(None) => return Err(DokumentFejl::FindesIkke),
        Err(e) => return Err(DokumentFejl::Skemadata(e.to_string())),
    };
    let ordning = skema.ordning();
    let jobcenter = match s.jobcenter_id {
        Some(jc) => storage::organisation::jobcenternavne(db).await?.remove(&jc),
        None => None,
    }
    .unwrap_or_else(|| "Jobcentret".into());
    let virksomhed = VirksomhedPdf {
        navn: match Cvr::parse(&s.cvr, "cvr") {
            Ok(cvr) => cvr_register.virksomhed(&cvr).await?.map(|v| v.navn).unwrap_or_default(),
            Err(_) => String::new(),
        },
        cvr: s.cvr.clone(),
        pnummer: s.pnummer.clone().unwrap_or_default(),
    };
    let maa_se = domain::policy::maa_se_cpr(rolle);
    let borger_navn = match &s.borger_navn {
        Some(n) if maa_se => n.clone(),
        Some(_) => "Persondata er fjernet".into(),
        None => String::new(),
    };
    let cpr = s.cpr.as_deref().and_then(|c| Cpr::parse(c, "cpr").ok());
    let cpr_maskeret = cpr.as_ref().map(Cpr::maskeret).unwrap_or_default();
    let timer = s.timer_hundrededele.and_then(|h| u32::try_from(h).ok()).map(|h| {
        let t = domain::timer::TimerPrUge::from_hundredths(h);
        let (timer, min) = t.timer_og_minutter();
        format!("{} ({timer} t. {min} min.)", t.to_decimal_string())
    });
    let elementer = storage::sager::elementer(db, s.id).await?;
    let seneste = |art: Elementart| elementer.iter().rfind(|e| e.art == art.kode());
    let idag = Utc::now().date_naive();
    let hoved = |dato: Option<NaiveDate>| Brevhoved {
        jobcenter: jobcenter.clone(),
        vitas_id: s.id,
        dato: dato.unwrap_or(idag),
    };

    let pdf = match dokument {
        Dokument::Ansoegning => {
            let element = seneste(Elementart::Ansoegning);
            let underskrift: domain::elementdata::Ansoegningsdata =
                element.and_then(|e| serde_json::from_str(&e.data).ok()).unwrap_or_default();
            // The company typed the CPR itself; readers who may see CPR see it whole.
            let cpr_vist = match &cpr {
                Some(c) if maa_se => c.formateret(),
                _ => cpr_maskeret,
            };
            // The period applied for, as the application element recorded it.
            let periode = periode_tekst(
                element.and_then(|e| e.startdato).or(s.startdato),
                element.and_then(|e| e.slutdato).or(s.slutdato),
            );
            let d = skema.dele();
            let (sektioner, fritekster) =
                ansoegningens_sektioner(&skema, &periode, timer.as_deref(), &borger_navn, &cpr_vist, maa_se);
            let a = AnsoegningPdf {
                hoved: hoved(s.modtaget_dato.or(Some(s.oprettet.date_naive()))),
                virksomhed,
                titel: ordning.profil().titel(),
                sektioner,
                fritekster,
                bemaerkning: d.opsummering.bemaerkning.clone(),
                underskrevet_af: underskrift.underskrevet_af,
                underskrevet: dansk_tidspunkt(&underskrift.underskrevet),
                borger_underskrevet_af: underskrift.borger_underskrevet_af,
                borger_underskrevet: dansk_tidspunkt(&underskrift.borger_underskrevet),
            };
            tokio::task::spawn_blocking(move || documents::pdf::ansoegning(&a)).await
        }
        Dokument::Bevilling => {
            let element = seneste(Elementart::Bevilling);
            let d = skema.dele();
            let b = BevillingPdf {
                hoved: hoved(s.afgoerelse_dato),
                virksomhed,
                titel: ordning.profil().afgoerelsens_titel(),
                ordning: ordning.profil().i_tekst(),
                borger_navn,
                cpr: cpr_maskeret,
                stillingsbetegnelse: d.jobbet.stillingsbetegnelse.clone(),
                startdato: element.and_then(|e| e.startdato).or(s.startdato),
                slutdato: element.and_then(|e| e.slutdato).or(s.oprindelig_slutdato).or(s.slutdato),
                aktuel_slutdato: s.slutdato,
                timer: timer.unwrap_or_else(|| d.forloeb.timer.clone()),
                timeloen: skema.vaerdier().get("timeloen").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
                afgoerelse: element
                    .and_then(|e| domain::elementdata::Bevillingsdata::laes(&e.data))
                    .map(|d| d.visning())
                    .unwrap_or_default(),
                jobindhold: d.jobbet.jobindhold.clone(),
            };
            tokio::task::spawn_blocking(move || documents::pdf::bevilling(&b)).await
        }
        Dokument::Afslag => {
            let a = AfslagPdf {
                hoved: hoved(s.afgoerelse_dato),
                virksomhed,
                titel: format!(
                    "Afslag på {} om {}",
                    ordning.profil().sagsart().navn().to_lowercase(),
                    ordning.profil().i_tekst()
                ),
                borger_navn,
                cpr: cpr_maskeret,
                stillingsbetegnelse: skema.dele().jobbet.stillingsbetegnelse.clone(),
                startdato: s.startdato,
                slutdato: s.slutdato,
                afslagstekst: afslagstekst(db, s).await?,
            };
            tokio::task::spawn_blocking(move || documents::pdf::afslag(&a)).await
        }
    };
    pdf.map_err(|e| DokumentFejl::Afbrudt(e.to_string()))?.map_err(DokumentFejl::from)
}

/// The application letter's sections from the form's summary, and its long texts apart:
/// the shared period part as one row with the recorded period, the hours as hours and
/// minutes, the citizen's name and CPR as the reader may see them, and a repeatable group's
/// rows with their own values (a substitute's own name and CPR).
fn ansoegningens_sektioner(
    skema: &Skemadata,
    periode: &str,
    timer: Option<&str>,
    borger_navn: &str,
    cpr_vist: &str,
    maa_se: bool,
) -> (Vec<PdfSektion>, Vec<(String, String)>) {
    let d = skema.dele();
    let mut fritekster = Vec::new();
    let sektioner = skema
        .opsummering()
        .into_iter()
        .map(|sek| {
            let mut raekker = Vec::new();
            for (f, v) in sek.raekker {
                match (f.navn, v) {
                    // A group's row shows its own values, texts in place.
                    (_, Visning::Tekst(t) | Visning::Fritekst(t) | Visning::PEnhed(t)) if sek.raekke => {
                        raekker.push((f.label.to_string(), t))
                    }
                    // The shared period part: one row with the recorded period.
                    ("startdato", _) => raekker.push(("Periode".to_string(), periode.to_string())),
                    ("slutdato", _) => {}
                    ("timer", _) => raekker.push((
                        f.label.to_string(),
                        timer.map(str::to_string).unwrap_or_else(|| d.forloeb.timer.clone()),
                    )),
                    (_, Visning::Fritekst(t)) => fritekster.push((f.label.to_string(), t)),
                    (_, Visning::Cpr(_)) => {
                        raekker.push(("Borger".to_string(), borger_navn.to_string()));
                        raekker.push((f.label.to_string(), cpr_vist.to_string()));
                    }
                    // A citizen in a group's row (a jobrotation substitute): the row's own
                    // name and CPR, seen as the reader may see a CPR.
                    (_, Visning::Person { cpr: c, navn }) => {
                        let c = Cpr::parse(&c, "cpr").ok();
                        let navn = match navn {
                            n if n.is_empty() || maa_se => n,
                            _ => "Persondata er fjernet".into(),
                        };
                        raekker.push(("Navn".to_string(), navn));
                        let vist = match &c {
                            Some(c) if maa_se => c.formateret(),
                            Some(c) => c.maskeret(),
                            None => String::new(),
                        };
                        raekker.push((f.label.to_string(), vist));
                    }
                    (_, Visning::Tekst(t) | Visning::PEnhed(t)) => raekker.push((f.label.to_string(), t)),
                }
            }
            PdfSektion { titel: sek.titel, raekker }
        })
        .collect();
    (sektioner, fritekster)
}

/// A signature's time (RFC 3339, UTC) as a Danish reader reads it: "04-12-2026 kl. 14:05";
/// empty when there is none.
fn dansk_tidspunkt(rfc3339: &str) -> String {
    rfc3339
        .parse::<DateTime<Utc>>()
        .map(|t| domain::periode::dansk_tid(t).format("%d-%m-%Y kl. %H:%M").to_string())
        .unwrap_or_default()
}

/// The rejection text the caseworker sent: the history records it after the transition's
/// own text ("Ansøgning afvist: <tekst>", storage::sager). A case rejected without a text
/// (e.g. generated) gets STAR's standard text (domain::tekster, seed 002 §3.4).
async fn afslagstekst(db: &Db, s: &sag::Model) -> Result<String, StorageError> {
    let handling = format!("{:?}", Handling::AfvisAnsoegning);
    let sendt = storage::sager::historik(db, s.id)
        .await?
        .into_iter()
        .rfind(|h| h.handling == handling)
        .and_then(|h| h.tekst.split_once(": ").map(|(_, t)| t.to_string()))
        .filter(|t| !t.trim().is_empty());
    let ordning = storage::sager::ordning(s)?;
    Ok(sendt.unwrap_or_else(|| domain::tekster::standard_afslag(ordning)))
}

/// "04-01-2027 – 02-07-2027", as on the case page.
fn periode_tekst(start: Option<NaiveDate>, slut: Option<NaiveDate>) -> String {
    let d = |x: NaiveDate| domain::periode::dansk_dato(x);
    match (start, slut) {
        (Some(a), Some(z)) => format!("{} – {}", d(a), d(z)),
        (Some(a), None) => d(a),
        _ => String::new(),
    }
}

pub use documents::pdf::{IndsigtLaesning, IndsigtPdf, IndsigtSag};

/// The citizen's extract (Art. 15) as a PDF, typeset off the async runtime.
pub async fn indsigt(i: IndsigtPdf) -> Result<Vec<u8>, String> {
    match tokio::task::spawn_blocking(move || documents::pdf::indsigt(&i)).await {
        Ok(Ok(pdf)) => Ok(pdf),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}
