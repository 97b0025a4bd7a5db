//! The outbox (issue 4 §1–2): what a state change must tell the world, written in the same
//! transaction as the change (`sager::udfoer`), and delivered afterwards by the worker.
//!
//! Two kinds of rows live here:
//! - **events**: one `notifikation` row per state change, status `publiceret`. It is the
//!   OrdningsNotifikation itself; the pull feed reads these per jobcentre, by id. A case
//!   moved to another jobcentre also gives its old jobcentre one `sag_flyttet` event
//!   ([`Haendelse::SagFlyttet`], decision 89).
//! - **deliveries**: one `webhook` row per subscriber of the case's jobcentre (fanned out in the
//!   same transaction), and one `email` row per e-mail. They move
//!   `afventer` → `sender` (claimed under a lease) → `leveret`, or back to `afventer` with a
//!   later `naeste_forsoeg` after a failure, or to `doed` when the delivery window is over.
//!
//! **Order per case.** A delivery is claimable only when no earlier row of the same case and
//! channel (`kanal`, e.g. `webhook:7`) is undelivered, so a subscriber gets a case's
//! notifications in the order they happened, and a dead one holds the rest back until an
//! administrator replays it. E-mails have no channel and no order.
//!
//! **The claim** is one statement on both databases (CONVENTIONS.md "jobs"):
//! `UPDATE outbox SET status = 'sender', laast_til = …, forsoeg = forsoeg + 1 WHERE id IN
//! (SELECT id FROM outbox o WHERE art IN (…) AND status = 'afventer' AND naeste_forsoeg <= now
//! AND NOT EXISTS (earlier undelivered row of the same case and channel) ORDER BY id LIMIT n
//! FOR UPDATE SKIP LOCKED) RETURNING *`. Because the subquery sees the rows as they were, at
//! most one row per case and channel is claimed at a time. A row whose lease ran out is put
//! back by [`frigiv_udloebne`], so the claim's index walk stays on one status.

use crate::entity::{outbox, webhook_abonnent};
use crate::{Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;

/// The kind of an OrdningsNotifikation event row.
pub const NOTIFIKATION: &str = "notifikation";
/// The kind of the event row that tells a case's old jobcentre that the case was moved to
/// another (decision 89).
pub const SAG_FLYTTET: &str = "sag_flyttet";
/// The kind of a webhook delivery row.
pub const WEBHOOK: &str = "webhook";
/// The kind of an e-mail delivery row.
pub const EMAIL: &str = "email";

/// The states of an outbox row.
pub mod status {
    /// An event, readable in the feed; never claimed.
    pub const PUBLICERET: &str = "publiceret";
    pub const AFVENTER: &str = "afventer";
    pub const SENDER: &str = "sender";
    pub const LEVERET: &str = "leveret";
    /// The delivery window ran out: the administrator sees it and can replay it.
    pub const DOED: &str = "doed";
    /// The subscriber was removed (`vitas abonnent slet`) before the row was delivered: it is
    /// kept for the history, never claimed and never replayed.
    pub const ANNULLERET: &str = "annulleret";
}

/// The kinds of event a jobcentre's systems receive: each is a row kind (`art`) of its own,
/// and a `type` in the webhook body and the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Haendelse {
    /// Every state change of a case (seed 002 §1.1).
    OrdningsNotifikation,
    /// The case was moved to another jobcentre: sent to the one it left (decision 89).
    SagFlyttet,
}

impl Haendelse {
    pub const ALLE: [Haendelse; 2] = [Haendelse::OrdningsNotifikation, Haendelse::SagFlyttet];

    /// The row kind (`outbox.art`).
    pub fn art(self) -> &'static str {
        match self {
            Haendelse::OrdningsNotifikation => NOTIFIKATION,
            Haendelse::SagFlyttet => SAG_FLYTTET,
        }
    }

    /// The `type` of the webhook body and the feed item.
    pub fn type_navn(self) -> &'static str {
        match self {
            Haendelse::OrdningsNotifikation => "OrdningsNotifikation",
            Haendelse::SagFlyttet => "SagFlyttet",
        }
    }

    /// The event an event row holds; None for a delivery row.
    pub fn af_art(art: &str) -> Option<Haendelse> {
        Haendelse::ALLE.into_iter().find(|h| h.art() == art)
    }

    /// Every event row kind.
    pub fn arter() -> [&'static str; 2] {
        Haendelse::ALLE.map(Haendelse::art)
    }
}

/// The delivery row kinds (what the administrator's overview and replay deal with).
pub const LEVERINGER: [&str; 2] = [WEBHOOK, EMAIL];

/// The channel of a subscriber's deliveries.
pub fn webhook_kanal(abonnent_id: i64) -> String {
    format!("{WEBHOOK}:{abonnent_id}")
}

/// The subscriber a webhook delivery goes to.
pub fn abonnent_id(raekke: &outbox::Model) -> Option<i64> {
    raekke.kanal.as_deref()?.strip_prefix("webhook:")?.parse().ok()
}

/// The body a webhook subscriber receives: the notification with its stable id (the event
/// row's key, the same for every subscriber and every retry, so receivers can deduplicate)
/// and its sequence number (the event row's id: increasing per case).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookBesked<'a> {
    pub id: &'a str,
    pub sekvens: i64,
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub data: &'a serde_json::Value,
}

async fn indsaet<C: ConnectionTrait>(c: &C, raekke: outbox::ActiveModel) -> Result<outbox::Model, StorageError> {
    Ok(raekke.insert(c).await?)
}

fn ny_raekke(sag_id: Option<i64>, art: &str, payload: String, nu: DateTime<Utc>) -> outbox::ActiveModel {
    outbox::ActiveModel {
        noegle: Set(uuid::Uuid::new_v4().to_string()),
        sag_id: Set(sag_id),
        art: Set(art.into()),
        payload: Set(payload),
        status: Set(status::AFVENTER.into()),
        forsoeg: Set(0),
        naeste_forsoeg: Set(nu),
        oprettet: Set(nu),
        leveret: Set(None),
        fejl: Set(None),
        kanal: Set(None),
        laast_til: Set(None),
        jobcenter_kode: Set(None),
        genoptaget: Set(None),
        ..Default::default()
    }
}

/// Queue an e-mail (inside the caller's transaction). The payload is a `sager::Email`,
/// rendered already: the row holds exactly what is sent. `jobcenter_kode` (the case's
/// jobcentre) scopes the row for the administrator's dead-letter list.
pub async fn skriv_email<C: ConnectionTrait>(
    c: &C,
    sag_id: Option<i64>,
    jobcenter_kode: Option<&str>,
    payload: String,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let mut r = ny_raekke(sag_id, EMAIL, payload, nu);
    r.jobcenter_kode = Set(jobcenter_kode.map(str::to_string));
    indsaet(c, r).await?;
    Ok(())
}

/// The newest e-mails about the demo companies' cases (the demo mailbox shows only those,
/// decision 54).
pub async fn demo_emails(db: &Db, graense: u64) -> Result<Vec<outbox::Model>, StorageError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Art.eq(EMAIL))
        .filter(outbox::Column::SagId.in_subquery(demo_sager()))
        .order_by_desc(outbox::Column::Id)
        .limit(graense)
        .all(&db.conn)
        .await?)
}

/// One e-mail about a demo company's case, by id (the demo mailbox).
pub async fn demo_email(db: &Db, id: i64) -> Result<Option<outbox::Model>, StorageError> {
    Ok(outbox::Entity::find_by_id(id)
        .filter(outbox::Column::Art.eq(EMAIL))
        .filter(outbox::Column::SagId.in_subquery(demo_sager()))
        .one(&db.conn)
        .await?)
}

/// `SELECT id FROM sag WHERE cvr IN (the demo companies)`.
fn demo_sager() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::{QuerySelect, QueryTrait};
    crate::entity::sag::Entity::find()
        .select_only()
        .column(crate::entity::sag::Column::Id)
        .filter(crate::entity::sag::Column::Cvr.is_in(crate::demo::virksomhed_cvr()))
        .into_query()
}

/// Publish a notification to a jobcentre (inside the caller's transaction): the event row,
/// and one delivery row per active webhook subscriber of that jobcentre. A subscriber added
/// later reads the earlier events from the feed.
pub async fn publicer<C: ConnectionTrait>(
    c: &C,
    sag_id: i64,
    jobcenter_kode: &str,
    notifikation: &serde_json::Value,
    nu: DateTime<Utc>,
) -> Result<outbox::Model, StorageError> {
    publicer_haendelse(c, Haendelse::OrdningsNotifikation, sag_id, jobcenter_kode, notifikation, nu).await
}

/// Publish an event of any kind to a jobcentre, as [`publicer`] does.
pub async fn publicer_haendelse<C: ConnectionTrait>(
    c: &C,
    slags: Haendelse,
    sag_id: i64,
    jobcenter_kode: &str,
    notifikation: &serde_json::Value,
    nu: DateTime<Utc>,
) -> Result<outbox::Model, StorageError> {
    let mut r = ny_raekke(Some(sag_id), slags.art(), serde_json::to_string(notifikation)?, nu);
    r.status = Set(status::PUBLICERET.into());
    r.jobcenter_kode = Set(Some(jobcenter_kode.to_string()));
    let haendelse = indsaet(c, r).await?;
    let abonnenter = webhook_abonnent::Entity::find()
        .filter(webhook_abonnent::Column::JobcenterKode.eq(jobcenter_kode))
        .filter(webhook_abonnent::Column::Aktiv.eq(true))
        .order_by_asc(webhook_abonnent::Column::Id)
        .all(c)
        .await?;
    if !abonnenter.is_empty() {
        let krop = serde_json::to_string(&WebhookBesked {
            id: &haendelse.noegle,
            sekvens: haendelse.id,
            type_: slags.type_navn(),
            data: notifikation,
        })?;
        for a in abonnenter {
            let mut d = ny_raekke(Some(sag_id), WEBHOOK, krop.clone(), nu);
            d.kanal = Set(Some(webhook_kanal(a.id)));
            d.jobcenter_kode = Set(Some(jobcenter_kode.to_string()));
            indsaet(c, d).await?;
        }
    }
    Ok(haendelse)
}

/// How many notifications a case has had (the first one says "Oprettet").
pub async fn antal_notifikationer<C: ConnectionTrait>(c: &C, sag_id: i64) -> Result<u64, StorageError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SagId.eq(sag_id))
        .filter(outbox::Column::Art.eq(NOTIFIKATION))
        .count(c)
        .await?)
}

/// Claim up to `n` due deliveries of the given kinds, oldest first, at most one per case and
/// channel, each under a lease until `nu + lease`. One statement; no row goes to two claimers.
#[tracing::instrument(skip_all)]
pub async fn claim(
    db: &Db,
    arter: &[&str],
    n: u64,
    nu: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<outbox::Model>, StorageError> {
    let tidligere = Alias::new("tidligere");
    let o = Alias::new("o");
    let kol = |t: &Alias, c: outbox::Column| Expr::col((t.clone(), c));
    let foer = Query::select()
        .expr(Expr::val(1))
        .from_as(outbox::Entity, tidligere.clone())
        .and_where(kol(&tidligere, outbox::Column::SagId).equals((o.clone(), outbox::Column::SagId)))
        .and_where(kol(&tidligere, outbox::Column::Kanal).equals((o.clone(), outbox::Column::Kanal)))
        .and_where(kol(&tidligere, outbox::Column::Id).lt(kol(&o, outbox::Column::Id)))
        .and_where(kol(&tidligere, outbox::Column::Status).ne(status::LEVERET))
        .to_owned();
    let udvalg = Query::select()
        .column((o.clone(), outbox::Column::Id))
        .from_as(outbox::Entity, o.clone())
        .and_where(kol(&o, outbox::Column::Status).eq(status::AFVENTER))
        .and_where(kol(&o, outbox::Column::Art).is_in(arter.iter().copied()))
        .and_where(kol(&o, outbox::Column::NaesteForsoeg).lte(nu))
        .and_where(Expr::exists(foer).not())
        .order_by((o.clone(), outbox::Column::Id), Order::Asc)
        .limit(n)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let opdatering = Query::update()
        .table(outbox::Entity)
        .value(outbox::Column::Status, status::SENDER)
        .value(outbox::Column::LaastTil, nu + lease)
        .value(outbox::Column::Forsoeg, Expr::col(outbox::Column::Forsoeg).add(1))
        .and_where(Expr::col(outbox::Column::Id).in_subquery(udvalg))
        .returning_all()
        .to_owned();
    let mut r = outbox::Entity::find().from_raw_sql(db.backend().build(&opdatering)).all(&db.conn).await?;
    r.sort_by_key(|x| x.id);
    Ok(r)
}

/// Put deliveries whose lease ran out (a crashed or stuck worker) back in the queue. Their
/// attempt counts; the receiver may have had them, which the stable id takes care of.
pub async fn frigiv_udloebne(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status::AFVENTER))
        .col_expr(outbox::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Status.eq(status::SENDER))
        .filter(outbox::Column::LaastTil.lt(nu))
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected)
}

/// The claims a write is fenced by: each row and the attempt that holds it.
fn disse_claims(raekker: &[&outbox::Model]) -> Condition {
    raekker.iter().fold(Condition::any(), |c, r| {
        c.add(
            Condition::all()
                .add(outbox::Column::Id.eq(r.id))
                .add(outbox::Column::Forsoeg.eq(r.forsoeg))
                .add(outbox::Column::Status.eq(status::SENDER)),
        )
    })
}

/// Mark delivered rows, in one statement. Returns how many were still held by these claims.
#[tracing::instrument(skip_all, fields(antal = raekker.len()))]
pub async fn leveret(db: &Db, raekker: &[&outbox::Model], nu: DateTime<Utc>) -> Result<u64, StorageError> {
    if raekker.is_empty() {
        return Ok(0);
    }
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status::LEVERET))
        .col_expr(outbox::Column::Leveret, Expr::value(Some(nu)))
        .col_expr(outbox::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::Fejl, Expr::value(Option::<String>::None))
        .filter(disse_claims(raekker))
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected)
}

/// A failed attempt: try again at `naeste`, or, when None, the row is dead. `fejl` is what
/// went wrong (for the administrator; never a payload).
pub async fn mislykket(
    db: &Db,
    raekke: &outbox::Model,
    fejl: &str,
    naeste: Option<DateTime<Utc>>,
) -> Result<bool, StorageError> {
    let mut u = outbox::Entity::update_many()
        .col_expr(outbox::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::Fejl, Expr::value(Some(fejl.chars().take(2000).collect::<String>())));
    u = match naeste {
        Some(t) => u
            .col_expr(outbox::Column::Status, Expr::value(status::AFVENTER))
            .col_expr(outbox::Column::NaesteForsoeg, Expr::value(t)),
        None => u.col_expr(outbox::Column::Status, Expr::value(status::DOED)),
    };
    let r = u.filter(disse_claims(&[raekke])).exec(&db.conn).await?;
    Ok(r.rows_affected == 1)
}

/// Dead deliveries, newest first, for the administrator (of one jobcentre, or all).
pub async fn doede(db: &Db, jobcenter_kode: Option<&str>, graense: u64) -> Result<Vec<outbox::Model>, StorageError> {
    let mut q = outbox::Entity::find().filter(outbox::Column::Status.eq(status::DOED));
    if let Some(k) = jobcenter_kode {
        q = q.filter(outbox::Column::JobcenterKode.eq(k));
    }
    Ok(q.order_by_desc(outbox::Column::Id).limit(graense).all(&db.conn).await?)
}

/// Replay a dead delivery: it waits again from now, with a new delivery window. Returns
/// false when the row is not dead (already replayed, or another jobcentre's).
pub async fn genoptag(db: &Db, id: i64, jobcenter_kode: Option<&str>, nu: DateTime<Utc>) -> Result<bool, StorageError> {
    Ok(genoptag_hvor(db, Some(id), jobcenter_kode, nu).await? == 1)
}

/// Whether a delivery (a webhook or an e-mail row) with this id exists in the scope: one
/// jobcentre's, or all. An administrator of another jobcentre is answered "not found"
/// (issue 14 §2: another tenant's object is 404, and its existence is not told).
pub async fn levering_i_omfang(db: &Db, id: i64, jobcenter_kode: Option<&str>) -> Result<bool, StorageError> {
    let mut q = outbox::Entity::find_by_id(id).filter(outbox::Column::Art.is_in(LEVERINGER));
    if let Some(k) = jobcenter_kode {
        q = q.filter(outbox::Column::JobcenterKode.eq(k));
    }
    Ok(q.one(&db.conn).await?.is_some())
}

/// Replay every dead delivery (of one jobcentre, or all). Returns how many.
pub async fn genoptag_alle(db: &Db, jobcenter_kode: Option<&str>, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    genoptag_hvor(db, None, jobcenter_kode, nu).await
}

async fn genoptag_hvor(
    db: &Db,
    id: Option<i64>,
    jobcenter_kode: Option<&str>,
    nu: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let mut u = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status::AFVENTER))
        .col_expr(outbox::Column::NaesteForsoeg, Expr::value(nu))
        .col_expr(outbox::Column::Genoptaget, Expr::value(Some(nu)))
        .col_expr(outbox::Column::Forsoeg, Expr::value(0))
        .filter(outbox::Column::Status.eq(status::DOED));
    if let Some(id) = id {
        u = u.filter(outbox::Column::Id.eq(id));
    }
    if let Some(k) = jobcenter_kode {
        u = u.filter(outbox::Column::JobcenterKode.eq(k));
    }
    Ok(u.exec(&db.conn).await?.rows_affected)
}

/// The pull feed: events (of every kind, [`Haendelse`]) published to these jobcentres after
/// the cursor (an event id), oldest first. Ordered and resumable: the last id read is the next
/// cursor.
pub async fn feed(
    db: &Db,
    jobcenter_koder: &[String],
    efter: i64,
    antal: u64,
) -> Result<Vec<outbox::Model>, StorageError> {
    if jobcenter_koder.is_empty() {
        return Ok(Vec::new());
    }
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Art.is_in(Haendelse::arter()))
        .filter(outbox::Column::JobcenterKode.is_in(jobcenter_koder.iter().cloned()))
        .filter(outbox::Column::Id.gt(efter))
        .order_by_asc(outbox::Column::Id)
        .limit(antal)
        .all(&db.conn)
        .await?)
}

/// The fewest characters a subscriber's HMAC secret may have.
pub const HEMMELIGHED_MIN_TEGN: usize = 16;

fn ugyldig(felt: &str, besked: impl Into<String>) -> StorageError {
    StorageError::Ugyldig(vec![domain::FieldError::new(felt, besked.into())])
}

/// Check a webhook address and return it normalised, or a Danish message. http or https
/// only, a host, no user name or password (they would sit in the database and in every
/// request's log); plain http only to this machine (`localhost`, 127.0.0.0/8, `[::1]`), so a
/// notification, which names a case, never crosses a network unencrypted (docs/decisions.md 62).
pub fn tjek_webhook_url(adresse: &str) -> Result<String, String> {
    let adresse = adresse.trim();
    let url = url::Url::parse(adresse).map_err(|_| {
        format!("»{adresse}« er ikke en gyldig adresse. Skriv den hele, fx https://fagsystem.kommune.dk/vitas.")
    })?;
    let https = match url.scheme() {
        "https" => true,
        "http" => false,
        anden => return Err(format!("Adressen skal begynde med https:// (ikke {anden}:).")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Adressen må ikke indeholde brugernavn eller adgangskode. Modtageren tjekker i stedet signaturen i X-Vitas-Signatur.".into());
    }
    let vaert = match url.host() {
        Some(url::Host::Domain(d)) if !d.is_empty() => Vaert::Navn(d.to_ascii_lowercase()),
        Some(url::Host::Ipv4(ip)) => Vaert::Ip(ip.into()),
        Some(url::Host::Ipv6(ip)) => Vaert::Ip(ip.into()),
        _ => return Err("Adressen mangler et værtsnavn, fx https://fagsystem.kommune.dk/vitas.".into()),
    };
    let lokal = match &vaert {
        Vaert::Navn(n) => n == "localhost",
        Vaert::Ip(ip) => ip.is_loopback(),
    };
    if !https && !lokal {
        return Err(
            "Brug https://. Ukrypteret http:// er kun tilladt til denne maskine (localhost, 127.0.0.1 eller [::1])."
                .into(),
        );
    }
    Ok(url.to_string())
}

enum Vaert {
    Navn(String),
    Ip(std::net::IpAddr),
}

fn tjek_hemmelighed(hemmelighed: &str) -> Result<(), StorageError> {
    if hemmelighed.trim().chars().count() < HEMMELIGHED_MIN_TEGN {
        return Err(ugyldig(
            "hemmelighed",
            format!("Hemmeligheden skal være mindst {HEMMELIGHED_MIN_TEGN} tegn. Lav fx en med: openssl rand -hex 32"),
        ));
    }
    Ok(())
}

/// Subscribe a municipal system to a jobcentre's notifications. The address must pass
/// [`tjek_webhook_url`] and the secret have at least [`HEMMELIGHED_MIN_TEGN`] characters;
/// otherwise `StorageError::Ugyldig` with a Danish message.
pub async fn opret_abonnent(
    db: &Db,
    jobcenter_kode: &str,
    url: &str,
    hemmelighed: &str,
    nu: DateTime<Utc>,
) -> Result<webhook_abonnent::Model, StorageError> {
    let url = tjek_webhook_url(url).map_err(|b| ugyldig("url", b))?;
    tjek_hemmelighed(hemmelighed)?;
    Ok(webhook_abonnent::ActiveModel {
        jobcenter_kode: Set(jobcenter_kode.into()),
        url: Set(url),
        hemmelighed: Set(hemmelighed.into()),
        aktiv: Set(true),
        oprettet: Set(nu),
        ..Default::default()
    }
    .insert(&db.conn)
    .await?)
}

pub async fn abonnent(db: &Db, id: i64) -> Result<Option<webhook_abonnent::Model>, StorageError> {
    Ok(webhook_abonnent::Entity::find_by_id(id).one(&db.conn).await?)
}

/// Every subscriber, removed ones too, oldest first (`vitas abonnent liste`; the caller
/// never prints the secret).
pub async fn abonnenter(db: &Db) -> Result<Vec<webhook_abonnent::Model>, StorageError> {
    Ok(webhook_abonnent::Entity::find().order_by_asc(webhook_abonnent::Column::Id).all(&db.conn).await?)
}

/// Give a subscriber a new HMAC secret (`vitas abonnent roter-hemmelighed`). Every delivery
/// is signed when it is sent, so from now on every attempt, also of rows written before,
/// carries the new secret's signature. `StorageError::IkkeFundet` for an unknown id; a
/// removed subscriber is refused.
pub async fn roter_abonnent_hemmelighed(
    db: &Db,
    id: i64,
    hemmelighed: &str,
) -> Result<webhook_abonnent::Model, StorageError> {
    tjek_hemmelighed(hemmelighed)?;
    let a = abonnent(db, id).await?.ok_or(StorageError::IkkeFundet)?;
    if !a.aktiv {
        return Err(ugyldig("id", format!("Abonnent {id} er slettet og kan ikke få en ny hemmelighed.")));
    }
    if a.hemmelighed == hemmelighed {
        return Err(ugyldig("hemmelighed", "Den nye hemmelighed er den samme som den gamle."));
    }
    let mut am = a.into_active_model();
    am.hemmelighed = Set(hemmelighed.into());
    Ok(am.update(&db.conn).await?)
}

/// What removing a subscriber did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sletning {
    /// Whether it was active until now (false: removed before; nothing changed).
    pub var_aktiv: bool,
    /// Its waiting and dead deliveries, now `annulleret`.
    pub annullerede: u64,
}

/// The note on a delivery cancelled because its subscriber was removed.
pub const ANNULLERET_FEJL: &str = "Abonnenten er slettet (vitas abonnent slet); leveringen er annulleret.";

/// Remove a subscriber (`vitas abonnent slet`). The row stays, inactive, because its
/// deliveries name it in their channel (`webhook:<id>`): the outbox history keeps pointing at
/// it. New notifications no longer fan out to it, and its waiting and dead deliveries become
/// `annulleret` with [`ANNULLERET_FEJL`] in the same transaction, so nothing is sent to it
/// and no administrator replays into the void. A row in flight at that moment is cancelled
/// by the worker when it next finds the subscriber inactive. `StorageError::IkkeFundet` for
/// an unknown id.
pub async fn slet_abonnent(db: &Db, id: i64) -> Result<Sletning, StorageError> {
    let txn = db.conn.begin_with_options(crate::sager::skrivning()).await?;
    let a =
        webhook_abonnent::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(StorageError::IkkeFundet)?;
    let var_aktiv = a.aktiv;
    let mut am = a.into_active_model();
    am.aktiv = Set(false);
    am.update(&txn).await?;
    let annullerede = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status::ANNULLERET))
        .col_expr(outbox::Column::Fejl, Expr::value(Some(ANNULLERET_FEJL.to_string())))
        .col_expr(outbox::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Kanal.eq(webhook_kanal(id)))
        .filter(outbox::Column::Status.is_in([status::AFVENTER, status::DOED]))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(Sletning { var_aktiv, annullerede })
}

/// Cancel a claimed delivery whose subscriber is gone (fenced by the claim, as
/// [`mislykket`]). Returns whether this claim still held the row.
pub async fn annuller(db: &Db, raekke: &outbox::Model, fejl: &str) -> Result<bool, StorageError> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status::ANNULLERET))
        .col_expr(outbox::Column::Fejl, Expr::value(Some(fejl.chars().take(2000).collect::<String>())))
        .col_expr(outbox::Column::LaastTil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(disse_claims(&[raekke]))
        .exec(&db.conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Every delivery row's status, counted (of one jobcentre, or all), for the administrator's
/// overview.
pub async fn optaelling(db: &Db, jobcenter_kode: Option<&str>) -> Result<Vec<(String, String, i64)>, StorageError> {
    let mut q = outbox::Entity::find().filter(outbox::Column::Art.is_in(LEVERINGER));
    if let Some(k) = jobcenter_kode {
        q = q.filter(outbox::Column::JobcenterKode.eq(k));
    }
    let r: Vec<(String, String, i64)> = q
        .select_only()
        .column(outbox::Column::Art)
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "antal")
        .group_by(outbox::Column::Art)
        .group_by(outbox::Column::Status)
        .order_by_asc(outbox::Column::Art)
        .order_by_asc(outbox::Column::Status)
        .into_tuple()
        .all(&db.conn)
        .await?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_adresser() {
        for god in [
            "https://fagsystem.kommune.dk/vitas",
            "https://fagsystem.kommune.dk:8443/vitas?kilde=vitas",
            "http://127.0.0.1:9090/",
            "http://127.5.6.7/",
            "http://localhost:9090/vitas",
            "http://LOCALHOST/",
            "http://[::1]:9090/",
            "  https://fagsystem.kommune.dk/  ",
        ] {
            assert!(tjek_webhook_url(god).is_ok(), "{god}: {:?}", tjek_webhook_url(god));
        }
        assert_eq!(tjek_webhook_url(" https://Fagsystem.Kommune.dk ").as_deref(), Ok("https://fagsystem.kommune.dk/"));
        for (daarlig, ord) in [
            ("ftp://fagsystem.kommune.dk/", "https://"),
            ("file:///etc/passwd", "https://"),
            ("javascript:alert(1)", "https://"),
            ("fagsystem.kommune.dk/vitas", "gyldig adresse"),
            ("", "gyldig adresse"),
            ("https://bruger:kode@fagsystem.kommune.dk/", "brugernavn"),
            ("https://bruger@fagsystem.kommune.dk/", "brugernavn"),
            ("http://fagsystem.kommune.dk/vitas", "kun tilladt til denne maskine"),
            ("http://10.0.0.5/vitas", "kun tilladt til denne maskine"),
            ("http://localhost.evil.dk/", "kun tilladt til denne maskine"),
            ("http://127.0.0.1.nip.io/", "kun tilladt til denne maskine"),
            ("http://[::ffff:10.0.0.1]/", "kun tilladt til denne maskine"),
        ] {
            let fejl = tjek_webhook_url(daarlig).expect_err(daarlig);
            assert!(fejl.contains(ord), "{daarlig}: {fejl}");
        }
    }
}
