//! The `vitas` program: configuration, start-up and the application that `serve` runs.
//! Tests build the same [`Application`] on port 0.

pub mod bench;
pub mod bench_outbox;
pub mod bench_skriv;
pub mod bench_tilfaeldig;
pub mod modtager;
pub mod worker;

use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;
use storage::Db;

/// Everything the program can be told; every option has a `VITAS_…` variable (see main.rs).
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…`, `sqlite::memory:` or `postgres://…`. None: SQLite under `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub addr: SocketAddr,
    /// Demo mode: the demo login page exists and an empty database is seeded.
    pub demo: bool,
    /// The public address for links in e-mails; None: `http://{addr}`.
    pub base_url: Option<String>,
    /// The external API's calls a minute per client (`web::api::graense`); 0: no limit.
    pub api_graense_pr_minut: u32,
}

impl Config {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("vitas.db").display()),
        }
    }
}

/// Open the database and bring its schema up to date.
pub async fn open_db(config: &Config) -> anyhow::Result<Db> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("kunne ikke oprette datamappen {}", config.data_dir.display()))?;
    }
    let db = Db::connect(&config.database_url()).await.context("kunne ikke forbinde til databasen")?;
    db.migrate().await.context("migrering af databasen fejlede")?;
    Ok(db)
}

/// Seed the demo world when the database is empty. Returns whether it seeded.
pub async fn seed_demo_if_empty(db: &Db) -> anyhow::Result<bool> {
    if db.er_tom().await? {
        storage::demo::seed(db, chrono::Utc::now().date_naive()).await.context("demo-data kunne ikke oprettes")?;
        return Ok(true);
    }
    Ok(false)
}

/// A bound, ready-to-serve application. Binding happens in `build`, so the port is known
/// before serving starts (port 0 in tests).
pub struct Application {
    listener: tokio::net::TcpListener,
    pub port: u16,
    pub db: Db,
    router: axum::Router,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let db = open_db(&config).await?;
        if config.demo {
            seed_demo_if_empty(&db).await?;
        }
        Self::with_db(config, db).await
    }

    /// Build on an already migrated database (tests share theirs with the app).
    pub async fn with_db(config: Config, db: Db) -> anyhow::Result<Application> {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("kunne ikke lytte på {}", config.addr))?;
        let port = listener.local_addr()?.port();
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{}:{port}", config.addr.ip()));
        let state = web::AppState::new(db.clone(), config.demo)
            .med_base_url(base_url)
            .med_data_dir(config.data_dir.clone())
            .med_api_graense(config.api_graense_pr_minut);
        Ok(Application { listener, port, db, router: web::router(state) })
    }

    pub async fn run(self) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    }
}
