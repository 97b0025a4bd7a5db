use sea_orm::entity::prelude::*;

/// A municipal case system allowed to call the external API (OAuth2 client, RFC 6749 §2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_klient")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The public `client_id`.
    pub klient_id: String,
    pub navn: String,
    /// SHA-256 of the secret, lower-case hex (see `storage::api`).
    pub hemmelighed_hash: String,
    /// False once revoked (`vitas api-klient tilbagekald`): its tokens stop working at once.
    pub aktiv: bool,
    pub oprettet: DateTimeUtc,
    /// When the client's access ends; None: it does not expire. No token outlives it.
    pub udloeber: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
