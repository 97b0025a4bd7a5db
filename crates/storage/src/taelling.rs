//! Maintained counts of cases per group, so that a list's total and a front-page counter are
//! exact at ten million cases without counting millions of rows (issue 3 §5; seed 001 §1.6:
//! a counter must equal the list it opens).
//!
//! `sag_antal` holds one row per group of cases that share every column a jobcentre's,
//! an Anden Aktør's or the national list can be narrowed by without looking at the single
//! case: jobcentre, Anden Aktør, scheme, kind of case, the three statuses, and whether it is a
//! supplementary grant. The group columns carry the same names as in `sag`, so
//! `lister::taellebetingelse` builds the very condition a list uses, over this table.
//!
//! Every write to `sag` adjusts the counts in its own transaction: `sager::opret` adds one,
//! `sager::udfoer` moves one from the old group to the new when a grouped column changed, and
//! the bulk generator (`tools::bulk`) adds a batch's groups. [`genopbyg`] recomputes the table from `sag`
//! (the migration that creates it, and tests that write `sag` rows by hand); [`afvigelser`]
//! compares it with a fresh GROUP BY.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DeriveIden, EntityTrait, QuerySelect};

use crate::StorageError;
use crate::entity::sag;

/// The table and its columns.
#[derive(DeriveIden, Clone, Copy)]
pub enum SagAntal {
    Table,
    Id,
    /// The group's columns joined into one text: a unique key that NULLs cannot slip past
    /// (a NULL never equals another NULL in a UNIQUE index, on either database).
    Noegle,
    JobcenterId,
    AndenAktoerId,
    Ordning,
    Sagsart,
    AnsoegningStatus,
    AfgoerelseStatus,
    ForlaengelseStatus,
    Tillaeg,
    Antal,
}

/// The group a case counts in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gruppe {
    pub jobcenter_id: Option<i64>,
    pub anden_aktoer_id: Option<i64>,
    pub ordning: String,
    pub sagsart: String,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
    pub tillaeg: bool,
}

impl Gruppe {
    pub fn af(s: &sag::Model) -> Gruppe {
        Gruppe {
            jobcenter_id: s.jobcenter_id,
            anden_aktoer_id: s.anden_aktoer_id,
            ordning: s.ordning.clone(),
            sagsart: s.sagsart.clone(),
            ansoegning_status: s.ansoegning_status.clone(),
            afgoerelse_status: s.afgoerelse_status.clone(),
            forlaengelse_status: s.forlaengelse_status.clone(),
            tillaeg: s.hovedsag_id.is_some(),
        }
    }

    /// `jc|aa|ordning|sagsart|ans|afg|forl|t`, with `-` for an empty value (codes never
    /// contain `|` or consist of `-`).
    pub fn noegle(&self) -> String {
        let tal = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        let tekst = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            tal(self.jobcenter_id),
            tal(self.anden_aktoer_id),
            self.ordning,
            self.sagsart,
            tekst(&self.ansoegning_status),
            tekst(&self.afgoerelse_status),
            tekst(&self.forlaengelse_status),
            if self.tillaeg { 1 } else { 0 }
        )
    }
}

/// Groups per INSERT statement: 10 values a row, 800 binds, stays under every bind limit (rule 2 and the
/// PostgreSQL packet size noted in `tools::bulk`).
const PR_SAETNING: usize = 80;

/// Add `delta` to each group, in one transaction the caller holds. Groups are written in key
/// order, so two writers that touch the same two groups take their row locks in the same
/// order and cannot deadlock. Public for the one writer of `sag` rows outside this crate, the
/// bulk generator (`tools::bulk`, decision 103), which must count what it inserts here too.
pub async fn juster<C: ConnectionTrait>(c: &C, aendringer: &[(Gruppe, i64)]) -> Result<(), StorageError> {
    let mut samlet: BTreeMap<String, (&Gruppe, i64)> = BTreeMap::new();
    for (g, d) in aendringer {
        samlet.entry(g.noegle()).or_insert((g, 0)).1 += d;
    }
    let raekker: Vec<(String, &Gruppe, i64)> =
        samlet.into_iter().filter(|(_, (_, d))| *d != 0).map(|(k, (g, d))| (k, g, d)).collect();
    for del in raekker.chunks(PR_SAETNING) {
        let mut q = Query::insert();
        q.into_table(SagAntal::Table).columns([
            SagAntal::Noegle,
            SagAntal::JobcenterId,
            SagAntal::AndenAktoerId,
            SagAntal::Ordning,
            SagAntal::Sagsart,
            SagAntal::AnsoegningStatus,
            SagAntal::AfgoerelseStatus,
            SagAntal::ForlaengelseStatus,
            SagAntal::Tillaeg,
            SagAntal::Antal,
        ]);
        for (k, g, d) in del {
            q.values([
                Expr::from(k.clone()),
                Expr::from(g.jobcenter_id),
                Expr::from(g.anden_aktoer_id),
                Expr::from(g.ordning.clone()),
                Expr::from(g.sagsart.clone()),
                Expr::from(g.ansoegning_status.clone()),
                Expr::from(g.afgoerelse_status.clone()),
                Expr::from(g.forlaengelse_status.clone()),
                Expr::from(g.tillaeg),
                Expr::from(*d),
            ])
            .map_err(|e| StorageError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
        }
        // `excluded` is the proposed row on both databases (PostgreSQL, SQLite ≥ 3.24).
        q.on_conflict(
            OnConflict::column(SagAntal::Noegle)
                .value(
                    SagAntal::Antal,
                    Expr::col((SagAntal::Table, SagAntal::Antal))
                        .add(Expr::col((Alias::new("excluded"), SagAntal::Antal))),
                )
                .to_owned(),
        );
        c.execute(&q).await?;
    }
    Ok(())
}

/// `SELECT CAST(SUM(antal) AS BIGINT) AS n FROM sag_antal WHERE …`: the statement [`sum`]
/// sends (PostgreSQL's SUM of a BIGINT is NUMERIC; the cast keeps one type on both databases).
pub fn sum_saetning(betingelse: Condition) -> SelectStatement {
    Query::select()
        .expr_as(Expr::col((SagAntal::Table, SagAntal::Antal)).sum().cast_as(Alias::new("BIGINT")), Alias::new("n"))
        .from(SagAntal::Table)
        .cond_where(betingelse)
        .to_owned()
}

/// The number of cases in the groups `betingelse` selects.
pub async fn sum<C: ConnectionTrait>(c: &C, betingelse: Condition) -> Result<u64, StorageError> {
    let q = sum_saetning(betingelse);
    let n = match c.query_one(&q).await? {
        Some(r) => r.try_get::<Option<i64>>("", "n")?.unwrap_or(0),
        None => 0,
    };
    u64::try_from(n).map_err(|_| StorageError::Data(format!("negativt antal sager: {n}")))
}

/// A row of the GROUP BY: the group's columns, then its count.
type GruppeRaekke =
    (Option<i64>, Option<i64>, String, String, Option<String>, Option<String>, Option<String>, bool, i64);

/// The counts as they should be: a GROUP BY over `sag`.
pub async fn fra_sager<C: ConnectionTrait>(c: &C) -> Result<BTreeMap<String, (Gruppe, i64)>, StorageError> {
    use sag::Column as S;
    let raekker: Vec<GruppeRaekke> = sag::Entity::find()
        .select_only()
        .column(S::JobcenterId)
        .column(S::AndenAktoerId)
        .column(S::Ordning)
        .column(S::Sagsart)
        .column(S::AnsoegningStatus)
        .column(S::AfgoerelseStatus)
        .column(S::ForlaengelseStatus)
        .column_as(S::HovedsagId.is_not_null(), "tillaeg")
        .column_as(S::Id.count(), "antal")
        .group_by(S::JobcenterId)
        .group_by(S::AndenAktoerId)
        .group_by(S::Ordning)
        .group_by(S::Sagsart)
        .group_by(S::AnsoegningStatus)
        .group_by(S::AfgoerelseStatus)
        .group_by(S::ForlaengelseStatus)
        .group_by(S::HovedsagId.is_not_null())
        .into_tuple()
        .all(c)
        .await?;
    let mut ud = BTreeMap::new();
    for (jc, aa, ordning, sagsart, ans, afg, forl, tillaeg, antal) in raekker {
        let g = Gruppe {
            jobcenter_id: jc,
            anden_aktoer_id: aa,
            ordning,
            sagsart,
            ansoegning_status: ans,
            afgoerelse_status: afg,
            forlaengelse_status: forl,
            tillaeg,
        };
        ud.insert(g.noegle(), (g, antal));
    }
    Ok(ud)
}

/// Recompute every count from `sag`, inside the caller's transaction. Only with no other
/// writer: a case created between the DELETE and the GROUP BY would count twice. The
/// migration runs before anything serves; `vitas taelling --genopbyg` says the same.
pub async fn genopbyg<C: ConnectionTrait>(c: &C) -> Result<(), StorageError> {
    c.execute(&Query::delete().from_table(SagAntal::Table).to_owned()).await?;
    let grupper: Vec<(Gruppe, i64)> = fra_sager(c).await?.into_values().collect();
    juster(c, &grupper).await
}

/// Where the maintained counts differ from `sag`: one Danish line per group (empty when they
/// agree). Groups counted as 0 and absent groups are the same.
pub async fn afvigelser<C: ConnectionTrait>(c: &C) -> Result<Vec<String>, StorageError> {
    let rigtige = fra_sager(c).await?;
    let q = Query::select().columns([SagAntal::Noegle, SagAntal::Antal]).from(SagAntal::Table).to_owned();
    let mut gemte: BTreeMap<String, i64> = BTreeMap::new();
    for r in c.query_all(&q).await? {
        gemte.insert(r.try_get::<String>("", "noegle")?, r.try_get::<i64>("", "antal")?);
    }
    let mut ud = Vec::new();
    for (k, (_, n)) in &rigtige {
        let g = gemte.remove(k).unwrap_or(0);
        if g != *n {
            ud.push(format!("gruppe {k}: tællingen siger {g}, sagerne {n}"));
        }
    }
    for (k, g) in gemte {
        if g != 0 {
            ud.push(format!("gruppe {k}: tællingen siger {g}, sagerne 0"));
        }
    }
    Ok(ud)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noeglen_skelner_tomme_felter() {
        let g = Gruppe {
            jobcenter_id: Some(7),
            anden_aktoer_id: None,
            ordning: "loentilskud".into(),
            sagsart: "ansoegning".into(),
            ansoegning_status: Some("modtaget".into()),
            afgoerelse_status: None,
            forlaengelse_status: None,
            tillaeg: false,
        };
        assert_eq!(g.noegle(), "7|-|loentilskud|ansoegning|modtaget|-|-|0");
        let uden_jc = Gruppe { jobcenter_id: None, ..g.clone() };
        assert_ne!(uden_jc.noegle(), g.noegle());
        let tillaeg = Gruppe { tillaeg: true, ..g.clone() };
        assert_ne!(tillaeg.noegle(), g.noegle());
    }
}
