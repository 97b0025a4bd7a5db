//! The background worker: it claims due jobs from the `job` table every second and runs them
//! (`jobs::koer_ventende`; today the Excel export of issue 3 §4), and every minute removes
//! expired sessions and API tokens, gives up crashed jobs and deletes jobs and files past their
//! keeping time (`jobs::ryd_op`, `storage::api::ryd_op`). Delivery of the outbox (issue 4)
//! joins the job kinds in `jobs`.

use chrono::Utc;
use jobs::Kontekst;
use std::time::Duration;

/// How often the worker looks for jobs.
const JOB_INTERVAL: Duration = Duration::from_secs(1);

/// How many job intervals between two clean-ups (sessions, old jobs): about a minute.
const OPRYDNING_HVER: u32 = 60;

/// Jobs claimed per pass; they run one after the other.
const JOBS_PR_GANG: u64 = 4;

/// One pass over every kind of work, as the loop does it: jobs until none are due, then the
/// clean-up. Tests call it to run pending jobs on demand. Returns how many items were handled.
pub async fn koer_en_gang(k: &Kontekst) -> Result<u64, storage::StorageError> {
    let mut n = 0;
    loop {
        let koert = jobs::koer_ventende(k, JOBS_PR_GANG).await?;
        n += koert;
        if koert == 0 {
            break;
        }
    }
    Ok(n + ryd_op(k).await?)
}

async fn ryd_op(k: &Kontekst) -> Result<u64, storage::StorageError> {
    let nu = Utc::now();
    let sessioner = storage::sessioner::ryd_op(&k.db, nu).await?;
    if sessioner > 0 {
        tracing::info!(antal = sessioner, "udløbne sessioner fjernet");
    }
    let jobs = jobs::ryd_op(k, nu).await?;
    if jobs > 0 {
        tracing::info!(antal = jobs, "gamle jobs og deres filer fjernet");
    }
    // Expired API tokens and request ids past their keeping time (docs/decisions.md 33).
    let api = storage::api::ryd_op(&k.db, nu).await?;
    if api > 0 {
        tracing::info!(antal = api, "udløbne API-tokens og gamle request-id'er fjernet");
    }
    Ok(sessioner + jobs + api)
}

pub async fn run(k: Kontekst) {
    let mut gang: u32 = 0;
    loop {
        if gang.is_multiple_of(OPRYDNING_HVER)
            && let Err(e) = ryd_op(&k).await
        {
            tracing::warn!(fejl = %e, "oprydning fejlede");
        }
        gang = gang.wrapping_add(1);
        if let Err(e) = jobs::koer_ventende(&k, JOBS_PR_GANG).await {
            tracing::warn!(fejl = %e, "worker-gennemløb fejlede");
        }
        tokio::time::sleep(JOB_INTERVAL).await;
    }
}
