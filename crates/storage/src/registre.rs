//! The external government systems VITAS talks to, one trait each, and the local registry
//! that implements them for the demo and the tests. A production deployment plugs in HTTP
//! clients for the same traits; the rest of VITAS cannot tell the difference.

use crate::entity::{dfdg_borger, eindkomst, p_enhed, virksomhed};
use crate::{Db, StorageError};
use chrono::{DateTime, Utc};
use domain::ident::{Cpr, Cvr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// A citizen as DFDG (Det Fælles Datagrundlag) knows them.
#[derive(Debug, Clone)]
pub struct BorgerOpslag {
    pub navn: String,
    /// The home municipality: its jobcentre receives the application.
    pub kommunekode: String,
}

/// DFDG: the citizen's name is fetched by CPR, nothing else (DOMAIN.md "Rules").
#[async_trait::async_trait]
pub trait Dfdg: Send + Sync {
    async fn borger(&self, cpr: &Cpr) -> Result<Option<BorgerOpslag>, StorageError>;
}

#[derive(Debug, Clone)]
pub struct PEnhedOpslag {
    pub pnummer: String,
    pub navn: String,
    pub adresse: String,
    /// The municipality the unit lies in: its jobcentre receives an application without a
    /// CPR (seed 004; decision 102). `None` where the register does not say.
    pub kommunekode: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VirksomhedOpslag {
    pub cvr: String,
    pub navn: String,
    pub adresse: String,
    pub offentlig: bool,
    pub p_enheder: Vec<PEnhedOpslag>,
}

/// The CVR register: the company and its production units.
#[async_trait::async_trait]
pub trait CvrRegister: Send + Sync {
    async fn virksomhed(&self, cvr: &Cvr) -> Result<Option<VirksomhedOpslag>, StorageError>;
}

/// STAR's own register of companies in labour conflict (seed 002 §2.1) and blocked ones.
#[async_trait::async_trait]
pub trait Konfliktregister: Send + Sync {
    async fn konfliktramt(&self, cvr: &Cvr) -> Result<bool, StorageError>;
}

/// eIndkomst: full-time equivalents per month for a CVR, in hundredths.
#[async_trait::async_trait]
pub trait Eindkomst: Send + Sync {
    /// The `antal` months before `foer_maaned` (`YYYY-MM`), oldest first.
    async fn fuldtid(&self, cvr: &Cvr, foer_maaned: &str, antal: usize) -> Result<Vec<(String, u32)>, StorageError>;
}

/// A signature from NemLog-in's signing component (seed 001 §1.13).
#[derive(Debug, Clone)]
pub struct Signatur {
    pub underskriver: String,
    pub tidspunkt: DateTime<Utc>,
    pub metode: &'static str,
}

#[async_trait::async_trait]
pub trait Signering: Send + Sync {
    async fn underskriv(&self, underskriver: &str, nu: DateTime<Utc>) -> Result<Signatur, StorageError>;
}

/// The local registry: the demo's and the tests' stand-in for all of the above, kept in
/// VITAS's own database (tables `virksomhed`, `p_enhed`, `eindkomst`, `dfdg_borger`).
#[derive(Clone)]
pub struct LokaltRegister {
    db: Db,
}

impl LokaltRegister {
    pub fn new(db: Db) -> Self {
        LokaltRegister { db }
    }
}

#[async_trait::async_trait]
impl Dfdg for LokaltRegister {
    async fn borger(&self, cpr: &Cpr) -> Result<Option<BorgerOpslag>, StorageError> {
        Ok(dfdg_borger::Entity::find_by_id(cpr.as_str().to_string())
            .one(&self.db.conn)
            .await?
            .map(|b| BorgerOpslag { navn: format!("{} {}", b.fornavn, b.efternavn), kommunekode: b.kommunekode }))
    }
}

#[async_trait::async_trait]
impl CvrRegister for LokaltRegister {
    async fn virksomhed(&self, cvr: &Cvr) -> Result<Option<VirksomhedOpslag>, StorageError> {
        let Some(v) = virksomhed::Entity::find_by_id(cvr.as_str().to_string()).one(&self.db.conn).await? else {
            return Ok(None);
        };
        let p = p_enhed::Entity::find()
            .filter(p_enhed::Column::Cvr.eq(cvr.as_str()))
            .order_by_asc(p_enhed::Column::Pnummer)
            .all(&self.db.conn)
            .await?;
        Ok(Some(VirksomhedOpslag {
            cvr: v.cvr,
            navn: v.navn,
            adresse: v.adresse,
            offentlig: v.offentlig,
            p_enheder: p
                .into_iter()
                .map(|p| PEnhedOpslag {
                    pnummer: p.pnummer,
                    navn: p.navn,
                    adresse: p.adresse,
                    kommunekode: p.kommunekode,
                })
                .collect(),
        }))
    }
}

#[async_trait::async_trait]
impl Konfliktregister for LokaltRegister {
    async fn konfliktramt(&self, cvr: &Cvr) -> Result<bool, StorageError> {
        Ok(virksomhed::Entity::find_by_id(cvr.as_str().to_string())
            .one(&self.db.conn)
            .await?
            .is_some_and(|v| v.konfliktramt))
    }
}

#[async_trait::async_trait]
impl Eindkomst for LokaltRegister {
    async fn fuldtid(&self, cvr: &Cvr, foer_maaned: &str, antal: usize) -> Result<Vec<(String, u32)>, StorageError> {
        let mut rows = eindkomst::Entity::find()
            .filter(eindkomst::Column::Cvr.eq(cvr.as_str()))
            .filter(eindkomst::Column::Maaned.lt(foer_maaned))
            .order_by_desc(eindkomst::Column::Maaned)
            .all(&self.db.conn)
            .await?;
        rows.truncate(antal);
        rows.reverse();
        Ok(rows.into_iter().map(|r| (r.maaned, u32::try_from(r.fuldtid_hundrededele).unwrap_or(0))).collect())
    }
}

#[async_trait::async_trait]
impl Signering for LokaltRegister {
    async fn underskriv(&self, underskriver: &str, nu: DateTime<Utc>) -> Result<Signatur, StorageError> {
        Ok(Signatur { underskriver: underskriver.to_string(), tidspunkt: nu, metode: "Demo-signering (lokal)" })
    }
}
