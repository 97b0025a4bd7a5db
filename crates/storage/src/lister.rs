//! Lists and search (seed 001 §1.1–1.6; issue 3).
//!
//! One function, [`betingelse`], turns (the actor's scope, the list, the filter) into a WHERE
//! clause. The page query ([`side`]) and the count ([`antal`]) both use it, so a front-page
//! counter can never disagree with the total of the list it opens (seed 001 §1.6).
//!
//! Every column sorts both ways in Danish order: text columns through the sort keys computed
//! in Rust (CONVENTIONS.md rule 4), enum-like columns (scheme, status, team, caseworker)
//! through a rank computed in Rust from their Danish names. Ties are broken by id, so paging
//! never repeats or skips a row.

use crate::entity::{anden_aktoer, bruger, dfdg_borger, jobcenter, sag, sag_person, team};
use crate::{Db, StorageError};
use chrono::NaiveDate;
use domain::ordning::{Ordning, Sagsart};
use domain::policy::Aktoer;
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};
use sea_orm::sea_query::{Alias, Expr, LikeExpr, Order, SimpleExpr};
use sea_orm::sea_query::{IntoIden, Query, QueryStatementBuilder};
use sea_orm::{
    ColumnTrait, Condition, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The lists of the menu and the three tabs of Søg (seed 001 §1.1, §1.2; seed 002 §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Liste {
    Ansoegninger,
    Tilbud,
    Bevillinger,
    Forlaengelser,
    Ophoer,
    SendteKladder,
    /// Søg → "Ansøgninger og tilbud": all schemes, searched as soon as it opens.
    SoegAnsoegninger,
    /// Søg → "Bevillinger".
    SoegBevillinger,
    /// Søg → "IGU-aftaler".
    SoegIgu,
}

/// Which of the case's status fields a list shows and filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statusfelt {
    Ansoegning,
    Afgoerelse,
    Forlaengelse,
}

impl Liste {
    pub const ALLE: [Liste; 9] = [
        Liste::Ansoegninger,
        Liste::Tilbud,
        Liste::Bevillinger,
        Liste::Forlaengelser,
        Liste::Ophoer,
        Liste::SendteKladder,
        Liste::SoegAnsoegninger,
        Liste::SoegBevillinger,
        Liste::SoegIgu,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            Liste::Ansoegninger => "ansoegninger",
            Liste::Tilbud => "tilbud",
            Liste::Bevillinger => "bevillinger",
            Liste::Forlaengelser => "forlaengelser",
            Liste::Ophoer => "ophoer",
            Liste::SendteKladder => "sendte-kladder",
            Liste::SoegAnsoegninger => "soeg-ansoegninger",
            Liste::SoegBevillinger => "soeg-bevillinger",
            Liste::SoegIgu => "soeg-igu",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Liste> {
        Liste::ALLE.into_iter().find(|l| l.kode() == kode)
    }

    pub fn titel(self) -> &'static str {
        match self {
            Liste::Ansoegninger => "Ansøgninger",
            Liste::Tilbud => "Tilbud",
            Liste::Bevillinger => "Bevillinger",
            Liste::Forlaengelser => "Forlængelser",
            Liste::Ophoer => "Ophør",
            Liste::SendteKladder => "Sendte kladder",
            Liste::SoegAnsoegninger => "Søg: Ansøgninger og tilbud",
            Liste::SoegBevillinger => "Søg: Bevillinger",
            Liste::SoegIgu => "Søg: IGU-aftaler",
        }
    }

    pub fn statusfelt(self) -> Statusfelt {
        match self {
            Liste::Ansoegninger | Liste::Tilbud | Liste::SendteKladder | Liste::SoegAnsoegninger => {
                Statusfelt::Ansoegning
            }
            Liste::Bevillinger | Liste::Ophoer | Liste::SoegBevillinger | Liste::SoegIgu => Statusfelt::Afgoerelse,
            Liste::Forlaengelser => Statusfelt::Forlaengelse,
        }
    }

    /// The statuses the list's status filter offers: (code, Danish name).
    pub fn statusser(self) -> Vec<(&'static str, &'static str)> {
        match self.statusfelt() {
            Statusfelt::Ansoegning => AnsoegningStatus::ALLE.iter().map(|s| (s.kode(), s.navn())).collect(),
            Statusfelt::Afgoerelse => AfgoerelseStatus::ALLE.iter().map(|s| (s.kode(), s.navn())).collect(),
            Statusfelt::Forlaengelse => ForlaengelseStatus::ALLE.iter().map(|s| (s.kode(), s.navn())).collect(),
        }
    }

    /// Whether the list shows the "Tillægsbevilling" column and filter (seed 001 §1.4).
    pub fn har_tillaeg(self) -> bool {
        matches!(self, Liste::Bevillinger | Liste::SoegBevillinger)
    }

    /// Which cases belong to the list, before scope and filter, over the columns of `k`.
    fn medlemskab(self, k: Kilde) -> Condition {
        use sea_orm::sea_query::ExprTrait;
        let ans = || k.kol(sag::Column::AnsoegningStatus);
        let kladde = AnsoegningStatus::Kladde.kode();
        match self {
            // Applications that have left the company: received, at the representative, decided;
            // and agreements (IGU), which the jobcentre receives and decides alike (decision 97).
            Liste::Ansoegninger => Condition::all()
                .add(k.kol(sag::Column::Sagsart).is_in([
                    Sagsart::Ansoegning.kode(),
                    Sagsart::Fleksjobanmodning.kode(),
                    Sagsart::Aftale.kode(),
                ]))
                .add(ans().is_not_null())
                .add(ans().ne(kladde)),
            Liste::Tilbud => Condition::all()
                .add(k.kol(sag::Column::Sagsart).eq(Sagsart::Tilbud.kode()))
                .add(Condition::any().add(ans().is_null()).add(ans().ne(kladde))),
            // Grants and supplementary grants in one list (seed 001 §1.4).
            Liste::Bevillinger | Liste::SoegBevillinger => {
                Condition::all().add(k.kol(sag::Column::AfgoerelseStatus).is_not_null())
            }
            Liste::Forlaengelser => Condition::all().add(k.kol(sag::Column::ForlaengelseStatus).is_not_null()),
            Liste::Ophoer => {
                Condition::all().add(k.kol(sag::Column::AfgoerelseStatus).eq(AfgoerelseStatus::Ophoert.kode()))
            }
            // Drafts a jobcentre made for a company and sent to it (a company's own draft has
            // no jobcentre: docs/case-model.md).
            Liste::SendteKladder => {
                Condition::all().add(ans().eq(kladde)).add(k.kol(sag::Column::JobcenterId).is_not_null())
            }
            Liste::SoegAnsoegninger => Condition::all()
                .add(k.kol(sag::Column::Sagsart).is_in([
                    Sagsart::Ansoegning.kode(),
                    Sagsart::Tilbud.kode(),
                    Sagsart::Fleksjobanmodning.kode(),
                ]))
                .add(Condition::any().add(ans().is_null()).add(ans().ne(kladde))),
            Liste::SoegIgu => Condition::all().add(k.kol(sag::Column::Ordning).eq(Ordning::Igu.kode())),
        }
    }
}

/// Where a list's condition reads its columns: the cases themselves, or the maintained
/// counts (`crate::taelling`), whose group columns carry the same names as in `sag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kilde {
    Sag,
    Taelling,
}

impl Kilde {
    fn kol(self, c: sag::Column) -> SimpleExpr {
        use sea_orm::IdenStatic;
        match self {
            Kilde::Sag => Expr::col((sag::Entity, c)),
            Kilde::Taelling => Expr::col((crate::taelling::SagAntal::Table, Alias::new(c.as_str()))),
        }
    }

    /// The case is a supplementary grant (`hovedsag_id` set) or, with `false`, a main case.
    fn tillaeg(self, er: bool) -> SimpleExpr {
        use sea_orm::sea_query::ExprTrait;
        match (self, er) {
            (Kilde::Sag, true) => self.kol(sag::Column::HovedsagId).is_not_null(),
            (Kilde::Sag, false) => self.kol(sag::Column::HovedsagId).is_null(),
            (Kilde::Taelling, er) => {
                Expr::col((crate::taelling::SagAntal::Table, crate::taelling::SagAntal::Tillaeg)).eq(er)
            }
        }
    }
}

/// The columns every list can show and sort on. Team and Medarbejder stand in the same
/// place in every list (seed 002 §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kolonne {
    Id,
    Ordning,
    Tillaeg,
    Status,
    Cpr,
    Navn,
    Cvr,
    Modtaget,
    Godkendt,
    Start,
    Slut,
    Timer,
    Team,
    Medarbejder,
}

impl Kolonne {
    pub const ALLE: [Kolonne; 14] = [
        Kolonne::Id,
        Kolonne::Ordning,
        Kolonne::Tillaeg,
        Kolonne::Status,
        Kolonne::Cpr,
        Kolonne::Navn,
        Kolonne::Cvr,
        Kolonne::Modtaget,
        Kolonne::Godkendt,
        Kolonne::Start,
        Kolonne::Slut,
        Kolonne::Timer,
        Kolonne::Team,
        Kolonne::Medarbejder,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            Kolonne::Id => "id",
            Kolonne::Ordning => "ordning",
            Kolonne::Tillaeg => "tillaeg",
            Kolonne::Status => "status",
            Kolonne::Cpr => "cpr",
            Kolonne::Navn => "navn",
            Kolonne::Cvr => "cvr",
            Kolonne::Modtaget => "modtaget",
            Kolonne::Godkendt => "godkendt",
            Kolonne::Start => "start",
            Kolonne::Slut => "slut",
            Kolonne::Timer => "timer",
            Kolonne::Team => "team",
            Kolonne::Medarbejder => "medarbejder",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Kolonne> {
        Kolonne::ALLE.into_iter().find(|k| k.kode() == kode)
    }

    pub fn overskrift(self) -> &'static str {
        match self {
            Kolonne::Id => "VITAS-id",
            Kolonne::Ordning => "Ordning",
            Kolonne::Tillaeg => "Tillægsbevilling",
            Kolonne::Status => "Status",
            Kolonne::Cpr => "CPR",
            Kolonne::Navn => "Navn",
            Kolonne::Cvr => "CVR",
            Kolonne::Modtaget => "Modtaget dato",
            Kolonne::Godkendt => "Godkendt dato",
            Kolonne::Start => "Startdato",
            Kolonne::Slut => "Slutdato",
            Kolonne::Timer => "Timer pr. uge",
            Kolonne::Team => "Team",
            Kolonne::Medarbejder => "Medarbejder",
        }
    }

    /// The columns a list shows to a role. "Godkendt dato" is not shown to companies
    /// (seed 001 §1.2.4a); "Tillægsbevilling" only in the grant lists (seed 001 §1.4).
    pub fn for_liste(liste: Liste, virksomhed: bool) -> Vec<Kolonne> {
        Kolonne::ALLE
            .into_iter()
            .filter(|k| *k != Kolonne::Tillaeg || liste.har_tillaeg())
            .filter(|k| *k != Kolonne::Godkendt || !virksomhed)
            .collect()
    }
}

/// A list's filter. Every field is optional; several values of one field mean "any of".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub ordninger: Vec<Ordning>,
    /// Codes of the list's status field.
    pub statusser: Vec<String>,
    /// Supplementary grants of these schemes (mentor, hjælpemiddel).
    pub tillaeg: Vec<Ordning>,
    pub cpr: Option<String>,
    /// Part of the citizen's name, any case.
    pub navn: Option<String>,
    pub cvr: Option<String>,
    pub vitas_id: Option<i64>,
    pub modtaget_fra: Option<NaiveDate>,
    pub modtaget_til: Option<NaiveDate>,
    pub start_fra: Option<NaiveDate>,
    pub start_til: Option<NaiveDate>,
    pub slut_fra: Option<NaiveDate>,
    pub slut_til: Option<NaiveDate>,
    pub team: Option<i64>,
    pub medarbejder: Option<i64>,
    /// Hours per week, in hundredths, inclusive.
    pub timer_min: Option<u32>,
    pub timer_max: Option<u32>,
    /// Only supplementary grants (`Some(true)`) or only main grants (`Some(false)`): the two
    /// sheets of the Bevillinger export (seed 001 §1.5). Not part of the URL.
    #[serde(skip)]
    pub kun_tillaeg: Option<bool>,
}

/// The sort order: a column and a direction; empty cells last either way; ties by id in
/// the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sortering {
    pub kolonne: Kolonne,
    pub faldende: bool,
}

impl Default for Sortering {
    fn default() -> Self {
        Sortering { kolonne: Kolonne::Id, faldende: true }
    }
}

/// One row as the list shows it. Personal data is masked per row by the caller's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raekke {
    pub sag: sag::Model,
    pub team: Option<String>,
    pub medarbejder: Option<String>,
}

/// A page and the total number of hits.
#[derive(Debug, Clone)]
pub struct ListeSide {
    pub raekker: Vec<Raekke>,
    pub total: u64,
    /// The page shown: the one asked for, brought within the list's pages and [`MAKS_DYBDE`].
    pub side: u64,
    pub stoerrelse: u64,
}

impl ListeSide {
    /// The pages a user can open: every page of the hits, up to [`MAKS_DYBDE`] rows deep.
    pub fn antal_sider(&self) -> u64 {
        sider_i_alt(self.total, self.stoerrelse)
    }

    /// More hits than the pages reach: the user is asked to narrow the search (decision 50).
    pub fn begraenset(&self) -> bool {
        self.total > MAKS_DYBDE
    }
}

/// The deepest row a list page reaches (decision 50). OFFSET reads and drops every row before
/// the page, so deep pages grow slow (docs/benchmarks.md, "Deep pages: OFFSET"); past this
/// depth the list asks the user to narrow the search or turn the order around, as search
/// engines do.
pub const MAKS_DYBDE: u64 = 10_000;

/// The number of pages of `total` hits at `stoerrelse` per page, within [`MAKS_DYBDE`]; at
/// least one, so an empty list has its (empty) first page.
pub fn sider_i_alt(total: u64, stoerrelse: u64) -> u64 {
    let stoerrelse = stoerrelse.clamp(1, MAKS_SIDE);
    total.min(MAKS_DYBDE).div_ceil(stoerrelse).max(1)
}

/// The page a list shows when `side` is asked for: 1 or more, and not past the last page it
/// has nor past [`MAKS_DYBDE`]. Any u64 is safe here (`side=18446744073709551615` panicked in
/// the offset's conversion before).
pub fn gyldig_side(side: u64, total: u64, stoerrelse: u64) -> u64 {
    side.clamp(1, sider_i_alt(total, stoerrelse))
}

/// The actor's scope as a condition (the same rule as `policy::i_scope`).
pub fn scope(aktoer: &Aktoer) -> Condition {
    match aktoer {
        Aktoer::Virksomhed { cvr } => Condition::all().add(sag::Column::Cvr.eq(cvr.as_str())),
        Aktoer::Medarbejderrep { sag_id } => Condition::all().add(sag::Column::Id.eq(*sag_id)),
        // Issue 13 §2: the citizen's own agreements once the company has sent them (as
        // `policy::i_scope`): the schemes the citizen signs, no drafts.
        Aktoer::Borger { cpr } => Condition::all()
            .add(sag::Column::Cpr.eq(cpr.as_str()))
            .add(
                sag::Column::Ordning
                    .is_in(Ordning::ALLE.into_iter().filter(|o| o.borger_underskriver()).map(|o| o.kode())),
            )
            .add(sag::Column::AnsoegningStatus.is_not_null())
            .add(sag::Column::AnsoegningStatus.ne(domain::status::AnsoegningStatus::Kladde.kode())),
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => {
            Condition::all().add(sag::Column::JobcenterId.eq(*jobcenter_id))
        }
        Aktoer::AndenAktoer { organisation_id } => {
            Condition::all().add(sag::Column::AndenAktoerId.eq(*organisation_id))
        }
        Aktoer::Styrelse | Aktoer::System => Condition::all(),
    }
}

/// What a CPR or name filter may find, by the policy (domain::policy::persondata_soegning):
/// everything in scope, only the citizens assigned to an Anden Aktør in DFDG, or nothing.
fn persondata_scope(aktoer: &Aktoer) -> Condition {
    use domain::policy::PersondataSoegning;
    use sea_orm::sea_query::ExprTrait;
    match domain::policy::persondata_soegning(aktoer) {
        PersondataSoegning::Alle => Condition::all(),
        PersondataSoegning::KunUdlagteTil(aa) => {
            let udlagte = sea_orm::sea_query::Query::select()
                .column(dfdg_borger::Column::Cpr)
                .from(dfdg_borger::Entity)
                .and_where(dfdg_borger::Column::AndenAktoerId.eq(aa))
                .to_owned();
            Condition::all().add(sag::Column::Cpr.in_subquery(udlagte))
        }
        PersondataSoegning::Ingen => Condition::all().add(Expr::val(1).eq(0)),
    }
}

/// `%` and `_` are wildcards in LIKE; a name typed with them must match them literally.
fn like_moenster(tekst: &str) -> String {
    let mut ud = String::from("%");
    for c in soegetekst(tekst).chars() {
        if matches!(c, '%' | '_' | '\\') {
            ud.push('\\');
        }
        ud.push(c);
    }
    ud.push('%');
    ud
}

/// The part of a list's condition that the maintained counts can answer as well: the list's
/// membership and the filters on scheme, status and supplementary grant.
fn grov_betingelse(k: Kilde, liste: Liste, f: &Filter) -> Condition {
    use sea_orm::sea_query::ExprTrait;
    let mut c = Condition::all().add(liste.medlemskab(k));
    if !f.ordninger.is_empty() {
        c = c.add(k.kol(sag::Column::Ordning).is_in(f.ordninger.iter().map(|o| o.kode())));
    }
    if !f.statusser.is_empty() {
        let kol = match liste.statusfelt() {
            Statusfelt::Ansoegning => sag::Column::AnsoegningStatus,
            Statusfelt::Afgoerelse => sag::Column::AfgoerelseStatus,
            Statusfelt::Forlaengelse => sag::Column::ForlaengelseStatus,
        };
        c = c.add(k.kol(kol).is_in(f.statusser.iter().map(String::as_str)));
    }
    if !f.tillaeg.is_empty() {
        c = c.add(k.tillaeg(true)).add(k.kol(sag::Column::Ordning).is_in(f.tillaeg.iter().map(|o| o.kode())));
    }
    if let Some(er) = f.kun_tillaeg {
        c = c.add(k.tillaeg(er));
    }
    c
}

/// Whether a filter uses only what the maintained counts hold (scheme, status,
/// supplementary grant); any other field makes the count go to the cases themselves.
fn kun_grove_felter(f: &Filter) -> bool {
    let Filter {
        ordninger: _,
        statusser: _,
        tillaeg: _,
        kun_tillaeg: _,
        cpr,
        navn,
        cvr,
        vitas_id,
        modtaget_fra,
        modtaget_til,
        start_fra,
        start_til,
        slut_fra,
        slut_til,
        team,
        medarbejder,
        timer_min,
        timer_max,
    } = f;
    cpr.is_none()
        && navn.as_deref().is_none_or(|n| n.trim().is_empty())
        && cvr.is_none()
        && vitas_id.is_none()
        && [modtaget_fra, modtaget_til, start_fra, start_til, slut_fra, slut_til].iter().all(|d| d.is_none())
        && team.is_none()
        && medarbejder.is_none()
        && timer_min.is_none()
        && timer_max.is_none()
}

/// The condition over the maintained counts that gives exactly the total of the list, when
/// there is one: a jobcentre's, an Anden Aktør's or the national scope, and a filter that
/// [`kun_grove_felter`] accepts. A company's or a citizen's list is small and counted directly.
pub fn taellebetingelse(aktoer: &Aktoer, liste: Liste, f: &Filter) -> Option<Condition> {
    use sea_orm::sea_query::ExprTrait;
    if !kun_grove_felter(f) {
        return None;
    }
    let k = Kilde::Taelling;
    let scope = match aktoer {
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => {
            Condition::all().add(k.kol(sag::Column::JobcenterId).eq(*jobcenter_id))
        }
        Aktoer::AndenAktoer { organisation_id } => {
            Condition::all().add(k.kol(sag::Column::AndenAktoerId).eq(*organisation_id))
        }
        Aktoer::Styrelse | Aktoer::System => Condition::all(),
        Aktoer::Virksomhed { .. } | Aktoer::Medarbejderrep { .. } | Aktoer::Borger { .. } => return None,
    };
    Some(Condition::all().add(scope).add(grov_betingelse(k, liste, f)))
}

/// The WHERE clause of a list: scope AND membership AND filter.
pub fn betingelse(aktoer: &Aktoer, liste: Liste, f: &Filter) -> Condition {
    let mut c = Condition::all().add(scope(aktoer)).add(grov_betingelse(Kilde::Sag, liste, f));
    let navn = f.navn.as_deref().filter(|n| !n.trim().is_empty());
    if f.cpr.is_some() || navn.is_some() {
        c = c.add(persondata_scope(aktoer));
    }
    if let Some(cpr) = &f.cpr {
        // The case's citizen, or another citizen its form names, such as a jobrotation's
        // second substitute (decision 106): `id IN (ids by sag.cpr UNION ids by sag_person)`,
        // two index lookups joined to the list by primary key. The same test written as
        // `cpr = ? OR id IN (…)` made PostgreSQL walk the jobcentre's cases: 1 s a page at
        // 10M against 0.4 ms (docs/benchmarks.md, "10M cases with the form in a table of
        // its own").
        let cpr: String = cpr.chars().filter(char::is_ascii_digit).collect();
        let egen = Alias::new("egen");
        let oevrige = Query::select()
            .column(sag_person::Column::SagId)
            .from(sag_person::Entity)
            .and_where(sea_orm::sea_query::ExprTrait::eq(Expr::col(sag_person::Column::Cpr), cpr.clone()))
            .to_owned();
        let sager = Query::select()
            .column((egen.clone(), sag::Column::Id))
            .from_as(sag::Entity, egen.clone())
            .and_where(sea_orm::sea_query::ExprTrait::eq(Expr::col((egen, sag::Column::Cpr)), cpr))
            .union(sea_orm::sea_query::UnionType::Distinct, oevrige)
            .to_owned();
        c = c.add(sag::Column::Id.in_subquery(sager));
    }
    if let Some(navn) = navn {
        // Rule 3: compare the lower-cased column filled in Rust with a lower-cased pattern.
        c = c.add(sea_orm::sea_query::ExprTrait::like(
            Expr::col((sag::Entity, sag::Column::BorgerNavnSoeg)),
            LikeExpr::new(like_moenster(navn)).escape('\\'),
        ));
    }
    if let Some(cvr) = &f.cvr {
        c = c.add(sag::Column::Cvr.eq(cvr.trim()));
    }
    if let Some(id) = f.vitas_id {
        c = c.add(sag::Column::Id.eq(id));
    }
    for (kol, fra, til) in [
        (sag::Column::ModtagetDato, f.modtaget_fra, f.modtaget_til),
        (sag::Column::Startdato, f.start_fra, f.start_til),
        (sag::Column::Slutdato, f.slut_fra, f.slut_til),
    ] {
        if let Some(d) = fra {
            c = c.add(kol.gte(d));
        }
        if let Some(d) = til {
            c = c.add(kol.lte(d));
        }
    }
    if let Some(t) = f.team {
        c = c.add(sag::Column::TeamId.eq(t));
    }
    if let Some(m) = f.medarbejder {
        c = c.add(sag::Column::AnsvarligId.eq(m));
    }
    if f.timer_min.is_some() || f.timer_max.is_some() {
        // Seed 001 §1.2.2: filtering on hours includes fleksjob, not the compensating schemes.
        let med = Ordning::ALLE.into_iter().filter(|o| o.i_timefilter()).map(|o| o.kode());
        c = c.add(sag::Column::Ordning.is_in(med));
        if let Some(min) = f.timer_min {
            c = c.add(sag::Column::TimerHundrededele.gte(i64::from(min)));
        }
        if let Some(max) = f.timer_max {
            c = c.add(sag::Column::TimerHundrededele.lte(i64::from(max)));
        }
    }
    c
}

/// Codes in the Danish order of their names.
#[cfg(test)]
fn dansk_rang<'a>(navne: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut v: Vec<(String, String)> =
        navne.into_iter().map(|(kode, navn)| (sorteringsnoegle(navn), kode.to_string())).collect();
    v.sort();
    v.into_iter().map(|(_, kode)| kode).collect()
}

/// The columns that hold a case's rank for the columns whose codes sort by their Danish
/// names (decision 52). The database computes them from the case's own row (generated
/// columns, `migration::SorteringsNoegler`), so no write path can forget them; the test
/// `rangordenen_er_de_danske_navnes` holds the migration's orders to today's names.
#[cfg(test)]
const RANGKOLONNER: [(&str, sag::Column); 4] = [
    ("ordning_rang", sag::Column::Ordning),
    ("ansoegning_status_rang", sag::Column::AnsoegningStatus),
    ("afgoerelse_status_rang", sag::Column::AfgoerelseStatus),
    ("forlaengelse_status_rang", sag::Column::ForlaengelseStatus),
];

/// The codes of a ranked column in the Danish order of their names: rank 0, 1, ….
#[cfg(test)]
fn rangorden(kol: sag::Column) -> Vec<String> {
    let status = |felt: Statusfelt| {
        let liste = Liste::ALLE.into_iter().find(|l| l.statusfelt() == felt).unwrap_or(Liste::Ansoegninger);
        dansk_rang(liste.statusser())
    };
    match kol {
        sag::Column::AnsoegningStatus => status(Statusfelt::Ansoegning),
        sag::Column::AfgoerelseStatus => status(Statusfelt::Afgoerelse),
        sag::Column::ForlaengelseStatus => status(Statusfelt::Forlaengelse),
        _ => dansk_rang(Ordning::ALLE.iter().map(|o| (o.kode(), o.navn()))),
    }
}

/// The sort key of a team or a caseworker as stored on the case (`team_sort`,
/// `ansvarlig_sort`): the name's Danish key, then the id, so two people of one name keep
/// apart in id order (decision 52). `\u{1}` sorts below every character of a key.
pub fn navnenoegle(navn: &str, id: i64) -> String {
    format!("{}\u{1}{id:020}", sorteringsnoegle(navn))
}

/// The stored sort keys for a team and a caseworker, read from their rows.
pub async fn ansvar_noegler<C: sea_orm::ConnectionTrait>(
    c: &C,
    team_id: Option<i64>,
    ansvarlig_id: Option<i64>,
) -> Result<(Option<String>, Option<String>), StorageError> {
    let team = match team_id {
        Some(id) => team::Entity::find_by_id(id).one(c).await?.map(|t| navnenoegle(&t.navn, t.id)),
        None => None,
    };
    let ansvarlig = match ansvarlig_id {
        Some(id) => bruger::Entity::find_by_id(id).one(c).await?.map(|b| navnenoegle(&b.fuldt_navn(), b.id)),
        None => None,
    };
    Ok((team, ansvarlig))
}

/// Every team's and every jobcentre employee's sort key, by id (the bulk generator,
/// `tools::bulk`, and the migration that fills the keys in). It reads only the columns the
/// keys need, so the migration keeps working when later steps add columns the entities then
/// declare.
pub async fn alle_ansvar_noegler<C: sea_orm::ConnectionTrait>(
    c: &C,
) -> Result<(HashMap<i64, String>, HashMap<i64, String>), StorageError> {
    let teams: Vec<(i64, String)> = team::Entity::find()
        .select_only()
        .column(team::Column::Id)
        .column(team::Column::Navn)
        .into_tuple()
        .all(c)
        .await?;
    let folk: Vec<(i64, String, String)> = bruger::Entity::find()
        .select_only()
        .column(bruger::Column::Id)
        .column(bruger::Column::Fornavn)
        .column(bruger::Column::Efternavn)
        .filter(bruger::Column::JobcenterId.is_not_null())
        .into_tuple()
        .all(c)
        .await?;
    Ok((
        teams.into_iter().map(|(id, navn)| (id, navnenoegle(&navn, id))).collect(),
        // The name as `bruger::Model::fuldt_navn` gives it.
        folk.into_iter()
            .map(|(id, fornavn, efternavn)| (id, navnenoegle(&format!("{fornavn} {efternavn}"), id)))
            .collect(),
    ))
}

/// The ORDER BY expression of a column: a column of the case itself for every column, so
/// an index can give the order (decision 52).
fn sorteringsudtryk(liste: Liste, kol: Kolonne) -> SimpleExpr {
    let c = |k: sag::Column| Expr::col((sag::Entity, k));
    let rang = |navn: &'static str| Expr::col((sag::Entity, Alias::new(navn)));
    match kol {
        Kolonne::Id => c(sag::Column::Id),
        Kolonne::Ordning => rang("ordning_rang"),
        // A main grant has no supplement: an empty cell, sorted last.
        Kolonne::Tillaeg => Expr::case(sag::Column::HovedsagId.is_not_null(), rang("ordning_rang")).into(),
        Kolonne::Status => rang(match liste.statusfelt() {
            Statusfelt::Ansoegning => "ansoegning_status_rang",
            Statusfelt::Afgoerelse => "afgoerelse_status_rang",
            Statusfelt::Forlaengelse => "forlaengelse_status_rang",
        }),
        Kolonne::Cpr => c(sag::Column::Cpr),
        Kolonne::Navn => c(sag::Column::BorgerNavnSort),
        Kolonne::Cvr => c(sag::Column::Cvr),
        Kolonne::Modtaget => c(sag::Column::ModtagetDato),
        Kolonne::Godkendt => c(sag::Column::GodkendtDato),
        Kolonne::Start => c(sag::Column::Startdato),
        Kolonne::Slut => c(sag::Column::Slutdato),
        Kolonne::Timer => c(sag::Column::TimerHundrededele),
        Kolonne::Team => c(sag::Column::TeamSort),
        Kolonne::Medarbejder => c(sag::Column::AnsvarligSort),
    }
}

/// Teams the actor's lists can show: a jobcentre's own, or all (national scope).
pub async fn teams_i_scope(db: &Db, aktoer: &Aktoer) -> Result<Vec<(i64, String)>, StorageError> {
    let mut q = team::Entity::find();
    if let Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } = aktoer {
        q = q.filter(team::Column::JobcenterId.eq(*jobcenter_id));
    }
    Ok(q.all(&db.conn).await?.into_iter().map(|t| (t.id, t.navn)).collect())
}

/// Caseworkers the actor's lists can show.
pub async fn medarbejdere_i_scope(db: &Db, aktoer: &Aktoer) -> Result<Vec<(i64, String)>, StorageError> {
    let mut q = bruger::Entity::find().filter(bruger::Column::JobcenterId.is_not_null());
    if let Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } = aktoer {
        q = q.filter(bruger::Column::JobcenterId.eq(*jobcenter_id));
    }
    Ok(q.all(&db.conn).await?.into_iter().map(|b| (b.id, b.fuldt_navn())).collect())
}

/// A cell as the list and the Excel export show it. `persondata` is whether the viewer may
/// see the citizen's CPR and name for this row; otherwise the CPR is masked and the name
/// reads "Persondata er fjernet" (seed 001 §1.2.4).
pub fn tekst(k: Kolonne, r: &Raekke, liste: Liste, persondata: bool) -> String {
    let s = &r.sag;
    let dato = |d: Option<NaiveDate>| d.map(domain::periode::dansk_dato).unwrap_or_default();
    match k {
        Kolonne::Id => s.id.to_string(),
        Kolonne::Ordning => Ordning::fra_kode(&s.ordning).map(|o| o.navn()).unwrap_or("").to_string(),
        Kolonne::Tillaeg => match s.hovedsag_id {
            Some(_) => Ordning::fra_kode(&s.ordning).map(|o| o.navn()).unwrap_or("").to_string(),
            None => String::new(),
        },
        Kolonne::Status => {
            let kode = match liste.statusfelt() {
                Statusfelt::Ansoegning => s.ansoegning_status.as_deref(),
                Statusfelt::Afgoerelse => s.afgoerelse_status.as_deref(),
                Statusfelt::Forlaengelse => s.forlaengelse_status.as_deref(),
            };
            let navn = liste.statusser().into_iter().find(|(c, _)| Some(*c) == kode).map(|(_, n)| n);
            // Søg → IGU-aftaler: an agreement not decided yet shows where it is, e.g. "Sendt
            // til borgeren" (decision 97); the filter and the order stay the decision's.
            let aftalens = || s.ansoegning_status.as_deref().and_then(AnsoegningStatus::fra_kode).map(|a| a.navn());
            match (navn, liste) {
                (None, Liste::SoegIgu) => aftalens().unwrap_or("").to_string(),
                (n, _) => n.unwrap_or("").to_string(),
            }
        }
        Kolonne::Cpr => match s.cpr.as_deref().map(|c| domain::ident::Cpr::parse(c, "cpr")) {
            Some(Ok(c)) if persondata => c.formateret(),
            Some(Ok(c)) => c.maskeret(),
            _ => String::new(),
        },
        Kolonne::Navn => match &s.borger_navn {
            Some(n) if persondata => n.clone(),
            Some(_) => "Persondata er fjernet".into(),
            None => String::new(),
        },
        Kolonne::Cvr => s.cvr.clone(),
        Kolonne::Modtaget => dato(s.modtaget_dato),
        Kolonne::Godkendt => dato(s.godkendt_dato),
        Kolonne::Start => dato(s.startdato),
        Kolonne::Slut => dato(s.slutdato),
        Kolonne::Timer => s
            .timer_hundrededele
            .and_then(|t| u32::try_from(t).ok())
            .map(|t| domain::timer::TimerPrUge::from_hundredths(t).to_decimal_string())
            .unwrap_or_default(),
        Kolonne::Team => r.team.clone().unwrap_or_default(),
        Kolonne::Medarbejder => r.medarbejder.clone().unwrap_or_default(),
    }
}

/// The number of cases in a list: the total the list shows, and the front-page counter.
///
/// Exact either way: a jobcentre's, an Anden Aktør's or the national list filtered at most
/// on scheme, status and supplementary grant is summed from the counts maintained in the
/// same transaction as every change (`crate::taelling`); any other list is counted with
/// COUNT(*) over the same WHERE clause as its page.
pub async fn antal(db: &Db, aktoer: &Aktoer, liste: Liste, f: &Filter) -> Result<u64, StorageError> {
    if let Some(c) = taellebetingelse(aktoer, liste, f) {
        match crate::taelling::sum(&db.conn, c).await {
            Ok(n) => return Ok(n),
            // Counts that went wrong (a negative group after a write that bypassed the
            // repository) must not take the list down: count the cases, and say so in the log;
            // `vitas taelling --genopbyg` repairs them.
            Err(StorageError::Data(fejl)) => {
                tracing::warn!(%fejl, "tællingerne er ugyldige; listen tælles direkte");
            }
            Err(e) => return Err(e),
        }
    }
    antal_direkte(db, aktoer, liste, f).await
}

/// COUNT(*) over the list's WHERE clause, whatever the filter (the reference for
/// [`antal`], and its answer when the counts cannot give it).
/// The CPR numbers of every case in a list (the access log's entry for an Excel export: the
/// file's rows, counted once each).
pub async fn cpr_i_listen(db: &Db, aktoer: &Aktoer, liste: Liste, f: &Filter) -> Result<Vec<String>, StorageError> {
    Ok(sag::Entity::find()
        .select_only()
        .column(sag::Column::Cpr)
        .distinct()
        .filter(betingelse(aktoer, liste, f))
        .filter(sag::Column::Cpr.is_not_null())
        .into_tuple::<Option<String>>()
        .all(&db.conn)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

pub async fn antal_direkte(db: &Db, aktoer: &Aktoer, liste: Liste, f: &Filter) -> Result<u64, StorageError> {
    Ok(sag::Entity::find().filter(betingelse(aktoer, liste, f)).count(&db.conn).await?)
}

/// Largest page a list serves.
pub const MAKS_SIDE: u64 = 500;

/// A list in its order, as statements: the cases with a value in the sort column in the
/// column's order, then the cases without one by id. Both the page ([`side`]) and the Excel
/// export read these, so both show the same rows in the same order.
///
/// Empty cells go last in both directions (decision 23). One `ORDER BY col DESC NULLS LAST`
/// says that, but a B-tree read backwards gives the empty cells first, so PostgreSQL fetched
/// and sorted every matching row (docs/benchmarks.md, "Empty cells last without NULLS
/// LAST"). Two parts without a
/// NULLS clause are each read in index order in either direction, on both databases
/// (decision 48).
#[derive(Debug, Clone)]
pub struct Ordnet {
    /// The cases with a value, in the column's order (for the id: every case).
    pub med_vaerdi: Select<sag::Entity>,
    /// The cases with an empty sort cell, by id in the same direction; `None` for the id.
    pub uden_vaerdi: Option<Select<sag::Entity>>,
    /// The first part's WHERE clause, to count it when a page starts among the empty cells.
    med_betingelse: Condition,
}

/// The list's cases in the list's order, read in the order of an index where one fits:
/// see [`Ordnet`]. The Excel export streams the whole list this way.
pub fn sorteret(aktoer: &Aktoer, liste: Liste, f: &Filter, sortering: Sortering) -> Ordnet {
    ordnet(aktoer, liste, f, sortering, false)
}

/// A list of at most this many cases is sorted, not read in index order (decision 52).
pub const SORTER_HOEJST: u64 = 20_000;

/// The list's order for a page, when its total is known: a short list is fetched through
/// its filter's indexes and sorted; a long one is read in the order of the sort column's
/// index. PostgreSQL's planner cannot know that a narrow scope (a small jobcentre, an Anden
/// Aktør) lies thinly along a national sort index, and walked one past almost every case
/// to fill a page (docs/benchmarks.md, "Short lists sorted, long lists read in index
/// order"); the total, counted first, tells.
pub fn sorteret_til_side(aktoer: &Aktoer, liste: Liste, f: &Filter, sortering: Sortering, total: u64) -> Ordnet {
    ordnet(aktoer, liste, f, sortering, total <= SORTER_HOEJST)
}

fn ordnet(aktoer: &Aktoer, liste: Liste, f: &Filter, sortering: Sortering, sorter: bool) -> Ordnet {
    use sea_orm::sea_query::ExprTrait;
    let retning = if sortering.faldende { Order::Desc } else { Order::Asc };
    let hele = betingelse(aktoer, liste, f);
    // `COALESCE(x, x)` orders as `x` does, but matches no index, so the planner fetches the
    // rows through the filter and sorts them.
    let sortering_af = |x: SimpleExpr| -> SimpleExpr {
        if sorter { sea_orm::sea_query::Func::coalesce([x.clone(), x]).into() } else { x }
    };
    let id = sortering_af(Expr::col((sag::Entity, sag::Column::Id)));
    // The order of masked rows would tell what the mask hides: such a sort is by id instead.
    let persondata = matches!(sortering.kolonne, Kolonne::Cpr | Kolonne::Navn);
    if sortering.kolonne == Kolonne::Id || (persondata && !domain::policy::maa_sortere_paa_persondata(aktoer)) {
        // The id is never empty; it is read straight off the primary key either way.
        let q = sag::Entity::find().filter(hele.clone()).order_by(id, retning);
        return Ordnet { med_vaerdi: q, uden_vaerdi: None, med_betingelse: hele };
    }
    let udtryk = sorteringsudtryk(liste, sortering.kolonne);
    let med = hele.clone().add(udtryk.clone().is_not_null());
    let med_vaerdi = sag::Entity::find()
        .filter(med.clone())
        .order_by(sortering_af(udtryk.clone()), retning.clone())
        .order_by(id.clone(), retning.clone());
    let uden_vaerdi = sag::Entity::find().filter(hele.add(udtryk.is_null())).order_by(id, retning);
    Ordnet { med_vaerdi, uden_vaerdi: Some(uden_vaerdi), med_betingelse: med }
}

/// A page's second statement: when the first part ran out before the page was full, the
/// cases with an empty sort cell from where the page reaches them. Runs the (rare) count the
/// offset needs when the page starts among them. `fundet` is how many rows the first statement
/// ([`side_select`]) gave.
pub async fn anden_del(
    db: &Db,
    ordnet: Ordnet,
    side: u64,
    stoerrelse: u64,
    fundet: u64,
) -> Result<Option<Select<sag::Entity>>, StorageError> {
    let Some(uden) = ordnet.uden_vaerdi else { return Ok(None) };
    if fundet >= stoerrelse {
        return Ok(None);
    }
    let fra = forskydning(side, stoerrelse);
    // The page ran out of cases with a value: those number `fra + fundet` when the page held
    // some; when it held none, they end at or before the offset and must be counted.
    let med_antal = if fundet > 0 || fra == 0 {
        fra + fundet
    } else {
        sag::Entity::find().filter(ordnet.med_betingelse).count(&db.conn).await?
    };
    Ok(Some(navngivet(uden).offset(fra.saturating_sub(med_antal)).limit(stoerrelse - fundet)))
}

/// One page of a list, and its total.
pub async fn side(
    db: &Db,
    aktoer: &Aktoer,
    liste: Liste,
    f: &Filter,
    sortering: Sortering,
    side: u64,
    stoerrelse: u64,
) -> Result<ListeSide, StorageError> {
    let total = antal(db, aktoer, liste, f).await?;
    side_med_total(db, aktoer, liste, f, sortering, side, stoerrelse, total).await
}

/// A page of a list whose total ([`antal`]) the caller has counted already: the front page
/// counts each list for its bubble and shows the short list from the same count.
#[allow(clippy::too_many_arguments)]
pub async fn side_med_total(
    db: &Db,
    aktoer: &Aktoer,
    liste: Liste,
    f: &Filter,
    sortering: Sortering,
    side: u64,
    stoerrelse: u64,
    total: u64,
) -> Result<ListeSide, StorageError> {
    let stoerrelse = stoerrelse.clamp(1, MAKS_SIDE);
    let side = gyldig_side(side, total, stoerrelse);
    if total == 0 {
        // Nothing to read: the count, exact, said so.
        return Ok(ListeSide { raekker: Vec::new(), total, side, stoerrelse });
    }
    let ordnet = sorteret_til_side(aktoer, liste, f, sortering, total);
    let mut raekker =
        foerste_del(ordnet.med_vaerdi.clone(), side, stoerrelse).into_model::<SideRaekke>().all(&db.conn).await?;
    if let Some(anden) = anden_del(db, ordnet, side, stoerrelse, raekker.len() as u64).await? {
        raekker.extend(anden.into_model::<SideRaekke>().all(&db.conn).await?);
    }
    let raekker = raekker
        .into_iter()
        .map(|r| Raekke {
            sag: r.sag,
            team: r.team,
            medarbejder: match (r.fornavn, r.efternavn) {
                (Some(fornavn), Some(efternavn)) => Some(format!("{fornavn} {efternavn}")),
                _ => None,
            },
        })
        .collect();
    Ok(ListeSide { raekker, total, side, stoerrelse })
}

/// The first statement of a page of [`side`], the one every page sends (public for
/// `vitas-tools bench lists`, which sends the same statement raw). A page that reaches the
/// cases with an empty sort cell sends a second.
pub fn side_select(
    aktoer: &Aktoer,
    liste: Liste,
    f: &Filter,
    sortering: Sortering,
    side: u64,
    stoerrelse: u64,
    total: u64,
) -> Select<sag::Entity> {
    foerste_del(sorteret_til_side(aktoer, liste, f, sortering, total).med_vaerdi, side, stoerrelse)
}

/// A page of the first part: from the page's offset, with the names.
fn foerste_del(med_vaerdi: Select<sag::Entity>, side: u64, stoerrelse: u64) -> Select<sag::Entity> {
    navngivet(med_vaerdi).offset(forskydning(side, stoerrelse)).limit(stoerrelse)
}

/// The rows before a page. Callers pass a page from [`gyldig_side`]; the clamp keeps any other
/// value from overflowing.
fn forskydning(side: u64, stoerrelse: u64) -> u64 {
    (side.clamp(1, MAKS_DYBDE) - 1) * stoerrelse.clamp(1, MAKS_SIDE)
}

/// A select of cases with the team's and the responsible caseworker's names read in the same
/// statement, so a page is one round trip.
fn navngivet(q: Select<sag::Entity>) -> Select<sag::Entity> {
    // Scalar subqueries rather than joins: PostgreSQL evaluates them only for the rows left
    // after the sort and the LIMIT, where a join was planned over every matching row first
    // (docs/benchmarks.md, "Names on a page as scalar subqueries").
    let navn = |tabel: sea_orm::sea_query::DynIden, kol: &'static str, id: sag::Column| -> SimpleExpr {
        let q = Query::select()
            .column((tabel.clone(), Alias::new(kol)))
            .from(tabel.clone())
            .and_where(sea_orm::sea_query::ExprTrait::equals(Expr::col((tabel, Alias::new("id"))), (sag::Entity, id)))
            .to_owned();
        SimpleExpr::SubQuery(None, Box::new(q.into_sub_query_statement()))
    };
    let team_t = team::Entity.into_iden();
    let bruger_t = bruger::Entity.into_iden();
    q.column_as(navn(team_t, "navn", sag::Column::TeamId), "side_team")
        .column_as(navn(bruger_t.clone(), "fornavn", sag::Column::AnsvarligId), "side_fornavn")
        .column_as(navn(bruger_t, "efternavn", sag::Column::AnsvarligId), "side_efternavn")
}

/// A row of a page: the case and the names read with it.
struct SideRaekke {
    sag: sag::Model,
    team: Option<String>,
    fornavn: Option<String>,
    efternavn: Option<String>,
}

impl FromQueryResult for SideRaekke {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(SideRaekke {
            sag: sag::Model::from_query_result(res, pre)?,
            team: res.try_get(pre, "side_team")?,
            fornavn: res.try_get(pre, "side_fornavn")?,
            efternavn: res.try_get(pre, "side_efternavn")?,
        })
    }
}

/// The names an export looks up its rows' ids in: every team, jobcentre employee, jobcentre
/// and Anden Aktør, a few thousand rows even nationally, read once. (Reading only the ids the
/// list refers to took two more scans of the list's cases; docs/benchmarks.md, "The export
/// reads every name once".)
#[derive(Debug, Clone, Default)]
pub struct Navne {
    teams: HashMap<i64, String>,
    folk: HashMap<i64, String>,
    jobcentre: HashMap<i64, String>,
    andre_aktoerer: HashMap<i64, String>,
}

impl Navne {
    /// All names: what a list page's subqueries can name, the export can too.
    pub async fn alle(db: &Db) -> Result<Navne, StorageError> {
        let teams = teams_i_scope(db, &Aktoer::Styrelse).await?.into_iter().collect();
        let folk = medarbejdere_i_scope(db, &Aktoer::Styrelse).await?.into_iter().collect();
        let jobcentre = jobcenter::Entity::find().all(&db.conn).await?.into_iter().map(|j| (j.id, j.navn)).collect();
        let andre_aktoerer =
            anden_aktoer::Entity::find().all(&db.conn).await?.into_iter().map(|a| (a.id, a.navn)).collect();
        Ok(Navne { teams, folk, jobcentre, andre_aktoerer })
    }

    /// A case as a list row, with its names.
    pub fn raekke(&self, s: sag::Model) -> Raekke {
        Raekke {
            team: s.team_id.and_then(|t| self.teams.get(&t).cloned()),
            medarbejder: s.ansvarlig_id.and_then(|m| self.folk.get(&m).cloned()),
            sag: s,
        }
    }

    /// A jobcentre's name.
    pub fn jobcenter(&self, id: i64) -> Option<&str> {
        self.jobcentre.get(&id).map(String::as_str)
    }

    /// An Anden Aktør's name.
    pub fn anden_aktoer(&self, id: i64) -> Option<&str> {
        self.andre_aktoerer.get(&id).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_moenster_escaper_jokertegn() {
        assert_eq!(like_moenster("Ø_s%"), "%ø\\_s\\%%");
    }

    #[test]
    fn kode_vender_tilbage() {
        for l in Liste::ALLE {
            assert_eq!(Liste::fra_kode(l.kode()), Some(l));
        }
        for k in Kolonne::ALLE {
            assert_eq!(Kolonne::fra_kode(k.kode()), Some(k));
        }
    }

    #[test]
    fn virksomheder_ser_ikke_godkendt_dato() {
        assert!(!Kolonne::for_liste(Liste::SoegAnsoegninger, true).contains(&Kolonne::Godkendt));
        assert!(Kolonne::for_liste(Liste::SoegAnsoegninger, false).contains(&Kolonne::Godkendt));
        assert!(Kolonne::for_liste(Liste::Bevillinger, false).contains(&Kolonne::Tillaeg));
        assert!(!Kolonne::for_liste(Liste::Ansoegninger, false).contains(&Kolonne::Tillaeg));
    }

    #[test]
    fn sider_staar_inden_for_listen_og_dybden() {
        // An empty list has its one empty page; a page past the end is the last page.
        assert_eq!(sider_i_alt(0, 50), 1);
        assert_eq!(gyldig_side(7, 0, 50), 1);
        assert_eq!(sider_i_alt(101, 50), 3);
        assert_eq!(gyldig_side(3, 101, 50), 3);
        assert_eq!(gyldig_side(4, 101, 50), 3);
        assert_eq!(gyldig_side(0, 101, 50), 1);
        // Decision 50: no deeper than MAKS_DYBDE rows, whatever the total and the number asked.
        assert_eq!(sider_i_alt(10_000_000, 50), MAKS_DYBDE / 50);
        assert_eq!(gyldig_side(u64::MAX, 10_000_000, 50), MAKS_DYBDE / 50);
        // A page size of 0 counts as 1 row per page.
        assert_eq!(gyldig_side(u64::MAX, 10_000_000, 0), MAKS_DYBDE);
        assert!(forskydning(u64::MAX, u64::MAX) < MAKS_DYBDE * MAKS_SIDE);
        assert_eq!(forskydning(gyldig_side(u64::MAX, 10_000_000, 50), 50), MAKS_DYBDE - 50);
    }

    /// The generated rank columns (migration `m20261204_000002`, redefined by later steps) hold today's Danish order of
    /// the names; a new or renamed status or scheme needs a migration step (decision 52).
    #[test]
    fn rangordenen_er_de_danske_navnes() {
        use sea_orm::IdenStatic;
        for ((navn, kol), (m_navn, m_kol, m_orden)) in RANGKOLONNER.iter().zip(crate::migration::gaeldende_rangorden())
        {
            assert_eq!((*navn, kol.as_str()), (m_navn, m_kol));
            assert_eq!(rangorden(*kol), m_orden.iter().map(|k| k.to_string()).collect::<Vec<_>>(), "{navn}");
        }
    }

    #[test]
    fn ordninger_i_dansk_raekkefoelge() {
        let orden = dansk_rang(Ordning::ALLE.iter().map(|o| (o.kode(), o.navn())));
        let pos = |k: &str| orden.iter().position(|x| x == k).expect("findes");
        assert!(pos("loentilskud") < pos("mentor"));
        assert!(pos("virksomhedspraktik") < pos("voksenlaerling"));
        assert_eq!(orden.len(), 10);
    }
}
