//! The job queue: one general `job` table for every kind of background work (issue 3 §4;
//! the outbox kinds of issue 4 join it). A job is enqueued as `venter`; a worker claims it
//! with one statement and holds it under a lease (`laast_til`); it ends `faerdig` or `fejlet`.
//! A running job whose lease ran out belongs to a crashed worker and can be claimed again.
//!
//! The claim is `UPDATE job SET status = 'koerer', … WHERE id IN (SELECT id … ORDER BY id
//! LIMIT n FOR UPDATE SKIP LOCKED) RETURNING *`, built with sea-query (CONVENTIONS.md "jobs"):
//! on PostgreSQL two workers skip each other's rows; sea-query leaves the lock clause out on
//! SQLite, where the single writer makes the statement atomic. Every later write names the
//! claim's `forsoeg`, so a worker whose lease was taken over can no longer touch the job.

use crate::entity::job;
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// How long a claim holds a job before another worker may take it; each progress report
/// extends it.
pub const LEASE: Duration = Duration::minutes(5);

/// A job is claimed at most this many times; after that a crashed one is given up.
pub const MAKS_FORSOEG: i32 = 3;

/// The life of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Venter,
    Koerer,
    Faerdig,
    Fejlet,
}

impl JobStatus {
    pub fn kode(self) -> &'static str {
        match self {
            JobStatus::Venter => "venter",
            JobStatus::Koerer => "koerer",
            JobStatus::Faerdig => "faerdig",
            JobStatus::Fejlet => "fejlet",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<JobStatus> {
        [JobStatus::Venter, JobStatus::Koerer, JobStatus::Faerdig, JobStatus::Fejlet]
            .into_iter()
            .find(|s| s.kode() == kode)
    }

    /// Whether the job is over, one way or the other.
    pub fn slut(self) -> bool {
        matches!(self, JobStatus::Faerdig | JobStatus::Fejlet)
    }
}

/// The status of a stored job; an unknown code is damaged data.
pub fn status(j: &job::Model) -> Result<JobStatus, StorageError> {
    JobStatus::fra_kode(&j.status).ok_or_else(|| StorageError::Data(format!("ukendt jobstatus {}", j.status)))
}

/// Put a job in the queue, to run from `nu`. `total` is the work it will do, when known
/// beforehand (the rows of an export), so its progress reads "0 af total" from the start.
pub async fn enqueue(
    db: &Db,
    art: &str,
    payload: &str,
    bruger_id: Option<i64>,
    total: Option<u64>,
    nu: DateTime<Utc>,
) -> Result<job::Model, StorageError> {
    Ok(ny(art, payload, bruger_id, total, nu).insert(&db.conn).await?)
}

/// What [`bestil_for_bruger`] did.
#[derive(Debug)]
pub enum Bestilt {
    /// The same order was already waiting or running: follow that job.
    Aaben(job::Model),
    /// A new job was queued.
    Ny(job::Model),
    /// The user already has this many jobs of the kind waiting or running; nothing queued.
    ForMange(u64),
}

/// Queue a user's job of kind `art`, at most `maks` of them waiting or running at once
/// (decision 82). The same order again follows the job under way. The user's row is locked
/// for the check and the insert (on SQLite the write lock taken at BEGIN), so two orders at
/// once cannot both slip under the limit.
pub async fn bestil_for_bruger(
    db: &Db,
    art: &str,
    payload: &str,
    bruger_id: i64,
    total: Option<u64>,
    maks: u64,
    nu: DateTime<Utc>,
) -> Result<Bestilt, StorageError> {
    use sea_orm::{PaginatorTrait, QuerySelect, TransactionTrait};
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    crate::entity::bruger::Entity::find_by_id(bruger_id).lock_exclusive().one(&txn).await?;
    let aabne = job::Entity::find()
        .filter(job::Column::BrugerId.eq(bruger_id))
        .filter(job::Column::Art.eq(art))
        .filter(job::Column::Status.is_in([JobStatus::Venter.kode(), JobStatus::Koerer.kode()]));
    if let Some(j) =
        aabne.clone().filter(job::Column::Payload.eq(payload)).order_by_desc(job::Column::Id).one(&txn).await?
    {
        return Ok(Bestilt::Aaben(j));
    }
    let antal = aabne.count(&txn).await?;
    if antal >= maks {
        return Ok(Bestilt::ForMange(antal));
    }
    let j = ny(art, payload, Some(bruger_id), total, nu).insert(&txn).await?;
    txn.commit().await?;
    Ok(Bestilt::Ny(j))
}

fn ny(art: &str, payload: &str, bruger_id: Option<i64>, total: Option<u64>, nu: DateTime<Utc>) -> job::ActiveModel {
    job::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        art: Set(art.to_string()),
        payload: Set(payload.to_string()),
        status: Set(JobStatus::Venter.kode().into()),
        bruger_id: Set(bruger_id),
        fremskridt: Set(0),
        total: Set(total.map(|t| i64::try_from(t).unwrap_or(i64::MAX))),
        resultat: Set(None),
        fejl: Set(None),
        forsoeg: Set(0),
        koer_efter: Set(nu),
        laast_til: Set(None),
        oprettet: Set(nu),
        aendret: Set(nu),
        ..Default::default()
    }
}

/// A user's job of this kind and payload that is still waiting or running, if any: ordering
/// the same thing twice (a double click, a reload) follows the job already under way.
pub async fn aabent(db: &Db, art: &str, payload: &str, bruger_id: i64) -> Result<Option<job::Model>, StorageError> {
    Ok(job::Entity::find()
        .filter(job::Column::BrugerId.eq(bruger_id))
        .filter(job::Column::Art.eq(art))
        .filter(job::Column::Status.is_in([JobStatus::Venter.kode(), JobStatus::Koerer.kode()]))
        .filter(job::Column::Payload.eq(payload))
        .order_by_desc(job::Column::Id)
        .one(&db.conn)
        .await?)
}

/// A job by its uuid, for the user who ordered it; anyone else gets "not found", like a
/// case outside their scope.
pub async fn hent_for_bruger(db: &Db, uuid: &str, bruger_id: i64) -> Result<job::Model, StorageError> {
    job::Entity::find()
        .filter(job::Column::Uuid.eq(uuid))
        .filter(job::Column::BrugerId.eq(bruger_id))
        .one(&db.conn)
        .await?
        .ok_or(StorageError::IkkeFundet)
}

/// Claim up to `n` jobs that are due (waiting, or running under a lease that ran out), in
/// the order they were queued. One statement; no job goes to two claimers.
pub async fn claim(db: &Db, n: u64, nu: DateTime<Utc>) -> Result<Vec<job::Model>, StorageError> {
    let klar = Condition::any()
        .add(
            Condition::all()
                .add(Expr::col(job::Column::Status).eq(JobStatus::Venter.kode()))
                .add(Expr::col(job::Column::KoerEfter).lte(nu)),
        )
        .add(
            Condition::all()
                .add(Expr::col(job::Column::Status).eq(JobStatus::Koerer.kode()))
                .add(Expr::col(job::Column::LaastTil).lt(nu)),
        );
    let udvalg = Query::select()
        .column(job::Column::Id)
        .from(job::Entity)
        .cond_where(Condition::all().add(klar).add(Expr::col(job::Column::Forsoeg).lt(MAKS_FORSOEG)))
        .order_by(job::Column::Id, Order::Asc)
        .limit(n)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let opdatering = Query::update()
        .table(job::Entity)
        .value(job::Column::Status, JobStatus::Koerer.kode())
        .value(job::Column::LaastTil, nu + LEASE)
        .value(job::Column::Forsoeg, Expr::col(job::Column::Forsoeg).add(1))
        .value(job::Column::Aendret, nu)
        .and_where(Expr::col(job::Column::Id).in_subquery(udvalg))
        .returning_all()
        .to_owned();
    let mut jobs = job::Entity::find().from_raw_sql(db.backend().build(&opdatering)).all(&db.conn).await?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// The claim a write is fenced by: the job and the attempt that holds it.
fn denne_claim(j: &job::Model) -> Condition {
    Condition::all()
        .add(job::Column::Id.eq(j.id))
        .add(job::Column::Status.eq(JobStatus::Koerer.kode()))
        .add(job::Column::Forsoeg.eq(j.forsoeg))
}

/// Save progress and extend the lease. False when the claim is lost (the lease ran out and
/// another worker took the job): the caller should stop.
pub async fn progress(
    db: &Db,
    j: &job::Model,
    fremskridt: u64,
    total: u64,
    nu: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let r = job::Entity::update_many()
        .col_expr(job::Column::Fremskridt, Expr::value(i64::try_from(fremskridt).unwrap_or(i64::MAX)))
        .col_expr(job::Column::Total, Expr::value(i64::try_from(total).unwrap_or(i64::MAX)))
        .col_expr(job::Column::LaastTil, Expr::value(nu + LEASE))
        .col_expr(job::Column::Aendret, Expr::value(nu))
        .filter(denne_claim(j))
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The job is done; `resultat` says what it produced. False when the claim was lost.
pub async fn finish(db: &Db, j: &job::Model, resultat: Option<&str>, nu: DateTime<Utc>) -> Result<bool, StorageError> {
    afslut(db, j, JobStatus::Faerdig, (job::Column::Resultat, resultat), nu).await
}

/// The job failed; `fejl` is a Danish message for the user. False when the claim was lost.
pub async fn fail(db: &Db, j: &job::Model, fejl: &str, nu: DateTime<Utc>) -> Result<bool, StorageError> {
    afslut(db, j, JobStatus::Fejlet, (job::Column::Fejl, Some(fejl)), nu).await
}

/// End a job under its claim: its final status, one text column, the lease released.
async fn afslut(
    db: &Db,
    j: &job::Model,
    status: JobStatus,
    (kolonne, tekst): (job::Column, Option<&str>),
    nu: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let r = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status.kode()))
        .col_expr(kolonne, Expr::value(tekst.map(str::to_string)))
        .col_expr(job::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::Aendret, Expr::value(nu))
        .filter(denne_claim(j))
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Give up the jobs that crashed [`MAKS_FORSOEG`] times: their lease ran out and no claim
/// will take them again. Returns how many.
pub async fn opgiv_forladte(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    Ok(job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(JobStatus::Fejlet.kode()))
        .col_expr(
            job::Column::Fejl,
            Expr::value("Kørslen blev afbrudt for mange gange og er opgivet. Prøv at bestille den igen."),
        )
        .col_expr(job::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::Aendret, Expr::value(nu))
        .filter(job::Column::Status.eq(JobStatus::Koerer.kode()))
        .filter(job::Column::LaastTil.lt(nu))
        .filter(job::Column::Forsoeg.gte(MAKS_FORSOEG))
        .exec(&db.conn)
        .await?
        .rows_affected)
}

/// Finished and failed jobs last changed before `foer`: the worker removes their files,
/// then the rows ([`slet`]).
pub async fn udloebne(db: &Db, foer: DateTime<Utc>) -> Result<Vec<job::Model>, StorageError> {
    Ok(job::Entity::find()
        .filter(job::Column::Status.is_in([JobStatus::Faerdig.kode(), JobStatus::Fejlet.kode()]))
        .filter(job::Column::Aendret.lt(foer))
        .order_by_asc(job::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn slet(db: &Db, id: i64) -> Result<(), StorageError> {
    job::Entity::delete_by_id(id).exec(&db.conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_kode_vender_tilbage() {
        for s in [JobStatus::Venter, JobStatus::Koerer, JobStatus::Faerdig, JobStatus::Fejlet] {
            assert_eq!(JobStatus::fra_kode(s.kode()), Some(s));
        }
        assert!(JobStatus::Fejlet.slut() && !JobStatus::Koerer.slut());
    }

    #[test]
    fn claim_laaser_kun_paa_postgres() {
        // The one statement: the lock clause on PostgreSQL, dropped by sea-query on SQLite.
        let sql = |b: sea_orm::DbBackend| {
            let q = Query::select()
                .column(job::Column::Id)
                .from(job::Entity)
                .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
                .to_owned();
            b.build(&q).to_string()
        };
        assert!(sql(sea_orm::DbBackend::Postgres).contains("FOR UPDATE SKIP LOCKED"));
        assert!(!sql(sea_orm::DbBackend::Sqlite).contains("FOR UPDATE"));
    }
}
