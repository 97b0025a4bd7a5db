//! The front page: by role, what awaits action; the case lists.

use super::{Ramme, Svar, dato};
use crate::AppState;
use crate::auth::{Bruger, MaaskeBruger};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Rolle};
use serde::Deserialize;
use storage::entity::sag;

/// One row of a case list.
pub struct Raekke {
    pub id: i64,
    pub ordning: &'static str,
    pub status: &'static str,
    pub borger: String,
    pub cvr: String,
    pub periode: String,
    pub modtaget: String,
}

pub fn raekke(s: &sag::Model, rolle: Rolle) -> Raekke {
    let tilstand = storage::sager::tilstand(s).ok();
    Raekke {
        id: s.id,
        ordning: Ordning::fra_kode(&s.ordning).map(|o| o.navn()).unwrap_or("Ukendt"),
        status: tilstand.map(|t| t.vist_status()).unwrap_or("Ukendt"),
        borger: match (&s.borger_navn, rolle) {
            (Some(n), r) if domain::policy::maa_se_cpr(r) => n.clone(),
            (Some(_), _) => "Persondata er fjernet".into(),
            (None, _) => String::new(),
        },
        cvr: s.cvr.clone(),
        periode: match (s.startdato, s.slutdato) {
            (Some(a), Some(b)) => format!("{} – {}", dato(Some(a)), dato(Some(b))),
            _ => String::new(),
        },
        modtaget: dato(s.modtaget_dato),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forside.html")]
pub struct Forside {
    pub ramme: Ramme,
    pub demo: bool,
    pub rolle: Option<Rolle>,
    pub opgaver: Vec<Raekke>,
    pub sager: Vec<Raekke>,
    pub log_ind: bool,
}

#[derive(Deserialize)]
pub struct ForsideQuery {
    log_ind: Option<String>,
    udlogget: Option<String>,
}

pub async fn vis(State(st): State<AppState>, MaaskeBruger(b): MaaskeBruger, Query(q): Query<ForsideQuery>) -> Svar {
    let besked = q.udlogget.map(|_| "Du er logget ud.".to_string());
    let Some(b) = b else {
        return Ok(Forside {
            ramme: Ramme::uden_bruger("Velkommen til VITAS").med_besked(besked),
            demo: st.demo,
            rolle: None,
            opgaver: vec![],
            sager: vec![],
            log_ind: q.log_ind.is_some(),
        }
        .into_response());
    };
    let (opgaver, sager) = match &b.aktoer {
        Aktoer::Virksomhed { cvr } => (
            storage::sager::opgaver_for_virksomhed(&st.db, cvr).await?,
            storage::sager::for_virksomhed(&st.db, cvr, 200).await?,
        ),
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => {
            (storage::sager::til_behandling(&st.db, *jobcenter_id).await?, vec![])
        }
        a => (vec![], storage::sager::synlige(&st.db, a, 200).await?),
    };
    Ok(Forside {
        ramme: Ramme::ny("Forside", Some(&b)).med_besked(besked),
        demo: st.demo,
        rolle: Some(b.rolle),
        opgaver: opgaver.iter().map(|s| raekke(s, b.rolle)).collect(),
        sager: sager.iter().map(|s| raekke(s, b.rolle)).collect(),
        log_ind: false,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "sager.html")]
pub struct Sagsliste {
    pub ramme: Ramme,
    pub sager: Vec<Raekke>,
}

/// Every case the user may see, newest first (the full lists come with issue 3).
pub async fn liste(State(st): State<AppState>, b: Bruger) -> Svar {
    let sager = storage::sager::synlige(&st.db, &b.aktoer, 500).await?;
    Ok(Sagsliste { ramme: Ramme::ny("Sager", Some(&b)), sager: sager.iter().map(|s| raekke(s, b.rolle)).collect() }
        .into_response())
}
