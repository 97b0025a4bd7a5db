//! Reading the statistics extract (issue 12 §3; decisions 128–130): one table of a period as
//! CSV text, a page at a time, keyset on the table's id, so memory stays flat however long the
//! period (`domain::statistik_udtraek::SIDE` rows a read). One code path for SQLite and
//! PostgreSQL: sea-query statements, no raw SQL.
//!
//! The columns that name a person never leave the database: the statements select no name,
//! no free text (`sagshaendelse.tekst`), no actor and no user id. The CPR number is read to
//! make the pseudonym, birth year and gender, and dropped with the page.
//!
//! Which rows a period holds:
//! - `statusskift`: every `sagshaendelse` whose `tidspunkt` lies in the period;
//! - `sager`: every case created in the period or with a status change in it;
//! - `elementer`: every record of those cases.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};

use domain::statistik_udtraek::{self as su, Noegle, Periode, Tabel};

use crate::entity::{jobcenter, sag, sagselement, sagshaendelse};
use crate::{Db, StorageError};

/// Reads one table of a period as CSV: first the header, then a page of rows per call to
/// [`Laeser::naeste`], until it returns None.
pub struct Laeser {
    db: Db,
    tabel: Tabel,
    fra: DateTime<Utc>,
    til: DateTime<Utc>,
    noegle: Noegle,
    side: u64,
    /// The last id read (the keyset cursor); None before the header is given.
    efter: Option<i64>,
    faerdig: bool,
}

/// A piece of the file: its CSV text and how many data rows it holds (0 for the header).
#[derive(Debug, Clone)]
pub struct Stykke {
    pub tekst: String,
    pub raekker: u64,
}

impl Laeser {
    pub fn ny(db: &Db, tabel: Tabel, periode: &Periode, noegle: Noegle) -> Laeser {
        Laeser {
            db: db.clone(),
            tabel,
            fra: periode.start(),
            til: periode.slut(),
            noegle,
            side: su::SIDE,
            efter: None,
            faerdig: false,
        }
    }

    /// Smaller pages (a test makes several pages out of a few rows).
    pub fn med_side(mut self, side: u64) -> Laeser {
        self.side = Ord::max(side, 1);
        self
    }

    /// The next piece: the header first, then one page of rows; None when the table is read.
    pub async fn naeste(&mut self) -> Result<Option<Stykke>, StorageError> {
        if self.faerdig {
            return Ok(None);
        }
        let Some(efter) = self.efter else {
            self.efter = Some(0);
            return Ok(Some(Stykke { tekst: self.tabel.overskrift(), raekker: 0 }));
        };
        let q = self.forespoergsel(efter);
        let raekker = self.db.conn.query_all(&q).await?;
        if (raekker.len() as u64) < self.side {
            self.faerdig = true;
        }
        if raekker.is_empty() {
            return Ok(None);
        }
        let mut tekst = String::with_capacity(raekker.len() * 200);
        for r in &raekker {
            let (id, felter) = self.raekke(r)?;
            self.efter = Some(id);
            tekst.push_str(&su::csv_linje(&felter));
        }
        Ok(Some(Stykke { tekst, raekker: raekker.len() as u64 }))
    }

    fn raekke(&self, r: &QueryResult) -> Result<(i64, Vec<Option<String>>), StorageError> {
        let id: i64 = r.try_get("", "x_id")?;
        let felter = match self.tabel {
            Tabel::Sager => su::Sag {
                uuid: r.try_get("", "uuid")?,
                ordning: r.try_get("", "ordning")?,
                sagsart: r.try_get("", "sagsart")?,
                ansoegning_status: r.try_get("", "ansoegning_status")?,
                afgoerelse_status: r.try_get("", "afgoerelse_status")?,
                forlaengelse_status: r.try_get("", "forlaengelse_status")?,
                jobcenter_kommunekode: r.try_get("", "x_kommunekode")?,
                anden_aktoer: r.try_get::<Option<i64>>("", "anden_aktoer_id")?.is_some(),
                hovedsag_uuid: r.try_get("", "x_hovedsag_uuid")?,
                cvr: r.try_get("", "cvr")?,
                startdato: r.try_get("", "startdato")?,
                slutdato: r.try_get("", "slutdato")?,
                oprindelig_slutdato: r.try_get("", "oprindelig_slutdato")?,
                modtaget_dato: r.try_get("", "modtaget_dato")?,
                afgoerelse_dato: r.try_get("", "afgoerelse_dato")?,
                godkendt_dato: r.try_get("", "godkendt_dato")?,
                timer_hundrededele: r.try_get("", "timer_hundrededele")?,
                konfliktramt: r.try_get("", "konfliktramt")?,
                oprettet: r.try_get("", "oprettet")?,
                cpr: r.try_get("", "cpr")?,
            }
            .felter(&self.noegle),
            Tabel::Elementer => su::Element {
                uuid: r.try_get("", "uuid")?,
                sag_uuid: r.try_get("", "x_sag_uuid")?,
                art: r.try_get("", "art")?,
                status: r.try_get("", "status")?,
                startdato: r.try_get("", "startdato")?,
                slutdato: r.try_get("", "slutdato")?,
                oprettet: r.try_get("", "oprettet")?,
                data: r.try_get("", "data")?,
            }
            .felter(),
            Tabel::Statusskift => su::Statusskift {
                id,
                sag_uuid: r.try_get("", "x_sag_uuid")?,
                tidspunkt: r.try_get("", "tidspunkt")?,
                handling: r.try_get("", "handling")?,
                rolle: r.try_get("", "rolle")?,
                fra_status: r.try_get("", "fra_status")?,
                til_status: r.try_get("", "til_status")?,
            }
            .felter(),
        };
        Ok((id, felter))
    }

    /// The next page's statement: rows after `efter` by id, at most a page.
    fn forespoergsel(&self, efter: i64) -> SelectStatement {
        let s = Alias::new("s");
        match self.tabel {
            Tabel::Sager => {
                let (j, h) = (Alias::new("j"), Alias::new("h"));
                let mut q = Query::select();
                q.expr_as(Expr::col((s.clone(), sag::Column::Id)), Alias::new("x_id"));
                for k in [
                    sag::Column::Uuid,
                    sag::Column::Ordning,
                    sag::Column::Sagsart,
                    sag::Column::AnsoegningStatus,
                    sag::Column::AfgoerelseStatus,
                    sag::Column::ForlaengelseStatus,
                    sag::Column::AndenAktoerId,
                    sag::Column::Cvr,
                    sag::Column::Startdato,
                    sag::Column::Slutdato,
                    sag::Column::OprindeligSlutdato,
                    sag::Column::ModtagetDato,
                    sag::Column::AfgoerelseDato,
                    sag::Column::GodkendtDato,
                    sag::Column::TimerHundrededele,
                    sag::Column::Konfliktramt,
                    sag::Column::Oprettet,
                    sag::Column::Cpr,
                ] {
                    q.column((s.clone(), k));
                }
                q.expr_as(Expr::col((j.clone(), jobcenter::Column::Kommunekode)), Alias::new("x_kommunekode"))
                    .expr_as(Expr::col((h.clone(), sag::Column::Uuid)), Alias::new("x_hovedsag_uuid"))
                    .from_as(sag::Entity, s.clone())
                    .join_as(
                        JoinType::LeftJoin,
                        jobcenter::Entity,
                        j.clone(),
                        Expr::col((j, jobcenter::Column::Id)).equals((s.clone(), sag::Column::JobcenterId)),
                    )
                    .join_as(
                        JoinType::LeftJoin,
                        sag::Entity,
                        h.clone(),
                        Expr::col((h, sag::Column::Id)).equals((s.clone(), sag::Column::HovedsagId)),
                    )
                    .and_where(Expr::col((s.clone(), sag::Column::Id)).gt(efter))
                    .cond_where(self.i_perioden(&s))
                    .order_by((s, sag::Column::Id), Order::Asc)
                    .limit(self.side)
                    .to_owned()
            }
            Tabel::Elementer => {
                let e = Alias::new("e");
                let mut q = Query::select();
                q.expr_as(Expr::col((e.clone(), sagselement::Column::Id)), Alias::new("x_id"));
                for k in [
                    sagselement::Column::Uuid,
                    sagselement::Column::Art,
                    sagselement::Column::Status,
                    sagselement::Column::Startdato,
                    sagselement::Column::Slutdato,
                    sagselement::Column::Oprettet,
                    sagselement::Column::Data,
                ] {
                    q.column((e.clone(), k));
                }
                q.expr_as(Expr::col((s.clone(), sag::Column::Uuid)), Alias::new("x_sag_uuid"))
                    .from_as(sagselement::Entity, e.clone())
                    .join_as(
                        JoinType::InnerJoin,
                        sag::Entity,
                        s.clone(),
                        Expr::col((s.clone(), sag::Column::Id)).equals((e.clone(), sagselement::Column::SagId)),
                    )
                    .and_where(Expr::col((e.clone(), sagselement::Column::Id)).gt(efter))
                    .cond_where(self.i_perioden(&s))
                    .order_by((e, sagselement::Column::Id), Order::Asc)
                    .limit(self.side)
                    .to_owned()
            }
            Tabel::Statusskift => {
                let t = Alias::new("t");
                let mut q = Query::select();
                q.expr_as(Expr::col((t.clone(), sagshaendelse::Column::Id)), Alias::new("x_id"));
                // Not `tekst` (free text), `aktoer` (a name) or `bruger_id` (a person).
                for k in [
                    sagshaendelse::Column::Tidspunkt,
                    sagshaendelse::Column::Handling,
                    sagshaendelse::Column::Rolle,
                    sagshaendelse::Column::FraStatus,
                    sagshaendelse::Column::TilStatus,
                ] {
                    q.column((t.clone(), k));
                }
                q.expr_as(Expr::col((s.clone(), sag::Column::Uuid)), Alias::new("x_sag_uuid"))
                    .from_as(sagshaendelse::Entity, t.clone())
                    .join_as(
                        JoinType::InnerJoin,
                        sag::Entity,
                        s.clone(),
                        Expr::col((s, sag::Column::Id)).equals((t.clone(), sagshaendelse::Column::SagId)),
                    )
                    .and_where(Expr::col((t.clone(), sagshaendelse::Column::Id)).gt(efter))
                    .and_where(Expr::col((t.clone(), sagshaendelse::Column::Tidspunkt)).gte(self.fra))
                    .and_where(Expr::col((t.clone(), sagshaendelse::Column::Tidspunkt)).lt(self.til))
                    .order_by((t, sagshaendelse::Column::Id), Order::Asc)
                    .limit(self.side)
                    .to_owned()
            }
        }
    }

    /// The case (table alias `s`) was created in the period, or has a status change in it
    /// (an index lookup on `ix_sagshaendelse_sag`: sag_id, tidspunkt).
    fn i_perioden(&self, s: &Alias) -> Condition {
        let t = Alias::new("ti");
        let skift = Query::select()
            .expr(Expr::val(1))
            .from_as(sagshaendelse::Entity, t.clone())
            .and_where(Expr::col((t.clone(), sagshaendelse::Column::SagId)).equals((s.clone(), sag::Column::Id)))
            .and_where(Expr::col((t.clone(), sagshaendelse::Column::Tidspunkt)).gte(self.fra))
            .and_where(Expr::col((t, sagshaendelse::Column::Tidspunkt)).lt(self.til))
            .to_owned();
        Condition::any()
            .add(
                Condition::all()
                    .add(Expr::col((s.clone(), sag::Column::Oprettet)).gte(self.fra))
                    .add(Expr::col((s.clone(), sag::Column::Oprettet)).lt(self.til)),
            )
            .add(Expr::exists(skift))
    }
}
