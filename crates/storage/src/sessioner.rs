//! Login sessions: a small store of our own on SeaORM, expiring after 30 minutes of
//! inactivity for every kind of user (seed 002 §1.5); the expiry is written at most once a
//! minute, so the server keeps an idle session 30 to 31 minutes (decision 53).

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

/// How far past [`INAKTIVITET`] a request slides the expiry (decision 53). A request writes
/// the session only when less than [`INAKTIVITET`] is left, and then sets it to
/// `INAKTIVITET + GLID`: after any request the session has between 30 and 31 minutes left,
/// and a user's burst of page views costs one write a minute instead of one each.
pub const GLID: Duration = Duration::minutes(1);

/// The session's user, sliding the expiry forward; None when unknown or expired.
pub async fn hent(db: &Db, id: &str, nu: DateTime<Utc>) -> Result<Option<bruger::Model>, StorageError> {
    let Some(s) = session::Entity::find_by_id(id.to_string()).one(&db.conn).await? else {
        return Ok(None);
    };
    if s.udloeber <= nu {
        session::Entity::delete_by_id(s.id).exec(&db.conn).await?;
        return Ok(None);
    }
    if s.udloeber < nu + INAKTIVITET {
        session::Entity::update_many()
            .col_expr(session::Column::Udloeber, Expr::value(nu + INAKTIVITET + GLID))
            .filter(session::Column::Id.eq(id))
            .exec(&db.conn)
            .await?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Decision 53: after any request at least 30 minutes are left, at most 31, and a
    /// request within the minute after a write writes nothing.
    #[tokio::test]
    async fn udloebet_glider_hoejst_en_gang_i_minuttet() {
        let db = Db::connect("sqlite::memory:").await.expect("db");
        db.migrate().await.expect("migrering");
        let b = bruger::ActiveModel {
            rolle: Set("borger".into()),
            fornavn: Set("Anna".into()),
            mellemnavn: Set(String::new()),
            efternavn: Set("Jensen".into()),
            email: Set("anna@example.dk".into()),
            aktiv: Set(true),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .expect("bruger");
        let t0 = Utc::now();
        let id = opret(&db, b.id, t0).await.expect("session");
        let udloeber = |db: Db, id: String| async move {
            session::Entity::find_by_id(id).one(&db.conn).await.expect("læs").expect("findes").udloeber
        };
        // A new session has its 30 minutes: a request at once writes nothing.
        assert!(hent(&db, &id, t0).await.expect("hent").is_some());
        assert_eq!(udloeber(db.clone(), id.clone()).await, t0 + INAKTIVITET);
        // 30 seconds later less than 30 minutes are left: it slides to 31.
        let t1 = t0 + Duration::seconds(30);
        assert!(hent(&db, &id, t1).await.expect("hent").is_some());
        assert_eq!(udloeber(db.clone(), id.clone()).await, t1 + INAKTIVITET + GLID);
        // Another 30 seconds: 30½ minutes left, nothing is written.
        let t2 = t1 + Duration::seconds(30);
        assert!(hent(&db, &id, t2).await.expect("hent").is_some());
        assert_eq!(udloeber(db.clone(), id.clone()).await, t1 + INAKTIVITET + GLID);
        // 90 seconds after the write: it slides again.
        let t2 = t1 + Duration::seconds(90);
        assert!(hent(&db, &id, t2).await.expect("hent").is_some());
        assert_eq!(udloeber(db.clone(), id.clone()).await, t2 + INAKTIVITET + GLID);
        // Idle for 31 minutes: gone.
        assert!(hent(&db, &id, t2 + INAKTIVITET + GLID).await.expect("hent").is_none());
    }
}
