//! Login sessions: a small store of our own on SeaORM, expiring after 30 minutes of
//! inactivity for every kind of user (seed 002 §1.5); the expiry is written at most once a
//! minute, so the server keeps an idle session 30 to 31 minutes (decision 53). A session also
//! ends 12 hours after login however active it is ([`LEVETID`]), and the table holds only the
//! SHA-256 of each session id, so a copy of it logs nobody in (decision 59).

use crate::entity::{bruger, session};
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Seed 002 §1.5: automatic logout after 30 minutes idle.
pub const INAKTIVITET: Duration = Duration::minutes(30);

/// OWASP ASVS 4.0.3 3.3.2 (level 2): a login lasts at most 12 hours, used or not.
pub const LEVETID: Duration = Duration::hours(12);

/// What the table stores for a session id: its SHA-256, hex.
fn noegle(id: &str) -> String {
    crate::api::hash(id)
}

/// A new session; returns the id for the cookie (only its hash is stored).
pub async fn opret(db: &Db, bruger_id: i64, nu: DateTime<Utc>) -> Result<String, StorageError> {
    opret_fra(db, bruger_id, None, nu).await
}

/// A new session made by a login service (`Loginprofil::slug`), so that logging out of VITAS
/// also ends the login there (decision 70).
pub async fn opret_fra(
    db: &Db,
    bruger_id: i64,
    udbyder: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<String, StorageError> {
    let id = crate::sager::ny_token();
    session::ActiveModel {
        id: Set(noegle(&id)),
        bruger_id: Set(bruger_id),
        udloeber: Set(nu + INAKTIVITET),
        oprettet: Set(nu),
        udbyder: Set(udbyder.map(str::to_string)),
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
    hent_med(db, id, nu, true).await
}

/// As [`hent`]; with `glid` false the expiry stays where it is: a request the browser makes by
/// itself (the export page's progress polling) must not keep an idle session alive.
pub async fn hent_med(db: &Db, id: &str, nu: DateTime<Utc>, glid: bool) -> Result<Option<bruger::Model>, StorageError> {
    let noegle = noegle(id);
    let Some(s) = session::Entity::find_by_id(noegle.clone()).one(&db.conn).await? else {
        return Ok(None);
    };
    if s.udloeber <= nu || s.oprettet + LEVETID <= nu {
        session::Entity::delete_by_id(s.id).exec(&db.conn).await?;
        return Ok(None);
    }
    if glid && s.udloeber < nu + INAKTIVITET {
        // Never past the absolute lifetime.
        let ny = (nu + INAKTIVITET + GLID).min(s.oprettet + LEVETID);
        session::Entity::update_many()
            .col_expr(session::Column::Udloeber, Expr::value(ny))
            .filter(session::Column::Id.eq(noegle))
            .exec(&db.conn)
            .await?;
    }
    Ok(bruger::Entity::find_by_id(s.bruger_id).one(&db.conn).await?.filter(|b| b.aktiv))
}

/// Whether a session id is a live session (the page limit's key; reads one row by its key,
/// changes nothing).
pub async fn findes(db: &Db, id: &str, nu: DateTime<Utc>) -> Result<bool, StorageError> {
    Ok(session::Entity::find_by_id(noegle(id))
        .one(&db.conn)
        .await?
        .is_some_and(|s| s.udloeber > nu && s.oprettet + LEVETID > nu))
}

/// The login service that made a session, if any.
pub async fn udbyder(db: &Db, id: &str) -> Result<Option<String>, StorageError> {
    Ok(session::Entity::find_by_id(noegle(id)).one(&db.conn).await?.and_then(|s| s.udbyder))
}

/// Log out: the session is gone on the server, whatever the browser keeps.
pub async fn slet(db: &Db, id: &str) -> Result<(), StorageError> {
    session::Entity::delete_by_id(noegle(id)).exec(&db.conn).await?;
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
        let (db, id, t0) = ny_session().await;
        let udloeber = |db: Db, id: String| async move {
            session::Entity::find_by_id(noegle(&id)).one(&db.conn).await.expect("læs").expect("findes").udloeber
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

    async fn ny_session() -> (Db, String, DateTime<Utc>) {
        let db = Db::connect("sqlite::memory:").await.expect("db");
        db.migrate().await.expect("migrering");
        let b = bruger::ActiveModel {
            rolle: Set("borger".into()),
            fornavn: Set("Bo".into()),
            mellemnavn: Set(String::new()),
            efternavn: Set("Holm".into()),
            email: Set("bo@example.dk".into()),
            aktiv: Set(true),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .expect("bruger");
        let t0 = Utc::now();
        let id = opret(&db, b.id, t0).await.expect("session");
        (db, id, t0)
    }

    /// Decision 59: the table holds the id's hash, never the id; a session ends 12 hours after
    /// login however active; polling without a user does not slide the expiry.
    #[tokio::test]
    async fn hash_levetid_og_ingen_glid() {
        let (db, id, t0) = ny_session().await;
        let raekker = session::Entity::find().all(&db.conn).await.expect("sessioner");
        assert_eq!(raekker.len(), 1);
        assert_ne!(raekker[0].id, id, "id'et står ikke i tabellen");
        assert_eq!(raekker[0].id, noegle(&id));
        assert!(hent(&db, &raekker[0].id, t0).await.expect("hent").is_none(), "hashen er ingen nøgle");

        // Active every 10 minutes: still in at 11 h 50 min, out at 12 h.
        let mut t = t0;
        while t + Duration::minutes(10) < t0 + LEVETID {
            t += Duration::minutes(10);
            assert!(hent(&db, &id, t).await.expect("hent").is_some(), "{t}");
        }
        assert!(hent(&db, &id, t0 + LEVETID).await.expect("hent").is_none(), "12 timer er grænsen");

        // Polling without glide: the 30 minutes run out all the same.
        let (db, id, t0) = ny_session().await;
        for m in [10, 20, 29] {
            assert!(hent_med(&db, &id, t0 + Duration::minutes(m), false).await.expect("hent").is_some());
        }
        assert!(hent_med(&db, &id, t0 + INAKTIVITET, false).await.expect("hent").is_none());
    }
}
