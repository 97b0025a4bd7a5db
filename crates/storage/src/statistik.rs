//! The statistics rollup behind the dashboard (issue 12 §2; decision 124).
//!
//! [`opgoer`] reads every case row and every termination and extension record in batches
//! (keyset on the id, one code path for both databases), asks `domain::statistik` what each
//! contributes, and sums the counts at three levels: per municipality (`kommune`, the
//! jobcentre's code), per region and for the whole country (`land`). It then replaces the
//! table `statistik` in one transaction, so a reader sees either the old rollup or the new,
//! never half of one, and records when it ran in `statistik_opgoerelse`.
//!
//! The dashboard reads only this table ([`hent`], [`foer`], [`pr_kommune`]): a few thousand
//! rows for any area and period, whatever the number of cases. The price is that the figures
//! are as old as the last rollup; the worker runs it every hour (`jobs::statistik`) and the
//! page says when it ran.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use domain::ordning::Ordning;
use domain::statistik::{Bidrag, Maal, Raekke, Sagsfakta, bidrag, element_bidrag};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use sea_orm_migration::prelude::*;

use crate::StorageError;
use crate::db::Db;
use crate::drift::ph;

/// The three levels the rollup keeps.
pub mod niveau {
    pub const LAND: &str = "land";
    pub const REGION: &str = "region";
    pub const KOMMUNE: &str = "kommune";
}

/// Which area a dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Omraade {
    Land,
    /// A region by its name as `jobcenter.region` holds it ("Region Hovedstaden").
    Region(String),
    /// A municipality by its code ("0101").
    Kommune(String),
}

impl Omraade {
    fn niveau_enhed(&self) -> (&'static str, &str) {
        match self {
            Omraade::Land => (niveau::LAND, ""),
            Omraade::Region(r) => (niveau::REGION, r),
            Omraade::Kommune(k) => (niveau::KOMMUNE, k),
        }
    }
}

/// What a dashboard asks for: the months `fra`..=`til` (first days), the schemes (empty: all)
/// and the area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Udsnit {
    pub fra: NaiveDate,
    pub til: NaiveDate,
    pub ordninger: Vec<Ordning>,
    pub omraade: Omraade,
}

/// When the rollup last ran, how long it took and how many cases it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opgoerelse {
    pub opgjort: DateTime<Utc>,
    pub varighed_ms: i64,
    pub sager: i64,
    pub raekker: i64,
}

/// Rows read per batch.
const BATCH: u64 = 20_000;
/// Rows per INSERT: 7 values each, far under every bind limit (CONVENTIONS.md rule 2).
const PR_INSERT: usize = 500;

type Noegle = (i64, Maal, NaiveDate, Ordning, String);

fn tael(sum: &mut HashMap<Noegle, i64>, jc: i64, ordning: Ordning, b: Bidrag) {
    *sum.entry((jc, b.maal, b.maaned, ordning, b.noegle)).or_insert(0) += 1;
}

/// Recompute the rollup from the cases and replace it. `nu` is recorded as the time it ran.
pub async fn opgoer(db: &Db, nu: DateTime<Utc>) -> Result<Opgoerelse, StorageError> {
    // PostgreSQL keeps microseconds: what is returned is what `seneste` will read.
    let nu = nu.trunc_subsecs(6);
    let t0 = Instant::now();
    let b = db.backend();
    let jobcentre: HashMap<i64, (String, String)> = db
        .conn
        .query_all_raw(Statement::from_string(b, "SELECT id, kommunekode, region FROM jobcenter"))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get::<i64>("", "id")?, (r.try_get("", "kommunekode")?, r.try_get("", "region")?))))
        .collect::<Result<_, sea_orm::DbErr>>()?;

    let mut sum: HashMap<Noegle, i64> = HashMap::new();
    let mut sager = 0i64;
    let mut sidste = 0i64;
    loop {
        let raekker = db
            .conn
            .query_all_raw(Statement::from_sql_and_values(
                b,
                format!(
                    "SELECT id, jobcenter_id, ordning, ansoegning_status, afgoerelse_status, anden_aktoer_id, \
                     modtaget_dato, afgoerelse_dato, startdato, slutdato FROM sag \
                     WHERE id > {} AND jobcenter_id IS NOT NULL ORDER BY id LIMIT {BATCH}",
                    ph(b, 1)
                ),
                [sidste.into()],
            ))
            .await?;
        let Some(r) = raekker.last() else { break };
        sidste = r.try_get("", "id")?;
        for r in &raekker {
            let jc: i64 = r.try_get("", "jobcenter_id")?;
            let Some(ordning) = Ordning::fra_kode(&r.try_get::<String>("", "ordning")?) else { continue };
            let ans: Option<String> = r.try_get("", "ansoegning_status")?;
            let afg: Option<String> = r.try_get("", "afgoerelse_status")?;
            let fakta = Sagsfakta {
                ansoegning_status: ans.as_deref(),
                afgoerelse_status: afg.as_deref(),
                anden_aktoer: r.try_get::<Option<i64>>("", "anden_aktoer_id")?.is_some(),
                modtaget_dato: r.try_get("", "modtaget_dato")?,
                afgoerelse_dato: r.try_get("", "afgoerelse_dato")?,
                startdato: r.try_get("", "startdato")?,
                slutdato: r.try_get("", "slutdato")?,
            };
            sager += 1;
            for bd in bidrag(&fakta) {
                tael(&mut sum, jc, ordning, bd);
            }
        }
    }

    let mut sidste = 0i64;
    loop {
        let raekker = db
            .conn
            .query_all_raw(Statement::from_sql_and_values(
                b,
                format!(
                    "SELECT e.id, s.jobcenter_id, s.ordning, e.art, e.status, e.startdato, e.data \
                     FROM sagselement e JOIN sag s ON s.id = e.sag_id \
                     WHERE e.id > {} AND e.art IN ('ophoer', 'forlaengelse') AND s.jobcenter_id IS NOT NULL \
                     ORDER BY e.id LIMIT {BATCH}",
                    ph(b, 1)
                ),
                [sidste.into()],
            ))
            .await?;
        let Some(r) = raekker.last() else { break };
        sidste = r.try_get("", "id")?;
        for r in &raekker {
            let jc: i64 = r.try_get("", "jobcenter_id")?;
            let Some(ordning) = Ordning::fra_kode(&r.try_get::<String>("", "ordning")?) else { continue };
            let art: String = r.try_get("", "art")?;
            let status: String = r.try_get("", "status")?;
            let data: String = r.try_get("", "data")?;
            if let Some(bd) = element_bidrag(&art, &status, r.try_get("", "startdato")?, &data) {
                tael(&mut sum, jc, ordning, bd);
            }
        }
    }

    // The three levels. A case of a jobcentre missing from the table (never: a foreign key)
    // would count nationally only.
    let mut samlet: BTreeMap<(&'static str, String, Maal, NaiveDate, Ordning, String), i64> = BTreeMap::new();
    for ((jc, maal, maaned, ordning, noegle), n) in sum {
        let mut paa = |niv: &'static str, enhed: String| {
            *samlet.entry((niv, enhed, maal, maaned, ordning, noegle.clone())).or_insert(0) += n;
        };
        paa(niveau::LAND, String::new());
        if let Some((kode, region)) = jobcentre.get(&jc) {
            paa(niveau::REGION, region.clone());
            paa(niveau::KOMMUNE, kode.clone());
        }
    }
    let antal_raekker = samlet.len() as i64;

    let tx = db.conn.begin().await?;
    tx.execute_unprepared("DELETE FROM statistik").await?;
    let alle: Vec<_> = samlet.into_iter().collect();
    for del in alle.chunks(PR_INSERT) {
        let mut sql =
            String::from("INSERT INTO statistik (niveau, enhed, maal, maaned, ordning, noegle, antal) VALUES ");
        let mut vaerdier: Vec<Value> = Vec::with_capacity(del.len() * 7);
        for (i, ((niv, enhed, maal, maaned, ordning, noegle), n)) in del.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let k = i * 7;
            sql.push_str(&format!(
                "({}, {}, {}, {}, {}, {}, {})",
                ph(b, k + 1),
                ph(b, k + 2),
                ph(b, k + 3),
                ph(b, k + 4),
                ph(b, k + 5),
                ph(b, k + 6),
                ph(b, k + 7)
            ));
            vaerdier.extend([
                (*niv).into(),
                enhed.clone().into(),
                maal.kode().into(),
                (*maaned).into(),
                ordning.kode().into(),
                noegle.clone().into(),
                (*n).into(),
            ]);
        }
        tx.execute_raw(Statement::from_sql_and_values(b, sql, vaerdier)).await?;
    }
    let varighed_ms = t0.elapsed().as_millis() as i64;
    tx.execute_unprepared("DELETE FROM statistik_opgoerelse").await?;
    tx.execute_raw(Statement::from_sql_and_values(
        b,
        format!(
            "INSERT INTO statistik_opgoerelse (id, opgjort, varighed_ms, sager, raekker) VALUES (1, {}, {}, {}, {})",
            ph(b, 1),
            ph(b, 2),
            ph(b, 3),
            ph(b, 4)
        ),
        [nu.into(), varighed_ms.into(), sager.into(), antal_raekker.into()],
    ))
    .await?;
    tx.commit().await?;
    Ok(Opgoerelse { opgjort: nu, varighed_ms, sager, raekker: antal_raekker })
}

/// When the rollup last ran; None before the first run.
pub async fn seneste(db: &Db) -> Result<Option<Opgoerelse>, StorageError> {
    let r = db
        .conn
        .query_one_raw(Statement::from_string(
            db.backend(),
            "SELECT opgjort, varighed_ms, sager, raekker FROM statistik_opgoerelse WHERE id = 1",
        ))
        .await?;
    Ok(match r {
        Some(r) => Some(Opgoerelse {
            opgjort: r.try_get("", "opgjort")?,
            varighed_ms: r.try_get("", "varighed_ms")?,
            sager: r.try_get("", "sager")?,
            raekker: r.try_get("", "raekker")?,
        }),
        None => None,
    })
}

/// `ordning IN (…)` for the chosen schemes ("" for all), numbering its binds from `fra`.
fn ordningsfilter(b: DbBackend, u: &Udsnit, fra: usize, vaerdier: &mut Vec<Value>) -> String {
    if u.ordninger.is_empty() {
        return String::new();
    }
    let ph_er: Vec<String> = (0..u.ordninger.len()).map(|i| ph(b, fra + i)).collect();
    vaerdier.extend(u.ordninger.iter().map(|o| Value::from(o.kode())));
    format!(" AND ordning IN ({})", ph_er.join(", "))
}

fn raekke(r: &sea_orm::QueryResult) -> Result<Option<Raekke>, StorageError> {
    let (Some(maal), Some(ordning)) =
        (Maal::fra_kode(&r.try_get::<String>("", "maal")?), Ordning::fra_kode(&r.try_get::<String>("", "ordning")?))
    else {
        return Ok(None);
    };
    Ok(Some(Raekke {
        maal,
        maaned: r.try_get("", "maaned")?,
        ordning,
        noegle: r.try_get("", "noegle")?,
        antal: r.try_get("", "antal")?,
    }))
}

/// The rollup's rows for the area, months and schemes.
pub async fn hent(db: &Db, u: &Udsnit) -> Result<Vec<Raekke>, StorageError> {
    let b = db.backend();
    let (niv, enhed) = u.omraade.niveau_enhed();
    let mut v: Vec<Value> = vec![niv.into(), enhed.into(), u.fra.into(), u.til.into()];
    let filter = ordningsfilter(b, u, 5, &mut v);
    let sql = format!(
        "SELECT maal, maaned, ordning, noegle, antal FROM statistik \
         WHERE niveau = {} AND enhed = {} AND maaned >= {} AND maaned <= {}{filter}",
        ph(b, 1),
        ph(b, 2),
        ph(b, 3),
        ph(b, 4)
    );
    let mut ud = Vec::new();
    for r in db.conn.query_all_raw(Statement::from_sql_and_values(b, sql, v)).await? {
        ud.extend(raekke(&r)?);
    }
    Ok(ud)
}

/// Per scheme, the grants active on the first of the period's first month that became active
/// before it: `Tilgang` − `Afgang` over the months before `fra`.
pub async fn foer(db: &Db, u: &Udsnit) -> Result<BTreeMap<Ordning, i64>, StorageError> {
    let b = db.backend();
    let (niv, enhed) = u.omraade.niveau_enhed();
    let mut v: Vec<Value> =
        vec![niv.into(), enhed.into(), u.fra.into(), Maal::Tilgang.kode().into(), Maal::Afgang.kode().into()];
    let filter = ordningsfilter(b, u, 6, &mut v);
    let sql = format!(
        "SELECT ordning, maal, CAST(SUM(antal) AS BIGINT) AS antal FROM statistik \
         WHERE niveau = {} AND enhed = {} AND maaned < {} AND maal IN ({}, {}){filter} GROUP BY ordning, maal",
        ph(b, 1),
        ph(b, 2),
        ph(b, 3),
        ph(b, 4),
        ph(b, 5)
    );
    let mut ud = BTreeMap::new();
    for r in db.conn.query_all_raw(Statement::from_sql_and_values(b, sql, v)).await? {
        let Some(o) = Ordning::fra_kode(&r.try_get::<String>("", "ordning")?) else { continue };
        let n: i64 = r.try_get("", "antal")?;
        let fortegn = if r.try_get::<String>("", "maal")? == Maal::Afgang.kode() { -1 } else { 1 };
        *ud.entry(o).or_insert(0) += fortegn * n;
    }
    Ok(ud)
}

/// A measure's sum per municipality within the area, over the months and schemes: the
/// national administrator's comparison (issue 12 §1, "by region and municipality").
pub async fn pr_kommune(db: &Db, u: &Udsnit, maal: Maal) -> Result<BTreeMap<String, i64>, StorageError> {
    let b = db.backend();
    let mut v: Vec<Value> = vec![niveau::KOMMUNE.into(), maal.kode().into(), u.fra.into(), u.til.into()];
    let mut n = 5;
    let omraade = match &u.omraade {
        Omraade::Land => String::new(),
        Omraade::Region(r) => {
            v.push(r.clone().into());
            n += 1;
            format!(" AND enhed IN (SELECT kommunekode FROM jobcenter WHERE region = {})", ph(b, 5))
        }
        Omraade::Kommune(k) => {
            v.push(k.clone().into());
            n += 1;
            format!(" AND enhed = {}", ph(b, 5))
        }
    };
    let filter = ordningsfilter(b, u, n, &mut v);
    let sql = format!(
        "SELECT enhed, CAST(SUM(antal) AS BIGINT) AS antal FROM statistik \
         WHERE niveau = {} AND maal = {} AND maaned >= {} AND maaned <= {}{omraade}{filter} GROUP BY enhed",
        ph(b, 1),
        ph(b, 2),
        ph(b, 3),
        ph(b, 4)
    );
    let mut ud = BTreeMap::new();
    for r in db.conn.query_all_raw(Statement::from_sql_and_values(b, sql, v)).await? {
        ud.insert(r.try_get::<String>("", "enhed")?, r.try_get::<i64>("", "antal")?);
    }
    Ok(ud)
}

/// Creates the rollup's two tables. Additive only (ARCHITECTURE.md, the migration rule).
pub struct StatistikMigration;

impl MigrationName for StatistikMigration {
    fn name(&self) -> &str {
        "m20261205_000040_statistik"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for StatistikMigration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = m.get_database_backend() == DbBackend::Postgres;
        let (id, tid, dato) = if pg {
            ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ", "DATE")
        } else {
            ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "TEXT")
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE IF NOT EXISTS statistik (id {id}, niveau VARCHAR(8) NOT NULL, enhed VARCHAR(60) NOT NULL, \
             maal VARCHAR(24) NOT NULL, maaned {dato} NOT NULL, ordning VARCHAR(32) NOT NULL, \
             noegle VARCHAR(60) NOT NULL, antal BIGINT NOT NULL)"
        ))
        .await?;
        // The dashboard's two reads: an area's rows over a period, and one measure per
        // municipality over a period.
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS ix_statistik_omraade ON statistik (niveau, enhed, maaned)")
            .await?;
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS ix_statistik_maal ON statistik (niveau, maal, maaned)")
            .await?;
        db.execute_unprepared(&format!(
            "CREATE TABLE IF NOT EXISTS statistik_opgoerelse (id INTEGER NOT NULL PRIMARY KEY, opgjort {tid} NOT NULL, \
             varighed_ms BIGINT NOT NULL, sager BIGINT NOT NULL, raekker BIGINT NOT NULL)"
        ))
        .await?;
        Ok(())
    }
}
