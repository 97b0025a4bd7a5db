//! GetPDF: `GET /api/v1/sager/{eksterntId}/pdf/{dokument}` (seed 002 §1.1: "Hente PDF'er fra
//! VITAS").
//!
//! The bytes come from `jobs::pdf::dokument`, the same function the case page's download
//! calls, so a municipal system gets exactly the letter the caseworker sees.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiSti;
use super::auth::{GetKald, RequestIdHeader};
use super::fejl::{ApiFejl, ApiFejlSvar};
use super::opslag::{self, FundetSag};
use crate::AppState;

/// The documents of a case that can be fetched as PDF: `jobs::pdf::Dokument` as the OpenAPI
/// document names it (a test checks that the two lists agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dokument {
    Ansoegning,
    Bevilling,
    Afslag,
}

impl Dokument {
    pub const ALLE: [Dokument; 3] = [Dokument::Ansoegning, Dokument::Bevilling, Dokument::Afslag];

    pub fn til_jobs(self) -> jobs::pdf::Dokument {
        match self {
            Dokument::Ansoegning => jobs::pdf::Dokument::Ansoegning,
            Dokument::Bevilling => jobs::pdf::Dokument::Bevilling,
            Dokument::Afslag => jobs::pdf::Dokument::Afslag,
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Dokument> {
        Dokument::ALLE.into_iter().find(|d| d.til_jobs().slug() == kode)
    }
}

/// A PDF file (the OpenAPI document's name for the bytes).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfFil(pub Vec<u8>);

/// The one place GetPDF gets a document's bytes. A municipal system reads for its
/// jobcentre's caseworkers, so it sees what they see.
pub async fn pdf_for(st: &AppState, f: &FundetSag, dokument: Dokument) -> Result<Vec<u8>, ApiFejl> {
    use jobs::pdf::DokumentFejl;
    let rolle = domain::policy::Rolle::Sagsbehandler;
    match jobs::pdf::dokument(&st.db, st.cvr.as_ref(), rolle, &f.sag, dokument.til_jobs()).await {
        Ok(bytes) => Ok(bytes),
        Err(DokumentFejl::FindesIkke) => Err(ApiFejl::PdfIkkeTilgaengelig),
        Err(DokumentFejl::Storage(e)) => Err(e.into()),
        Err(e) => Err(ApiFejl::Intern(e.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samme_dokumenter_som_jobs() {
        let her: Vec<&str> = Dokument::ALLE.iter().map(|d| d.til_jobs().slug()).collect();
        let jobs: Vec<&str> = jobs::pdf::Dokument::ALLE.iter().map(|d| d.slug()).collect();
        assert_eq!(her, jobs);
        for d in Dokument::ALLE {
            assert_eq!(Dokument::fra_kode(d.til_jobs().slug()), Some(d));
        }
    }
}

/// One PDF of a case.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/pdf/{dokument}",
    operation_id = "GetPDF",
    summary = "GetPDF: et dokument som PDF",
    description = "Et af sagens dokumenter som PDF: ansøgningen, bevillingen eller afslaget, som sagsbehandleren ser dem. 404, når dokumentet ikke findes i sagens tilstand (fx ingen bevilling endnu).",
    tag = super::GET_TAG,
    params(
        ("eksterntId" = uuid::Uuid, Path, description = "Sagens eksterne id (eksterntId i OrdningsNotifikation)"),
        ("dokument" = inline(Dokument), Path, description = "Hvilket dokument"),
        RequestIdHeader,
    ),
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "PDF'en", content_type = "application/pdf", body = PdfFil),
        (status = 400, description = "x-requestId mangler eller er ugyldig, eksterntId er ikke et UUID, eller dokumentet er ukendt", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller dokumentet findes ikke i sagens tilstand", body = ApiFejlSvar),
        (status = 412, description = "x-requestId er brugt før af klienten", body = ApiFejlSvar),
    )
)]
pub async fn hent(
    State(st): State<AppState>,
    kald: GetKald,
    ApiSti((eksternt_id, dokument)): ApiSti<(String, String)>,
) -> Result<Response, ApiFejl> {
    let dokument = Dokument::fra_kode(&dokument).ok_or(ApiFejl::UgyldigtDokument)?;
    let f = opslag::sag(&st, &kald.klient, &eksternt_id).await?;
    let pdf = pdf_for(&st, &f, dokument).await?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
}
