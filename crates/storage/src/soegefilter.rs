//! A list search's personal fields, kept out of the list's address (issue 14 §3 "not in URLs";
//! decision 80). The list page's filter form posts; a CPR or name it holds is stored here
//! under a random key, and the list's address, its page and sort links, its Excel order and
//! the way back from "Sæt ansvarlig" carry only `ref=<key>`. The key is bound to the user who
//! searched and lives [`LEVETID`], the longest a login lasts.

use crate::entity::soegefilter;
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// As long as a login can last (`sessioner::LEVETID`): a search made in a session works for
/// all of it, and is gone when the session would be.
pub const LEVETID: Duration = crate::sessioner::LEVETID;

/// Store `indhold` (the URL-encoded personal fields) for `bruger_id` and return its key. The
/// same user's same search again gets the same key (the address stays the same, the table
/// does not grow), with its lifetime renewed. Expired rows of everyone go at the same time.
pub async fn gem(db: &Db, bruger_id: i64, indhold: &str, nu: DateTime<Utc>) -> Result<String, StorageError> {
    ryd_op(db, nu).await?;
    let findes = soegefilter::Entity::find()
        .filter(soegefilter::Column::BrugerId.eq(bruger_id))
        .filter(soegefilter::Column::Indhold.eq(indhold))
        .one(&db.conn)
        .await?;
    if let Some(r) = findes {
        let noegle = r.noegle.clone();
        let mut r: soegefilter::ActiveModel = r.into();
        r.udloeber = Set(nu + LEVETID);
        r.update(&db.conn).await?;
        return Ok(noegle);
    }
    // 128 random bits, hex: the key names the search, it cannot be guessed to find another's.
    let noegle: String = crate::sager::ny_token().chars().take(32).collect();
    soegefilter::ActiveModel {
        noegle: Set(noegle.clone()),
        bruger_id: Set(bruger_id),
        indhold: Set(indhold.to_string()),
        udloeber: Set(nu + LEVETID),
    }
    .insert(&db.conn)
    .await?;
    Ok(noegle)
}

/// Remove every expired search (the worker, once a minute): the rows hold CPR numbers and
/// names, and are kept no longer than their key works.
pub async fn ryd_op(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    Ok(soegefilter::Entity::delete_many()
        .filter(soegefilter::Column::Udloeber.lte(nu))
        .exec(&db.conn)
        .await?
        .rows_affected)
}

/// The stored fields of `noegle`, if it is this user's and has not expired. Another user's
/// key is as unknown as a made-up one.
pub async fn hent(db: &Db, noegle: &str, bruger_id: i64, nu: DateTime<Utc>) -> Result<Option<String>, StorageError> {
    if noegle.len() > 64 {
        return Ok(None);
    }
    Ok(soegefilter::Entity::find_by_id(noegle.to_string())
        .one(&db.conn)
        .await?
        .filter(|r| r.bruger_id == bruger_id && r.udloeber > nu)
        .map(|r| r.indhold))
}
