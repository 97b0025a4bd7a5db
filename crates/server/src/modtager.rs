//! A webhook receiver of the kind a municipal system runs: it checks `X-Vitas-Signatur`,
//! records every delivery it accepts, and answers 200. `vitas webhook-modtager` runs it for a
//! municipal IT team trying the integration out; the fault tests take it down and bring it
//! back on the same port; `vitas-tools bench outbox` drains to it.
//!
//! What it refuses (docs/api.md "By webhook", docs/decisions.md 63):
//! - a signature that is not the HMAC of "t.body" under the secret (compared in constant
//!   time, `jobs::outbox::tjek_signatur`): 401;
//! - a timestamp `t` more than [`TIDSVINDUE_SEK`] from its own clock, either way: 401. A
//!   captured request can be replayed only that long;
//! - a notification id (`X-Vitas-Id`) it has accepted before: it is not recorded, printed or
//!   logged again. The answer is still 200, because VITAS delivers at least once: a retry
//!   after a lost answer carries the same id, and any other status would be retried until
//!   the delivery died and held back the case's later notifications.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::io::AsyncWriteExt;

/// How far a signature's timestamp may be from the receiver's clock, either way (five
/// minutes: clocks that drift a little still agree; a replay has that long at most).
pub const TIDSVINDUE_SEK: i64 = 5 * 60;

/// One accepted delivery.
#[derive(Debug, Clone)]
pub struct Modtaget {
    /// The stable delivery id (`X-Vitas-Id`, also the body's `id`).
    pub id: String,
    /// The event's sequence number: increasing per case.
    pub sekvens: i64,
    /// The case's external id (`data.eksterntId`).
    pub eksternt_id: String,
    /// The event's `type`: `OrdningsNotifikation`, or `SagFlyttet` (decision 89).
    pub type_: String,
}

#[derive(Clone)]
struct Tilstand {
    hemmelighed: Arc<str>,
    modtaget: Arc<Mutex<Modtagne>>,
    log: Option<Arc<tokio::sync::Mutex<tokio::fs::File>>>,
}

/// What was accepted, in order, and the ids seen: one lock, so two copies of one
/// notification arriving at once cannot both be accepted.
#[derive(Default)]
struct Modtagne {
    liste: Vec<Modtaget>,
    ids: HashSet<String>,
    /// Requests with a valid signature for an id already accepted.
    gentagne: u64,
}

/// How the receiver answered one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Udfald {
    Modtaget,
    /// The id was accepted before: answered 200, nothing recorded.
    AlleredeModtaget,
    /// No signature, or not the body's under the secret.
    ForkertSignatur,
    /// The timestamp is outside ±[`TIDSVINDUE_SEK`].
    ForaeldetTidsstempel,
    /// Not JSON, or no `X-Vitas-Id` equal to the body's `id`.
    UgyldigKrop,
    /// The log file could not be written.
    LogFejl,
}

impl Udfald {
    fn svar(self) -> (StatusCode, &'static str) {
        match self {
            Udfald::Modtaget => (StatusCode::OK, "modtaget\n"),
            Udfald::AlleredeModtaget => (StatusCode::OK, "allerede modtaget; ikke behandlet igen\n"),
            Udfald::ForkertSignatur => (StatusCode::UNAUTHORIZED, "signaturen i X-Vitas-Signatur passer ikke\n"),
            Udfald::ForaeldetTidsstempel => (
                StatusCode::UNAUTHORIZED,
                "tidsstemplet i X-Vitas-Signatur er mere end 5 minutter fra modtagerens ur\n",
            ),
            Udfald::UgyldigKrop => (StatusCode::BAD_REQUEST, "kroppen er ikke en notifikation med X-Vitas-Id\n"),
            Udfald::LogFejl => (StatusCode::INTERNAL_SERVER_ERROR, "loggen kunne ikke skrives\n"),
        }
    }
}

/// A receiver with its record of deliveries, which outlives a stop and a restart.
#[derive(Clone)]
pub struct Modtager {
    tilstand: Tilstand,
}

/// A running receiver; [`KoerendeModtager::stop`] takes it down.
pub struct KoerendeModtager {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    opgave: tokio::task::JoinHandle<()>,
}

impl Modtager {
    pub fn ny(hemmelighed: &str) -> Self {
        Modtager { tilstand: Tilstand { hemmelighed: hemmelighed.into(), modtaget: Arc::default(), log: None } }
    }

    /// Also append every accepted delivery as a JSON line to this file.
    pub async fn med_log(mut self, sti: &std::path::Path) -> anyhow::Result<Self> {
        let f = tokio::fs::OpenOptions::new().create(true).append(true).open(sti).await?;
        self.tilstand.log = Some(Arc::new(tokio::sync::Mutex::new(f)));
        Ok(self)
    }

    /// How many requests repeated an id already accepted (answered 200, not recorded): what
    /// at-least-once delivery sent twice, or a replay inside the time window.
    pub fn gentagne(&self) -> u64 {
        self.tilstand.modtaget.lock().unwrap_or_else(PoisonError::into_inner).gentagne
    }

    /// Everything accepted so far, in the order it arrived.
    pub fn modtaget(&self) -> Vec<Modtaget> {
        self.tilstand.modtaget.lock().unwrap_or_else(PoisonError::into_inner).liste.clone()
    }

    /// Listen on `addr` (port 0: any free port). The socket reuses the address, so the
    /// receiver can come back on the port it left.
    pub async fn start(&self, addr: SocketAddr) -> anyhow::Result<KoerendeModtager> {
        let sokkel = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
        sokkel.set_reuseaddr(true)?;
        sokkel.bind(addr)?;
        let lytter = sokkel.listen(1024)?;
        let addr = lytter.local_addr()?;
        let app = axum::Router::new().fallback(axum::routing::post(modtag)).with_state(self.tilstand.clone());
        let (stop, stoppet) = tokio::sync::oneshot::channel::<()>();
        let opgave = tokio::spawn(async move {
            let _ = axum::serve(lytter, app)
                .with_graceful_shutdown(async {
                    let _ = stoppet.await;
                })
                .await;
        });
        Ok(KoerendeModtager { addr, stop, opgave })
    }
}

impl KoerendeModtager {
    /// Take the receiver down: it stops listening and closes its connections.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.opgave.await;
    }
}

/// Check `t=<unix>,v1=<hex>` against the body, with the shared secret, in constant time.
/// Whether the timestamp is recent is the receiver's own rule (`vurder`).
pub fn signatur_gyldig(hemmelighed: &str, header: &str, krop: &[u8]) -> bool {
    jobs::outbox::tjek_signatur(hemmelighed, header, krop).is_some()
}

async fn modtag(State(t): State<Tilstand>, headers: HeaderMap, krop: Bytes) -> (StatusCode, &'static str) {
    let nu = chrono::Utc::now().timestamp();
    let udfald = vurder(&t, &headers, &krop, nu).await;
    if !matches!(udfald, Udfald::Modtaget) {
        // The id is VITAS' event key: no personal data. The body is never logged.
        let id = headers.get("x-vitas-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        tracing::info!(udfald = ?udfald, x_vitas_id = %id.chars().take(64).collect::<String>(), "webhook ikke modtaget");
    }
    udfald.svar()
}

/// Judge one request at `nu` (unix seconds), and record it if it is accepted.
async fn vurder(t: &Tilstand, headers: &HeaderMap, krop: &[u8], nu: i64) -> Udfald {
    let signatur = headers.get("x-vitas-signatur").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(tidspunkt) = jobs::outbox::tjek_signatur(&t.hemmelighed, signatur, krop) else {
        return Udfald::ForkertSignatur;
    };
    if tidspunkt.abs_diff(nu) > TIDSVINDUE_SEK.unsigned_abs() {
        return Udfald::ForaeldetTidsstempel;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(krop) else {
        return Udfald::UgyldigKrop;
    };
    let id = headers.get("x-vitas-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if id.is_empty() || v["id"].as_str() != Some(id.as_str()) {
        return Udfald::UgyldigKrop;
    }
    // Claim the id first, under the lock: of two copies at once, one goes on.
    {
        let mut modtagne = t.modtaget.lock().unwrap_or_else(PoisonError::into_inner);
        if !modtagne.ids.insert(id.clone()) {
            modtagne.gentagne += 1;
            return Udfald::AlleredeModtaget;
        }
    }
    let m = Modtaget {
        id,
        sekvens: v["sekvens"].as_i64().unwrap_or_default(),
        eksternt_id: v["data"]["eksterntId"].as_str().unwrap_or_default().to_string(),
        type_: v["type"].as_str().unwrap_or_default().to_string(),
    };
    if let Some(log) = &t.log {
        let linje =
            serde_json::json!({ "id": m.id, "sekvens": m.sekvens, "type": m.type_, "eksterntId": m.eksternt_id });
        let mut f = log.lock().await;
        if f.write_all(format!("{linje}\n").as_bytes()).await.is_err() {
            // Not accepted after all: VITAS tries again, and then the id must pass.
            t.modtaget.lock().unwrap_or_else(PoisonError::into_inner).ids.remove(&m.id);
            return Udfald::LogFejl;
        }
    }
    t.modtaget.lock().unwrap_or_else(PoisonError::into_inner).liste.push(m);
    Udfald::Modtaget
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const HEMMELIGHED: &str = "kommunens-delte-hemmelighed";
    const NU: i64 = 1_700_000_000;

    fn krop(id: &str) -> Vec<u8> {
        serde_json::json!({"id": id, "sekvens": 7, "type": "OrdningsNotifikation", "data": {"eksterntId": "s-1"}})
            .to_string()
            .into_bytes()
    }

    /// The headers VITAS sends with `krop`, signed at `t`.
    fn headers(id: &str, krop: &[u8], hemmelighed: &str, t: i64) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-vitas-id", HeaderValue::from_str(id).unwrap());
        let s = jobs::outbox::signatur(hemmelighed, t, krop);
        h.insert("x-vitas-signatur", HeaderValue::from_str(&s).unwrap());
        h
    }

    #[test]
    fn signaturen_tjekkes_mod_kroppen_og_hemmeligheden() {
        let h = jobs::outbox::signatur("k", 1_700_000_000, b"{}");
        assert!(signatur_gyldig("k", &h, b"{}"));
        assert!(!signatur_gyldig("k", &h, b"{ }"));
        assert!(!signatur_gyldig("x", &h, b"{}"));
        assert!(!signatur_gyldig("k", "v1=abc", b"{}"));
        assert!(!signatur_gyldig("k", "", b"{}"));
    }

    #[tokio::test]
    async fn en_gyldig_notifikation_modtages() {
        let m = Modtager::ny(HEMMELIGHED);
        let k = krop("a");
        assert_eq!(vurder(&m.tilstand, &headers("a", &k, HEMMELIGHED, NU), &k, NU).await, Udfald::Modtaget);
        assert_eq!(m.modtaget().len(), 1);
        assert_eq!((m.modtaget()[0].sekvens, m.modtaget()[0].eksternt_id.as_str()), (7, "s-1"));
    }

    #[tokio::test]
    async fn forkert_eller_manglende_signatur_afvises() {
        let m = Modtager::ny(HEMMELIGHED);
        let k = krop("a");
        let forkert = headers("a", &k, "en-anden-hemmelighed", NU);
        assert_eq!(vurder(&m.tilstand, &forkert, &k, NU).await, Udfald::ForkertSignatur);
        let mut uden = headers("a", &k, HEMMELIGHED, NU);
        uden.remove("x-vitas-signatur");
        assert_eq!(vurder(&m.tilstand, &uden, &k, NU).await, Udfald::ForkertSignatur);
        // A body changed after signing.
        let h = headers("a", &k, HEMMELIGHED, NU);
        assert_eq!(vurder(&m.tilstand, &h, &krop("b"), NU).await, Udfald::ForkertSignatur);
        assert_eq!(Udfald::ForkertSignatur.svar().0, StatusCode::UNAUTHORIZED);
        assert!(m.modtaget().is_empty());
    }

    #[tokio::test]
    async fn et_tidsstempel_uden_for_fem_minutter_afvises() {
        let m = Modtager::ny(HEMMELIGHED);
        for (id, t, udfald) in [
            ("gammel", NU - TIDSVINDUE_SEK - 1, Udfald::ForaeldetTidsstempel),
            ("fremtid", NU + TIDSVINDUE_SEK + 1, Udfald::ForaeldetTidsstempel),
            ("kant-foer", NU - TIDSVINDUE_SEK, Udfald::Modtaget),
            ("kant-efter", NU + TIDSVINDUE_SEK, Udfald::Modtaget),
        ] {
            let k = krop(id);
            assert_eq!(vurder(&m.tilstand, &headers(id, &k, HEMMELIGHED, t), &k, NU).await, udfald, "{id}");
        }
        assert_eq!(Udfald::ForaeldetTidsstempel.svar().0, StatusCode::UNAUTHORIZED);
        let ids: Vec<String> = m.modtaget().into_iter().map(|x| x.id).collect();
        assert_eq!(ids, ["kant-foer", "kant-efter"]);
    }

    #[tokio::test]
    async fn et_id_der_er_modtaget_foer_behandles_ikke_igen() {
        let m = Modtager::ny(HEMMELIGHED);
        let k = krop("a");
        let h = headers("a", &k, HEMMELIGHED, NU);
        assert_eq!(vurder(&m.tilstand, &h, &k, NU).await, Udfald::Modtaget);
        // The same request replayed a minute later, and VITAS' own retry with a new signature.
        assert_eq!(vurder(&m.tilstand, &h, &k, NU + 60).await, Udfald::AlleredeModtaget);
        let igen = headers("a", &k, HEMMELIGHED, NU + 120);
        assert_eq!(vurder(&m.tilstand, &igen, &k, NU + 120).await, Udfald::AlleredeModtaget);
        assert_eq!(m.modtaget().len(), 1, "kun én gang");
        assert_eq!(m.gentagne(), 2);
        // 200, so VITAS stops retrying a notification the receiver has.
        assert_eq!(Udfald::AlleredeModtaget.svar().0, StatusCode::OK);
        // Another id still passes.
        let k2 = krop("b");
        assert_eq!(vurder(&m.tilstand, &headers("b", &k2, HEMMELIGHED, NU), &k2, NU).await, Udfald::Modtaget);
    }

    #[tokio::test]
    async fn samme_id_to_gange_paa_en_gang_modtages_en_gang() {
        let m = Modtager::ny(HEMMELIGHED);
        let k = krop("a");
        let h = headers("a", &k, HEMMELIGHED, NU);
        let udfald = futures_util::future::join_all((0..8).map(|_| vurder(&m.tilstand, &h, &k, NU))).await;
        assert_eq!(udfald.iter().filter(|u| **u == Udfald::Modtaget).count(), 1, "{udfald:?}");
        assert_eq!(m.modtaget().len(), 1);
    }

    #[tokio::test]
    async fn id_skal_staa_i_headeren_og_kroppen() {
        let m = Modtager::ny(HEMMELIGHED);
        let k = krop("a");
        let mut h = headers("a", &k, HEMMELIGHED, NU);
        h.insert("x-vitas-id", HeaderValue::from_static("b"));
        assert_eq!(vurder(&m.tilstand, &h, &k, NU).await, Udfald::UgyldigKrop);
        h.remove("x-vitas-id");
        assert_eq!(vurder(&m.tilstand, &h, &k, NU).await, Udfald::UgyldigKrop);
        assert!(m.modtaget().is_empty());
    }
}
