//! GetOphør: `GET /api/v1/sager/{eksterntId}/ophoer` (seed 002 §1.1, §2.2).

use axum::Json;
use axum::extract::State;
use domain::status::Elementart;
use domain::webservice::GetService;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::kontrakt::{Ophoer, OphoerSvar};
use super::opslag;
use crate::AppState;

/// The termination of a case: the reason, its DFDG code, and both end dates.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/ophoer",
    operation_id = "GetOphoer",
    summary = "GetOphør: sagens ophør",
    description = "Ophøret med årsag og DFDG-kode samt både den aktuelle slutdato på kaldstidspunktet og den oprindelige slutdato (seed 002 §2.2). En bevilling, som virksomheden ikke godkendte, eller som VITAS lukkede ved udløb, er også et ophør: uden VITAS-årsag (ophoersaarsagId er null) og med DFDG-kode 14 eller 15 (seed 001 §2.1).",
    tag = super::GET_TAG,
    params(("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"), RequestIdHeader),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "Ophøret", body = OphoerSvar),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eller eksterntId er ikke et UUID", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller er ikke ophørt (hverken registreret ophør, ikke godkendt eller udløbet)", body = ApiFejlSvar),
        (status = 409, description = "Ordningen har endnu ingen data i VITAS", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
#[tracing::instrument(skip_all, fields(eksternt_id = tracing::field::Empty, klient = %kald.klient.klient_id))]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti(eksternt_id): ApiSti<String>,
) -> Result<Json<OphoerSvar>, ApiFejl> {
    let f = opslag::sag_for(&st, &kald.klient, &eksternt_id, GetService::Ophoer, opslag::MED_DATA).await?;
    let e = f.elementer(Elementart::Ophoer).last().ok_or(ApiFejl::ElementIkkeFundet("Sagen er ikke ophørt."))?;
    let skema = f.skemadata().ok();
    let mut svar = Ophoer {
        sag: f.oplysninger("ophoer"),
        element_id: e.uuid.clone(),
        borger: f.borger(skema.as_ref()),
        ophoersdato: e.slutdato,
        // Seed 002 §2.2: the end date at the time of the call AND the original end date.
        aktuel_slutdato: f.sag.slutdato,
        oprindelig_slutdato: f.sag.oprindelig_slutdato,
        ophoersaarsag_id: None,
        ophoersaarsag_tekst: String::new(),
        undervalg_id: None,
        undervalg_tekst: None,
        dfdg_ophoersaarsag_id: None,
        dfdg_ophoersaarsag_tekst: None,
    };
    // Seed 001 §2.1: a grant not approved (14) or run out (15) ended without a reason anyone
    // registered; VITAS sends the DFDG code with its own text (decision 88).
    let data = domain::elementdata::Ophoersdata::laes(&e.data)
        .ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("ophøret {} kan ikke læses", e.id)))?;
    if let Some(kode) = &data.systemophoer {
        let s = domain::ophoer::Systemophoer::fra_kode(kode)
            .ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("ophøret {} har en ukendt systemårsag {kode}", e.id)))?;
        svar.ophoersaarsag_tekst = s.tekst().into();
        svar.dfdg_ophoersaarsag_id = Some(s.dfdg().id);
        svar.dfdg_ophoersaarsag_tekst = Some(s.dfdg().tekst.into());
        return Ok(Json(super::ordninger::ophoer(f.ordning, svar)?));
    }
    let aarsag_id: u32 =
        data.aarsag_id.ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("ophøret {} mangler aarsagId", e.id)))?;
    let aarsag = domain::ophoer::aarsag(f.ordning, aarsag_id)
        .ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("ophøret {} har en ukendt årsag {aarsag_id}", e.id)))?;
    let undervalg = data.undervalg.as_deref().and_then(|t| aarsag.undervalg.iter().find(|u| u.tekst == t));
    svar.ophoersaarsag_id = Some(aarsag.id);
    svar.ophoersaarsag_tekst = aarsag.tekst.into();
    svar.undervalg_id = undervalg.map(|u| u.id);
    svar.undervalg_tekst = undervalg.map(|u| u.tekst.to_string());
    // Seed 001 §2.1 (DOMAIN.md): the DFDG code, or null for "Mappes ikke".
    svar.dfdg_ophoersaarsag_id = aarsag.dfdg.map(|d| d.id);
    svar.dfdg_ophoersaarsag_tekst = aarsag.dfdg.map(|d| d.tekst.to_string());
    Ok(Json(super::ordninger::ophoer(f.ordning, svar)?))
}
