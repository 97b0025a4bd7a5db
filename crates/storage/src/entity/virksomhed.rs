use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "virksomhed")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cvr: String,
    pub navn: String,
    pub adresse: String,
    pub offentlig: bool,
    pub konfliktramt: bool,
    pub spaerret: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
