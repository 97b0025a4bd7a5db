//! Issue 11 §1–2: what an operator relies on. The static files come from the binary under
//! hashed names; `vitas --version` names the commit; `/metrics` is there only behind a token
//! or on an address of its own, and its database figures equal the outbox and job tables;
//! `/readyz` tells the database and the worker apart; every answer carries a request id.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::atomar::jobcenter_id;
use crate::helpers::TestApp;
use crate::html::Person;
use crate::webhook::sag_med_notifikationer;

const TOKEN: &str = "maaletoken-til-testen-0123456789abcdef";

/// A second server on the test's database with a metrics token and a metrics address.
async fn app_med_maaling(app: &TestApp) -> (String, String) {
    let config = server::Config {
        drift: server::Drift {
            maaletoken: Some(TOKEN.into()),
            maaleadresse: Some("127.0.0.1:0".parse().expect("adresse")),
            ..server::Drift::default()
        },
        ..app.anden_config(false)
    };
    let a = server::Application::with_db(config.clone(), app.db.clone())
        .await
        .expect("app")
        .med_state(|s| config.med_graenser(s));
    let adresse = format!("http://127.0.0.1:{}", a.port);
    let maale = format!("http://127.0.0.1:{}", a.maaleport.expect("metrics-port"));
    tokio::spawn(async move {
        let _ = a.run().await;
    });
    (adresse, maale)
}

/// The value of the series `navn{etiketter}` in a Prometheus text, if it is there.
fn vaerdi(tekst: &str, serie: &str) -> Option<f64> {
    tekst.lines().find_map(|l| l.strip_prefix(serie)?.strip_prefix(' ')?.trim().parse().ok())
}

async fn antal(app: &TestApp, sql: &str) -> i64 {
    let r = app
        .db
        .conn
        .query_one_raw(Statement::from_string(app.db.backend(), sql.to_string()))
        .await
        .expect("optælling")
        .expect("række");
    r.try_get::<i64>("", "n").expect("n")
}

/// §1: the pages name the bundles by their hash, and the binary serves them: a year's
/// cache, an ETag and 304 on it; the old names revalidated; what is not compiled in is 404.
async fn statiske_filer_fra_binaeren(app: TestApp) {
    let html = app.get("/").await.text().await.expect("forside");
    let dkfds = web::statisk::dkfds();
    assert!(dkfds.len() == "/static/dkfds-".len() + 12, "{dkfds}");
    let css = format!("{dkfds}/css/dkfds-virkdk.min.css");
    assert!(html.contains(&format!(r#"href="{css}""#)), "forsiden linker ikke til {css}");
    assert!(html.contains(&format!(r#"src="{}/vitas.js""#, web::statisk::vitas())));

    let svar = app.get(&css).await;
    assert_eq!(svar.status(), StatusCode::OK);
    let h = svar.headers().clone();
    assert_eq!(h.get("content-type").and_then(|v| v.to_str().ok()), Some("text/css; charset=utf-8"));
    assert_eq!(h.get("cache-control").and_then(|v| v.to_str().ok()), Some("public, max-age=31536000, immutable"));
    let etag = h.get("etag").and_then(|v| v.to_str().ok()).expect("ETag").to_string();
    let tekst = svar.text().await.expect("css");
    assert!(tekst.contains("IBMPlexSans"), "ikke DKFDS' stilark");
    let igen = app.client.get(app.url(&css)).header("if-none-match", &etag).send().await.expect("GET");
    assert_eq!(igen.status(), StatusCode::NOT_MODIFIED);

    // The font the style sheet names, relative to the hashed folder.
    let skrift = app.get(&format!("{dkfds}/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2")).await;
    assert_eq!(skrift.status(), StatusCode::OK);
    assert_eq!(skrift.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("font/woff2"));

    // The old name: the same file, asked for again each time.
    let gammel = app.get("/static/dkfds/css/dkfds-virkdk.min.css").await;
    assert_eq!(gammel.status(), StatusCode::OK);
    assert_eq!(gammel.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("public, no-cache"));
    assert_eq!(gammel.headers().get("etag").and_then(|v| v.to_str().ok()), Some(etag.as_str()));

    for sti in [
        format!("{dkfds}/css/dkfds-virkdk.min.css.map"),
        format!("{dkfds}/scss/dkfds-virkdk.scss"),
        "/static/dkfds/%2e%2e/%2e%2e/Cargo.toml".into(),
        "/static/andet/x.css".into(),
    ] {
        assert_eq!(app.get(&sti).await.status(), StatusCode::NOT_FOUND, "{sti}");
    }
}

paa_begge_databaser!(statiske_filer_fra_binaeren);

/// §1: `vitas --version` names the release and the commit it was built from.
#[test]
fn version_naevner_commit() {
    let ud = std::process::Command::new(env!("CARGO_BIN_EXE_vitas")).arg("--version").output().expect("vitas");
    assert!(ud.status.success());
    let tekst = String::from_utf8_lossy(&ud.stdout);
    let forventet = format!("vitas {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(tekst.starts_with(&forventet), "{tekst}");
    if let Ok(g) = std::process::Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output()
        && g.status.success()
    {
        let head = String::from_utf8_lossy(&g.stdout).trim().to_string();
        assert!(tekst.contains(&format!("(commit {head})")), "{tekst} er ikke bygget fra {head}");
    }
}

/// §2: no metrics without a token or an address; with them, the request counts by route, the
/// pool, and the outbox, job and worker figures as the tables hold them.
async fn metrics_bag_token_med_databasens_tal(app: TestApp) {
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND, "ingen metrics uden token");

    let (adresse, maale) = app_med_maaling(&app).await;
    let klient = reqwest::Client::new();
    let uden = klient.get(format!("{adresse}/metrics")).send().await.expect("GET");
    assert_eq!(uden.status(), StatusCode::UNAUTHORIZED);
    let forkert = klient.get(format!("{adresse}/metrics")).bearer_auth("forkert").send().await.expect("GET");
    assert_eq!(forkert.status(), StatusCode::UNAUTHORIZED);

    // Work for the figures: a subscriber with deliveries waiting, one of them dead, a job
    // waiting, a worker's heartbeat a minute ago, and requests to a case page.
    let kbh = jobcenter_id(&app, "0101").await;
    let abonnent =
        storage::outbox::opret_abonnent(&app.db, "0101", "http://127.0.0.1:9/", "hemmelighed-til-testen", Utc::now())
            .await
            .expect("abonnent");
    let sag = sag_med_notifikationer(&app, kbh, 2).await;
    let kanal = storage::outbox::webhook_kanal(abonnent.id);
    app.db
        .conn
        .execute_unprepared(&format!(
            "UPDATE outbox SET status = 'doed' WHERE id = (SELECT MIN(id) FROM outbox WHERE kanal = '{kanal}')"
        ))
        .await
        .expect("død levering");
    storage::drift::puls(&app.db, "testens-worker", Utc::now() - Duration::seconds(60)).await.expect("puls");
    for _ in 0..3 {
        klient.get(format!("{adresse}/sager/{sag}")).send().await.expect("GET");
    }

    for (url, token) in [(format!("{adresse}/metrics"), Some(TOKEN)), (format!("{maale}/metrics"), None)] {
        let mut r = klient.get(&url);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let svar = r.send().await.expect("GET /metrics");
        assert_eq!(svar.status(), StatusCode::OK, "{url}");
        assert!(
            svar.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/plain"))
        );
        let tekst = svar.text().await.expect("tekst");

        // By route pattern, never by address: the case id is not in a label.
        let sager = tekst
            .lines()
            .filter(|l| l.starts_with("vitas_http_requests_total{") && l.contains(r#"route="/sager/{id}""#))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum::<f64>();
        assert!(sager >= 3.0, "{tekst}");
        assert!(!tekst.contains(&format!("/sager/{sag}\"")), "en sags id i en etiket");
        assert!(tekst.contains("vitas_http_request_duration_seconds_bucket{"), "{tekst}");
        assert!(tekst.contains("le=\"0.1\""));

        let ventende = antal(
            &app,
            &format!("SELECT COUNT(*) AS n FROM outbox WHERE kanal = '{kanal}' AND status IN ('afventer', 'sender')"),
        )
        .await;
        assert!(ventende > 0);
        assert_eq!(
            vaerdi(&tekst, &format!("vitas_outbox_waiting{{channel=\"{kanal}\"}}")),
            Some(ventende as f64),
            "{tekst}"
        );
        assert_eq!(vaerdi(&tekst, &format!("vitas_outbox_dead{{channel=\"{kanal}\"}}")), Some(1.0));
        let alder = vaerdi(&tekst, &format!("vitas_outbox_oldest_waiting_seconds{{channel=\"{kanal}\"}}"));
        assert!(alder.is_some_and(|a| (0.0..600.0).contains(&a)), "{alder:?}");
        let epost =
            antal(&app, "SELECT COUNT(*) AS n FROM outbox WHERE art = 'email' AND status IN ('afventer', 'sender')")
                .await;
        assert_eq!(vaerdi(&tekst, "vitas_emails_waiting"), Some(epost as f64));
        let job = antal(&app, "SELECT COUNT(*) AS n FROM job WHERE status = 'venter'").await;
        assert_eq!(vaerdi(&tekst, "vitas_jobs{state=\"waiting\"}"), Some(job as f64));
        let puls = vaerdi(&tekst, "vitas_worker_heartbeat_age_seconds").expect("puls");
        assert!((59.0..300.0).contains(&puls), "{puls}");
        assert!(vaerdi(&tekst, "vitas_db_pool_max").is_some_and(|m| m >= 1.0));
        assert_eq!(vaerdi(&tekst, "vitas_db_up"), Some(1.0));
        assert!(tekst.contains(&format!("vitas_build_info{{version=\"{}\",commit=\"", env!("CARGO_PKG_VERSION"))));
    }
    // The metrics address serves nothing else.
    assert_eq!(klient.get(format!("{maale}/")).send().await.expect("GET").status(), StatusCode::NOT_FOUND);
}

paa_begge_databaser!(metrics_bag_token_med_databasens_tal);

/// §2: `/readyz` is 200 while the database answers, and says whether a worker beats.
async fn readyz_skelner_database_og_worker(app: TestApp) {
    let laes = |app: &TestApp| {
        let url = app.url("/readyz");
        async move {
            let svar = reqwest::get(url).await.expect("GET /readyz");
            (svar.status(), svar.json::<serde_json::Value>().await.expect("JSON"))
        }
    };
    let (status, krop) = laes(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(krop["database"]["ok"], true);
    assert_eq!(krop["worker"]["ok"], false, "ingen worker har slået et slag: {krop}");

    storage::drift::puls(&app.db, "gammel", Utc::now() - Duration::minutes(5)).await.expect("puls");
    let (_, krop) = laes(&app).await;
    assert_eq!(krop["worker"]["ok"], false, "en puls for 5 minutter siden er ingen worker: {krop}");
    assert!(krop["worker"]["sidste_puls_sekunder"].as_i64().is_some_and(|s| s >= 299));

    storage::drift::puls(&app.db, "ny", Utc::now()).await.expect("puls");
    let (status, krop) = laes(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(krop["worker"]["ok"], true, "{krop}");
    assert_eq!(krop["klar"], true);
    // A beat a day old is removed at the next beat.
    storage::drift::puls(&app.db, "forladt", Utc::now() - Duration::days(2)).await.expect("puls");
    storage::drift::puls(&app.db, "ny", Utc::now()).await.expect("puls");
    assert_eq!(antal(&app, "SELECT COUNT(*) AS n FROM worker_puls").await, 2);
}

paa_begge_databaser!(readyz_skelner_database_og_worker);

/// §2: every answer carries a request id; a proxy's id is kept, one that could hold a CPR
/// number is replaced.
async fn anmodnings_id_paa_hvert_svar(app: TestApp) {
    let lone = Person::ny(&app, crate::flow::LONE).await;
    let id = |svar: &reqwest::Response| {
        svar.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let a = id(&app.get("/").await);
    let b = id(&app.get("/findes-ikke").await);
    assert_eq!(a.len(), 32, "{a}");
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
    let egen = lone.klient.get(app.url("/")).header("x-request-id", "nginx-3f2a9c0e4b1d").send().await.expect("GET");
    assert_eq!(id(&egen), "nginx-3f2a9c0e4b1d");
    let cpr = app.client.get(app.url("/healthz")).header("x-request-id", "id-0101901234").send().await.expect("GET");
    let erstattet = id(&cpr);
    assert!(!erstattet.contains("0101901234") && erstattet.len() == 32, "{erstattet}");
}

paa_begge_databaser!(anmodnings_id_paa_hvert_svar);
