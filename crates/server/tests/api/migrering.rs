//! Issue 11 §3: "Migrations are safe to run while the previous version serves … check it in a
//! test that runs the previous release's test data through the new migration" (decision 114;
//! the rule is in ARCHITECTURE.md, "Migrations while the previous release serves").
//!
//! `forrige_release.sql` is the previous release's demo database (its `vitas seed-demo`: the
//! demo world and a case of every built scheme in every state) as portable INSERTs, written by
//! [`skriv_forrige_release_fixtur`] from that release's SQLite file. Its header names the last
//! migration that release ran. The test migrates a fresh database up to exactly that
//! migration, loads the rows, runs the migrations this release adds, and then reads every case
//! through today's code: the storage layer (form, history, totals) and the pages over HTTP
//! (the front page and the lists as every demo user, and each case page). ARCHITECTURE.md says
//! how to refresh the fixture at a release.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, Statement, TransactionTrait};
use sea_orm_migration::MigratorTrait;
use server::{Application, Config};
use storage::Db;
use storage::entity::{bruger, sag, sag_person};
use storage::migration::Migrator;

use crate::helpers::{TEST_NOEGLE, TestApp, csrf_token};
use crate::sikkerhedskopi::Tom;

/// The fixture, relative to this file.
const FIXTUR: &str = include_str!("forrige_release.sql");
/// Where [`skriv_forrige_release_fixtur`] writes it.
const FIXTUR_STI: &str = "tests/api/forrige_release.sql";

/// The fixture's header line that names the last migration of the release that wrote it.
const SIDSTE: &str = "-- sidste migrering: ";

/// The fixture's statements: comment lines dropped, a statement ends at a line ending in `;`
/// outside a string (an even number of quotes so far), so a text with a line break or a `;`
/// stays one statement.
fn saetninger(sql: &str) -> Vec<String> {
    let mut ud = Vec::new();
    let mut nu = String::new();
    for linje in sql.lines() {
        if nu.is_empty() && (linje.starts_with("--") || linje.trim().is_empty()) {
            continue;
        }
        if !nu.is_empty() {
            nu.push('\n');
        }
        nu.push_str(linje);
        if linje.ends_with(';') && nu.matches('\'').count().is_multiple_of(2) {
            ud.push(std::mem::take(&mut nu));
        }
    }
    assert!(nu.is_empty(), "fixturen slutter midt i en sætning: {nu}");
    ud
}

/// How many migrations the previous release had: the position of the fixture's last one.
fn forrige_release_antal() -> u32 {
    let sidste = FIXTUR
        .lines()
        .find_map(|l| l.strip_prefix(SIDSTE))
        .unwrap_or_else(|| panic!("fixturen mangler linjen «{SIDSTE}…»"))
        .trim();
    let navne: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
    let i = navne
        .iter()
        .position(|n| n == sidste)
        .unwrap_or_else(|| panic!("fixturens sidste migrering {sidste} findes ikke i denne udgaves historik"));
    u32::try_from(i + 1).expect("antal migreringer")
}

async fn forrige_release_gennem_nye_migreringer(app: TestApp) {
    let (tom, url) = Tom::ny(&app).await;
    let db = Db::connect(&url).await.expect("den tomme database");
    let c = &db.conn;
    let n = forrige_release_antal();
    let alle = u32::try_from(Migrator::migrations().len()).expect("antal");
    // The previous release's schema, exactly.
    Migrator::up(c, Some(n)).await.expect("migreringerne op til forrige udgave");
    let saetninger = saetninger(FIXTUR);
    let txn = c.begin().await.expect("transaktion");
    for s in &saetninger {
        txn.execute_unprepared(s).await.unwrap_or_else(|e| panic!("fixturens sætning fejlede: {e}\n{s}"));
    }
    txn.commit().await.expect("fixturen gemt");
    if db.backend() == DbBackend::Postgres {
        // Rows written with their ids leave PostgreSQL's sequences behind; a restore or a
        // replica would have them, and so must this copy.
        let tabeller = c
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND column_name = 'id' AND data_type IN ('bigint', 'integer')",
            ))
            .await
            .expect("tabellerne");
        for t in tabeller {
            let t: String = t.try_get("", "table_name").expect("navn");
            c.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM \"{t}\""
            ))
            .await
            .expect("sekvensen");
        }
    }
    let sager_i_fixturen = saetninger.iter().filter(|s| s.starts_with("INSERT INTO \"sag\" ")).count();
    assert!(sager_i_fixturen > 0, "fixturen har sager");

    // This release's migrations, over the previous release's data.
    Migrator::up(c, None).await.expect("de nye migreringer over forrige udgaves data");
    assert_eq!(Migrator::get_pending_migrations(c).await.expect("ventende").len(), 0);
    println!("{} migreringer kørt over forrige udgaves {sager_i_fixturen} sager", alle - n);

    // Today's storage code reads every case whole.
    let sager = sag::Entity::find().all(c).await.expect("sagerne");
    assert_eq!(sager.len(), sager_i_fixturen, "ingen sag tabt eller fordoblet");
    let mut flere_personer = BTreeSet::new();
    for s in &sager {
        let skema = storage::sager::skemadata(c, s).await.unwrap_or_else(|e| panic!("sag {}: formularen: {e:?}", s.id));
        let skema =
            skema.unwrap_or_else(|| panic!("sag {} ({}) har ingen formular efter migreringen", s.id, s.ordning));
        storage::sager::fakta(s).unwrap_or_else(|e| panic!("sag {}: {e:?}", s.id));
        if s.cpr.is_some() && s.persondata_fjernet.is_none() && !storage::sager::oevrige_personer(&skema).is_empty() {
            flere_personer.insert(s.id);
        }
        assert!(!storage::sager::historik(&db, s.id).await.expect("historik").is_empty(), "sag {} har historik", s.id);
    }
    // The citizens a form names besides the case's own are found by CPR (decision 106).
    let med_personer: BTreeSet<i64> =
        sag_person::Entity::find().all(c).await.expect("sag_person").into_iter().map(|p| p.sag_id).collect();
    assert_eq!(med_personer, flere_personer, "sag_person skal dække hver sag, hvis formular nævner flere borgere");
    assert_eq!(storage::taelling::afvigelser(c).await.expect("tællingerne"), Vec::<String>::new());

    // The pages, as the demo users of the previous release: the front page and each list for
    // every user, and every case page until a user opens it; nothing answers 500, and every
    // case opens for someone.
    let db = db.med_adgangslog_noegle(storage::adgangslog::Noegle::fra_tekst(TEST_NOEGLE).expect("nøglen"));
    let data_dir = std::env::temp_dir().join(format!("vitas-migrering-{}", uuid::Uuid::new_v4().simple()));
    let config = Config {
        database_url: None,
        data_dir: data_dir.clone(),
        addr: "127.0.0.1:0".parse().expect("adresse"),
        demo: true,
        base_url: None,
        api_graense_pr_minut: 0,
        adgangslog_noegle: None,
        drift: server::Drift::default(),
    };
    let server = Application::with_db(config, db.clone())
        .await
        .expect("applikationen")
        .med_state(|s| s.med_graenser(0, 0, 0).med_token_fejlgraense(0, 0));
    let adresse = format!("http://127.0.0.1:{}", server.port);
    let opgave = tokio::spawn(server.run());
    let mut aabnet: BTreeMap<i64, u32> = sager.iter().map(|s| (s.id, 0)).collect();
    let brugere = bruger::Entity::find().all(&db.conn).await.expect("brugerne");
    assert!(!brugere.is_empty(), "fixturen har demo-brugere");
    for b in &brugere {
        let klient = crate::helpers::ny_klient();
        let svar = klient.post(format!("{adresse}/demo-login/{}", b.id)).send().await.expect("demo-login");
        assert_eq!(svar.status(), StatusCode::SEE_OTHER, "demo-login som {}", b.email);
        let forside = klient.get(format!("{adresse}/")).send().await.expect("GET /");
        assert_eq!(forside.status(), StatusCode::OK, "forsiden for {}", b.email);
        assert!(csrf_token(&forside.text().await.expect("tekst")).is_some());
        for liste in storage::lister::Liste::ALLE {
            let sti = format!("/lister/{}", liste.kode());
            let svar = klient.get(format!("{adresse}{sti}")).send().await.expect("GET liste");
            assert!(svar.status() != StatusCode::INTERNAL_SERVER_ERROR, "{sti} for {} gav 500", b.email);
        }
        // Each case until someone opens it: a case page per user and case would be a
        // thousand pages, and the pages differ by role, not by user.
        let endnu_ikke: Vec<&sag::Model> = sager.iter().filter(|s| aabnet.get(&s.id) == Some(&0)).collect();
        for s in endnu_ikke {
            let svar = klient.get(format!("{adresse}/sager/{}", s.id)).send().await.expect("GET sag");
            assert!(
                svar.status() != StatusCode::INTERNAL_SERVER_ERROR,
                "sag {} ({} {:?}) gav 500 for {}",
                s.id,
                s.ordning,
                s.ansoegning_status,
                b.email
            );
            if svar.status() == StatusCode::OK {
                *aabnet.entry(s.id).or_default() += 1;
            }
        }
    }
    let aldrig: Vec<i64> = aabnet.iter().filter(|(_, n)| **n == 0).map(|(id, _)| *id).collect();
    assert_eq!(aldrig, Vec::<i64>::new(), "sager, som ingen demo-bruger kunne åbne");

    // And it takes new writes: a new draft gets an id past the loaded ones.
    let ny = storage::sager::opret(&db, &crate::atomar::nordlys(), crate::atomar::ny_sag(), chrono::Utc::now())
        .await
        .expect("en ny kladde efter migreringen");
    assert!(sager.iter().all(|s| s.id < ny.id));
    assert_eq!(sag::Entity::find().count(&db.conn).await.expect("antal"), sager.len() as u64 + 1);

    opgave.abort();
    db.conn.close().await.expect("luk");
    tom.fjern().await;
    let _ = std::fs::remove_dir_all(data_dir);
}

paa_begge_databaser!(forrige_release_gennem_nye_migreringer);

#[test]
fn fixturens_saetninger_deles_ved_semikolon_uden_for_tekst() {
    let sql = "-- hoved\nINSERT INTO \"t\" (\"a\") VALUES ('x;\ny');\n\nINSERT INTO \"t\" (\"a\") VALUES ('it''s');\n";
    assert_eq!(
        saetninger(sql),
        vec![
            "INSERT INTO \"t\" (\"a\") VALUES ('x;\ny');".to_string(),
            "INSERT INTO \"t\" (\"a\") VALUES ('it''s');".into()
        ]
    );
}

/// Write `forrige_release.sql` from a SQLite database of the release being cut (ARCHITECTURE.md,
/// "Migrations while the previous release serves"):
///
/// `VITAS_FIXTUR_FRA=/tmp/forrige/vitas.db VITAS_FIXTUR_KILDE="<commit>" cargo test -p server --test api -- --ignored skriv_forrige_release_fixtur`
///
/// Every table but the migration table, parents before children (by the foreign keys), rows in
/// insertion order, one INSERT each with the columns named. The values are SQLite's `quote()`
/// (numbers bare, text quoted), booleans as TRUE/FALSE, and generated columns left out (the
/// database computes them), so the same file loads on PostgreSQL.
#[tokio::test]
#[ignore = "skriver fixturen; køres ved en ny udgave (ARCHITECTURE.md)"]
async fn skriv_forrige_release_fixtur() {
    let fra = PathBuf::from(std::env::var("VITAS_FIXTUR_FRA").expect("VITAS_FIXTUR_FRA: forrige udgaves vitas.db"));
    let kilde = std::env::var("VITAS_FIXTUR_KILDE").unwrap_or_else(|_| "ukendt".into());
    let c = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", fra.display())).await.expect("databasen");
    let raekker = |sql: String| {
        let c = c.clone();
        async move { c.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.expect("forespørgslen") }
    };
    let migreringer: Vec<String> = raekker("SELECT version FROM seaql_migrations ORDER BY rowid".into())
        .await
        .iter()
        .map(|r| r.try_get("", "version").expect("version"))
        .collect();
    let sidste = migreringer.last().expect("databasen har migreringer").clone();
    let mut tabeller: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in raekker(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> 'seaql_migrations'"
            .into(),
    )
    .await
    {
        let navn: String = r.try_get("", "name").expect("navn");
        let mut foraeldre = BTreeSet::new();
        for f in raekker(format!("PRAGMA foreign_key_list(\"{navn}\")")).await {
            let t: String = f.try_get("", "table").expect("tabel");
            if t != navn {
                foraeldre.insert(t);
            }
        }
        tabeller.insert(navn, foraeldre);
    }
    // Parents first.
    let mut orden: Vec<String> = Vec::new();
    while orden.len() < tabeller.len() {
        let klar: Vec<String> = tabeller
            .iter()
            .filter(|(t, f)| !orden.contains(t) && f.iter().all(|p| orden.contains(p) || !tabeller.contains_key(p)))
            .map(|(t, _)| t.clone())
            .collect();
        assert!(!klar.is_empty(), "fremmednøglerne danner en ring: {tabeller:?}");
        orden.extend(klar);
    }
    let mut ud = format!(
        "-- VITAS: forrige udgaves demo-database som INSERT-sætninger (tests/api/migrering.rs).\n\
         -- Skrevet af skriv_forrige_release_fixtur fra {kilde}; genskab den som ARCHITECTURE.md siger.\n\
         -- migreringer: {}\n{SIDSTE}{sidste}\n",
        migreringer.len()
    );
    for t in &orden {
        let mut kolonner = Vec::new();
        for k in raekker(format!("PRAGMA table_xinfo(\"{t}\")")).await {
            let skjult: i64 = k.try_get("", "hidden").expect("hidden");
            if skjult != 0 {
                continue;
            }
            let navn: String = k.try_get("", "name").expect("name");
            let type_: String = k.try_get("", "type").expect("type");
            kolonner.push((navn, type_.to_lowercase().contains("bool")));
        }
        let navne = kolonner.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let vaerdier = kolonner
            .iter()
            .map(|(n, sand_falsk)| {
                if *sand_falsk {
                    format!("(CASE WHEN \"{n}\" IS NULL THEN 'NULL' WHEN \"{n}\" THEN 'TRUE' ELSE 'FALSE' END)")
                } else {
                    format!("quote(\"{n}\")")
                }
            })
            .collect::<Vec<_>>()
            .join(" || ', ' || ");
        let sql = format!(
            "SELECT 'INSERT INTO \"{t}\" ({}) VALUES (' || {vaerdier} || ');' AS s FROM \"{t}\" ORDER BY rowid",
            navne.replace('\'', "''")
        );
        for r in raekker(sql).await {
            let s: String = r.try_get("", "s").expect("sætningen");
            ud.push_str(&s);
            ud.push('\n');
        }
    }
    std::fs::write(FIXTUR_STI, ud).expect("fixturen skrevet");
    println!("{FIXTUR_STI}: {} tabeller, sidste migrering {sidste}", orden.len());
}
