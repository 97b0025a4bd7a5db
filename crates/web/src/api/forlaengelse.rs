//! GetForlængelse: `GET /api/v1/sager/{eksterntId}/forlaengelse` (seed 002 §1.1).

use axum::Json;
use axum::extract::State;
use domain::status::Elementart;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::{Forlaengelse, ForlaengelseSvar, Forlaengelser};
use super::opslag;
use crate::AppState;

/// The extensions of a case, with the current and the original end date.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/forlaengelse",
    operation_id = "GetForlaengelse",
    summary = "GetForlængelse: sagens forlængelser",
    description = "Alle forlængelser på sagen med den aktuelle og den oprindelige slutdato (seed 002 §2.2).",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Forlængelserne", body = ForlaengelseSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller har ingen forlængelse", body = ApiFejlSvar),
        (status = 409, description = "Ordningen har endnu ingen data i VITAS", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
#[tracing::instrument(skip_all, fields(eksternt_id = tracing::field::Empty, klient = %kald.klient.klient_id))]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<ForlaengelseSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Forlaengelse, opslag::MED_DATA).await?;
    let forlaengelser: Vec<Forlaengelse> = f
        .elementer(Elementart::Forlaengelse)
        .map(|e| Forlaengelse {
            element_id: e.uuid.clone(),
            forlaengelse_status: e.status.clone(),
            startdato: e.startdato,
            slutdato: e.slutdato,
            ansaettelsesbrev_gaelder: domain::elementdata::Forlaengelsesdata::laes(&e.data)
                .map(|d| d.ansaettelsesbrev_gaelder),
        })
        .collect();
    if forlaengelser.is_empty() {
        return Err(ApiFejl::ElementIkkeFundet("Sagen har ingen forlængelse."));
    }
    let s = f.skemadata()?;
    Ok(Json(super::ordninger::forlaengelse(
        f.ordning,
        Forlaengelser {
            sag: f.oplysninger("forlaengelse"),
            // Seed 002 §2.2: the end date at the time of the call and the original one.
            aktuel_slutdato: f.sag.slutdato,
            oprindelig_slutdato: f.sag.oprindelig_slutdato,
            timer_pr_uge: f.timer(Some(&s)),
            jobindhold: s.dele().jobbet.jobindhold.trim().into(),
            forlaengelser,
        },
    )?))
}
