use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sagshaendelse")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sag_id: i64,
    pub tidspunkt: DateTimeUtc,
    pub bruger_id: Option<i64>,
    pub aktoer: String,
    pub rolle: String,
    pub handling: String,
    #[sea_orm(column_type = "Text")]
    pub tekst: String,
    pub fra_status: Option<String>,
    pub til_status: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
