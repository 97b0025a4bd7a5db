//! `vitas-tools`: seed-bulk | bench (decision 103). The bulk generator and the benchmarks,
//! kept out of the production `vitas` binary; they open the database as `vitas` does
//! (`server::open_db`), with the same options and `VITAS_…` variables.

use clap::{Parser, Subcommand};
use server::{Config, open_db};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "vitas-tools", version, about = "VITAS' værktøjer: massedata og benchmarks (ikke til produktion)")]
struct Cli {
    /// Database URL: postgres://… for PostgreSQL; empty for embedded SQLite under --data-dir.
    #[arg(long, env = "VITAS_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Folder for the embedded SQLite database.
    #[arg(long, env = "VITAS_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Demo mode, as `vitas` reads it: on for the embedded SQLite database, off for a database
    /// URL unless asked for. Here it only decides where the access log's key comes from.
    #[arg(long, env = "VITAS_DEMO", action = clap::ArgAction::Set, global = true)]
    demo: Option<bool>,
    /// The key of the access log's CPR hashes, as `vitas` takes it (decision 79).
    #[arg(long, env = "VITAS_ADGANGSLOG_NOEGLE", hide_env_values = true, global = true)]
    adgangslog_noegle: Option<String>,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "VITAS_LOG_JSON", default_value_t = false, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Kommando,
}

#[derive(Subcommand, Debug)]
enum Kommando {
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
        #[arg(long, env = "VITAS_BULK_BATCH", default_value_t = tools::bulk::STANDARD_BATCH,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        batch: usize,
        /// Number the new citizens from N (of the 73 million the CPR walk holds) instead of
        /// after the citizens there are. Lets a second generator run beside a first one on
        /// PostgreSQL, e.g. `--seed 2 --borger-fra 30000000`, without the two drawing the
        /// same CPR numbers.
        #[arg(long, value_parser = clap::value_parser!(u64).range(..tools::bulk::CPR_KAPACITET))]
        borger_fra: Option<u64>,
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
        /// Instead of the ten chosen lists: N list pages drawn at random from --seed (role,
        /// list, filters, sort, page), timed through HTTP beside their raw SQL (issue 15 §3).
        #[arg(long)]
        tilfaeldige: Option<usize>,
        /// Seed of the random draw.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// With --tilfaeldige: users at once for the throughput runs, e.g. 16,64 (0: none).
        #[arg(long, value_delimiter = ',', default_values_t = [16, 64])]
        samtidige: Vec<usize>,
        /// With --tilfaeldige: seconds per throughput run.
        #[arg(long, default_value_t = 20)]
        sekunder: u64,
    },
    /// Drain webhook deliveries to a local receiver: rate and claim latency against the same
    /// POSTs without a database (issue 4 §8). Use a scratch database.
    Outbox {
        /// Deliveries to drain.
        #[arg(long, default_value_t = 20_000)]
        antal: u64,
        /// Workers draining side by side.
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Rows per claim.
        #[arg(long, default_value_t = 100)]
        batch: u64,
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
    /// The citizen's extract (Art. 15) at a large access log, beside its raw SQL (issue 14 §3).
    /// Fills the access log with generated rows: PostgreSQL, and a scratch database.
    Indsigt {
        /// Entries in the access log to time at (filled up with generated rows).
        #[arg(long, default_value_t = 10_000_000)]
        poster: u64,
        /// Citizens the generated rows name.
        #[arg(long, default_value_t = 200_000)]
        borgere: u64,
        /// Extracts to time.
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Seed of the citizens drawn.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Applications the whole way over HTTP (draft, five steps, send, hearing, grant, the
    /// company's approval) against the same writes straight through the repository (issue 15
    /// §4). Writes cases into the database: use a scratch database.
    Skriv {
        /// Applications to take the whole way.
        #[arg(long, default_value_t = 200)]
        antal: u64,
        /// Application paths running side by side.
        #[arg(long, default_value_t = 16)]
        samtidige: usize,
    },
    /// The statistics dashboard drawn at random from --seed (user, period, schemes, area),
    /// timed through HTTP beside the raw aggregate SQL over the cases (issue 12 §2). Runs the
    /// rollup first if there is none (or with --opgoer), and times it.
    Statistik {
        /// Dashboards to draw and time.
        #[arg(long, default_value_t = 200)]
        antal: usize,
        /// Timed fetches per dashboard.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Untimed dashboards first.
        #[arg(long, default_value_t = 10)]
        warmup: usize,
        /// Of the drawn dashboards, how many are also timed as raw SQL (PostgreSQL only).
        #[arg(long, default_value_t = 20)]
        raa: usize,
        /// Seed of the random draw.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Run (and time) the rollup even when one exists.
        #[arg(long)]
        opgoer: bool,
    },
}

impl Cli {
    /// What `server::open_db` needs; the tools serve nothing, so the rest is `vitas`' default.
    fn config(&self) -> Config {
        Config::for_database(
            self.database_url.clone(),
            self.data_dir.clone(),
            self.demo,
            self.adgangslog_noegle.clone(),
        )
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::start_log(cli.log_json);
    let config = cli.config();
    match cli.command {
        Kommando::SeedBulk { cases, seed, batch, borger_fra } => {
            seed_bulk(&config, cases, seed, batch, borger_fra).await
        }
        Kommando::Bench { hvad } => bench(&config, hvad).await,
    }
}

/// `vitas-tools seed-bulk`: N generated cases for the benchmarks, with a progress bar.
async fn seed_bulk(
    config: &Config,
    cases: u64,
    seed: u64,
    batch: usize,
    borger_fra: Option<u64>,
) -> anyhow::Result<()> {
    let db = open_db(config).await?;
    let bar = indicatif::ProgressBar::new(cases);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {human_pos}/{human_len} sager · {per_sec} · {elapsed_precise} gået, ca. {eta} tilbage",
        )?
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    let ind = tools::bulk::Indstillinger { sager: cases, seed, batch, nu: chrono::Utc::now(), borger_fra };
    let res = tools::bulk::generer(&db, &ind, |n| bar.inc(n)).await?;
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

/// `vitas-tools bench …`: each benchmark with its own settings.
async fn bench(config: &Config, hvad: Bench) -> anyhow::Result<()> {
    match hvad {
        Bench::Lists { runs, warmup, excel_rows, tilfaeldige, seed, samtidige, sekunder } => {
            let db = open_db(config).await?;
            if let Some(antal) = tilfaeldige {
                let ind = tools::bench_tilfaeldig::Indstillinger {
                    antal,
                    seed,
                    runder: runs,
                    opvarmning: warmup,
                    samtidige: samtidige.into_iter().filter(|c| *c > 0).collect(),
                    sekunder,
                };
                return tools::bench_tilfaeldig::koer(&db, &ind).await;
            }
            let ind = tools::bench::Indstillinger { runder: runs, opvarmning: warmup, excel_raekker: excel_rows };
            tools::bench::lister(&db, &ind).await
        }
        Bench::Outbox { antal, workers, batch } => {
            let db = open_db(config).await?;
            tools::bench_outbox::koer(&db, &tools::bench_outbox::Indstillinger { antal, workers, batch }).await
        }
        Bench::Pdf { runs, warmup } => tools::bench::pdf(runs, warmup),
        Bench::Indsigt { poster, borgere, runs, seed } => {
            let db = tools::med_midlertidig_noegle(open_db(config).await?);
            let ind = tools::bench_indsigt::Indstillinger { poster, borgere, runs, seed };
            tools::bench_indsigt::koer(&db, &ind).await
        }
        Bench::Statistik { antal, runs, warmup, raa, seed, opgoer } => {
            let db = open_db(config).await?;
            let ind =
                tools::bench_statistik::Indstillinger { antal, seed, runder: runs, opvarmning: warmup, raa, opgoer };
            tools::bench_statistik::koer(&db, &ind).await
        }
        Bench::Skriv { antal, samtidige } => {
            let db = open_db(config).await?;
            tools::bench_skriv::koer(&db, &tools::bench_skriv::Indstillinger { antal, samtidige }).await
        }
    }
}
