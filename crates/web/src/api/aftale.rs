//! GetAftale: `GET /api/v1/sager/{eksterntId}/aftale` (seed 002 §1.1).
//!
//! The IGU agreement as the company and the citizen signed it (issue 13 §2); any other case
//! is answered 404 (docs/decisions.md 35), an agreement not yet signed by the company too.

use axum::Json;
use axum::extract::State;
use domain::status::Elementart;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::AftaleSvar;
use super::opslag;
use crate::AppState;

/// The IGU agreement of a case.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/aftale",
    operation_id = "GetAftale",
    summary = "GetAftale: IGU-aftalen",
    description = "IGU-aftalen på en IGU-sag: ansættelsen, lønnen, skoledelen og uddannelsesplanen, og hvornår virksomheden og borgeren underskrev.",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "IGU-aftalen", body = AftaleSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, er ikke en IGU-sag, eller aftalen er ikke underskrevet", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<AftaleSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Aftale, opslag::MED_DATA).await?;
    // The agreement record is written when the company signs.
    let e = f
        .elementer(Elementart::Ansoegning)
        .last()
        .ok_or(ApiFejl::ElementIkkeFundet("Aftalen er endnu ikke underskrevet af virksomheden."))?;
    let s = f.skemadata()?;
    Ok(Json(super::ordninger::aftale(&f, &s, e)?))
}
