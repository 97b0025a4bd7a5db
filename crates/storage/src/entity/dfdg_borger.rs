use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dfdg_borger")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cpr: String,
    pub fornavn: String,
    pub efternavn: String,
    pub kommunekode: String,
    pub anden_aktoer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
