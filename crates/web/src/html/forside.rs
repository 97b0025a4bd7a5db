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

/// A front-page counter: what awaits action, as a list and a filter (seed 001 §1.6).
pub struct Boble {
    pub titel: &'static str,
    pub liste: storage::lister::Liste,
    pub filter: storage::lister::Filter,
}

impl Boble {
    /// The list the bubble opens, with its filter in the URL.
    pub fn url(&self) -> String {
        let sti = match self.liste {
            storage::lister::Liste::SoegAnsoegninger => "/soeg?fane=ansoegninger".to_string(),
            storage::lister::Liste::SoegBevillinger => "/soeg?fane=bevillinger".to_string(),
            storage::lister::Liste::SoegIgu => "/soeg?fane=igu".to_string(),
            l => format!("/lister/{}", l.kode()),
        };
        let q = super::filterurl::til_query(&self.filter, None, 1, super::filterurl::STANDARD_STOERRELSE);
        match (q.is_empty(), sti.contains('?')) {
            (true, _) => sti,
            (false, true) => format!("{sti}&{q}"),
            (false, false) => format!("{sti}?{q}"),
        }
    }
}

/// The counters of a role. Each count is `lister::antal` of the very list and filter its
/// link opens, so the two cannot disagree.
pub fn bobler(rolle: Rolle) -> Vec<Boble> {
    use storage::lister::{Filter, Liste};
    let status = |s: &str| Filter { statusser: vec![s.to_string()], ..Filter::default() };
    match rolle {
        Rolle::Sagsbehandler | Rolle::Administrator => vec![
            Boble { titel: "Modtagne ansøgninger", liste: Liste::Ansoegninger, filter: status("modtaget") },
            Boble { titel: "Tilbud", liste: Liste::Tilbud, filter: status("modtaget") },
            Boble { titel: "Forlængelser", liste: Liste::Forlaengelser, filter: status("afventer_jobcenter") },
            Boble { titel: "Sendte kladder", liste: Liste::SendteKladder, filter: Filter::default() },
        ],
        Rolle::Virksomhed => vec![Boble {
            titel: "Bevillinger til godkendelse",
            liste: Liste::SoegBevillinger,
            filter: status("afventer_virksomhed"),
        }],
        _ => vec![],
    }
}

/// A counter as shown: title, number, link.
pub struct VistBoble {
    pub titel: &'static str,
    pub antal: u64,
    pub url: String,
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
    pub bobler: Vec<VistBoble>,
}

#[derive(Deserialize)]
pub struct ForsideQuery {
    log_ind: Option<String>,
    udlogget: Option<String>,
    flyttet: Option<i64>,
}

pub async fn vis(State(st): State<AppState>, MaaskeBruger(b): MaaskeBruger, Query(q): Query<ForsideQuery>) -> Svar {
    let besked = match (q.udlogget, q.flyttet) {
        (Some(_), _) => Some("Du er logget ud.".to_string()),
        (None, Some(id)) => Some(format!("Sag {id} er flyttet til det nye jobcenter.")),
        _ => None,
    };
    let Some(b) = b else {
        return Ok(Forside {
            ramme: Ramme::uden_bruger("Velkommen til VITAS").med_besked(besked),
            demo: st.demo,
            rolle: None,
            opgaver: vec![],
            sager: vec![],
            log_ind: q.log_ind.is_some(),
            bobler: vec![],
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
        bobler: {
            let mut vist = Vec::new();
            for boble in bobler(b.rolle) {
                let antal = storage::lister::antal(&st.db, &b.aktoer, boble.liste, &boble.filter).await?;
                vist.push(VistBoble { titel: boble.titel, antal, url: boble.url() });
            }
            vist
        },
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
