//! The `vitas` program: configuration, start-up and the application that `serve` runs.
//! Tests build the same [`Application`] on port 0.

pub mod modtager;
pub mod sikkerhedskopi;
pub mod statistik;
pub mod sundhed;
pub mod worker;

/// `vitas --version`: the release and the git commit it was built from (issue 11 §1; build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("VITAS_GIT_COMMIT"), ")");

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
    /// Demo mode: the demo login page exists, an empty database is seeded, every page shows a
    /// DEMO banner and the demo API client works. See [`demo_tilstand`] for the default.
    pub demo: bool,
    /// The public address for links in e-mails; None: `http://{addr}`.
    pub base_url: Option<String>,
    /// The external API's calls a minute per client (`web::api::graense`); 0: no limit.
    pub api_graense_pr_minut: u32,
    /// The access log's key for the CPR hashes (`VITAS_ADGANGSLOG_NOEGLE`, decision 79). None:
    /// in demo mode a key kept in `<data_dir>/adgangslog.noegle`; otherwise `serve` and
    /// `worker` refuse to start.
    pub adgangslog_noegle: Option<String>,
    /// How the worker, the e-mail and the web layer's limits run.
    pub drift: Drift,
}

/// The settings of the running service besides its database and address: the worker, its
/// delivery rules, the SMTP server, and the web layer's limits. `Default` is what `vitas`
/// starts with when nothing is set.
#[derive(Debug, Clone)]
pub struct Drift {
    /// `serve` runs the background worker (outbox, jobs) in its own process.
    pub worker_i_processen: bool,
    /// The outbox's retry schedule and lifetime (`jobs::outbox`).
    pub levering: jobs::outbox::Leveringsregler,
    /// The SMTP server e-mails go out through; None: they wait in the outbox.
    pub smtp_url: Option<String>,
    /// The address e-mails are sent from.
    pub afsender_adresse: String,
    /// Pages a minute per session or address (0: off).
    pub sider_pr_minut: u32,
    /// DFDG lookups a minute per user (0: off).
    pub opslag_pr_minut: u32,
    /// Failed token requests a minute per client id and per caller address (0: off).
    pub token_fejl_pr_klient: u32,
    pub token_fejl_pr_adresse: u32,
    /// The caller's address is the last one in X-Forwarded-For (behind a trusted proxy only).
    pub betroet_proxy: bool,
    /// The longest a request may take.
    pub tidsgraense: std::time::Duration,
    /// `VITAS_METRICS_TOKEN`: `/metrics` on the public address with this bearer token.
    pub maaletoken: Option<String>,
    /// `VITAS_METRICS_ADDR`: `/metrics` without a token on an address of its own.
    pub maaleadresse: Option<SocketAddr>,
    /// A read replica of the database (`VITAS_READ_DATABASE_URL`): the lists, Søg, the
    /// counters and the Excel exports read from it; None: from the primary (issue 11 §5,
    /// decision 115).
    pub laese_database_url: Option<String>,
    /// After a user's write, that user's lists read the primary this long
    /// (`VITAS_READ_PRIMARY_SEK`; read-your-writes, decision 116).
    pub laes_primaer_efter_skrivning: std::time::Duration,
    /// STAR's key for the statistics extract's pseudonyms (`VITAS_STATISTIK_NOEGLE`: hex or
    /// base64, at least 32 bytes; decision 129). None: the extract's API answers 503 and
    /// `vitas statistik udtraek` refuses without `--noegle-fil`.
    pub statistik_noegle: Option<String>,
}

impl Default for Drift {
    fn default() -> Self {
        Drift {
            worker_i_processen: true,
            levering: jobs::outbox::Leveringsregler::default(),
            smtp_url: None,
            afsender_adresse: "noreply@vitas.example.dk".into(),
            sider_pr_minut: web::graense::SIDER_PR_MINUT,
            opslag_pr_minut: web::graense::OPSLAG_PR_MINUT,
            token_fejl_pr_klient: web::graense::TOKEN_FEJL_PR_KLIENT,
            token_fejl_pr_adresse: web::graense::TOKEN_FEJL_PR_ADRESSE,
            betroet_proxy: false,
            tidsgraense: std::time::Duration::from_secs(30),
            maaletoken: None,
            maaleadresse: None,
            laese_database_url: None,
            laes_primaer_efter_skrivning: web::laesning::STANDARD_VINDUE,
            statistik_noegle: None,
        }
    }
}

impl Config {
    /// The worker's context on `db`: the data folder, the delivery rules and the SMTP server.
    /// An SMTP URL that cannot be read is an error at start, not at the first e-mail.
    pub fn jobkontekst(&self, db: Db) -> anyhow::Result<jobs::Kontekst> {
        let k = jobs::Kontekst::ny(db, self.data_dir.clone()).med_regler(self.drift.levering.clone());
        Ok(match self.drift.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                k.med_epost(jobs::epost::Epost::ny(url, &self.drift.afsender_adresse, self.drift.levering.timeout)?)
            }
            None => k,
        })
    }

    /// The web state's limits from [`Drift`].
    pub fn med_graenser(&self, s: web::AppState) -> web::AppState {
        let d = &self.drift;
        let mut s = s
            .med_graenser(d.sider_pr_minut, web::graense::LOGIN_PR_MINUT, d.opslag_pr_minut)
            .med_token_fejlgraense(d.token_fejl_pr_klient, d.token_fejl_pr_adresse);
        s.betroet_proxy = d.betroet_proxy;
        s.tidsgraense = d.tidsgraense;
        s.med_maaletoken(d.maaletoken.clone())
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("vitas.db").display()),
        }
    }
}

impl Config {
    /// The settings of a process that opens the database as the command line names it and
    /// serves nothing (the tools; `vitas` adds its address and running settings): an empty
    /// URL (`VITAS_DATABASE_URL=`) means the embedded SQLite under `data_dir`, and demo mode
    /// is [`demo_tilstand`]'s.
    pub fn for_database(
        database_url: Option<String>,
        data_dir: PathBuf,
        demo: Option<bool>,
        adgangslog_noegle: Option<String>,
    ) -> Config {
        let database_url = database_url.filter(|u| !u.trim().is_empty());
        Config {
            demo: demo_tilstand(demo, database_url.as_deref()),
            database_url,
            data_dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_url: None,
            api_graense_pr_minut: web::api::graense::STANDARD_PR_MINUT,
            adgangslog_noegle,
            drift: Drift::default(),
        }
    }
}

/// Logging as every VITAS binary sets it up: the filter from `VITAS_LOG` (default `info`),
/// as text or, with `json`, as JSON lines.
pub fn start_log(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VITAS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    if json {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
}

/// Whether demo mode is on: as asked, else only on the embedded SQLite database (no URL). A
/// database URL (PostgreSQL in production) gets demo mode only when the operator asks for it,
/// since the demo login admits users without a credential (issue 14 §1, decision 54).
pub fn demo_tilstand(bedt_om: Option<bool>, database_url: Option<&str>) -> bool {
    bedt_om.unwrap_or(database_url.is_none())
}

/// The file in the data folder that holds the access log's key in demo mode.
pub const NOEGLEFIL: &str = "adgangslog.noegle";

/// The access log's key (decision 79): `VITAS_ADGANGSLOG_NOEGLE` if set; else, in demo mode
/// only, a random key made once and kept in `<data_dir>/adgangslog.noegle` (readable by the
/// owner alone); else None. The key never goes into the database: a copy of the database
/// alone must not let anyone hash every possible CPR number (a date and four digits) and read the log.
pub fn adgangslog_noegle(config: &Config) -> anyhow::Result<Option<storage::adgangslog::Noegle>> {
    use storage::adgangslog::Noegle;
    if let Some(t) = config.adgangslog_noegle.as_deref().filter(|t| !t.trim().is_empty()) {
        return Noegle::fra_tekst(t).map(Some).map_err(|e| anyhow::anyhow!("VITAS_ADGANGSLOG_NOEGLE: {e}"));
    }
    if !config.demo {
        return Ok(None);
    }
    let fil = config.data_dir.join(NOEGLEFIL);
    let tekst = match std::fs::read_to_string(&fil) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("kunne ikke oprette datamappen {}", config.data_dir.display()))?;
            let ny = Noegle::ny_tekst();
            skriv_hemmelig_fil(&fil, &ny).with_context(|| format!("kunne ikke skrive {}", fil.display()))?;
            tracing::info!(fil = %fil.display(), "ny nøgle til adgangslogen (demo-tilstand)");
            ny
        }
        Err(e) => return Err(e).with_context(|| format!("kunne ikke læse {}", fil.display())),
    };
    Noegle::fra_tekst(&tekst).map(Some).map_err(|e| anyhow::anyhow!("{}: {e}", fil.display()))
}

/// Create a new file only the owner may read (it must not exist already).
fn skriv_hemmelig_fil(fil: &std::path::Path, indhold: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(fil)?.write_all(indhold.as_bytes())
}

/// Refuse to serve or run the worker without the access log's key (decision 79).
pub fn kraev_adgangslog_noegle(db: &Db) -> anyhow::Result<()> {
    if db.adgangslog_noegle().is_none() {
        anyhow::bail!(
            "VITAS_ADGANGSLOG_NOEGLE er ikke sat: uden demo-tilstand skal adgangslogens nøgle (mindst 32 tegn, \
             fx fra `openssl rand -hex 32`) gives, og den samme nøgle skal bruges af alle servere og workere"
        );
    }
    Ok(())
}

/// Open the database and bring its schema up to date; with the access log's key, move any
/// plaintext CPR rows of the access log to keyed hashes (decision 79).
pub async fn open_db(config: &Config) -> anyhow::Result<Db> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("kunne ikke oprette datamappen {}", config.data_dir.display()))?;
    }
    let mut db = Db::connect(&config.database_url()).await.context("kunne ikke forbinde til databasen")?;
    db.migrate().await.context("migrering af databasen fejlede")?;
    if let Some(n) = adgangslog_noegle(config)? {
        db = db.med_adgangslog_noegle(n);
        let flyttet = storage::adgangslog::omlaeg_klartekst(&db)
            .await
            .context("adgangslogens CPR-numre kunne ikke omlægges til nøglede hashes")?;
        if flyttet > 0 {
            tracing::info!(antal = flyttet, "adgangslogens poster har fået nøglede CPR-hashes");
        }
    }
    Ok(db)
}

/// Connect to the read replica, if one is configured (decision 115). It is not migrated: a
/// streaming replica is read-only and gets its schema from the primary.
pub async fn aaben_replika(config: &Config) -> anyhow::Result<Option<Db>> {
    match config.drift.laese_database_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(None),
        Some(url) => {
            let db =
                Db::connect(url).await.context("kunne ikke forbinde til læsereplikaen (VITAS_READ_DATABASE_URL)")?;
            db.ping().await.context("læsereplikaen (VITAS_READ_DATABASE_URL) svarer ikke")?;
            tracing::info!("lister, søgning, tællere og Excel-udtræk læser fra læsereplikaen");
            Ok(Some(db))
        }
    }
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
    /// The separate metrics address's listener and port, when one is set (decision 109).
    maale: Option<tokio::net::TcpListener>,
    pub maaleport: Option<u16>,
    pub db: Db,
    state: web::AppState,
    router: axum::Router,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let db = open_db(&config).await?;
        if config.demo && seed_demo_if_empty(&db).await? {
            // The demo server's world also has cases of every built scheme in every state
            // (issue 13 §4); the tests' template does not, so each test sees only its own.
            let antal = storage::demo_sager::seed(&db, chrono::Utc::now()).await.context("demosager")?;
            tracing::info!(antal, "demosager oprettet");
        }
        Self::with_db(config, db).await
    }

    /// Build on an already migrated database (tests share theirs with the app).
    pub async fn with_db(config: Config, db: Db) -> anyhow::Result<Application> {
        kraev_adgangslog_noegle(&db)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("kunne ikke lytte på {}", config.addr))?;
        let port = listener.local_addr()?.port();
        let maale = match config.drift.maaleadresse {
            Some(a) => Some(
                tokio::net::TcpListener::bind(a)
                    .await
                    .with_context(|| format!("kunne ikke lytte på metrics-adressen {a}"))?,
            ),
            None => None,
        };
        let maaleport = match &maale {
            Some(l) => Some(l.local_addr()?.port()),
            None => None,
        };
        web::drift::saet_version(env!("CARGO_PKG_VERSION"), env!("VITAS_GIT_COMMIT"));
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{}:{port}", config.addr.ip()));
        let mut state = web::AppState::new(db.clone(), config.demo)
            .med_base_url(base_url)
            .med_data_dir(config.data_dir.clone())
            .med_api_graense(config.api_graense_pr_minut)
            .med_statistik_noegle(statistik::noegle_fra_config(&config)?);
        if let Some(replika) = aaben_replika(&config).await? {
            state = state.med_laese_db(replika, config.drift.laes_primaer_efter_skrivning);
        }
        Ok(Application { listener, port, maale, maaleport, db, router: web::router(state.clone()), state })
    }

    /// The read replica the web state reads lists from, if any (the in-process worker's
    /// exports read it too).
    pub fn replika(&self) -> Option<Db> {
        self.state.laese_db.clone()
    }

    /// Change the web state before serving (a browser test shortens the page's logout clock).
    pub fn med_state(mut self, f: impl FnOnce(web::AppState) -> web::AppState) -> Self {
        self.state = f(self.state);
        self.router = web::router(self.state.clone());
        self
    }

    /// Wrap the finished router (a browser test keeps every page it serves, to check its HTML).
    pub fn med_router(mut self, f: impl FnOnce(axum::Router) -> axum::Router) -> Self {
        self.router = f(self.router);
        self
    }

    pub async fn run(self) -> anyhow::Result<()> {
        if let Some(l) = self.maale {
            let r = web::router::maalerouter(self.state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(l, r).await {
                    tracing::error!(fejl = %e, "metrics-adressen holdt op med at svare");
                }
            });
        }
        // The recorder's histograms are drained and its idle series dropped between scrapes.
        tokio::spawn(async {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                web::drift::maaler().run_upkeep();
            }
        });
        // The socket's address reaches the handlers: the login and page limits count per caller.
        let tjeneste = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, tjeneste)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Config, adgangslog_noegle, demo_tilstand};

    fn config(demo: bool, noegle: Option<&str>, mappe: &std::path::Path) -> Config {
        Config {
            database_url: None,
            data_dir: mappe.to_path_buf(),
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            demo,
            base_url: None,
            api_graense_pr_minut: 0,
            adgangslog_noegle: noegle.map(String::from),
            drift: super::Drift::default(),
        }
    }

    #[test]
    fn adgangslogens_noegle_kommer_fra_miljoeet_eller_demomappen() {
        let mappe = std::env::temp_dir().join(format!("vitas-noegle-{}", uuid::Uuid::new_v4().simple()));
        // Outside demo mode without the variable: no key (serve and worker then refuse).
        assert!(adgangslog_noegle(&config(false, None, &mappe)).expect("ingen fejl").is_none());
        assert!(!mappe.join(super::NOEGLEFIL).exists(), "ingen fil uden demo");
        assert!(adgangslog_noegle(&config(false, Some("for kort"), &mappe)).is_err());
        let givet = adgangslog_noegle(&config(false, Some(&"k".repeat(40)), &mappe)).expect("ok").expect("nøgle");
        // Demo mode: made once, kept, the same the next time, readable by the owner alone.
        let a = adgangslog_noegle(&config(true, None, &mappe)).expect("ok").expect("nøgle");
        let b = adgangslog_noegle(&config(true, None, &mappe)).expect("ok").expect("nøgle");
        assert_eq!(a.cpr_hmac("0101901234"), b.cpr_hmac("0101901234"));
        assert_ne!(a.cpr_hmac("0101901234"), givet.cpr_hmac("0101901234"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let rettigheder = std::fs::metadata(mappe.join(super::NOEGLEFIL)).expect("filen").permissions().mode();
            assert_eq!(rettigheder & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&mappe);
    }

    #[test]
    fn demo_er_kun_standard_paa_den_indlejrede_database() {
        assert!(demo_tilstand(None, None), "README'ens første kommando har demo");
        assert!(!demo_tilstand(None, Some("postgres://postgres@127.0.0.1/vitas")), "produktion har ikke demo");
        assert!(!demo_tilstand(None, Some("sqlite:///srv/vitas.db")), "en angivet database har ikke demo");
        assert!(demo_tilstand(Some(true), Some("postgres://postgres@127.0.0.1/vitas")), "kun når der bedes om det");
        assert!(!demo_tilstand(Some(false), None));
    }
}
