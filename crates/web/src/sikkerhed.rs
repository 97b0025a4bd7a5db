//! Security headers on every answer (issue 14 §2, decision 56).
//!
//! - A strict Content-Security-Policy: scripts, styles, images and fonts from VITAS itself only,
//!   no inline script or style (the templates use classes; vitas.js is a file), no framing,
//!   forms post only to VITAS (and lead on only to the login services' origins, for logging out
//!   there: decision 70). Swagger UI (`/api/docs`) sets inline styles itself, so that one
//!   page allows them.
//! - `nosniff`, `Referrer-Policy: same-origin` (a list URL may hold a filter; no other site
//!   gets it in a Referer; `no-referrer` would also make browsers send `Origin: null` on our
//!   own form posts, which the CSRF check refuses), `X-Frame-Options` for old browsers, and HSTS when VITAS is served
//!   over TLS (the base URL is https).
//! - `Cache-Control: no-store` on everything but the static files: pages, exports, PDFs and API
//!   answers can show a CPR, and none of them may stay in a shared or browser cache.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The policy of every page.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";
/// Swagger UI's page: the same, with inline styles, which the bundle sets on its elements.
pub const CSP_API_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";
/// One year, the HSTS preload list's minimum.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn hoveder(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let sti = req.uri().path().to_string();
    let mut svar = next.run(req).await;
    let h = svar.headers_mut();
    let csp = st.login.csp(if sti == "/api/docs" { CSP_API_DOCS } else { CSP });
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if st.https() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !sti.starts_with("/static/") {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    svar
}
