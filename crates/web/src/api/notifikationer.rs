//! The pull feed of OrdningsNotifikationer: `GET /api/v1/notifikationer?efter=<sekvens>`
//! (issue 4 §2). A municipal system that cannot take webhooks, or that was subscribed later,
//! reads its jobcentres' notifications in order and resumes from the last `sekvens` it saw.
//! Each item is the same body a webhook subscriber receives (`storage::outbox::WebhookBesked`),
//! so one parser serves both ways. Its `type` says which event it is: `OrdningsNotifikation`,
//! or `SagFlyttet` for a case that left the jobcentre (decision 89).

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use storage::outbox::Haendelse;

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
    /// "Oprettet" for the case's first notification, and for the first to a jobcentre the case
    /// was moved to (decision 89); otherwise "Redigeret".
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

/// SagFlyttet: the case was moved to another jobcentre; the jobcentre it left gets this, and
/// the new one an OrdningsNotifikation with `oprettetEllerRedigeret` "Oprettet" (decision 89).
/// The case is outside the receiver's scope from now on: its Get services answer 404. It
/// mirrors `storage::sager::SagFlyttet`, which writes it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SagFlyttet {
    /// The case's external id.
    pub eksternt_id: String,
    /// The jobcentre the case left: the receiver's own.
    #[schema(example = "0101")]
    pub fra_jobcenter_kode: String,
    /// The jobcentre that has the case now.
    #[schema(example = "0751")]
    pub til_jobcenter_kode: Option<String>,
    pub registreringsdato: DateTime<Utc>,
    /// The scheme, e.g. `loentilskud`.
    pub virksomhedsordning_skabelon: String,
}

/// One item: the stable id to deduplicate on, the sequence number to resume from, and the
/// event, told apart by `type`. A receiver acts on the types it knows and acknowledges the
/// rest (docs/api.md).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type")]
pub enum FeedElement {
    /// Every state change of a case (seed 002 §1.1).
    OrdningsNotifikation {
        /// Stable across retries and subscribers (also `X-Vitas-Id` on a webhook).
        id: String,
        /// Increasing; the cursor (`efter`) of the next call.
        sekvens: i64,
        data: OrdningsNotifikation,
    },
    /// The case left the jobcentre for another (decision 89).
    SagFlyttet {
        /// Stable across retries and subscribers (also `X-Vitas-Id` on a webhook).
        id: String,
        /// Increasing; the cursor (`efter`) of the next call.
        sekvens: i64,
        data: SagFlyttet,
    },
}

impl FeedElement {
    pub fn sekvens(&self) -> i64 {
        match self {
            FeedElement::OrdningsNotifikation { sekvens, .. } | FeedElement::SagFlyttet { sekvens, .. } => *sekvens,
        }
    }
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
        let ulaeselig = |e: serde_json::Error| {
            ApiFejl::Intern(anyhow::Error::new(e).context(format!("hændelse {} kan ikke læses", r.id)))
        };
        let (id, sekvens) = (r.noegle.clone(), r.id);
        notifikationer.push(match Haendelse::af_art(&r.art) {
            Some(Haendelse::OrdningsNotifikation) => FeedElement::OrdningsNotifikation {
                id,
                sekvens,
                data: serde_json::from_str(&r.payload).map_err(ulaeselig)?,
            },
            Some(Haendelse::SagFlyttet) => {
                FeedElement::SagFlyttet { id, sekvens, data: serde_json::from_str(&r.payload).map_err(ulaeselig)? }
            }
            None => return Err(ApiFejl::Intern(anyhow::anyhow!("række {} er ikke en hændelse ({})", r.id, r.art))),
        });
    }
    let naeste_efter = notifikationer.last().map_or(efter, FeedElement::sekvens);
    Ok(Json(FeedSvar { notifikationer, naeste_efter, flere }))
}
