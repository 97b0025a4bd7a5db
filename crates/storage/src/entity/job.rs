use sea_orm::entity::prelude::*;

/// A background job of any kind (`art`), claimed by the worker under a lease (`storage::job`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    pub art: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// `venter`, `koerer`, `faerdig` or `fejlet` (`storage::job::JobStatus`).
    pub status: String,
    /// The user who ordered the job; only they may see it. None for system jobs.
    pub bruger_id: Option<i64>,
    /// Units done (rows written, for an export).
    pub fremskridt: i64,
    pub total: Option<i64>,
    /// What the job produced, e.g. the file name under the data folder.
    #[sea_orm(column_type = "Text", nullable)]
    pub resultat: Option<String>,
    /// A Danish message for the user when the job failed.
    #[sea_orm(column_type = "Text", nullable)]
    pub fejl: Option<String>,
    /// How many times the job was claimed; also the fence of a claim (`storage::job::Faaet`).
    pub forsoeg: i32,
    pub koer_efter: DateTimeUtc,
    /// The lease: a running job whose lease has run out belongs to a crashed worker.
    pub laast_til: Option<DateTimeUtc>,
    pub oprettet: DateTimeUtc,
    pub aendret: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
