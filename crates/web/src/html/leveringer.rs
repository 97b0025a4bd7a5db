//! "Leveringer til kommunale systemer": the administrator's view of the outbox (issue 4
//! §1): what waits, what was delivered, and the dead letters, each of which can be replayed.
//! A jobcentre's administrator sees that jobcentre's deliveries; the national administrator
//! sees all (`domain::policy::leveringsscope`). Anyone else gets "Siden findes ikke".

use super::{Ramme, Sti, Svar, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::Utc;
use domain::policy::{Leveringsscope, leveringsscope};
use serde::Deserialize;

pub struct DoedVisning {
    pub id: i64,
    pub art: &'static str,
    pub sag_id: Option<i64>,
    pub oprettet: String,
    pub forsoeg: i32,
    pub fejl: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "leveringer.html")]
pub struct LeveringerSide {
    pub ramme: Ramme,
    pub omfang: String,
    pub optaelling: Vec<(&'static str, &'static str, i64)>,
    pub doede: Vec<DoedVisning>,
}

#[derive(Deserialize)]
pub struct LeveringerQuery {
    genoptaget: Option<u64>,
}

/// The jobcentre code the user administers (None: all), or "not found" for anyone else.
async fn omfang(st: &AppState, b: &Bruger) -> Result<Option<String>, WebFejl> {
    match leveringsscope(&b.aktoer) {
        Some(Leveringsscope::Alle) => Ok(None),
        Some(Leveringsscope::Jobcenter(id)) => {
            Ok(Some(storage::organisation::kommunekode(&st.db, id).await?.ok_or(WebFejl::SideFindesIkke)?))
        }
        None => Err(WebFejl::SideFindesIkke),
    }
}

fn art_navn(art: &str) -> &'static str {
    match art {
        storage::outbox::WEBHOOK => "Notifikation (webhook)",
        storage::outbox::EMAIL => "E-mail",
        _ => "Andet",
    }
}

fn status_navn(art: &str, status: &str) -> &'static str {
    use storage::outbox::status as s;
    match status {
        // Only the retention job cancels an e-mail (docs/decisions.md 76).
        s::ANNULLERET if art == storage::outbox::EMAIL => "Annulleret (sagens persondata er fjernet)",
        s::AFVENTER => "Venter",
        s::SENDER => "Sendes nu",
        s::LEVERET => "Leveret",
        s::DOED => "Opgivet (kan sendes igen)",
        s::ANNULLERET => "Annulleret (abonnenten er slettet)",
        _ => "Ukendt",
    }
}

pub async fn vis(State(st): State<AppState>, b: Bruger, Query(q): Query<LeveringerQuery>) -> Svar {
    let kode = omfang(&st, &b).await?;
    let optaelling = storage::outbox::optaelling(&st.db, kode.as_deref())
        .await?
        .into_iter()
        .map(|(art, status, n)| (art_navn(&art), status_navn(&art, &status), n))
        .collect();
    let doede = storage::outbox::doede(&st.db, kode.as_deref(), 200)
        .await?
        .into_iter()
        .map(|r| DoedVisning {
            id: r.id,
            art: art_navn(&r.art),
            sag_id: r.sag_id,
            oprettet: domain::periode::dansk_tid(r.oprettet).format("%d-%m-%Y kl. %H:%M").to_string(),
            forsoeg: r.forsoeg,
            fejl: r.fejl.unwrap_or_default(),
        })
        .collect();
    let besked = q.genoptaget.map(|n| match n {
        1 => "1 levering sendes igen.".to_string(),
        n => format!("{n} leveringer sendes igen."),
    });
    let omfang = match &kode {
        Some(k) => format!("jobcenter med kommunekode {k}"),
        None => "alle jobcentre".into(),
    };
    Ok(LeveringerSide {
        ramme: Ramme::ny("Leveringer til kommunale systemer", Some(&b)).paa("/admin/leveringer").med_besked(besked),
        omfang,
        optaelling,
        doede,
    }
    .into_response())
}

pub async fn genoptag(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let kode = omfang(&st, &b).await?;
    if !storage::outbox::levering_i_omfang(&st.db, id, kode.as_deref()).await? {
        return Err(crate::fejl::WebFejl::IkkeFundet);
    }
    let n = u64::from(storage::outbox::genoptag(&st.db, id, kode.as_deref(), Utc::now()).await?);
    tracing::info!(outbox = id, bruger = b.model.id, "død levering genoptaget");
    Ok(videre(format!("/admin/leveringer?genoptaget={n}")))
}

pub async fn genoptag_alle(State(st): State<AppState>, b: Bruger) -> Svar {
    let kode = omfang(&st, &b).await?;
    let n = storage::outbox::genoptag_alle(&st.db, kode.as_deref(), Utc::now()).await?;
    tracing::info!(antal = n, bruger = b.model.id, "døde leveringer genoptaget");
    Ok(videre(format!("/admin/leveringer?genoptaget={n}")))
}
