//! The API's errors: one Danish JSON body for every status, `ApiFejlSvar`. 500s are opaque to
//! the client, with the cause in the log (never a CPR: the API logs no bodies).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ordning::Ordning;
use serde::Serialize;
use storage::StorageError;
use utoipa::ToSchema;

/// The body of every error the API answers (except the token endpoint, which answers as
/// RFC 6749 §5.2 says).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiFejlSvar {
    /// A stable code a program can act on, e.g. `request_id_brugt`.
    #[schema(example = "sag_ikke_fundet")]
    pub fejlkode: String,
    /// What went wrong, in Danish.
    #[schema(example = "Sagen findes ikke, eller klienten har ikke adgang til den.")]
    pub besked: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiFejl {
    /// No valid bearer token. `token_givet`: a token was sent but is unknown or expired.
    #[error("Kaldet kræver et gyldigt adgangstoken (Authorization: Bearer …). Hent et på /api/oauth/token.")]
    IkkeLoggetInd { token_givet: bool },
    #[error("Headeren x-requestId mangler. Send et unikt id på højst 46 tegn med hvert kald.")]
    ManglerRequestId,
    #[error("Headeren x-requestId må højst være 46 tegn.")]
    RequestIdForLang,
    #[error("Headeren x-requestId må kun indeholde synlige ASCII-tegn uden mellemrum.")]
    RequestIdUgyldig,
    #[error("Headeren x-requestId er allerede brugt af denne klient. Send et nyt id med hvert kald.")]
    RequestIdBrugt,
    #[error("eksterntId skal være et UUID, fx 3f2c1a9e-7b4d-4c1e-9a55-2d7f0b8e6c11.")]
    UgyldigtEksterntId,
    #[error("Adressen kunne ikke læses.")]
    UgyldigSti,
    #[error("Dokumentet findes ikke. Vælg ansoegning, bevilling eller afslag.")]
    UgyldigtDokument,
    #[error("Sagen findes ikke, eller klienten har ikke adgang til den.")]
    SagIkkeFundet,
    /// The case exists and is in scope, but has no record of this kind yet.
    #[error("{0}")]
    ElementIkkeFundet(&'static str),
    /// The service does not apply to the case's scheme (seed 002 §1.1's table).
    #[error("{service} findes ikke for ordningen {}.", .ordning.navn())]
    IkkeForOrdning { service: &'static str, ordning: Ordning },
    /// The service applies, but VITAS does not carry the scheme's data yet.
    #[error("VITAS har endnu ingen data for ordningen {} i {service}.", .ordning.navn())]
    OrdningUdenData { service: &'static str, ordning: Ordning },
    #[error(
        "efter skal være et helt tal fra 0 (sekvens for den sidst læste notifikation), og antal et tal fra 1 til 1000."
    )]
    UgyldigFeedMarkoer,
    #[error("Dokumentet findes ikke for sagen, fx fordi der endnu ikke er en bevilling eller et afslag.")]
    PdfIkkeTilgaengelig,
    #[error("Adressen findes ikke i VITAS' API.")]
    RuteFindesIkke,
    /// The token lacks the scope the endpoint needs (RFC 6750 §3.1 `insufficient_scope`).
    #[error("Klienten har ikke adgang til dette: det kræver scope »{0}«.")]
    ManglerScope(&'static str),
    /// The statistics extract's period (issue 12 §3).
    #[error("{0}")]
    UgyldigPeriode(String),
    #[error("Tabellen findes ikke. Vælg sager, elementer eller statusskift.")]
    UkendtTabel,
    /// The server has no key for the extract's pseudonyms (`VITAS_STATISTIK_NOEGLE`); there is
    /// no default key (decision 129).
    #[error(
        "Statistikudtrækket er ikke slået til på denne server: den har ingen statistiknøgle. Kontakt VITAS' drift."
    )]
    StatistikUtilgaengelig,
    /// The client's calls a minute are used up (`super::graense`); `vent_sek` is the
    /// `Retry-After`.
    #[error("Klienten har brugt sin grænse for kald pr. minut. Vent {vent_sek} sekunder, og prøv igen.")]
    ForMangeKald { vent_sek: u64 },
    /// Too many failed token requests from this client id or address (decision 81).
    #[error(
        "For mange mislykkede forsøg på at hente et token for denne klient eller fra denne adresse. Vent {vent_sek} sekunder, og prøv igen."
    )]
    ForMangeFejlforsoeg { vent_sek: u64 },
    /// The database cannot be reached: 503 with `Retry-After`, try again (issue 11 §4,
    /// decision 119). An `Intern` whose cause is this is answered the same way.
    #[error("VITAS' database er midlertidigt utilgængelig. Prøv igen om lidt.")]
    DatabaseUtilgaengelig,
    /// Keeps its cause: the log shows the whole chain (`{:#}`).
    #[error("internal: {0:#}")]
    Intern(#[from] anyhow::Error),
}

impl ApiFejl {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiFejl::IkkeLoggetInd { .. } => StatusCode::UNAUTHORIZED,
            ApiFejl::ManglerRequestId
            | ApiFejl::RequestIdForLang
            | ApiFejl::RequestIdUgyldig
            | ApiFejl::UgyldigtEksterntId
            | ApiFejl::UgyldigSti
            | ApiFejl::UgyldigtDokument
            | ApiFejl::UgyldigFeedMarkoer
            | ApiFejl::UgyldigPeriode(_) => StatusCode::BAD_REQUEST,
            ApiFejl::ManglerScope(_) => StatusCode::FORBIDDEN,
            // DOMAIN.md "Web services": a repeated request id is answered 412.
            ApiFejl::RequestIdBrugt => StatusCode::PRECONDITION_FAILED,
            ApiFejl::SagIkkeFundet
            | ApiFejl::ElementIkkeFundet(_)
            | ApiFejl::IkkeForOrdning { .. }
            | ApiFejl::PdfIkkeTilgaengelig
            | ApiFejl::RuteFindesIkke
            | ApiFejl::UkendtTabel => StatusCode::NOT_FOUND,
            ApiFejl::OrdningUdenData { .. } => StatusCode::CONFLICT,
            ApiFejl::ForMangeKald { .. } | ApiFejl::ForMangeFejlforsoeg { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiFejl::DatabaseUtilgaengelig | ApiFejl::StatistikUtilgaengelig => StatusCode::SERVICE_UNAVAILABLE,
            ApiFejl::Intern(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn fejlkode(&self) -> &'static str {
        match self {
            ApiFejl::IkkeLoggetInd { .. } => "mangler_adgang",
            ApiFejl::ManglerRequestId => "mangler_request_id",
            ApiFejl::RequestIdForLang => "request_id_for_lang",
            ApiFejl::RequestIdUgyldig => "request_id_ugyldig",
            ApiFejl::RequestIdBrugt => "request_id_brugt",
            ApiFejl::UgyldigtEksterntId => "ugyldigt_eksternt_id",
            ApiFejl::UgyldigSti => "ugyldig_sti",
            ApiFejl::UgyldigtDokument => "ugyldigt_dokument",
            ApiFejl::UgyldigFeedMarkoer => "ugyldig_markoer",
            ApiFejl::SagIkkeFundet => "sag_ikke_fundet",
            ApiFejl::ElementIkkeFundet(_) => "element_ikke_fundet",
            ApiFejl::IkkeForOrdning { .. } => "ikke_for_ordningen",
            ApiFejl::OrdningUdenData { .. } => "ordning_uden_data",
            ApiFejl::PdfIkkeTilgaengelig => "pdf_ikke_tilgaengelig",
            ApiFejl::RuteFindesIkke => "rute_findes_ikke",
            ApiFejl::ManglerScope(_) => "mangler_scope",
            ApiFejl::UgyldigPeriode(_) => "ugyldig_periode",
            ApiFejl::UkendtTabel => "ukendt_tabel",
            ApiFejl::StatistikUtilgaengelig => "statistik_utilgaengelig",
            ApiFejl::ForMangeKald { .. } => "for_mange_kald",
            ApiFejl::ForMangeFejlforsoeg { .. } => "for_mange_fejlforsoeg",
            ApiFejl::DatabaseUtilgaengelig => "database_utilgaengelig",
            ApiFejl::Intern(_) => "intern_fejl",
        }
    }

    pub fn svar(&self) -> ApiFejlSvar {
        let besked = match self {
            ApiFejl::Intern(_) => "Der opstod en teknisk fejl i VITAS. Prøv igen om lidt.".to_string(),
            e => e.to_string(),
        };
        ApiFejlSvar { fejlkode: self.fejlkode().into(), besked }
    }
}

impl From<StorageError> for ApiFejl {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::IkkeFundet => ApiFejl::SagIkkeFundet,
            e if e.er_utilgaengelig() => {
                tracing::warn!(aarsag = %e, "databasen er utilgængelig (API)");
                ApiFejl::DatabaseUtilgaengelig
            }
            e => ApiFejl::Intern(e.into()),
        }
    }
}

impl IntoResponse for ApiFejl {
    fn into_response(self) -> Response {
        let fejl = match self {
            ApiFejl::Intern(aarsag) if aarsag.chain().any(storage::fejl::er_utilgaengelig) => {
                tracing::warn!(aarsag = format!("{aarsag:#}"), "databasen er utilgængelig (API)");
                ApiFejl::DatabaseUtilgaengelig
            }
            e => e,
        };
        if let ApiFejl::Intern(aarsag) = &fejl {
            tracing::error!(aarsag = format!("{aarsag:#}"), "intern fejl i API'et");
        }
        let mut svar = (fejl.status(), Json(fejl.svar())).into_response();
        if let ApiFejl::ForMangeKald { vent_sek } | ApiFejl::ForMangeFejlforsoeg { vent_sek } = fejl {
            // RFC 9110 §10.2.3 / RFC 6585 §4: when to try again, in seconds.
            svar.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(vent_sek));
        }
        if let ApiFejl::DatabaseUtilgaengelig = fejl {
            svar.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(crate::fejl::VENT_PAA_DATABASEN_SEK));
        }
        if let ApiFejl::ManglerScope(scope) = fejl {
            // RFC 6750 §3.1: the scope the call needs.
            let udfordring = format!("Bearer realm=\"VITAS\", error=\"insufficient_scope\", scope=\"{scope}\"");
            if let Ok(v) = HeaderValue::from_str(&udfordring) {
                svar.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        if let ApiFejl::IkkeLoggetInd { token_givet } = fejl {
            // RFC 6750 §3: the challenge, with `invalid_token` when a token was sent.
            let udfordring =
                if token_givet { "Bearer realm=\"VITAS\", error=\"invalid_token\"" } else { "Bearer realm=\"VITAS\"" };
            svar.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(udfordring));
        }
        svar
    }
}
