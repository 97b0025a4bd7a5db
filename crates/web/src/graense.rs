//! Rate limits: a token bucket per key, held in this process's memory (issue 14 §1–2,
//! decisions 61 and 65).
//!
//! A bucket holds at most one minute's allowance and refills evenly, so a key may use a burst
//! of `pr_minut` and then `pr_minut / 60` a second. The same buckets serve:
//! - the external API, one per client (`api::graense`);
//! - the pages, one per session, or per address for a visitor without one ([`vagt`]);
//! - the login, one per address; and the citizen lookup in DFDG, one per user.
//!
//! A full bucket is as good as none, so when the map grows past [`RYD_OP_VED`] keys the full
//! buckets are dropped: a flood from many addresses cannot grow it without bound.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// When the map holds this many keys, the full (idle) buckets go.
pub const RYD_OP_VED: usize = 10_000;

/// Pages a minute per session or address: a caseworker clicking fast makes a few dozen.
pub const SIDER_PR_MINUT: u32 = 600;
/// Logins a minute per address.
pub const LOGIN_PR_MINUT: u32 = 10;
/// Citizen lookups in DFDG a minute per user (a company types one CPR per application).
pub const OPSLAG_PR_MINUT: u32 = 10;
/// Failed token requests a minute per client id (decision 81): a client that has its secret
/// never fails; ten wrong secrets a minute is a guesser or a broken configuration.
pub const TOKEN_FEJL_PR_KLIENT: u32 = 10;
/// Failed token requests a minute per address: a municipal system's few clients behind one
/// address each get their ten; more is someone trying client ids.
pub const TOKEN_FEJL_PR_ADRESSE: u32 = 30;

/// The buckets of one kind of limit.
#[derive(Debug)]
pub struct Graense<K> {
    /// Uses a minute per key; 0 turns the limit off.
    pr_minut: u32,
    spande: Mutex<HashMap<K, Spand>>,
}

#[derive(Debug, Clone, Copy)]
struct Spand {
    /// Uses left; refills at `pr_minut / 60` a second up to `pr_minut`.
    fyld: f64,
    sidst: Instant,
}

impl<K: Hash + Eq> Graense<K> {
    pub fn ny(pr_minut: u32) -> Self {
        Graense { pr_minut, spande: Mutex::default() }
    }

    pub fn pr_minut(&self) -> u32 {
        self.pr_minut
    }

    /// Take one use from the key's bucket at `nu`. `Err(s)`: the bucket is empty, and the
    /// next use is possible in `s` seconds (at least 1; the `Retry-After`).
    pub fn tag(&self, noegle: K, nu: Instant) -> Result<(), u64> {
        if self.pr_minut == 0 {
            return Ok(());
        }
        let kapacitet = f64::from(self.pr_minut);
        let fyldt = |s: &Spand| s.fyld + nu.saturating_duration_since(s.sidst).as_secs_f64() * kapacitet / 60.0;
        // A panic elsewhere while the lock was held leaves the numbers valid: use them.
        let mut spande = self.spande.lock().unwrap_or_else(PoisonError::into_inner);
        if spande.len() >= RYD_OP_VED {
            spande.retain(|_, s| fyldt(s) < kapacitet);
        }
        let s = spande.entry(noegle).or_insert(Spand { fyld: kapacitet, sidst: nu });
        s.fyld = fyldt(s).min(kapacitet);
        s.sidst = s.sidst.max(nu);
        if s.fyld >= 1.0 {
            s.fyld -= 1.0;
            Ok(())
        } else {
            let vent = ((1.0 - s.fyld) * 60.0 / kapacitet).ceil().max(1.0);
            Err(vent as u64)
        }
    }

    /// Whether the key's bucket has a use left at `nu`, without taking it. `Err(s)`: empty, as
    /// [`Graense::tag`] says. A limit that counts failures checks this first and takes a use
    /// only when the attempt fails (decision 81).
    pub fn kan(&self, noegle: &K, nu: Instant) -> Result<(), u64> {
        if self.pr_minut == 0 {
            return Ok(());
        }
        let kapacitet = f64::from(self.pr_minut);
        let spande = self.spande.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(s) = spande.get(noegle) else { return Ok(()) };
        let fyld = (s.fyld + nu.saturating_duration_since(s.sidst).as_secs_f64() * kapacitet / 60.0).min(kapacitet);
        if fyld >= 1.0 { Ok(()) } else { Err(((1.0 - fyld) * 60.0 / kapacitet).ceil().max(1.0) as u64) }
    }

    /// How many keys have a bucket (tests).
    pub fn antal_noegler(&self) -> usize {
        self.spande.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// The caller's address: the socket's, or, behind a proxy VITAS is told to trust
/// (`AppState::betroet_proxy`), the last address the proxy added to `X-Forwarded-For`.
pub fn klient_adresse(st: &AppState, headers: &HeaderMap, forbindelse: Option<&ConnectInfo<SocketAddr>>) -> String {
    if st.betroet_proxy
        && let Some(sidste) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
    {
        return sidste.to_string();
    }
    forbindelse.map_or_else(|| "ukendt".to_string(), |c| c.0.ip().to_string())
}

/// Too many requests: the Danish page with `Retry-After`.
pub fn for_mange(vent_sek: u64) -> Response {
    crate::fejl::WebFejl::ForMange(vent_sek).into_response()
}

/// The page limit: one bucket per live session (its cookie's hash), or per address for a
/// visitor without one or with a cookie that is no session. Static files, the health and
/// readiness checks, the metrics scrape (a load balancer and Prometheus ask often from one
/// address) and the API (which limits per client) are not counted.
pub async fn vagt(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let sti = req.uri().path();
    if sti.starts_with("/static/") || sti.starts_with("/api/") || matches!(sti, "/healthz" | "/readyz" | "/metrics") {
        return next.run(req).await;
    }
    // A session's own allowance only for a live session: a flood that invents a cookie for
    // each request counts against its address.
    let session = match crate::csrf::session_cookie(req.headers()) {
        Some(id) => match storage::sessioner::findes(&st.db, &id, chrono::Utc::now()).await {
            Ok(true) => Some(id),
            Ok(false) => None,
            Err(e) => return crate::fejl::WebFejl::from(e).into_response(),
        },
        None => None,
    };
    let noegle = match session {
        Some(id) => format!("s:{}", storage::api::hash(&id)),
        None => format!("a:{}", klient_adresse(&st, req.headers(), req.extensions().get())),
    };
    match st.graenser.sider.tag(noegle, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(vent) => {
            tracing::warn!(vent_sek = vent, "for mange forespørgsler");
            for_mange(vent)
        }
    }
}

/// The limits of the pages, the login and the DFDG lookup, shared by every request.
#[derive(Debug)]
pub struct Graenser {
    pub sider: Graense<String>,
    pub login: Graense<String>,
    pub opslag: Graense<i64>,
    /// Failed token requests, by the client id tried and by the caller's address.
    pub token_fejl_klient: Graense<String>,
    pub token_fejl_adresse: Graense<String>,
}

impl Graenser {
    pub fn ny(sider: u32, login: u32, opslag: u32) -> Self {
        Graenser {
            sider: Graense::ny(sider),
            login: Graense::ny(login),
            opslag: Graense::ny(opslag),
            token_fejl_klient: Graense::ny(TOKEN_FEJL_PR_KLIENT),
            token_fejl_adresse: Graense::ny(TOKEN_FEJL_PR_ADRESSE),
        }
    }

    /// The same, with the failed-token limits set (0: off).
    pub fn med_token_fejl(mut self, pr_klient: u32, pr_adresse: u32) -> Self {
        self.token_fejl_klient = Graense::ny(pr_klient);
        self.token_fejl_adresse = Graense::ny(pr_adresse);
        self
    }
}

impl Default for Graenser {
    fn default() -> Self {
        Graenser::ny(SIDER_PR_MINUT, LOGIN_PR_MINUT, OPSLAG_PR_MINUT)
    }
}

/// The caller's address, as [`klient_adresse`] reads it.
pub struct Adresse(pub String);

impl axum::extract::FromRequestParts<AppState> for Adresse {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Adresse(klient_adresse(st, &parts.headers, parts.extensions.get())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn fulde_spande_ryddes_op_naar_kortet_vokser() {
        let g: Graense<u32> = Graense::ny(60);
        let t0 = Instant::now();
        for k in 0..RYD_OP_VED as u32 {
            assert_eq!(g.tag(k, t0), Ok(()));
        }
        assert_eq!(g.antal_noegler(), RYD_OP_VED);
        // A minute later every bucket is full again: the next new key clears them.
        assert_eq!(g.tag(u32::MAX, t0 + Duration::from_secs(60)), Ok(()));
        assert_eq!(g.antal_noegler(), 1);
    }

    #[test]
    fn kan_tager_intet() {
        let g: Graense<u32> = Graense::ny(2);
        let t0 = Instant::now();
        assert_eq!(g.kan(&1, t0), Ok(()));
        assert_eq!(g.antal_noegler(), 0, "at spørge opretter ingen spand");
        assert!(g.tag(1, t0).is_ok() && g.tag(1, t0).is_ok());
        assert_eq!(g.kan(&1, t0), Err(30));
        assert_eq!(g.kan(&1, t0 + Duration::from_secs(30)), Ok(()));
        assert_eq!(g.kan(&2, t0), Ok(()));
    }

    #[test]
    fn en_tom_spand_overlever_oprydningen() {
        let g: Graense<u32> = Graense::ny(1);
        let t0 = Instant::now();
        assert_eq!(g.tag(7, t0), Ok(()));
        for k in 0..RYD_OP_VED as u32 {
            let _ = g.tag(100_000 + k, t0);
        }
        assert!(g.tag(7, t0).is_err(), "nøgle 7 har stadig brugt sin ene gang");
    }
}
