//! Cross-site request forgery: a token on every state-changing form and fetch, and an Origin
//! check (issue 14 §2, decision 57).
//!
//! The token is derived from the session cookie: SHA-256 of a fixed prefix and the session id.
//! A page cannot be read across sites and the cookie is `HttpOnly`, so another site can neither
//! read nor compute it, and VITAS stores nothing for it. Every page frame puts it in each POST
//! form (`_csrf`) and in `<meta name="csrf-token">` for vitas.js's fetches
//! (`X-CSRF-Token`). A new session (login) gives a new token.
//!
//! [`vagt`] checks every unsafe request outside the API (the API authenticates with bearer
//! tokens, which a browser never sends by itself):
//! - an `Origin` other than VITAS's own, or `Sec-Fetch-Site: cross-site`, is refused;
//! - with a session cookie, the request must carry the token.
//!
//! Without a session cookie there is nothing to forge a request as; the Origin check still
//! guards the login and the hearing link's answers.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The form field that carries the token.
pub const FELT: &str = "_csrf";
/// The header that carries the token on a fetch.
pub const HEADER: &str = "x-csrf-token";

tokio::task_local! {
    /// The token of this request's session cookie, for the page frame (html::Ramme).
    pub static TOKEN: Option<String>;
}

/// The token of a session id.
pub fn token(session_id: &str) -> String {
    storage::api::hash(&format!("vitas-csrf\u{0}{session_id}"))
}

/// The session cookie's value in `headers`, if there is one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    crate::auth::cookie_i(headers, crate::auth::COOKIE)
}

/// The token of the session cookie in `headers`, if there is one.
fn token_for(headers: &HeaderMap) -> Option<String> {
    session_cookie(headers).map(|id| token(&id))
}

/// Why an unsafe request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csrffejl {
    /// It came from another site (`Origin`, `Sec-Fetch-Site`).
    FremmedOprindelse,
    /// The token is missing or is not this session's.
    ForkertToken,
}

impl Csrffejl {
    pub fn besked(self) -> &'static str {
        match self {
            Csrffejl::FremmedOprindelse => {
                "Forespørgslen kom fra en anden hjemmeside og er afvist. Åbn VITAS direkte, og prøv igen."
            }
            Csrffejl::ForkertToken => {
                "Siden var for gammel til at sende (du er måske logget ind igen i mellemtiden). \
                 Indlæs siden igen, og prøv en gang til."
            }
        }
    }

    pub fn status(self) -> StatusCode {
        StatusCode::FORBIDDEN
    }
}

pub async fn vagt(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let token = token_for(req.headers());
    let usikker = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if usikker && !req.uri().path().starts_with("/api/") {
        match tjek(&st, req, token.as_deref()).await {
            Ok(r) => return TOKEN.scope(token, next.run(r)).await,
            Err(f) => return TOKEN.scope(token, async { crate::fejl::WebFejl::Csrf(f).into_response() }).await,
        }
    }
    TOKEN.scope(token, next.run(req)).await
}

async fn tjek(st: &AppState, req: Request, token: Option<&str>) -> Result<Request, Csrffejl> {
    if !egen_oprindelse(st, req.headers()) {
        return Err(Csrffejl::FremmedOprindelse);
    }
    let Some(token) = token else { return Ok(req) };
    if req.headers().get(HEADER).and_then(|v| v.to_str().ok()).is_some_and(|givet| ens(givet, token)) {
        return Ok(req);
    }
    // The edge guard (graensevagt) has already read a form body into memory, within its limit.
    let (dele, krop) = req.into_parts();
    let bytes =
        axum::body::to_bytes(krop, crate::graensevagt::MAKS_FORMULAR).await.map_err(|_| Csrffejl::ForkertToken)?;
    let felter: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let givet = felter.into_iter().find(|(k, _)| k == FELT).map(|(_, v)| v);
    if !givet.as_deref().is_some_and(|givet| ens(givet, token)) {
        return Err(Csrffejl::ForkertToken);
    }
    Ok(Request::from_parts(dele, axum::body::Body::from(bytes)))
}

/// The two tokens are equal, compared in constant time.
fn ens(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether the request came from VITAS's own pages: `Sec-Fetch-Site` is not cross-site, and an
/// `Origin`, when sent, is the base URL's or the `Host` the request was sent to.
fn egen_oprindelse(st: &AppState, headers: &HeaderMap) -> bool {
    let felt = |navn: header::HeaderName| headers.get(navn).and_then(|v| v.to_str().ok());
    if felt(header::HeaderName::from_static("sec-fetch-site")) == Some("cross-site") {
        return false;
    }
    let Some(origin) = felt(header::ORIGIN) else { return true };
    if origin == oprindelse(&st.base_url) {
        return true;
    }
    let vaert = felt(header::HOST).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, v)| !vaert.is_empty() && v == vaert)
}

/// `scheme://host[:port]` of a URL.
fn oprindelse(url: &str) -> &str {
    let efter = url.find("://").map_or(0, |i| i + 3);
    match url[efter..].find('/') {
        Some(i) => &url[..efter + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oprindelsen_er_skema_vaert_og_port() {
        assert_eq!(oprindelse("https://vitas.example.dk/sti"), "https://vitas.example.dk");
        assert_eq!(oprindelse("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }

    #[test]
    fn tokenet_afhaenger_af_sessionen() {
        assert_ne!(token("a"), token("b"));
        assert_eq!(token("a"), token("a"));
        assert_eq!(token("a").len(), 64);
    }
}
