//! Issue 14 §2: authorisation over HTTP. Every route of `router.rs` and every path of the
//! external API has an entry in [`RUTER`] / [`API`]; each is tried by every kind of user from
//! outside the tenant that owns the object (another company, another jobcentre's caseworker
//! and administrator, an Anden Aktør without the case, another citizen, someone not logged
//! in). They get 403 or 404 (or, not logged in, the login redirect), and nothing changes. A
//! route added to the router without an entry here fails the test.

use std::collections::BTreeSet;

use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::atomar::{antal, sag_raekke};
use crate::flow::{Datoer, JENS, KAREN, Maal, RASMUS, gyldige_felter, iso, sag_til};
use crate::helpers::TestApp;
use crate::html::Person;

/// What a route is, for this test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Art {
    /// Names an object (a case, an export job, a delivery) in its path or body: an outsider
    /// gets 403/404 and nothing changes.
    Objekt,
    /// No object; works on the user's own scope (lists, the front page, a new draft). An
    /// outsider gets an answer without the other tenant's cases.
    Egen,
    /// Open to anyone (static files, health, documentation, the hearing receipt).
    Aaben,
    /// A hearing link: the token is the capability; an unknown one is 404.
    Link,
    /// Demo mode only (tests/api/sikkerhed.rs covers who it admits).
    Demo,
}

/// Every route in `crates/web/src/router.rs`: (method, path, kind).
const RUTER: &[(&str, &str, Art)] = &[
    ("GET", "/", Art::Egen),
    ("GET", "/healthz", Art::Aaben),
    ("GET", "/privatliv", Art::Aaben),
    // The login services (decision 70): a login starts and ends there, nobody's data is shown.
    ("GET", "/log-ind/svar", Art::Aaben),
    ("GET", "/log-ind/{profil}", Art::Aaben),
    ("POST", "/log-ud", Art::Egen),
    ("POST", "/session/forny", Art::Egen),
    ("GET", "/sager", Art::Egen),
    ("POST", "/lister/saet-ansvarlig", Art::Objekt),
    ("GET", "/lister/{liste}", Art::Egen),
    ("POST", "/lister/{liste}", Art::Egen),
    ("GET", "/soeg", Art::Egen),
    ("POST", "/soeg", Art::Egen),
    ("GET", "/excel/{liste}", Art::Egen),
    ("POST", "/excel/{liste}", Art::Egen),
    ("GET", "/eksport/{uuid}", Art::Objekt),
    ("GET", "/eksport/{uuid}/status", Art::Objekt),
    ("GET", "/eksport/{uuid}/fil", Art::Objekt),
    ("POST", "/ansoegninger/ny", Art::Egen),
    ("GET", "/sager/{id}", Art::Objekt),
    ("GET", "/sager/{id}/trin/{n}", Art::Objekt),
    ("POST", "/sager/{id}/trin/{n}", Art::Objekt),
    ("POST", "/sager/{id}/indsend", Art::Objekt),
    // "Slet kladde": the company's own draft only (decision 90).
    ("GET", "/sager/{id}/slet", Art::Objekt),
    ("POST", "/sager/{id}/slet", Art::Objekt),
    ("POST", "/sager/{id}/handling/{slug}", Art::Objekt),
    ("GET", "/sager/{id}/afvis", Art::Objekt),
    ("POST", "/sager/{id}/afvis", Art::Objekt),
    ("GET", "/sager/{id}/forlaengelse", Art::Objekt),
    ("POST", "/sager/{id}/forlaengelse", Art::Objekt),
    ("GET", "/sager/{id}/ophoer", Art::Objekt),
    ("POST", "/sager/{id}/ophoer", Art::Objekt),
    ("POST", "/sager/{id}/flyt", Art::Objekt),
    ("GET", "/admin/leveringer", Art::Egen),
    ("POST", "/admin/leveringer/genoptag-alle", Art::Egen),
    ("GET", "/admin/indsigt", Art::Egen),
    // The statistics dashboard and its downloads (issue 12 §1): the user's own area.
    ("GET", "/admin/statistik", Art::Egen),
    ("GET", "/admin/statistik/{fil}", Art::Egen),
    ("POST", "/admin/indsigt", Art::Egen),
    ("POST", "/admin/indsigt/json", Art::Egen),
    ("POST", "/admin/indsigt/pdf", Art::Egen),
    ("POST", "/admin/leveringer/{id}/genoptag", Art::Objekt),
    ("POST", "/sager/{id}/gensend", Art::Objekt),
    ("GET", "/sager/{id}/pdf/{dokument}", Art::Objekt),
    ("GET", "/hoering/kvittering/{udfald}", Art::Aaben),
    ("GET", "/hoering/{token}", Art::Link),
    ("POST", "/hoering/{token}/godkend", Art::Link),
    ("POST", "/hoering/{token}/afvis", Art::Link),
    // The compiled-in static files (decision 108).
    ("GET", "/static/{*rest}", Art::Aaben),
    // Readiness (decision 110); metrics only with the operator's token (decision 109).
    ("GET", "/readyz", Art::Aaben),
    ("GET", "/metrics", Art::Aaben),
    ("GET", "/api/openapi.json", Art::Aaben),
    ("GET", "/api/docs", Art::Aaben),
    ("GET", "/api/docs/start.js", Art::Aaben),
    ("GET", "/demo-login", Art::Demo),
    ("POST", "/demo-login/{id}", Art::Demo),
    ("GET", "/demo/post", Art::Demo),
    ("GET", "/demo/post/{id}", Art::Demo),
];

/// What an API path is, for a jobcentre's client from outside the case's jobcentre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiArt {
    /// Names a case: 404 outside the client's jobcentres.
    Sag,
    /// The client's own scope (the feed): 200 without the other jobcentre's cases.
    Egen,
    /// Needs a scope a jobcentre's client does not hold (`statistik`): 403.
    Scope,
}

/// Every path of the external API (the OpenAPI document), and what it is.
const API: &[(&str, ApiArt)] = &[
    ("/api/oauth/token", ApiArt::Egen),
    ("/api/v1/notifikationer", ApiArt::Egen),
    ("/api/v1/sager/{eksterntId}/ansoegning", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/bevilling", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/forlaengelse", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/ophoer", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/aftale", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/mentor", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/hjaelpemiddel", ApiArt::Sag),
    ("/api/v1/sager/{eksterntId}/pdf/{dokument}", ApiArt::Sag),
    // Issue 12 §3: STAR's statistics extract, scope `statistik` only.
    ("/api/v1/statistik/udtraek/{tabel}", ApiArt::Scope),
    ("/api/v1/statistik/udtraek/datapackage.json", ApiArt::Scope),
];

/// (method, path) of every `.route("…", get(…).post(…))` in router.rs.
fn routerens_ruter() -> BTreeSet<(String, String)> {
    let kilde = include_str!("../../../web/src/router.rs");
    let mut ud = BTreeSet::new();
    for linje in kilde.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let sti = linje.trim_start_matches(".route(\"").split('"').next().unwrap_or_default().to_string();
        let resten = &linje[linje.find(',').unwrap_or(0)..];
        for (metode, kald) in [("GET", "get("), ("POST", "post(")] {
            if resten.contains(kald) {
                ud.insert((metode.to_string(), sti.clone()));
            }
        }
    }
    ud
}

#[test]
fn hver_rute_har_en_plads_i_tabellen() {
    let i_routeren = routerens_ruter();
    assert!(i_routeren.len() > 30, "router.rs blev ikke læst: {i_routeren:?}");
    let i_tabellen: BTreeSet<(String, String)> = RUTER.iter().map(|(m, s, _)| (m.to_string(), s.to_string())).collect();
    let mangler: Vec<_> = i_routeren.difference(&i_tabellen).collect();
    assert!(mangler.is_empty(), "ruter uden en plads i adgang::RUTER (skriv hvem der må hvad): {mangler:?}");
    let forsvundne: Vec<_> = i_tabellen.difference(&i_routeren).collect();
    assert!(forsvundne.is_empty(), "adgang::RUTER nævner ruter, der ikke findes: {forsvundne:?}");
    let dokument = web::router::openapi();
    let stier: BTreeSet<String> = dokument.paths.paths.keys().cloned().collect();
    let tabellen: BTreeSet<String> = API.iter().map(|(s, _)| s.to_string()).collect();
    assert_eq!(stier, tabellen, "adgang::API skal nævne hver sti i API'et");
}

/// Everything a refused request must leave as it was.
async fn fingeraftryk(app: &TestApp) -> (crate::atomar::Antal, Vec<i64>) {
    let c = &app.db.conn;
    let mut tal = Vec::new();
    for sql in [
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM sag",
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE status = 'doed'",
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM job",
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM session",
    ] {
        let r = c
            .query_one_raw(Statement::from_string(c.get_database_backend(), sql))
            .await
            .expect("forespørgsel")
            .expect("række");
        tal.push(r.try_get::<i64>("", "n").expect("n"));
    }
    (antal(app).await, tal)
}

/// A user from outside København, Nordlys Logistik and Anna Jensen.
struct Udefra {
    hvem: &'static str,
    person: Person,
    logget_ind: bool,
}

async fn udefra(app: &TestApp) -> Vec<Udefra> {
    let mut ud = Vec::new();
    for email in
        [JENS, RASMUS, "thomas.friis@jobcenter-aarhus.dk", "niels.vang@jobformidling.dk", "mads.aertebjerg@borger.dk"]
    {
        ud.push(Udefra { hvem: email, person: Person::ny(app, email).await, logget_ind: true });
    }
    ud.push(Udefra { hvem: "ikke logget ind", person: Person::anonym(app), logget_ind: false });
    ud
}

async fn hele_tabellen(app: TestApp) {
    let d = Datoer::nu();
    // Deliveries for København, one of them dead, so "Send igen" has something to replay.
    storage::outbox::opret_abonnent(
        &app.db,
        "0101",
        "http://127.0.0.1:9/ingen",
        "hemmelighed-paa-mindst-16-tegn",
        Utc::now(),
    )
    .await
    .expect("abonnent");
    let (bevilget, _, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    let (modtaget, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    let (kladde, _, _) = sag_til(&app, Maal::Trin3, &d).await;
    let c = &app.db.conn;
    let b = c.get_database_backend();
    let doed: i64 = c
        .query_one_raw(Statement::from_string(b, "SELECT MIN(id) AS id FROM outbox WHERE art = 'webhook'"))
        .await
        .expect("levering")
        .and_then(|r| r.try_get::<Option<i64>>("", "id").ok().flatten())
        .expect("en levering til København");
    c.execute_raw(Statement::from_string(b, format!("UPDATE outbox SET status = 'doed' WHERE id = {doed}")))
        .await
        .expect("død levering");
    let karen_id = app.bruger_id(KAREN).await;
    let payload = r#"{"aktoer":{"Sagsbehandler":{"jobcenter_id":1}},"virksomhed":false,"liste":"Ansoegninger","filter":{},"sortering":{"kolonne":"Id","faldende":true}}"#;
    let job = storage::job::enqueue(&app.db, jobs::eksport::ART, payload, Some(karen_id), Some(1), Utc::now())
        .await
        .expect("job");
    let _ = karen;

    let folk = udefra(&app).await;
    let mut proevet = 0;
    // Logging out last: the outsiders stay logged in for every other route.
    let (sidst, foerst): (Vec<_>, Vec<_>) = RUTER.iter().partition(|(_, s, _)| *s == "/log-ud");
    for &(metode, skabelon, art) in foerst.into_iter().chain(sidst) {
        let konkrete = konkretiser(skabelon, art, &[bevilget, modtaget, kladde], &job.uuid, doed);
        for (sti, version_af) in konkrete {
            for u in &folk {
                let version = match version_af {
                    Some(id) => sag_raekke(&app, id).await.version.to_string(),
                    None => "1".into(),
                };
                let felter = krop(&sti, &version, &d, bevilget, modtaget, &app).await;
                let foer = fingeraftryk(&app).await;
                let svar = if metode == "GET" {
                    u.person.klient.get(app.url(&sti)).send().await.expect("GET")
                } else {
                    u.person.klient.post(app.url(&sti)).form(&felter).send().await.expect("POST")
                };
                let status = svar.status();
                let sted = svar.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let tekst = svar.text().await.unwrap_or_default();
                proevet += 1;
                assert!(status.as_u16() < 500, "{} {metode} {sti}: {status}", u.hvem);
                match art {
                    Art::Objekt => {
                        let nej = status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND;
                        let login = !u.logget_ind && status == StatusCode::SEE_OTHER && sted == "/?log_ind=1";
                        assert!(nej || login, "{} {metode} {sti}: {status} {sted} – ventede 403/404", u.hvem);
                        assert_eq!(fingeraftryk(&app).await, foer, "{} {metode} {sti} ændrede noget", u.hvem);
                    }
                    Art::Egen => {
                        for id in [bevilget, modtaget, kladde] {
                            assert!(
                                !tekst.contains(&format!("/sager/{id}\"")),
                                "{} {metode} {sti} viser en sag fra et andet jobcenter",
                                u.hvem
                            );
                        }
                        if metode == "POST" && skabelon != "/ansoegninger/ny" && skabelon != "/log-ud" {
                            assert_eq!(fingeraftryk(&app).await.1[..2], foer.1[..2], "{} {metode} {sti}", u.hvem);
                        }
                    }
                    Art::Link => assert_eq!(status, StatusCode::NOT_FOUND, "{} {metode} {sti}", u.hvem),
                    Art::Aaben | Art::Demo => {}
                }
            }
        }
    }
    assert!(proevet > 200, "kun {proevet} forsøg");

    // The external API: a client of Aarhus asks for København's case.
    let (klient, hemmelighed) =
        storage::api::opret_klient(&app.db, "Aarhus' fagsystem", &["0751".to_string()], None, Utc::now())
            .await
            .expect("klient");
    let token = app.api_token(&klient.klient_id, &hemmelighed).await;
    let uuid = sag_raekke(&app, bevilget).await.uuid;
    for (skabelon, art) in API.iter().filter(|(s, _)| !s.ends_with("/token")) {
        let mut sti = skabelon.replace("{eksterntId}", &uuid).replace("{dokument}", "bevilling");
        if *art == ApiArt::Scope {
            // A valid period, so only the scope can refuse.
            sti = sti.replace("{tabel}", "sager") + "?fra=2000-01-01&til=2100-12-31";
        }
        let svar = app.api_get(&token, &sti).await;
        let status = svar.status();
        let tekst = svar.text().await.unwrap_or_default();
        match art {
            ApiArt::Sag => assert_eq!(status, StatusCode::NOT_FOUND, "{sti}: {tekst}"),
            ApiArt::Scope => assert_eq!(status, StatusCode::FORBIDDEN, "{sti}: {tekst}"),
            ApiArt::Egen => assert_eq!(status, StatusCode::OK, "{sti}"),
        }
        assert!(!tekst.contains(&uuid), "{sti}: Aarhus' klient ser Københavns sag");
    }
}

/// The concrete paths of a route, and the case whose version a form should carry.
fn konkretiser(skabelon: &str, art: Art, sager: &[i64], job: &str, levering: i64) -> Vec<(String, Option<i64>)> {
    let mut ud = Vec::new();
    match art {
        Art::Objekt if skabelon.starts_with("/admin/leveringer/") => {
            ud.push((skabelon.replace("{id}", &levering.to_string()), None));
        }
        Art::Objekt if skabelon.contains("{uuid}") => ud.push((skabelon.replace("{uuid}", job), None)),
        Art::Objekt if skabelon.contains("{id}") => {
            for id in sager {
                let s = skabelon.replace("{id}", &id.to_string());
                if s.contains("{slug}") {
                    for slug in ["godkend-ansoegning", "godkend-bevilling", "afvis-bevilling", "godkend-forlaengelse"] {
                        ud.push((s.replace("{slug}", slug), Some(*id)));
                    }
                } else if s.contains("{n}") {
                    for n in ["1", "3", "5"] {
                        ud.push((s.replace("{n}", n), Some(*id)));
                    }
                } else if s.contains("{dokument}") {
                    for dok in ["ansoegning", "bevilling", "afslag"] {
                        ud.push((s.replace("{dokument}", dok), Some(*id)));
                    }
                } else {
                    ud.push((s, Some(*id)));
                }
            }
        }
        _ => {
            let s = skabelon
                .replace("{liste}", "ansoegninger")
                .replace("{udfald}", "godkendt")
                .replace("{fil}", "ansoegninger.csv")
                .replace("{token}", "ukendt-token-0000")
                .replace("{id}", "1");
            ud.push((s, None));
        }
    }
    ud
}

/// A body that would pass validation, so that only access control can stop the request.
async fn krop(
    sti: &str,
    version: &str,
    d: &Datoer,
    bevilget: i64,
    modtaget: i64,
    app: &TestApp,
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![("version".into(), version.into())];
    let mut tilfoej = |n: &str, v: String| f.push((n.to_string(), v));
    if let Some(n) = sti.split("/trin/").nth(1).and_then(|n| n.parse::<u8>().ok()) {
        for (navn, v) in gyldige_felter(n, d) {
            tilfoej(navn, v);
        }
    }
    if sti.ends_with("/afvis") {
        tilfoej("afvisningstekst", "Ansøgningen opfylder ikke betingelserne.".into());
    }
    if sti.ends_with("/forlaengelse") {
        tilfoej("ny_slutdato", iso(d.slut + chrono::Duration::days(90)));
        tilfoej("jobindhold", "Det samme arbejde.".into());
    }
    if sti.ends_with("/ophoer") {
        tilfoej("ophoersdato", iso(d.start + chrono::Duration::days(30)));
        tilfoej("aarsag", "ordinaert_arbejde".into());
    }
    if sti.ends_with("/flyt") {
        tilfoej("jobcenter", crate::atomar::jobcenter_id(app, "0751").await.to_string());
    }
    if sti == "/lister/saet-ansvarlig" {
        for id in [bevilget, modtaget] {
            tilfoej("sag", id.to_string());
        }
        tilfoej("tilbage", "/lister/ansoegninger".into());
    }
    f
}

paa_begge_databaser!(hele_tabellen);
