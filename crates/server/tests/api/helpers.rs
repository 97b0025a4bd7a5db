//! `TestApp`: the whole application on a fresh database of its own, served on port 0.
//!
//! Each test gets its own database: a SQLite file in a temporary folder, or (when
//! `VITAS_TEST_POSTGRES_URL` is set) a new PostgreSQL database `vitas_test_<hex>` created from
//! that URL. Each is a copy of a template made once per test process (crates.io's habit:
//! migrate once, clone per test): the schema migrated, the id sequences moved to different
//! offsets (so an id of the wrong table cannot point at the right row by luck, docs.rs's
//! habit), and the demo world seeded. A passing test removes its database; a failing one
//! leaves it for inspection and prints where it is. A template outlives its process and is
//! removed by the first test process after it (`ryd_gamle_skabeloner`).
//!
//! This file is also compiled into the browser test (`tests/e2e.rs`), so it refers to nothing
//! else in the `api` binary.

use std::path::PathBuf;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use server::{Application, Config};
use storage::Db;
use storage::entity::bruger;

/// The variable that points the PostgreSQL variant of every test at a server.
pub const PG_VAR: &str = "VITAS_TEST_POSTGRES_URL";
/// What a PostgreSQL test prints when it is skipped outside CI.
pub const PG_SPRUNGET: &str = "PostgreSQL-test sprunget over: VITAS_TEST_POSTGRES_URL er ikke sat";

/// Where each table's ids start in a test database. The ranges do not overlap for the
/// amounts a test creates, so a jobcentre id used as a user id (or a case id as an element
/// id) finds nothing instead of the "right" row.
pub const ID_START: [(&str, i64); 11] = [
    ("jobcenter", 100),
    ("team", 300),
    ("bruger", 500),
    ("anden_aktoer", 700),
    ("aa_aftale", 800),
    ("sag", 1000),
    ("sagselement", 10_000),
    ("sagshaendelse", 20_000),
    ("outbox", 30_000),
    ("job", 40_000),
    ("eindkomst", 50_000),
];

/// The access log's key in every test (decision 79).
pub const TEST_NOEGLE: &str = "testnoegle-til-adgangslogen-kun-i-test-0123456789";

/// Whether we run under CI, where nothing may be skipped silently.
pub fn i_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

fn tilfaeldig_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_string()
}

enum Oprydning {
    Sqlite { mappe: PathBuf },
    Postgres { basis_url: String, navn: String, data_dir: PathBuf },
}

/// The running application and a handle on its database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub address: String,
    pub port: u16,
    /// The same database the application uses (a clone shares the failure injection).
    pub db: Db,
    /// A client with a cookie store that does NOT follow redirects, so a test can assert
    /// `303` and `Location` itself (see [`TestApp::folg`]).
    pub client: reqwest::Client,
    /// The application's data folder (export files go under `eksport/`).
    pub data_dir: PathBuf,
    /// The database's URL, for a `vitas` command run against it.
    pub database_url: String,
    oprydning: Oprydning,
}

/// A fresh HTTP client: own cookie jar, redirects not followed.
pub fn ny_klient() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest-klienten kunne ikke bygges")
}

impl TestApp {
    /// The application on a fresh SQLite file database.
    pub async fn sqlite() -> TestApp {
        TestApp::sqlite_med(|s| s).await
    }

    /// As [`TestApp::sqlite`], with the web state changed first (e.g. a short logout clock).
    pub async fn sqlite_med(f: impl FnOnce(web::AppState) -> web::AppState) -> TestApp {
        TestApp::sqlite_med_router(f, |r| r).await
    }

    /// As [`TestApp::sqlite_med`], with the finished router wrapped by `g` (the browser tests
    /// keep every HTML page the application serves, for the Nu Html Checker).
    pub async fn sqlite_med_router(
        f: impl FnOnce(web::AppState) -> web::AppState,
        g: impl FnOnce(axum::Router) -> axum::Router,
    ) -> TestApp {
        let skabelon = sqlite_skabelon().await;
        let mappe = std::env::temp_dir().join(format!("vitas-test-{}", tilfaeldig_hex()));
        std::fs::create_dir_all(&mappe).expect("testmappen kunne ikke oprettes");
        std::fs::copy(skabelon, mappe.join("vitas.db")).expect("skabelonen kunne ikke kopieres");
        let url = format!("sqlite://{}?mode=rwc", mappe.join("vitas.db").display());
        let db = Db::connect(&url).await.expect("SQLite-databasen kunne ikke åbnes");
        TestApp::start_med(db, url, mappe.clone(), Oprydning::Sqlite { mappe }, f, g).await
    }

    /// The application on a fresh PostgreSQL database, or None when `VITAS_TEST_POSTGRES_URL`
    /// is not set (outside CI only: under CI a missing URL is an error).
    pub async fn postgres() -> Option<TestApp> {
        TestApp::postgres_med(|s| s).await
    }

    /// As [`TestApp::postgres`], with the web state changed first.
    pub async fn postgres_med(f: impl FnOnce(web::AppState) -> web::AppState) -> Option<TestApp> {
        TestApp::postgres_med_router(f, |r| r).await
    }

    /// As [`TestApp::postgres_med`], with the finished router wrapped by `g` (the browser
    /// tests' walk of each scheme runs on PostgreSQL too; see [`TestApp::sqlite_med_router`]).
    pub async fn postgres_med_router(
        f: impl FnOnce(web::AppState) -> web::AppState,
        g: impl FnOnce(axum::Router) -> axum::Router,
    ) -> Option<TestApp> {
        let basis_url = match std::env::var(PG_VAR) {
            Ok(u) if !u.trim().is_empty() => u,
            _ => {
                assert!(
                    !i_ci(),
                    "{PG_VAR} skal være sat, når CI er sat: PostgreSQL-testene må aldrig springes over i CI"
                );
                println!("{PG_SPRUNGET}");
                return None;
            }
        };
        let skabelon = pg_skabelon(&basis_url).await;
        let navn = format!("vitas_test_{}", tilfaeldig_hex());
        let admin = sea_orm::Database::connect(basis_url.as_str())
            .await
            .unwrap_or_else(|e| panic!("kunne ikke forbinde til {PG_VAR}: {e}"));
        // A few tries: the template may be busy for a moment (another test's copy being made).
        let mut forsoeg = 0;
        while let Err(e) = admin.execute_unprepared(&format!("CREATE DATABASE {navn} TEMPLATE {skabelon}")).await {
            forsoeg += 1;
            assert!(forsoeg < 20, "CREATE DATABASE fejlede: {e}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        admin.close().await.expect("admin-forbindelsen kunne ikke lukkes");
        let url = pg_url(&basis_url, &navn);
        let db = Db::connect(url.as_str()).await.expect("testdatabasen kunne ikke åbnes");
        let data_dir = std::env::temp_dir().join(format!("vitas-test-{navn}"));
        let oprydning = Oprydning::Postgres { basis_url, navn, data_dir: data_dir.clone() };
        Some(TestApp::start_med(db, url.to_string(), data_dir, oprydning, f, g).await)
    }

    async fn start_med(
        db: Db,
        database_url: String,
        data_dir: PathBuf,
        oprydning: Oprydning,
        f: impl FnOnce(web::AppState) -> web::AppState,
        g: impl FnOnce(axum::Router) -> axum::Router,
    ) -> TestApp {
        // The database is a copy of the template: migrated and seeded.
        let db = med_testnoegle(db);
        let config = Config {
            database_url: None,
            data_dir: data_dir.clone(),
            addr: "127.0.0.1:0".parse().expect("adresse"),
            demo: true,
            base_url: None,
            api_graense_pr_minut: web::api::graense::STANDARD_PR_MINUT,
            adgangslog_noegle: None,
            drift: server::Drift::default(),
        };
        // The tests send thousands of requests and log in hundreds of times from one address:
        // the page, login and lookup limits are off unless a test turns them on (f).
        let app = Application::with_db(config, db.clone())
            .await
            .expect("applikationen kunne ikke bygges")
            .med_state(|s| f(s.med_graenser(0, 0, 0).med_token_fejlgraense(0, 0)))
            .med_router(g);
        let port = app.port;
        tokio::spawn(async move {
            if let Err(e) = app.run().await {
                eprintln!("applikationen stoppede med fejl: {e:#}");
            }
        });
        // The worker does NOT run in the background here: a test runs pending jobs on
        // demand with `koer_jobs`, step by step (zero2prod's and crates.io's habit).
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            port,
            db,
            client: ny_klient(),
            data_dir,
            database_url,
            oprydning,
        }
    }

    /// What the worker hands a job: the test's database and data folder.
    pub fn kontekst(&self) -> jobs::Kontekst {
        jobs::Kontekst::ny(self.db.clone(), self.data_dir.clone())
    }

    /// One pass of the worker: run every due job, then its clean-up. Returns items handled.
    pub async fn koer_jobs(&self) -> u64 {
        server::worker::koer_en_gang(&self.kontekst()).await.expect("worker-gennemløbet fejlede")
    }

    /// Insert test cases past the repository, 400 per statement, then recompute the counts
    /// behind the list totals, as anything that writes `sag` by hand must (storage::taelling).
    pub async fn indsaet_sager(&self, sager: Vec<storage::entity::sag::ActiveModel>) {
        use sea_orm::EntityTrait;
        for stk in sager.chunks(400) {
            storage::entity::sag::Entity::insert_many(stk.to_vec()).exec(&self.db.conn).await.expect("sagerne");
        }
        self.tomme_formularer().await;
        self.taellinger_forfra().await;
    }

    /// Give each case written by hand without a form the untouched form of its scheme (the tag
    /// alone, `Skemadata::tom_json`), as the repository writes one with every case.
    pub async fn tomme_formularer(&self) {
        self.db
            .conn
            .execute_unprepared(
                "INSERT INTO sag_skema (sag_id, skemadata) \
                 SELECT id, '{\"ordning\":\"' || ordning || '\"}' FROM sag \
                 WHERE NOT EXISTS (SELECT 1 FROM sag_skema k WHERE k.sag_id = sag.id)",
            )
            .await
            .expect("de tomme formularer");
    }

    /// A case's stored form as it is.
    pub async fn skemajson(&self, sag_id: i64) -> String {
        storage::sager::skemajson(&self.db.conn, sag_id).await.expect("formularen")
    }

    /// Overwrite a case's stored form by hand, past the repository.
    pub async fn saet_skemajson(&self, sag_id: i64, json: &str) {
        use sea_orm::EntityTrait;
        use storage::entity::sag_skema;
        sag_skema::Entity::update(sag_skema::ActiveModel {
            sag_id: sea_orm::Set(sag_id),
            skemadata: sea_orm::Set(json.to_string()),
        })
        .exec(&self.db.conn)
        .await
        .expect("formularen skrevet");
    }

    /// Recompute the counts behind the list totals after cases were written by hand.
    pub async fn taellinger_forfra(&self) {
        storage::taelling::genopbyg(&self.db.conn).await.expect("tællingerne");
    }

    /// `address` + `sti`.
    /// The settings of a second server on this test's database and data folder: port 0, demo
    /// as asked, the default limits and running settings. A test overrides what it needs
    /// (`server::Config { base_url: …, ..app.anden_config(false) }`).
    pub fn anden_config(&self, demo: bool) -> server::Config {
        server::Config {
            database_url: None,
            data_dir: self.data_dir.clone(),
            addr: "127.0.0.1:0".parse().expect("adresse"),
            demo,
            base_url: None,
            api_graense_pr_minut: web::api::graense::STANDARD_PR_MINUT,
            adgangslog_noegle: None,
            drift: server::Drift::default(),
        }
    }

    pub fn url(&self, sti: &str) -> String {
        format!("{}{}", self.address, sti)
    }

    /// GET with the test's own client.
    pub async fn get(&self, sti: &str) -> reqwest::Response {
        self.client.get(self.url(sti)).send().await.expect("GET fejlede")
    }

    /// Follow a redirect by hand: the response must be a 3xx with a Location; GET it with
    /// the same client.
    pub async fn folg(&self, svar: reqwest::Response) -> reqwest::Response {
        folg_med(&self.client, &self.address, svar).await
    }

    /// A user's id, looked up by e-mail in the seeded world.
    pub async fn bruger_id(&self, email: &str) -> i64 {
        bruger::Entity::find()
            .filter(bruger::Column::Email.eq(email))
            .one(&self.db.conn)
            .await
            .expect("opslag af bruger")
            .unwrap_or_else(|| panic!("demo-brugeren {email} findes ikke"))
            .id
    }

    /// An access token of the external API for a client (OAuth2 client credentials).
    pub async fn api_token(&self, klient_id: &str, hemmelighed: &str) -> String {
        let svar: serde_json::Value = self
            .client
            .post(self.url("/api/oauth/token"))
            .basic_auth(klient_id, Some(hemmelighed))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("POST /api/oauth/token")
            .json()
            .await
            .expect("tokenets JSON");
        svar["access_token"].as_str().expect("access_token").to_string()
    }

    /// A Get service call with `token` and a fresh `x-requestId`.
    pub async fn api_get(&self, token: &str, sti: &str) -> reqwest::Response {
        self.client
            .get(self.url(sti))
            .bearer_auth(token)
            .header("x-requestId", uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .expect("GET i API'et")
    }

    /// Log in as the demo user with `email` (POST /demo-login/{id}) in a NEW client, and
    /// check the contract: 303 to `/` with a `vitas_session` cookie. The client sends the
    /// session's CSRF token (read from the front page's `<meta name="csrf-token">`) as
    /// `X-CSRF-Token` on every request, as vitas.js does on a fetch; forms read from pages
    /// carry it as `_csrf` anyway.
    pub async fn log_ind(&self, email: &str) -> reqwest::Client {
        let (jar, token) = self.log_ind_jar(email).await;
        let mut hoveder = reqwest::header::HeaderMap::new();
        hoveder.insert("x-csrf-token", token.parse().expect("tokenet er en header-værdi"));
        reqwest::Client::builder()
            .cookie_provider(jar)
            .default_headers(hoveder)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest-klienten kunne ikke bygges")
    }

    /// Log in as `email` into a cookie jar of its own; returns the jar and the session's CSRF
    /// token (the CSRF tests build clients with and without it).
    pub async fn log_ind_jar(&self, email: &str) -> (std::sync::Arc<reqwest::cookie::Jar>, String) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let klient = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest-klienten kunne ikke bygges");
        let id = self.bruger_id(email).await;
        let svar = klient.post(self.url(&format!("/demo-login/{id}"))).send().await.expect("POST /demo-login");
        assert_eq!(svar.status(), StatusCode::SEE_OTHER, "demo-login som {email} skal svare 303");
        assert_eq!(location(&svar).as_deref(), Some("/"), "demo-login skal sende videre til /");
        assert!(svar.cookies().any(|c| c.name() == "vitas_session"), "demo-login skal sætte cookien vitas_session");
        let forside = klient.get(self.url("/")).send().await.expect("GET /").text().await.expect("tekst");
        let token = csrf_token(&forside).unwrap_or_else(|| panic!("forsiden for {email} har intet CSRF-token"));
        (jar, token)
    }
}

/// The CSRF token in a page's `<meta name="csrf-token" content="…">`.
pub fn csrf_token(html: &str) -> Option<String> {
    let efter = html.split("<meta name=\"csrf-token\" content=\"").nth(1)?;
    efter.split('"').next().map(str::to_string)
}

/// The Location header of a response, if any.
pub fn location(svar: &reqwest::Response) -> Option<String> {
    svar.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Follow a redirect by hand with any client.
pub async fn folg_med(klient: &reqwest::Client, adresse: &str, svar: reqwest::Response) -> reqwest::Response {
    assert!(svar.status().is_redirection(), "forventede en viderestilling, fik {} fra {}", svar.status(), svar.url());
    let til = location(&svar).expect("viderestillingen mangler Location");
    let url = if til.starts_with("http://") || til.starts_with("https://") { til } else { format!("{adresse}{til}") };
    klient.get(url).send().await.expect("GET af Location fejlede")
}

/// The access log's key, as VITAS_ADGANGSLOG_NOEGLE gives it in production (decision 79).
fn med_testnoegle(db: Db) -> Db {
    db.med_adgangslog_noegle(storage::adgangslog::Noegle::fra_tekst(TEST_NOEGLE).expect("testnøglen er lang nok"))
}

fn pg_url(basis_url: &str, navn: &str) -> reqwest::Url {
    let mut url = reqwest::Url::parse(basis_url).expect("VITAS_TEST_POSTGRES_URL er ikke en gyldig URL");
    url.set_path(&format!("/{navn}"));
    url
}

/// What every test database starts as: migrated, the id sequences moved, the demo world seeded.
async fn forbered_skabelon(db: &Db) {
    db.migrate().await.expect("migrering fejlede");
    forskyd_id_sekvenser(db).await;
    server::seed_demo_if_empty(db).await.expect("demo-data kunne ikke oprettes");
}

/// The start of a template's name; the rest is the process id and a random part.
const SKABELON: &str = "vitas_skabelon_";

/// Whether the process that made a template (named `<start><pid>_<hex>`) has ended. Where
/// there is no `/proc` to ask, nothing is taken for ended.
fn skabelonens_proces_er_slut(navn: &str, start: &str) -> bool {
    let Some(pid) = navn.strip_prefix(start).and_then(|r| r.split('_').next()).and_then(|p| p.parse::<u32>().ok())
    else {
        return false;
    };
    std::path::Path::new("/proc").is_dir() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

static SQLITE_SKABELON: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
static PG_SKABELON: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// This process's SQLite template, made on first use: a file every test copies.
async fn sqlite_skabelon() -> &'static PathBuf {
    SQLITE_SKABELON
        .get_or_init(|| async {
            let tmp = std::env::temp_dir();
            // Templates of test processes that have ended.
            for e in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
                let navn = e.file_name().to_string_lossy().replace('-', "_");
                if skabelonens_proces_er_slut(&navn, SKABELON) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
            let mappe = tmp.join(format!("vitas-skabelon-{}-{}", std::process::id(), tilfaeldig_hex()));
            std::fs::create_dir_all(&mappe).expect("skabelonmappen kunne ikke oprettes");
            let arbejde = mappe.join("arbejde.db");
            let db = med_testnoegle(
                Db::connect(&format!("sqlite://{}?mode=rwc", arbejde.display()))
                    .await
                    .expect("skabelonen kunne ikke åbnes"),
            );
            forbered_skabelon(&db).await;
            // One self-contained file (no -wal beside it) that a plain copy reproduces.
            let fil = mappe.join("skabelon.db");
            db.conn.execute_unprepared(&format!("VACUUM INTO '{}'", fil.display())).await.expect("VACUUM INTO");
            let _ = db.conn.close().await;
            fil
        })
        .await
}

/// This process's PostgreSQL template, made on first use; every test's database is created
/// from it with `CREATE DATABASE … TEMPLATE`, which needs nobody connected to it.
async fn pg_skabelon(basis_url: &str) -> &'static str {
    PG_SKABELON
        .get_or_init(|| async {
            let admin = sea_orm::Database::connect(basis_url)
                .await
                .unwrap_or_else(|e| panic!("kunne ikke forbinde til {PG_VAR}: {e}"));
            let gamle = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT datname FROM pg_database WHERE datname LIKE '{SKABELON}%'"),
                ))
                .await
                .expect("pg_database");
            for r in gamle {
                let navn: String = r.try_get("", "datname").expect("datname");
                if skabelonens_proces_er_slut(&navn, SKABELON) {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {navn} WITH (FORCE)")).await;
                }
            }
            let navn = format!("{SKABELON}{}_{}", std::process::id(), tilfaeldig_hex());
            admin.execute_unprepared(&format!("CREATE DATABASE {navn}")).await.expect("CREATE DATABASE (skabelon)");
            let db = med_testnoegle(
                Db::connect(pg_url(basis_url, &navn).as_str()).await.expect("skabelonen kunne ikke åbnes"),
            );
            forbered_skabelon(&db).await;
            db.conn.close().await.expect("skabelonens forbindelser kunne ikke lukkes");
            // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template,
            // autovacuum included; a database that allows no connections is left alone.
            admin
                .execute_unprepared(&format!("ALTER DATABASE {navn} WITH ALLOW_CONNECTIONS false"))
                .await
                .expect("ALTER DATABASE (skabelon)");
            let _ = admin.close().await;
            navn
        })
        .await
}

/// Move every id sequence to its offset in [`ID_START`], before anything is seeded.
async fn forskyd_id_sekvenser(db: &Db) {
    match db.backend() {
        sea_orm::DbBackend::Postgres => {
            for (tabel, start) in ID_START {
                db.conn
                    .execute_unprepared(&format!("ALTER SEQUENCE {tabel}_id_seq RESTART WITH {start}"))
                    .await
                    .unwrap_or_else(|e| panic!("ALTER SEQUENCE {tabel}_id_seq: {e}"));
            }
        }
        sea_orm::DbBackend::Sqlite => {
            // Only an AUTOINCREMENT table reads its next id from sqlite_sequence; the test
            // `id_sekvenser_er_forskudt` checks that every table here is one.
            for (tabel, start) in ID_START {
                db.conn
                    .execute_unprepared(&format!(
                        "INSERT INTO sqlite_sequence(name, seq) VALUES ('{tabel}', {})",
                        start - 1
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("sqlite_sequence for {tabel}: {e}"));
            }
        }
        anden => panic!("ukendt database i test: {anden:?}"),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            match &self.oprydning {
                Oprydning::Sqlite { mappe } => eprintln!("testdatabasen er bevaret: {}", mappe.display()),
                Oprydning::Postgres { navn, .. } => eprintln!("testdatabasen er bevaret: {navn}"),
            }
            return;
        }
        match &self.oprydning {
            Oprydning::Sqlite { mappe } => {
                let _ = std::fs::remove_dir_all(mappe);
            }
            Oprydning::Postgres { basis_url, navn, data_dir } => {
                let _ = std::fs::remove_dir_all(data_dir);
                // Drop runs inside the test's runtime; do the async work on a thread of its own.
                let (basis_url, navn) = (basis_url.clone(), navn.clone());
                let traad = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(admin) = sea_orm::Database::connect(basis_url.as_str()).await {
                            let _ =
                                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {navn} WITH (FORCE)")).await;
                            let _ = admin.close().await;
                        }
                    });
                });
                let _ = traad.join();
            }
        }
    }
}
