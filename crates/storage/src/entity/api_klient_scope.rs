use sea_orm::entity::prelude::*;

/// One scope a client holds, e.g. `jobcenter:0101`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_klient_scope")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub api_klient_id: i64,
    pub scope: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
