//! The employee representative's consultation (høring), reached through a link (seed 004:
//! the representative approves the consultation part after the company).
//!
//! The link names the case, not the person (issue 14 §1, decision 71): to see and answer the
//! hearing, the representative logs in with their own MitID, and the answer is signed in the
//! name MitID gives. A company that holds the link, or forwards it, cannot answer as the
//! representative; whoever answers, answers as themselves.

use super::ansoegning::skema;
use super::{Indsendt, Ramme, Sti, Svar, vaerdi, videre};
use crate::AppState;
use crate::auth::{Bruger, MaaskeBruger};
use crate::fejl::WebFejl;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::policy::{Aktoer, Handling, Rolle};
use storage::sager::{Aendring, Udfoerer};

#[derive(Template, WebTemplate)]
#[template(path = "hoering.html")]
pub struct HoeringSide {
    pub ramme: Ramme,
    pub token: String,
    /// Not yet logged in with MitID: the page asks for it and shows nothing of the case.
    pub log_ind: Option<LogInd>,
    pub virksomhed: String,
    /// The scheme inside a sentence: "virksomhedspraktik".
    pub ordning: String,
    pub linjer: Vec<(String, String)>,
    pub fejl: Option<String>,
    pub begrundelse: String,
}

/// The MitID login the page asks for, and who is logged in now if not a citizen.
pub struct LogInd {
    pub url: String,
    pub som: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "kvittering.html")]
pub struct Kvittering {
    pub ramme: Ramme,
    pub tekst: &'static str,
}

async fn link_sag(st: &AppState, token: &str) -> Result<(i64, storage::entity::sag::Model), WebFejl> {
    let link = storage::sager::gyldigt_link(&st.db, token, Utc::now())
        .await?
        .filter(|l| l.formaal == "hoering")
        .ok_or(WebFejl::LinkUgyldigt)?;
    let aktoer = Aktoer::Medarbejderrep { sag_id: link.sag_id };
    let sag = storage::sager::hent(&st.db, link.sag_id, &aktoer).await?;
    Ok((link.sag_id, sag))
}

/// The person answering: a user logged in with MitID (a citizen's login), or None.
fn mitid_bruger(b: Option<Bruger>) -> Option<Bruger> {
    b.filter(|b| b.rolle == Rolle::Borger)
}

fn log_ind_side(token: String, sag: &storage::entity::sag::Model, b: Option<&Bruger>) -> HoeringSide {
    let videre = serde_urlencoded::to_string([("videre", format!("/hoering/{token}"))]).unwrap_or_default();
    HoeringSide {
        ramme: Ramme::ny("Høring af medarbejderrepræsentant", b),
        token,
        log_ind: Some(LogInd { url: format!("/log-ind/mitid?{videre}"), som: b.map(|b| b.rolle.navn()) }),
        virksomhed: format!("CVR {}", sag.cvr),
        ordning: storage::sager::ordning(sag).map(|o| o.profil().i_tekst()).unwrap_or_default(),
        linjer: vec![],
        fejl: None,
        begrundelse: String::new(),
    }
}

async fn side(
    db: &storage::Db,
    token: String,
    sag: &storage::entity::sag::Model,
    b: &Bruger,
    fejl: Option<String>,
    begrundelse: String,
) -> Result<HoeringSide, WebFejl> {
    let s = skema(db, sag).await?;
    let d = s.dele();
    let cpr = super::vis_cpr(sag.cpr.as_deref(), domain::policy::Rolle::Medarbejderrep);
    Ok(HoeringSide {
        ramme: Ramme::ny("Høring af medarbejderrepræsentant", Some(b)),
        token,
        log_ind: None,
        virksomhed: format!("CVR {}", sag.cvr),
        ordning: s.ordning().profil().i_tekst(),
        linjer: vec![
            ("Ordning".into(), s.ordning().navn().into()),
            ("Arbejdssted (P-nummer)".into(), d.virksomheden.pnummer.clone()),
            ("Borger (CPR)".into(), cpr),
            ("Stillingsbetegnelse".into(), d.jobbet.stillingsbetegnelse.clone()),
            ("Jobindhold".into(), d.jobbet.jobindhold.clone()),
            ("Periode".into(), format!("{} – {}", super::dato(sag.startdato), super::dato(sag.slutdato))),
            ("Timer pr. uge".into(), d.forloeb.timer.clone()),
            ("Ansvarlig kontaktperson".into(), d.kontakt.kontakt_navn.clone()),
        ],
        fejl,
        begrundelse,
    })
}

pub async fn vis(State(st): State<AppState>, MaaskeBruger(b): MaaskeBruger, Sti(token): Sti<String>) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    let Some(b) = mitid_bruger(b.clone()) else {
        return Ok(log_ind_side(token, &sag, b.as_ref()).into_response());
    };
    // The entry names the person MitID identified, in the representative's role.
    let l = storage::adgangslog::Laesning {
        bruger_id: Some(b.model.id),
        api_klient_id: None,
        rolle: domain::policy::Rolle::Medarbejderrep.kode().into(),
        formaal: storage::adgangslog::Formaal::Hoering,
        hvad: format!("hoering sag {sag_id}"),
        cpr: sag.cpr.iter().cloned().collect(),
    };
    storage::adgangslog::skriv(&st.db, l, Utc::now()).await?;
    Ok(side(&st.db, token, &sag, &b, None, String::new()).await?.into_response())
}

/// The representative as the case history records them: the name MitID gave.
fn rep(b: &Bruger, sag_id: i64) -> Udfoerer {
    Udfoerer {
        aktoer: Aktoer::Medarbejderrep { sag_id },
        bruger_id: Some(b.model.id),
        navn: format!("{} (medarbejderrepræsentant, MitID)", b.navn()),
    }
}

pub async fn godkend(State(st): State<AppState>, MaaskeBruger(b): MaaskeBruger, Sti(token): Sti<String>) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    // Without a MitID login, back to the page that asks for one.
    let Some(b) = mitid_bruger(b) else {
        return Ok(videre(format!("/hoering/{token}")));
    };
    let mut a = Aendring::ny(Handling::RepGodkend);
    // Seed 001 §1.9: the application reaches the jobcentre now.
    let idag = Utc::now().date_naive();
    a.opdatering.modtaget_dato = Some(idag);
    a.brug_link = Some(token);
    let s = skema(&st.db, &sag).await?;
    let k = s.dele().kontakt;
    if !k.kontakt_email.trim().is_empty() {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::ansoegning_modtaget(
            &afsender,
            &k.kontakt_email,
            &k.kontakt_navn,
            &super::dato(Some(idag)),
        )?);
    }
    storage::sager::udfoer(&st.db, sag_id, &rep(&b, sag_id), a, Utc::now()).await?;
    Ok(videre("/hoering/kvittering/godkendt"))
}

pub async fn afvis(
    State(st): State<AppState>,
    MaaskeBruger(b): MaaskeBruger,
    Sti(token): Sti<String>,
    Indsendt(f): Indsendt,
) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    let Some(b) = mitid_bruger(b) else {
        return Ok(videre(format!("/hoering/{token}")));
    };
    let begrundelse = match domain::tekst::fritekst(&vaerdi(&f, "begrundelse"), "begrundelse", 2000, true) {
        Ok(Some(t)) => t,
        Ok(None) | Err(_) => {
            let besked = "Skriv en begrundelse (højst 2.000 tegn), før du afviser.".to_string();
            let side = side(&st.db, token, &sag, &b, Some(besked), vaerdi(&f, "begrundelse")).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, side).into_response());
        }
    };
    let s = skema(&st.db, &sag).await?;
    let k = s.dele().kontakt;
    let mut a = Aendring::ny(Handling::RepAfvis);
    a.bemaerkning = Some(begrundelse.clone());
    a.brug_link = Some(token);
    if !k.kontakt_email.trim().is_empty() {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::rep_afvist(&afsender, &k.kontakt_email, &k.kontakt_navn, &begrundelse)?);
    }
    storage::sager::udfoer(&st.db, sag_id, &rep(&b, sag_id), a, Utc::now()).await?;
    Ok(videre("/hoering/kvittering/afvist"))
}

pub async fn kvittering(Sti(udfald): Sti<String>) -> Svar {
    let tekst = match udfald.as_str() {
        "godkendt" => "Tak. Du har godkendt høringen, og ansøgningen er sendt til jobcentret.",
        "afvist" => "Tak. Du har afvist høringen, og virksomheden har fået besked.",
        _ => return Err(WebFejl::SideFindesIkke),
    };
    Ok(Kvittering { ramme: Ramme::uden_bruger("Kvittering"), tekst }.into_response())
}
