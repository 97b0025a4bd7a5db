use sea_orm::entity::prelude::*;

/// A municipal system that receives a jobcentre's OrdningsNotifikationer by webhook.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_abonnent")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub jobcenter_kode: String,
    pub url: String,
    /// The HMAC key the subscriber verifies signatures with; it must be able to read it
    /// back, so it is stored as given (like any shared signing key).
    pub hemmelighed: String,
    pub aktiv: bool,
    pub oprettet: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
