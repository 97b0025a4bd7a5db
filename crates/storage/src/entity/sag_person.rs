use sea_orm::entity::prelude::*;

/// A citizen a sent case's form names besides the case's own (`sag.cpr`), such as a
/// jobrotation's second substitute: the CPR filter finds the case by any of them (decision 106).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sag_person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sag_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cpr: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
