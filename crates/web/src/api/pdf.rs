//! GetPDF: `GET /api/v1/sager/{eksterntId}/pdf/{dokument}` (seed 002 §1.1: "Hente PDF'er fra
//! VITAS").
//!
//! The PDFs themselves (typst, `documents`) come from another branch. Until they are wired
//! in, [`pdf_for`] is the one place that answers, and it answers 404 `pdf_ikke_tilgaengelig`.

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

/// The documents of a case that can be fetched as PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dokument {
    Ansoegning,
    Bevilling,
    Forlaengelse,
    Ophoer,
}

impl Dokument {
    pub const ALLE: [Dokument; 4] =
        [Dokument::Ansoegning, Dokument::Bevilling, Dokument::Forlaengelse, Dokument::Ophoer];

    pub fn kode(self) -> &'static str {
        match self {
            Dokument::Ansoegning => "ansoegning",
            Dokument::Bevilling => "bevilling",
            Dokument::Forlaengelse => "forlaengelse",
            Dokument::Ophoer => "ophoer",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Dokument> {
        Dokument::ALLE.into_iter().find(|d| d.kode() == kode)
    }
}

/// A PDF file (the OpenAPI document's name for the bytes).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfFil(pub Vec<u8>);

/// The one place GetPDF gets a document's bytes. Wire the typst renderer in here.
pub async fn pdf_for(_st: &AppState, _sag: &FundetSag, _dokument: Dokument) -> Result<Vec<u8>, ApiFejl> {
    Err(ApiFejl::PdfIkkeTilgaengelig)
}

/// One PDF of a case.
#[utoipa::path(
    get,
    path = "/api/v1/sager/{eksterntId}/pdf/{dokument}",
    operation_id = "GetPDF",
    summary = "GetPDF: et dokument som PDF",
    description = "Et af sagens dokumenter som PDF. PDF'erne er ikke tilgængelige endnu (404).",
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
        (status = 404, description = "Sagen findes ikke, ligger uden for klientens jobcentre, eller PDF'en er ikke tilgængelig", body = ApiFejlSvar),
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
