//! The expiry pass (issue 13 §3; decision 88): an approved grant whose end date has passed
//! (not extended, not ended, no extension awaiting the jobcentre) is closed by VITAS as
//! "Ophørt" and reported with DFDG code 15, "closed after ordinary expiry" (seed 001 §2.1).
//!
//! Each grant is one state change through `storage::sager::udfoer` (the status, the
//! termination record, the history, the list totals and the notification in one
//! transaction), made by the system actor and guarded by the version the pass read, so a pass
//! run twice, or two workers at once, close and notify each grant once.
//!
//! The worker runs it when it starts and then every hour (`server::worker`); `vitas udloeb
//! koer` runs it once. Tests pass `idag` and `nu` (a simulated clock).

use chrono::{DateTime, NaiveDate, Utc};
use storage::sager::Udloeb;
use storage::{Db, StorageError};

/// Grants read per page of a jobcentre.
const SIDE: u64 = 200;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resultat {
    /// Grants closed now.
    pub lukket: u64,
    /// Grants read but left alone (changed meanwhile, or closed by another pass).
    pub uroert: u64,
    /// Grants that failed (logged by id; tried again at the next pass).
    pub fejlede: u64,
}

/// One pass on `idag`, the day in Denmark (the worker passes `domain::periode::dansk_tid(nu)`'s
/// date: an end date is a Danish calendar day).
#[tracing::instrument(skip_all, fields(%idag))]
pub async fn koer(db: &Db, idag: NaiveDate, nu: DateTime<Utc>) -> Result<Resultat, StorageError> {
    let mut r = Resultat::default();
    // Per jobcentre, so each page is a range of the index (jobcentre, status, end date, id). A
    // grant always has a jobcentre: it is made by one (DOMAIN.md step 4).
    let mut jobcentre: Vec<i64> = storage::organisation::jobcenternavne(db).await?.into_keys().collect();
    jobcentre.sort_unstable();
    for jobcenter_id in jobcentre {
        let mut efter = None;
        loop {
            let side = storage::sager::udloebne_bevillinger(db, jobcenter_id, idag, efter, SIDE).await?;
            let Some(sidste) = side.last() else { break };
            efter = sidste.slutdato.map(|d| (d, sidste.id));
            for s in &side {
                match storage::sager::luk_ved_udloeb(db, s, idag, nu).await {
                    Ok(Udloeb::Lukket(_)) => {
                        r.lukket += 1;
                        tracing::info!(sag = s.id, "bevilling lukket efter ordinært udløb (DFDG 15)");
                    }
                    Ok(Udloeb::Uroert) => r.uroert += 1,
                    Err(e) => {
                        r.fejlede += 1;
                        tracing::warn!(sag = s.id, fejl = %e, "bevillingen kunne ikke lukkes ved udløb");
                    }
                }
            }
            if efter.is_none() || (side.len() as u64) < SIDE {
                break;
            }
        }
    }
    Ok(r)
}
