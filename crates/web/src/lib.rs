//! The web application: server-rendered Danish pages in Det Fælles Designsystem (virk.dk
//! theme). Every form works without JavaScript (POST → redirect → GET).

pub mod adgangslog;
pub mod api;
pub mod auth;
pub mod csrf;
pub mod diagram;
pub mod drift;
pub mod email;
pub mod fejl;
pub mod felt;
pub mod figurtabel;
pub mod graense;
pub mod graensevagt;
pub mod html;
pub mod laesning;
pub mod login;
pub mod router;
pub mod sikkerhed;
pub mod statisk;

use std::path::PathBuf;
use std::sync::Arc;
use storage::Db;
use storage::registre::{CvrRegister, Dfdg, Eindkomst, Konfliktregister, LokaltRegister, Signering};

pub use router::router;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// The primary: every write, and every read that is not a list (issue 11 §5).
    pub db: Db,
    /// A read replica (`VITAS_READ_DATABASE_URL`) the lists, Søg, the counters and the Excel
    /// exports read from; None: they read the primary. Handlers never pick between the two
    /// themselves: they take [`laesning::Laeser`] (decision 115).
    pub laese_db: Option<Db>,
    /// After a user's write, that user's lists read the primary this long, so a change is
    /// seen on the next page however far the replica lags (read-your-writes, decision 116).
    pub laes_primaer_efter_skrivning: std::time::Duration,
    /// Demo mode: the demo login page exists only then.
    pub demo: bool,
    /// The public address links in e-mails start with, e.g. `https://vitas.example.dk`.
    pub base_url: String,
    /// `Config.data_dir`: finished Excel exports wait under `<data_dir>/eksport/`.
    pub data_dir: PathBuf,
    pub dfdg: Arc<dyn Dfdg>,
    pub cvr: Arc<dyn CvrRegister>,
    pub konflikt: Arc<dyn Konfliktregister>,
    pub eindkomst: Arc<dyn Eindkomst>,
    pub signering: Arc<dyn Signering>,
    /// The page's logout clock (seconds idle, seconds of warning): seed 002 §1.5's 30 minutes
    /// and 5 of warning. The server's own limit is `storage::sessioner::INAKTIVITET`; a test
    /// shortens only the page's clock to watch it in a browser.
    pub sessionsur: (u32, u32),
    /// The external API's per-client rate limit (`api::graense`), shared by every request.
    pub api_graense: Arc<api::graense::Kaldsgraense>,
    /// The limits of the pages, the login and the DFDG lookup (`graense`).
    pub graenser: Arc<graense::Graenser>,
    /// Behind a reverse proxy VITAS trusts: the caller's address is the last one the proxy
    /// put in `X-Forwarded-For` (the address limits count per caller, not per proxy).
    pub betroet_proxy: bool,
    /// The longest a request may take (`graensevagt::tidsgraense`).
    pub tidsgraense: std::time::Duration,
    /// The pages write the access log (decision 68). Always on; only the list benchmark
    /// turns it off, to measure what it costs beside the same pages without it.
    pub adgangslog: bool,
    /// The login services (`login`), one OpenID provider per kind of user; none in the demo.
    pub login: Arc<login::Logintjenester>,
    /// `VITAS_METRICS_TOKEN`: `/metrics` on the public address answers only a request that
    /// bears it; None: the route is not there (decision 109).
    pub maaletoken: Option<Arc<str>>,
    /// STAR's key for the statistics extract's pseudonyms (`VITAS_STATISTIK_NOEGLE`, decision
    /// 129); None: the extract's endpoint answers 503.
    pub statistik_noegle: Option<domain::statistik_udtraek::Noegle>,
}

/// Seed 002 §1.5: logged out after 30 minutes idle, warned 5 minutes before.
pub const STANDARD_SESSIONSUR: (u32, u32) = (30 * 60, 5 * 60);

impl AppState {
    /// State with the local registry behind every external system (demo and tests).
    pub fn new(db: Db, demo: bool) -> Self {
        let lokal = Arc::new(LokaltRegister::new(db.clone()));
        AppState {
            db,
            laese_db: None,
            laes_primaer_efter_skrivning: laesning::STANDARD_VINDUE,
            demo,
            base_url: "http://127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            dfdg: lokal.clone(),
            cvr: lokal.clone(),
            konflikt: lokal.clone(),
            eindkomst: lokal.clone(),
            signering: lokal,
            sessionsur: STANDARD_SESSIONSUR,
            api_graense: Arc::new(api::graense::Kaldsgraense::ny(api::graense::STANDARD_PR_MINUT)),
            graenser: Arc::default(),
            betroet_proxy: false,
            tidsgraense: graensevagt::STANDARD_TIDSGRAENSE,
            adgangslog: true,
            login: Arc::default(),
            maaletoken: None,
            statistik_noegle: None,
        }
    }

    /// Lists, Søg, counters and exports read from `replika`, except a user's own for
    /// `vindue` after they wrote (issue 11 §5; decisions 115–116).
    pub fn med_laese_db(mut self, replika: Db, vindue: std::time::Duration) -> Self {
        self.laese_db = Some(replika);
        self.laes_primaer_efter_skrivning = vindue;
        self
    }

    pub fn med_data_dir(mut self, mappe: PathBuf) -> Self {
        self.data_dir = mappe;
        self
    }

    /// Whether VITAS is served over TLS (the base URL is https): the session cookie is then
    /// `Secure`, and every answer carries HSTS.
    pub fn https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// The external API's limit: calls a minute per client (0: no limit).
    pub fn med_api_graense(mut self, pr_minut: u32) -> Self {
        self.api_graense = Arc::new(api::graense::Kaldsgraense::ny(pr_minut));
        self
    }

    /// The limits a minute: pages per session or address, logins per address, DFDG lookups
    /// per user (0: off).
    pub fn med_graenser(mut self, sider: u32, login: u32, opslag: u32) -> Self {
        self.graenser = Arc::new(graense::Graenser::ny(sider, login, opslag));
        self
    }

    /// The bearer token `/metrics` asks for on the public address (decision 109).
    pub fn med_maaletoken(mut self, token: Option<String>) -> Self {
        self.maaletoken = token.filter(|t| !t.trim().is_empty()).map(Arc::from);
        self
    }

    pub fn med_login(mut self, login: login::Logintjenester) -> Self {
        self.login = Arc::new(login);
        self
    }

    /// Failed token requests a minute per client id and per address (0: off; decision 81).
    /// Set after [`AppState::med_graenser`], which restores the defaults.
    pub fn med_token_fejlgraense(mut self, pr_klient: u32, pr_adresse: u32) -> Self {
        let g = &self.graenser;
        let ny = graense::Graenser::ny(g.sider.pr_minut(), g.login.pr_minut(), g.opslag.pr_minut())
            .med_token_fejl(pr_klient, pr_adresse);
        self.graenser = Arc::new(ny);
        self
    }

    pub fn med_statistik_noegle(mut self, noegle: Option<domain::statistik_udtraek::Noegle>) -> Self {
        self.statistik_noegle = noegle;
        self
    }

    pub fn med_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }
}
