//! Login sessions: a small store of our own on SeaORM, expiring after 30 minutes of
//! inactivity for every kind of user (seed 002 §1.5).

use crate::entity::{bruger, session};
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Seed 002 §1.5: automatic logout after 30 minutes idle.
pub const INAKTIVITET: Duration = Duration::minutes(30);

pub async fn opret(db: &Db, bruger_id: i64, nu: DateTime<Utc>) -> Result<String, StorageError> {
    let id = crate::sager::ny_token();
    session::ActiveModel {
        id: Set(id.clone()),
        bruger_id: Set(bruger_id),
        udloeber: Set(nu + INAKTIVITET),
        oprettet: Set(nu),
    }
    .insert(&db.conn)
    .await?;
    Ok(id)
}

/// The session's user, sliding the expiry forward; None when unknown or expired.
pub async fn hent(db: &Db, id: &str, nu: DateTime<Utc>) -> Result<Option<bruger::Model>, StorageError> {
    let Some(s) = session::Entity::find_by_id(id.to_string()).one(&db.conn).await? else {
        return Ok(None);
    };
    if s.udloeber <= nu {
        session::Entity::delete_by_id(s.id).exec(&db.conn).await?;
        return Ok(None);
    }
    session::Entity::update_many()
        .col_expr(session::Column::Udloeber, Expr::value(nu + INAKTIVITET))
        .filter(session::Column::Id.eq(id))
        .exec(&db.conn)
        .await?;
    Ok(bruger::Entity::find_by_id(s.bruger_id).one(&db.conn).await?.filter(|b| b.aktiv))
}

pub async fn slet(db: &Db, id: &str) -> Result<(), StorageError> {
    session::Entity::delete_by_id(id.to_string()).exec(&db.conn).await?;
    Ok(())
}

/// Remove expired sessions (the worker's periodic job). Returns how many went.
pub async fn ryd_op(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    Ok(session::Entity::delete_many().filter(session::Column::Udloeber.lte(nu)).exec(&db.conn).await?.rows_affected)
}
