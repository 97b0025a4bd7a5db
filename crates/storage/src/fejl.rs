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
