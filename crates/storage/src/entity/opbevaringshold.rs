use sea_orm::entity::prelude::*;

/// A hold that keeps a case's personal data past its retention period (docs/decisions.md 77):
/// a complaint (`klage`) or an archive hold (`arkiv`). Active while `ophaevet` is None.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opbevaringshold")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sag_id: i64,
    pub art: String,
    pub oprettet: DateTimeUtc,
    pub ophaevet: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
