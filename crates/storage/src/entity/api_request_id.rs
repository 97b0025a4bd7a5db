use sea_orm::entity::prelude::*;

/// An `x-requestId` a client has used; unique per client (DOMAIN.md "Web services").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_request_id")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub api_klient_id: i64,
    pub request_id: String,
    pub modtaget: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
