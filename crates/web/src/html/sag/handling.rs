//! The actions that post from the case page without a page of their own, and "Gensend" and
//! moving the case.

use super::vis::KNAPPER;
use super::{FormularSide, formular_svar, kontakt_email, kontakt_navn, kraev};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, med_fejl};
use crate::html::ansoegning::skema;
use crate::html::{Formular, Indsendt, Ramme, Sti, Svar, dato, vaerdi, version, videre};
use axum::extract::State;
use chrono::Utc;
use domain::FieldError;
use domain::ordning::Ordning;
use domain::policy::Handling;
use domain::status::{Elementart, ForlaengelseStatus};
use storage::entity::sag;
use storage::sager::Aendring;

/// POST `/sager/{id}/handling/{slug}`: the simple actions.
#[tracing::instrument(skip_all, fields(sag_id = id, handling = tracing::field::Empty))]
pub async fn handling(
    State(st): State<AppState>,
    b: Bruger,
    Sti((id, slug)): Sti<(i64, String)>,
    Indsendt(f): Indsendt,
) -> Svar {
    let Some((h, ..)) = KNAPPER.iter().find(|(_, s, ..)| *s == slug) else {
        return Err(WebFejl::SideFindesIkke);
    };
    // Only a known action is named in the span: the path segment itself could be anything.
    tracing::Span::current().record("handling", tracing::field::debug(h));
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    let s = skema(&st.db, &sag).await?;
    let nu = Utc::now();
    let idag = nu.date_naive();
    let mut a = Aendring::ny(*h);
    a.forventet_version = version(&f);
    let mut kvittering = "udfoert";
    match h {
        // The citizen signs with the same signing component as the company (seed 001 §1.13;
        // decision 97); the signature goes on the agreement's record, with date and time.
        Handling::BorgerUnderskriv => {
            kraev(&b, &sag, Handling::BorgerUnderskriv)?;
            let ansoegning = storage::sager::elementer(&st.db, id)
                .await?
                .into_iter()
                .rfind(|e| e.art == Elementart::Ansoegning.kode())
                .ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("sag {id} har ingen aftale at underskrive")))?;
            let signatur = st.signering.underskriv(&b.navn(), nu).await?;
            a = Aendring {
                forventet_version: a.forventet_version,
                ..Aendring::borgerens_underskrift(
                    &ansoegning,
                    &signatur.underskriver,
                    signatur.tidspunkt,
                    signatur.metode,
                    idag,
                )?
            };
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::ansoegning_modtaget(&afsender, &til, kontakt_navn(&s), &dato(Some(idag)))?);
            }
            kvittering = "underskrevet";
        }
        Handling::BorgerAfvis => {
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::aftale_afvist_af_borger(&afsender, &til, kontakt_navn(&s))?);
            }
            kvittering = "afvist-af-borger";
        }
        Handling::GodkendAnsoegning => {
            // The decision's own fields (the subsidy cap, seed 004; the work intensity, seed
            // 002 §4.2), from the scheme's profile; an error shows the form again as typed.
            let data = match domain::afgoerelse::bevillingsdata(s.ordning().profil(), &|n| f.get(n).cloned()) {
                Ok(d) => d,
                Err(fejl) => return Ok(formular_svar(godkend_side(&b, &sag, s.ordning(), &f, &fejl), true)),
            };
            a = Aendring { forventet_version: a.forventet_version, ..Aendring::bevilling(&sag, data, idag) };
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::bevilling_til_godkendelse(&afsender, &til, kontakt_navn(&s))?);
            }
        }
        Handling::GodkendBevilling => a.opdatering.godkendt_dato = Some(idag),
        Handling::GodkendForlaengelse => {
            let ventende = storage::sager::elementer(&st.db, id).await?.into_iter().rfind(|e| {
                e.art == Elementart::Forlaengelse.kode() && e.status == ForlaengelseStatus::AfventerJobcenter.kode()
            });
            a.opdatering.slutdato = ventende.and_then(|e| e.slutdato);
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                let ny_slut = dato(a.opdatering.slutdato);
                a.emails.push(crate::email::forlaengelse_godkendt(&afsender, &til, kontakt_navn(&s), &ny_slut)?);
            }
        }
        Handling::AfvisForlaengelse => {
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::forlaengelse_afvist(&afsender, &til, kontakt_navn(&s))?);
            }
        }
        _ => {}
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, nu).await?;
    Ok(videre(format!("/sager/{id}?besked={kvittering}")))
}

/// POST `/sager/{id}/gensend`: "Gensend" (the papirflyver icon) queues the company's mail
/// again: the draft link, or the grant awaiting its approval (DOMAIN.md step 1, seed 002
/// §5.4). The policy allows it in those states for the jobcentre; no status changes.
#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn gensend(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::Genfremsend)?;
    let s = skema(&st.db, &sag).await?;
    let til = kontakt_email(&s).ok_or_else(|| {
        WebFejl::Ugyldig(
            "Ansøgningen har ingen e-mailadresse på virksomhedens kontaktperson, så der er intet at gensende.".into(),
        )
    })?;
    let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
    let mail = if storage::sager::fakta(&sag)?.tilstand.afgoerelse
        == Some(domain::status::AfgoerelseStatus::AfventerVirksomhed)
    {
        crate::email::bevilling_til_godkendelse(&afsender, &til, kontakt_navn(&s))?
    } else {
        crate::email::kladde_link(&afsender, &til, kontakt_navn(&s))?
    };
    let mut a = Aendring::ny(Handling::Genfremsend);
    a.forventet_version = version(&f);
    // The history line: "E-mail gensendt til virksomheden: <address>".
    a.bemaerkning = Some(til);
    a.emails.push(mail);
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=gensendt")))
}

// ---- Godkend ansøgning ------------------------------------------------------------------------

/// The decision's fields of `ordning`, with the posted values (or each field's default) and
/// their errors.
pub(super) fn afgoerelsesfelter(ordning: Ordning, f: &Formular, fejl: &[FieldError]) -> Vec<Felt> {
    let felter = ordning.profil().afgoerelsesfelter;
    let vaerdier: serde_json::Map<String, serde_json::Value> = felter
        .iter()
        .map(|a| {
            let v = f.get(a.felt().navn).cloned().unwrap_or_else(|| a.standard().to_string());
            (a.felt().navn.to_string(), serde_json::Value::String(v))
        })
        .collect();
    med_fejl(felter.iter().map(|a| crate::html::ansoegning::felt(a.felt(), &vaerdier, &[], None)).collect(), fejl)
}

/// "Godkend ansøgning" again, when the decision's fields had errors: nothing typed is lost.
fn godkend_side(b: &Bruger, sag: &sag::Model, ordning: Ordning, f: &Formular, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Godkend ansøgning", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Godkend ansøgning".into(),
        intro: vec![format!(
            "Ret oplysningerne. Når du godkender, udarbejdes {} og sendes til virksomheden.",
            ordning.profil().livsforloeb.afgoerelsens_navn().to_lowercase()
        )],
        felter: afgoerelsesfelter(ordning, f, fejl),
        handling_url: format!("/sager/{}/handling/godkend-ansoegning", sag.id),
        knap_id: "godkend-ansoegning",
        knap_tekst: "Godkend ansøgning",
        advarsler: vec![],
    }
}

/// POST `/sager/{id}/flyt`: move the case to another jobcentre (seed 001 §1.11). The user
/// loses access with the move, so the answer is the front page with a receipt.
#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn flyt(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let til: i64 = vaerdi(&f, "jobcenter")
        .trim()
        .parse()
        .map_err(|_| WebFejl::Ugyldig("Vælg det jobcenter, sagen skal flyttes til.".into()))?;
    storage::sager::flyt_jobcenter(&st.db, id, &b.udfoerer(), til, Utc::now()).await?;
    Ok(videre(format!("/?flyttet={id}")))
}
