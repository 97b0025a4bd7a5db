//! The access log: who read which citizen's data, when and why (issue 14 §3, decision 68).
//!
//! One entry per read, not per cell: a case page, a list page, an Excel export, a letter, an
//! API answer and a DFDG lookup each write one row with the set of CPR numbers it showed
//! (`adgangslog_cpr`, one row per CPR, indexed for the citizen's extract).
//!
//! The CPR numbers are stored as keyed hashes, HMAC-SHA256 with the server's key ([`Noegle`],
//! decision 79): the citizen's extract hashes the CPR it is given with the same key and finds
//! the reads, but the log's tables alone do not reveal whose data was read.
//!
//! The log is tamper-evident: each entry's `hash` is SHA-256 of the previous entry's hash and
//! of the entry itself, its CPR hashes included. [`verificer`] recomputes the chain and names
//! the first entry that does not match: an entry changed, removed or inserted, or a CPR taken
//! off one, breaks it from there on. Entries are appended one at a time under a lock (an
//! advisory lock on PostgreSQL, the write lock on SQLite), so two servers cannot fork it.

use crate::entity::{adgangslog, adgangslog_cpr, adgangslog_person, sletning};
use crate::{Db, StorageError};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// The server's key for the CPR hashes (decision 79). It never reaches the database: it comes
/// from `VITAS_ADGANGSLOG_NOEGLE`, or in demo mode from a file in the data folder. `Debug`
/// does not show it.
#[derive(Clone)]
pub struct Noegle(Arc<Vec<u8>>);

impl std::fmt::Debug for Noegle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Noegle(…)")
    }
}

impl Noegle {
    /// The shortest key accepted: 32 characters, e.g. `openssl rand -hex 32` gives 64.
    pub const MINDST: usize = 32;

    /// A key from its text form (surrounding whitespace ignored).
    pub fn fra_tekst(tekst: &str) -> Result<Noegle, String> {
        let t = tekst.trim();
        if t.chars().count() < Self::MINDST {
            return Err(format!(
                "Adgangsloggens nøgle skal have mindst {} tegn; lav en med fx `openssl rand -hex 32`.",
                Self::MINDST
            ));
        }
        Ok(Noegle(Arc::new(t.as_bytes().to_vec())))
    }

    /// A new random key in text form: 256 bits as 64 hex digits.
    pub fn ny_tekst() -> String {
        crate::sager::ny_token()
    }

    /// HMAC-SHA256 of the ten digits, as 64 hex digits.
    pub fn cpr_hmac(&self, cpr: &str) -> String {
        let cifre: String = cpr.chars().filter(char::is_ascii_digit).collect();
        domain::ident::hmac_hex(&self.0, cifre.as_bytes())
    }
}

fn noegle(db: &Db) -> Result<&Noegle, StorageError> {
    db.adgangslog_noegle().ok_or_else(|| {
        StorageError::Data("adgangsloggens nøgle er ikke sat (VITAS_ADGANGSLOG_NOEGLE, decision 79)".into())
    })
}

/// The hash before the first entry.
pub const START: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Why the data was read: what the reader was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formaal {
    /// A case page.
    Sag,
    /// A list page or the front page's short lists.
    Liste,
    /// An Excel file of a list.
    Excel,
    /// A letter (PDF).
    Brev,
    /// A municipal system's Get service.
    Api,
    /// The citizen's name looked up in DFDG on step 3.
    Opslag,
    /// The hearing page the employee representative opened by the link.
    Hoering,
    /// The citizen's own extract (Art. 15), made by an administrator.
    Indsigt,
}

impl Formaal {
    pub fn kode(self) -> &'static str {
        match self {
            Formaal::Sag => "sag",
            Formaal::Liste => "liste",
            Formaal::Excel => "excel",
            Formaal::Brev => "brev",
            Formaal::Api => "api",
            Formaal::Opslag => "opslag",
            Formaal::Hoering => "hoering",
            Formaal::Indsigt => "indsigt",
        }
    }

    /// As the citizen's extract says it.
    pub fn navn(self) -> &'static str {
        match self {
            Formaal::Sag => "Sagen blev åbnet",
            Formaal::Liste => "Sagen stod på en liste",
            Formaal::Excel => "Sagen var med i et Excel-udtræk",
            Formaal::Brev => "Et brev i sagen blev hentet",
            Formaal::Api => "Et fagsystem hentede sagen",
            Formaal::Opslag => "Navnet blev slået op i DFDG",
            Formaal::Hoering => "Medarbejderrepræsentanten åbnede høringen",
            Formaal::Indsigt => "Der blev lavet et indsigtsudtræk",
        }
    }

    pub const ALLE: [Formaal; 8] = [
        Formaal::Sag,
        Formaal::Liste,
        Formaal::Excel,
        Formaal::Brev,
        Formaal::Api,
        Formaal::Opslag,
        Formaal::Hoering,
        Formaal::Indsigt,
    ];

    pub fn fra_kode(kode: &str) -> Option<Formaal> {
        Formaal::ALLE.into_iter().find(|f| f.kode() == kode)
    }
}

/// One read to log.
#[derive(Debug, Clone)]
pub struct Laesning {
    /// The logged-in user, if any.
    pub bruger_id: Option<i64>,
    /// The API client, for the Get services.
    pub api_klient_id: Option<i64>,
    /// The reader's role code (`Rolle::kode`) or `api`.
    pub rolle: String,
    pub formaal: Formaal,
    /// What was read, without personal data: e.g. "sag 1042", "liste ansoegninger".
    pub hvad: String,
    /// The CPR numbers shown (any spelling; stored as ten digits, each once).
    pub cpr: Vec<String>,
}

/// The entry's own part of the chain: everything but its id and hashes, in a fixed form.
fn indhold(r: &adgangslog::Model, cpr: &[String]) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        r.tidspunkt.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        r.bruger_id.map(|b| b.to_string()).unwrap_or_default(),
        r.api_klient_id.map(|k| k.to_string()).unwrap_or_default(),
        r.rolle,
        r.formaal,
        r.hvad,
        r.antal_cpr,
        cpr.join(","),
    )
}

/// An entry's hash from the one before it, its content and its stored CPR values (sorted):
/// what [`verificer`] recomputes. Public for the tests of entries written before decision 79.
pub fn kaedehash(forrige: &str, r: &adgangslog::Model, cpr: &[String]) -> String {
    kaede(forrige, &indhold(r, cpr))
}

fn kaede(forrige: &str, indhold: &str) -> String {
    let mut h = Sha256::new();
    h.update(forrige.as_bytes());
    h.update(b"\n");
    h.update(indhold.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Ten digits, sorted, each once.
fn normaliser(cpr: &[String]) -> Vec<String> {
    let mut v: Vec<String> = cpr
        .iter()
        .map(|c| c.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|c| c.len() == 10)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Append a read to the log. A read that showed no CPR writes nothing.
pub async fn skriv(db: &Db, l: Laesning, nu: DateTime<Utc>) -> Result<(), StorageError> {
    let klar = normaliser(&l.cpr);
    if klar.is_empty() {
        return Ok(());
    }
    let n = noegle(db)?;
    let mut cpr: Vec<String> = klar.iter().map(|c| n.cpr_hmac(c)).collect();
    cpr.sort_unstable();
    cpr.dedup();
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    laas(&txn).await?;
    let forrige = match adgangslog::Entity::find().order_by_desc(adgangslog::Column::Id).one(&txn).await? {
        Some(r) => r.hash,
        None => anker(&txn).await?.map_or_else(|| START.to_string(), |(_, h)| h),
    };
    let mut r = adgangslog::Model {
        id: 0,
        tidspunkt: nu.trunc_subsecs(6),
        bruger_id: l.bruger_id,
        api_klient_id: l.api_klient_id,
        rolle: l.rolle,
        formaal: l.formaal.kode().into(),
        hvad: domain::tekst::uden_kontroltegn(&l.hvad).into_owned(),
        antal_cpr: cpr.len() as i64,
        forrige: forrige.clone(),
        hash: String::new(),
    };
    r.hash = kaede(&forrige, &indhold(&r, &cpr));
    let ny = adgangslog::ActiveModel {
        tidspunkt: Set(r.tidspunkt),
        bruger_id: Set(r.bruger_id),
        api_klient_id: Set(r.api_klient_id),
        rolle: Set(r.rolle),
        formaal: Set(r.formaal),
        hvad: Set(r.hvad),
        antal_cpr: Set(r.antal_cpr),
        forrige: Set(r.forrige),
        hash: Set(r.hash),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for del in cpr.chunks(1000) {
        adgangslog_person::Entity::insert_many(
            del.iter().map(|c| adgangslog_person::ActiveModel { log_id: Set(ny.id), cpr_hmac: Set(c.clone()) }),
        )
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// One writer of the chain at a time across every server: an advisory lock on PostgreSQL, the
/// write lock taken at BEGIN on SQLite.
async fn laas<C: ConnectionTrait>(c: &C) -> Result<(), StorageError> {
    if c.get_database_backend() == sea_orm::DbBackend::Postgres {
        c.execute_unprepared("SELECT pg_advisory_xact_lock(7244001)").await?;
    }
    Ok(())
}

/// Where the chain starts after old entries were deleted: the last deleted entry's id and
/// hash, from the deletion log (decision 79).
async fn anker<C: ConnectionTrait>(c: &C) -> Result<Option<(i64, String)>, StorageError> {
    Ok(sletning::Entity::find()
        .filter(sletning::Column::Art.eq(ART_SLETNING))
        .order_by_desc(sletning::Column::Id)
        .one(c)
        .await?
        .and_then(|s| Some((s.til_log_id?, s.sidste_hash?))))
}

/// The deletion log's `art` for old access-log entries.
pub const ART_SLETNING: &str = "adgangslog";

/// The stored CPR values of each entry: the keyed hashes, and any plaintext rows written
/// before decision 79 that [`omlaeg_klartekst`] has not moved yet.
async fn vaerdier<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, StorageError> {
    let mut v: HashMap<i64, Vec<String>> = HashMap::new();
    for r in
        adgangslog_person::Entity::find().filter(adgangslog_person::Column::LogId.is_in(ids.to_vec())).all(c).await?
    {
        v.entry(r.log_id).or_default().push(r.cpr_hmac);
    }
    for r in adgangslog_cpr::Entity::find().filter(adgangslog_cpr::Column::LogId.is_in(ids.to_vec())).all(c).await? {
        v.entry(r.log_id).or_default().push(r.cpr);
    }
    for l in v.values_mut() {
        l.sort_unstable();
    }
    Ok(v)
}

/// What [`verificer`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifikation {
    /// Entries checked.
    pub antal: u64,
    /// The first entry whose hash does not follow from the one before it and its content.
    pub foerste_brud: Option<i64>,
}

/// Recompute the chain from its start (the first entry, or the anchor the deletion of old
/// entries left), a page at a time.
pub async fn verificer(db: &Db) -> Result<Verifikation, StorageError> {
    verificer_paa(&db.conn).await
}

async fn verificer_paa<C: ConnectionTrait>(c: &C) -> Result<Verifikation, StorageError> {
    let (mut efter, mut forrige) = anker(c).await?.unwrap_or((0, START.to_string()));
    let mut antal = 0u64;
    loop {
        let side = adgangslog::Entity::find()
            .filter(adgangslog::Column::Id.gt(efter))
            .order_by_asc(adgangslog::Column::Id)
            .limit(5_000)
            .all(c)
            .await?;
        let Some(sidste) = side.last().map(|r| r.id) else { break };
        let ids: Vec<i64> = side.iter().map(|r| r.id).collect();
        let mut cpr = vaerdier(c, &ids).await?;
        for r in &side {
            let mine = cpr.remove(&r.id).unwrap_or_default();
            let ventet = kaede(&forrige, &indhold(r, &mine));
            if r.forrige != forrige || r.hash != ventet {
                return Ok(Verifikation { antal: antal + 1, foerste_brud: Some(r.id) });
            }
            forrige = r.hash.clone();
            antal += 1;
        }
        efter = sidste;
    }
    Ok(Verifikation { antal, foerste_brud: None })
}

/// Move the plaintext CPR rows of entries written before decision 79 (`adgangslog_cpr`) to
/// keyed hashes (`adgangslog_person`), and recompute the chain over the hashes from the first
/// such entry on. One transaction under the chain's lock; the chain is verified first in its
/// old form, and a broken chain is not rewritten (the operator must look at it first). Run at
/// start-up once the key is known; with nothing left to move it reads one row. Returns the
/// entries moved.
pub async fn omlaeg_klartekst(db: &Db) -> Result<u64, StorageError> {
    if adgangslog_cpr::Entity::find().one(&db.conn).await?.is_none() {
        return Ok(0);
    }
    let n = noegle(db)?;
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    laas(&txn).await?;
    let v = verificer_paa(&txn).await?;
    if let Some(brud) = v.foerste_brud {
        return Err(StorageError::Data(format!(
            "adgangsloggen er brudt ved post {brud}, så dens CPR-numre kan ikke omlægges til nøglede hashes; \
             undersøg bruddet med `vitas adgangslog verificer` først"
        )));
    }
    let Some(foerste) = adgangslog_cpr::Entity::find().order_by_asc(adgangslog_cpr::Column::LogId).one(&txn).await?
    else {
        return Ok(0);
    };
    let mut forrige = match adgangslog::Entity::find()
        .filter(adgangslog::Column::Id.lt(foerste.log_id))
        .order_by_desc(adgangslog::Column::Id)
        .one(&txn)
        .await?
    {
        Some(r) => r.hash,
        None => anker(&txn).await?.map_or_else(|| START.to_string(), |(_, h)| h),
    };
    let mut efter = foerste.log_id - 1;
    let mut flyttet = 0u64;
    loop {
        let side = adgangslog::Entity::find()
            .filter(adgangslog::Column::Id.gt(efter))
            .order_by_asc(adgangslog::Column::Id)
            .limit(2_000)
            .all(&txn)
            .await?;
        let Some(sidste) = side.last().map(|r| r.id) else { break };
        let ids: Vec<i64> = side.iter().map(|r| r.id).collect();
        let mut klar: HashMap<i64, Vec<String>> = HashMap::new();
        for r in
            adgangslog_cpr::Entity::find().filter(adgangslog_cpr::Column::LogId.is_in(ids.clone())).all(&txn).await?
        {
            klar.entry(r.log_id).or_default().push(r.cpr);
        }
        let mut hashede: HashMap<i64, Vec<String>> = HashMap::new();
        for r in adgangslog_person::Entity::find()
            .filter(adgangslog_person::Column::LogId.is_in(ids.clone()))
            .all(&txn)
            .await?
        {
            hashede.entry(r.log_id).or_default().push(r.cpr_hmac);
        }
        for r in side {
            let mut mine = hashede.remove(&r.id).unwrap_or_default();
            if let Some(k) = klar.remove(&r.id) {
                let nye: Vec<String> = k.iter().map(|c| n.cpr_hmac(c)).filter(|h| !mine.contains(h)).collect();
                if !nye.is_empty() {
                    adgangslog_person::Entity::insert_many(
                        nye.iter()
                            .map(|h| adgangslog_person::ActiveModel { log_id: Set(r.id), cpr_hmac: Set(h.clone()) }),
                    )
                    .exec(&txn)
                    .await?;
                }
                mine.extend(nye);
                flyttet += 1;
            }
            mine.sort_unstable();
            mine.dedup();
            let hash = kaede(&forrige, &indhold(&r, &mine));
            if r.forrige != forrige || r.hash != hash {
                adgangslog::Entity::update_many()
                    .col_expr(adgangslog::Column::Forrige, sea_orm::sea_query::Expr::value(forrige.clone()))
                    .col_expr(adgangslog::Column::Hash, sea_orm::sea_query::Expr::value(hash.clone()))
                    .filter(adgangslog::Column::Id.eq(r.id))
                    .exec(&txn)
                    .await?;
            }
            forrige = hash;
        }
        adgangslog_cpr::Entity::delete_many().filter(adgangslog_cpr::Column::LogId.is_in(ids)).exec(&txn).await?;
        efter = sidste;
    }
    txn.commit().await?;
    Ok(flyttet)
}

/// Delete the entries read before `graense` (the access log's retention, decision 79), oldest
/// first and only as a prefix of the chain, in batches of one transaction each under the
/// chain's lock. Each batch writes a deletion-log row with the last deleted entry's id and
/// hash, from which [`verificer`] then starts. Returns the entries deleted.
pub async fn slet_foer(db: &Db, graense: DateTime<Utc>, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    const PARTI: u64 = 1_000;
    let mut i_alt = 0u64;
    loop {
        let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
        laas(&txn).await?;
        let side = adgangslog::Entity::find().order_by_asc(adgangslog::Column::Id).limit(PARTI).all(&txn).await?;
        let hele = side.len() as u64 == PARTI;
        let gamle: Vec<&adgangslog::Model> = side.iter().take_while(|r| r.tidspunkt < graense).collect();
        let Some(sidste) = gamle.last() else {
            txn.rollback().await?;
            break;
        };
        let ids: Vec<i64> = gamle.iter().map(|r| r.id).collect();
        let felter: i64 = gamle.iter().map(|r| r.antal_cpr).sum();
        adgangslog_person::Entity::delete_many()
            .filter(adgangslog_person::Column::LogId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        adgangslog_cpr::Entity::delete_many()
            .filter(adgangslog_cpr::Column::LogId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        adgangslog::Entity::delete_many().filter(adgangslog::Column::Id.is_in(ids.clone())).exec(&txn).await?;
        sletning::ActiveModel {
            tidspunkt: Set(nu.trunc_subsecs(6)),
            art: Set(ART_SLETNING.into()),
            sag_id: Set(None),
            regel: Set(format!("adgangslog_{}aar", domain::opbevaring::ADGANGSLOG_AAR)),
            felter: Set(felter),
            raekker: Set(ids.len() as i64),
            til_log_id: Set(Some(sidste.id)),
            sidste_hash: Set(Some(sidste.hash.clone())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        i_alt += ids.len() as u64;
        if !hele || ids.len() as u64 != PARTI {
            break;
        }
    }
    Ok(i_alt)
}

/// The reads of one citizen's data, newest first (the citizen's extract, Art. 15).
pub async fn for_cpr(db: &Db, cpr: &str, graense: u64) -> Result<Vec<adgangslog::Model>, StorageError> {
    let ids = laesninger_af(noegle(db)?, cpr);
    Ok(adgangslog::Entity::find()
        .filter(adgangslog::Column::Id.in_subquery(ids))
        .order_by_desc(adgangslog::Column::Id)
        .limit(graense)
        .all(&db.conn)
        .await?)
}

/// The entries that showed `cpr`: its keyed hash looked up in `adgangslog_person`.
fn laesninger_af(n: &Noegle, cpr: &str) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(adgangslog_person::Column::LogId)
        .from(adgangslog_person::Entity)
        .and_where(adgangslog_person::Column::CprHmac.eq(n.cpr_hmac(cpr)))
        .to_owned()
}

/// One read as the citizen's extract shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Indsigtslaesning {
    pub tidspunkt: DateTime<Utc>,
    /// The reader: a user's name, an API client's name, or the role alone.
    pub hvem: String,
    pub rolle: String,
    /// Why, in Danish (`Formaal::navn`).
    pub formaal: String,
    pub hvad: String,
}

/// The citizen's extract (Art. 15): the cases that hold the person, and the reads of their
/// data, newest first.
#[derive(Debug, Clone)]
pub struct Indsigt {
    pub sager: Vec<crate::entity::sag::Model>,
    pub laesninger: Vec<Indsigtslaesning>,
    /// More reads than `graense`: the list stops there.
    pub afkortet: bool,
}

/// The most cases an extract lists.
pub const MAKS_SAGER: u64 = 10_000;

/// The extract for `cpr`. With `jobcenter`, a jobcentre's administrator's view: its own cases,
/// and the reads by its own users. Without, STAR's: everything, API clients included.
pub async fn indsigt(db: &Db, cpr: &str, jobcenter: Option<i64>, graense: u64) -> Result<Indsigt, StorageError> {
    use crate::entity::{api_klient, bruger, sag};
    let cpr: String = cpr.chars().filter(char::is_ascii_digit).collect();
    let mut sager = sag::Entity::find().filter(sag::Column::Cpr.eq(cpr.clone())).order_by_asc(sag::Column::Id);
    if let Some(jc) = jobcenter {
        sager = sager.filter(sag::Column::JobcenterId.eq(jc));
    }
    // A person holds a handful of cases; the bound keeps the page and the file finite anyway.
    let sager = sager.limit(MAKS_SAGER).all(&db.conn).await?;
    let ids = laesninger_af(noegle(db)?, &cpr);
    let mut q = adgangslog::Entity::find().filter(adgangslog::Column::Id.in_subquery(ids));
    if let Some(jc) = jobcenter {
        let egne = sea_orm::sea_query::Query::select()
            .column(bruger::Column::Id)
            .from(bruger::Entity)
            .and_where(bruger::Column::JobcenterId.eq(jc))
            .to_owned();
        q = q.filter(adgangslog::Column::BrugerId.in_subquery(egne));
    }
    let mut poster = q.order_by_desc(adgangslog::Column::Id).limit(graense + 1).all(&db.conn).await?;
    let afkortet = poster.len() as u64 > graense;
    poster.truncate(usize::try_from(graense).unwrap_or(usize::MAX));
    let bruger_ids: Vec<i64> = poster.iter().filter_map(|p| p.bruger_id).collect();
    let klient_ids: Vec<i64> = poster.iter().filter_map(|p| p.api_klient_id).collect();
    let navne: std::collections::HashMap<i64, String> = bruger::Entity::find()
        .filter(bruger::Column::Id.is_in(bruger_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b.fuldt_navn()))
        .collect();
    let klienter: std::collections::HashMap<i64, String> = api_klient::Entity::find()
        .filter(api_klient::Column::Id.is_in(klient_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|k| (k.id, k.navn))
        .collect();
    let laesninger = poster
        .into_iter()
        .map(|p| Indsigtslaesning {
            tidspunkt: p.tidspunkt,
            hvem: match (p.bruger_id.and_then(|b| navne.get(&b)), p.api_klient_id.and_then(|k| klienter.get(&k))) {
                (Some(n), _) => n.clone(),
                (_, Some(k)) => format!("Fagsystemet {k}"),
                _ => String::new(),
            },
            formaal: Formaal::fra_kode(&p.formaal).map_or(p.formaal.clone(), |f| f.navn().to_string()),
            rolle: p.rolle,
            hvad: p.hvad,
        })
        .collect();
    Ok(Indsigt { sager, laesninger, afkortet })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_normaliseres_sorteres_og_tages_en_gang() {
        let v = normaliser(&["150385-2345".into(), "0101901234".into(), "1503852345".into(), "x".into()]);
        assert_eq!(v, vec!["0101901234".to_string(), "1503852345".to_string()]);
    }

    #[test]
    fn cpr_hashes_med_noeglen() {
        let a = Noegle::fra_tekst(&"a".repeat(32)).expect("nøgle");
        let b = Noegle::fra_tekst(&"b".repeat(32)).expect("nøgle");
        let h = a.cpr_hmac("010190-1234");
        assert_eq!(h.len(), 64);
        assert_eq!(h, a.cpr_hmac("0101901234"), "stavemåden er ligegyldig");
        assert_ne!(h, b.cpr_hmac("0101901234"), "en anden nøgle");
        assert!(!h.contains("0101901234"));
        assert!(Noegle::fra_tekst("for kort").is_err());
        assert_eq!(format!("{a:?}"), "Noegle(…)");
        assert_eq!(Noegle::ny_tekst().len(), 64);
    }

    #[test]
    fn kaeden_afhaenger_af_alt() {
        let r = adgangslog::Model {
            id: 1,
            tidspunkt: DateTime::parse_from_rfc3339("2026-12-04T10:00:00.123456Z")
                .map(|t| t.to_utc())
                .unwrap_or_default(),
            bruger_id: Some(5),
            api_klient_id: None,
            rolle: "sagsbehandler".into(),
            formaal: "sag".into(),
            hvad: "sag 1".into(),
            antal_cpr: 1,
            forrige: START.into(),
            hash: String::new(),
        };
        let a = kaede(START, &indhold(&r, &["0101901234".into()]));
        assert_ne!(a, kaede(START, &indhold(&r, &["0101901235".into()])), "en anden CPR");
        assert_ne!(a, kaede(&a, &indhold(&r, &["0101901234".into()])), "en anden forgænger");
        let mut r2 = r.clone();
        r2.hvad = "sag 2".into();
        assert_ne!(a, kaede(START, &indhold(&r2, &["0101901234".into()])));
    }
}
