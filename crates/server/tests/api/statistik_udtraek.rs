//! Issue 12 §3: the pseudonymised extract for STAR's statistical data warehouse, through the
//! CLI's library function (`server::statistik::udtraek`) and through the API, read back with a
//! CSV parser and compared with the database: which rows the period holds (computed here in
//! Rust from whole tables, not with the extract's own SQL), every pseudonym against HMAC of the
//! case's CPR with the test key, and no CPR and no name anywhere in any file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};

use domain::ident::{Cpr, hmac_hex};
use domain::statistik_udtraek::{Noegle, Periode, Tabel};
use storage::entity::{bruger, dfdg_borger, sag, sag_person, sagselement, sagshaendelse};

use crate::helpers::TestApp;

paa_begge_databaser!(udtraekket_svarer_til_databasen, api_afviser_uden_scope_noegle_eller_gyldig_periode);

/// The test's key: 32 bytes as hex.
const NOEGLE: &str = "5ca1ab1e0123456789abcdef5ca1ab1e0123456789abcdef5ca1ab1e01234567";

fn noegle() -> Noegle {
    Noegle::fra_tekst(NOEGLE).expect("testnøglen")
}

/// Long before the period.
fn dengang() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 6, 1, 10, 0, 0).single().expect("tid")
}

/// The demo world's cases (every built scheme in every state, with citizens), and six of them
/// moved so the period's edges matter: three wholly in 2020 (out), one created in 2020 with a
/// change in the period (in), one created in 2020 with a change at the period's first instant
/// (in), and one created in 2020 with its changes at the first instant after the period (out).
async fn verden(app: &TestApp) -> Periode {
    let antal = storage::demo_sager::seed(&app.db, Utc::now()).await.expect("demosager");
    assert!(antal > 20, "kun {antal} demosager");
    let idag = domain::periode::dansk_tid(Utc::now()).date();
    let p = Periode::parse(&(idag - Duration::days(10)).to_string(), &(idag + Duration::days(30)).to_string())
        .expect("periode");
    let sager = sag::Entity::find().order_by_asc(sag::Column::Id).all(&app.db.conn).await.expect("sager");
    let haendelser = sagshaendelse::Entity::find().all(&app.db.conn).await.expect("hændelser");
    let mut flyttet = 0;
    for s in sager.iter().filter(|s| haendelser.iter().filter(|h| h.sag_id == s.id).count() >= 2).take(6) {
        let mut a = s.clone().into_active_model();
        a.oprettet = Set(dengang());
        a.update(&app.db.conn).await.expect("sag flyttet");
        let mine: Vec<&sagshaendelse::Model> = haendelser.iter().filter(|h| h.sag_id == s.id).collect();
        for (i, h) in mine.iter().enumerate() {
            let tid = match (flyttet, i) {
                (3, 0) => Utc::now(),
                (4, 0) => p.start(),
                (5, _) => p.slut(),
                _ => dengang(),
            };
            let mut a = (*h).clone().into_active_model();
            a.tidspunkt = Set(tid);
            a.update(&app.db.conn).await.expect("hændelse flyttet");
        }
        flyttet += 1;
    }
    assert_eq!(flyttet, 6);
    p
}

/// What the period holds, computed from whole tables: the cases' uuids, the records' uuids,
/// the history rows' ids.
async fn forventet(app: &TestApp, p: &Periode) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let i = |t: DateTime<Utc>| t >= p.start() && t < p.slut();
    let sager = sag::Entity::find().all(&app.db.conn).await.expect("sager");
    let haendelser = sagshaendelse::Entity::find().all(&app.db.conn).await.expect("hændelser");
    let elementer = sagselement::Entity::find().all(&app.db.conn).await.expect("elementer");
    let skift: Vec<&sagshaendelse::Model> = haendelser.iter().filter(|h| i(h.tidspunkt)).collect();
    let med: BTreeSet<i64> =
        sager.iter().filter(|s| i(s.oprettet) || skift.iter().any(|h| h.sag_id == s.id)).map(|s| s.id).collect();
    (
        sager.iter().filter(|s| med.contains(&s.id)).map(|s| s.uuid.clone()).collect(),
        elementer.iter().filter(|e| med.contains(&e.sag_id)).map(|e| e.uuid.clone()).collect(),
        skift.iter().map(|h| h.id.to_string()).collect(),
    )
}

/// A CSV file as (header, rows), read with the `csv` crate (RFC 4180).
fn laes_csv(tekst: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(tekst.as_bytes());
    let hoved: Vec<String> = r.headers().expect("overskrift").iter().map(str::to_string).collect();
    let mut raekker = Vec::new();
    for post in r.records() {
        let post = post.expect("en gyldig CSV-række");
        assert_eq!(post.len(), hoved.len(), "rækken har overskriftens antal felter");
        raekker.push(hoved.iter().cloned().zip(post.iter().map(str::to_string)).collect());
    }
    (hoved, raekker)
}

/// Every CPR number (with and without the dash) and every name the database holds about a
/// person: the cases' citizens, the other citizens a form names, the registry's citizens,
/// the users, and the actors and free text of the history.
async fn forbudte(app: &TestApp) -> Vec<String> {
    let c = &app.db.conn;
    let mut cpr: Vec<String> =
        sag::Entity::find().all(c).await.expect("sager").into_iter().filter_map(|s| s.cpr).collect();
    cpr.extend(sag_person::Entity::find().all(c).await.expect("personer").into_iter().map(|p| p.cpr));
    let mut navne: Vec<String> =
        sag::Entity::find().all(c).await.expect("sager").into_iter().filter_map(|s| s.borger_navn).collect();
    for b in dfdg_borger::Entity::find().all(c).await.expect("borgere") {
        cpr.push(b.cpr);
        navne.push(format!("{} {}", b.fornavn, b.efternavn));
        navne.push(b.efternavn);
    }
    for b in bruger::Entity::find().all(c).await.expect("brugere") {
        navne.push(format!("{} {}", b.fornavn, b.efternavn));
    }
    for h in sagshaendelse::Entity::find().all(c).await.expect("hændelser") {
        if h.aktoer.contains(' ') {
            navne.push(h.aktoer);
        }
        if h.tekst.chars().count() >= 12 {
            navne.push(h.tekst);
        }
    }
    let mut ud: Vec<String> = cpr.iter().flat_map(|c| [c.clone(), format!("{}-{}", &c[..6], &c[6..])]).collect();
    assert!(ud.len() >= 10, "for få CPR-numre at lede efter: {}", ud.len());
    ud.extend(navne.into_iter().filter(|n| n.trim().chars().count() >= 4));
    ud.sort();
    ud.dedup();
    ud
}

async fn udtraekket_svarer_til_databasen(app: TestApp) {
    let p = verden(&app).await;
    let mappe = app.data_dir.join("statistik");
    let u = server::statistik::udtraek(&app.db, &p, &noegle(), &mappe, Utc::now()).await.expect("udtrækket");
    let (sager, elementer, skift) = forventet(&app, &p).await;
    assert!(sager.len() > 10 && elementer.len() > 10 && skift.len() > 10, "{sager:?}");

    let mut filer = BTreeMap::new();
    for t in Tabel::ALLE {
        let tekst = std::fs::read_to_string(mappe.join(t.fil())).expect("filen");
        let (hoved, raekker) = laes_csv(&tekst);
        let kolonner: Vec<&str> = t.kolonner().iter().map(|k| k.navn).collect();
        assert_eq!(hoved, kolonner, "{}", t.fil());
        let noegler: BTreeSet<String> = raekker.iter().map(|r| r[t.noegle()].clone()).collect();
        assert_eq!(noegler.len(), raekker.len(), "{}: en række pr. nøgle", t.fil());
        let rigtige = match t {
            Tabel::Sager => &sager,
            Tabel::Elementer => &elementer,
            Tabel::Statusskift => &skift,
        };
        assert_eq!(&noegler, rigtige, "{}: periodens rækker", t.fil());
        let meldt = u.filer.iter().find(|f| f.navn == t.fil()).expect("filen er meldt");
        assert_eq!(meldt.raekker, raekker.len() as u64, "{}: antallet, der blev skrevet ud", t.fil());
        filer.insert(t, (tekst, raekker));
    }

    // The pseudonym is HMAC-SHA256 of the case's CPR with the key; birth year and gender
    // from the same number; empty for a case without a citizen.
    let cpr_af: BTreeMap<String, Option<String>> =
        sag::Entity::find().all(&app.db.conn).await.expect("sager").into_iter().map(|s| (s.uuid, s.cpr)).collect();
    let mut personer = BTreeSet::new();
    for r in &filer[&Tabel::Sager].1 {
        match cpr_af[&r["sag_uuid"]].as_deref().and_then(|c| Cpr::parse(c, "cpr").ok()) {
            Some(cpr) => {
                let forventet = hmac_hex(&hex_bytes(NOEGLE), cpr.as_str().as_bytes());
                assert_eq!(r["borger_pseudonym"], forventet, "sag {}", r["sag_uuid"]);
                assert_eq!(r["borger_foedselsaar"], cpr.foedselsdato().year().to_string());
                let sidste = cpr.as_str().as_bytes()[9] - b'0';
                assert_eq!(r["borger_koen"], if sidste % 2 == 1 { "mand" } else { "kvinde" });
                personer.insert(forventet);
            }
            None => {
                assert_eq!(r["borger_pseudonym"], "", "sag {} har ingen borger", r["sag_uuid"]);
                assert_eq!(r["borger_foedselsaar"], "");
            }
        }
    }
    assert!(personer.len() >= 3, "udtrækket skal have flere borgere: {}", personer.len());
    // A termination's coded fields are kept (its reason id), its text is not.
    let ophoer: Vec<_> = filer[&Tabel::Elementer].1.iter().filter(|r| r["art"] == "ophoer").collect();
    assert!(ophoer.iter().any(|r| !r["ophoer_aarsag_id"].is_empty()), "ingen ophørsårsag i elementer.csv");

    // No CPR and no name in any file.
    let pakke = std::fs::read_to_string(mappe.join(server::statistik::DATAPAKKE)).expect("datapackage.json");
    let json: serde_json::Value = serde_json::from_str(&pakke).expect("datapackage.json er JSON");
    assert_eq!(json["vitas:format"], domain::statistik_udtraek::FORMAT);
    let alt: Vec<&str> = filer.values().map(|(t, _)| t.as_str()).chain(std::iter::once(pakke.as_str())).collect();
    for f in forbudte(&app).await {
        for tekst in &alt {
            assert!(!tekst.contains(&f), "udtrækket indeholder en CPR eller et navn ({} tegn)", f.len());
        }
    }

    // Pages of two rows give the same file as pages of a thousand (the keyset cursor).
    let mut l = storage::statistik_udtraek::Laeser::ny(&app.db, Tabel::Sager, &p, noegle()).med_side(2);
    let mut smaat = String::new();
    while let Some(s) = l.naeste().await.expect("side") {
        smaat.push_str(&s.tekst);
    }
    assert_eq!(smaat, filer[&Tabel::Sager].0);

    // A second run into the same folder refuses, and leaves the first extract as it was.
    let igen = server::statistik::udtraek(&app.db, &p, &noegle(), &mappe, Utc::now()).await;
    assert!(igen.is_err(), "et udtræk må ikke overskrive et andet");
    assert_eq!(std::fs::read_to_string(mappe.join("sager.csv")).expect("sager.csv"), filer[&Tabel::Sager].0);

    // The API streams the same bytes to STAR's client.
    let (adresse, token) = server_med_noegle(&app).await;
    let fra_til = format!("fra={}&til={}", p.fra, p.til);
    for t in Tabel::ALLE {
        let svar = app
            .client
            .get(format!("{adresse}/api/v1/statistik/udtraek/{}?{fra_til}", t.navn()))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET udtræk");
        assert_eq!(svar.status(), StatusCode::OK, "{}", t.navn());
        let type_ = svar.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(type_.starts_with("text/csv"), "{type_}");
        assert_eq!(svar.text().await.expect("krop"), filer[&t].0, "API'et og CLI'et giver det samme ({})", t.navn());
    }
    let svar = app
        .client
        .get(format!("{adresse}/api/v1/statistik/udtraek/datapackage.json?{fra_til}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET datapackage.json");
    assert_eq!(svar.status(), StatusCode::OK);
    let d: serde_json::Value = svar.json().await.expect("JSON");
    assert_eq!(d["resources"], json["resources"], "samme skema fra API'et som i filen");
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")).collect()
}

/// A second server on the test's database with the statistics key set as an operator sets
/// it (`Drift::statistik_noegle`), and a token of a client with the scope `statistik`.
async fn server_med_noegle(app: &TestApp) -> (String, String) {
    let config = server::Config {
        drift: server::Drift { statistik_noegle: Some(NOEGLE.into()), ..server::Drift::default() },
        ..app.anden_config(false)
    };
    let a = server::Application::with_db(config.clone(), app.db.clone())
        .await
        .expect("app")
        .med_state(|s| config.med_graenser(s));
    let adresse = format!("http://127.0.0.1:{}", a.port);
    tokio::spawn(async move {
        let _ = a.run().await;
    });
    (adresse, statistik_token(app).await)
}

async fn statistik_token(app: &TestApp) -> String {
    let (k, hemmelighed) =
        storage::api::opret_klient_for(&app.db, "STAR", &[], true, None, Utc::now()).await.expect("STARs klient");
    assert_eq!(k.scopes, vec![storage::api::STATISTIK_SCOPE.to_string()]);
    app.api_token(&k.klient_id, &hemmelighed).await
}

async fn fejl(svar: reqwest::Response) -> (StatusCode, String, String) {
    let status = svar.status();
    let type_ = svar.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let tekst = svar.text().await.expect("krop");
    assert!(type_.starts_with("application/json"), "{status}: {type_}: {tekst}");
    assert!(!tekst.contains("sag_uuid"), "intet må streames ved en fejl: {tekst}");
    let v: serde_json::Value = serde_json::from_str(&tekst).expect("API'ets fejl-JSON");
    (status, v["fejlkode"].as_str().unwrap_or("").to_string(), v["besked"].as_str().unwrap_or("").to_string())
}

async fn api_afviser_uden_scope_noegle_eller_gyldig_periode(app: TestApp) {
    let sti = |tabel: &str, q: &str| format!("/api/v1/statistik/udtraek/{tabel}?{q}");
    let gyldig = "fra=2026-01-01&til=2026-12-31";

    // The test server has no key: a Danish 503 in the API's form; the schema needs no key.
    let star = statistik_token(&app).await;
    let (status, kode, besked) = fejl(app.api_get(&star, &sti("sager", gyldig)).await).await;
    assert_eq!((status, kode.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "statistik_utilgaengelig"), "{besked}");
    assert!(besked.contains("statistiknøgle"), "{besked}");
    assert_eq!(app.api_get(&star, &sti("datapackage.json", gyldig)).await.status(), StatusCode::OK);

    // A jobcentre's client has no scope `statistik`: 403 with the scope it lacks.
    let (k, h) =
        storage::api::opret_klient(&app.db, "Fagsystem", &["0101".into()], None, Utc::now()).await.expect("klient");
    let jobcenter = app.api_token(&k.klient_id, &h).await;
    for tabel in ["sager", "elementer", "statusskift", "datapackage.json"] {
        let svar = app.api_get(&jobcenter, &sti(tabel, gyldig)).await;
        let udfordring = svar.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(udfordring.contains("insufficient_scope") && udfordring.contains("statistik"), "{udfordring}");
        let (status, kode, _) = fejl(svar).await;
        assert_eq!((status, kode.as_str()), (StatusCode::FORBIDDEN, "mangler_scope"), "{tabel}");
    }
    // No token at all: 401.
    let svar = app.client.get(app.url(&sti("sager", gyldig))).send().await.expect("GET");
    assert_eq!(svar.status(), StatusCode::UNAUTHORIZED);

    // With a key: hostile or impossible dates are a 400, and nothing is streamed.
    let (adresse, star) = server_med_noegle(&app).await;
    let lang = "9".repeat(2000);
    for q in [
        "",
        "fra=2026-01-01",
        "til=2026-12-31",
        "fra=abc&til=2026-12-31",
        "fra=2026-13-01&til=2026-12-31",
        "fra=2026-02-30&til=2026-12-31",
        "fra=2026-12-31&til=2026-01-01",
        "fra=0000-01-01&til=2026-12-31",
        "fra=2026-01-01&til=99999-12-31",
        "fra=2026-01-01%27%3B%20DROP%20TABLE%20sag%3B--&til=2026-12-31",
        "fra=2026-01-01%00&til=2026-12-31",
        "fra[]=1&til=2",
        &format!("fra={lang}&til=2026-12-31"),
    ] {
        for tabel in ["sager", "statusskift", "datapackage.json"] {
            let svar =
                app.client.get(format!("{adresse}{}", sti(tabel, q))).bearer_auth(&star).send().await.expect("GET");
            let (status, kode, besked) = fejl(svar).await;
            // A control character is stopped at the edge already (`graensevagt`, `ugyldige_tegn`).
            let forventet = if q.contains("%00") { "ugyldige_tegn" } else { "ugyldig_periode" };
            assert_eq!((status, kode.as_str()), (StatusCode::BAD_REQUEST, forventet), "{tabel}?{q}: {besked}");
        }
    }
    // An unknown table: 404.
    let svar =
        app.client.get(format!("{adresse}{}", sti("borgere", gyldig))).bearer_auth(&star).send().await.expect("GET");
    let (status, kode, _) = fejl(svar).await;
    assert_eq!((status, kode.as_str()), (StatusCode::NOT_FOUND, "ukendt_tabel"));

    // The CLI without a key refuses in Danish, naming the variable; a wrong key is refused,
    // and a server given a wrong key does not start.
    let uden = server::statistik::noegle(&app.anden_config(false), None).expect_err("ingen nøgle");
    assert!(uden.to_string().contains("VITAS_STATISTIK_NOEGLE"), "{uden}");
    std::fs::create_dir_all(&app.data_dir).expect("datamappen");
    let fil = app.data_dir.join("kort.noegle");
    std::fs::write(&fil, "abcd").expect("nøglefil");
    assert!(server::statistik::noegle(&app.anden_config(false), Some(&fil)).is_err(), "en for kort nøgle");
    std::fs::write(&fil, NOEGLE).expect("nøglefil");
    assert!(server::statistik::noegle(&app.anden_config(false), Some(&fil)).is_ok());
    let forkert = server::Config {
        drift: server::Drift { statistik_noegle: Some("for-kort".into()), ..server::Drift::default() },
        ..app.anden_config(false)
    };
    let start = server::Application::with_db(forkert, app.db.clone()).await;
    assert!(start.is_err(), "en server med en ugyldig statistiknøgle må ikke starte");
}
