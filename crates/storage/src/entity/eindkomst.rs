use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "eindkomst")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cvr: String,
    pub maaned: String,
    pub fuldtid_hundrededele: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
