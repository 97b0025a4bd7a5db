//! GetHjælpemiddel: `GET /api/v1/sager/{eksterntId}/hjaelpemiddel` (seed 002 §1.1).
//!
//! VITAS does not carry aid grants yet: an aid supplementary grant is answered 409
//! `ordning_uden_data`, any other case 404 (docs/decisions.md 35).

use axum::Json;
use axum::extract::State;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::HjaelpemiddelTillaegSvar;
use super::opslag;
use crate::AppState;

/// An aid supplementary grant (tillægsbevilling).
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/hjaelpemiddel",
    operation_id = "GetHjaelpemiddel",
    summary = "GetHjælpemiddel: tillægsbevilling om hjælpemiddel",
    description = "En tillægsbevilling om hjælpemiddel. VITAS har endnu ingen data om hjælpemidler (409).",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Tillægsbevillingen om hjælpemiddel", body = HjaelpemiddelTillaegSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller er ikke en tillægsbevilling om hjælpemiddel", body = ApiFejlSvar),
        (status = 409, description = "Ordningen har endnu ingen data i VITAS", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
#[tracing::instrument(skip_all, fields(eksternt_id = tracing::field::Empty, klient = %kald.klient.klient_id))]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<HjaelpemiddelTillaegSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Hjaelpemiddel, opslag::UDEN_DATA).await?;
    // No scheme of this method has data in VITAS yet, so the check above has answered.
    Err(ApiFejl::OrdningUdenData { service: GetService::Hjaelpemiddel.navn(), ordning: f.ordning })
}
