use sea_orm::entity::prelude::*;

/// A citizen an access-log entry showed, as the keyed hash of the CPR
/// (`adgangslog::Noegle::cpr_hmac`, decision 79); the key is (hash, log_id), for the extract.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "adgangslog_person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cpr_hmac: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub log_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
