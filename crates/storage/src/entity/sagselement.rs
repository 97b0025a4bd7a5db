use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sagselement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub sag_id: i64,
    pub art: String,
    pub status: String,
    pub startdato: Option<Date>,
    pub slutdato: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    pub oprettet: DateTimeUtc,
    pub aendret: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
