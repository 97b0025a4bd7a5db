use sea_orm::entity::prelude::*;

/// A CPR number an access-log entry showed; the key is (cpr, log_id), for the citizen's extract.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "adgangslog_cpr")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cpr: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub log_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
