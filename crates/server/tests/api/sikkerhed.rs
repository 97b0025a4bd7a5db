//! Issue 14: demo mode that admits only demo users, the security headers, CSRF, hostile bytes
//! at the edge, and masking enforced in the query.

use chrono::Utc;
use futures_util::StreamExt;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Statement};
use storage::entity::{anden_aktoer, bruger, sag};

use crate::atomar::{Antal, antal, sag_raekke};
use crate::flow::{Datoer, KAREN, LONE, Maal, gyldige_felter, hoering_token, sag_til};
use crate::helpers::{TestApp, ny_klient};
use crate::html::{Person, Side};

const NIELS_AA: &str = "niels.vang@jobformidling.dk";
const GITTE_STAR: &str = "gitte.lauridsen@star.dk";
const SOFIE_ADMIN: &str = "sofie.dahl@jobcenter-koebenhavn.dk";

/// A second application on the same database, with demo mode and base URL as given.
async fn anden_app(app: &TestApp, demo: bool, base_url: Option<&str>) -> String {
    let config = server::Config { base_url: base_url.map(str::to_string), ..app.anden_config(demo) };
    let a = server::Application::with_db(config, app.db.clone()).await.expect("app");
    let adresse = format!("http://127.0.0.1:{}", a.port);
    tokio::spawn(async move {
        let _ = a.run().await;
    });
    adresse
}

/// Everything a refused request must leave as it was: the row counts and every case's version.
async fn fingeraftryk(app: &TestApp) -> (Antal, i64) {
    let r = app
        .db
        .conn
        .query_one_raw(Statement::from_string(
            app.db.conn.get_database_backend(),
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v FROM sag",
        ))
        .await
        .expect("sum")
        .expect("række");
    (antal(app).await, r.try_get::<i64>("", "v").expect("v"))
}

// ---- 1. Demo mode ---------------------------------------------------------------------------

/// Issue 14 §1: the demo login lists and admits only the users the demo seed made; every page
/// shows the DEMO banner in demo mode and none without it; the demo API client works only in
/// demo mode, also with a token it got while demo mode was on.
async fn demo_tilstand_aabner_kun_for_demo(app: TestApp) {
    let rigtig = bruger::ActiveModel {
        rolle: Set("sagsbehandler".into()),
        fornavn: Set("Rigtig".into()),
        mellemnavn: Set(String::new()),
        efternavn: Set("Medarbejder".into()),
        email: Set("rigtig.medarbejder@kommune.example.dk".into()),
        jobcenter_id: Set(Some(crate::atomar::jobcenter_id(&app, "0101").await)),
        aktiv: Set(true),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("bruger");
    assert!(!rigtig.demo, "en bruger, som demo-data ikke har lavet, er ikke demo");
    let side = app.get("/demo-login").await.text().await.expect("tekst");
    assert!(side.contains(KAREN), "demo-brugerne står på siden");
    assert!(!side.contains("rigtig.medarbejder"), "en rigtig bruger står ikke på demo-login");
    let svar = ny_klient().post(app.url(&format!("/demo-login/{}", rigtig.id))).send().await.expect("POST");
    assert_eq!(svar.status(), StatusCode::NOT_FOUND, "demo-login lukker ikke en rigtig bruger ind");
    assert!(svar.headers().get("set-cookie").is_none());

    // The banner: on every page in demo mode (error pages too), on none without.
    for sti in ["/", "/demo-login", "/findes-ikke", "/hoering/ukendt-link"] {
        let html = app.get(sti).await.text().await.expect("tekst");
        assert!(html.contains("class=\"demo-banner\""), "{sti} mangler DEMO-banneret");
    }
    let uden = anden_app(&app, false, None).await;
    let html = ny_klient().get(format!("{uden}/")).send().await.expect("GET").text().await.expect("tekst");
    assert!(!html.contains("demo-banner"), "uden demo intet banner");

    // The demo API client: a token in demo mode, none without, and its token stops working.
    let token = |adresse: String| async move {
        ny_klient()
            .post(format!("{adresse}/api/oauth/token"))
            .basic_auth(storage::demo::DEMO_API_KLIENT_ID, Some(storage::demo::DEMO_API_HEMMELIGHED))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("POST token")
    };
    let svar = token(app.address.clone()).await;
    assert_eq!(svar.status(), StatusCode::OK);
    let adgang = svar.json::<serde_json::Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    assert_eq!(token(uden.clone()).await.status(), StatusCode::UNAUTHORIZED, "demo-klienten virker kun i demo");
    let feed = |adresse: String| {
        let adgang = adgang.clone();
        async move {
            ny_klient()
                .get(format!("{adresse}/api/v1/notifikationer?efter=0&antal=1"))
                .bearer_auth(adgang)
                .header("x-requestId", uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .expect("GET feed")
                .status()
        }
    };
    assert_eq!(feed(app.address.clone()).await, StatusCode::OK);
    assert_eq!(feed(uden).await, StatusCode::UNAUTHORIZED, "et demo-token virker ikke uden demo");
}

paa_begge_databaser!(demo_tilstand_aabner_kun_for_demo);

// ---- 2. Headers and cookies -----------------------------------------------------------------

/// Issue 14 §2: every answer carries the headers; pages, exports and API answers are not
/// cached; static files are. Over https the cookie is Secure and HSTS is sent.
async fn sikkerhedshoveder_paa_alle_svar(app: TestApp) {
    let karen = Person::ny(&app, KAREN).await;
    for sti in ["/", "/lister/ansoegninger", "/soeg?fane=bevillinger", "/sager", "/findes-ikke", "/api/openapi.json"] {
        let svar = karen.klient.get(app.url(sti)).send().await.expect("GET");
        assert!(svar.status().as_u16() < 500, "{sti}");
        let h = svar.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{sti}: CSP {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{sti}");
        assert_eq!(h.get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{sti}");
        assert_eq!(h.get("referrer-policy").map(|v| v.as_bytes()), Some(&b"same-origin"[..]), "{sti}");
        assert_eq!(h.get("cache-control").map(|v| v.as_bytes()), Some(&b"no-store"[..]), "{sti}");
        assert!(h.get("strict-transport-security").is_none(), "{sti}: ingen HSTS over http");
    }
    // The privacy notice (seed 003), open to all and linked from every page's footer.
    let privatliv = app.get("/privatliv").await;
    assert_eq!(privatliv.status(), StatusCode::OK);
    let html = privatliv.text().await.expect("tekst");
    for tekst in
        ["Styrelsen for Arbejdsmarked og Rekruttering", "dpo@bm.dk", "Det Fælles Datagrundlag", "bopælskommune"]
    {
        assert!(html.contains(tekst), "privatlivspolitikken nævner ikke {tekst}");
    }
    for sti in ["/", "/lister/ansoegninger", "/findes-ikke"] {
        assert!(
            karen.hent(sti).await.html.contains("href=\"/privatliv\""),
            "{sti} linker ikke til privatlivspolitikken"
        );
    }
    // Issue 13 §7: every page names its icon, and the icon is there (no console 404).
    let ikon = app.get("/static/favicon.svg").await;
    assert_eq!(ikon.status(), StatusCode::OK);
    assert_eq!(ikon.headers().get("content-type").map(|v| v.as_bytes()), Some(&b"image/svg+xml"[..]));
    let ikonlink = format!(r#"rel="icon" type="image/svg+xml" href="{}/favicon.svg""#, web::statisk::vitas());
    assert!(karen.hent("/").await.html.contains(&ikonlink));
    let css = app.get("/static/vitas.css").await;
    assert_ne!(css.headers().get("cache-control").map(|v| v.as_bytes()), Some(&b"no-store"[..]));
    assert!(css.headers().get("content-security-policy").is_some());
    // No page carries inline script or style: the CSP would block them.
    for sti in ["/", "/lister/ansoegninger", "/soeg?fane=ansoegninger"] {
        let html = karen.hent_ok(sti).await.html;
        assert!(!html.contains("style=\""), "{sti} har en style-attribut");
        assert!(!html.contains("<script>") && !html.contains("javascript:"), "{sti} har inline script");
    }

    let https = anden_app(&app, true, Some("https://vitas.example.dk")).await;
    let id = app.bruger_id(LONE).await;
    let svar = ny_klient()
        .post(format!("{https}/demo-login/{id}"))
        .header("origin", "https://vitas.example.dk")
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.status(), StatusCode::SEE_OTHER);
    let cookie = svar.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(flag), "cookien mangler {flag}: {cookie}");
    }
    assert!(svar.headers().get("strict-transport-security").is_some(), "HSTS over https");
}

paa_begge_databaser!(sikkerhedshoveder_paa_alle_svar);

// ---- 3. CSRF --------------------------------------------------------------------------------

/// Issue 14 §2: a state-changing request needs the session's token and VITAS's own origin.
async fn csrf_token_kraeves(app: TestApp) {
    let d = Datoer::nu();
    let (id, _lone, _karen) = sag_til(&app, Maal::Modtaget, &d).await;
    let (jar, token) = app.log_ind_jar(KAREN).await;
    let klient = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("klient");
    let version = sag_raekke(&app, id).await.version.to_string();
    let sti = app.url(&format!("/sager/{id}/handling/godkend-ansoegning"));
    let foer = fingeraftryk(&app).await;
    for (hvad, felter, origin) in [
        ("uden token", vec![("version", version.clone())], None),
        ("forkert token", vec![("version", version.clone()), ("_csrf", "0".repeat(64))], None),
        (
            "fremmed oprindelse",
            vec![("version", version.clone()), ("_csrf", token.clone())],
            Some("https://ond.example"),
        ),
    ] {
        let mut a = klient.post(&sti).form(&felter);
        if let Some(o) = origin {
            a = a.header("origin", o);
        }
        let svar = a.send().await.expect("POST");
        assert_eq!(svar.status(), StatusCode::FORBIDDEN, "{hvad}");
        let html = svar.text().await.expect("tekst");
        assert!(html.contains("afvist") || html.contains("Indlæs siden igen"), "{hvad}: dansk besked\n{html}");
        assert_eq!(fingeraftryk(&app).await, foer, "{hvad}: intet ændret");
    }
    let cross = klient
        .post(&sti)
        .header("sec-fetch-site", "cross-site")
        .form(&[("version", version.as_str()), ("_csrf", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(cross.status(), StatusCode::FORBIDDEN, "Sec-Fetch-Site: cross-site");
    // The token in the header (as vitas.js sends it) or the field, from our own origin: done.
    let svar = klient
        .post(&sti)
        .header("origin", app.address.as_str())
        .form(&[("version", version.as_str()), ("_csrf", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.status(), StatusCode::SEE_OTHER);
    assert_eq!(sag_raekke(&app, id).await.afgoerelse_status.as_deref(), Some("afventer_virksomhed"));
    let forny = klient.post(app.url("/session/forny")).header("x-csrf-token", token.as_str()).send().await;
    assert_eq!(forny.expect("POST").status(), StatusCode::OK);
    // Every POST form on the pages carries the token.
    for sti in ["/", &format!("/sager/{id}"), "/lister/ansoegninger"] {
        let side = Person::ny(&app, KAREN).await.hent_ok(sti).await;
        for f in side.alle_formularer().into_iter().filter(|f| f.method == "post") {
            assert!(f.felt("_csrf").is_some_and(|t| t.len() == 64), "{sti}: {} mangler _csrf", f.action);
        }
    }
}

paa_begge_databaser!(csrf_token_kraeves);

// ---- 4. Hostile bytes -----------------------------------------------------------------------

/// Values as they go on the wire (already percent-encoded), and whether the edge must refuse
/// them in a query (q) and in a form body (b).
const FJENDTLIGE: [(&str, &str, bool, bool); 7] = [
    ("NUL", "ab%00cd", true, true),
    ("ESC", "%1B%5B31m", true, true),
    ("ugyldig UTF-8", "%FF%FE%FD", true, true),
    ("C1-tegn", "a%C2%85b", true, true),
    ("CR LF", "a%0D%0ASet-Cookie%3A+x%3Dy", true, false),
    ("sær Unicode", "%EF%BF%BF%F0%9F%98%80%E2%80%AE%CC%81%EF%B7%BD", false, false),
    ("dyb indlejring", "%5B%5B%5B%5B%5B%5B%5B%5B%5B%5B%5D%5D%5D%5D%5D%5D%5D%5D%5D%5D", false, false),
];

/// The token endpoint: a NUL in the client id (HTTP Basic, which the edge guard does not
/// read) or in a body not labelled as a form is a 400, not a 500 from PostgreSQL.
async fn nul_i_api_legitimation(app: TestApp) {
    let svar = app
        .client
        .post(app.url("/api/oauth/token"))
        .basic_auth("vitas\u{0}demo", Some("x"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.status(), StatusCode::BAD_REQUEST);
    let svar = app
        .client
        .post(app.url("/api/oauth/token"))
        .header("content-type", "text/plain")
        .body("grant_type=client_credentials&client_id=a%00b&client_secret=x")
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.status(), StatusCode::BAD_REQUEST);
    assert_eq!(svar.json::<serde_json::Value>().await.expect("json")["error"], "invalid_request");
}

paa_begge_databaser!(nul_i_api_legitimation);

/// Every list URL (each list and the Søg tabs), each filter, each hostile value: a 4xx or a
/// page, never a 5xx; the values the edge refuses get its Danish 400.
async fn fjendtlige_bytes_i_listernes_adresser(app: TestApp) {
    let mut stier: Vec<String> = storage::lister::Liste::ALLE
        .iter()
        .filter(|l| !l.kode().starts_with("soeg-"))
        .map(|l| format!("/lister/{}?", l.kode()))
        .collect();
    stier.extend(
        ["/soeg?fane=ansoegninger&", "/soeg?fane=bevillinger&", "/soeg?fane=igu&", "/sager?", "/?"].map(String::from),
    );
    let felter = [
        "ordning",
        "status",
        "tillaeg",
        "cpr",
        "navn",
        "cvr",
        "id",
        "modtaget_fra",
        "modtaget_til",
        "start_fra",
        "start_til",
        "slut_fra",
        "slut_til",
        "team",
        "medarbejder",
        "timer_min",
        "timer_max",
        "sort",
        "retning",
        "side",
        "antal",
        "side_modtagne",
    ];
    let foer = fingeraftryk(&app).await;
    for email in [KAREN, LONE, NIELS_AA, GITTE_STAR, SOFIE_ADMIN] {
        let p = Person::ny(&app, email).await;
        // Every filter for the caseworker; the personal-data filters and paging for the rest.
        let felter_her: &[&str] = if email == KAREN { &felter } else { &["cpr", "navn", "side", "sort"] };
        let mut kald = Vec::new();
        for sti in &stier {
            for felt in felter_her {
                for (hvad, vaerdi, afvises, _) in FJENDTLIGE {
                    kald.push((format!("{sti}{felt}={vaerdi}"), hvad, afvises));
                }
            }
            // A 60 KB address, once per list (the http crate builds none over 64 KB, so the
            // 1 MB values go in the form bodies below): VITAS refuses more than 8 KB with 414.
            kald.push((format!("{sti}navn={}", "a".repeat(60_000)), "60 KB", true));
        }
        let resultater: Vec<(String, &str, bool, StatusCode, String)> = futures_util::stream::iter(kald)
            .map(|(url, hvad, afvises)| {
                let p = p.clone();
                let adresse = app.url(&url);
                async move {
                    let svar = p.klient.get(adresse).send().await.expect("GET");
                    let status = svar.status();
                    let tekst = svar.text().await.unwrap_or_default();
                    (url, hvad, afvises, status, tekst)
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        for (url, hvad, afvises, status, tekst) in resultater {
            let kort: String = url.chars().take(120).collect();
            assert!(status.as_u16() < 500, "{email}: {kort} ({hvad}) gav {status}");
            if !afvises {
                continue;
            }
            if hvad == "60 KB" {
                assert_eq!(status, StatusCode::URI_TOO_LONG, "{email}: {kort} ({hvad})");
                assert!(tekst.contains("Adressen er for lang"), "{kort}: dansk besked");
            } else {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{email}: {kort} ({hvad}) skal afvises ved kanten");
                assert!(tekst.contains("tegn, som VITAS ikke kan modtage"), "{kort}: dansk besked\n{tekst}");
            }
        }
    }
    assert_eq!(fingeraftryk(&app).await, foer, "at læse lister ændrer intet");
}

paa_begge_databaser!(fjendtlige_bytes_i_listernes_adresser);

/// Every POST form on the pages each role reaches, each field, each hostile value: never a
/// 5xx; what the edge refuses leaves every row as it was.
async fn fjendtlige_bytes_i_alle_formularer(app: TestApp) {
    let d = Datoer::nu();
    let (kladde, lone, karen) = sag_til(&app, Maal::Trin3, &d).await;
    let (hoering, _, _) = sag_til(&app, Maal::SendtTilRep, &d).await;
    let (modtaget, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    let (bevilget, _, _) = sag_til(&app, Maal::Bevilget, &d).await;
    let token = hoering_token(&app, hoering).await;
    let rep = Person::ny(&app, crate::flow::REP_MITID).await;
    let star = Person::ny(&app, GITTE_STAR).await;
    let admin = Person::ny(&app, SOFIE_ADMIN).await;
    let mut sider: Vec<(&Person, String)> = vec![(&rep, format!("/hoering/{token}")), (&rep, "/demo-login".into())];
    for n in 1..=5 {
        sider.push((&lone, format!("/sager/{kladde}/trin/{n}")));
    }
    for id in [hoering, modtaget, bevilget] {
        sider.push((&lone, format!("/sager/{id}")));
        sider.push((&karen, format!("/sager/{id}")));
    }
    for sti in [
        format!("/sager/{modtaget}/afvis"),
        format!("/sager/{bevilget}/forlaengelse"),
        format!("/sager/{bevilget}/ophoer"),
    ] {
        sider.push((&karen, sti.clone()));
        sider.push((&lone, sti));
    }
    sider.extend([
        (&lone, "/".to_string()),
        (&karen, "/lister/ansoegninger".into()),
        (&karen, "/soeg?fane=bevillinger".into()),
        (&admin, "/admin/leveringer".into()),
        (&star, "/".into()),
    ]);
    let mut formularer = 0;
    for (p, sti) in sider {
        let side: Side = p.hent(&sti).await;
        assert!(side.status.as_u16() < 500, "{sti}");
        for f in side.alle_formularer().into_iter().filter(|f| f.method == "post" && f.action != "/log-ud") {
            formularer += 1;
            let navne: Vec<String> = f.felter.iter().map(|(n, _)| n.clone()).filter(|n| n != "_csrf").collect();
            for felt in navne.iter().map(String::as_str).chain(["ekstra[a][b][c][d][e][f]"]) {
                // The refused values first: then no earlier accepted one has moved the case on.
                let afviste = FJENDTLIGE.iter().filter(|x| x.3);
                for (hvad, vaerdi, _, afvises) in afviste.chain(FJENDTLIGE.iter().filter(|x| !x.3)) {
                    let krop = f
                        .felter
                        .iter()
                        .filter(|(n, _)| n != felt)
                        .map(|(n, v)| serde_urlencoded::to_string([(n, v)]).expect("urlencoded"))
                        .chain([format!(
                            "{}={vaerdi}",
                            serde_urlencoded::to_string([(felt, "")]).expect("navn").trim_end_matches('=')
                        )])
                        .collect::<Vec<_>>()
                        .join("&");
                    let foer = fingeraftryk(&app).await;
                    let svar = p
                        .klient
                        .post(app.url(&f.action))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(krop)
                        .send()
                        .await
                        .expect("POST");
                    let status = svar.status();
                    assert!(status.as_u16() < 500, "{sti} → {} felt {felt} ({hvad}) gav {status}", f.action);
                    if *afvises {
                        assert_eq!(status, StatusCode::BAD_REQUEST, "{sti} → {} felt {felt} ({hvad})", f.action);
                        assert_eq!(
                            fingeraftryk(&app).await,
                            foer,
                            "{sti} → {} felt {felt} ({hvad}) ændrede data",
                            f.action
                        );
                    }
                }
            }
        }
    }
    assert!(formularer >= 20, "kun {formularer} formularer blev prøvet");
}

paa_begge_databaser!(fjendtlige_bytes_i_alle_formularer);

/// Issue 14 §2: a 50 MB form body gets a Danish 413, not a 422 after reading it all; a CR LF
/// in Sæt ansvarlig's `tilbage` cannot break the redirect after the change was saved.
async fn store_kroppe_og_linjeskift_i_tilbage(app: TestApp) {
    let karen = Person::ny(&app, KAREN).await;
    let krop = format!("version=1&bemaerkning={}", "a".repeat(50 << 20));
    let svar = karen
        .klient
        .post(app.url("/ansoegninger/ny"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(krop)
        .send()
        .await;
    match svar {
        Ok(s) => {
            assert_eq!(s.status(), StatusCode::PAYLOAD_TOO_LARGE);
            assert!(s.text().await.unwrap_or_default().contains("højst 1 MB"));
        }
        // The server may close the connection while the client still sends the 50 MB; then
        // nothing was read past the limit either.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }

    let d = Datoer::nu();
    let (id, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    let svar = karen
        .post(
            "/lister/saet-ansvarlig",
            &[("sag", &id.to_string()), ("tilbage", "/lister/ansoegninger\r\nSet-Cookie: ond=1")],
        )
        .await;
    assert_eq!(svar.status, StatusCode::SEE_OTHER, "{}", svar.html);
    assert_eq!(svar.location.as_deref(), Some("/?ansvar_sat=1"), "tilbage til forsiden, ikke en knækket header");
}

paa_begge_databaser!(store_kroppe_og_linjeskift_i_tilbage);

/// Issue 14 §2: a case whose stored form already holds a NUL (saved before the edge refused
/// them) can still be approved and rejected by the representative; PostgreSQL refuses NUL in
/// text, so the name that goes into the case history loses it.
async fn gemt_nul_blokerer_ikke_sagen(app: TestApp) {
    let d = Datoer::nu();
    for (knap, status) in [("rep-godkend", "modtaget"), ("rep-afvis", "afvist_af_medarbejder_rep")] {
        let (id, _, _) = sag_til(&app, Maal::SendtTilRep, &d).await;
        let mut skema: serde_json::Value = serde_json::from_str(&app.skemajson(id).await).expect("skemadata");
        skema["rep_navn"] = serde_json::Value::String("Ol\u{0}e \u{1b}Rep".into());
        app.saet_skemajson(id, &serde_json::to_string(&skema).expect("json")).await;
        let token = hoering_token(&app, id).await;
        let rep = Person::ny(&app, crate::flow::REP_MITID).await;
        let side = rep.hent_ok(&format!("/hoering/{token}")).await;
        let svar = rep.klik(&side, knap, &[("begrundelse", "Ikke enig")]).await;
        assert_eq!(svar.status, StatusCode::SEE_OTHER, "{knap}: {}", svar.html);
        let efter = sag_raekke(&app, id).await;
        assert_eq!(efter.ansoegning_status.as_deref(), Some(status), "{knap}");
    }
}

paa_begge_databaser!(gemt_nul_blokerer_ikke_sagen);

// ---- 5. Masking in the query ----------------------------------------------------------------

/// A case straight into the table (the Anden Aktør cannot make one yet, issue 10).
async fn aa_sag(app: &TestApp, aa: i64, cpr: &str, navn: &str) -> i64 {
    let nu = Utc::now();
    let id = sag::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        ordning: Set("loentilskud".into()),
        sagsart: Set("ansoegning".into()),
        ansoegning_status: Set(Some("modtaget".into())),
        jobcenter_id: Set(Some(crate::atomar::jobcenter_id(app, "0101").await)),
        anden_aktoer_id: Set(Some(aa)),
        cvr: Set("25348710".into()),
        cpr: Set(Some(cpr.into())),
        borger_navn_soeg: Set(Some(domain::soeg::soegetekst(navn))),
        borger_navn_sort: Set(Some(domain::soeg::sorteringsnoegle(navn))),
        borger_navn: Set(Some(navn.into())),
        modtaget_dato: Set(Some(nu.date_naive())),
        konfliktramt: Set(false),
        oprettet: Set(nu),
        aendret: Set(nu),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("sag")
    .id;
    app.tomme_formularer().await;
    id
}

fn hits(html: &str) -> u64 {
    html.split("class=\"antal\">").nth(1).and_then(|r| r.split('<').next()?.trim().parse().ok()).unwrap_or(0)
}

/// Issue 14 §2: an Anden Aktør sees CPR masked, so it can neither filter nor sort on the CPR or
/// name of a citizen not assigned to it. The 10,000 searches for the last four digits of a
/// masked CPR find nothing; the caseworker's same search finds the case.
async fn anden_aktoer_kan_ikke_afmaske_cpr(app: TestApp) {
    let aa = anden_aktoer::Entity::find().one(&app.db.conn).await.expect("aa").expect("demo-AA").id;
    // Fatima Hussein is not assigned to the AA in DFDG; Anna Jensen is (storage::demo).
    let fatima = aa_sag(&app, aa, "2207793456", "Fatima Hussein").await;
    let anna = aa_sag(&app, aa, "0101901234", "Anna Jensen").await;
    app.taellinger_forfra().await;
    let niels = Person::ny(&app, NIELS_AA).await;
    let karen = Person::ny(&app, KAREN).await;
    let soeg = |q: &str| format!("/soeg?fane=ansoegninger&{q}");

    assert_eq!(hits(&niels.hent_ok(&soeg("")).await.html), 2, "AA'en ser begge sager");
    assert_eq!(hits(&karen.hent_folg(&soeg("cpr=2207793456")).await.html), 1, "jobcentret finder Fatima");
    assert_eq!(hits(&niels.hent_folg(&soeg("cpr=0101901234")).await.html), 1, "AA'en finder sin udlagte borger");
    assert_eq!(hits(&niels.hent_folg(&soeg("navn=anna")).await.html), 1);
    assert_eq!(hits(&niels.hent_folg(&soeg("navn=fatima")).await.html), 0, "navnet kan ikke søges frem");

    // The attack: the masked CPR shows 220779-XXXX; try every XXXX.
    let fundet: Vec<u32> = futures_util::stream::iter(0..10_000u32)
        .map(|n| {
            let niels = niels.clone();
            let url = app.url(&soeg(&format!("cpr=220779{n:04}")));
            async move {
                let svar = niels.klient.get(url).send().await.expect("GET");
                // The CPR leaves the address first (decision 80): follow it to the list.
                let svar = crate::helpers::folg_med(&niels.klient, &niels.adresse, svar).await;
                assert_eq!(svar.status(), StatusCode::OK, "søgningen skal give en side");
                let html = svar.text().await.expect("tekst");
                assert!(html.contains("class=\"antal\">"), "siden viser antallet af hits");
                (n, hits(&html))
            }
        })
        .buffer_unordered(16)
        .filter_map(|(n, h)| async move { (h > 0).then_some(n) })
        .collect()
        .await;
    assert!(fundet.is_empty(), "10.000 søgninger afslørede CPR-cifrene: {fundet:?}");

    // Sorting by CPR or name is by id for the AA (Anna's CPR and name come first, her id
    // last), and the columns are not sort links.
    for sort in ["cpr", "navn"] {
        for retning in ["stigende", "faldende"] {
            let html = niels.hent_ok(&soeg(&format!("sort={sort}&retning={retning}"))).await.html;
            let (a, f) = (html.find(&format!("/sager/{anna}\"")), html.find(&format!("/sager/{fatima}\"")));
            assert!(a.is_some() && f.is_some(), "begge rækker vises");
            assert_eq!(a > f, retning == "stigende", "{sort} {retning}: i id-orden, ikke i {sort}-orden");
            let overskrift = if sort == "cpr" { "CPR" } else { "Navn" };
            assert!(html.contains(&format!("<th scope=\"col\">{overskrift}</th>")), "{sort} er ikke et sorteringslink");
        }
    }
    let html = karen.hent_ok(&soeg("")).await.html;
    assert!(html.contains("sort=cpr"), "jobcentret kan sortere på CPR");
}

paa_begge_databaser!(anden_aktoer_kan_ikke_afmaske_cpr);

// ---- 6. Rate limits -------------------------------------------------------------------------

/// Issue 14 §2: a flood of pages, logins or DFDG lookups gets a Danish 429 with Retry-After;
/// each session, address and user has its own allowance. (One database: the buckets live in
/// the process, not the database.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graenser_giver_429_paa_dansk() {
    let app = TestApp::sqlite_med(|s| s.med_graenser(20, 3, 2)).await;
    let karen = Person::ny(&app, KAREN).await;
    let lone = Person::ny(&app, LONE).await;
    // Logins: two used above, one more, then the address is refused.
    let id = app.bruger_id(GITTE_STAR).await;
    let login = || ny_klient().post(app.url(&format!("/demo-login/{id}"))).send();
    assert_eq!(login().await.expect("POST").status(), StatusCode::SEE_OTHER);
    let svar = login().await.expect("POST");
    assert_eq!(svar.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(svar.headers().get("retry-after").is_some());
    assert!(svar.text().await.expect("tekst").contains("for mange forespørgsler"));

    // Pages: Karen's session runs dry; Lone's does not.
    let mut naegtet = None;
    for i in 0..30 {
        let s = karen.klient.get(app.url("/sager")).send().await.expect("GET");
        if s.status() == StatusCode::TOO_MANY_REQUESTS {
            naegtet = Some(i);
            assert!(s.text().await.expect("tekst").contains("Vent"), "dansk besked");
            break;
        }
        assert_eq!(s.status(), StatusCode::OK);
    }
    assert!(naegtet.is_some_and(|i| i >= 15), "Karens 20 sider slap op: {naegtet:?}");
    // A flood that invents a session cookie for each request counts against its address.
    let mut opfundet = None;
    for i in 0..30 {
        let s = ny_klient()
            .get(app.url("/"))
            .header("cookie", format!("vitas_session={}", uuid::Uuid::new_v4().simple()))
            .send()
            .await
            .expect("GET");
        if s.status() == StatusCode::TOO_MANY_REQUESTS {
            opfundet = Some(i);
            break;
        }
    }
    assert!(opfundet.is_some_and(|i| i <= 20), "opfundne cookies slap uden om grænsen: {opfundet:?}");
    assert_eq!(lone.hent("/").await.status, StatusCode::OK, "Lones session har sine egne sider");

    // DFDG lookups: two a minute for Lone; the third save of step 3 is refused, unsaved.
    let d = Datoer::nu();
    let id = crate::flow::ny_ansoegning(&lone).await;
    let felter = gyldige_felter(3, &d);
    let felter: Vec<(&str, &str)> = felter.iter().map(|(n, v)| (*n, v.as_str())).collect();
    for _ in 0..2 {
        let s = crate::flow::gem_trin(&lone, id, 3, &felter).await;
        assert_ne!(s.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let foer = sag_raekke(&app, id).await.version;
    let s = lone.post(&format!("/sager/{id}/trin/3"), &felter).await;
    assert_eq!(s.status, StatusCode::TOO_MANY_REQUESTS, "{}", s.html);
    assert_eq!(sag_raekke(&app, id).await.version, foer, "intet gemt");
}

/// Decision 81: failed token requests are limited per client id and per address. Once a
/// client id has used its failures, even the right secret gets 429 (the secret is not checked
/// then), in the API's JSON error shape with Retry-After; other ids and addresses are not
/// held back. The addresses come through `X-Forwarded-For` from a trusted proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mislykkede_tokenforsoeg_begraenses() {
    let app = TestApp::sqlite_med(|mut s| {
        s.betroet_proxy = true;
        s.med_token_fejlgraense(3, 5)
    })
    .await;
    let (demo, hemmelighed) = (storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED);
    let token = |adresse: &str, id: &str, h: &str| {
        ny_klient()
            .post(app.url("/api/oauth/token"))
            .header("x-forwarded-for", adresse)
            .basic_auth(id, Some(h))
            .form(&[("grant_type", "client_credentials")])
            .send()
    };
    // Per client id: three wrong secrets from three addresses, then the right one is refused.
    for i in 1..=3 {
        let s = token(&format!("10.0.0.{i}"), demo, "forkert").await.expect("POST");
        assert_eq!(s.status(), StatusCode::UNAUTHORIZED, "forsøg {i}");
    }
    let s = token("10.0.0.4", demo, hemmelighed).await.expect("POST");
    assert_eq!(s.status(), StatusCode::TOO_MANY_REQUESTS);
    let vent: u64 = s.headers()["retry-after"].to_str().expect("header").parse().expect("sekunder");
    assert!((1..=60).contains(&vent), "Retry-After {vent}");
    let json: serde_json::Value = s.json().await.expect("json");
    assert_eq!(json["fejlkode"], "for_mange_fejlforsoeg");
    assert!(json["besked"].as_str().is_some_and(|b| b.contains("mislykkede forsøg")), "{json}");
    // The address 10.0.0.4 itself is not held back: another client id is answered as usual.
    assert_eq!(token("10.0.0.4", "anden-klient", "x").await.expect("POST").status(), StatusCode::UNAUTHORIZED);

    // Per address: five failures with five made-up ids, then even a new id is refused.
    for i in 0..5 {
        let s = token("10.0.0.9", &format!("ukendt-{i}"), "x").await.expect("POST");
        assert_eq!(s.status(), StatusCode::UNAUTHORIZED, "ukendt-{i}");
    }
    let s = token("10.0.0.9", "ukendt-ny", "x").await.expect("POST");
    assert_eq!(s.status(), StatusCode::TOO_MANY_REQUESTS, "adressen har brugt sine forsøg");
    assert!(s.headers().get("retry-after").is_some());
}

// ---- 7. Consent -----------------------------------------------------------------------------

/// Issue 14 §3, seed 003: the company's confirmation of the citizen's consent is recorded
/// with who, when and the text version, once per citizen, in the save that gives it.
async fn samtykke_registreres(app: TestApp) {
    use sea_orm::{ColumnTrait, QueryFilter};
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    let lone_id = app.bruger_id(LONE).await;
    let id = crate::flow::ny_ansoegning(&lone).await;
    let raekker = || async {
        storage::entity::samtykke::Entity::find()
            .filter(storage::entity::samtykke::Column::SagId.eq(id))
            .all(&app.db.conn)
            .await
            .expect("samtykker")
    };
    assert!(raekker().await.is_empty());
    let felter = gyldige_felter(3, &d);
    let mut felter: Vec<(&str, &str)> = felter.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let foer = Utc::now();
    crate::flow::gem_trin(&lone, id, 3, &felter).await;
    let r = raekker().await;
    assert_eq!(r.len(), 1, "samtykket er registreret");
    assert_eq!((r[0].bruger_id, r[0].tekst_version.as_str()), (Some(lone_id), domain::samtykke::VERSION));
    assert!(r[0].tidspunkt >= foer - chrono::Duration::seconds(1) && r[0].tidspunkt <= Utc::now());
    assert!(r[0].aktoer.contains("Lone"), "{}", r[0].aktoer);
    // The same citizen again: no new consent. Another citizen: a new one.
    crate::flow::gem_trin(&lone, id, 3, &felter).await;
    assert_eq!(raekker().await.len(), 1);
    for (n, v) in felter.iter_mut() {
        if *n == "cpr" {
            *v = "150385-2345";
        }
    }
    crate::flow::gem_trin(&lone, id, 3, &felter).await;
    assert_eq!(raekker().await.len(), 2, "en ny borger kræver et nyt samtykke");
    // Without the box ticked, the CPR goes and nothing is recorded.
    felter.retain(|(n, _)| *n != "samtykke");
    let _ = lone.post(&format!("/sager/{id}/trin/3"), &felter).await;
    assert_eq!(raekker().await.len(), 2);
    assert!(crate::flow::skema(&app, id).await.borgeren.cpr.is_empty(), "intet CPR uden samtykke");
}

paa_begge_databaser!(samtykke_registreres);

/// Issue 14 §2: a request past the time limit is dropped with a Danish 503. The client sends
/// the head of a form post and holds back most of its body, so the request cannot finish
/// before the limit (50 ms) whatever the machine's speed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tidsgraensen_giver_503_paa_dansk() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::sqlite_med(|mut s| {
        s.tidsgraense = std::time::Duration::from_millis(50);
        s
    })
    .await;
    let mut forbindelse = tokio::net::TcpStream::connect(("127.0.0.1", app.port)).await.expect("forbindelse");
    let hoved = "POST /log-ud HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na=1";
    forbindelse.write_all(hoved.as_bytes()).await.expect("skriv");
    let mut svar = vec![0u8; 16 * 1024];
    let mut laest = 0;
    let frist = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !String::from_utf8_lossy(&svar[..laest]).contains("svarede ikke i tide") {
        let n = tokio::time::timeout_at(frist, forbindelse.read(&mut svar[laest..]))
            .await
            .expect("intet svar inden for 10 s")
            .expect("læs");
        assert!(n > 0, "forbindelsen lukkede uden svar: {}", String::from_utf8_lossy(&svar[..laest]));
        laest += n;
    }
    let tekst = String::from_utf8_lossy(&svar[..laest]).to_string();
    assert!(tekst.starts_with("HTTP/1.1 503"), "{tekst}");
    let hoveder = tekst.to_ascii_lowercase();
    assert!(hoveder.contains("retry-after:") && hoveder.contains("content-security-policy:"), "{tekst}");
}
