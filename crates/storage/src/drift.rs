//! What an operator watches (issue 11 §2, decision 110): the worker's heartbeat, and the
//! figures behind `/metrics` and `/readyz` that live in the database: the outbox's backlog and
//! dead letters per subscriber, the job queue and the e-mails waiting. Each is one indexed
//! query, so a scrape every 15 seconds costs nothing at 10M cases.

use crate::StorageError;
use crate::db::Db;
use crate::outbox::{EMAIL, WEBHOOK, status};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

/// The worker writes its heartbeat this often.
pub const PULS_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// A heartbeat older than this means no worker runs (four missed beats).
pub const PULS_GRAENSE: chrono::Duration = chrono::Duration::seconds(60);

/// `?` on SQLite, `$n` on PostgreSQL.
pub(crate) fn ph(backend: DbBackend, n: usize) -> String {
    if backend == DbBackend::Postgres { format!("${n}") } else { "?".into() }
}

/// The worker `navn` (host and process) is alive at `nu`. Beats older than a day are removed,
/// so the table holds the workers of the last day only.
pub async fn puls(db: &Db, navn: &str, nu: DateTime<Utc>) -> Result<(), StorageError> {
    let b = db.backend();
    db.conn
        .execute_raw(Statement::from_sql_and_values(
            b,
            format!(
                "INSERT INTO worker_puls (navn, sidst) VALUES ({}, {}) \
                 ON CONFLICT (navn) DO UPDATE SET sidst = excluded.sidst",
                ph(b, 1),
                ph(b, 2)
            ),
            [navn.into(), nu.into()],
        ))
        .await?;
    db.conn
        .execute_raw(Statement::from_sql_and_values(
            b,
            format!("DELETE FROM worker_puls WHERE sidst < {}", ph(b, 1)),
            [(nu - chrono::Duration::days(1)).into()],
        ))
        .await?;
    Ok(())
}

/// The newest heartbeat of any worker, if one ever beat.
pub async fn seneste_puls(db: &Db) -> Result<Option<DateTime<Utc>>, StorageError> {
    let r = db
        .conn
        .query_one_raw(Statement::from_string(
            db.backend(),
            "SELECT sidst FROM worker_puls ORDER BY sidst DESC LIMIT 1",
        ))
        .await?;
    Ok(match r {
        Some(r) => Some(r.try_get::<DateTime<Utc>>("", "sidst")?),
        None => None,
    })
}

/// One delivery channel's state: `webhook:7` (subscriber 7) or `email`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kanal {
    pub kanal: String,
    /// Waiting or being sent.
    pub ventende: i64,
    /// Past the retry window, until an administrator replays them.
    pub doede: i64,
    /// When the oldest waiting delivery was written.
    pub aeldste: Option<DateTime<Utc>>,
}

/// The work waiting in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Koe {
    pub kanaler: Vec<Kanal>,
    /// Jobs waiting (`venter`) and running (`koerer`).
    pub job_venter: i64,
    pub job_koerer: i64,
}

impl Koe {
    /// E-mails waiting to be sent.
    pub fn epost_venter(&self) -> i64 {
        self.kanaler.iter().filter(|k| k.kanal == EMAIL).map(|k| k.ventende).sum()
    }
}

/// The outbox's undelivered rows per channel (of one jobcentre, or all): what `/metrics` and
/// the statistics dashboard's delivery health show (issue 12 §1).
pub async fn kanaler(db: &Db, jobcenter_kode: Option<&str>) -> Result<Vec<Kanal>, StorageError> {
    let b = db.backend();
    // The predicate is the partial index's (`ix_outbox_uafsluttet`), word for word.
    let (omfang, vaerdier): (String, Vec<sea_orm::Value>) = match jobcenter_kode {
        Some(k) => (format!(" AND jobcenter_kode = {}", ph(b, 1)), vec![k.into()]),
        None => (String::new(), Vec::new()),
    };
    let raekker = db
        .conn
        .query_all_raw(Statement::from_sql_and_values(
            b,
            format!(
                "SELECT art, kanal, status, COUNT(*) AS antal FROM outbox \
                 WHERE status IN ('afventer', 'sender', 'doed'){omfang} GROUP BY art, kanal, status"
            ),
            vaerdier,
        ))
        .await?;
    let mut kanaler: Vec<Kanal> = Vec::new();
    for r in raekker {
        let art: String = r.try_get("", "art")?;
        if art != WEBHOOK && art != EMAIL {
            continue;
        }
        let kanal: Option<String> = r.try_get("", "kanal")?;
        let navn = kanal.unwrap_or(art);
        let st: String = r.try_get("", "status")?;
        let antal: i64 = r.try_get("", "antal")?;
        let i = match kanaler.iter().position(|k| k.kanal == navn) {
            Some(i) => i,
            None => {
                kanaler.push(Kanal { kanal: navn, ventende: 0, doede: 0, aeldste: None });
                kanaler.len() - 1
            }
        };
        if st == status::DOED {
            kanaler[i].doede += antal;
        } else {
            kanaler[i].ventende += antal;
        }
    }
    // The oldest waiting row per channel, by the same literal predicate (a bound parameter
    // would keep SQLite and a generic PostgreSQL plan off the partial index).
    for k in kanaler.iter_mut().filter(|k| k.ventende > 0) {
        let (hvor, vaerdi) = if k.kanal == EMAIL {
            (format!("art = {} AND kanal IS NULL", ph(b, 1)), EMAIL.to_string())
        } else {
            (format!("kanal = {}", ph(b, 1)), k.kanal.clone())
        };
        let mut vaerdier: Vec<sea_orm::Value> = vec![vaerdi.into()];
        let hvor = match jobcenter_kode {
            Some(kode) => {
                vaerdier.push(kode.into());
                format!("{hvor} AND jobcenter_kode = {}", ph(b, 2))
            }
            None => hvor,
        };
        let r = db
            .conn
            .query_one_raw(Statement::from_sql_and_values(
                b,
                format!(
                    "SELECT oprettet FROM outbox WHERE status IN ('afventer', 'sender', 'doed') \
                     AND status <> 'doed' AND {hvor} ORDER BY oprettet LIMIT 1"
                ),
                vaerdier,
            ))
            .await?;
        k.aeldste = match r {
            Some(r) => Some(r.try_get::<DateTime<Utc>>("", "oprettet")?),
            None => None,
        };
    }
    kanaler.sort_by(|a, b| a.kanal.cmp(&b.kanal));
    Ok(kanaler)
}

/// The outbox's undelivered rows per channel, and the job queue.
pub async fn koe(db: &Db) -> Result<Koe, StorageError> {
    let b = db.backend();
    let kanaler = kanaler(db, None).await?;
    let mut koe = Koe { kanaler, ..Koe::default() };
    let job = db
        .conn
        .query_all_raw(Statement::from_string(
            b,
            "SELECT status, COUNT(*) AS antal FROM job WHERE status IN ('venter', 'koerer') GROUP BY status",
        ))
        .await?;
    for r in job {
        let st: String = r.try_get("", "status")?;
        let antal: i64 = r.try_get("", "antal")?;
        match st.as_str() {
            "venter" => koe.job_venter = antal,
            _ => koe.job_koerer = antal,
        }
    }
    Ok(koe)
}

/// The connection pool: connections open, of them idle, and the most it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pulje {
    pub aabne: u32,
    pub ledige: u32,
    pub maks: u32,
}

pub fn pulje(db: &Db) -> Pulje {
    match db.backend() {
        DbBackend::Postgres => {
            let p = db.conn.get_postgres_connection_pool();
            Pulje { aabne: p.size(), ledige: p.num_idle() as u32, maks: p.options().get_max_connections() }
        }
        _ => {
            let p = db.conn.get_sqlite_connection_pool();
            Pulje { aabne: p.size(), ledige: p.num_idle() as u32, maks: p.options().get_max_connections() }
        }
    }
}

/// Issue 11 §2: `worker_puls`, and a partial index over the outbox's undelivered rows so the
/// scrape's counts read only those (the delivered and the published events are nearly all of
/// the table). On PostgreSQL the index is built `CONCURRENTLY`, outside a transaction, so a
/// large outbox keeps taking writes while it is built (ARCHITECTURE.md, migrations).
pub struct DriftMigration;

impl MigrationName for DriftMigration {
    fn name(&self) -> &str {
        "m20261205_000030_worker_puls"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DriftMigration {
    fn use_transaction(&self) -> Option<bool> {
        Some(false)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DbBackend::Postgres;
        let tid = if pg { "TIMESTAMPTZ" } else { "TEXT" };
        db.execute_unprepared(&format!(
            "CREATE TABLE IF NOT EXISTS worker_puls (navn VARCHAR(200) NOT NULL PRIMARY KEY, sidst {tid} NOT NULL)"
        ))
        .await?;
        let samtidig = if pg { "CONCURRENTLY " } else { "" };
        db.execute_unprepared(&format!(
            "CREATE INDEX {samtidig}IF NOT EXISTS ix_outbox_uafsluttet ON outbox (art, kanal, oprettet) \
             WHERE status IN ('afventer', 'sender', 'doed')"
        ))
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pladsholdere_pr_database() {
        assert_eq!(ph(DbBackend::Postgres, 2), "$2");
        assert_eq!(ph(DbBackend::Sqlite, 2), "?");
    }
}
