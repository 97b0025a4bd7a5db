//! "Afvis ansøgning": the jobcentre rejects with the standard text that cites the law.

use super::{FormularSide, formular_svar, kontakt_email, kraev};
use crate::AppState;
use crate::auth::Bruger;
use crate::felt::{Felt, FeltArt, med_fejl};
use crate::html::ansoegning::skema;
use crate::html::{Indsendt, Ramme, Sti, Svar, vaerdi, version, videre};
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::FieldError;
use domain::policy::Handling;
use storage::entity::sag;
use storage::sager::Aendring;

// ---- Afvis ansøgning ----------------------------------------------------------------------

fn afvis_side(b: &Bruger, sag: &sag::Model, tekst: String, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Afvis ansøgning", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Afvis ansøgning".into(),
        intro: vec!["Teksten sendes til virksomheden. Ret standardteksten til, så begrundelsen fremgår.".into()],
        felter: med_fejl(
            vec![Felt::ny("afvisningstekst", "Afslagstekst", FeltArt::Tekstomraade { max: 10000 }, tekst)],
            fejl,
        ),
        handling_url: format!("/sager/{}/afvis", sag.id),
        knap_id: "send-afvisning",
        knap_tekst: "Afvis og send til virksomheden",
        advarsler: vec![],
    }
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn afvis_form(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AfvisAnsoegning)?;
    let ordning = storage::sager::ordning(&sag)?;
    Ok(afvis_side(&b, &sag, domain::tekster::standard_afslag(ordning), &[]).into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn afvis(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AfvisAnsoegning)?;
    // Seed 001 §1.8: formatted approve/reject texts to the company are exempt from 2000.
    let tekst = match domain::tekst::fritekst(&vaerdi(&f, "afvisningstekst"), "afvisningstekst", 10000, true) {
        Ok(Some(t)) => t,
        Ok(None) => String::new(),
        Err(e) => return Ok(formular_svar(afvis_side(&b, &sag, vaerdi(&f, "afvisningstekst"), &[e]), true)),
    };
    let s = skema(&st.db, &sag).await?;
    let mut a = Aendring::ny(Handling::AfvisAnsoegning);
    a.forventet_version = version(&f);
    a.opdatering.afgoerelse_dato = Some(Utc::now().date_naive());
    a.bemaerkning = Some(tekst.clone());
    if let Some(til) = kontakt_email(&s) {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::afslag(&afsender, &til, &tekst)?);
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=afvist")))
}
