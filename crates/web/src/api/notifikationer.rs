//! The pull feed of OrdningsNotifikationer: `GET /api/v1/notifikationer?efter=<sekvens>`
//! (issue 4 §2). A municipal system that cannot take webhooks, or that was subscribed later,
//! reads its jobcentres' notifications in order and resumes from the last `sekvens` it saw.
//! Each item is the same body a webhook subscriber receives (`storage::outbox::WebhookBesked`),
//! so one parser serves both ways.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiKlient;
use super::fejl::{ApiFejl, ApiFejlSvar};
use crate::AppState;

/// The most items one call returns.
pub const MAKS_ANTAL: u64 = 1000;
const STANDARD_ANTAL: u64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Return notifications after this `sekvens` (0 or absent: from the beginning).
    #[param(minimum = 0, example = 0)]
    pub efter: Option<i64>,
    /// How many at most (1–1000; default 100).
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub antal: Option<u64>,
}

/// The OrdningsNotifikation (seed 002 §1.1; DOMAIN.md "Web services"), as the feed and the
/// webhooks carry it. It mirrors `storage::sager::OrdningsNotifikation`, which writes it; a test
/// reads every stored notification through this type, so the two cannot drift apart.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrdningsNotifikation {
    /// The case's external id: the key of every Get service.
    pub eksternt_id: String,
    /// The jobcentre's municipality code.
    pub jobcenter_kode: Option<String>,
    /// "Oprettet" for the case's first notification, then "Redigeret".
    #[schema(example = "Oprettet")]
    pub oprettet_eller_redigeret: String,
    pub registreringsdato: DateTime<Utc>,
    /// The responsible caseworker's e-mail, when one is assigned.
    pub ansvarlig_email: Option<String>,
    /// The scheme, e.g. `loentilskud`.
    pub virksomhedsordning_skabelon: String,
    /// The record the change concerns: `ansoegning`, `bevilling`, `forlaengelse`, `ophoer`…
    pub virksomhedsordning_subskabelon: String,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
}

/// One item: the stable id to deduplicate on, the sequence number to resume from.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedElement {
    /// Stable across retries and subscribers (also `X-Vitas-Id` on a webhook).
    pub id: String,
    /// Increasing; the cursor (`efter`) of the next call.
    pub sekvens: i64,
    #[serde(rename = "type")]
    #[schema(example = "OrdningsNotifikation")]
    pub type_: String,
    pub data: OrdningsNotifikation,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedSvar {
    pub notifikationer: Vec<FeedElement>,
    /// Pass this as `efter` next time (the last item's `sekvens`, or the cursor given).
    pub naeste_efter: i64,
    /// Whether more notifications wait right now.
    pub flere: bool,
}

/// The notifications of the client's jobcentres after a cursor, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/notifikationer",
    operation_id = "HentNotifikationer",
    tag = "Notifikationer",
    params(FeedQuery),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Notifikationerne efter markøren, ældste først", body = FeedSvar),
        (status = 400, description = "efter eller antal er ugyldig", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
    )
)]
pub async fn hent(
    State(st): State<AppState>,
    klient: ApiKlient,
    q: Result<Query<FeedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<FeedSvar>, ApiFejl> {
    let Ok(Query(q)) = q else {
        return Err(ApiFejl::UgyldigFeedMarkoer);
    };
    let efter = q.efter.unwrap_or(0);
    let antal = q.antal.unwrap_or(STANDARD_ANTAL);
    if efter < 0 || !(1..=MAKS_ANTAL).contains(&antal) {
        return Err(ApiFejl::UgyldigFeedMarkoer);
    }
    let koder: Vec<String> = klient.kommunekoder().map(str::to_string).collect();
    // One more than asked tells whether more wait.
    let mut raekker = storage::outbox::feed(&st.db, &koder, efter, antal + 1).await?;
    let flere = raekker.len() as u64 > antal;
    raekker.truncate(usize::try_from(antal).unwrap_or(usize::MAX));
    let mut notifikationer = Vec::with_capacity(raekker.len());
    for r in raekker {
        let data: OrdningsNotifikation = serde_json::from_str(&r.payload).map_err(|e| {
            ApiFejl::Intern(anyhow::Error::new(e).context(format!("notifikation {} kan ikke læses", r.id)))
        })?;
        notifikationer.push(FeedElement { id: r.noegle, sekvens: r.id, type_: "OrdningsNotifikation".into(), data });
    }
    let naeste_efter = notifikationer.last().map_or(efter, |n| n.sekvens);
    Ok(Json(FeedSvar { notifikationer, naeste_efter, flere }))
}
