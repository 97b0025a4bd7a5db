//! The retention job (issue 14 §3, docs/decisions.md 75–79): removes the personal data of
//! cases past their period (`storage::opbevaring`) and deletes access-log entries past theirs
//! (`storage::adgangslog::slet_foer`). Each case is one transaction; a case that fails is
//! logged by id and tried again at the next pass. What was removed goes to the deletion log,
//! never to the application log beyond the case id and the rule.
//!
//! The worker runs it once an hour (`server::worker`); `vitas opbevaring koer` runs it once.

use chrono::{DateTime, NaiveDate, Utc};
use storage::{Db, StorageError};

/// Cases read per page of the pass.
const SIDE: u64 = 200;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resultat {
    /// Cases whose personal data was removed.
    pub sager: u64,
    /// Cases that failed (logged; tried again at the next pass).
    pub fejlede: u64,
    /// Access-log entries deleted.
    pub adgangslog: u64,
}

/// One pass on `idag` (the worker passes today).
#[tracing::instrument(skip_all, fields(%idag))]
pub async fn koer(db: &Db, idag: NaiveDate, nu: DateTime<Utc>) -> Result<Resultat, StorageError> {
    let mut r = Resultat::default();
    let mut efter = 0i64;
    loop {
        let side = storage::opbevaring::kandidater(db, idag, efter, SIDE).await?;
        let Some(sidste) = side.last().map(|s| s.id) else { break };
        for s in &side {
            match storage::opbevaring::fjern_persondata(db, s.id, idag, nu).await {
                Ok(Some(f)) => {
                    r.sager += 1;
                    tracing::info!(sag = f.sag_id, regel = f.regel, felter = f.felter, "persondata fjernet");
                }
                Ok(None) => {}
                Err(e) => {
                    r.fejlede += 1;
                    tracing::warn!(sag = s.id, fejl = %e, "persondata kunne ikke fjernes");
                }
            }
        }
        efter = sidste;
    }
    let graense = domain::opbevaring::adgangslog_graense(idag).and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    if let Some(g) = graense {
        r.adgangslog = storage::adgangslog::slet_foer(db, g, nu).await?;
    }
    Ok(r)
}
