//! The edge guard: hostile bytes get a Danish 4xx before any handler sees them (issue 14 §2,
//! decision 55).
//!
//! Every request passes [`tjek`] first:
//! - the path and each query parameter, percent-decoded, must be UTF-8 without control
//!   characters, and the address at most [`MAKS_ADRESSE`] bytes long;
//! - a form body (`application/x-www-form-urlencoded`, what every HTML form and the token
//!   endpoint post) is read up to [`MAKS_FORMULAR`] bytes, and each field, decoded, must be
//!   UTF-8 whose only control characters are tab and line breaks (a textarea posts those).
//!
//! PostgreSQL refuses a NUL byte in text, so a NUL that got past the edge became a 500 deep in
//! a query (a search field) or a case whose every later step failed (a name on the hearing).
//! One check here covers every form field, query parameter and the API's one body, and a route
//! added later is covered without remembering it.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode;

/// The longest form body VITAS reads: the largest real form (an application's step with its
/// free texts of at most 2,000 characters each) is a few kilobytes.
pub const MAKS_FORMULAR: usize = 1024 * 1024;
/// The longest path and query: a list URL with every filter set is under 1 KB.
pub const MAKS_ADRESSE: usize = 8 * 1024;

/// Why the edge refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graensefejl {
    /// A control character (NUL, ESC, …) or bytes that are not UTF-8.
    UgyldigeTegn,
    /// A form body over [`MAKS_FORMULAR`].
    ForStor,
    /// A path and query over [`MAKS_ADRESSE`].
    ForLangAdresse,
}

impl Graensefejl {
    pub fn status(self) -> StatusCode {
        match self {
            Graensefejl::UgyldigeTegn => StatusCode::BAD_REQUEST,
            Graensefejl::ForStor => StatusCode::PAYLOAD_TOO_LARGE,
            Graensefejl::ForLangAdresse => StatusCode::URI_TOO_LONG,
        }
    }

    /// The API's stable code for it.
    pub fn fejlkode(self) -> &'static str {
        match self {
            Graensefejl::UgyldigeTegn => "ugyldige_tegn",
            Graensefejl::ForStor => "for_stor",
            Graensefejl::ForLangAdresse => "for_lang_adresse",
        }
    }

    pub fn besked(self) -> &'static str {
        match self {
            Graensefejl::UgyldigeTegn => {
                "Indtastningen indeholder tegn, som VITAS ikke kan modtage (kontroltegn eller ugyldig \
                 tegnkodning). Ret teksten, og prøv igen."
            }
            Graensefejl::ForStor => "Formularen er for stor. VITAS modtager højst 1 MB pr. indsendelse.",
            Graensefejl::ForLangAdresse => "Adressen er for lang. Fjern nogle af filtrene, og prøv igen.",
        }
    }
}

/// The longest a request may take before VITAS answers 503 and drops the work (a transaction
/// under way rolls back). A list page takes well under a second; a small Excel file a few.
pub const STANDARD_TIDSGRAENSE: std::time::Duration = std::time::Duration::from_secs(30);

/// Request timeouts (issue 14 §2): past `AppState::tidsgraense` the request is dropped and
/// the caller gets a Danish 503 with `Retry-After`.
pub async fn tidsgraense(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    match tokio::time::timeout(st.tidsgraense, next.run(req)).await {
        Ok(svar) => svar,
        Err(_) => {
            tracing::warn!(sekunder = st.tidsgraense.as_secs_f64(), "forespørgslen tog for lang tid");
            let besked = crate::fejl::WebFejl::ForLangsom.to_string();
            let mut svar = if api {
                let krop = crate::api::fejl::ApiFejlSvar { fejlkode: "for_langsom".into(), besked };
                (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(krop)).into_response()
            } else {
                crate::fejl::WebFejl::ForLangsom.into_response()
            };
            svar.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            svar
        }
    }
}

/// The middleware: refuse at the edge, or pass the request on with its body intact.
pub async fn tjek(req: Request, next: Next) -> Response {
    let sti = req.uri().path();
    let (token, api) = (sti == TOKEN_STI, sti.starts_with("/api/"));
    match tjek_anmodning(req).await {
        Ok(req) => next.run(req).await,
        Err(f) if token => oauth_svar(f),
        Err(f) if api => api_svar(f),
        Err(f) => crate::fejl::WebFejl::Graense(f).into_response(),
    }
}

async fn tjek_anmodning(req: Request) -> Result<Request, Graensefejl> {
    let uri = req.uri();
    let laengde = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if laengde > MAKS_ADRESSE {
        return Err(Graensefejl::ForLangAdresse);
    }
    tjek_tekst(&percent_decode(uri.path().as_bytes()).collect::<Vec<u8>>(), false)?;
    if let Some(q) = uri.query() {
        tjek_felter(q.as_bytes(), false)?;
    }
    if !er_formular(&req) {
        return Ok(req);
    }
    let (dele, krop) = req.into_parts();
    let bytes: Bytes = axum::body::to_bytes(krop, MAKS_FORMULAR).await.map_err(|_| Graensefejl::ForStor)?;
    tjek_felter(&bytes, true)?;
    Ok(Request::from_parts(dele, Body::from(bytes)))
}

fn er_formular(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// Each `name=value` of an urlencoded string, decoded as a form decodes it (`+` is a space).
pub fn tjek_felter(data: &[u8], linjeskift: bool) -> Result<(), Graensefejl> {
    for felt in data.split(|b| *b == b'&') {
        let plus: Vec<u8> = felt.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
        tjek_tekst(&percent_decode(&plus).collect::<Vec<u8>>(), linjeskift)?;
    }
    Ok(())
}

/// UTF-8 without control characters; with `linjeskift`, tab, CR and LF are allowed.
fn tjek_tekst(bytes: &[u8], linjeskift: bool) -> Result<(), Graensefejl> {
    let tekst = std::str::from_utf8(bytes).map_err(|_| Graensefejl::UgyldigeTegn)?;
    let tilladt = |c: char| linjeskift && matches!(c, '\t' | '\n' | '\r');
    if tekst.chars().any(|c| c.is_control() && !tilladt(c)) {
        return Err(Graensefejl::UgyldigeTegn);
    }
    Ok(())
}

/// The token endpoint answers its errors as RFC 6749 §5.2 says.
const TOKEN_STI: &str = "/api/oauth/token";

fn oauth_svar(f: Graensefejl) -> Response {
    let krop = serde_json::json!({ "error": "invalid_request", "error_description": f.besked() });
    let mut svar = (f.status(), axum::Json(krop)).into_response();
    svar.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    svar
}

/// The API's error body (`ApiFejlSvar`) for a refusal at the edge.
fn api_svar(f: Graensefejl) -> Response {
    let krop = crate::api::fejl::ApiFejlSvar { fejlkode: f.fejlkode().into(), besked: f.besked().into() };
    let mut svar = (f.status(), axum::Json(krop)).into_response();
    svar.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    svar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kontroltegn_og_ugyldig_utf8_afvises() {
        assert_eq!(tjek_felter(b"navn=ab%00cd", false), Err(Graensefejl::UgyldigeTegn));
        assert_eq!(tjek_felter(b"navn=ab%1Bcd", true), Err(Graensefejl::UgyldigeTegn));
        assert_eq!(tjek_felter(b"navn=%C2%85", true), Err(Graensefejl::UgyldigeTegn), "C1 NEL");
        assert_eq!(tjek_felter(b"navn=%FF%FE", true), Err(Graensefejl::UgyldigeTegn));
        assert_eq!(tjek_felter(b"na%00vn=x", true), Err(Graensefejl::UgyldigeTegn), "også navnet");
        assert_eq!(tjek_felter(b"tilbage=%2Flister%0D%0ASet-Cookie", false), Err(Graensefejl::UgyldigeTegn));
    }

    #[test]
    fn almindelig_tekst_og_linjeskift_i_formularer_passerer() {
        assert_eq!(tjek_felter(b"navn=S%C3%B8ren+%C3%85gaard&side=2", false), Ok(()));
        assert_eq!(tjek_felter(b"tekst=linje+1%0D%0Alinje+2%09ind", true), Ok(()));
        assert_eq!(tjek_felter("navn=Zoë 😀 ﷽".as_bytes(), false), Ok(()));
        assert_eq!(tjek_felter(b"", false), Ok(()));
        assert_eq!(tjek_felter(b"a=%zz", false), Ok(()), "ugyldig procentkodning er bogstaver, ikke kontroltegn");
    }
}
