//! The employee representative's consultation (høring), reached through a link (seed 004:
//! the representative approves the consultation part after the company).

use super::ansoegning::skema;
use super::{Indsendt, Ramme, Sti, Svar, vaerdi, videre};
use crate::AppState;
use crate::fejl::WebFejl;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::policy::{Aktoer, Handling};
use storage::sager::{Aendring, Udfoerer};

#[derive(Template, WebTemplate)]
#[template(path = "hoering.html")]
pub struct HoeringSide {
    pub ramme: Ramme,
    pub token: String,
    pub virksomhed: String,
    pub linjer: Vec<(String, String)>,
    pub fejl: Option<String>,
    pub begrundelse: String,
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

fn side(
    token: String,
    sag: &storage::entity::sag::Model,
    fejl: Option<String>,
    begrundelse: String,
) -> Result<HoeringSide, WebFejl> {
    let s = skema(sag)?;
    let cpr = super::vis_cpr(sag.cpr.as_deref(), domain::policy::Rolle::Medarbejderrep);
    Ok(HoeringSide {
        ramme: Ramme::uden_bruger("Høring af medarbejderrepræsentant"),
        token,
        virksomhed: format!("CVR {}", sag.cvr),
        linjer: vec![
            ("Ordning".into(), "Løntilskud".into()),
            ("Arbejdssted (P-nummer)".into(), s.pnummer.clone()),
            ("Borger (CPR)".into(), cpr),
            ("Stillingsbetegnelse".into(), s.stillingsbetegnelse.clone()),
            ("Jobindhold".into(), s.jobindhold.clone()),
            ("Periode".into(), format!("{} – {}", super::dato(sag.startdato), super::dato(sag.slutdato))),
            ("Timer pr. uge".into(), s.timer.clone()),
            ("Ansvarlig kontaktperson".into(), s.kontakt_navn.clone()),
        ],
        fejl,
        begrundelse,
    })
}

pub async fn vis(State(st): State<AppState>, Sti(token): Sti<String>) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    // The representative is no logged-in user: the entry names the role and the case.
    let l = storage::adgangslog::Laesning {
        bruger_id: None,
        api_klient_id: None,
        rolle: domain::policy::Rolle::Medarbejderrep.kode().into(),
        formaal: storage::adgangslog::Formaal::Hoering,
        hvad: format!("hoering sag {sag_id}"),
        cpr: sag.cpr.iter().cloned().collect(),
    };
    storage::adgangslog::skriv(&st.db, l, Utc::now()).await?;
    Ok(side(token, &sag, None, String::new())?.into_response())
}

fn rep(sag: &storage::entity::sag::Model, sag_id: i64) -> Result<Udfoerer, WebFejl> {
    let s = skema(sag)?;
    Ok(Udfoerer {
        aktoer: Aktoer::Medarbejderrep { sag_id },
        bruger_id: None,
        navn: format!("{} (medarbejderrepræsentant)", s.rep_navn.trim()),
    })
}

pub async fn godkend(State(st): State<AppState>, Sti(token): Sti<String>) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    let mut a = Aendring::ny(Handling::RepGodkend);
    // Seed 001 §1.9: the application reaches the jobcentre now.
    let idag = Utc::now().date_naive();
    a.opdatering.modtaget_dato = Some(idag);
    a.brug_link = Some(token);
    let s = skema(&sag)?;
    if !s.kontakt_email.trim().is_empty() {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::ansoegning_modtaget(
            &afsender,
            &s.kontakt_email,
            &s.kontakt_navn,
            &super::dato(Some(idag)),
        )?);
    }
    storage::sager::udfoer(&st.db, sag_id, &rep(&sag, sag_id)?, a, Utc::now()).await?;
    Ok(videre("/hoering/kvittering/godkendt"))
}

pub async fn afvis(State(st): State<AppState>, Sti(token): Sti<String>, Indsendt(f): Indsendt) -> Svar {
    let (sag_id, sag) = link_sag(&st, &token).await?;
    let begrundelse = match domain::tekst::fritekst(&vaerdi(&f, "begrundelse"), "begrundelse", 2000, true) {
        Ok(Some(t)) => t,
        Ok(None) | Err(_) => {
            let besked = "Skriv en begrundelse (højst 2.000 tegn), før du afviser.".to_string();
            let side = side(token, &sag, Some(besked), vaerdi(&f, "begrundelse"))?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, side).into_response());
        }
    };
    let s = skema(&sag)?;
    let mut a = Aendring::ny(Handling::RepAfvis);
    a.bemaerkning = Some(begrundelse.clone());
    a.brug_link = Some(token);
    if !s.kontakt_email.trim().is_empty() {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::rep_afvist(&afsender, &s.kontakt_email, &s.kontakt_navn, &begrundelse)?);
    }
    storage::sager::udfoer(&st.db, sag_id, &rep(&sag, sag_id)?, a, Utc::now()).await?;
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
