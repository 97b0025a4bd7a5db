use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub noegle: String,
    pub sag_id: Option<i64>,
    pub art: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub status: String,
    pub forsoeg: i32,
    pub naeste_forsoeg: DateTimeUtc,
    pub oprettet: DateTimeUtc,
    pub leveret: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub fejl: Option<String>,
    /// Deliveries in the same channel of a case go out in id order (a webhook subscriber:
    /// `webhook:<id>`); None for deliveries without an order (e-mail).
    pub kanal: Option<String>,
    /// The claim's lease: another worker may take the row after this.
    pub laast_til: Option<DateTimeUtc>,
    /// The jobcentre a notification was published to (the pull feed's scope); for a webhook
    /// or an e-mail, the jobcentre whose administrator sees it when it is dead.
    pub jobcenter_kode: Option<String>,
    /// When an administrator last replayed the row: its delivery window starts again.
    pub genoptaget: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
