use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub art: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub status: String,
    pub koer_efter: DateTimeUtc,
    pub forsoeg: i32,
    pub oprettet: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub fejl: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
