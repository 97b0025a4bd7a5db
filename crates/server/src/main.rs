//! `vitas`: serve (default) | migrate | seed-demo | worker | backup | restore | api-klient |
//! abonnent | taelling | opbevaring | udloeb | adgangslog | statistik | webhook-modtager |
//! sundhed. The bulk
//! generator and the benchmarks
//! are `vitas-tools` (crates/tools; decision 103).

use clap::{Parser, Subcommand};
use server::{Application, Config, Drift, open_db, seed_demo_if_empty};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "vitas", version = server::VERSION, about = "VITAS – blanket- og sagssystem for støttet beskæftigelse")]
struct Cli {
    /// Database URL: postgres://… for PostgreSQL; empty for embedded SQLite under --data-dir.
    #[arg(long, env = "VITAS_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Folder for the embedded SQLite database and for finished Excel exports (`eksport/`).
    #[arg(long, env = "VITAS_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Address to serve on.
    #[arg(long, env = "VITAS_ADDR", default_value = "127.0.0.1:8080", global = true)]
    addr: SocketAddr,
    /// Demo mode: seed an empty database with the demo world and offer one-click demo logins.
    /// Default: on for the embedded SQLite database (no --database-url), off for any database
    /// URL; a production database gets demo mode only when asked for (decision 54).
    #[arg(long, env = "VITAS_DEMO", action = clap::ArgAction::Set, global = true)]
    demo: Option<bool>,
    /// The public address links in e-mails start with (default: http://ADDR).
    #[arg(long, env = "VITAS_BASE_URL", global = true)]
    base_url: Option<String>,
    /// `serve` runs the background worker (outbox, jobs) in the same process. Turn it off when
    /// `vitas worker` runs on its own.
    #[arg(long, env = "VITAS_WORKER_I_PROCESSEN", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    worker_i_processen: bool,
    /// Outbox: the wait after a first failed delivery, in milliseconds; it doubles per attempt.
    #[arg(long, env = "VITAS_OUTBOX_GRUNDINTERVAL_MS", default_value_t = 30_000, global = true)]
    outbox_grundinterval_ms: i64,
    /// Outbox: the longest wait between two attempts, in seconds.
    #[arg(long, env = "VITAS_OUTBOX_LOFT_SEK", default_value_t = 3_600, global = true)]
    outbox_loft_sek: i64,
    /// Outbox: how long after it was written a delivery is still tried, in seconds (default
    /// four days); after that it is dead until an administrator replays it.
    #[arg(long, env = "VITAS_OUTBOX_LEVETID_SEK", default_value_t = 4 * 24 * 3_600, global = true)]
    outbox_levetid_sek: i64,
    /// SMTP server e-mails go out through, e.g. smtp://127.0.0.1:2525 (plain, a local sink),
    /// smtp://host:587?tls=required (STARTTLS), smtps://host:465 (TLS), with
    /// user:password@ for credentials. Unset: e-mails wait in the outbox (the demo mailbox
    /// /demo/post shows them).
    #[arg(long, env = "VITAS_SMTP_URL", global = true)]
    smtp_url: Option<String>,
    /// The address e-mails are sent from; the display name is the case's jobcentre.
    #[arg(long, env = "VITAS_AFSENDER_ADRESSE", default_value = "noreply@vitas.example.dk", global = true)]
    afsender_adresse: String,
    /// The external API's rate limit: calls a minute per client (token requests included),
    /// a minute's worth at once at most; above it the API answers 429 with Retry-After.
    /// 0 turns the limit off. Each `vitas serve` process counts on its own.
    #[arg(long, env = "VITAS_API_GRAENSE_PR_MINUT", default_value_t = web::api::graense::STANDARD_PR_MINUT, global = true)]
    api_graense_pr_minut: u32,
    /// Pages a minute per session (or per address without one); above it a Danish 429 with
    /// Retry-After. Logins are limited to 10 a minute per address and DFDG lookups to 10 a
    /// minute per user. 0 turns the page limit off. Each process counts on its own.
    #[arg(long, env = "VITAS_GRAENSE_PR_MINUT", default_value_t = web::graense::SIDER_PR_MINUT, global = true)]
    graense_pr_minut: u32,
    /// Citizen lookups in DFDG a minute per user (0: no limit; a load test turns it off).
    #[arg(long, env = "VITAS_OPSLAG_PR_MINUT", default_value_t = web::graense::OPSLAG_PR_MINUT, global = true)]
    opslag_pr_minut: u32,
    /// Failed token requests a minute per client id on `/api/oauth/token` (a wrong secret or
    /// an unknown client); above it 429 with Retry-After, and the secret is not checked.
    /// 0 turns it off.
    #[arg(long, env = "VITAS_TOKEN_FEJL_PR_MINUT", default_value_t = web::graense::TOKEN_FEJL_PR_KLIENT, global = true)]
    token_fejl_pr_minut: u32,
    /// Failed token requests a minute per caller address (0: off).
    #[arg(long, env = "VITAS_TOKEN_FEJL_PR_ADRESSE", default_value_t = web::graense::TOKEN_FEJL_PR_ADRESSE, global = true)]
    token_fejl_pr_adresse: u32,
    /// VITAS runs behind a reverse proxy it trusts (nginx): the caller's address is the last
    /// one in X-Forwarded-For. Never set it when callers reach VITAS directly: they could
    /// then choose their own address.
    #[arg(long, env = "VITAS_BETROET_PROXY", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    betroet_proxy: bool,
    /// The longest a request may take, in seconds; past it VITAS answers 503 and drops the
    /// work (a transaction under way rolls back).
    #[arg(long, env = "VITAS_TIDSGRAENSE_SEK", default_value_t = 30, global = true)]
    tidsgraense_sek: u64,
    /// The key of the access log's CPR hashes (HMAC-SHA256; at least 32 characters, e.g. from
    /// `openssl rand -hex 32`). Required for serve and worker outside demo mode; every server
    /// and worker must have the same one, and a lost key makes the citizen's extract unable to
    /// find older reads (decision 79). In demo mode without it, a key is made once and kept in
    /// <data-dir>/adgangslog.noegle.
    #[arg(long, env = "VITAS_ADGANGSLOG_NOEGLE", hide_env_values = true, global = true)]
    adgangslog_noegle: Option<String>,
    /// A bearer token that opens `/metrics` on the public address (at least 32 characters, e.g.
    /// from `openssl rand -hex 32`). Without it, and without --metrics-addr, no metrics are
    /// served.
    #[arg(long, env = "VITAS_METRICS_TOKEN", hide_env_values = true, global = true, value_parser = maaletoken)]
    metrics_token: Option<String>,
    /// Serve `/metrics` without a token on this address of its own (e.g. 127.0.0.1:9100, or a
    /// private network's address), apart from the pages.
    #[arg(long, env = "VITAS_METRICS_ADDR", global = true)]
    metrics_addr: Option<SocketAddr>,

    /// A read replica of the database (postgres://…, e.g. a streaming replica on another
    /// host): the lists, Søg, the front page's counters and the Excel exports read from it;
    /// every write and every other page use --database-url. Unset: everything reads the
    /// primary. See docs/scale-out.md.
    #[arg(long, env = "VITAS_READ_DATABASE_URL", global = true)]
    read_database_url: Option<String>,
    /// After a user's write, that user's lists read the primary this many seconds, so the
    /// change is on the next page however the replica lags (read-your-writes; decision 116).
    #[arg(long, env = "VITAS_READ_PRIMARY_SEK", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3_600), global = true)]
    read_primary_sek: u64,
    /// STAR's key for the statistics extract's citizen pseudonyms (HMAC-SHA256), as hex or
    /// base64, at least 32 bytes (e.g. `openssl rand -hex 32`, kept by STAR). Used by
    /// `vitas statistik udtraek` and by the API's extract; without it both refuse: there is
    /// no default key (docs/statistik-udtraek.md).
    #[arg(long, env = "VITAS_STATISTIK_NOEGLE", hide_env_values = true, global = true)]
    statistik_noegle: Option<String>,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "VITAS_LOG_JSON", default_value_t = false, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Option<Kommando>,
}

#[derive(Subcommand, Debug)]
enum Kommando {
    /// Serve the web application (the default).
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Seed the demo world into an empty database and exit.
    SeedDemo,
    /// Run the background worker on its own.
    Worker,
    /// Take a consistent backup of the database while VITAS runs: SQLite's `VACUUM INTO`, or
    /// `pg_dump --format=custom` for PostgreSQL (docs/operations-backup.md).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        til: PathBuf,
    },
    /// Put a backup in place of the database. Refused while a process has the database open,
    /// and for a database that is not empty unless --erstat (docs/operations-backup.md).
    Restore {
        /// The backup file (from `vitas backup`).
        #[arg(long)]
        fra: PathBuf,
        /// Overwrite a database that is not empty.
        #[arg(long)]
        erstat: bool,
    },
    /// The access log of reads of citizens' data (storage::adgangslog).
    Adgangslog {
        #[command(subcommand)]
        hvad: Adgangslog,
    },
    /// Retention of personal data (docs/decisions.md 75–79): the rules, a pass now, holds and
    /// the deletion log.
    Opbevaring {
        #[command(subcommand)]
        hvad: Opbevaring,
    },
    /// Grants past their end date (decision 88): close them now, as the worker does every hour.
    Udloeb {
        #[command(subcommand)]
        hvad: Udloeb,
    },
    /// Statistics for STAR: the pseudonymised extract for the statistical data warehouse.
    Statistik {
        #[command(subcommand)]
        hvad: Statistik,
    },
    /// Compare the counts behind the list totals with the cases (storage::taelling).
    Taelling {
        /// Recompute them from the cases when they differ. Only while nothing else writes.
        #[arg(long)]
        genopbyg: bool,
    },
    /// Subscribe a municipal system to a jobcentre's notifications by webhook (the same as
    /// `vitas abonnent opret`).
    Abonner(NytAbonnement),
    /// Webhook subscribers: create, list, give a new secret, remove.
    Abonnent {
        #[command(subcommand)]
        hvad: Abonnent,
    },
    /// Run a webhook receiver that checks `X-Vitas-Signatur` in constant time, refuses a
    /// timestamp more than five minutes off and an id it already has, and prints every
    /// notification it accepts: a municipal IT team's first try of the integration.
    WebhookModtager {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:9090")]
        lyt: SocketAddr,
        /// The secret given to `vitas abonnent opret` (or `vitas abonner`).
        #[arg(long, env = "VITAS_WEBHOOK_HEMMELIGHED")]
        hemmelighed: String,
        /// Also append every accepted notification as a JSON line to this file.
        #[arg(long)]
        log: Option<PathBuf>,
    },
    /// Clients of the external API (the municipal case systems; docs/api.md).
    ApiKlient {
        #[command(subcommand)]
        hvad: ApiKlient,
    },
    /// Ask the server running at --addr (VITAS_ADDR) for /healthz; exit code 0 when it
    /// answers 200, 1 otherwise. The container's health check (Containerfile, decision 122).
    Sundhed,
}

#[derive(clap::Args, Debug)]
struct NytAbonnement {
    /// The jobcentre's municipality code, e.g. 0101.
    #[arg(long)]
    jobcenter: String,
    /// Where the notifications are POSTed: https://…; plain http:// only to this machine
    /// (localhost, 127.0.0.1, [::1]); no user:password in it.
    #[arg(long)]
    url: String,
    /// The HMAC key the subscriber verifies `X-Vitas-Signatur` with (at least 16 characters,
    /// e.g. from `openssl rand -hex 32`).
    #[arg(long, env = "VITAS_WEBHOOK_HEMMELIGHED")]
    hemmelighed: String,
}

#[derive(Subcommand, Debug)]
enum Abonnent {
    /// Subscribe a municipal system to a jobcentre's notifications by webhook.
    Opret(NytAbonnement),
    /// Every subscriber: id, jobcentre, address, active or removed. Never the secret.
    Liste,
    /// Give a subscriber a new HMAC secret; every delivery from now on is signed with it.
    RoterHemmelighed {
        /// The subscriber's id (`vitas abonnent liste`).
        #[arg(long)]
        id: i64,
        /// The new secret (at least 16 characters).
        #[arg(long, env = "VITAS_WEBHOOK_HEMMELIGHED")]
        hemmelighed: String,
    },
    /// Remove a subscriber: it gets no more notifications, and its waiting deliveries are
    /// cancelled. Its row and its delivery history stay.
    Slet {
        /// The subscriber's id (`vitas abonnent liste`).
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
enum ApiKlient {
    /// Create a client and print its id and secret. The secret is shown this once only.
    Opret {
        /// The municipal system's name, e.g. "KMD Momentum, København".
        #[arg(long, env = "VITAS_API_KLIENT_NAVN")]
        navn: String,
        /// The kommunekode of a jobcentre whose cases the client may read (repeat for more;
        /// with the variable: comma-separated). Required unless --statistik.
        #[arg(
            long = "jobcenter",
            env = "VITAS_API_KLIENT_JOBCENTRE",
            value_delimiter = ',',
            required_unless_present = "statistik"
        )]
        jobcentre: Vec<String>,
        /// Give the client the scope `statistik`: the pseudonymised statistics extract of the
        /// whole country (STAR's data warehouse; docs/statistik-udtraek.md).
        #[arg(long)]
        statistik: bool,
        /// The client's access ends this many days from now; its tokens never outlive it.
        /// Without it the client does not expire.
        #[arg(long, env = "VITAS_API_KLIENT_UDLOEBER_DAGE",
              value_parser = clap::builder::RangedI64ValueParser::<i64>::new().range(1..=36_500))]
        udloeber_dage: Option<i64>,
    },
    /// Every client: client_id, name, scopes, whether it is active, and its expiry. Never a
    /// secret.
    Liste,
    /// Revoke a client: it gets no more tokens, and the tokens it holds stop working at once.
    Tilbagekald {
        /// The client's client_id.
        #[arg(long)]
        klient_id: String,
    },
    /// Give a client a new random secret and print it once. The old secret stops working, and
    /// the client's tokens are revoked.
    Roter {
        /// The client's client_id.
        #[arg(long)]
        klient_id: String,
    },
}

#[derive(Subcommand, Debug)]
enum Statistik {
    /// Write the pseudonymised extract of a period for STAR's statistical data warehouse:
    /// sager.csv, elementer.csv, statusskift.csv and datapackage.json (their schema) in a
    /// folder (docs/statistik-udtraek.md). Reads the database a page at a time.
    Udtraek {
        /// The period's first day (åååå-mm-dd), included.
        #[arg(long)]
        fra: String,
        /// The period's last day (åååå-mm-dd), included.
        #[arg(long)]
        til: String,
        /// The folder to write in; made if missing. Files of an earlier extract there are not
        /// overwritten: the command refuses.
        #[arg(long)]
        ud: PathBuf,
        /// A file holding STAR's key (hex or base64); it wins over VITAS_STATISTIK_NOEGLE.
        #[arg(long)]
        noegle_fil: Option<PathBuf>,
    },
    /// Recompute the rollup behind the statistics dashboard now (the worker does it every
    /// hour; decision 124), and say how long it took.
    Opgoer,
}

#[derive(Subcommand, Debug)]
enum Adgangslog {
    /// Recompute the hash chain and name the first entry that does not match; exit code 1
    /// if one is found.
    Verificer,
}

#[derive(Subcommand, Debug)]
enum Udloeb {
    /// Run one expiry pass now (as the worker does every hour): close every approved grant whose
    /// end date has passed, with DFDG code 15, and notify the jobcentres.
    Koer,
}

#[derive(Subcommand, Debug)]
enum Opbevaring {
    /// Print the retention rules: end state, period, counted from, source.
    Regler,
    /// Run one retention pass now (as the worker does every hour): remove the personal data
    /// of cases past their period, and delete access-log entries past theirs.
    Koer,
    /// Put a hold on a case: its personal data is kept past its period until the hold is
    /// lifted.
    Hold {
        /// The case's VITAS id.
        #[arg(long)]
        sag: i64,
        /// klage (a complaint is being handled) or arkiv (an archive asked to keep it).
        #[arg(long, value_parser = ["klage", "arkiv"])]
        art: String,
    },
    /// Lift a case's hold of a kind.
    Ophaev {
        /// The case's VITAS id.
        #[arg(long)]
        sag: i64,
        /// klage or arkiv.
        #[arg(long, value_parser = ["klage", "arkiv"])]
        art: String,
    },
    /// The deletion log, newest first: when, what, the rule, how many values and rows. It
    /// holds no personal data.
    Log {
        /// How many rows.
        #[arg(long, default_value_t = 50)]
        antal: u64,
    },
}

/// A metrics token is long enough not to be guessed (decision 109); empty means none.
fn maaletoken(s: &str) -> Result<String, String> {
    if s.is_empty() || s.chars().count() >= 32 {
        Ok(s.to_string())
    } else {
        Err("metrics-tokenet skal være mindst 32 tegn (fx fra `openssl rand -hex 32`)".into())
    }
}

impl Cli {
    /// Everything the commands run with, from the flags and the environment.
    fn config(&self) -> Config {
        Config {
            addr: self.addr,
            base_url: self.base_url.clone(),
            api_graense_pr_minut: self.api_graense_pr_minut,
            drift: Drift {
                worker_i_processen: self.worker_i_processen,
                levering: jobs::outbox::Leveringsregler {
                    grundinterval: chrono::Duration::milliseconds(self.outbox_grundinterval_ms.max(1)),
                    loft: chrono::Duration::seconds(self.outbox_loft_sek.max(1)),
                    levetid: chrono::Duration::seconds(self.outbox_levetid_sek.max(1)),
                    ..Default::default()
                },
                // An empty URL (`VITAS_SMTP_URL=`) means no SMTP, like an empty database URL.
                smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
                afsender_adresse: self.afsender_adresse.clone(),
                sider_pr_minut: self.graense_pr_minut,
                opslag_pr_minut: self.opslag_pr_minut,
                token_fejl_pr_klient: self.token_fejl_pr_minut,
                token_fejl_pr_adresse: self.token_fejl_pr_adresse,
                betroet_proxy: self.betroet_proxy,
                tidsgraense: std::time::Duration::from_secs(self.tidsgraense_sek.max(1)),
                maaletoken: self.metrics_token.clone().filter(|t| !t.is_empty()),
                maaleadresse: self.metrics_addr,
                // An empty URL (`VITAS_READ_DATABASE_URL=`) means no replica.
                laese_database_url: self.read_database_url.clone().filter(|u| !u.trim().is_empty()),
                laes_primaer_efter_skrivning: std::time::Duration::from_secs(self.read_primary_sek),
                statistik_noegle: self.statistik_noegle.clone().filter(|n| !n.trim().is_empty()),
            },
            ..Config::for_database(
                self.database_url.clone(),
                self.data_dir.clone(),
                self.demo,
                self.adgangslog_noegle.clone(),
            )
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::start_log(cli.log_json);
    let config = cli.config();
    match cli.command.unwrap_or(Kommando::Serve) {
        Kommando::Serve => serve(config).await,
        Kommando::Migrate => {
            open_db(&config).await?;
            println!("Databasen er opdateret.");
            Ok(())
        }
        Kommando::SeedDemo => seed_demo(&config).await,
        Kommando::Backup { til } => {
            let k = server::sikkerhedskopi::tag(&config, &til).await?;
            println!(
                "Sikkerhedskopien er gemt i {} ({}, {} migreringer) på {:.1} s.",
                k.fil.display(),
                stoerrelse(k.bytes),
                k.migrationer,
                k.varighed.as_secs_f64()
            );
            Ok(())
        }
        Kommando::Restore { fra, erstat } => {
            let k = server::sikkerhedskopi::gendan(&config, &fra, erstat).await?;
            println!(
                "Sikkerhedskopien {} ({}, {} migreringer) er gendannet på {:.1} s. Den næste start af vitas kører de migreringer, der mangler.",
                k.fil.display(),
                stoerrelse(k.bytes),
                k.migrationer,
                k.varighed.as_secs_f64()
            );
            Ok(())
        }
        Kommando::Worker => {
            let db = open_db(&config).await?;
            server::kraev_adgangslog_noegle(&db)?;
            let mut k = config.jobkontekst(db)?;
            if let Some(replika) = server::aaben_replika(&config).await? {
                k = k.med_replika(replika);
            }
            server::worker::run(k).await;
            Ok(())
        }
        Kommando::Abonner(ny) => abonnent(&open_db(&config).await?, Abonnent::Opret(ny)).await,
        Kommando::Abonnent { hvad } => abonnent(&open_db(&config).await?, hvad).await,
        Kommando::Adgangslog { hvad: Adgangslog::Verificer } => adgangslog_verificer(&config).await,
        Kommando::Opbevaring { hvad } => opbevaring(&config, hvad).await,
        Kommando::Udloeb { hvad: Udloeb::Koer } => udloeb(&config).await,
        Kommando::Taelling { genopbyg } => taelling(&config, genopbyg).await,
        Kommando::Statistik { hvad } => statistik(&config, hvad).await,
        Kommando::ApiKlient { hvad } => api_klient(&open_db(&config).await?, hvad).await,
        Kommando::WebhookModtager { lyt, hemmelighed, log } => webhook_modtager(lyt, &hemmelighed, log).await,
        Kommando::Sundhed => sundhed(config.addr).await,
    }
}

/// `vitas sundhed`: exit code 1 when the server does not answer /healthz with 200 (decision 122).
async fn sundhed(addr: SocketAddr) -> anyhow::Result<()> {
    match server::sundhed::tjek(addr, server::sundhed::FRIST).await {
        Ok(()) => {
            println!("VITAS svarer på http://{}/healthz.", server::sundhed::maal(addr));
            Ok(())
        }
        Err(fejl) => {
            eprintln!("Usund: {fejl}.");
            std::process::exit(1);
        }
    }
}

/// `vitas serve`: the web application, with the worker in the same process unless it runs
/// on its own.
async fn serve(config: Config) -> anyhow::Result<()> {
    // The login services: `VITAS_OIDC_{ERHVERV|FKA|MITID}_…` (decision 70).
    let login = web::login::Logintjenester::fra_miljoe(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?;
    let profiler = login.profiler();
    let app = Application::build(config.clone()).await?.med_state(|s| config.med_graenser(s).med_login(login));
    for p in profiler {
        println!("Login ({}): http://{}:{}/log-ind/{}", p.knap(), config.addr.ip(), app.port, p.slug());
    }
    if config.drift.worker_i_processen {
        let mut k = config.jobkontekst(app.db.clone())?;
        if let Some(replika) = app.replika() {
            k = k.med_replika(replika);
        }
        tokio::spawn(async move { server::worker::run(k).await });
    }
    println!("VITAS kører på http://{}:{}/", config.addr.ip(), app.port);
    if config.demo {
        if config.database_url.is_some() {
            tracing::warn!("demo-tilstand er slået til på en database-URL: alle kan logge ind som demo-brugerne");
        }
        println!("Demo-login: http://{}:{}/demo-login", config.addr.ip(), app.port);
        println!("Demo-postkasse: http://{}:{}/demo/post", config.addr.ip(), app.port);
    }
    app.run().await
}

/// `vitas seed-demo`: the demo world and its cases, into an empty database only.
async fn seed_demo(config: &Config) -> anyhow::Result<()> {
    let db = open_db(config).await?;
    if seed_demo_if_empty(&db).await? {
        let antal = storage::demo_sager::seed(&db, chrono::Utc::now()).await?;
        println!("Demo-verdenen er oprettet med {antal} sager.");
    } else {
        println!("Databasen er ikke tom; demo-data blev ikke oprettet.");
    }
    Ok(())
}

/// `vitas adgangslog verificer`: exit code 1 at the first broken link of the chain.
async fn adgangslog_verificer(config: &Config) -> anyhow::Result<()> {
    let db = open_db(config).await?;
    let v = storage::adgangslog::verificer(&db).await?;
    match v.foerste_brud {
        None => {
            println!("Adgangsloggen er hel: {} poster, kæden holder.", v.antal);
            Ok(())
        }
        Some(id) => {
            println!("Adgangsloggen er brudt ved post {id} (post nr. {} i rækkefølgen).", v.antal);
            std::process::exit(1);
        }
    }
}

/// `vitas udloeb koer`: one expiry pass now (decision 88).
async fn udloeb(config: &Config) -> anyhow::Result<()> {
    let db = open_db(config).await?;
    let nu = chrono::Utc::now();
    // The end date is a day in Denmark (decision 88).
    let r = jobs::udloeb::koer(&db, domain::periode::dansk_tid(nu).date(), nu).await?;
    println!(
        "{} udløbne bevillinger lukket med DFDG-kode 15 ({} uændrede, {} fejlede).",
        r.lukket, r.uroert, r.fejlede
    );
    Ok(())
}

/// `vitas taelling`: the counts behind the list totals against the cases, rebuilt on request.
async fn taelling(config: &Config, genopbyg: bool) -> anyhow::Result<()> {
    use sea_orm::TransactionTrait;
    let db = open_db(config).await?;
    let afvigelser = storage::taelling::afvigelser(&db.conn).await?;
    for a in &afvigelser {
        println!("{a}");
    }
    if afvigelser.is_empty() {
        println!("Tællingerne stemmer med sagerne.");
    } else {
        println!("{} grupper afviger fra sagerne.", afvigelser.len());
        if genopbyg {
            let txn = db.conn.begin().await?;
            storage::taelling::genopbyg(&txn).await?;
            txn.commit().await?;
            println!("Tællingerne er beregnet igen fra sagerne.");
        }
    }
    Ok(())
}

/// `vitas statistik …` (issue 12 §3; decisions 128–130).
async fn statistik(config: &Config, hvad: Statistik) -> anyhow::Result<()> {
    match hvad {
        Statistik::Udtraek { fra, til, ud, noegle_fil } => {
            let periode = domain::statistik_udtraek::Periode::parse(&fra, &til)
                .map_err(|f| anyhow::anyhow!("--{}: {}", f.felt, f.besked))?;
            // The key before the database: no key, no work.
            let noegle = server::statistik::noegle(config, noegle_fil.as_deref())?;
            let db = open_db(config).await?;
            let u = server::statistik::udtraek(&db, &periode, &noegle, &ud, chrono::Utc::now()).await?;
            for f in &u.filer {
                if f.navn == server::statistik::DATAPAKKE {
                    println!("{}: {}", f.navn, stoerrelse(f.bytes));
                } else {
                    println!("{}: {} rækker, {}", f.navn, f.raekker, stoerrelse(f.bytes));
                }
            }
            println!(
                "Udtrækket for {} til {} er skrevet i {} på {:.1} s.",
                periode.fra,
                periode.til,
                ud.display(),
                u.varighed.as_secs_f64()
            );
            Ok(())
        }
        Statistik::Opgoer => {
            let db = open_db(config).await?;
            let r = jobs::statistik::koer(&db, chrono::Utc::now()).await?;
            println!(
                "Statistikken er opgjort: {} sager læst, {} rækker skrevet på {:.1} s.",
                r.sager,
                r.raekker,
                r.varighed_ms as f64 / 1000.0
            );
            Ok(())
        }
    }
}

/// `vitas webhook-modtager`: a receiver that prints each notification it accepts.
async fn webhook_modtager(lyt: SocketAddr, hemmelighed: &str, log: Option<PathBuf>) -> anyhow::Result<()> {
    let mut m = server::modtager::Modtager::ny(hemmelighed);
    if let Some(sti) = log {
        m = m.med_log(&sti).await?;
    }
    let k = m.start(lyt).await?;
    println!("Webhook-modtageren lytter på http://{}/ (Ctrl-C stopper den).", k.addr);
    let mut set = 0;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {}
        }
        for n in m.modtaget().iter().skip(set) {
            println!("{}  sekvens {}  sag {}", n.id, n.sekvens, n.eksternt_id);
        }
        set = m.modtaget().len();
    }
    k.stop().await;
    Ok(())
}

/// `vitas opbevaring …` (docs/decisions.md 75–79).
async fn opbevaring(config: &Config, hvad: Opbevaring) -> anyhow::Result<()> {
    use storage::opbevaring::HoldArt;
    let art = |a: &str| HoldArt::fra_kode(a).ok_or_else(|| anyhow::anyhow!("ukendt art af hold: {a}"));
    match hvad {
        Opbevaring::Regler => {
            for r in domain::opbevaring::REGLER {
                println!("{}: {} år, regnet fra {}. Kilde: {}", r.kode, r.aar, r.fra.navn(), r.kilde);
            }
            println!("adgangslog: {} år fra læsningen (docs/decisions.md 79).", domain::opbevaring::ADGANGSLOG_AAR);
            Ok(())
        }
        Opbevaring::Koer => {
            let db = open_db(config).await?;
            let nu = chrono::Utc::now();
            let r = jobs::opbevaring::koer(&db, nu.date_naive(), nu).await?;
            println!(
                "Persondata fjernet fra {} sager ({} fejlede); {} poster i adgangsloggen slettet.",
                r.sager, r.fejlede, r.adgangslog
            );
            Ok(())
        }
        Opbevaring::Hold { sag, art: a } => {
            let db = open_db(config).await?;
            match storage::opbevaring::saet_hold(&db, sag, art(&a)?, chrono::Utc::now()).await {
                Ok(id) => {
                    println!("Sag {sag} har hold {id} ({a}); dens persondata bliver, til holdet ophæves.");
                    Ok(())
                }
                Err(storage::StorageError::IkkeFundet) => anyhow::bail!("sag {sag} findes ikke"),
                Err(e) => Err(e.into()),
            }
        }
        Opbevaring::Ophaev { sag, art: a } => {
            let db = open_db(config).await?;
            let n = storage::opbevaring::ophaev_hold(&db, sag, art(&a)?, chrono::Utc::now()).await?;
            println!("{n} hold ({a}) på sag {sag} er ophævet.");
            Ok(())
        }
        Opbevaring::Log { antal } => {
            let db = open_db(config).await?;
            for s in storage::opbevaring::log(&db.conn, antal).await? {
                println!(
                    "{} {} {} regel {}: {} værdier, {} rækker{}",
                    s.tidspunkt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    s.art,
                    s.sag_id.map(|i| format!("sag {i}")).unwrap_or_default(),
                    s.regel,
                    s.felter,
                    s.raekker,
                    s.til_log_id.map(|i| format!(", til post {i}")).unwrap_or_default(),
                );
            }
            Ok(())
        }
    }
}

/// `vitas api-klient …`. A secret is printed once, when it is made; nothing else prints one.
async fn api_klient(db: &storage::Db, hvad: ApiKlient) -> anyhow::Result<()> {
    let nu = chrono::Utc::now();
    match hvad {
        ApiKlient::Opret { navn, jobcentre, statistik, udloeber_dage } => {
            let udloeber = udloeber_dage.map(|d| nu + chrono::Duration::days(d));
            let (klient, hemmelighed) =
                dansk(storage::api::opret_klient_for(db, &navn, &jobcentre, statistik, udloeber, nu).await, "")?;
            println!("Klienten »{}« er oprettet med scopes: {}", klient.navn, klient.scopes.join(" "));
            println!("client_id:     {}", klient.klient_id);
            println!("client_secret: {hemmelighed}");
            println!("udløber:       {}", udloeb_tekst(klient.udloeber));
            println!("Gem hemmeligheden nu: VITAS gemmer kun dens hash og kan ikke vise den igen.");
        }
        ApiKlient::Liste => {
            let klienter = storage::api::klienter(db).await?;
            if klienter.is_empty() {
                println!("Der er ingen API-klienter.");
            }
            for k in klienter {
                let tilstand = match (k.aktiv, k.udloeber.is_some_and(|u| u <= nu)) {
                    (false, _) => "tilbagekaldt",
                    (true, true) => "udløbet",
                    (true, false) => "aktiv",
                };
                println!(
                    "{}\t{}\t{}\t{}\tudløber: {}",
                    k.klient_id,
                    k.navn,
                    k.scopes.join(" "),
                    tilstand,
                    udloeb_tekst(k.udloeber)
                );
            }
        }
        ApiKlient::Tilbagekald { klient_id } => {
            let t = dansk(storage::api::tilbagekald(db, &klient_id).await, &format!("API-klienten {klient_id}"))?;
            if t.var_aktiv {
                println!(
                    "Klienten »{}« ({klient_id}) er tilbagekaldt. {} adgangstokens holdt op med at virke.",
                    t.navn, t.tokens
                );
            } else {
                println!("Klienten »{}« ({klient_id}) var allerede tilbagekaldt.", t.navn);
            }
        }
        ApiKlient::Roter { klient_id } => {
            let r = dansk(storage::api::roter(db, &klient_id).await, &format!("API-klienten {klient_id}"))?;
            println!("Klienten »{}« har fået en ny hemmelighed. Den gamle virker ikke længere.", r.navn);
            println!("{} adgangstokens holdt op med at virke; klienten skal hente et nyt.", r.tokens);
            println!("client_id:     {klient_id}");
            println!("client_secret: {}", r.hemmelighed);
            println!("udløber:       {}", udloeb_tekst(r.udloeber));
            println!("Gem hemmeligheden nu: VITAS gemmer kun dens hash og kan ikke vise den igen.");
        }
    }
    Ok(())
}

/// `vitas abonnent …` (and `vitas abonner`). The secret is never printed.
async fn abonnent(db: &storage::Db, hvad: Abonnent) -> anyhow::Result<()> {
    match hvad {
        Abonnent::Opret(NytAbonnement { jobcenter, url, hemmelighed }) => {
            let a = dansk(
                storage::outbox::opret_abonnent(db, &jobcenter, &url, &hemmelighed, chrono::Utc::now()).await,
                "",
            )?;
            println!("Abonnent {} modtager nu notifikationer for jobcenter {} på {}.", a.id, a.jobcenter_kode, a.url);
        }
        Abonnent::Liste => {
            let alle = storage::outbox::abonnenter(db).await?;
            if alle.is_empty() {
                println!("Der er ingen webhook-abonnenter.");
            }
            for a in alle {
                let tilstand = if a.aktiv { "aktiv" } else { "slettet" };
                println!("{}\tjobcenter {}\t{}\t{}", a.id, a.jobcenter_kode, a.url, tilstand);
            }
        }
        Abonnent::RoterHemmelighed { id, hemmelighed } => {
            let a = dansk(
                storage::outbox::roter_abonnent_hemmelighed(db, id, &hemmelighed).await,
                &format!("Abonnent {id}"),
            )?;
            println!(
                "Abonnent {} ({}) har fået en ny hemmelighed. Alle leveringer signeres med den fra nu af, også dem, der venter.",
                a.id, a.url
            );
        }
        Abonnent::Slet { id } => {
            let s = dansk(storage::outbox::slet_abonnent(db, id).await, &format!("Abonnent {id}"))?;
            if s.var_aktiv {
                println!(
                    "Abonnent {id} er slettet og får ikke flere notifikationer. {} ventende leveringer er annulleret.",
                    s.annullerede
                );
            } else {
                println!("Abonnent {id} var allerede slettet.");
            }
        }
    }
    Ok(())
}

/// A storage result with its refusals as Danish messages (`hvem` names what was not found).
fn dansk<T>(r: Result<T, storage::StorageError>, hvem: &str) -> anyhow::Result<T> {
    match r {
        Ok(v) => Ok(v),
        Err(storage::StorageError::Ugyldig(fejl)) => {
            let besked: Vec<String> = fejl.into_iter().map(|f| f.besked).collect();
            anyhow::bail!("{}", besked.join(" "))
        }
        Err(storage::StorageError::IkkeFundet) => anyhow::bail!("{hvem} findes ikke."),
        Err(e) => Err(e.into()),
    }
}

/// A file size for a person: "12,3 MB".
fn stoerrelse(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0).replace('.', ",")
}

fn udloeb_tekst(udloeber: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match udloeber {
        Some(u) => domain::periode::dansk_tid(u).format("%d-%m-%Y kl. %H:%M").to_string(),
        None => "aldrig".into(),
    }
}
