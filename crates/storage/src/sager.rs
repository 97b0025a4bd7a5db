//! The case repository. Every state change goes through [`udfoer`] (or [`opret`] for a new
//! case): the policy decides, then the new state, the case event and the outbox rows are
//! written in ONE transaction (issue 2 §7).

use crate::db::tjek_fejlpunkt;
use crate::entity::{
    bruger, jobcenter, link, opbevaringshold, outbox, sag, sag_person, sag_skema, sagselement, sagshaendelse, samtykke,
};
use crate::{Db, Fejlpunkt, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::{self, Aktoer, Handling, SagsFakta, Tilstand};
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, Elementart, ForlaengelseStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Who performs an action: the policy's actor plus what the history shows.
#[derive(Debug, Clone)]
pub struct Udfoerer {
    pub aktoer: Aktoer,
    pub bruger_id: Option<i64>,
    /// The name the case history shows, e.g. "Karen Holm (Sagsbehandler)".
    pub navn: String,
}

impl Udfoerer {
    /// VITAS itself, for its scheduled passes (decision 88): the history shows "VITAS
    /// (automatisk)" with the role `system`, and no user.
    pub fn system() -> Self {
        Udfoerer { aktoer: Aktoer::System, bruger_id: None, navn: policy::Rolle::System.navn().into() }
    }
}

/// A new case.
#[derive(Debug, Clone)]
pub struct NySag {
    pub ordning: Ordning,
    pub sagsart: Sagsart,
    pub cvr: String,
    pub skemadata: String,
    pub konfliktramt: bool,
}

/// Column changes that go with an action. `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct Opdatering {
    pub skemadata: Option<String>,
    pub jobcenter_id: Option<i64>,
    pub pnummer: Option<String>,
    pub cpr: Option<String>,
    pub borger_navn: Option<String>,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub oprindelig_slutdato: Option<NaiveDate>,
    pub timer_hundrededele: Option<i32>,
    pub modtaget_dato: Option<NaiveDate>,
    pub afgoerelse_dato: Option<NaiveDate>,
    pub godkendt_dato: Option<NaiveDate>,
    /// Set when a date rule, not the state machine, changes the newest extension's status:
    /// an approved extension that lapses because the grant ends before it starts
    /// (domain::periode::ophoer).
    pub forlaengelse_bortfalder: bool,
    /// New responsible team and caseworker; `Some((None, None))` clears both.
    pub ansvar: Option<(Option<i64>, Option<i64>)>,
}

/// A new sub-record (application, grant, extension, termination).
#[derive(Debug, Clone)]
pub struct NytElement {
    pub art: Elementart,
    pub status: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub data: serde_json::Value,
}

/// An e-mail, rendered when the change is made (`web::email`) and stored in the outbox as
/// it will be sent; `jobs::epost` delivers it (issue 4 §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub til: String,
    /// The sender's display name; the address is the configured `--afsender-adresse`. It is
    /// the case's jobcentre (DOMAIN.md "Anden Aktør": whoever processed the case is the
    /// sender); where an Anden Aktør processed the case it is still the jobcentre, as VITAS
    /// does not name the Anden Aktør there.
    /// Empty in rows written before it existed: the worker then uses "VITAS".
    #[serde(default)]
    pub afsender_navn: String,
    pub emne: String,
    pub tekst: String,
}

/// Everything one action writes besides the status.
#[derive(Debug, Clone)]
pub struct Aendring {
    pub handling: Handling,
    pub opdatering: Opdatering,
    pub nyt_element: Option<NytElement>,
    /// Status changes of existing sub-records, e.g. an extension that lapses.
    pub element_status: Vec<(i64, String)>,
    /// New data of an existing sub-record, e.g. the citizen's signature on the agreement.
    pub element_data: Vec<(i64, serde_json::Value)>,
    pub emails: Vec<Email>,
    /// Extra text for the case history, e.g. a rejection's reason.
    pub bemaerkning: Option<String>,
    /// A link token to store with the change: (token, purpose).
    pub link: Option<(String, &'static str)>,
    /// The version the user saw; a stale form is refused instead of overwriting.
    pub forventet_version: Option<i64>,
    /// A link token this action uses up, marked used in the same transaction.
    pub brug_link: Option<String>,
    /// The citizen's consent the acting user confirmed with this change: the text version
    /// (seed 003; `domain::samtykke`), recorded with who and when in the same transaction.
    pub samtykke: Option<&'static str>,
}

impl Aendring {
    pub fn ny(handling: Handling) -> Self {
        Aendring {
            handling,
            opdatering: Opdatering::default(),
            nyt_element: None,
            element_status: Vec::new(),
            element_data: Vec::new(),
            emails: Vec::new(),
            bemaerkning: None,
            link: None,
            forventet_version: None,
            brug_link: None,
            samtykke: None,
        }
    }

    /// "Underskriv og send": the case row takes the submitted form's facts, and the case goes
    /// to `jobcenter_id` (with the representative first where there is a hearing). Without a
    /// hearing the jobcentre receives it today (seed 001 §1.9: "Modtaget dato"). The caller
    /// adds the application record, the e-mails and the link.
    pub fn indsendelse(
        ind: &domain::skema::Indsendelse,
        skemadata: String,
        jobcenter_id: i64,
        idag: NaiveDate,
    ) -> Self {
        let mut a = Aendring::ny(Handling::Indsend { med_hoering: ind.hoering });
        a.opdatering.skemadata = Some(skemadata);
        a.opdatering.jobcenter_id = Some(jobcenter_id);
        a.opdatering.pnummer = Some(ind.pnummer.as_str().to_string());
        // An application that is not earmarked may name no one (seed 004; decision 102).
        if let Some(cpr) = &ind.cpr {
            a.opdatering.cpr = Some(cpr.as_str().to_string());
            a.opdatering.borger_navn = Some(ind.borger_navn.clone());
        }
        a.opdatering.startdato = Some(ind.periode.start);
        a.opdatering.slutdato = Some(ind.periode.slut);
        a.opdatering.timer_hundrededele = i32::try_from(ind.timer.hundredths()).ok();
        // An agreement reaches the jobcentre with the citizen's signature (decision 97).
        if !ind.hoering && !ind.til_borger {
            a.opdatering.modtaget_dato = Some(idag);
        }
        a
    }

    /// "Underskriv aftale": the citizen's signature goes on the agreement's application record
    /// (who, when, how; decision 97), and the jobcentre receives the agreement today (seed
    /// 001 §1.9: "Modtaget dato" is the day it reached the jobcentre). The caller adds the
    /// e-mail.
    pub fn borgerens_underskrift(
        ansoegning: &sagselement::Model,
        underskriver: &str,
        tidspunkt: DateTime<Utc>,
        metode: &str,
        idag: NaiveDate,
    ) -> Result<Self, StorageError> {
        let mut data: domain::elementdata::Ansoegningsdata = serde_json::from_str(&ansoegning.data)
            .map_err(|e| StorageError::Data(format!("ansøgningselement {}: {e}", ansoegning.id)))?;
        data.borger_underskrevet_af = underskriver.to_string();
        data.borger_underskrevet = tidspunkt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        data.borger_signeringsmetode = metode.to_string();
        let mut a = Aendring::ny(Handling::BorgerUnderskriv);
        a.opdatering.modtaget_dato = Some(idag);
        a.element_data.push((ansoegning.id, serde_json::to_value(data)?));
        Ok(a)
    }

    /// "Godkend ansøgning": the application becomes a grant (for fleksjob an assessment) with
    /// what the caseworker decided (`data`: the subsidy cap, seed 004; the work intensity, seed
    /// 002 §4.2), the decision date, and the end date the grant was made with as its original
    /// end date (seed 002 §2.2). The caller adds the e-mail.
    pub fn bevilling(sag: &sag::Model, data: domain::elementdata::Bevillingsdata, idag: NaiveDate) -> Self {
        let mut a = Aendring::ny(Handling::GodkendAnsoegning);
        a.opdatering.afgoerelse_dato = Some(idag);
        a.opdatering.oprindelig_slutdato = sag.slutdato;
        a.nyt_element = Some(NytElement {
            art: Elementart::Bevilling,
            status: String::new(),
            startdato: sag.startdato,
            slutdato: sag.slutdato,
            // A struct of options and numbers always serialises; `Null` is never reached.
            data: serde_json::to_value(data).unwrap_or_default(),
        });
        a
    }
}

fn status<T>(kode: &Option<String>, fra: fn(&str) -> Option<T>) -> Result<Option<T>, StorageError> {
    match kode {
        None => Ok(None),
        Some(k) => fra(k).map(Some).ok_or_else(|| StorageError::Data(format!("ukendt status {k}"))),
    }
}

/// The case's state as the domain sees it.
pub fn tilstand(s: &sag::Model) -> Result<Tilstand, StorageError> {
    Ok(Tilstand {
        ansoegning: status(&s.ansoegning_status, AnsoegningStatus::fra_kode)?,
        afgoerelse: status(&s.afgoerelse_status, AfgoerelseStatus::fra_kode)?,
        forlaengelse: status(&s.forlaengelse_status, ForlaengelseStatus::fra_kode)?,
    })
}

/// The stored case's scheme. An unknown code is a data error, never a guess.
pub fn ordning(s: &sag::Model) -> Result<Ordning, StorageError> {
    Ordning::fra_kode(&s.ordning).ok_or_else(|| StorageError::Data(format!("ukendt ordning {}", s.ordning)))
}

/// The stored form, read as the case's own scheme's (`domain::skema`): `None` for a scheme
/// whose form is not built. Data of another scheme, unreadable, or missing, is a data error.
pub async fn skemadata<C: ConnectionTrait>(
    c: &C,
    s: &sag::Model,
) -> Result<Option<domain::skema::Skemadata>, StorageError> {
    let json = skemajson(c, s.id).await?;
    laes_skema(s, &json)
}

/// The stored form's JSON as it is (`sag_skema`, decision 105).
pub async fn skemajson<C: ConnectionTrait>(c: &C, sag_id: i64) -> Result<String, StorageError> {
    sag_skema::Entity::find_by_id(sag_id)
        .one(c)
        .await?
        .map(|k| k.skemadata)
        .ok_or_else(|| StorageError::Data(format!("sag {sag_id} har ingen formular")))
}

/// The forms of `sager`, read in one statement (a page of drafts), by case id; a case whose
/// form cannot be read is left out.
pub async fn skemaer(db: &Db, sager: &[&sag::Model]) -> Result<HashMap<i64, domain::skema::Skemadata>, StorageError> {
    if sager.is_empty() {
        return Ok(HashMap::new());
    }
    let json: HashMap<i64, String> = sag_skema::Entity::find()
        .filter(sag_skema::Column::SagId.is_in(sager.iter().map(|s| s.id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|k| (k.sag_id, k.skemadata))
        .collect();
    Ok(sager.iter().filter_map(|s| Some((s.id, laes_skema(s, json.get(&s.id)?).ok()??))).collect())
}

/// A stored form read as the case's own scheme's (see [`skemadata`]).
pub fn laes_skema(s: &sag::Model, json: &str) -> Result<Option<domain::skema::Skemadata>, StorageError> {
    domain::skema::Skemadata::laes(ordning(s)?, json).map_err(|e| StorageError::Data(format!("sag {}: {e}", s.id)))
}

/// The CPR numbers of the citizens a form names besides the case's own
/// ([`domain::skema::Skemadata::personer`] after the first): valid, each once (decision 106).
pub fn oevrige_personer(skema: &domain::skema::Skemadata) -> Vec<String> {
    let personer = skema.personer();
    let cpr = |b: &&domain::skema::dele::Borgeren| domain::ident::Cpr::parse(&b.cpr, "cpr").ok();
    let egen = personer.first().and_then(cpr);
    let mut ud: Vec<String> = Vec::new();
    for c in personer.iter().skip(1).filter_map(cpr) {
        if Some(&c) != egen.as_ref() && !ud.iter().any(|u| u == c.as_str()) {
            ud.push(c.as_str().to_string());
        }
    }
    ud
}

/// Writes a case's form in the change's transaction, and, once the case is sent (it has a
/// citizen in its row), the other citizens the form names (`sag_person`, decision 106).
/// A case without a form row is refused, never given a form half-way.
async fn skriv_skema(txn: &DatabaseTransaction, sag: &sag::Model, json: &str) -> Result<(), StorageError> {
    let skrevet = sag_skema::Entity::update_many()
        .col_expr(sag_skema::Column::Skemadata, Expr::value(json))
        .filter(sag_skema::Column::SagId.eq(sag.id))
        .exec(txn)
        .await?;
    if skrevet.rows_affected != 1 {
        return Err(StorageError::Data(format!("sag {} har ingen formular", sag.id)));
    }
    if sag.cpr.is_none() || !domain::skema::Skemadata::kan_naevne_flere_personer(ordning(sag)?) {
        return Ok(());
    }
    sag_person::Entity::delete_many().filter(sag_person::Column::SagId.eq(sag.id)).exec(txn).await?;
    let personer = match laes_skema(sag, json)? {
        Some(skema) => oevrige_personer(&skema),
        None => Vec::new(),
    };
    if !personer.is_empty() {
        sag_person::Entity::insert_many(
            personer.into_iter().map(|cpr| sag_person::ActiveModel { sag_id: Set(sag.id), cpr: Set(cpr) }),
        )
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// The facts the policy needs about a stored case.
pub fn fakta(s: &sag::Model) -> Result<SagsFakta, StorageError> {
    Ok(SagsFakta {
        sag_id: Some(s.id),
        ordning: ordning(s)?,
        cvr: s.cvr.clone(),
        jobcenter_id: s.jobcenter_id,
        cpr: s.cpr.clone(),
        anden_aktoer_id: s.anden_aktoer_id,
        tilstand: tilstand(s)?,
    })
}

/// Create a case (a draft, for løntilskud): the case, its first event and its notification.
/// Like [`udfoer`], a transaction that loses a serialisation conflict or a lock wait is retried
/// a few times (CONVENTIONS.md rule 8): the new case's count row is shared with every other
/// new draft of its scheme (crate::taelling).
#[tracing::instrument(skip_all, fields(ordning = ny.ordning.kode()))]
pub async fn opret(db: &Db, hvem: &Udfoerer, ny: NySag, nu: DateTime<Utc>) -> Result<sag::Model, StorageError> {
    let fejlpunkt = db.tag_fejlpunkt();
    let mut forsoeg = 0;
    loop {
        match opret_en_gang(db, hvem, ny.clone(), nu, fejlpunkt).await {
            Err(StorageError::Db(e)) if forsoeg < 3 && kan_gentages(&e) => {
                forsoeg += 1;
                tracing::info!(forsoeg, "oprettelsen gentages efter en konflikt");
            }
            svar => return svar,
        }
    }
}

async fn opret_en_gang(
    db: &Db,
    hvem: &Udfoerer,
    ny: NySag,
    nu: DateTime<Utc>,
    fejlpunkt: Option<Fejlpunkt>,
) -> Result<sag::Model, StorageError> {
    let fakta = SagsFakta {
        sag_id: None,
        ordning: ny.ordning,
        cvr: ny.cvr.clone(),
        jobcenter_id: None,
        cpr: None,
        anden_aktoer_id: None,
        tilstand: Tilstand::NY,
    };
    let overgang = policy::tjek(&hvem.aktoer, Handling::OpretKladde, &fakta)?;
    let efter = overgang.anvend(Tilstand::NY);
    // IMMEDIATE: take SQLite's write lock at BEGIN, so a concurrent writer waits (busy timeout)
    // instead of failing with "database is locked" when it upgrades; PostgreSQL ignores it.
    let txn = db.conn.begin_with_options(skrivning()).await?;
    let model = sag::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        ordning: Set(ny.ordning.kode().into()),
        sagsart: Set(ny.sagsart.kode().into()),
        ansoegning_status: Set(efter.ansoegning.map(|s| s.kode().to_string())),
        afgoerelse_status: Set(None),
        forlaengelse_status: Set(None),
        jobcenter_id: Set(None),
        team_id: Set(None),
        ansvarlig_id: Set(None),
        anden_aktoer_id: Set(None),
        hovedsag_id: Set(None),
        cvr: Set(ny.cvr),
        pnummer: Set(None),
        cpr: Set(None),
        borger_navn: Set(None),
        borger_navn_soeg: Set(None),
        borger_navn_sort: Set(None),
        startdato: Set(None),
        slutdato: Set(None),
        oprindelig_slutdato: Set(None),
        timer_hundrededele: Set(None),
        modtaget_dato: Set(None),
        afgoerelse_dato: Set(None),
        godkendt_dato: Set(None),
        konfliktramt: Set(ny.konfliktramt),
        oprettet_af: Set(hvem.bruger_id),
        oprettet: Set(nu),
        aendret: Set(nu),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    sag_skema::ActiveModel { sag_id: Set(model.id), skemadata: Set(ny.skemadata) }.insert(&txn).await?;
    tjek_fejlpunkt(fejlpunkt, Fejlpunkt::EfterSag)?;
    skriv_haendelse(&txn, &model, hvem, Handling::OpretKladde, overgang.haendelse, None, Tilstand::NY, efter, nu)
        .await?;
    tjek_fejlpunkt(fejlpunkt, Fejlpunkt::EfterHaendelse)?;
    skriv_notifikation(&txn, &model, Elementart::Ansoegning, false, nu).await?;
    // The list totals count the new case in the same transaction (crate::taelling), as its
    // last statement: every draft in the country adds to the same few count rows, and a row
    // locked early was held through the rest of the transaction (docs/benchmarks.md,
    // "Skrivevejen": 125 lock waits in a 16-way run, 2 with the update last).
    crate::taelling::juster(&txn, &[(crate::taelling::Gruppe::af(&model), 1)]).await?;
    txn.commit().await?;
    Ok(model)
}

/// Perform an action on a case: policy, new state, event, notification, all or nothing.
/// A transaction that loses a serialisation conflict, a deadlock or a lock wait is retried a
/// few times (CONVENTIONS.md rule 8); every other error is returned at once.
#[tracing::instrument(skip_all, fields(sag_id, handling = ?aendring.handling))]
pub async fn udfoer(
    db: &Db,
    sag_id: i64,
    hvem: &Udfoerer,
    aendring: Aendring,
    nu: DateTime<Utc>,
) -> Result<sag::Model, StorageError> {
    // Reading and creating are not changes of an existing case: `hent` and `opret` do them.
    if matches!(aendring.handling, Handling::Se | Handling::OpretKladde) {
        return Err(StorageError::Data(format!("udfoer bruges ikke til {:?}", aendring.handling)));
    }
    let fejlpunkt = db.tag_fejlpunkt();
    let mut forsoeg = 0;
    loop {
        match udfoer_en_gang(db, sag_id, hvem, aendring.clone(), nu, fejlpunkt).await {
            Err(StorageError::Db(e)) if forsoeg < 3 && kan_gentages(&e) => {
                forsoeg += 1;
                tracing::info!(sag_id, forsoeg, "transaktionen gentages efter en konflikt");
            }
            svar => return svar,
        }
    }
}

/// PostgreSQL's serialisation failure and deadlock (40001, 40P01), SQLite's busy database.
fn kan_gentages(e: &sea_orm::DbErr) -> bool {
    let tekst = e.to_string();
    ["40001", "40P01", "could not serialize", "deadlock detected", "database is locked"]
        .iter()
        .any(|k| tekst.contains(k))
}

async fn udfoer_en_gang(
    db: &Db,
    sag_id: i64,
    hvem: &Udfoerer,
    aendring: Aendring,
    nu: DateTime<Utc>,
    fejlpunkt: Option<Fejlpunkt>,
) -> Result<sag::Model, StorageError> {
    // IMMEDIATE: take SQLite's write lock at BEGIN, so a concurrent writer waits (busy timeout)
    // instead of failing with "database is locked" when it upgrades; PostgreSQL ignores it.
    let txn = db.conn.begin_with_options(skrivning()).await?;
    // FOR UPDATE on PostgreSQL; SQLite's single writer serialises on its own.
    let foer = sag::Entity::find_by_id(sag_id).lock_exclusive().one(&txn).await?.ok_or(StorageError::IkkeFundet)?;
    let fakta = fakta(&foer)?;
    let overgang = policy::tjek(&hvem.aktoer, aendring.handling, &fakta)?;
    if let Some(v) = aendring.forventet_version
        && v != foer.version
    {
        return Err(StorageError::Konflikt);
    }
    if aendring.handling == Handling::SletKladde {
        return slet_kladde(txn, foer, hvem, nu).await;
    }
    let efter = overgang.anvend(fakta.tilstand);

    let mut am = ny_raekke(&txn, &foer, efter, &aendring.opdatering).await?;
    am.aendret = Set(nu);
    am.version = Set(foer.version + 1);
    // Optimistic check on the version as well as the row lock: a writer that read an older
    // version updates nothing and is refused.
    let res = sag::Entity::update_many()
        .set(am)
        .filter(sag::Column::Id.eq(sag_id))
        .filter(sag::Column::Version.eq(foer.version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StorageError::Konflikt);
    }
    let sag = sag::Entity::find_by_id(sag_id).one(&txn).await?.ok_or(StorageError::IkkeFundet)?;
    if let Some(json) = &aendring.opdatering.skemadata {
        skriv_skema(&txn, &sag, json).await?;
    }
    tjek_fejlpunkt(fejlpunkt, Fejlpunkt::EfterSag)?;

    // Sub-records follow the case's statuses.
    let subskabelon = skriv_elementer(&txn, &foer, &overgang, &aendring, nu).await?;

    if aendring.handling != Handling::GemKladde {
        skriv_haendelse(
            &txn,
            &sag,
            hvem,
            aendring.handling,
            overgang.haendelse,
            aendring.bemaerkning.as_deref(),
            fakta.tilstand,
            efter,
            nu,
        )
        .await?;
    }
    tjek_fejlpunkt(fejlpunkt, Fejlpunkt::EfterHaendelse)?;
    // A move tells the jobcentre the case left that it left, and the one it came to gets it
    // as created, in this transaction (issue 13 §3; decision 89).
    let flyttet_fra = foer
        .jobcenter_id
        .filter(|fra| aendring.handling == Handling::FlytJobcenter && sag.jobcenter_id.is_some_and(|til| til != *fra));
    if let Some(fra) = flyttet_fra {
        skriv_fraflytning(&txn, &sag, fra, nu).await?;
    }
    if overgang.aendrer_status() || aendring.opdatering.forlaengelse_bortfalder || aendring.handling.noterer_kommunen()
    {
        skriv_notifikation(&txn, &sag, subskabelon, flyttet_fra.is_some(), nu).await?;
    }
    skriv_bilag(&txn, &sag, hvem, &aendring, nu).await?;
    // The case moves from its old group of the list totals to its new one, in this
    // transaction and as its last statement, so the shared count rows are locked only
    // until the commit (see `opret_en_gang`).
    let (gammel, ny) = (crate::taelling::Gruppe::af(&foer), crate::taelling::Gruppe::af(&sag));
    if gammel != ny {
        crate::taelling::juster(&txn, &[(gammel, -1), (ny, 1)]).await?;
    }
    txn.commit().await?;
    Ok(sag)
}

/// The case row after a change: the statuses the transition gives, and each column the
/// change sets (`Opdatering`; `None` leaves a column as it is). The name's search and sort
/// columns are written with the name, so the three cannot disagree.
async fn ny_raekke(
    txn: &DatabaseTransaction,
    foer: &sag::Model,
    efter: Tilstand,
    o: &Opdatering,
) -> Result<sag::ActiveModel, StorageError> {
    let o = o.clone();
    let mut am: sag::ActiveModel = foer.clone().into();
    am.ansoegning_status = Set(efter.ansoegning.map(|s| s.kode().to_string()));
    am.afgoerelse_status = Set(efter.afgoerelse.map(|s| s.kode().to_string()));
    let forlaengelse =
        if o.forlaengelse_bortfalder { Some(ForlaengelseStatus::Bortfaldet) } else { efter.forlaengelse };
    am.forlaengelse_status = Set(forlaengelse.map(|s| s.kode().to_string()));
    if let Some(v) = o.jobcenter_id {
        am.jobcenter_id = Set(Some(v));
    }
    if let Some((team_id, ansvarlig_id)) = o.ansvar {
        // The sort keys go with the ids in the same row (decision 52).
        let (team_sort, ansvarlig_sort) = crate::lister::ansvar_noegler(txn, team_id, ansvarlig_id).await?;
        am.team_id = Set(team_id);
        am.ansvarlig_id = Set(ansvarlig_id);
        am.team_sort = Set(team_sort);
        am.ansvarlig_sort = Set(ansvarlig_sort);
    }
    if let Some(v) = o.pnummer {
        am.pnummer = Set(Some(v));
    }
    if let Some(v) = o.cpr {
        am.cpr = Set(Some(v));
    }
    if let Some(v) = o.borger_navn {
        let v = domain::tekst::uden_kontroltegn(&v).into_owned();
        am.borger_navn_soeg = Set(Some(soegetekst(&v)));
        am.borger_navn_sort = Set(Some(sorteringsnoegle(&v)));
        am.borger_navn = Set(Some(v));
    }
    if let Some(v) = o.startdato {
        am.startdato = Set(Some(v));
    }
    if let Some(v) = o.slutdato {
        am.slutdato = Set(Some(v));
    }
    if let Some(v) = o.oprindelig_slutdato {
        am.oprindelig_slutdato = Set(Some(v));
    }
    if let Some(v) = o.timer_hundrededele {
        am.timer_hundrededele = Set(Some(v));
    }
    if let Some(v) = o.modtaget_dato {
        am.modtaget_dato = Set(Some(v));
    }
    if let Some(v) = o.afgoerelse_dato {
        am.afgoerelse_dato = Set(Some(v));
    }
    if let Some(v) = o.godkendt_dato {
        am.godkendt_dato = Set(Some(v));
    }
    Ok(am)
}

/// The change's records: the new record (and a system termination's, decision 88), the
/// statuses that follow the case's, and the records' data and statuses the change sets. The
/// record kind the notification names (`virksomhedsordningSubskabelon`).
async fn skriv_elementer(
    txn: &DatabaseTransaction,
    foer: &sag::Model,
    overgang: &policy::Overgang,
    aendring: &Aendring,
    nu: DateTime<Utc>,
) -> Result<Elementart, StorageError> {
    let sag_id = foer.id;
    let mut subskabelon = Elementart::Ansoegning;
    // A transition that ends the grant with a system code (DFDG 14 or 15, seed 001 §2.1) is
    // recorded as a termination record, like one the company registers (decision 88).
    let systemophoer = overgang.systemophoer.map(|s| systemophoer_element(s, foer, nu));
    let mut ophoer = aendring.handling == Handling::RegistrerOphoer;
    for e in aendring.nyt_element.clone().into_iter().chain(systemophoer) {
        subskabelon = e.art;
        ophoer |= e.art == Elementart::Ophoer;
        sagselement::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            sag_id: Set(sag_id),
            art: Set(e.art.kode().into()),
            status: Set(e.status),
            startdato: Set(e.startdato),
            slutdato: Set(e.slutdato),
            data: Set(e.data.to_string()),
            oprettet: Set(nu),
            aendret: Set(nu),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (art, ny_status) in [
        (Elementart::Ansoegning, overgang.ansoegning.map(|s| s.kode())),
        (Elementart::Bevilling, overgang.afgoerelse.map(|s| s.kode())),
    ] {
        if let Some(ny_status) = ny_status {
            subskabelon = art;
            opdater_elementer(txn, sag_id, art, None, ny_status, nu).await?;
        }
    }
    if let Some(ny) = overgang.forlaengelse {
        subskabelon = Elementart::Forlaengelse;
        let afventer = ForlaengelseStatus::AfventerJobcenter.kode();
        if ny.kode() != afventer {
            opdater_elementer(txn, sag_id, Elementart::Forlaengelse, Some(afventer), ny.kode(), nu).await?;
        }
    }
    for (element_id, data) in &aendring.element_data {
        sagselement::Entity::update_many()
            .col_expr(sagselement::Column::Data, Expr::value(data.to_string()))
            .col_expr(sagselement::Column::Aendret, Expr::value(nu))
            .filter(sagselement::Column::Id.eq(*element_id))
            .filter(sagselement::Column::SagId.eq(sag_id))
            .exec(txn)
            .await?;
    }
    for (element_id, ny_status) in &aendring.element_status {
        sagselement::Entity::update_many()
            .col_expr(sagselement::Column::Status, Expr::value(ny_status.clone()))
            .col_expr(sagselement::Column::Aendret, Expr::value(nu))
            .filter(sagselement::Column::Id.eq(*element_id))
            .filter(sagselement::Column::SagId.eq(sag_id))
            .exec(txn)
            .await?;
    }
    // The notification names the termination record, so the municipal system asks GetOphør.
    if ophoer {
        subskabelon = Elementart::Ophoer;
    }

    Ok(subskabelon)
}

/// What leaves or waits beside the change, in its transaction: the e-mails (with the
/// jobcentre's code, so its administrator can see and replay a dead one), the consent the
/// company gave, a new link and a link used.
async fn skriv_bilag(
    txn: &DatabaseTransaction,
    sag: &sag::Model,
    hvem: &Udfoerer,
    aendring: &Aendring,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let sag_id = sag.id;
    if !aendring.emails.is_empty() {
        // The jobcentre's code on the row lets its administrator see and replay a dead mail.
        let jobcenter_kode = match sag.jobcenter_id {
            Some(id) => jobcenter::Entity::find_by_id(id).one(txn).await?.map(|j| j.kommunekode),
            None => None,
        };
        for mail in &aendring.emails {
            let payload = serde_json::to_string(mail)?;
            crate::outbox::skriv_email(txn, Some(sag_id), jobcenter_kode.as_deref(), payload, nu).await?;
        }
    }
    if let Some(version) = aendring.samtykke {
        samtykke::ActiveModel {
            sag_id: Set(sag_id),
            bruger_id: Set(hvem.bruger_id),
            aktoer: Set(domain::tekst::uden_kontroltegn(&hvem.navn).into_owned()),
            tidspunkt: Set(nu),
            tekst_version: Set(version.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    if let Some((token, formaal)) = aendring.link.clone() {
        link::ActiveModel {
            token: Set(token),
            sag_id: Set(sag_id),
            formaal: Set(formaal.into()),
            udloeber: Set(nu + chrono::Duration::days(30)),
            brugt: Set(false),
            oprettet: Set(nu),
        }
        .insert(txn)
        .await?;
    }
    if let Some(token) = &aendring.brug_link {
        link::Entity::update_many()
            .col_expr(link::Column::Brugt, Expr::value(true))
            .filter(link::Column::Token.eq(token.as_str()))
            .filter(link::Column::SagId.eq(sag_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// "Slet kladde" (decision 90): the company's draft is removed, not marked deleted, in the
/// transaction `udfoer` opened after the policy allowed it (a draft no jobcentre holds) and
/// the version matched. It takes its history, sub-records, consent rows and links with it,
/// leaves the list totals' group it counted in, and writes one row in the deletion log
/// (`sletning`: the case id and how much went; no personal data, no user). A draft has never
/// been notified (it has no jobcentre), so the outbox has nothing of it and nothing is sent;
/// should a row be there, the draft is refused as the jobcentre's. The access log keeps its
/// entries: they record reads that happened.
async fn slet_kladde(
    txn: sea_orm::DatabaseTransaction,
    foer: sag::Model,
    hvem: &Udfoerer,
    nu: DateTime<Utc>,
) -> Result<sag::Model, StorageError> {
    let sag_id = foer.id;
    if opbevaringshold::Entity::find().filter(opbevaringshold::Column::SagId.eq(sag_id)).one(&txn).await?.is_some() {
        return Err(policy::Afvisning::Opbevares.into());
    }
    if outbox::Entity::find().filter(outbox::Column::SagId.eq(sag_id)).one(&txn).await?.is_some() {
        return Err(policy::Afvisning::JobcentretsKladde.into());
    }
    let mut raekker = 0i64;
    raekker +=
        samtykke::Entity::delete_many().filter(samtykke::Column::SagId.eq(sag_id)).exec(&txn).await?.rows_affected
            as i64;
    raekker +=
        link::Entity::delete_many().filter(link::Column::SagId.eq(sag_id)).exec(&txn).await?.rows_affected as i64;
    raekker += sagselement::Entity::delete_many()
        .filter(sagselement::Column::SagId.eq(sag_id))
        .exec(&txn)
        .await?
        .rows_affected as i64;
    raekker += sagshaendelse::Entity::delete_many()
        .filter(sagshaendelse::Column::SagId.eq(sag_id))
        .exec(&txn)
        .await?
        .rows_affected as i64;
    let skema = skemajson(&txn, sag_id).await?;
    raekker +=
        sag_skema::Entity::delete_many().filter(sag_skema::Column::SagId.eq(sag_id)).exec(&txn).await?.rows_affected
            as i64;
    let slettet = sag::Entity::delete_many()
        .filter(sag::Column::Id.eq(sag_id))
        .filter(sag::Column::Version.eq(foer.version))
        .exec(&txn)
        .await?;
    if slettet.rows_affected != 1 {
        return Err(StorageError::Konflikt);
    }
    raekker += 1;
    let felter = i64::from(foer.cpr.is_some())
        + i64::from(foer.borger_navn.is_some())
        + crate::opbevaring::skrub_tekst(&skema).1;
    crate::opbevaring::log_sletning(
        &txn,
        nu,
        crate::opbevaring::ART_KLADDE,
        sag_id,
        crate::opbevaring::REGEL_SLETTET_AF_VIRKSOMHEDEN,
        felter,
        raekker,
    )
    .await?;
    // The case leaves the list totals, last, as every writer does (see `opret_en_gang`).
    crate::taelling::juster(&txn, &[(crate::taelling::Gruppe::af(&foer), -1)]).await?;
    txn.commit().await?;
    tracing::info!(sag_id, bruger = hvem.bruger_id, "kladde slettet af virksomheden");
    Ok(foer)
}

async fn opdater_elementer<C: ConnectionTrait>(
    c: &C,
    sag_id: i64,
    art: Elementart,
    kun_fra: Option<&str>,
    ny_status: &str,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let mut q = sagselement::Entity::update_many()
        .col_expr(sagselement::Column::Status, Expr::value(ny_status.to_string()))
        .col_expr(sagselement::Column::Aendret, Expr::value(nu))
        .filter(sagselement::Column::SagId.eq(sag_id))
        .filter(sagselement::Column::Art.eq(art.kode()));
    if let Some(fra) = kun_fra {
        q = q.filter(sagselement::Column::Status.eq(fra));
    }
    q.exec(c).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn skriv_haendelse<C: ConnectionTrait>(
    c: &C,
    sag: &sag::Model,
    hvem: &Udfoerer,
    handling: Handling,
    tekst: &str,
    bemaerkning: Option<&str>,
    foer: Tilstand,
    efter: Tilstand,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let tekst = match bemaerkning {
        Some(b) if !b.trim().is_empty() => format!("{tekst}: {}", b.trim()),
        _ => tekst.to_string(),
    };
    // A name or remark taken from a form stored before the edge refused control characters.
    let tekst = domain::tekst::uden_kontroltegn(&tekst).into_owned();
    sagshaendelse::ActiveModel {
        sag_id: Set(sag.id),
        tidspunkt: Set(nu),
        bruger_id: Set(hvem.bruger_id),
        aktoer: Set(domain::tekst::uden_kontroltegn(&hvem.navn).into_owned()),
        rolle: Set(hvem.aktoer.rolle().kode().into()),
        handling: Set(format!("{handling:?}").chars().take(40).collect()),
        tekst: Set(tekst),
        fra_status: Set(Some(foer.vist_status().to_string())),
        til_status: Set(Some(efter.vist_status().to_string())),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// The OrdningsNotifikation (seed 002 §1.1; DOMAIN.md "Web services"): what a municipal
/// system needs to fetch the details. Delivery is the worker's (issue 4).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdningsNotifikation {
    pub eksternt_id: String,
    pub jobcenter_kode: Option<String>,
    pub oprettet_eller_redigeret: &'static str,
    pub registreringsdato: DateTime<Utc>,
    pub ansvarlig_email: Option<String>,
    pub virksomhedsordning_skabelon: String,
    pub virksomhedsordning_subskabelon: &'static str,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
}

/// Municipal systems subscribe per jobcentre, so a case that has not reached one (a
/// company's draft) has no recipient yet: its first notification is written when it is
/// sent, as "Oprettet"; later ones say "Redigeret". A case moved to another jobcentre is new
/// to that jobcentre's systems: `ny_for_jobcentret` makes it "Oprettet" there (decision 89).
async fn skriv_notifikation<C: ConnectionTrait>(
    c: &C,
    sag: &sag::Model,
    subskabelon: Elementart,
    ny_for_jobcentret: bool,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let Some(jobcenter_id) = sag.jobcenter_id else {
        return Ok(());
    };
    let Some(jobcenter_kode) = jobcenter::Entity::find_by_id(jobcenter_id).one(c).await?.map(|j| j.kommunekode) else {
        return Ok(());
    };
    let oprettet_eller_redigeret = if ny_for_jobcentret || crate::outbox::antal_notifikationer(c, sag.id).await? == 0 {
        "Oprettet"
    } else {
        "Redigeret"
    };
    let ansvarlig_email = match sag.ansvarlig_id {
        Some(id) => bruger::Entity::find_by_id(id).one(c).await?.map(|b| b.email),
        None => None,
    };
    let n = OrdningsNotifikation {
        eksternt_id: sag.uuid.clone(),
        jobcenter_kode: Some(jobcenter_kode.clone()),
        oprettet_eller_redigeret,
        registreringsdato: nu,
        ansvarlig_email,
        virksomhedsordning_skabelon: sag.ordning.clone(),
        virksomhedsordning_subskabelon: subskabelon.kode(),
        ansoegning_status: sag.ansoegning_status.clone(),
        afgoerelse_status: sag.afgoerelse_status.clone(),
        forlaengelse_status: sag.forlaengelse_status.clone(),
    };
    crate::outbox::publicer(c, sag.id, &jobcenter_kode, &serde_json::to_value(&n)?, nu).await?;
    Ok(())
}

/// The event a case's old jobcentre gets when the case is moved to another (decision 89): its
/// systems close their copy. It names the case, both jobcentres and the scheme, nothing
/// about the citizen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SagFlyttet {
    pub eksternt_id: String,
    /// The jobcentre the case left: the receiver's own.
    pub fra_jobcenter_kode: String,
    /// The jobcentre that has the case now.
    pub til_jobcenter_kode: Option<String>,
    pub registreringsdato: DateTime<Utc>,
    pub virksomhedsordning_skabelon: String,
}

/// Write the old jobcentre's [`SagFlyttet`] event (inside the move's transaction).
async fn skriv_fraflytning<C: ConnectionTrait>(
    c: &C,
    sag: &sag::Model,
    fra_jobcenter_id: i64,
    nu: DateTime<Utc>,
) -> Result<(), StorageError> {
    let kode = |id: Option<i64>| async move {
        Ok::<_, StorageError>(match id {
            Some(id) => jobcenter::Entity::find_by_id(id).one(c).await?.map(|j| j.kommunekode),
            None => None,
        })
    };
    let Some(fra) = kode(Some(fra_jobcenter_id)).await? else {
        return Ok(());
    };
    let haendelse = SagFlyttet {
        eksternt_id: sag.uuid.clone(),
        fra_jobcenter_kode: fra.clone(),
        til_jobcenter_kode: kode(sag.jobcenter_id).await?,
        registreringsdato: nu,
        virksomhedsordning_skabelon: sag.ordning.clone(),
    };
    let data = serde_json::to_value(&haendelse)?;
    crate::outbox::publicer_haendelse(c, crate::outbox::Haendelse::SagFlyttet, sag.id, &fra, &data, nu).await?;
    Ok(())
}

/// The termination record of a transition that ends the grant with a system code (seed 001
/// §2.1; decision 88): no reason anyone registered, the DFDG code, and the day it ended: the
/// grant's end date when it ran out, the day of the answer when it was not approved.
fn systemophoer_element(s: domain::ophoer::Systemophoer, foer: &sag::Model, nu: DateTime<Utc>) -> NytElement {
    use domain::ophoer::Systemophoer;
    use domain::periode::dansk_dato;
    let dfdg = s.dfdg();
    let ophoersdato = match s {
        Systemophoer::OrdinaertUdloeb => foer.slutdato,
        Systemophoer::BevillingIkkeGodkendt => Some(domain::periode::dansk_tid(nu).date()),
    };
    NytElement {
        art: Elementart::Ophoer,
        status: "registreret".into(),
        startdato: None,
        slutdato: ophoersdato,
        data: domain::elementdata::Ophoersdata {
            aarsag: s.tekst().to_string(),
            systemophoer: Some(s.kode().to_string()),
            dfdg: Some(format!("{} – {}", dfdg.id, dfdg.tekst)),
            aktuel_slutdato: foer.slutdato.map(dansk_dato),
            oprindelig_slutdato: foer.oprindelig_slutdato.map(dansk_dato),
            ..Default::default()
        }
        .json(),
    }
}

/// The options of every transaction that writes a case (see `udfoer`), and of the writes
/// that lock a row before they change it: an API client's (`api::udsted_token`,
/// `api::tilbagekald`, `api::roter`) and a webhook subscriber's (`outbox::slet_abonnent`).
pub(crate) fn skrivning() -> TransactionOptions {
    TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }
}

/// A random URL-safe token for links and sessions (256 bits).
pub fn ny_token() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..32).map(|_| format!("{:02x}", rng.random::<u8>())).collect()
}

// ---- Reads -------------------------------------------------------------------------------

/// Load a case the actor may see, or "not found" (so ids cannot be probed).
#[tracing::instrument(skip_all, fields(sag_id))]
pub async fn hent(db: &Db, sag_id: i64, aktoer: &Aktoer) -> Result<sag::Model, StorageError> {
    let s = sag::Entity::find_by_id(sag_id).one(&db.conn).await?.ok_or(StorageError::IkkeFundet)?;
    policy::tjek(aktoer, Handling::Se, &fakta(&s)?).map_err(|_| StorageError::IkkeFundet)?;
    Ok(s)
}

#[tracing::instrument(skip_all, fields(sag_id))]
pub async fn elementer(db: &Db, sag_id: i64) -> Result<Vec<sagselement::Model>, StorageError> {
    Ok(sagselement::Entity::find()
        .filter(sagselement::Column::SagId.eq(sag_id))
        .order_by_asc(sagselement::Column::Id)
        .all(&db.conn)
        .await?)
}

#[tracing::instrument(skip_all, fields(sag_id))]
pub async fn historik(db: &Db, sag_id: i64) -> Result<Vec<sagshaendelse::Model>, StorageError> {
    Ok(sagshaendelse::Entity::find()
        .filter(sagshaendelse::Column::SagId.eq(sag_id))
        .order_by_asc(sagshaendelse::Column::Tidspunkt)
        .order_by_asc(sagshaendelse::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn outbox_for_sag(db: &Db, sag_id: i64) -> Result<Vec<outbox::Model>, StorageError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SagId.eq(sag_id))
        .order_by_asc(outbox::Column::Id)
        .all(&db.conn)
        .await?)
}

/// A short page of cases (the front page, "Sager"): the rows of one page, and whether
/// another page follows. One row more than the page is read, so no count is needed.
#[derive(Debug, Clone)]
pub struct KortSide {
    pub sager: Vec<sag::Model>,
    /// The page shown (1 or more; not deeper than `lister::MAKS_DYBDE` rows).
    pub side: u64,
    pub flere: bool,
}

/// Every case the actor may see, newest first: the case's id, which the primary key (or an
/// index ending in the id) gives in order for every scope. Bounded per page (issue 15 §1).
pub async fn synlige(db: &Db, aktoer: &Aktoer, side: u64, stoerrelse: u64) -> Result<KortSide, StorageError> {
    let stoerrelse = stoerrelse.clamp(1, crate::lister::MAKS_SIDE);
    let mut side = side.clamp(1, crate::lister::sider_i_alt(crate::lister::MAKS_DYBDE, stoerrelse));
    let side_af = |side: u64| {
        sag::Entity::find()
            .filter(crate::lister::scope(aktoer))
            .order_by_desc(sag::Column::Id)
            .offset((side - 1) * stoerrelse)
            .limit(stoerrelse + 1)
            .all(&db.conn)
    };
    let mut sager = side_af(side).await?;
    if sager.is_empty() && side > 1 {
        // Past the end (there is no count to find the last page by): the first page.
        side = 1;
        sager = side_af(side).await?;
    }
    let flere = sager.len() as u64 > stoerrelse;
    sager.truncate(stoerrelse as usize);
    Ok(KortSide { sager, side, flere })
}

/// A link by its token, if it exists, has not expired and has not been used.
pub async fn gyldigt_link(db: &Db, token: &str, nu: DateTime<Utc>) -> Result<Option<link::Model>, StorageError> {
    Ok(link::Entity::find_by_id(token.to_string()).one(&db.conn).await?.filter(|l| !l.brugt && l.udloeber > nu))
}

/// Open links on the demo companies' cases (demo only: the demo login page lists pending
/// consultations). A case of any other company never shows here, even in demo mode.
pub async fn aabne_demo_links(db: &Db, formaal: &str, nu: DateTime<Utc>) -> Result<Vec<link::Model>, StorageError> {
    let demo_sager = sag::Entity::find()
        .select_only()
        .column(sag::Column::Id)
        .filter(sag::Column::Cvr.is_in(crate::demo::virksomhed_cvr()))
        .into_query();
    Ok(link::Entity::find()
        .filter(link::Column::Formaal.eq(formaal))
        .filter(link::Column::Brugt.eq(false))
        .filter(link::Column::Udloeber.gt(nu))
        .filter(link::Column::SagId.in_subquery(demo_sager))
        .order_by_desc(link::Column::Oprettet)
        .limit(50)
        .all(&db.conn)
        .await?)
}

/// The open link of a purpose on a case, if any.
pub async fn link_for_sag(
    db: &Db,
    sag_id: i64,
    formaal: &str,
    nu: DateTime<Utc>,
) -> Result<Option<link::Model>, StorageError> {
    Ok(link::Entity::find()
        .filter(link::Column::SagId.eq(sag_id))
        .filter(link::Column::Formaal.eq(formaal))
        .filter(link::Column::Brugt.eq(false))
        .filter(link::Column::Udloeber.gt(nu))
        .order_by_desc(link::Column::Oprettet)
        .one(&db.conn)
        .await?)
}

/// "Sæt ansvarlig" on several cases (issue 3 §2): each case is one state change through
/// [`udfoer`]. The team and the caseworker must belong to the acting user's jobcentre.
/// Returns how many cases changed; a case refused by the policy stops the run with its
/// reason (the ones before it stay changed, each in its own transaction).
#[tracing::instrument(skip_all, fields(antal = sag_ids.len()))]
pub async fn saet_ansvarlig(
    db: &Db,
    hvem: &Udfoerer,
    sag_ids: &[i64],
    team_id: Option<i64>,
    ansvarlig_id: Option<i64>,
    nu: DateTime<Utc>,
) -> Result<usize, StorageError> {
    let jobcenter_id = match hvem.aktoer {
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => jobcenter_id,
        _ => {
            return Err(StorageError::Afvist(policy::Afvisning::Rolle {
                rolle: hvem.aktoer.rolle().navn(),
                handling: Handling::SaetAnsvarlig.navn(),
            }));
        }
    };
    let mut fejl = Vec::new();
    if let Some(t) = team_id
        && crate::entity::team::Entity::find_by_id(t)
            .one(&db.conn)
            .await?
            .is_none_or(|t| t.jobcenter_id != jobcenter_id)
    {
        fejl.push(domain::FieldError::new("team", "Teamet hører ikke til dit jobcenter"));
    }
    if let Some(m) = ansvarlig_id
        && bruger::Entity::find_by_id(m).one(&db.conn).await?.is_none_or(|b| b.jobcenter_id != Some(jobcenter_id))
    {
        fejl.push(domain::FieldError::new("medarbejder", "Medarbejderen hører ikke til dit jobcenter"));
    }
    if sag_ids.is_empty() {
        fejl.push(domain::FieldError::new("sag", "Vælg mindst én sag i listen"));
    }
    if !fejl.is_empty() {
        return Err(StorageError::Ugyldig(fejl));
    }
    for id in sag_ids {
        let mut a = Aendring::ny(Handling::SaetAnsvarlig);
        a.opdatering.ansvar = Some((team_id, ansvarlig_id));
        udfoer(db, *id, hvem, a, nu).await?;
    }
    Ok(sag_ids.len())
}

/// Move a case to another jobcentre (seed 001 §1.11), of any scheme (seed 001 §3.4). Team and
/// caseworker belong to the old jobcentre, so they are cleared. The old jobcentre's systems
/// hear that the case left and the new one's get it as created, in the move's transaction
/// ([`udfoer`]; decision 89).
#[tracing::instrument(skip_all, fields(sag_id, til_jobcenter))]
pub async fn flyt_jobcenter(
    db: &Db,
    sag_id: i64,
    hvem: &Udfoerer,
    til_jobcenter: i64,
    nu: DateTime<Utc>,
) -> Result<sag::Model, StorageError> {
    let Some(til) = jobcenter::Entity::find_by_id(til_jobcenter).one(&db.conn).await? else {
        return Err(StorageError::Ugyldig(vec![domain::FieldError::new("jobcenter", "Vælg et jobcenter")]));
    };
    // Decision 89: a move goes to another jobcentre; checked only after the scope check
    // (`hent`), so an outsider learns nothing about the case.
    if hent(db, sag_id, &hvem.aktoer).await?.jobcenter_id == Some(til.id) {
        return Err(StorageError::Ugyldig(vec![domain::FieldError::new(
            "jobcenter",
            "Sagen ligger allerede i dette jobcenter. Vælg et andet jobcenter.",
        )]));
    }
    let mut a = Aendring::ny(Handling::FlytJobcenter);
    a.opdatering.jobcenter_id = Some(til.id);
    a.opdatering.ansvar = Some((None, None));
    a.bemaerkning = Some(format!("Flyttet til {}", til.navn));
    udfoer(db, sag_id, hvem, a, nu).await
}

/// Approved grants of one jobcentre whose end date is before `idag` and on which no
/// extension awaits the jobcentre (decision 88; DOMAIN.md step 6: a pending extension keeps
/// the grant open): the candidates of the expiry pass (`jobs::udloeb`), at most
/// `n`, in the order (end date, id) after `efter`. The index `ix_sag_jc_afg_slut` (jobcentre,
/// decision status, end date, id) serves it. The rule is applied again on each case
/// ([`luk_ved_udloeb`]); this only keeps the pass from reading every case.
pub async fn udloebne_bevillinger(
    db: &Db,
    jobcenter_id: i64,
    idag: NaiveDate,
    efter: Option<(NaiveDate, i64)>,
    n: u64,
) -> Result<Vec<sag::Model>, StorageError> {
    use sea_orm::sea_query::ExprTrait;
    let mut q = sag::Entity::find()
        .filter(sag::Column::JobcenterId.eq(jobcenter_id))
        .filter(sag::Column::AfgoerelseStatus.eq(AfgoerelseStatus::GodkendtAfVirksomhed.kode()))
        .filter(sag::Column::Slutdato.lt(idag))
        .filter(
            sea_orm::Condition::any()
                .add(sag::Column::ForlaengelseStatus.is_null())
                .add(sag::Column::ForlaengelseStatus.ne(ForlaengelseStatus::AfventerJobcenter.kode())),
        );
    if let Some((slut, id)) = efter {
        q = q.filter(
            Expr::tuple([Expr::col(sag::Column::Slutdato), Expr::col(sag::Column::Id)])
                .gt(Expr::tuple([Expr::value(slut), Expr::value(id)])),
        );
    }
    Ok(q.order_by_asc(sag::Column::Slutdato).order_by_asc(sag::Column::Id).limit(n).all(&db.conn).await?)
}

/// What [`luk_ved_udloeb`] did with a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Udloeb {
    /// Closed now: "Ophørt" with DFDG 15, its notification written.
    Lukket(Box<sag::Model>),
    /// Not closed: its end date has not passed, it is not an approved grant, an extension
    /// awaits the jobcentre, or it changed since it was read (it is looked at again next pass).
    Uroert,
}

/// Close one approved grant whose end date has passed (seed 001 §2.1: DFDG 15; decision 88),
/// as VITAS: through [`udfoer`] and the policy, only if the case is still the version that was
/// read, so a grant extended or ended meanwhile is left alone, and a grant closed by another
/// pass is not closed, or notified, twice.
#[tracing::instrument(skip_all, fields(sag_id = s.id))]
pub async fn luk_ved_udloeb(
    db: &Db,
    s: &sag::Model,
    idag: NaiveDate,
    nu: DateTime<Utc>,
) -> Result<Udloeb, StorageError> {
    // Seed 001 §2.1: only a grant past its end date closes "after ordinary expiry".
    if !domain::ophoer::udloebet(s.slutdato, idag) {
        return Ok(Udloeb::Uroert);
    }
    let mut a = Aendring::ny(Handling::LukVedUdloeb);
    a.forventet_version = Some(s.version);
    match udfoer(db, s.id, &Udfoerer::system(), a, nu).await {
        Ok(m) => Ok(Udloeb::Lukket(Box::new(m))),
        Err(StorageError::Konflikt | StorageError::Afvist(_)) => Ok(Udloeb::Uroert),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kun_konflikter_gentages() {
        assert!(kan_gentages(&sea_orm::DbErr::Custom(
            "error returned from database: 40001 could not serialize".into()
        )));
        assert!(kan_gentages(&sea_orm::DbErr::Custom("(code: 5) database is locked".into())));
        assert!(!kan_gentages(&sea_orm::DbErr::Custom("duplicate key value violates unique constraint".into())));
    }
}
