//! Issue 11 §3: "A CI test backs up a database under writes, restores it, and checks that the
//! counts and the outbox match." Four tasks create and submit cases through the repository
//! (`sager::opret`, `sager::udfoer`) while `vitas backup`'s code takes the copy; the writes go
//! on after it, then stop. The copy is restored into a fresh database with `vitas restore`'s
//! code, and there every case must be whole: its history, its outbox rows, its element and
//! link as its state says, the list totals equal to the cases (`taelling::afvigelser`), and
//! each case a prefix of the same case in the source. A copy that was not one snapshot (a
//! table copied before a write and another after it) breaks one of these; the test shows the
//! check catches a single missing outbox row. The refusals of `restore` are checked too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder};
use server::Config;
use server::sikkerhedskopi::{self, KopiFejl};
use storage::Db;
use storage::entity::{link, outbox, sag, sagselement, sagshaendelse};
use storage::sager;

use crate::atomar::{indsend, jobcenter_id, nordlys, ny_sag};
use crate::helpers::{PG_VAR, TestApp};

/// One case as the test compares it: its status and the ids of what its changes wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sagsbillede {
    ansoegning_status: Option<String>,
    vist_status: String,
    haendelser: Vec<(i64, Option<String>)>,
    notifikationer: Vec<(i64, String)>,
    emails: Vec<i64>,
    elementer: usize,
    links: usize,
}

/// Every case in a database, by id.
async fn billede(c: &DatabaseConnection) -> BTreeMap<i64, Sagsbillede> {
    let mut ud = BTreeMap::new();
    for s in sag::Entity::find().order_by_asc(sag::Column::Id).all(c).await.expect("sager") {
        let vist = sager::tilstand(&s).expect("sagens tilstand").vist_status().to_string();
        ud.insert(
            s.id,
            Sagsbillede {
                ansoegning_status: s.ansoegning_status.clone(),
                vist_status: vist,
                haendelser: Vec::new(),
                notifikationer: Vec::new(),
                emails: Vec::new(),
                elementer: 0,
                links: 0,
            },
        );
    }
    for h in sagshaendelse::Entity::find().order_by_asc(sagshaendelse::Column::Id).all(c).await.expect("historik") {
        if let Some(b) = ud.get_mut(&h.sag_id) {
            b.haendelser.push((h.id, h.til_status));
        }
    }
    for o in outbox::Entity::find().order_by_asc(outbox::Column::Id).all(c).await.expect("outbox") {
        let Some(b) = o.sag_id.and_then(|id| ud.get_mut(&id)) else { continue };
        match o.art.as_str() {
            "notifikation" => {
                let p: serde_json::Value = serde_json::from_str(&o.payload).expect("notifikationen er JSON");
                b.notifikationer.push((o.id, p["ansoegningStatus"].as_str().unwrap_or_default().to_string()));
            }
            "email" => b.emails.push(o.id),
            _ => {}
        }
    }
    for e in sagselement::Entity::find().all(c).await.expect("elementer") {
        if let Some(b) = ud.get_mut(&e.sag_id) {
            b.elementer += 1;
        }
    }
    for l in link::Entity::find().all(c).await.expect("links") {
        if let Some(b) = ud.get_mut(&l.sag_id) {
            b.links += 1;
        }
    }
    ud
}

/// What is wrong in a database the writers of this test wrote: each case is either a draft
/// (one history row, nothing in the outbox) or submitted (two history rows, exactly one
/// notification saying so, one e-mail, one element, one link), its last history row names
/// its status, and the list totals equal the cases.
async fn problemer(c: &DatabaseConnection) -> Vec<String> {
    let mut ud = Vec::new();
    for (id, b) in billede(c).await {
        let forventet = match b.ansoegning_status.as_deref() {
            Some("kladde") => (1, 0, 0, 0, 0),
            Some("modtaget" | "sendt_til_medarbejder_rep") => (2, 1, 1, 1, 1),
            anden => {
                ud.push(format!("sag {id}: uventet status {anden:?}"));
                continue;
            }
        };
        let fundet = (b.haendelser.len(), b.notifikationer.len(), b.emails.len(), b.elementer, b.links);
        if fundet != forventet {
            ud.push(format!(
                "sag {id} ({:?}): (hændelser, notifikationer, e-mails, elementer, links) = {fundet:?}, ventede {forventet:?}",
                b.ansoegning_status
            ));
        }
        if b.haendelser.last().and_then(|h| h.1.as_deref()) != Some(b.vist_status.as_str()) {
            ud.push(format!(
                "sag {id}: sidste hændelse {:?} passer ikke med status {}",
                b.haendelser.last(),
                b.vist_status
            ));
        }
        if let Some((_, status)) = b.notifikationer.last()
            && Some(status.as_str()) != b.ansoegning_status.as_deref()
        {
            ud.push(format!("sag {id}: notifikationen siger {status}, sagen {:?}", b.ansoegning_status));
        }
    }
    ud.extend(storage::taelling::afvigelser(c).await.expect("tællingerne"));
    ud
}

/// A fresh, empty database of the same kind as the app's, and how to remove it (the migration
/// test uses it too).
pub(crate) enum Tom {
    Sqlite { mappe: PathBuf },
    Postgres { basis: String, navn: String },
}

impl Tom {
    pub(crate) async fn ny(app: &TestApp) -> (Tom, String) {
        let hex = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        if app.database_url.starts_with("postgres") {
            let basis = std::env::var(PG_VAR).expect("PostgreSQL-testen har sin URL");
            let navn = format!("vitas_test_gendan_{hex}");
            let admin = sea_orm::Database::connect(basis.as_str()).await.expect("admin-forbindelsen");
            admin.execute_unprepared(&format!("CREATE DATABASE {navn}")).await.expect("CREATE DATABASE");
            admin.close().await.expect("luk");
            let mut url = reqwest::Url::parse(&basis).expect("URL");
            url.set_path(&format!("/{navn}"));
            (Tom::Postgres { basis, navn }, url.to_string())
        } else {
            let mappe = std::env::temp_dir().join(format!("vitas-gendan-{hex}"));
            std::fs::create_dir_all(&mappe).expect("mappen");
            let url = format!("sqlite://{}?mode=rwc", mappe.join("vitas.db").display());
            (Tom::Sqlite { mappe }, url)
        }
    }

    pub(crate) async fn fjern(self) {
        match self {
            Tom::Sqlite { mappe } => {
                let _ = std::fs::remove_dir_all(mappe);
            }
            Tom::Postgres { basis, navn } => {
                let admin = sea_orm::Database::connect(basis.as_str()).await.expect("admin-forbindelsen");
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {navn} WITH (FORCE)")).await.expect("DROP");
                admin.close().await.expect("luk");
            }
        }
    }
}

fn config(url: &str, data_dir: &Path) -> Config {
    Config::for_database(Some(url.to_string()), data_dir.to_path_buf(), Some(false), None)
}

async fn vent_til(taeller: &AtomicU64, mindst: u64) {
    for _ in 0..6_000 {
        if taeller.load(Ordering::SeqCst) >= mindst {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("skriverne nåede ikke {mindst} sager på et minut");
}

async fn backup_under_skrivninger(app: TestApp) {
    const SKRIVERE: u64 = 4;
    let kbh = jobcenter_id(&app, "0101").await;
    let stop = Arc::new(AtomicBool::new(false));
    let oprettet = Arc::new(AtomicU64::new(0));
    let mut skrivere = Vec::new();
    for nr in 0..SKRIVERE {
        let (app_db, stop, oprettet) = (app.db.clone(), stop.clone(), oprettet.clone());
        // Each writer creates a draft and submits two of every three, alternating between a
        // submission with and without the representative's hearing (two statuses, two groups
        // of the list totals).
        skrivere.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(Ordering::SeqCst) {
                let kladde = sager::opret(&app_db, &nordlys(), ny_sag(), Utc::now()).await.expect("opret");
                oprettet.fetch_add(1, Ordering::SeqCst);
                if !(i + nr).is_multiple_of(3) {
                    sager::udfoer(&app_db, kladde.id, &nordlys(), indsend(kbh, i.is_multiple_of(2)), Utc::now())
                        .await
                        .expect("indsend");
                }
                i += 1;
            }
        }));
    }

    // The backup in the middle of the writes.
    vent_til(&oprettet, 24).await;
    let mappe = std::env::temp_dir().join(format!("vitas-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&mappe).expect("mappen");
    let fil = mappe.join("vitas.backup");
    let kilde = config(&app.database_url, &app.data_dir);
    let kopi = sikkerhedskopi::tag(&kilde, &fil).await.expect("vitas backup under skrivninger");
    assert!(kopi.bytes > 0 && kopi.migrationer > 0, "{kopi:?}");
    let efter_backup = oprettet.load(Ordering::SeqCst);
    // The writes go on after the copy, so the source ends with cases the copy cannot have.
    vent_til(&oprettet, efter_backup + 12).await;
    stop.store(true, Ordering::SeqCst);
    for s in skrivere {
        s.await.expect("en skriver gik ned");
    }
    let kilde_billede = billede(&app.db.conn).await;
    assert_eq!(problemer(&app.db.conn).await, Vec::<String>::new(), "kilden selv skal være hel");

    // A backup is never written over an existing file.
    assert!(matches!(sikkerhedskopi::tag(&kilde, &fil).await, Err(KopiFejl::FilFindes(_))));
    // The database in use is never overwritten, not even with --erstat.
    let svar = sikkerhedskopi::gendan(&kilde, &fil, true).await;
    assert!(matches!(svar, Err(KopiFejl::IBrug(_))), "gendan i en database i brug: {svar:?}");

    // Restore into a fresh database.
    let (tom, url) = Tom::ny(&app).await;
    let maal = config(&url, &mappe);
    let gendannet = sikkerhedskopi::gendan(&maal, &fil, false).await.expect("vitas restore i en tom database");
    assert_eq!(gendannet.migrationer, kopi.migrationer);
    let db = Db::connect(&url).await.expect("den gendannede database");
    let g = billede(&db.conn).await;
    assert_eq!(problemer(&db.conn).await, Vec::<String>::new(), "den gendannede database skal være hel");
    assert!(!g.is_empty(), "kopien blev taget efter mindst 24 sager");
    assert!(
        g.len() < kilde_billede.len(),
        "kopien har {} sager, kilden {}: skrivningerne efter kopien mangler i den",
        g.len(),
        kilde_billede.len()
    );
    // Each restored case is the source's case at an earlier (or the same) point: its history
    // and its outbox rows are the first ones of the source's, with the same ids.
    for (id, b) in &g {
        let k = kilde_billede.get(id).unwrap_or_else(|| panic!("sag {id} er i kopien, men ikke i kilden"));
        assert!(k.haendelser.starts_with(&b.haendelser), "sag {id}: historik {b:?} mod kildens {k:?}");
        assert!(k.notifikationer.starts_with(&b.notifikationer), "sag {id}: notifikationer {b:?} mod {k:?}");
        assert!(k.emails.starts_with(&b.emails), "sag {id}: e-mails {b:?} mod {k:?}");
    }
    let tilstande = g.values().filter(|b| b.ansoegning_status.as_deref() != Some("kladde")).count();
    assert!(tilstande > 0, "kopien har indsendte sager");

    // The check bites: one notification gone from the copy is found.
    let (&id, _) = g.iter().find(|(_, b)| !b.notifikationer.is_empty()).expect("en indsendt sag");
    let (noegle, _) = g[&id].notifikationer[0];
    outbox::Entity::delete_by_id(noegle).exec(&db.conn).await.expect("slet en outbox-række");
    let fundet = problemer(&db.conn).await;
    assert!(fundet.iter().any(|p| p.starts_with(&format!("sag {id} "))), "den manglende notifikation: {fundet:?}");
    db.conn.close().await.expect("luk");

    // A database that is not empty is overwritten only with --erstat, and then whole again.
    let svar = sikkerhedskopi::gendan(&maal, &fil, false).await;
    assert!(matches!(svar, Err(KopiFejl::IkkeTom(_))), "gendan i en database, der ikke er tom: {svar:?}");
    sikkerhedskopi::gendan(&maal, &fil, true).await.expect("vitas restore --erstat");
    let db = Db::connect(&url).await.expect("den gendannede database");
    assert_eq!(problemer(&db.conn).await, Vec::<String>::new(), "efter --erstat er kopien hel igen");
    assert_eq!(billede(&db.conn).await, g);
    db.conn.close().await.expect("luk");

    // A file that is not a VITAS backup is refused before anything is touched.
    let fremmed = mappe.join("fremmed.backup");
    std::fs::write(&fremmed, b"ikke en database").expect("skriv");
    let svar = sikkerhedskopi::gendan(&maal, &fremmed, true).await;
    assert!(matches!(svar, Err(KopiFejl::IkkeVitas(..))), "en fremmed fil: {svar:?}");
    let svar = sikkerhedskopi::gendan(&maal, &mappe.join("findes-ikke"), true).await;
    assert!(matches!(svar, Err(KopiFejl::FilFindesIkke(_))), "{svar:?}");

    tom.fjern().await;
    let _ = std::fs::remove_dir_all(&mappe);
}

paa_begge_databaser!(backup_under_skrivninger);
