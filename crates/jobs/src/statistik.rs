//! The statistics rollup pass (issue 12 §2; decision 124): recompute `storage::statistik` from
//! the cases. The worker runs it when it starts, if the last rollup is older than
//! [`INTERVAL`], and then every [`INTERVAL`]; `vitas statistik opgoer` runs it once.
//!
//! Two workers may start it at once. Each replaces the whole table in one transaction that
//! ends by writing the one bookkeeping row (`statistik_opgoerelse`, id 1): of two passes that
//! overlap, the one that commits second fails on that row's key and is rolled back whole (on
//! SQLite the writers take turns), so no row is ever counted twice. The worker logs the
//! failure and tries again at its next check. A reader sees one rollup or the other.

use chrono::{DateTime, Utc};
use storage::statistik::Opgoerelse;
use storage::{Db, StorageError};

/// How old the dashboard's figures may grow. An hour: the dashboard is for managers and STAR,
/// who look at months, not minutes; a pass at 10M cases takes minutes (docs/benchmarks.md
/// "Statistics").
pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(3_600);

/// One pass, now.
#[tracing::instrument(skip_all)]
pub async fn koer(db: &Db, nu: DateTime<Utc>) -> Result<Opgoerelse, StorageError> {
    let r = storage::statistik::opgoer(db, nu).await?;
    tracing::info!(sager = r.sager, raekker = r.raekker, ms = r.varighed_ms, "statistikken er opgjort");
    Ok(r)
}

/// Whether the last rollup is older than [`INTERVAL`] at `nu` (or there is none).
pub async fn forfalden(db: &Db, nu: DateTime<Utc>) -> Result<bool, StorageError> {
    Ok(match storage::statistik::seneste(db).await? {
        Some(s) => nu - s.opgjort >= chrono::Duration::from_std(INTERVAL).unwrap_or(chrono::Duration::hours(1)),
        None => true,
    })
}
