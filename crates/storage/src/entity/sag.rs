use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sag")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub ordning: String,
    pub sagsart: String,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
    pub jobcenter_id: Option<i64>,
    pub team_id: Option<i64>,
    pub ansvarlig_id: Option<i64>,
    pub anden_aktoer_id: Option<i64>,
    pub hovedsag_id: Option<i64>,
    pub cvr: String,
    pub pnummer: Option<String>,
    pub cpr: Option<String>,
    pub borger_navn: Option<String>,
    pub borger_navn_soeg: Option<String>,
    pub borger_navn_sort: Option<String>,
    pub startdato: Option<Date>,
    pub slutdato: Option<Date>,
    pub oprindelig_slutdato: Option<Date>,
    pub timer_hundrededele: Option<i32>,
    pub modtaget_dato: Option<Date>,
    pub afgoerelse_dato: Option<Date>,
    pub godkendt_dato: Option<Date>,
    pub konfliktramt: bool,
    pub oprettet_af: Option<i64>,
    pub oprettet: DateTimeUtc,
    pub aendret: DateTimeUtc,
    pub version: i64,
    /// The team's sort key (`lister::navnenoegle`), kept with `team_id` (decision 52).
    pub team_sort: Option<String>,
    /// The responsible caseworker's sort key, kept with `ansvarlig_id` (decision 52).
    pub ansvarlig_sort: Option<String>,
    /// When the retention job removed the case's personal data (docs/decisions.md 76); None
    /// while it is there.
    pub persondata_fjernet: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
