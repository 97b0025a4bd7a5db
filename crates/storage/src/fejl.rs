//! The storage layer's error: what the web layer turns into a Danish page or a 500.

use domain::FieldError;
use domain::policy::Afvisning;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The policy refused the action; the message is Danish and safe to show.
    #[error(transparent)]
    Afvist(#[from] Afvisning),
    /// The input did not validate; each error names its field.
    #[error("Der er fejl i de indtastede oplysninger")]
    Ugyldig(Vec<FieldError>),
    /// Someone else changed the case first (optimistic concurrency).
    #[error("Sagen er blevet ændret af en anden i mellemtiden. Indlæs siden igen.")]
    Konflikt,
    #[error("Sagen findes ikke, eller du har ikke adgang til den.")]
    IkkeFundet,
    /// A stored value that the domain does not recognise: a bug or a damaged row.
    #[error("inconsistent stored data: {0}")]
    Data(String),
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A failure injected by a test between two writes of one transaction.
    #[error("injected failure at {0:?}")]
    Injiceret(crate::Fejlpunkt),
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::Data(e.to_string())
    }
}

impl StorageError {
    /// The database could not be reached (a connection refused or cut, the pool timed out, the
    /// server shutting down or starting up): not a bug, and worth trying again in a moment.
    /// The web layer answers it 503 (issue 11 §4, decision 119).
    pub fn er_utilgaengelig(&self) -> bool {
        match self {
            StorageError::Db(e) => dbfejl_er_utilgaengelig(e),
            _ => false,
        }
    }
}

/// Whether any error in `fejl`'s chain of causes is the database being out of reach (see
/// [`StorageError::er_utilgaengelig`]). For errors that reach the web layer wrapped, e.g. in
/// an `anyhow::Error`.
pub fn er_utilgaengelig(fejl: &(dyn std::error::Error + 'static)) -> bool {
    let mut naeste = Some(fejl);
    while let Some(e) = naeste {
        if let Some(s) = e.downcast_ref::<StorageError>() {
            if s.er_utilgaengelig() {
                return true;
            }
        } else if let Some(d) = e.downcast_ref::<sea_orm::DbErr>() {
            if dbfejl_er_utilgaengelig(d) {
                return true;
            }
        } else if let Some(x) = e.downcast_ref::<sea_orm::sqlx::Error>()
            && sqlx_er_utilgaengelig(x)
        {
            return true;
        }
        naeste = e.source();
    }
    false
}

fn dbfejl_er_utilgaengelig(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        // The pool timed out or is closed; a connection could not be made.
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(x)) | DbErr::Query(RuntimeErr::SqlxError(x)) => sqlx_er_utilgaengelig(x),
        _ => false,
    }
}

fn sqlx_er_utilgaengelig(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        // The socket failed or closed under a query (the server stopped), or the pool gave up.
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => true,
        // PostgreSQL's SQLSTATE class 08 (connection exception) and 57P (the server is shutting
        // down, crashed, or not yet accepting connections: 57P01–57P04).
        Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sqlx;
    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};
    use std::sync::Arc;

    fn sqlx_fejl(e: sqlx::Error) -> StorageError {
        StorageError::Db(DbErr::Query(RuntimeErr::SqlxError(Arc::new(e))))
    }

    /// A wrapper like `anyhow`'s context: the storage error is a cause further down.
    #[derive(Debug, thiserror::Error)]
    #[error("siden kunne ikke vises")]
    struct Indpakket(#[source] StorageError);

    #[test]
    fn en_database_der_er_vaek_kendes_paa_aarsagen() {
        assert!(StorageError::Db(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)).er_utilgaengelig());
        assert!(StorageError::Db(DbErr::Conn(RuntimeErr::Internal("nede".into()))).er_utilgaengelig());
        assert!(sqlx_fejl(sqlx::Error::PoolTimedOut).er_utilgaengelig());
        let nulstillet = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(sqlx_fejl(sqlx::Error::Io(nulstillet)).er_utilgaengelig());
        assert!(er_utilgaengelig(&Indpakket(sqlx_fejl(sqlx::Error::PoolClosed))), "gennem en kæde af årsager");
    }

    #[test]
    fn andre_fejl_er_ikke_et_udfald() {
        assert!(!StorageError::Konflikt.er_utilgaengelig());
        assert!(!StorageError::Data("x".into()).er_utilgaengelig());
        assert!(!StorageError::Db(DbErr::RecordNotFound("sag".into())).er_utilgaengelig());
        assert!(!sqlx_fejl(sqlx::Error::RowNotFound).er_utilgaengelig());
        assert!(!er_utilgaengelig(&Indpakket(StorageError::Konflikt)));
    }
}
