use sea_orm::entity::prelude::*;

/// A list search's personal fields (CPR, name), kept out of the list's address: the address
/// carries only `noegle` (decision 80).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "soegefilter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub noegle: String,
    /// Only this user's requests may use the key.
    pub bruger_id: i64,
    /// The fields as a URL-encoded query (`cpr=…&navn=…`), as typed.
    pub indhold: String,
    pub udloeber: DateTimeUtc,
}

/// Never the content: it holds a CPR number.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("soegefilter::Model").field("bruger_id", &self.bruger_id).finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
