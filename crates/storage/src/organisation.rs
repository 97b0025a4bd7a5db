//! The organisation: jobcentres and users.

use crate::entity::{bruger, jobcenter};
use crate::{Db, StorageError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The active users the demo seed made, for the demo login page (decision 54).
pub async fn demo_brugere(db: &Db) -> Result<Vec<bruger::Model>, StorageError> {
    Ok(bruger::Entity::find()
        .filter(bruger::Column::Aktiv.eq(true))
        .filter(bruger::Column::Demo.eq(true))
        .order_by_asc(bruger::Column::Id)
        .all(&db.conn)
        .await?)
}

/// Jobcentre names by id (for the demo login page).
pub async fn jobcenternavne(db: &Db) -> Result<std::collections::HashMap<i64, String>, StorageError> {
    Ok(jobcenter::Entity::find().all(&db.conn).await?.into_iter().map(|j| (j.id, j.navn)).collect())
}

/// Every jobcentre (municipality code, name, region), ordered by code: the statistics
/// dashboard's choice of area (issue 12 §1, "by region and municipality").
pub async fn jobcentre(db: &Db) -> Result<Vec<jobcenter::Model>, StorageError> {
    Ok(jobcenter::Entity::find().order_by_asc(jobcenter::Column::Kommunekode).all(&db.conn).await?)
}

/// One active user by id.
pub async fn bruger(db: &Db, id: i64) -> Result<Option<bruger::Model>, StorageError> {
    Ok(bruger::Entity::find_by_id(id).one(&db.conn).await?.filter(|b| b.aktiv))
}

/// The jobcentre of a municipality (every municipality has one).
pub async fn jobcenter_for_kommune(db: &Db, kommunekode: &str) -> Result<Option<i64>, StorageError> {
    Ok(jobcenter::Entity::find()
        .filter(jobcenter::Column::Kommunekode.eq(kommunekode))
        .one(&db.conn)
        .await?
        .map(|j| j.id))
}

/// A jobcentre's municipality code (the key municipal systems know it by).
pub async fn kommunekode(db: &Db, jobcenter_id: i64) -> Result<Option<String>, StorageError> {
    Ok(jobcenter::Entity::find_by_id(jobcenter_id).one(&db.conn).await?.map(|j| j.kommunekode))
}

/// The active citizen user with this CPR, if the citizen has logged in to VITAS before: the
/// address an agreement to sign is announced to (decision 99).
pub async fn borger_med_cpr(db: &Db, cpr: &str) -> Result<Option<bruger::Model>, StorageError> {
    Ok(bruger::Entity::find()
        .filter(bruger::Column::Rolle.eq(domain::policy::Rolle::Borger.kode()))
        .filter(bruger::Column::Cpr.eq(cpr))
        .filter(bruger::Column::Aktiv.eq(true))
        .order_by_asc(bruger::Column::Id)
        .one(&db.conn)
        .await?)
}
