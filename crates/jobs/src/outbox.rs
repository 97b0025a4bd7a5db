//! Delivery of the outbox (issue 4 §1–2, §5): the worker claims due rows
//! (`storage::outbox::claim`), delivers them (webhooks, and e-mails through `crate::epost`),
//! and records the outcome.
//!
//! - **Without SMTP** (`--smtp-url` unset) `email` rows are not claimed at all: they wait as
//!   `afventer` with no attempt counted, and the worker says so once at start
//!   (`server::worker::run`). Claiming them only to fail would use up their delivery window.
//! - **A permanent rejection** (SMTP 5xx, an unusable address) makes the row dead at once;
//!   anything else is retried like a webhook (docs/decisions.md 43).
//!
//! - **Retries** back off exponentially, `grundinterval · 2^(attempt-1)` capped at `loft`. The
//!   limit is the time since the row was written (or replayed), `levetid`, not a number of
//!   attempts: a receiver that is down for a weekend still gets everything on Monday. After
//!   that the row is dead (`doed`) and waits for an administrator's replay.
//! - **Order per case** comes from the claim (one undelivered row per case and channel).
//!   Within a batch the rows are therefore independent and are sent concurrently.
//! - **Stable ids**: the body carries the event's id, and so does the `X-Vitas-Id` header, the
//!   same on every retry, so a receiver can deduplicate what a lost answer made us resend.
//! - **Signature**: `X-Vitas-Signatur: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with
//!   the subscriber's secret (the timestamp lets a receiver refuse replays).

use crate::Kontekst;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use hmac::{KeyInit, Mac};
use storage::entity::outbox;
use storage::outbox as ob;

/// How deliveries are retried. The defaults suit production; tests and the fault test use
/// short ones ("a test clock or short backoff settings", issue 4 §7).
#[derive(Debug, Clone)]
pub struct Leveringsregler {
    /// The wait after the first failed attempt.
    pub grundinterval: Duration,
    /// The longest wait between two attempts.
    pub loft: Duration,
    /// How long after it was written (or replayed) a row is still tried.
    pub levetid: Duration,
    /// How long a claim holds a row before another worker may take it.
    pub lease: Duration,
    /// How long one HTTP delivery may take.
    pub timeout: std::time::Duration,
    /// Rows claimed per pass.
    pub batch: u64,
}

impl Default for Leveringsregler {
    fn default() -> Self {
        Leveringsregler {
            grundinterval: Duration::seconds(30),
            loft: Duration::hours(1),
            // A long weekend and then some (docs/decisions.md 38).
            levetid: Duration::days(4),
            lease: Duration::minutes(2),
            timeout: std::time::Duration::from_secs(10),
            batch: 100,
        }
    }
}

impl Leveringsregler {
    /// When to try again after `forsoeg` failed attempts, or None when the window that
    /// started at `start` is over (the row dies).
    pub fn naeste_forsoeg(&self, forsoeg: i32, start: DateTime<Utc>, nu: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if nu - start >= self.levetid {
            return None;
        }
        let eksponent = u32::try_from(forsoeg.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let vent = self
            .grundinterval
            .checked_mul(1_i32.checked_shl(eksponent).unwrap_or(i32::MAX))
            .unwrap_or(self.loft)
            .min(self.loft);
        Some(nu + vent)
    }
}

/// Why one delivery failed; the text goes to the row for the administrator.
#[derive(Debug, thiserror::Error)]
pub enum Leveringsfejl {
    #[error("abonnenten findes ikke længere eller er slået fra")]
    IngenAbonnent,
    #[error("modtageren svarede {0}")]
    Status(u16),
    /// A 3xx: VITAS never follows a redirect (docs/decisions.md 62), so the row says where the
    /// receiver pointed, for the administrator to correct the subscriber's address.
    #[error(
        "modtageren svarede {status} og ville viderestille til {til}; VITAS følger ikke viderestillinger, så abonnentens adresse skal rettes"
    )]
    Viderestilling { status: u16, til: String },
    #[error("modtageren kunne ikke nås: {0}")]
    Forbindelse(String),
    #[error("ukendt leveringsart: {0}")]
    UkendtArt(String),
    #[error("SMTP er ikke sat op (--smtp-url)")]
    IngenSmtp,
    #[error(transparent)]
    Epost(#[from] crate::epost::EpostFejl),
}

impl Leveringsfejl {
    /// Whether trying again cannot help, so the row is dead at once.
    pub fn er_permanent(&self) -> bool {
        match self {
            Leveringsfejl::Epost(e) => e.er_permanent(),
            _ => false,
        }
    }
}

/// The signature header's value for a body sent at `tidspunkt` (unix seconds).
pub fn signatur(hemmelighed: &str, tidspunkt: i64, krop: &[u8]) -> String {
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(hemmelighed.as_bytes())
        .unwrap_or_else(|_| unreachable_hmac());
    mac.update(tidspunkt.to_string().as_bytes());
    mac.update(b".");
    mac.update(krop);
    format!("t={tidspunkt},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Check a signature header against the body, as a receiver does: the timestamp it carries
/// when `v1` is the HMAC of "t.body" under the secret, else None. The MAC is compared in
/// constant time (`Mac::verify_slice`), so the time taken tells nothing about how many bytes
/// of a forged signature were right. Whether the timestamp is recent is the caller's rule.
pub fn tjek_signatur(hemmelighed: &str, header: &str, krop: &[u8]) -> Option<i64> {
    let mut t = None;
    let mut v1 = None;
    for del in header.split(',') {
        match del.trim().split_once('=') {
            Some(("t", v)) if t.is_none() => t = Some(v),
            Some(("v1", v)) if v1.is_none() => v1 = Some(v),
            // A field given twice is not our format.
            Some(("t" | "v1", _)) => return None,
            _ => {}
        }
    }
    let (t, v1) = (t?, v1?);
    let tidspunkt: i64 = t.parse().ok()?;
    let givet = hex::decode(v1).ok()?;
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(hemmelighed.as_bytes())
        .unwrap_or_else(|_| unreachable_hmac());
    // The MAC covers the text of t as sent, so "+17…" or "017…" cannot pass for "17…".
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(krop);
    mac.verify_slice(&givet).ok().map(|()| tidspunkt)
}

/// HMAC takes a key of any length, so `new_from_slice` cannot fail.
fn unreachable_hmac() -> hmac::Hmac<sha2::Sha256> {
    <hmac::Hmac<sha2::Sha256> as KeyInit>::new(&Default::default())
}

/// The stable id of a webhook body (the event's key), for the header.
fn leverings_id(krop: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(krop).ok()?;
    v.get("id")?.as_str().map(str::to_string)
}

/// The HTTP client webhooks go out through: it never follows a redirect, so a receiver
/// cannot send a signed notification on to another address (a 3xx is a failed attempt,
/// [`Leveringsfejl::Viderestilling`]).
pub fn webhook_klient() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        // As `reqwest::Client::new()`: only a TLS backend that cannot start fails here.
        .expect("HTTP-klienten til webhooks kunne ikke bygges")
}

/// Where a redirect pointed, shortened for the row's error text.
fn viderestilling(svar: &reqwest::Response) -> Leveringsfejl {
    let til = svar
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).chars().take(300).collect::<String>())
        .unwrap_or_else(|| "(ingen Location)".into());
    Leveringsfejl::Viderestilling { status: svar.status().as_u16(), til }
}

async fn send_webhook(k: &Kontekst, raekke: &outbox::Model) -> Result<(), Leveringsfejl> {
    let abonnent = match ob::abonnent_id(raekke) {
        Some(id) => ob::abonnent(&k.db, id).await.map_err(|e| Leveringsfejl::Forbindelse(e.to_string()))?,
        None => None,
    };
    let Some(a) = abonnent.filter(|a| a.aktiv) else {
        return Err(Leveringsfejl::IngenAbonnent);
    };
    let nu = Utc::now().timestamp();
    let mut req = k
        .http
        .post(&a.url)
        .timeout(k.regler.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Vitas-Signatur", signatur(&a.hemmelighed, nu, raekke.payload.as_bytes()));
    if let Some(id) = leverings_id(&raekke.payload) {
        req = req.header("X-Vitas-Id", id);
    }
    let svar = req.body(raekke.payload.clone()).send().await.map_err(|e| Leveringsfejl::Forbindelse(e.to_string()))?;
    if svar.status().is_success() {
        Ok(())
    } else if svar.status().is_redirection() {
        Err(viderestilling(&svar))
    } else {
        Err(Leveringsfejl::Status(svar.status().as_u16()))
    }
}

/// Deliver one row by its kind: the one `match` that registers every delivery kind.
async fn lever(k: &Kontekst, raekke: &outbox::Model) -> Result<(), Leveringsfejl> {
    match raekke.art.as_str() {
        ob::WEBHOOK => send_webhook(k, raekke).await,
        ob::EMAIL => match &k.epost {
            Some(e) => Ok(e.send(raekke).await?),
            None => Err(Leveringsfejl::IngenSmtp),
        },
        anden => Err(Leveringsfejl::UkendtArt(anden.to_string())),
    }
}

/// The kinds this worker delivers.
pub const ARTER: &[&str] = &[ob::WEBHOOK, ob::EMAIL];

/// The kinds this worker claims now: e-mail only when SMTP is configured.
fn arter(k: &Kontekst) -> Vec<&'static str> {
    ARTER.iter().copied().filter(|a| *a != ob::EMAIL || k.epost.is_some()).collect()
}

/// One pass: claim a batch, deliver it concurrently, record every outcome. Returns how many
/// rows were claimed (0: nothing was due).
#[tracing::instrument(skip_all)]
pub async fn koer(k: &Kontekst) -> Result<u64, storage::StorageError> {
    Ok(koer_maalt(k).await?.0)
}

/// [`koer`], also returning how long the claim statement took (`vitas-tools bench outbox`).
pub async fn koer_maalt(k: &Kontekst) -> Result<(u64, std::time::Duration), storage::StorageError> {
    koer_ved(k, Utc::now()).await
}

/// [`koer_maalt`] as if the clock showed `nu`: which rows are due, when a failed one is tried
/// next and when its window closes all follow `nu` (plus the time the pass itself took). The
/// signature's timestamp stays the real clock's, as the receiver checks it against its own.
/// A test walks a receiver's four-day outage through this in seconds (issue 11 §4).
pub async fn koer_ved(k: &Kontekst, nu: DateTime<Utc>) -> Result<(u64, std::time::Duration), storage::StorageError> {
    let foer = std::time::Instant::now();
    let raekker = ob::claim(&k.db, &arter(k), k.regler.batch, nu, k.regler.lease).await?;
    let claim_tid = foer.elapsed();
    if raekker.is_empty() {
        return Ok((0, claim_tid));
    }
    let udfald = join_all(raekker.iter().map(|r| lever(k, r))).await;
    let nu = nu + Duration::from_std(foer.elapsed()).unwrap_or_default();
    let mut ok = Vec::new();
    for (r, u) in raekker.iter().zip(udfald) {
        match u {
            Ok(()) => ok.push(r),
            // The subscriber was removed while the row waited or was in flight: cancel it,
            // as `storage::outbox::slet_abonnent` did with the rest.
            Err(Leveringsfejl::IngenAbonnent) => {
                tracing::info!(outbox = r.id, "levering annulleret: abonnenten er slettet");
                ob::annuller(&k.db, r, ob::ANNULLERET_FEJL).await?;
            }
            Err(e) => {
                let start = r.genoptaget.unwrap_or(r.oprettet);
                let naeste = if e.er_permanent() { None } else { k.regler.naeste_forsoeg(r.forsoeg, start, nu) };
                // The row's id and kind only: a payload can name a citizen.
                if naeste.is_none() {
                    tracing::warn!(outbox = r.id, art = %r.art, fejl = %e, "levering opgivet: ligger nu som død");
                } else {
                    tracing::info!(outbox = r.id, art = %r.art, forsoeg = r.forsoeg, fejl = %e, "levering fejlede; prøver igen");
                }
                ob::mislykket(&k.db, r, &e.to_string(), naeste).await?;
            }
        }
    }
    ob::leveret(&k.db, &ok, nu).await?;
    for r in &ok {
        // The row's id and kind only (a payload can name a citizen). At debug level: the
        // multi-node test counts which worker sent what (scripts/multi-node-test.sh).
        tracing::debug!(outbox = r.id, art = %r.art, "levering sendt");
    }
    Ok((raekker.len() as u64, claim_tid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("dato").with_timezone(&Utc)
    }

    #[test]
    fn venter_dobbelt_saa_laenge_op_til_loftet() {
        let r = Leveringsregler::default();
        let start = t("2026-12-03T10:00:00Z");
        let nu = t("2026-12-03T10:00:00Z");
        let vent = |n| r.naeste_forsoeg(n, start, nu).map(|x| (x - nu).num_seconds());
        assert_eq!(vent(1), Some(30));
        assert_eq!(vent(2), Some(60));
        assert_eq!(vent(3), Some(120));
        assert_eq!(vent(8), Some(3600));
        assert_eq!(vent(1000), Some(3600));
    }

    #[test]
    fn doer_naar_tiden_er_gaaet_ikke_efter_et_antal_forsoeg() {
        let r = Leveringsregler::default();
        let start = t("2026-12-03T10:00:00Z");
        assert!(r.naeste_forsoeg(500, start, start + Duration::days(4) - Duration::seconds(1)).is_some());
        assert_eq!(r.naeste_forsoeg(1, start, start + Duration::days(4)), None);
    }

    #[test]
    fn signaturen_er_hmac_sha256_over_tid_punktum_krop() {
        // Expected value computed independently with Python's hmac module (docs/api.md shows
        // receivers the same check).
        let s = signatur("hemmelig", 1_700_000_000, br#"{"id":"x"}"#);
        assert_eq!(s, "t=1700000000,v1=a451cf0027b9d5015bbf8eb7f78f553e7a026353bf9b47b55e61e23fca883832");
        assert_ne!(signatur("hemmelig", 1, b"x"), signatur("hemmelix", 1, b"x"));
    }

    #[test]
    fn signaturen_tjekkes_mod_krop_hemmelighed_og_tidspunkt() {
        let h = signatur("k", 1_700_000_000, b"{}");
        assert_eq!(tjek_signatur("k", &h, b"{}"), Some(1_700_000_000));
        // The fields in another order, with a space, and an unknown field beside them.
        let (t, v1) = h.split_once(',').expect("to felter");
        assert_eq!(tjek_signatur("k", &format!("{v1}, {t},v2=abc"), b"{}"), Some(1_700_000_000));
        assert_eq!(tjek_signatur("k", &h, b"{ }"), None, "en anden krop");
        assert_eq!(tjek_signatur("x", &h, b"{}"), None, "en anden hemmelighed");
        let flyttet = h.replace("t=1700000000", "t=1700000001");
        assert_eq!(tjek_signatur("k", &flyttet, b"{}"), None, "tidspunktet er med i MAC'en");
        let foranstillet = h.replace("t=1700000000", "t=01700000000");
        assert_eq!(tjek_signatur("k", &foranstillet, b"{}"), None, "t som sendt, ikke som tal");
        // Cut short, not hex, missing, doubled.
        assert_eq!(tjek_signatur("k", &h[..h.len() - 2], b"{}"), None);
        assert_eq!(tjek_signatur("k", &h.replace("v1=", "v1=zz"), b"{}"), None);
        assert_eq!(tjek_signatur("k", "v1=abc", b"{}"), None);
        assert_eq!(tjek_signatur("k", "", b"{}"), None);
        assert_eq!(tjek_signatur("k", &format!("{h},{v1}"), b"{}"), None);
    }
}
