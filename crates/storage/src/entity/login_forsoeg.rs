use sea_orm::entity::prelude::*;

/// A login under way at an OpenID provider (decision 70), until the provider answers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_forsoeg")]
pub struct Model {
    /// SHA-256 of the `state` the browser carries to the provider and back.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub profil: String,
    pub nonce: String,
    /// The PKCE code verifier (RFC 7636); only its challenge went to the provider.
    pub pkce: String,
    /// Where the user goes after login (a path of ours).
    pub videre: String,
    pub oprettet: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
