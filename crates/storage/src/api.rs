//! The external API's clients, their scopes, issued access tokens and the request ids they
//! have used (issue 4 §3; RFC 6749 §4.4 client credentials; DOMAIN.md "Web services").
//!
//! Secrets and tokens are random 256-bit values, stored only as SHA-256. A slow password hash
//! (argon2, bcrypt) protects low-entropy passwords against guessing; a 256-bit random value
//! cannot be guessed, so one SHA-256 is enough and keeps every API call cheap (docs/decisions.md 31).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::entity::{
    anden_aktoer, api_klient, api_klient_scope, api_request_id, api_token, bruger, jobcenter, sag, sagselement,
    virksomhed,
};
use crate::{Db, StorageError};

/// How long an access token lives (issue 4 §3: one hour).
pub const TOKEN_LEVETID: Duration = Duration::hours(1);

/// How long a used `x-requestId` is remembered (docs/decisions.md 33): long enough that a retried call
/// from a municipal system's queue is caught, short enough that the table stays small.
pub const REQUEST_ID_OPBEVARING: Duration = Duration::days(30);

/// The most characters an `x-requestId` may have (DOMAIN.md "Web services": ≤ 46).
pub const REQUEST_ID_MAKS: usize = 46;

/// The scope that gives a client one jobcentre's cases: `jobcenter:<kommunekode>`.
pub fn jobcenter_scope(kommunekode: &str) -> String {
    format!("jobcenter:{kommunekode}")
}

/// The kommunekode of a jobcentre scope, if `scope` is one (four digits).
pub fn scope_kommunekode(scope: &str) -> Option<&str> {
    scope.strip_prefix("jobcenter:").filter(|k| k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()))
}

/// The scope that gives a client the statistics extract for STAR's data warehouse (issue 12
/// §3): every case of the country, pseudonymised, and nothing else.
pub const STATISTIK_SCOPE: &str = "statistik";

/// SHA-256 of a secret or token, lower-case hex.
pub fn hash(vaerdi: &str) -> String {
    Sha256::digest(vaerdi.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random 256-bit value as 64 hex characters (secrets and access tokens).
pub fn ny_hemmelighed() -> String {
    crate::sager::ny_token()
}

/// A client with the scopes it holds.
#[derive(Clone, PartialEq, Eq)]
pub struct Klient {
    pub id: i64,
    pub klient_id: String,
    pub navn: String,
    pub scopes: Vec<String>,
    /// When the client's access ends; None: it does not expire.
    pub udloeber: Option<DateTime<Utc>>,
    /// The hash of the secret the client was authenticated with. [`udsted_token`] issues a
    /// token only while it is still the client's, so a rotation cannot race a token request.
    hemmelighed_hash: String,
}

impl std::fmt::Debug for Klient {
    /// Without the secret's hash: a value that is logged or printed never carries it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Klient")
            .field("id", &self.id)
            .field("klient_id", &self.klient_id)
            .field("navn", &self.navn)
            .field("scopes", &self.scopes)
            .field("udloeber", &self.udloeber)
            .finish_non_exhaustive()
    }
}

impl Klient {
    fn fra(k: api_klient::Model, scopes: Vec<String>) -> Self {
        Klient {
            id: k.id,
            klient_id: k.klient_id,
            navn: k.navn,
            scopes,
            udloeber: k.udloeber,
            hemmelighed_hash: k.hemmelighed_hash,
        }
    }

    /// Whether the client's access has ended at `nu`.
    pub fn er_udloebet(&self, nu: DateTime<Utc>) -> bool {
        udloebet(self.udloeber, nu)
    }
}

fn udloebet(udloeber: Option<DateTime<Utc>>, nu: DateTime<Utc>) -> bool {
    udloeber.is_some_and(|u| u <= nu)
}

/// A client as `vitas api-klient liste` shows it: never its secret or the secret's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KlientOversigt {
    pub klient_id: String,
    pub navn: String,
    pub scopes: Vec<String>,
    pub aktiv: bool,
    pub udloeber: Option<DateTime<Utc>>,
    pub oprettet: DateTime<Utc>,
}

/// What a revocation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tilbagekaldelse {
    pub navn: String,
    /// Whether the client was active until now (false: it was revoked before).
    pub var_aktiv: bool,
    /// The client's tokens deleted with it.
    pub tokens: u64,
}

/// A rotated secret: shown once, stored only as its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Rotation {
    pub navn: String,
    pub hemmelighed: String,
    /// The client's tokens revoked with the old secret.
    pub tokens: u64,
    pub udloeber: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rotation").field("navn", &self.navn).field("tokens", &self.tokens).finish_non_exhaustive()
    }
}

/// What a valid access token gives: its client and the scopes granted to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub api_klient_id: i64,
    pub klient_id: String,
    pub scopes: Vec<String>,
}

async fn scopes<C: ConnectionTrait>(c: &C, api_klient_id: i64) -> Result<Vec<String>, StorageError> {
    Ok(api_klient_scope::Entity::find()
        .filter(api_klient_scope::Column::ApiKlientId.eq(api_klient_id))
        .order_by_asc(api_klient_scope::Column::Scope)
        .all(c)
        .await?
        .into_iter()
        .map(|s| s.scope)
        .collect())
}

/// Create a client with a given id and secret, without expiry (the demo client;
/// `opret_klient` for the rest).
pub async fn opret_klient_med<C: ConnectionTrait>(
    c: &C,
    klient_id: &str,
    navn: &str,
    hemmelighed: &str,
    scopes: &[String],
    nu: DateTime<Utc>,
) -> Result<Klient, StorageError> {
    indsaet_klient(c, klient_id, navn, hemmelighed, scopes, None, nu).await
}

async fn indsaet_klient<C: ConnectionTrait>(
    c: &C,
    klient_id: &str,
    navn: &str,
    hemmelighed: &str,
    scopes: &[String],
    udloeber: Option<DateTime<Utc>>,
    nu: DateTime<Utc>,
) -> Result<Klient, StorageError> {
    let k = api_klient::ActiveModel {
        klient_id: Set(klient_id.into()),
        navn: Set(navn.into()),
        hemmelighed_hash: Set(hash(hemmelighed)),
        aktiv: Set(true),
        oprettet: Set(nu),
        udloeber: Set(udloeber),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let mut unikke: Vec<String> = scopes.to_vec();
    unikke.sort();
    unikke.dedup();
    for s in &unikke {
        api_klient_scope::ActiveModel { api_klient_id: Set(k.id), scope: Set(s.clone()), ..Default::default() }
            .insert(c)
            .await?;
    }
    Ok(Klient::fra(k, unikke))
}

fn ugyldig(felt: &str, besked: String) -> StorageError {
    StorageError::Ugyldig(vec![domain::FieldError::new(felt, besked)])
}

/// Create a client for the jobcentres with these kommunekoder, whose access ends at
/// `udloeber` (None: never). Returns the client and its secret, which is shown once and never
/// stored.
pub async fn opret_klient(
    db: &Db,
    navn: &str,
    kommunekoder: &[String],
    udloeber: Option<DateTime<Utc>>,
    nu: DateTime<Utc>,
) -> Result<(Klient, String), StorageError> {
    opret_klient_for(db, navn, kommunekoder, false, udloeber, nu).await
}

/// As [`opret_klient`], and with `statistik` also the scope [`STATISTIK_SCOPE`] (STAR's client
/// for the statistics extract, which needs no jobcentre).
pub async fn opret_klient_for(
    db: &Db,
    navn: &str,
    kommunekoder: &[String],
    statistik: bool,
    udloeber: Option<DateTime<Utc>>,
    nu: DateTime<Utc>,
) -> Result<(Klient, String), StorageError> {
    if navn.trim().is_empty() {
        return Err(ugyldig("navn", "Klienten skal have et navn.".into()));
    }
    if kommunekoder.is_empty() && !statistik {
        return Err(ugyldig("jobcenter", "Klienten skal have mindst ét jobcenter eller adgang til statistik.".into()));
    }
    if udloebet(udloeber, nu) {
        return Err(ugyldig("udloeber", "Klientens udløb skal ligge i fremtiden.".into()));
    }
    let txn = db.conn.begin().await?;
    let mut scopes = Vec::new();
    for kode in kommunekoder {
        let fundet =
            jobcenter::Entity::find().filter(jobcenter::Column::Kommunekode.eq(kode.as_str())).one(&txn).await?;
        if fundet.is_none() {
            return Err(ugyldig("jobcenter", format!("Jobcentret med kommunekode {kode} findes ikke.")));
        }
        scopes.push(jobcenter_scope(kode));
    }
    if statistik {
        scopes.push(STATISTIK_SCOPE.to_string());
    }
    let klient_id = format!("klient-{}", uuid::Uuid::new_v4().simple());
    let hemmelighed = ny_hemmelighed();
    let k = indsaet_klient(&txn, &klient_id, navn.trim(), &hemmelighed, &scopes, udloeber, nu).await?;
    txn.commit().await?;
    Ok((k, hemmelighed))
}

/// The active client with this id and secret, or None. The secret's hash is compared in
/// constant time; an unknown client costs the same hash, so timing does not tell which failed.
/// An expired client is returned (the secret is right): the token endpoint tells it apart
/// with [`Klient::er_udloebet`], and [`udsted_token`] refuses it.
pub async fn godkend_klient(db: &Db, klient_id: &str, hemmelighed: &str) -> Result<Option<Klient>, StorageError> {
    let givet = hash(hemmelighed);
    let k = api_klient::Entity::find().filter(api_klient::Column::KlientId.eq(klient_id)).one(&db.conn).await?;
    let Some(k) = k else {
        let _ = givet.as_bytes().ct_eq(givet.as_bytes());
        return Ok(None);
    };
    let ens: bool = givet.as_bytes().ct_eq(k.hemmelighed_hash.as_bytes()).into();
    if !ens || !k.aktiv {
        return Ok(None);
    }
    let scopes = scopes(&db.conn, k.id).await?;
    Ok(Some(Klient::fra(k, scopes)))
}

/// Issue an access token for `scopes` (already checked against the client's). Returns the
/// token, which is stored only as its hash, and when it expires: after [`TOKEN_LEVETID`], or
/// at the client's own expiry if that comes first.
///
/// None when the client is no longer what [`godkend_klient`] found: revoked, its secret
/// rotated, or expired. The client's row is locked while the token is written (`FOR UPDATE`;
/// on SQLite the write lock from BEGIN), and [`tilbagekald`] and [`roter`] change the row
/// before they delete the tokens, so a token request that races them either sees the change
/// or has its token deleted with the rest.
pub async fn udsted_token(
    db: &Db,
    klient: &Klient,
    scopes: &[String],
    nu: DateTime<Utc>,
) -> Result<Option<(String, DateTime<Utc>)>, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    let Some(k) = api_klient::Entity::find_by_id(klient.id).lock_exclusive().one(&txn).await? else {
        return Ok(None);
    };
    if !k.aktiv || k.hemmelighed_hash != klient.hemmelighed_hash || udloebet(k.udloeber, nu) {
        return Ok(None);
    }
    let token = ny_hemmelighed();
    let udloeber = match k.udloeber {
        Some(u) => std::cmp::Ord::min(u, nu + TOKEN_LEVETID),
        None => nu + TOKEN_LEVETID,
    };
    api_token::ActiveModel {
        token_hash: Set(hash(&token)),
        api_klient_id: Set(klient.id),
        scopes: Set(scopes.join(" ")),
        udloeber: Set(udloeber),
        oprettet: Set(nu),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some((token, udloeber)))
}

/// The client with this id, its row locked for the rest of `txn`; `IkkeFundet` if unknown.
async fn laast_klient<C: ConnectionTrait>(txn: &C, klient_id: &str) -> Result<api_klient::Model, StorageError> {
    api_klient::Entity::find()
        .filter(api_klient::Column::KlientId.eq(klient_id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(StorageError::IkkeFundet)
}

/// Revoke a client (`vitas api-klient tilbagekald`): it can no longer get tokens, and the
/// tokens it holds stop working at once ([`token_info`] reads `aktiv` on every call; they are
/// also deleted). Revoking a revoked client changes nothing. `StorageError::IkkeFundet` for
/// an unknown client id.
pub async fn tilbagekald(db: &Db, klient_id: &str) -> Result<Tilbagekaldelse, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    let k = laast_klient(&txn, klient_id).await?;
    let (id, navn, var_aktiv) = (k.id, k.navn.clone(), k.aktiv);
    let mut am = k.into_active_model();
    am.aktiv = Set(false);
    am.update(&txn).await?;
    let tokens = slet_tokens(&txn, id).await?;
    txn.commit().await?;
    Ok(Tilbagekaldelse { navn, var_aktiv, tokens })
}

/// Give a client a new random 256-bit secret (`vitas api-klient roter`). The old secret stops
/// working, and so do the tokens issued under it. A revoked client is refused (create a new
/// one); an expired one keeps its expiry. `StorageError::IkkeFundet` for an unknown client id.
pub async fn roter(db: &Db, klient_id: &str) -> Result<Rotation, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    let k = laast_klient(&txn, klient_id).await?;
    if !k.aktiv {
        return Err(ugyldig(
            "klient-id",
            format!("Klienten {klient_id} er tilbagekaldt og får ikke en ny hemmelighed. Opret en ny klient."),
        ));
    }
    let hemmelighed = ny_hemmelighed();
    let (id, navn, udloeber) = (k.id, k.navn.clone(), k.udloeber);
    let mut am = k.into_active_model();
    am.hemmelighed_hash = Set(hash(&hemmelighed));
    am.update(&txn).await?;
    let tokens = slet_tokens(&txn, id).await?;
    txn.commit().await?;
    Ok(Rotation { navn, hemmelighed, tokens, udloeber })
}

async fn slet_tokens<C: ConnectionTrait>(c: &C, api_klient_id: i64) -> Result<u64, StorageError> {
    Ok(api_token::Entity::delete_many()
        .filter(api_token::Column::ApiKlientId.eq(api_klient_id))
        .exec(c)
        .await?
        .rows_affected)
}

/// Every client, oldest first, with its scopes (`vitas api-klient liste`).
pub async fn klienter(db: &Db) -> Result<Vec<KlientOversigt>, StorageError> {
    let klienter = api_klient::Entity::find().order_by_asc(api_klient::Column::Id).all(&db.conn).await?;
    let mut alle: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for s in api_klient_scope::Entity::find().order_by_asc(api_klient_scope::Column::Scope).all(&db.conn).await? {
        alle.entry(s.api_klient_id).or_default().push(s.scope);
    }
    Ok(klienter
        .into_iter()
        .map(|k| KlientOversigt {
            scopes: alle.remove(&k.id).unwrap_or_default(),
            klient_id: k.klient_id,
            navn: k.navn,
            aktiv: k.aktiv,
            udloeber: k.udloeber,
            oprettet: k.oprettet,
        })
        .collect())
}

/// The client and scopes of an unexpired token of an active, unexpired client, or None. The
/// client is read on every call, so revoking it stops its tokens at once. The lookup is by
/// the token's hash (a primary-key read): an attacker cannot steer a hash's prefix, so the
/// index comparison leaks nothing useful about stored tokens.
pub async fn token_info(db: &Db, token: &str, nu: DateTime<Utc>) -> Result<Option<TokenInfo>, StorageError> {
    let Some(t) = api_token::Entity::find_by_id(hash(token)).one(&db.conn).await? else {
        return Ok(None);
    };
    if t.udloeber <= nu {
        return Ok(None);
    }
    let Some(k) = api_klient::Entity::find_by_id(t.api_klient_id).one(&db.conn).await? else {
        return Ok(None);
    };
    if !k.aktiv || udloebet(k.udloeber, nu) {
        return Ok(None);
    }
    // A scope taken from the client after the token was issued stops working at once.
    let har = scopes(&db.conn, k.id).await?;
    let scopes = t.scopes.split_whitespace().filter(|s| har.iter().any(|h| h == s)).map(str::to_string).collect();
    Ok(Some(TokenInfo { api_klient_id: k.id, klient_id: k.klient_id, scopes }))
}

/// Record a client's `x-requestId`. True when it is new; false when the client used it before
/// (answered 412). One `INSERT … ON CONFLICT DO NOTHING` on the unique key (client, id): of two
/// concurrent requests with the same id exactly one inserts, on both databases.
pub async fn registrer_request_id(
    db: &Db,
    api_klient_id: i64,
    request_id: &str,
    nu: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let mut q = Query::insert();
    q.into_table(api_request_id::Entity)
        .columns([
            api_request_id::Column::ApiKlientId,
            api_request_id::Column::RequestId,
            api_request_id::Column::Modtaget,
        ])
        .values([Expr::from(api_klient_id), Expr::from(request_id.to_string()), Expr::from(nu)])
        .map_err(|e| StorageError::Db(sea_orm::DbErr::Custom(e.to_string())))?
        .on_conflict(
            OnConflict::columns([api_request_id::Column::ApiKlientId, api_request_id::Column::RequestId])
                .do_nothing()
                .to_owned(),
        );
    let r = db.conn.execute(&q).await?;
    Ok(r.rows_affected() == 1)
}

/// Delete expired tokens and request ids older than [`REQUEST_ID_OPBEVARING`]. Run by the
/// worker's clean-up every minute. Returns the rows deleted.
pub async fn ryd_op(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    let t = api_token::Entity::delete_many().filter(api_token::Column::Udloeber.lte(nu)).exec(&db.conn).await?;
    let r = api_request_id::Entity::delete_many()
        .filter(api_request_id::Column::Modtaget.lt(nu - REQUEST_ID_OPBEVARING))
        .exec(&db.conn)
        .await?;
    Ok(t.rows_affected + r.rows_affected)
}

/// A case by its external id (`sag.uuid`, the OrdningsNotifikation's `eksterntId`) with the
/// kommunekode of its jobcentre, if it has one.
pub async fn sag_med_kommune(db: &Db, uuid: &str) -> Result<Option<(sag::Model, Option<String>)>, StorageError> {
    let Some(s) = sag::Entity::find().filter(sag::Column::Uuid.eq(uuid)).one(&db.conn).await? else {
        return Ok(None);
    };
    let kode = match s.jobcenter_id {
        Some(id) => jobcenter::Entity::find_by_id(id).one(&db.conn).await?.map(|j| j.kommunekode),
        None => None,
    };
    Ok(Some((s, kode)))
}

/// What the Get services read beside the case row.
#[derive(Debug, Clone)]
pub struct Sagsdetaljer {
    pub ansvarlig: Option<bruger::Model>,
    pub anden_aktoer: Option<anden_aktoer::Model>,
    /// The main case's external id, for a supplementary grant (tillægsbevilling).
    pub hovedsag_uuid: Option<String>,
    /// Whether the employer is public (`virksomhed.offentlig`); false when unknown.
    pub offentlig_arbejdsgiver: bool,
    /// The case's records, oldest first.
    pub elementer: Vec<sagselement::Model>,
}

pub async fn sagsdetaljer(db: &Db, s: &sag::Model) -> Result<Sagsdetaljer, StorageError> {
    let c = &db.conn;
    let ansvarlig = match s.ansvarlig_id {
        Some(id) => bruger::Entity::find_by_id(id).one(c).await?,
        None => None,
    };
    let anden_aktoer = match s.anden_aktoer_id {
        Some(id) => anden_aktoer::Entity::find_by_id(id).one(c).await?,
        None => None,
    };
    let hovedsag_uuid = match s.hovedsag_id {
        Some(id) => sag::Entity::find_by_id(id).one(c).await?.map(|h| h.uuid),
        None => None,
    };
    let offentlig_arbejdsgiver =
        virksomhed::Entity::find_by_id(s.cvr.clone()).one(c).await?.is_some_and(|v| v.offentlig);
    let elementer = crate::sager::elementer(db, s.id).await?;
    Ok(Sagsdetaljer { ansvarlig, anden_aktoer, hovedsag_uuid, offentlig_arbejdsgiver, elementer })
}

// ---- Migration ------------------------------------------------------------------------------

/// Issue 4 §3: API clients, their scopes, access tokens and used request ids.
pub struct ApiMigration;

impl MigrationName for ApiMigration {
    fn name(&self) -> &str {
        "m20261203_000002_api"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ApiMigration {
    /// One transaction on SQLite too (as `JobTabel`): the tables appear together or not at all.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use api_klient::Column as K;
        use api_klient_scope::Column as S;
        use api_request_id::Column as R;
        use api_token::Column as T;
        m.create_table(
            Table::create()
                .table(api_klient::Entity)
                .col(big_pk_auto(K::Id))
                .col(string_len_uniq(K::KlientId, 64))
                .col(string_len(K::Navn, 200))
                .col(string_len(K::HemmelighedHash, 64))
                .col(boolean(K::Aktiv))
                .col(timestamp_with_time_zone(K::Oprettet))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(api_klient_scope::Entity)
                .col(big_pk_auto(S::Id))
                .col(big_integer(S::ApiKlientId))
                .col(string_len(S::Scope, 64))
                .foreign_key(
                    ForeignKey::create().from(api_klient_scope::Entity, S::ApiKlientId).to(api_klient::Entity, K::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_api_klient_scope")
                .table(api_klient_scope::Entity)
                .col(S::ApiKlientId)
                .col(S::Scope)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(api_token::Entity)
                .col(string_len(T::TokenHash, 64).primary_key())
                .col(big_integer(T::ApiKlientId))
                .col(text(T::Scopes))
                .col(timestamp_with_time_zone(T::Udloeber))
                .col(timestamp_with_time_zone(T::Oprettet))
                .foreign_key(ForeignKey::create().from(api_token::Entity, T::ApiKlientId).to(api_klient::Entity, K::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_api_token_udloeber").table(api_token::Entity).col(T::Udloeber).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(api_request_id::Entity)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::ApiKlientId))
                .col(string_len(R::RequestId, REQUEST_ID_MAKS as u32))
                .col(timestamp_with_time_zone(R::Modtaget))
                .foreign_key(
                    ForeignKey::create().from(api_request_id::Entity, R::ApiKlientId).to(api_klient::Entity, K::Id),
                )
                .to_owned(),
        )
        .await?;
        // The key that makes a repeated id a conflict (`registrer_request_id`).
        m.create_index(
            Index::create()
                .name("ux_api_request_id")
                .table(api_request_id::Entity)
                .col(R::ApiKlientId)
                .col(R::RequestId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_request_id_modtaget")
                .table(api_request_id::Entity)
                .col(R::Modtaget)
                .to_owned(),
        )
        .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex() {
        // FIPS 180-2's test vector "abc".
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn hemmeligheder_er_256_bit() {
        let a = ny_hemmelighed();
        assert_eq!(a.len(), 64);
        assert_ne!(a, ny_hemmelighed());
    }

    #[test]
    fn jobcenter_scopes() {
        assert_eq!(jobcenter_scope("0101"), "jobcenter:0101");
        assert_eq!(scope_kommunekode("jobcenter:0101"), Some("0101"));
        assert_eq!(scope_kommunekode("jobcenter:01"), None);
        assert_eq!(scope_kommunekode("jobcenter:abcd"), None);
        assert_eq!(scope_kommunekode("admin"), None);
    }
}
