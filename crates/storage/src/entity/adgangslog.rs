use sea_orm::entity::prelude::*;

/// One read of citizens' data (`storage::adgangslog`): who, when, why, what, and the chain.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "adgangslog")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tidspunkt: DateTimeUtc,
    pub bruger_id: Option<i64>,
    pub api_klient_id: Option<i64>,
    pub rolle: String,
    pub formaal: String,
    pub hvad: String,
    pub antal_cpr: i64,
    /// The previous entry's hash (`adgangslog::START` for the first).
    pub forrige: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
