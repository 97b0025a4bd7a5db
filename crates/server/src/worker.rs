//! The background worker. In this version it has one periodic job: removing expired
//! sessions. Delivery of the outbox (e-mail, webhooks) is added by the integrations issue,
//! registered here beside it.

use chrono::Utc;
use std::time::Duration;
use storage::Db;

/// How often the worker looks for work.
const INTERVAL: Duration = Duration::from_secs(60);

/// One pass over every job kind. Returns how many items were handled.
pub async fn koer_en_gang(db: &Db) -> Result<u64, storage::StorageError> {
    storage::sessioner::ryd_op(db, Utc::now()).await
}

pub async fn run(db: Db) {
    loop {
        match koer_en_gang(&db).await {
            Ok(n) if n > 0 => tracing::info!(antal = n, "udløbne sessioner fjernet"),
            Ok(_) => {}
            Err(e) => tracing::warn!(fejl = %e, "worker-gennemløb fejlede"),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}
