//! Issue 11 §4: a database that is away is answered at once with a Danish 503 and
//! `Retry-After`, on the pages and in the API, not with a 500 after half a minute
//! (decision 119). The application is given a PostgreSQL pool pointed at a port nobody
//! listens on, so every query fails as it does while the server is stopped: the pool cannot
//! connect and gives up after `storage::db::VENTETID_PAA_FORBINDELSE`. The whole stop and
//! start of a real server, under load, is `scripts/pg-fault-test.sh`.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use storage::Db;
use storage::demo::{DEMO_API_HEMMELIGHED, DEMO_API_KLIENT_ID};

use crate::helpers::TestApp;

/// A port on this machine that nobody listens on: bound, read, and let go.
fn lukket_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("adresse").port()
}

/// The longest a 503 may take: the pool's wait plus room for a slow machine. Far under the
/// request's 30 s time limit, which is where the old 30 s acquire timeout ended.
fn hoejst() -> Duration {
    storage::db::VENTETID_PAA_FORBINDELSE + Duration::from_secs(4)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_vaek_giver_dansk_503() {
    let url = format!("postgres://postgres@127.0.0.1:{}/vitas", lukket_port());
    let vaek = Db::connect_lazy(&url).await.expect("en doven pulje forbinder ikke, så den kan ikke fejle her");
    let app = TestApp::sqlite_med(move |mut s| {
        s.db = vaek;
        s
    })
    .await;

    // A page that needs the session (looked up in the database), with and without a user.
    for sti in ["/sager/1", "/"] {
        let start = Instant::now();
        let svar = app
            .client
            .get(app.url(sti))
            .header("cookie", "vitas_session=en-session-der-skal-slaas-op")
            .send()
            .await
            .expect("GET");
        let tid = start.elapsed();
        assert_eq!(svar.status(), StatusCode::SERVICE_UNAVAILABLE, "{sti}");
        assert_eq!(svar.headers()["retry-after"], "5", "{sti}: Retry-After");
        let html = svar.text().await.expect("tekst");
        assert!(html.contains("Databasen er midlertidigt utilgængelig"), "{sti}: dansk besked\n{html}");
        assert!(!html.contains("teknisk fejl"), "{sti}: ikke den generelle 500-side");
        assert!(tid < hoejst(), "{sti}: svaret tog {tid:?}; puljen skal give op efter få sekunder");
    }

    // A write: the demo login creates a session.
    let svar = app.client.post(app.url("/demo-login/1")).send().await.expect("POST");
    assert_eq!(svar.status(), StatusCode::SERVICE_UNAVAILABLE, "demo-login");

    // The API: the token endpoint and a Get service answer the 503 problem JSON.
    let start = Instant::now();
    let svar = app
        .client
        .post(app.url("/api/oauth/token"))
        .basic_auth(DEMO_API_KLIENT_ID, Some(DEMO_API_HEMMELIGHED))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("POST token");
    assert_eq!(svar.status(), StatusCode::SERVICE_UNAVAILABLE, "token");
    assert_eq!(svar.headers()["retry-after"], "5");
    let j: serde_json::Value = svar.json().await.expect("json");
    assert_eq!(j["fejlkode"], "database_utilgaengelig", "{j}");
    assert!(start.elapsed() < hoejst());

    let sti = format!("/api/v1/sager/{}/ansoegning", uuid::Uuid::new_v4());
    let svar = app
        .client
        .get(app.url(&sti))
        .bearer_auth("et-token-der-skal-slaas-op")
        .header("x-requestId", "databasefejl-1")
        .send()
        .await
        .expect("GET");
    assert_eq!(svar.status(), StatusCode::SERVICE_UNAVAILABLE, "{sti}");
    assert_eq!(svar.headers()["retry-after"], "5");
    let j: serde_json::Value = svar.json().await.expect("json");
    assert_eq!(j["fejlkode"], "database_utilgaengelig", "{j}");
    assert!(j["besked"].as_str().is_some_and(|b| b.contains("midlertidigt utilgængelig")), "{j}");
}
