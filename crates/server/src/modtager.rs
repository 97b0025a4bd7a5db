//! A webhook receiver of the kind a municipal system runs: it checks `X-Vitas-Signatur`,
//! records every delivery it accepts, and answers 200. `vitas webhook-modtager` runs it for a
//! municipal IT team trying the integration out; the fault tests take it down and bring it
//! back on the same port; `vitas bench outbox` drains to it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;

/// One accepted delivery.
#[derive(Debug, Clone)]
pub struct Modtaget {
    /// The stable delivery id (`X-Vitas-Id`, also the body's `id`).
    pub id: String,
    /// The event's sequence number: increasing per case.
    pub sekvens: i64,
    /// The case's external id (`data.eksterntId`).
    pub eksternt_id: String,
}

#[derive(Clone)]
struct Tilstand {
    hemmelighed: Arc<str>,
    modtaget: Arc<Mutex<Vec<Modtaget>>>,
    log: Option<Arc<tokio::sync::Mutex<tokio::fs::File>>>,
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

    /// Everything accepted so far, in the order it arrived.
    pub fn modtaget(&self) -> Vec<Modtaget> {
        self.tilstand.modtaget.lock().map(|m| m.clone()).unwrap_or_default()
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

/// Check `t=<unix>,v1=<hex>` against the body, with the shared secret.
pub fn signatur_gyldig(hemmelighed: &str, header: &str, krop: &[u8]) -> bool {
    let Some(t) = header.split(',').find_map(|d| d.strip_prefix("t=")).and_then(|t| t.parse::<i64>().ok()) else {
        return false;
    };
    // Constant-time enough for a demo receiver: both strings have the same length and come
    // from our own format; a production receiver compares the MAC bytes in constant time.
    jobs::outbox::signatur(hemmelighed, t, krop) == header
}

async fn modtag(State(t): State<Tilstand>, headers: HeaderMap, krop: Bytes) -> StatusCode {
    let signatur = headers.get("x-vitas-signatur").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !signatur_gyldig(&t.hemmelighed, signatur, &krop) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&krop) else {
        return StatusCode::BAD_REQUEST;
    };
    let id = headers.get("x-vitas-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if id.is_empty() || v["id"].as_str() != Some(id.as_str()) {
        return StatusCode::BAD_REQUEST;
    }
    let m = Modtaget {
        id,
        sekvens: v["sekvens"].as_i64().unwrap_or_default(),
        eksternt_id: v["data"]["eksterntId"].as_str().unwrap_or_default().to_string(),
    };
    if let Some(log) = &t.log {
        let linje = serde_json::json!({ "id": m.id, "sekvens": m.sekvens, "eksterntId": m.eksternt_id });
        let mut f = log.lock().await;
        if f.write_all(format!("{linje}\n").as_bytes()).await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    if let Ok(mut alle) = t.modtaget.lock() {
        alle.push(m);
    }
    StatusCode::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signaturen_tjekkes_mod_kroppen_og_hemmeligheden() {
        let h = jobs::outbox::signatur("k", 1_700_000_000, b"{}");
        assert!(signatur_gyldig("k", &h, b"{}"));
        assert!(!signatur_gyldig("k", &h, b"{ }"));
        assert!(!signatur_gyldig("x", &h, b"{}"));
        assert!(!signatur_gyldig("k", "v1=abc", b"{}"));
        assert!(!signatur_gyldig("k", "", b"{}"));
    }
}
