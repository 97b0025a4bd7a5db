//! GetAnsøgning: `GET /api/v1/sager/{eksterntId}/ansoegning` (seed 002 §1.1).

use axum::Json;
use axum::extract::State;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::AnsoegningSvar;
use super::opslag;
use crate::AppState;

/// The application of a case.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/ansoegning",
    operation_id = "GetAnsoegning",
    summary = "GetAnsøgning: sagens ansøgning",
    description = "Ansøgningen på en sag, nøglet på sagens eksterne id. Timer pr. uge sendes som timer og minutter, minutterne rundet op til nærmeste kvarter (seed 002 §2.5).",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Ansøgningen", body = AnsoegningSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller ordningen har ingen ansøgning", body = ApiFejlSvar),
        (status = 409, description = "Ordningen har endnu ingen data i VITAS", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
#[tracing::instrument(skip_all, fields(eksternt_id = tracing::field::Empty, klient = %kald.klient.klient_id))]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<AnsoegningSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Ansoegning, opslag::MED_DATA).await?;
    let s = f.skemadata()?;
    Ok(Json(super::ordninger::ansoegning(&f, &s)?))
}
