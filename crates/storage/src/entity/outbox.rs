use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub noegle: String,
    pub sag_id: Option<i64>,
    pub art: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub status: String,
    pub forsoeg: i32,
    pub naeste_forsoeg: DateTimeUtc,
    pub oprettet: DateTimeUtc,
    pub leveret: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub fejl: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
