use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub bruger_id: i64,
    pub udloeber: DateTimeUtc,
    pub oprettet: DateTimeUtc,
    /// The login service that made the session (`Loginprofil::slug`); None for the demo login.
    pub udbyder: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
