//! `vitas`: serve (default) | migrate | seed-demo | worker.

use clap::{Parser, Subcommand};
use server::{Application, Config, open_db, seed_demo_if_empty};
use std::net::SocketAddr;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

#[derive(Parser, Debug)]
#[command(name = "vitas", version, about = "VITAS – blanket- og sagssystem for støttet beskæftigelse")]
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
    #[arg(long, env = "VITAS_DEMO", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    demo: bool,
    /// The public address links in e-mails start with (default: http://ADDR).
    #[arg(long, env = "VITAS_BASE_URL", global = true)]
    base_url: Option<String>,
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
    /// Generate N realistic cases for benchmarks (issue 3 §5), seeding the demo world first
    /// if the database is empty, and exit.
    SeedBulk {
        /// How many cases to add.
        #[arg(long, env = "VITAS_BULK_CASES")]
        cases: u64,
        /// Seed of every random choice; the same seed on the same database gives the same rows.
        #[arg(long, env = "VITAS_BULK_SEED", default_value_t = 1)]
        seed: u64,
        /// Cases per transaction.
        #[arg(long, env = "VITAS_BULK_BATCH", default_value_t = storage::bulk::STANDARD_BATCH,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        batch: usize,
    },
    /// Compare the counts behind the list totals with the cases (storage::taelling).
    Taelling {
        /// Recompute them from the cases when they differ. Only while nothing else writes.
        #[arg(long)]
        genopbyg: bool,
    },
    /// Benchmarks that print their figures as ratios against a baseline of the same run.
    Bench {
        #[command(subcommand)]
        hvad: Bench,
    },
}

#[derive(Subcommand, Debug)]
enum Bench {
    /// The ten most common list queries (app and raw SQL), the front-page counters and an
    /// Excel export, on the database --database-url names (issue 3 §5).
    Lists {
        /// Timed runs per query.
        #[arg(long, default_value_t = 100)]
        runs: usize,
        /// Untimed runs first.
        #[arg(long, default_value_t = 5)]
        warmup: usize,
        /// Rows in the Excel export (0: no export).
        #[arg(long, default_value_t = 100_000)]
        excel_rows: u64,
    },
    /// Rendering the rejection letter as PDF, against a one-line document through the same
    /// typst world (issue 4 §6). Needs no database.
    Pdf {
        /// Timed runs per document.
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Untimed runs first.
        #[arg(long, default_value_t = 5)]
        warmup: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_env("VITAS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    if cli.log_json {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let config = Config {
        // An empty URL (`VITAS_DATABASE_URL=`) means the embedded SQLite, as the help says.
        database_url: cli.database_url.filter(|u| !u.trim().is_empty()),
        data_dir: cli.data_dir,
        addr: cli.addr,
        demo: cli.demo,
        base_url: cli.base_url,
    };
    match cli.command.unwrap_or(Kommando::Serve) {
        Kommando::Serve => {
            let app = Application::build(config.clone()).await?;
            let kontekst = jobs::Kontekst { db: app.db.clone(), data_dir: config.data_dir.clone() };
            tokio::spawn(async move { server::worker::run(kontekst).await });
            println!("VITAS kører på http://{}:{}/", config.addr.ip(), app.port);
            if config.demo {
                println!("Demo-login: http://{}:{}/demo-login", config.addr.ip(), app.port);
            }
            app.run().await
        }
        Kommando::Migrate => {
            open_db(&config).await?;
            println!("Databasen er opdateret.");
            Ok(())
        }
        Kommando::SeedDemo => {
            let db = open_db(&config).await?;
            if seed_demo_if_empty(&db).await? {
                println!("Demo-verdenen er oprettet.");
            } else {
                println!("Databasen er ikke tom; demo-data blev ikke oprettet.");
            }
            Ok(())
        }
        Kommando::Worker => {
            let db = open_db(&config).await?;
            server::worker::run(jobs::Kontekst { db, data_dir: config.data_dir }).await;
            Ok(())
        }
        Kommando::SeedBulk { cases, seed, batch } => {
            let db = open_db(&config).await?;
            let bar = indicatif::ProgressBar::new(cases);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {human_pos}/{human_len} sager · {per_sec} · {elapsed_precise} gået, ca. {eta} tilbage",
                )?
                .progress_chars("█▉▊▋▌▍▎▏ "),
            );
            let ind = storage::bulk::Indstillinger { sager: cases, seed, batch, nu: chrono::Utc::now() };
            let res = storage::bulk::generer(&db, &ind, |n| bar.inc(n)).await?;
            bar.finish();
            println!(
                "Oprettede {} sager ({} tillægsbevillinger) og {} sagselementer på {:.1} s: {:.0} sager/s.",
                res.sager,
                res.tillaegsbevillinger,
                res.elementer,
                res.sekunder,
                res.sager_pr_sekund()
            );
            println!(
                "Virksomheder: {} med {} P-enheder; nye borgere: {}; nye teams: {}; nye sagsbehandlere: {}.",
                res.virksomheder, res.p_enheder, res.borgere, res.nye_teams, res.nye_sagsbehandlere
            );
            Ok(())
        }
        Kommando::Taelling { genopbyg } => {
            use sea_orm::TransactionTrait;
            let db = open_db(&config).await?;
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
        Kommando::Bench { hvad: Bench::Lists { runs, warmup, excel_rows } } => {
            let db = open_db(&config).await?;
            let ind = server::bench::Indstillinger { runder: runs, opvarmning: warmup, excel_raekker: excel_rows };
            server::bench::lister(&db, &ind).await
        }
        Kommando::Bench { hvad: Bench::Pdf { runs, warmup } } => server::bench::pdf(runs, warmup),
    }
}
