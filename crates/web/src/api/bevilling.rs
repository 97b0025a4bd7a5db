//! GetBevilling: `GET /api/v1/sager/{eksterntId}/bevilling` (seed 002 §1.1).

use axum::Json;
use axum::extract::State;
use domain::status::Elementart;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::BevillingSvar;
use super::opslag;
use crate::AppState;

/// The grant of a case (the newest grant record).
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/bevilling",
    operation_id = "GetBevilling",
    summary = "GetBevilling: sagens bevilling",
    description = "Den nyeste bevilling på sagen med kontaktpersonen på arbejdsstedet (seed 002 §2.4), tilskudsloftet og timetilskudssatsens type (seed 002 §3.6).",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Bevillingen", body = BevillingSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller har ingen bevilling", body = ApiFejlSvar),
        (status = 409, description = "Ordningen har endnu ingen data i VITAS", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
#[tracing::instrument(skip_all, fields(eksternt_id = tracing::field::Empty, klient = %kald.klient.klient_id))]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<BevillingSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Bevilling, opslag::MED_DATA).await?;
    let e =
        f.elementer(Elementart::Bevilling).last().ok_or(ApiFejl::ElementIkkeFundet("Sagen har ingen bevilling."))?;
    let s = f.skemadata()?;
    Ok(Json(super::ordninger::bevilling(&f, &s, e)?))
}
