use sea_orm::entity::prelude::*;

/// A case's stored form (`domain::skema::Skemadata` as JSON), one row per case, kept apart from
/// the case row so that the lists, which never read it, scan a small table (decision 105).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sag_skema")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sag_id: i64,
    #[sea_orm(column_type = "Text")]
    pub skemadata: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
