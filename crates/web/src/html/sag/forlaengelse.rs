//! "Forlængelse": the company asks to extend an approved grant (seed 004).

use super::{FormularSide, formular_svar, kraev};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt, med_fejl};
use crate::html::ansoegning::{gemt, skema};
use crate::html::{Indsendt, Ramme, Sti, Svar, dato, version, videre};
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::FieldError;
use domain::anmodninger::ForlaengelseAnmodning;
use domain::periode::parse_dato;
use domain::policy::Handling;
use domain::status::{Elementart, ForlaengelseStatus};
use storage::entity::sag;
use storage::sager::{Aendring, NytElement};

// ---- Forlængelse ---------------------------------------------------------------------------

fn forlaengelse_side(b: &Bruger, sag: &sag::Model, v: &ForlaengelseAnmodning, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Anmod om forlængelse", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Anmod om forlængelse".into(),
        intro: vec![format!("Bevillingen slutter i dag {}. Angiv den nye slutdato.", dato(sag.slutdato))],
        felter: med_fejl(
            vec![
                Felt::ny("ny_slutdato", "Ny slutdato", FeltArt::Dato, v.ny_slutdato.clone()),
                Felt::ny(
                    "ansaettelsesbrev_gaelder",
                    "Ansættelsesbrev og ansættelsesforhold er stadig gældende",
                    FeltArt::Afkrydsning { markeret: v.ansaettelsesbrev_gaelder },
                    "on",
                ),
                Felt::ny("jobindhold", "Jobindhold", FeltArt::Tekstomraade { max: 2000 }, v.jobindhold.clone())
                    .hjaelp("Højst 2.000 tegn – også for ældre sager."),
            ],
            fejl,
        ),
        handling_url: format!("/sager/{}/forlaengelse", sag.id),
        knap_id: "send-forlaengelse",
        knap_tekst: "Send anmodning om forlængelse",
        advarsler: vec![],
    }
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn forlaengelse_form(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AnmodForlaengelse)?;
    let v = ForlaengelseAnmodning {
        jobindhold: skema(&st.db, &sag).await?.dele().jobbet.jobindhold.clone(),
        ..Default::default()
    };
    Ok(forlaengelse_side(&b, &sag, &v, &[]).into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn forlaengelse(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AnmodForlaengelse)?;
    let v = ForlaengelseAnmodning::from(&f);
    let aktuel = sag.slutdato.ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("sag {id} har ingen slutdato")))?;
    let fejl = v.fejl(aktuel);
    if !fejl.is_empty() {
        return Ok(formular_svar(forlaengelse_side(&b, &sag, &v, &fejl), true));
    }
    let ny = parse_dato(&v.ny_slutdato, "ny_slutdato").map_err(|e| WebFejl::Ugyldig(e.besked))?;
    let periode = domain::periode::forlaengelse(aktuel, ny, "ny_slutdato").map_err(|e| WebFejl::Ugyldig(e.besked))?;
    let mut s = skema(&st.db, &sag).await?;
    s.dele_mut().jobbet.jobindhold = v.jobindhold.trim().to_string();
    let mut a = Aendring::ny(Handling::AnmodForlaengelse);
    a.forventet_version = version(&f);
    a.opdatering.skemadata = Some(gemt(&s)?);
    a.nyt_element = Some(NytElement {
        art: Elementart::Forlaengelse,
        status: ForlaengelseStatus::AfventerJobcenter.kode().into(),
        startdato: Some(periode.start),
        slutdato: Some(periode.slut),
        data: domain::elementdata::Forlaengelsesdata { ansaettelsesbrev_gaelder: true }.json(),
    });
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=forlaengelse")))
}
