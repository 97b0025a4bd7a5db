//! What an operator sees of a running VITAS (issue 11 §2): `/metrics` in Prometheus' text
//! format (decision 109), `/readyz` (decision 110) and the request id on every answer and log
//! line (decision 111). `/healthz` stays liveness only (router.rs).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The request duration histogram's buckets, in seconds: the lists' 100 ms target (issue 15)
/// and the 30 s request limit (graensevagt) both fall on a bucket edge.
const SPANDE: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process' one Prometheus recorder, installed the first time it is asked for. A second
/// recorder cannot be installed in a process (the `metrics` facade has one global); should one
/// be there already, the handle renders an empty set rather than failing the server.
pub fn maaler() -> &'static PrometheusHandle {
    static H: OnceLock<PrometheusHandle> = OnceLock::new();
    H.get_or_init(|| {
        let b = PrometheusBuilder::new();
        let b = match b.set_buckets_for_metric(Matcher::Full("vitas_http_request_duration_seconds".into()), &SPANDE) {
            Ok(b) => b,
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = b.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("en anden metrics-recorder er allerede installeret; /metrics viser kun databasens tal");
        }
        handle
    })
}

/// The version and commit `vitas_build_info` names (set once by the program at start).
static VERSION: OnceLock<(String, String)> = OnceLock::new();

pub fn saet_version(version: &str, commit: &str) {
    let _ = VERSION.set((version.into(), commit.into()));
}

/// Counts every request and times it, by its route's pattern (`/sager/{id}`, never the
/// address itself: it could hold a CPR in a query, and one series per case would be without
/// bound). It is a route layer, so it sees routed requests only: an address no route matches
/// is not counted, since its path could be anything.
pub async fn maal(req: Request, next: Next) -> Response {
    let rute = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let metode = req.method().as_str().to_owned();
    let start = Instant::now();
    let svar = next.run(req).await;
    registrer(rute.unwrap_or_else(|| "ukendt".into()), metode, svar.status(), start.elapsed());
    svar
}

fn registrer(rute: String, metode: String, status: StatusCode, tid: Duration) {
    metrics::counter!(
        "vitas_http_requests_total",
        "route" => rute.clone(), "method" => metode.clone(), "status" => status.as_u16().to_string()
    )
    .increment(1);
    metrics::histogram!("vitas_http_request_duration_seconds", "route" => rute, "method" => metode)
        .record(tid.as_secs_f64());
}

/// `GET /metrics` on the public address: only with `Authorization: Bearer <VITAS_METRICS_TOKEN>`;
/// without a token set, the route is not there (404), so nothing is exposed by default.
pub async fn metrics_med_token(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = st.maaletoken.as_deref() else {
        return crate::fejl::WebFejl::SideFindesIkke.into_response();
    };
    let givet = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(givet.as_bytes().ct_eq(token.as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"vitas-metrics\"")],
            "Adgang til /metrics kræver det token, der er sat i VITAS_METRICS_TOKEN.\n",
        )
            .into_response();
    }
    metrics(State(st)).await
}

/// `GET /metrics` on the separate metrics address (`VITAS_METRICS_ADDR`): no token; the
/// address is what protects it (a private network or localhost).
pub async fn metrics(State(st): State<AppState>) -> Response {
    let h = maaler();
    h.run_upkeep();
    let mut tekst = h.render();
    databasens_tal(&st, &mut tekst).await;
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], tekst).into_response()
}

/// A label value in the text format: backslash, quote and newline escaped.
fn etiket(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn maal_linje(ud: &mut String, navn: &str, hjaelp: &str, art: &str, vaerdier: &[(String, f64)]) {
    let _ = writeln!(ud, "# HELP {navn} {hjaelp}");
    let _ = writeln!(ud, "# TYPE {navn} {art}");
    for (etiketter, v) in vaerdier {
        let _ = writeln!(ud, "{navn}{etiketter} {v}");
    }
}

/// The figures read from the database at each scrape: written out here rather than kept as
/// gauges, so a subscriber that is gone leaves no stale series behind.
async fn databasens_tal(st: &AppState, ud: &mut String) {
    if let Some((version, commit)) = VERSION.get() {
        let e = format!("{{version=\"{}\",commit=\"{}\"}}", etiket(version), etiket(commit));
        maal_linje(ud, "vitas_build_info", "The running build.", "gauge", &[(e, 1.0)]);
    }
    let p = storage::drift::pulje(&st.db);
    maal_linje(
        ud,
        "vitas_db_pool_connections",
        "Database pool connections by state.",
        "gauge",
        &[
            ("{state=\"in_use\"}".into(), f64::from(p.aabne.saturating_sub(p.ledige))),
            ("{state=\"idle\"}".into(), f64::from(p.ledige)),
        ],
    );
    maal_linje(
        ud,
        "vitas_db_pool_max",
        "The most connections the pool opens.",
        "gauge",
        &[(String::new(), f64::from(p.maks))],
    );
    let oppe = tokio::time::timeout(Duration::from_secs(2), st.db.ping()).await.is_ok_and(|r| r.is_ok());
    maal_linje(
        ud,
        "vitas_db_up",
        "1 if the database answered this scrape.",
        "gauge",
        &[(String::new(), f64::from(u8::from(oppe)))],
    );
    if !oppe {
        return;
    }
    let nu = chrono::Utc::now();
    if let Ok(Ok(koe)) = tokio::time::timeout(Duration::from_secs(5), storage::drift::koe(&st.db)).await {
        let pr_kanal = |f: &dyn Fn(&storage::drift::Kanal) -> f64| -> Vec<(String, f64)> {
            koe.kanaler.iter().map(|k| (format!("{{channel=\"{}\"}}", etiket(&k.kanal)), f(k))).collect()
        };
        maal_linje(
            ud,
            "vitas_outbox_waiting",
            "Deliveries waiting or being sent, per channel (webhook:<subscriber> or email).",
            "gauge",
            &pr_kanal(&|k| k.ventende as f64),
        );
        maal_linje(
            ud,
            "vitas_outbox_oldest_waiting_seconds",
            "Age of the oldest waiting delivery, per channel.",
            "gauge",
            &pr_kanal(&|k| k.aeldste.map_or(0.0, |t| (nu - t).num_milliseconds().max(0) as f64 / 1000.0)),
        );
        maal_linje(
            ud,
            "vitas_outbox_dead",
            "Deliveries past the retry window, waiting for an administrator to replay them.",
            "gauge",
            &pr_kanal(&|k| k.doede as f64),
        );
        maal_linje(
            ud,
            "vitas_jobs",
            "Background jobs (Excel exports) by state.",
            "gauge",
            &[
                ("{state=\"waiting\"}".into(), koe.job_venter as f64),
                ("{state=\"running\"}".into(), koe.job_koerer as f64),
            ],
        );
        maal_linje(
            ud,
            "vitas_emails_waiting",
            "E-mails waiting to be sent.",
            "gauge",
            &[(String::new(), koe.epost_venter() as f64)],
        );
    }
    if let Ok(Ok(puls)) = tokio::time::timeout(Duration::from_secs(2), storage::drift::seneste_puls(&st.db)).await {
        let alder = puls.map_or(-1.0, |t| (nu - t).num_milliseconds().max(0) as f64 / 1000.0);
        maal_linje(
            ud,
            "vitas_worker_heartbeat_age_seconds",
            "Seconds since any worker's last heartbeat (-1: none ever).",
            "gauge",
            &[(String::new(), alder)],
        );
    }
}

/// `GET /readyz`: 200 when the database answers within 2 s, else 503 (this node should get no
/// traffic). The worker's state is in the answer, but does not make the node unready: pages
/// are served without it, and taking every node out of rotation because the worker stopped
/// would turn a delay of notifications into an outage (decision 110). Alert on
/// `vitas_worker_heartbeat_age_seconds` instead.
pub async fn readyz(State(st): State<AppState>) -> Response {
    let db = tokio::time::timeout(Duration::from_secs(2), st.db.ping()).await;
    let db_ok = matches!(db, Ok(Ok(())));
    let worker = if db_ok {
        match tokio::time::timeout(Duration::from_secs(2), storage::drift::seneste_puls(&st.db)).await {
            Ok(Ok(Some(t))) => {
                let alder = (chrono::Utc::now() - t).num_seconds().max(0);
                let ok = chrono::Duration::seconds(alder) <= storage::drift::PULS_GRAENSE;
                serde_json::json!({ "ok": ok, "sidste_puls_sekunder": alder,
                    "besked": if ok { "Workeren kører." } else { "Ingen worker har givet lyd fra sig i over et minut." } })
            }
            Ok(Ok(None)) => serde_json::json!({ "ok": false, "besked": "Ingen worker har givet lyd fra sig endnu." }),
            _ => serde_json::json!({ "ok": false, "besked": "Workerens puls kunne ikke læses." }),
        }
    } else {
        serde_json::json!({ "ok": false, "besked": "Ukendt: databasen svarer ikke." })
    };
    let krop = serde_json::json!({
        "klar": db_ok,
        "database": { "ok": db_ok, "besked": if db_ok { "Databasen svarer." } else { "Databasen svarer ikke." } },
        "worker": worker,
    });
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(krop)).into_response()
}

/// The request's id: the `X-Request-Id` a proxy in front sent (nginx's `$request_id`), when it
/// is a plain token that cannot be a CPR number; else a new one. It is in the request's span,
/// so on every log line of the request, and is sent back as `X-Request-Id`.
#[derive(Clone, Debug)]
pub struct AnmodningsId(pub String);

pub const ANMODNINGS_ID: &str = "x-request-id";

/// 8–64 letters, digits and dashes, with no ten digits in a row that read as a date: a
/// client's header must not carry a CPR number into the log (issue 14 §3).
pub fn gyldigt_id(v: &str) -> bool {
    if !(8..=64).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    let cifre: Vec<u8> = v.bytes().filter(|b| *b != b'-').collect();
    !cifre.windows(10).any(|w| {
        w.iter().all(u8::is_ascii_digit) && {
            let tal = |i: usize| u32::from(w[i] - b'0') * 10 + u32::from(w[i + 1] - b'0');
            (1..=31).contains(&tal(0)) && (1..=12).contains(&tal(2))
        }
    })
}

pub async fn anmodnings_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(ANMODNINGS_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| gyldigt_id(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(AnmodningsId(id.clone()));
    let mut svar = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        svar.headers_mut().insert(ANMODNINGS_ID, v);
    }
    svar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn et_id_udefra_bruges_kun_naar_det_ikke_kan_vaere_et_cpr() {
        assert!(gyldigt_id("3f2a9c0e4b1d4e7f9a8b7c6d5e4f3a2b"));
        assert!(gyldigt_id("5b1e0c1e-1d2f-4c3a-9e8d-7f6a5b4c3d2e"));
        assert!(!gyldigt_id("0101901234"), "et CPR-nummer");
        assert!(!gyldigt_id("abc-010190-1234-x"), "et CPR med bindestreg");
        assert!(!gyldigt_id("kort"));
        assert!(!gyldigt_id("med mellemrum 123"));
        assert!(!gyldigt_id(&"a".repeat(65)));
        // Ten digits that are no date (month 13) are only digits.
        assert!(gyldigt_id("9913991234abcdef"));
    }

    #[test]
    fn etiketter_undslipper_tegn() {
        assert_eq!(etiket("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
