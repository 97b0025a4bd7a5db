//! The background worker. Two loops run side by side, so a long Excel export never holds
//! up a notification:
//! - **outbox**: claims due deliveries (webhooks, e-mails; `jobs::outbox`) and sends them, batch after
//!   batch while there is work, then polls every [`OUTBOX_INTERVAL`] (CONVENTIONS.md rule 8:
//!   poll; nothing depends on LISTEN/NOTIFY);
//! - **jobs**: claims due jobs from the `job` table every second (`jobs::koer_ventende`; the
//!   Excel export of issue 3 §4), and every minute puts back deliveries whose lease ran out,
//!   removes expired sessions, API tokens (`storage::api::ryd_op`), list searches by CPR or
//!   name (`storage::soegefilter::ryd_op`) and unanswered logins (`storage::login::ryd_op`),
//!   gives up crashed jobs and deletes old jobs and their files; and every hour removes
//!   personal data past its retention period (`jobs::opbevaring`, docs/decisions.md 75–79);
//! - **udløb**: every hour closes the approved grants whose end date has passed, with DFDG
//!   code 15 (`jobs::udloeb`, decision 88). A loop of its own, so a large backlog (the first
//!   pass over a database of generated cases) never holds up a job or a delivery.
//! - **statistik**: every hour recomputes the statistics rollup behind the dashboard
//!   (`jobs::statistik`, decision 124); at start only if the last one is an hour old, so a
//!   restart does not repeat a pass of minutes at 10M cases.
//!
//! `vitas worker` runs this on its own; `vitas serve` runs it in-process unless told not to.

use chrono::Utc;
use jobs::Kontekst;
use std::time::Duration;

/// How often the worker looks for jobs.
const JOB_INTERVAL: Duration = Duration::from_secs(1);

/// How often an idle outbox loop looks for due deliveries.
const OUTBOX_INTERVAL: Duration = Duration::from_millis(250);

/// How many job intervals between two clean-ups (sessions, old jobs): about a minute.
const OPRYDNING_HVER: u32 = 60;

/// How many job intervals between two retention passes (`jobs::opbevaring`): about an hour.
const OPBEVARING_HVER: u32 = 3_600;

/// How often the expiry pass runs (`jobs::udloeb`). An end date is a day, so an hour is soon
/// enough after midnight, and a pass with nothing due is one index lookup per jobcentre.
const UDLOEB_INTERVAL: Duration = Duration::from_secs(3_600);

/// Jobs claimed per pass; they run one after the other.
const JOBS_PR_GANG: u64 = 4;

/// One pass over every kind of work, as the loops do it: deliveries and jobs until none are
/// due, then the clean-up. Tests call it to run pending work on demand. Returns how many
/// items were handled.
pub async fn koer_en_gang(k: &Kontekst) -> Result<u64, storage::StorageError> {
    let mut n = 0;
    loop {
        let koert = jobs::outbox::koer(k).await? + jobs::koer_ventende(k, JOBS_PR_GANG).await?;
        n += koert;
        if koert == 0 {
            break;
        }
    }
    Ok(n + ryd_op(k).await?)
}

async fn ryd_op(k: &Kontekst) -> Result<u64, storage::StorageError> {
    let nu = Utc::now();
    let frigivet = storage::outbox::frigiv_udloebne(&k.db, nu).await?;
    if frigivet > 0 {
        tracing::warn!(antal = frigivet, "leveringer med udløbet lås er lagt tilbage i køen");
    }
    let sessioner = storage::sessioner::ryd_op(&k.db, nu).await?;
    if sessioner > 0 {
        tracing::info!(antal = sessioner, "udløbne sessioner fjernet");
    }
    // Logins the provider never answered (decision 70).
    let forsoeg = storage::login::ryd_op(&k.db, nu).await?;
    if forsoeg > 0 {
        tracing::info!(antal = forsoeg, "ubesvarede login-forsøg fjernet");
    }
    // List searches by CPR or name past their 12 hours (docs/decisions.md 80).
    let soegninger = storage::soegefilter::ryd_op(&k.db, nu).await?;
    if soegninger > 0 {
        tracing::info!(antal = soegninger, "udløbne søgninger på CPR og navn fjernet");
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
    Ok(frigivet + sessioner + forsoeg + soegninger + jobs + api)
}

/// One retention pass for today (several workers may run it at once: each case is locked and
/// done once).
async fn koer_opbevaring(k: &Kontekst) {
    let nu = Utc::now();
    match jobs::opbevaring::koer(&k.db, nu.date_naive(), nu).await {
        Ok(r) if r.sager + r.adgangslog + r.fejlede > 0 => tracing::info!(
            sager = r.sager,
            fejlede = r.fejlede,
            adgangslog = r.adgangslog,
            "opbevaringsperioder: persondata fjernet"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(fejl = %e, "opbevaringsjobbet fejlede"),
    }
}

/// One expiry pass for today in Denmark (several workers may run it at once: each grant is
/// closed once, decision 88).
async fn koer_udloeb_en_gang(k: &Kontekst) {
    let nu = Utc::now();
    match jobs::udloeb::koer(&k.db, domain::periode::dansk_tid(nu).date(), nu).await {
        Ok(r) if r.lukket + r.fejlede > 0 => tracing::info!(
            lukket = r.lukket,
            uroert = r.uroert,
            fejlede = r.fejlede,
            "udløbne bevillinger lukket (DFDG 15)"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(fejl = %e, "udløbsjobbet fejlede"),
    }
}

/// This worker's name in `worker_puls`: the machine and the process.
fn navn() -> String {
    let vaert = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "ukendt".into());
    format!("{vaert}:{}", std::process::id())
}

/// The heartbeat loop: `/readyz` and `vitas_worker_heartbeat_age_seconds` read it (decision
/// 110). A loop of its own, so a long pass of another loop does not look like a dead worker.
async fn koer_puls(k: Kontekst) {
    let navn = navn();
    loop {
        if let Err(e) = storage::drift::puls(&k.db, &navn, Utc::now()).await {
            tracing::warn!(fejl = %e, "workerens puls kunne ikke skrives");
        }
        tokio::time::sleep(storage::drift::PULS_INTERVAL).await;
    }
}

/// The expiry loop: a pass at start, then every [`UDLOEB_INTERVAL`].
async fn koer_udloeb(k: Kontekst) {
    loop {
        koer_udloeb_en_gang(&k).await;
        tokio::time::sleep(UDLOEB_INTERVAL).await;
    }
}

/// The statistics loop: a pass when the rollup is due, checked every ten minutes, so a
/// failed pass (a database outage) is retried within minutes, not an hour.
async fn koer_statistik(k: Kontekst) {
    loop {
        let nu = Utc::now();
        match jobs::statistik::forfalden(&k.db, nu).await {
            Ok(true) => {
                if let Err(e) = jobs::statistik::koer(&k.db, nu).await {
                    tracing::warn!(fejl = %e, "statistikken kunne ikke opgøres");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(fejl = %e, "statistikkens seneste opgørelse kunne ikke læses"),
        }
        tokio::time::sleep(STATISTIK_TJEK).await;
    }
}

/// How often the statistics loop looks whether a rollup is due.
const STATISTIK_TJEK: Duration = Duration::from_secs(600);

/// The outbox loop: a full batch means more may be waiting, so it claims again at once.
pub async fn koer_outbox(k: Kontekst) {
    loop {
        match jobs::outbox::koer(&k).await {
            Ok(n) if n >= k.regler.batch => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(fejl = %e, "outbox-gennemløb fejlede"),
        }
        tokio::time::sleep(OUTBOX_INTERVAL).await;
    }
}

async fn koer_jobs(k: Kontekst) {
    let mut gang: u32 = 0;
    loop {
        if gang.is_multiple_of(OPRYDNING_HVER)
            && let Err(e) = ryd_op(&k).await
        {
            tracing::warn!(fejl = %e, "oprydning fejlede");
        }
        if gang.is_multiple_of(OPBEVARING_HVER) {
            koer_opbevaring(&k).await;
        }
        gang = gang.wrapping_add(1);
        if let Err(e) = jobs::koer_ventende(&k, JOBS_PR_GANG).await {
            tracing::warn!(fejl = %e, "worker-gennemløb fejlede");
        }
        tokio::time::sleep(JOB_INTERVAL).await;
    }
}

pub async fn run(k: Kontekst) {
    if k.epost.is_none() {
        // Said once: without SMTP, e-mail rows are not claimed and wait (jobs::outbox).
        tracing::warn!(
            "SMTP er ikke sat op (--smtp-url / VITAS_SMTP_URL): e-mails bliver liggende i outboxen som afventende"
        );
    }
    tokio::join!(
        koer_outbox(k.clone()),
        koer_udloeb(k.clone()),
        koer_puls(k.clone()),
        koer_statistik(k.clone()),
        koer_jobs(k)
    );
}
