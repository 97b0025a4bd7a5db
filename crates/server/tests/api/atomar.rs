//! Issue 2 §7: "Each state change writes the new state, a case-event row and an outbox row in
//! one transaction. A test injects a failure between those writes and shows that nothing is
//! left half-done."

use chrono::{Duration, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::{Aktoer, Handling};
use domain::status::Elementart;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use storage::entity::{jobcenter, link, outbox, sag, sagselement, sagshaendelse};
use storage::sager::{self, Aendring, Email, NySag, NytElement, Opdatering, Udfoerer};
use storage::{Fejlpunkt, StorageError};

use crate::helpers::TestApp;

/// Nordlys Logistik ApS, the demo company with three P-units.
pub const CVR_NORDLYS: &str = "25348710";
/// Fynsk Byg A/S: another company.
pub const CVR_FYNSK: &str = "31674026";
/// Anna Jensen, who lives in København (0101).
pub const CPR_ANNA: &str = "0101901234";

/// Row counts of everything a state change writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Antal {
    pub sager: u64,
    pub haendelser: u64,
    pub outbox: u64,
    pub elementer: u64,
    pub links: u64,
}

pub async fn antal(app: &TestApp) -> Antal {
    let c = &app.db.conn;
    Antal {
        sager: sag::Entity::find().count(c).await.expect("sager"),
        haendelser: sagshaendelse::Entity::find().count(c).await.expect("hændelser"),
        outbox: outbox::Entity::find().count(c).await.expect("outbox"),
        elementer: sagselement::Entity::find().count(c).await.expect("elementer"),
        links: link::Entity::find().count(c).await.expect("links"),
    }
}

/// The whole stored case row.
pub async fn sag_raekke(app: &TestApp, id: i64) -> sag::Model {
    sag::Entity::find_by_id(id).one(&app.db.conn).await.expect("sag").unwrap_or_else(|| panic!("sag {id} findes ikke"))
}

pub async fn jobcenter_id(app: &TestApp, kommunekode: &str) -> i64 {
    jobcenter::Entity::find()
        .filter(jobcenter::Column::Kommunekode.eq(kommunekode))
        .one(&app.db.conn)
        .await
        .expect("jobcenter")
        .unwrap_or_else(|| panic!("jobcenter {kommunekode} findes ikke"))
        .id
}

pub fn udfoerer(aktoer: Aktoer) -> Udfoerer {
    let navn = format!("Test ({})", aktoer.rolle().navn());
    Udfoerer { aktoer, bruger_id: None, navn }
}

pub fn nordlys() -> Udfoerer {
    udfoerer(Aktoer::Virksomhed { cvr: CVR_NORDLYS.into() })
}

/// A Nordlys løntilskud draft with an empty form (the tests' plain new case).
pub(crate) fn ny_sag() -> NySag {
    NySag {
        ordning: Ordning::Loentilskud,
        sagsart: Sagsart::Ansoegning,
        cvr: CVR_NORDLYS.into(),
        skemadata: domain::skema::Skemadata::ny(domain::ordning::Ordning::Loentilskud, false, vec![])
            .expect("bygget")
            .json()
            .expect("json"),
        konfliktramt: false,
    }
}

/// A new løntilskud draft of Nordlys Logistik, through the real repository.
pub async fn ny_kladde(app: &TestApp) -> sag::Model {
    sager::opret(&app.db, &nordlys(), ny_sag(), Utc::now()).await.expect("kladden kunne ikke oprettes")
}

pub fn startdato() -> NaiveDate {
    Utc::now().date_naive() + Duration::days(14)
}

pub fn slutdato() -> NaiveDate {
    startdato() + Duration::days(180)
}

/// "Sign and send" with what the web layer writes along with it: the receiving jobcentre,
/// the citizen, the dates, a new application element, an e-mail and the representative's link.
pub fn indsend(jobcenter_id: i64, med_hoering: bool) -> Aendring {
    let mut a = Aendring::ny(Handling::Indsend { med_hoering });
    a.opdatering = Opdatering {
        skemadata: Some(r#"{"ordning":"loentilskud","cpr":"0101901234","borger_navn":"Anna Jensen"}"#.into()),
        jobcenter_id: Some(jobcenter_id),
        pnummer: Some("1003456781".into()),
        cpr: Some(CPR_ANNA.into()),
        borger_navn: Some("Anna Jensen".into()),
        startdato: Some(startdato()),
        slutdato: Some(slutdato()),
        oprindelig_slutdato: Some(slutdato()),
        timer_hundrededele: Some(3700),
        ..Default::default()
    };
    a.nyt_element = Some(NytElement {
        art: Elementart::Ansoegning,
        status: "sendt_til_medarbejder_rep".into(),
        startdato: Some(startdato()),
        slutdato: Some(slutdato()),
        data: serde_json::json!({ "stillingsbetegnelse": "Lagermedarbejder" }),
    });
    a.emails = vec![Email {
        til: "soeren.bak@nordlys.dk".into(),
        afsender_navn: "Jobcenter København".into(),
        emne: "Høring om løntilskud".into(),
        tekst: "Godkend eller afvis høringen via linket.".into(),
    }];
    a.link = Some((sager::ny_token(), "hoering"));
    a
}

async fn atomar_tilstandsaendring(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;

    // A failure inside `opret` leaves no case, no event and no outbox row.
    for punkt in [Fejlpunkt::EfterSag, Fejlpunkt::EfterHaendelse] {
        let foer = antal(&app).await;
        app.db.injicer_fejl(Some(punkt));
        let res = sager::opret(&app.db, &nordlys(), ny_sag(), Utc::now()).await;
        assert!(matches!(res, Err(StorageError::Injiceret(p)) if p == punkt), "opret med fejl ved {punkt:?}: {res:?}");
        assert_eq!(antal(&app).await, foer, "opret efterlod rækker efter fejl ved {punkt:?}");
    }
    assert_eq!(antal(&app).await.sager, 0);

    let kladde = ny_kladde(&app).await;
    let efter_opret = antal(&app).await;
    // A draft has no jobcentre yet, so no municipal system is notified (the notification
    // comes with the submission, below).
    assert_eq!((efter_opret.sager, efter_opret.haendelser), (1, 1), "opret skriver sagen og én hændelse");

    // A failure between the writes of `udfoer` leaves every row as it was.
    for punkt in [Fejlpunkt::EfterSag, Fejlpunkt::EfterHaendelse] {
        let foer_sag = sag_raekke(&app, kladde.id).await;
        let foer = antal(&app).await;
        app.db.injicer_fejl(Some(punkt));
        let res = sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, true), Utc::now()).await;
        assert!(matches!(res, Err(StorageError::Injiceret(p)) if p == punkt), "udfoer med fejl ved {punkt:?}: {res:?}");
        assert_eq!(sag_raekke(&app, kladde.id).await, foer_sag, "sagsrækken ændret trods fejl ved {punkt:?}");
        assert_eq!(antal(&app).await, foer, "rækker efterladt trods fejl ved {punkt:?}");
        // The counts behind the list totals were rolled back with the rest.
        crate::lister::taelling_stemmer(&app).await;
    }

    // Without a failure the same change goes through, whole.
    let foer_sag = sag_raekke(&app, kladde.id).await;
    let foer = antal(&app).await;
    let efter_sag =
        sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, true), Utc::now()).await.expect("indsend uden fejl");
    assert_eq!(efter_sag, sag_raekke(&app, kladde.id).await, "udfoer returnerer den gemte række");
    assert_eq!(efter_sag.ansoegning_status.as_deref(), Some("sendt_til_medarbejder_rep"));
    assert_eq!(efter_sag.jobcenter_id, Some(kbh));
    assert_eq!(efter_sag.cpr.as_deref(), Some(CPR_ANNA));
    assert_eq!(efter_sag.version, foer_sag.version + 1);
    let efter = antal(&app).await;
    assert_eq!(efter.haendelser, foer.haendelser + 1, "én ny hændelse");
    assert!(efter.outbox > foer.outbox, "mindst én ny outbox-række");
    assert_eq!(efter.outbox, foer.outbox + 2, "notifikationen og e-mailen");
    assert_eq!(efter.elementer, foer.elementer + 1, "det nye sagselement");
    assert_eq!(efter.links, foer.links + 1, "repræsentantens link");
    assert_eq!(efter.sager, foer.sager);
    // The case moved between the groups behind the list totals, in the same transaction.
    crate::lister::taelling_stemmer(&app).await;

    // The event and the notification describe the new state.
    let h = sager::historik(&app.db, kladde.id).await.expect("historik");
    let sidste = h.last().expect("hændelse");
    assert_eq!(sidste.sag_id, kladde.id);
    assert_eq!(sidste.til_status.as_deref(), Some("Sendt til medarbejder-rep"));
    let ob = sager::outbox_for_sag(&app.db, kladde.id).await.expect("outbox");
    assert!(ob.iter().all(|o| o.sag_id == Some(kladde.id)));
    let notifikation = ob.iter().rev().find(|o| o.art == "notifikation").expect("notifikation");
    let payload: serde_json::Value = serde_json::from_str(&notifikation.payload).expect("payload er JSON");
    assert_eq!(payload["ansoegningStatus"], "sendt_til_medarbejder_rep");
    assert_eq!(payload["jobcenterKode"], "0101");
}

paa_begge_databaser!(atomar_tilstandsaendring);

/// A refused action also leaves no trace: the injected failure is never reached, and the
/// transaction opened before the policy check is rolled back.
async fn afvist_handling_efterlader_intet(app: TestApp) {
    let kladde = ny_kladde(&app).await;
    let foer_sag = sag_raekke(&app, kladde.id).await;
    let foer = antal(&app).await;
    let fynsk = udfoerer(Aktoer::Virksomhed { cvr: CVR_FYNSK.into() });
    let kbh = jobcenter_id(&app, "0101").await;
    let res = sager::udfoer(&app.db, kladde.id, &fynsk, indsend(kbh, true), Utc::now()).await;
    assert!(matches!(res, Err(StorageError::Afvist(domain::policy::Afvisning::IkkeAdgang))), "{res:?}");
    assert_eq!(sag_raekke(&app, kladde.id).await, foer_sag);
    assert_eq!(antal(&app).await, foer);
    // A stale version is refused too, and changes nothing.
    let mut gammel = indsend(kbh, true);
    gammel.forventet_version = Some(kladde.version - 1);
    let res = sager::udfoer(&app.db, kladde.id, &nordlys(), gammel, Utc::now()).await;
    assert!(matches!(res, Err(StorageError::Konflikt)), "{res:?}");
    assert_eq!(sag_raekke(&app, kladde.id).await, foer_sag);
    assert_eq!(antal(&app).await, foer);
    // An id that does not exist is "not found", whoever asks.
    let res = sager::udfoer(&app.db, kladde.id + 100_000, &nordlys(), indsend(kbh, true), Utc::now()).await;
    assert!(matches!(res, Err(StorageError::IkkeFundet)), "{res:?}");
    assert_eq!(antal(&app).await, foer);
}

paa_begge_databaser!(afvist_handling_efterlader_intet);
