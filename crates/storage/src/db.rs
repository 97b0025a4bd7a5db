//! The connection: SQLite (embedded default) or PostgreSQL, chosen by the URL alone.

use crate::StorageError;
use crate::migration::Migrator;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait};
use sea_orm_migration::MigratorTrait;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a request waits for a PostgreSQL connection before it gives up and is answered
/// 503 "Databasen er midlertidigt utilgængelig" (issue 11 §4, decision 119). Long enough for a
/// busy pool of 16 to free a connection, short enough that a database that is away is
/// reported in seconds instead of after the request's 30 s time limit. SQLite keeps 30 s:
/// its file cannot go away, and its single writer may be busy for long.
pub const VENTETID_PAA_FORBINDELSE: Duration = Duration::from_secs(3);

/// Where a test may make a state change fail between two of its writes (issue 2 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fejlpunkt {
    /// After the case row is updated, before the case event is written.
    EfterSag,
    /// After the case event, before the outbox row.
    EfterHaendelse,
}

#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    fejlpunkt: Arc<Mutex<Option<Fejlpunkt>>>,
    /// The key of the access log's CPR hashes (decision 79); None: reads cannot be logged.
    adgangslog_noegle: Option<crate::adgangslog::Noegle>,
}

impl Db {
    /// Connect to `sqlite://path?mode=rwc`, `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, StorageError> {
        Db::aabn(url, false).await
    }

    /// As [`Db::connect`], but a PostgreSQL pool opens its first connection when it is first
    /// used, so this succeeds while the server is away (a test of the 503 answer, issue 11 §4).
    pub async fn connect_lazy(url: &str) -> Result<Db, StorageError> {
        Db::aabn(url, true).await
    }

    async fn aabn(url: &str, doven: bool) -> Result<Db, StorageError> {
        let mut opt = ConnectOptions::new(url.to_owned());
        opt.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30));
        if url.starts_with("sqlite:") {
            // One writer at a time; readers wait rather than fail (SQLite's busy timeout),
            // and foreign keys are on as in PostgreSQL.
            opt.map_sqlx_sqlite_opts(|o| {
                o.busy_timeout(Duration::from_secs(15))
                    .foreign_keys(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
            });
            if url.contains(":memory:") {
                // Every pooled connection to ":memory:" would be its own empty database.
                opt.max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None);
            } else {
                opt.max_connections(8);
            }
        } else {
            // A PostgreSQL server that is away must not hold a request for half a minute and
            // then answer 500: the pool gives up after a few seconds and the request is
            // answered 503 (issue 11 §4, decision 119).
            opt.max_connections(16).acquire_timeout(VENTETID_PAA_FORBINDELSE).connect_lazy(doven);
        }
        let conn = Database::connect(opt).await?;
        Ok(Db { conn, fejlpunkt: Arc::new(Mutex::new(None)), adgangslog_noegle: None })
    }

    /// The same connection with the access log's key (decision 79).
    pub fn med_adgangslog_noegle(mut self, noegle: crate::adgangslog::Noegle) -> Db {
        self.adgangslog_noegle = Some(noegle);
        self
    }

    pub fn adgangslog_noegle(&self) -> Option<&crate::adgangslog::Noegle> {
        self.adgangslog_noegle.as_ref()
    }

    pub async fn migrate(&self) -> Result<(), StorageError> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// `GET /healthz`: the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.conn.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// True when no jobcentre exists yet: a fresh database that the demo may seed.
    pub async fn er_tom(&self) -> Result<bool, StorageError> {
        Ok(crate::entity::jobcenter::Entity::find().count(&self.conn).await? == 0)
    }

    /// Make the next state change fail at `punkt` (tests only; see issue 2 §7).
    pub fn injicer_fejl(&self, punkt: Option<Fejlpunkt>) {
        if let Ok(mut f) = self.fejlpunkt.lock() {
            *f = punkt;
        }
    }

    /// Take the armed failure point for one state change, disarming it, so a change that is
    /// refused before reaching the point cannot leave it armed for the next one.
    pub(crate) fn tag_fejlpunkt(&self) -> Option<Fejlpunkt> {
        self.fejlpunkt.lock().ok().and_then(|mut f| f.take())
    }
}

/// Fail here if this state change was armed to fail here.
pub(crate) fn tjek_fejlpunkt(armeret: Option<Fejlpunkt>, her: Fejlpunkt) -> Result<(), StorageError> {
    if armeret == Some(her) {
        return Err(StorageError::Injiceret(her));
    }
    Ok(())
}

impl Db {}
