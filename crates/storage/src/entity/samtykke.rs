use sea_orm::entity::prelude::*;

/// A company's confirmation that the citizen consented before the CPR was entered (seed 003):
/// who, when, and the version of the text they confirmed (`domain::samtykke`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "samtykke")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sag_id: i64,
    /// The user who confirmed it (None: not a logged-in user).
    pub bruger_id: Option<i64>,
    /// The user's name as the case history shows it.
    pub aktoer: String,
    pub tidspunkt: DateTimeUtc,
    pub tekst_version: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
