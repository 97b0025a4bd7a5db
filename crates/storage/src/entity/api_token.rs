use sea_orm::entity::prelude::*;

/// An issued access token: only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub api_klient_id: i64,
    /// The granted scopes, space-separated (RFC 6749 §3.3).
    pub scopes: String,
    pub udloeber: DateTimeUtc,
    pub oprettet: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
