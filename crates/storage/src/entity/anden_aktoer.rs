use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "anden_aktoer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub navn: String,
    pub cvr: String,
    pub pnummer: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
