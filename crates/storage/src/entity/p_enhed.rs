use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "p_enhed")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub pnummer: String,
    pub cvr: String,
    pub navn: String,
    pub adresse: String,
    /// The municipality the unit lies in (CVR); NULL for units stored before it was read.
    pub kommunekode: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
