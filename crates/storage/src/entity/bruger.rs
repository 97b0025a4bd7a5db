use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bruger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rolle: String,
    pub fornavn: String,
    pub mellemnavn: String,
    pub efternavn: String,
    pub email: String,
    pub jobcenter_id: Option<i64>,
    pub team_id: Option<i64>,
    pub cvr: Option<String>,
    pub cpr: Option<String>,
    pub anden_aktoer_id: Option<i64>,
    pub aktiv: bool,
    /// Made by the demo seed: only such users are on the demo login page (decision 54).
    pub demo: bool,
    /// The login service's subject (`issuer|sub`) for a person who logged in through
    /// OpenID Connect (decision 70); None for users made by the seeds.
    pub ekstern_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The name the lists show and sort by: first name and surname.
    pub fn fuldt_navn(&self) -> String {
        format!("{} {}", self.fornavn, self.efternavn)
    }
}
