//! Logins through OpenID Connect (decision 70): the attempts under way at a provider, each
//! used once, and the user a verified identity is. The user row follows the provider at every
//! login (name, role, binding), because FKA and NemLog-in are the source of truth.

use crate::entity::{anden_aktoer, bruger, login_forsoeg};
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use domain::login::{Identitet, Loginafvisning, Tilknytning};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// A login attempt waits this long for the provider's answer (the user types their MitID).
pub const FORSOEG_LEVETID: Duration = Duration::minutes(10);

/// What VITAS must remember while the browser is at the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forsoeg {
    pub profil: String,
    pub nonce: String,
    pub pkce: String,
    pub videre: String,
}

pub async fn gem_forsoeg(db: &Db, state: &str, f: &Forsoeg, nu: DateTime<Utc>) -> Result<(), StorageError> {
    login_forsoeg::ActiveModel {
        id: Set(crate::api::hash(state)),
        profil: Set(f.profil.clone()),
        nonce: Set(f.nonce.clone()),
        pkce: Set(f.pkce.clone()),
        videre: Set(f.videre.clone()),
        oprettet: Set(nu),
    }
    .insert(&db.conn)
    .await?;
    Ok(())
}

/// The attempt `state` names, taken: a second answer with the same state finds nothing
/// (a replayed or raced answer), as does one older than [`FORSOEG_LEVETID`].
pub async fn tag_forsoeg(db: &Db, state: &str, nu: DateTime<Utc>) -> Result<Option<Forsoeg>, StorageError> {
    let id = crate::api::hash(state);
    let Some(r) = login_forsoeg::Entity::find_by_id(id.clone()).one(&db.conn).await? else {
        return Ok(None);
    };
    // Whoever deletes the row owns the attempt.
    let slettet = login_forsoeg::Entity::delete_by_id(id).exec(&db.conn).await?.rows_affected;
    if slettet != 1 || r.oprettet + FORSOEG_LEVETID <= nu {
        return Ok(None);
    }
    Ok(Some(Forsoeg { profil: r.profil, nonce: r.nonce, pkce: r.pkce, videre: r.videre }))
}

/// Attempts the provider never answered (the worker's periodic clean-up).
pub async fn ryd_op(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    Ok(login_forsoeg::Entity::delete_many()
        .filter(login_forsoeg::Column::Oprettet.lte(nu - FORSOEG_LEVETID))
        .exec(&db.conn)
        .await?
        .rows_affected)
}

/// The Anden Aktør organisation with this CVR, if one.
pub async fn anden_aktoer_med_cvr(db: &Db, cvr: &str) -> Result<Option<i64>, StorageError> {
    Ok(anden_aktoer::Entity::find().filter(anden_aktoer::Column::Cvr.eq(cvr)).one(&db.conn).await?.map(|a| a.id))
}

/// The user a verified identity is: found by the provider's subject and brought up to date,
/// or made at the first login. A user an administrator has closed is refused.
pub async fn bruger_for(
    db: &Db,
    id: &Identitet,
    t: &Tilknytning,
) -> Result<Result<bruger::Model, Loginafvisning>, StorageError> {
    let (fornavn, mellemnavn, efternavn) = domain::login::navnedele(&id.navn);
    let (mut cvr, mut cpr, mut jobcenter_id, mut anden_aktoer_id) = (None, None, None, None);
    match t {
        Tilknytning::Virksomhed { cvr: c } => cvr = Some(c.clone()),
        Tilknytning::AndenAktoer { organisation_id } => anden_aktoer_id = Some(*organisation_id),
        Tilknytning::Styrelse => {}
        Tilknytning::Jobcenter { jobcenter_id: j, .. } => jobcenter_id = Some(*j),
        Tilknytning::Borger { cpr: c } => cpr = Some(c.clone()),
    }
    let fundet = bruger::Entity::find().filter(bruger::Column::EksternId.eq(id.emne.as_str())).one(&db.conn).await?;
    let model = match fundet {
        Some(b) if !b.aktiv => return Ok(Err(Loginafvisning::Spaerret)),
        Some(b) => {
            // A person moved to another jobcentre leaves their old team.
            let team = if b.jobcenter_id == jobcenter_id { b.team_id } else { None };
            let mut a: bruger::ActiveModel = b.into();
            a.rolle = Set(t.rolle().kode().to_string());
            a.fornavn = Set(fornavn);
            a.mellemnavn = Set(mellemnavn);
            a.efternavn = Set(efternavn);
            a.cvr = Set(cvr);
            a.cpr = Set(cpr);
            a.jobcenter_id = Set(jobcenter_id);
            a.anden_aktoer_id = Set(anden_aktoer_id);
            a.team_id = Set(team);
            a.update(&db.conn).await?
        }
        None => {
            bruger::ActiveModel {
                rolle: Set(t.rolle().kode().to_string()),
                fornavn: Set(fornavn),
                mellemnavn: Set(mellemnavn),
                efternavn: Set(efternavn),
                email: Set(String::new()),
                jobcenter_id: Set(jobcenter_id),
                team_id: Set(None),
                cvr: Set(cvr),
                cpr: Set(cpr),
                anden_aktoer_id: Set(anden_aktoer_id),
                aktiv: Set(true),
                demo: Set(false),
                ekstern_id: Set(Some(id.emne.clone())),
                ..Default::default()
            }
            .insert(&db.conn)
            .await?
        }
    };
    Ok(Ok(model))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An attempt is taken once; one past its ten minutes is refused and cleaned up.
    #[tokio::test]
    async fn forsoeg_tages_en_gang_og_udloeber() {
        let db = Db::connect("sqlite::memory:").await.expect("db");
        db.migrate().await.expect("migrering");
        let t0 = Utc::now();
        let f = Forsoeg { profil: "mitid".into(), nonce: "n".into(), pkce: "p".into(), videre: "/".into() };
        gem_forsoeg(&db, "state-1", &f, t0).await.expect("gem");
        assert_eq!(tag_forsoeg(&db, "state-2", t0).await.expect("tag"), None, "et andet state");
        assert_eq!(tag_forsoeg(&db, "state-1", t0).await.expect("tag"), Some(f.clone()));
        assert_eq!(tag_forsoeg(&db, "state-1", t0).await.expect("tag"), None, "kun én gang");
        gem_forsoeg(&db, "state-3", &f, t0).await.expect("gem");
        assert_eq!(tag_forsoeg(&db, "state-3", t0 + FORSOEG_LEVETID).await.expect("tag"), None, "for gammelt");
        gem_forsoeg(&db, "state-4", &f, t0).await.expect("gem");
        assert_eq!(ryd_op(&db, t0 + FORSOEG_LEVETID - Duration::seconds(1)).await.expect("ryd"), 0);
        assert_eq!(ryd_op(&db, t0 + FORSOEG_LEVETID).await.expect("ryd"), 1);
    }
}
