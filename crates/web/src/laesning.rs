//! Which database a list reads (issue 11 §5; decisions 115–116).
//!
//! With a read replica configured (`VITAS_READ_DATABASE_URL`), the lists, Søg, the front
//! page's counters and short lists, and the Excel exports read from it; every write, the
//! session, the case page and everything else use the primary. The choice is made here and
//! only here: a handler that reads a list takes the extractor [`Laeser`] and passes its `db`
//! on; it never looks at `AppState::laese_db` itself.
//!
//! Read-your-writes: a replica lags the primary by a little (normally milliseconds). So that
//! a user who has just changed something sees the change on the next page, every unsafe
//! request (POST and the like) that succeeds is answered with the cookie [`COOKIE`] holding
//! the time it was made, and a request carrying a cookie younger than
//! `AppState::laes_primaer_efter_skrivning` reads the primary. The cookie lives in the
//! browser, so it holds whichever node behind the load balancer the next request reaches,
//! and it costs no database write. It decides only where a list is read from: a forged or
//! altered cookie can at most make its own holder read the primary.

use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::time::Duration;
use storage::Db;

/// The cookie that says when this browser last wrote: milliseconds since 1970 (UTC).
pub const COOKIE: &str = "vitas_skrev";

/// How long after a write a user's lists read the primary when nothing else is set
/// (`VITAS_READ_PRIMARY_SEK`): a streaming replica on the same network replays within
/// milliseconds, and five seconds covers a checkpoint or a burst of writes (decision 116).
pub const STANDARD_VINDUE: Duration = Duration::from_secs(5);

/// How far in the future a cookie's time may be and still count: the nodes' clocks are
/// NTP-synchronised, but not to the millisecond. A time further ahead is not one VITAS wrote.
const URSKAEVHED_MS: i64 = 2_000;

/// Put in a response's extensions by a handler whose POST changes nothing a list shows (the
/// filter forms, the export order, "Forbliv logget ind"): no [`COOKIE`], so a user who
/// searches keeps reading the replica (decision 116).
#[derive(Debug, Clone, Copy)]
pub struct UdenSkrivning;

/// `svar` with [`UdenSkrivning`].
pub fn uden_skrivning(mut svar: Response) -> Response {
    svar.extensions_mut().insert(UdenSkrivning);
    svar
}

/// The database a list reads, chosen for this request (see the module's comment).
pub struct Laeser {
    pub db: Db,
    /// The request reads the primary because its user wrote within the window (or no
    /// replica is configured: then this is true too, there being nothing else to read).
    pub primaer: bool,
}

/// Whether a browser that last wrote at `skrev_ms` reads the primary at `nu_ms`.
pub fn skrev_for_nylig(skrev_ms: Option<i64>, nu_ms: i64, vindue: Duration) -> bool {
    let vindue_ms = i64::try_from(vindue.as_millis()).unwrap_or(i64::MAX);
    skrev_ms.is_some_and(|t| t <= nu_ms.saturating_add(URSKAEVHED_MS) && nu_ms.saturating_sub(t) < vindue_ms)
}

/// The one place the read database is chosen.
pub fn vaelg(st: &AppState, headers: &HeaderMap) -> Laeser {
    match &st.laese_db {
        None => Laeser { db: st.db.clone(), primaer: true },
        Some(replika) => {
            let skrev = crate::auth::cookie_i(headers, COOKIE).and_then(|v| v.trim().parse::<i64>().ok());
            let nu = chrono::Utc::now().timestamp_millis();
            if skrev_for_nylig(skrev, nu, st.laes_primaer_efter_skrivning) {
                tracing::debug!(kilde = "primaer", "listen læses fra den primære database (egen skrivning)");
                Laeser { db: st.db.clone(), primaer: true }
            } else {
                tracing::debug!(kilde = "replika", "listen læses fra læsereplikaen");
                Laeser { db: replika.clone(), primaer: false }
            }
        }
    }
}

impl FromRequestParts<AppState> for Laeser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Ok(vaelg(st, &parts.headers))
    }
}

/// `Set-Cookie` for a write made at `nu_ms`: gone by itself when the window has passed.
pub fn skrive_cookie(nu_ms: i64, vindue: Duration, sikker: bool) -> String {
    let secure = if sikker { "; Secure" } else { "" };
    format!("{COOKIE}={nu_ms}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", vindue.as_secs().max(1))
}

/// Middleware: a successful unsafe request sets [`COOKIE`], when a replica is configured
/// (without one every list reads the primary anyway, and no cookie is sent).
pub async fn marker_skrivning(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let skriver = st.laese_db.is_some() && !req.method().is_safe();
    let mut svar = next.run(req).await;
    let s = svar.status();
    let laes_kun = svar.extensions().get::<UdenSkrivning>().is_some();
    if skriver && !laes_kun && (s.is_success() || s.is_redirection()) {
        let c = skrive_cookie(chrono::Utc::now().timestamp_millis(), st.laes_primaer_efter_skrivning, st.https());
        if let Ok(v) = HeaderValue::from_str(&c) {
            svar.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    svar
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: Duration = Duration::from_secs(5);

    #[test]
    fn en_ny_skrivning_laeser_den_primaere() {
        assert!(skrev_for_nylig(Some(1_000_000), 1_000_000, V));
        assert!(skrev_for_nylig(Some(1_000_000), 1_004_999, V));
        // A little clock skew between two nodes is tolerated.
        assert!(skrev_for_nylig(Some(1_001_500), 1_000_000, V));
    }

    #[test]
    fn uden_ny_skrivning_laeses_replikaen() {
        assert!(!skrev_for_nylig(None, 1_000_000, V));
        assert!(!skrev_for_nylig(Some(1_000_000), 1_005_000, V));
        // A time far ahead was not written by VITAS: it does not hold the primary forever.
        assert!(!skrev_for_nylig(Some(9_000_000), 1_000_000, V));
    }

    #[test]
    fn cookien_udloeber_med_vinduet() {
        assert_eq!(skrive_cookie(42, V, false), "vitas_skrev=42; Path=/; HttpOnly; SameSite=Lax; Max-Age=5");
        assert!(skrive_cookie(42, Duration::from_millis(300), true).ends_with("Max-Age=1; Secure"));
    }
}
