//! Work beside a request. Every job kind of the `job` table is registered in ONE place,
//! [`koer_job`] (crates.io's BackgroundJob habit, CONVENTIONS.md): today the Excel export of a
//! list (issue 3 §4); the outbox kinds of issue 4 join the same `match`.
//!
//! The worker (crates/server/src/worker.rs) calls [`koer_ventende`] to claim due jobs and run
//! them, and [`ryd_op`] to give up crashed jobs and remove old ones with their files.

pub mod eksport;
pub mod epost;
pub mod opbevaring;
pub mod outbox;
pub mod pdf;
pub mod statistik;
pub mod udloeb;

use chrono::{DateTime, Duration, Utc};
use std::path::{Path, PathBuf};
use storage::entity::job;
use storage::{Db, StorageError};

/// What a job needs from its surroundings.
#[derive(Clone)]
pub struct Kontekst {
    /// The primary: every write, and every read that is not an export's rows.
    pub db: Db,
    /// The read replica an export's rows are read from (`VITAS_READ_DATABASE_URL`, issue 11
    /// §5); None: the primary. Chosen in [`Kontekst::laese_db`] only.
    pub replika: Option<Db>,
    /// `Config.data_dir`: where job results (export files) are kept.
    pub data_dir: PathBuf,
    /// The HTTP client webhooks go out through (one connection pool for the worker); it
    /// follows no redirects (`outbox::webhook_klient`).
    pub http: reqwest::Client,
    /// How outbox deliveries are retried.
    pub regler: outbox::Leveringsregler,
    /// The SMTP transport e-mails go out through; None: not configured, and `email` rows
    /// wait in the outbox (`outbox::koer` does not claim them).
    pub epost: Option<std::sync::Arc<epost::Epost>>,
}

impl Kontekst {
    pub fn ny(db: Db, data_dir: PathBuf) -> Self {
        Kontekst {
            db,
            replika: None,
            data_dir,
            http: outbox::webhook_klient(),
            regler: outbox::Leveringsregler::default(),
            epost: None,
        }
    }

    /// Exports read their rows from `replika` (decision 115).
    pub fn med_replika(mut self, replika: Db) -> Self {
        self.replika = Some(replika);
        self
    }

    /// The database a job reads its rows from: the replica if there is one, and the primary
    /// when the order asks for it (its user had just written; decision 116).
    pub fn laese_db(&self, primaer: bool) -> &Db {
        match &self.replika {
            Some(r) if !primaer => r,
            _ => &self.db,
        }
    }

    pub fn med_epost(mut self, epost: epost::Epost) -> Self {
        self.epost = Some(std::sync::Arc::new(epost));
        self
    }

    pub fn med_regler(mut self, regler: outbox::Leveringsregler) -> Self {
        self.regler = regler;
        self
    }
}

/// Finished and failed jobs, and their files, are kept this long (docs/decisions.md 28).
pub const OPBEVARING: Duration = Duration::hours(24);

#[derive(Debug, thiserror::Error)]
pub enum JobFejl {
    #[error("ukendt jobart: {0}")]
    UkendtArt(String),
    #[error(transparent)]
    Eksport(#[from] eksport::EksportFejl),
}

impl JobFejl {
    /// The Danish message the user sees on a failed job; the cause goes to the log.
    pub fn besked(&self) -> &'static str {
        match self {
            // Issue 11 §4: a full disk is not the list's fault; say so (decision 121).
            JobFejl::Eksport(e) if e.er_pladsmangel() => eksport::PLADSMANGEL,
            JobFejl::Eksport(eksport::EksportFejl::Excel(_)) => {
                "Listen kunne ikke skrives som Excel-fil, fordi den har for mange rækker eller for lange felter til Excel. Gør udvalget mindre med filtrene, og prøv igen."
            }
            _ => "Der opstod en fejl, så Excel-filen blev ikke lavet. Prøv at bestille den igen.",
        }
    }
}

/// Run one claimed job by its kind. Returns what to store as its `resultat`.
#[tracing::instrument(skip_all, fields(job_id = j.id, art = %j.art))]
pub async fn koer_job(k: &Kontekst, j: &job::Model) -> Result<Option<String>, JobFejl> {
    match j.art.as_str() {
        eksport::ART => Ok(Some(eksport::koer(k, j).await?)),
        anden => Err(JobFejl::UkendtArt(anden.to_string())),
    }
}

/// Claim up to `n` due jobs and run them one after the other. Returns how many ran.
#[tracing::instrument(skip_all)]
pub async fn koer_ventende(k: &Kontekst, n: u64) -> Result<u64, StorageError> {
    let jobs = storage::job::claim(&k.db, n, Utc::now()).await?;
    let antal = jobs.len() as u64;
    for j in jobs {
        match koer_job(k, &j).await {
            Ok(resultat) => {
                storage::job::finish(&k.db, &j, resultat.as_deref(), Utc::now()).await?;
                tracing::info!(job = j.id, art = %j.art, "job færdigt");
            }
            Err(e) => {
                // The cause is logged; the payload never is (a list filter can hold a CPR).
                tracing::warn!(job = j.id, art = %j.art, fejl = %e, "job fejlede");
                storage::job::fail(&k.db, &j, e.besked(), Utc::now()).await?;
            }
        }
    }
    Ok(antal)
}

/// The files a job left behind, by kind.
fn filer(data_dir: &Path, j: &job::Model) -> Vec<PathBuf> {
    match j.art.as_str() {
        eksport::ART => vec![eksport::mappe(data_dir).join(eksport::filnavn(j))],
        _ => vec![],
    }
}

/// Give up jobs that crashed too often, and remove jobs (and files) older than
/// [`OPBEVARING`]. Returns how many jobs were removed.
pub async fn ryd_op(k: &Kontekst, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    storage::job::opgiv_forladte(&k.db, nu).await?;
    let gamle = storage::job::udloebne(&k.db, nu - OPBEVARING).await?;
    for j in &gamle {
        for f in filer(&k.data_dir, j) {
            match tokio::fs::remove_file(&f).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(job = j.id, fejl = %e, "jobfilen kunne ikke slettes"),
            }
        }
        storage::job::slet(&k.db, j.id).await?;
    }
    Ok(gamle.len() as u64)
}
