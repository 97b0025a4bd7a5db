use sea_orm::entity::prelude::*;

/// The deletion log (docs/decisions.md 78): what the retention job removed, without personal
/// data. `art` is `sag` (a case's personal data: the case id, the rule, how many fields and
/// rows) or `adgangslog` (old access-log entries: up to which entry, and that entry's hash,
/// where the chain now starts).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sletning")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tidspunkt: DateTimeUtc,
    pub art: String,
    pub sag_id: Option<i64>,
    pub regel: String,
    /// Values removed (a CPR, a name, a free text…).
    pub felter: i64,
    /// Rows changed or deleted.
    pub raekker: i64,
    pub til_log_id: Option<i64>,
    pub sidste_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
