//! The application answers, and the seeded demo world is what the issue asks for (issue 2 §5).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Utc};
use domain::policy::Rolle;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use storage::entity::{aa_aftale, anden_aktoer, bruger, dfdg_borger, eindkomst, jobcenter, p_enhed, team, virksomhed};

use crate::helpers::{ID_START, TestApp};

async fn healthz(app: TestApp) {
    assert_eq!(app.address, format!("http://127.0.0.1:{}", app.port));
    let svar = app.get("/healthz").await;
    assert_eq!(svar.status(), StatusCode::OK);
    assert_eq!(svar.text().await.expect("tekst").trim(), "ok");
}

async fn demo_verden(app: TestApp) {
    let c = &app.db.conn;
    let jobcentre = jobcenter::Entity::find().all(c).await.expect("jobcentre");
    assert_eq!(jobcentre.len(), 98, "alle 98 kommuners jobcentre");
    let teams = team::Entity::find().all(c).await.expect("teams");
    let brugere = bruger::Entity::find().all(c).await.expect("brugere");

    // At least three staffed jobcentres: teams, caseworkers and exactly one administrator.
    let mut bemandede = 0;
    for jc in &jobcentre {
        let jc_teams: BTreeSet<i64> = teams.iter().filter(|t| t.jobcenter_id == jc.id).map(|t| t.id).collect();
        let ansatte: Vec<&bruger::Model> = brugere.iter().filter(|b| b.jobcenter_id == Some(jc.id)).collect();
        for b in &ansatte {
            if let Some(t) = b.team_id {
                assert!(jc_teams.contains(&t), "{} er på et team fra et andet jobcenter", b.email);
            }
        }
        let antal = |r: Rolle| ansatte.iter().filter(|b| b.rolle == r.kode()).count();
        if !jc_teams.is_empty() {
            assert!(antal(Rolle::Sagsbehandler) >= 1, "{} har teams men ingen sagsbehandlere", jc.navn);
            assert_eq!(antal(Rolle::Administrator), 1, "{} skal have én administrator", jc.navn);
            bemandede += 1;
        }
    }
    assert!(bemandede >= 3, "mindst tre bemandede jobcentre, fandt {bemandede}");
    let kbh = jobcentre.iter().find(|j| j.kommunekode == "0101").expect("Jobcenter København");
    let karen = brugere.iter().find(|b| b.email == "karen.holm@jobcenter-koebenhavn.dk").expect("Karen Holm");
    assert_eq!((karen.rolle.as_str(), karen.jobcenter_id), (Rolle::Sagsbehandler.kode(), Some(kbh.id)));

    // Companies: valid CVR, P-units, a company user each; the one-person company and the
    // company in labour conflict.
    let virksomheder = virksomhed::Entity::find().all(c).await.expect("virksomheder");
    assert!(virksomheder.len() >= 5, "mindst fem virksomheder");
    let p = p_enhed::Entity::find().all(c).await.expect("p-enheder");
    let mut p_pr_cvr: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &p {
        assert!(domain::ident::PNummer::parse(&e.pnummer, "p").is_ok(), "ugyldigt P-nummer {}", e.pnummer);
        *p_pr_cvr.entry(e.cvr.as_str()).or_default() += 1;
    }
    for v in &virksomheder {
        assert!(domain::ident::Cvr::parse(&v.cvr, "cvr").is_ok(), "ugyldigt CVR {}", v.cvr);
        assert!(p_pr_cvr.get(v.cvr.as_str()).copied().unwrap_or(0) >= 2, "{} har ikke flere P-enheder", v.navn);
        assert!(
            brugere.iter().any(|b| b.rolle == Rolle::Virksomhed.kode() && b.cvr.as_deref() == Some(v.cvr.as_str())),
            "{} har ingen virksomhedsbruger",
            v.navn
        );
    }
    assert!(p_pr_cvr.values().filter(|n| **n >= 2).count() >= 3, "flere virksomheder med flere P-enheder");
    let fynsk = virksomheder.iter().find(|v| v.navn == "Fynsk Byg A/S").expect("Fynsk Byg A/S");
    assert!(fynsk.konfliktramt, "Fynsk Byg A/S er konfliktramt");
    assert_eq!(virksomheder.iter().filter(|v| v.konfliktramt).count(), 1, "kun én konfliktramt virksomhed");

    // Ten citizens in the DFDG stand-in, each living where a staffed jobcentre can receive
    // the application.
    let borgere = dfdg_borger::Entity::find().all(c).await.expect("borgere");
    assert_eq!(borgere.len(), 10);
    for b in &borgere {
        assert!(domain::ident::Cpr::parse(&b.cpr, "cpr").is_ok(), "ugyldigt CPR i demo-data");
        let jc = jobcentre.iter().find(|j| j.kommunekode == b.kommunekode).expect("borgerens kommune findes");
        assert!(
            teams.iter().any(|t| t.jobcenter_id == jc.id),
            "{} bor i en kommune uden bemandet jobcenter",
            b.fornavn
        );
    }
    let anna = borgere.iter().find(|b| b.cpr == "0101901234").expect("borgeren 0101901234");
    assert_eq!(anna.kommunekode, "0101");

    // Twelve eIndkomst months per company: the twelve months before this one.
    let idag = Utc::now().date_naive();
    let forventet: BTreeSet<String> = (1..=12)
        .map(|k| {
            let m = idag.year() * 12 + idag.month0() as i32 - k;
            format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
        })
        .collect();
    for v in &virksomheder {
        let rk = eindkomst::Entity::find()
            .filter(eindkomst::Column::Cvr.eq(v.cvr.as_str()))
            .all(c)
            .await
            .expect("eindkomst");
        assert_eq!(rk.len(), 12, "{}: 12 måneder eIndkomst", v.navn);
        let maaneder: BTreeSet<String> = rk.iter().map(|r| r.maaned.clone()).collect();
        assert_eq!(maaneder, forventet, "{}: de 12 måneder før denne", v.navn);
        assert!(rk.iter().all(|r| r.fuldtid_hundrededele > 0));
    }

    // One Anden Aktør with an agreement and a user.
    let aa = anden_aktoer::Entity::find().all(c).await.expect("anden aktør");
    assert_eq!(aa.len(), 1);
    assert!(
        aa_aftale::Entity::find()
            .filter(aa_aftale::Column::AndenAktoerId.eq(aa[0].id))
            .count(c)
            .await
            .expect("aftaler")
            >= 1
    );
    assert!(brugere.iter().any(|b| b.rolle == Rolle::AndenAktoer.kode() && b.anden_aktoer_id == Some(aa[0].id)));

    // Seeding again changes nothing.
    assert!(!server::seed_demo_if_empty(&app.db).await.expect("seed igen"));
    assert_eq!(bruger::Entity::find().count(c).await.expect("antal"), brugere.len() as u64);
}

/// The test databases really start each table's ids at its own offset (helpers::ID_START),
/// on both backends; on SQLite that needs AUTOINCREMENT tables.
async fn id_sekvenser_er_forskudt(app: TestApp) {
    if app.db.backend() == sea_orm::DbBackend::Sqlite {
        for (tabel, _) in ID_START {
            let r = app
                .db
                .conn
                .query_one_raw(Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    format!("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{tabel}'"),
                ))
                .await
                .expect("sqlite_master")
                .unwrap_or_else(|| panic!("tabellen {tabel} findes ikke"));
            let sql: String = r.try_get("", "sql").expect("sql");
            assert!(sql.to_uppercase().contains("AUTOINCREMENT"), "{tabel} er ikke AUTOINCREMENT: {sql}");
        }
    }
    let start = |t: &str| ID_START.iter().find(|(n, _)| *n == t).map(|(_, s)| *s).expect("tabel");
    let c = &app.db.conn;
    let min_id = |ids: Vec<i64>| ids.into_iter().min().expect("mindst én række");
    assert_eq!(
        min_id(jobcenter::Entity::find().all(c).await.expect("jc").iter().map(|r| r.id).collect()),
        start("jobcenter")
    );
    assert_eq!(min_id(team::Entity::find().all(c).await.expect("team").iter().map(|r| r.id).collect()), start("team"));
    assert_eq!(
        min_id(bruger::Entity::find().all(c).await.expect("bruger").iter().map(|r| r.id).collect()),
        start("bruger")
    );
    assert_eq!(
        min_id(eindkomst::Entity::find().all(c).await.expect("eindkomst").iter().map(|r| r.id).collect()),
        start("eindkomst")
    );
    let sag = crate::atomar::ny_kladde(&app).await;
    assert_eq!(sag.id, start("sag"));
    let haendelser = storage::sager::historik(&app.db, sag.id).await.expect("historik");
    assert_eq!(haendelser.first().map(|h| h.id), Some(start("sagshaendelse")));
    let kbh = crate::atomar::jobcenter_id(&app, "0101").await;
    let aendring = crate::atomar::indsend(kbh, true);
    storage::sager::udfoer(&app.db, sag.id, &crate::atomar::nordlys(), aendring, Utc::now()).await.expect("indsend");
    let outbox = storage::sager::outbox_for_sag(&app.db, sag.id).await.expect("outbox");
    assert_eq!(outbox.first().map(|o| o.id), Some(start("outbox")));
}

/// Issue 2 §5: with demo mode off, the demo login route is absent.
async fn demo_login_findes_kun_i_demo_tilstand(app: TestApp) {
    // The demo app answers; a second app on the same database with demo off does not.
    assert_eq!(app.get("/demo-login").await.status(), 200);
    let config = server::Config { data_dir: std::env::temp_dir(), ..app.anden_config(false) };
    let uden = server::Application::with_db(config, app.db.clone()).await.expect("app uden demo");
    let adresse = format!("http://127.0.0.1:{}", uden.port);
    tokio::spawn(async move {
        let _ = uden.run().await;
    });
    let klient = crate::helpers::ny_klient();
    let id = app.bruger_id("lone@nordlys.dk").await;
    let svar = klient.get(format!("{adresse}/demo-login")).send().await.expect("GET /demo-login");
    assert_eq!(svar.status(), 404);
    let svar = klient.post(format!("{adresse}/demo-login/{id}")).send().await.expect("POST /demo-login/id");
    assert_eq!(svar.status(), 404, "login med ét klik må ikke findes uden demo");
    assert!(svar.headers().get("set-cookie").is_none());
    let forside = klient.get(format!("{adresse}/")).send().await.expect("GET /").text().await.expect("tekst");
    assert!(!forside.contains("/demo-login"), "forsiden linker ikke til demo-login uden demo");
}

/// Issue 13 §4: the demo server's cases: every built company scheme in every state its life
/// cycle reaches, each readable as its own scheme's form, and the counts agree with the cases.
async fn demosager_har_hver_ordning_i_hver_tilstand(app: TestApp) {
    let antal = storage::demo_sager::seed(&app.db, Utc::now()).await.expect("demosager");
    let ordninger = storage::demo_sager::ordninger();
    let i_alt: usize = ordninger.iter().map(|o| storage::demo_sager::Trin::for_ordning(*o).len()).sum();
    assert_eq!(antal, i_alt as u64);
    let sager = storage::entity::sag::Entity::find().all(&app.db.conn).await.expect("sager");
    for o in ordninger {
        let egne: Vec<_> = sager.iter().filter(|s| s.ordning == o.kode()).collect();
        let tilstande: BTreeSet<(Option<String>, Option<String>, Option<String>)> = egne
            .iter()
            .map(|s| (s.ansoegning_status.clone(), s.afgoerelse_status.clone(), s.forlaengelse_status.clone()))
            .collect();
        assert_eq!(tilstande.len(), storage::demo_sager::Trin::for_ordning(o).len(), "{o:?}: {tilstande:?}");
        for status in ["kladde", "modtaget", "afvist"] {
            assert!(egne.iter().any(|s| s.ansoegning_status.as_deref() == Some(status)), "{o:?} mangler {status}");
        }
        for status in ["afventer_virksomhed", "godkendt_af_virksomhed", "ikke_godkendt", "ophoert"] {
            assert!(egne.iter().any(|s| s.afgoerelse_status.as_deref() == Some(status)), "{o:?} mangler {status}");
        }
        for s in egne {
            let skema = storage::sager::skemadata(&app.db.conn, s).await.expect("læselig").expect("bygget");
            assert_eq!(skema.ordning(), o);
        }
    }
    let afvigelser = storage::taelling::afvigelser(&app.db.conn).await.expect("tællingerne");
    assert!(afvigelser.is_empty(), "tællingerne afviger fra sagerne:\n{}", afvigelser.join("\n"));

    // Issue 13 §2: the demo citizen who logs in with one click finds an agreement waiting for
    // her signature and one she signed, on her own front page, and no draft of it.
    let anna = crate::html::Person::ny(&app, crate::flow::BORGER_MITID).await;
    let forside = anna.hent_ok("/").await;
    let tekst = forside.al_tekst();
    assert!(tekst.contains("Dine aftaler"), "{tekst}");
    assert!(tekst.contains("Sendt til borgeren"), "en aftale venter på underskrift: {tekst}");
    assert!(tekst.contains("Godkendt af virksomhed"), "en underskrevet aftale: {tekst}");
    assert!(!tekst.contains("Kladde"), "virksomhedens kladde er ikke borgerens: {tekst}");
    let venter = sager
        .iter()
        .find(|s| s.ansoegning_status.as_deref() == Some("sendt_til_borger"))
        .expect("en aftale hos borgeren");
    let side = anna.hent_ok(&format!("/sager/{}", venter.id)).await;
    assert!(side.har_id("underskriv-aftale") && side.har_id("afvis-aftale"), "borgeren kan tage stilling");
}

paa_begge_databaser!(
    healthz,
    demo_verden,
    id_sekvenser_er_forskudt,
    demo_login_findes_kun_i_demo_tilstand,
    demosager_har_hver_ordning_i_hver_tilstand
);
