//! Issue 14: the operator's control of the external API's clients. A revoked client's tokens
//! stop at once; a rotated secret replaces the old one and revokes its tokens; a client may
//! expire, and no token outlives it; each client has a rate limit (429 with Retry-After).
//! The `vitas api-klient` commands are run as the real binary against the test's database.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::Value;
use storage::api::Klient;
use storage::entity::{api_klient, api_request_id, api_token};

use crate::helpers::TestApp;

const TOKEN: &str = "/api/oauth/token";
const FEED: &str = "/api/v1/notifikationer";

/// POST the token endpoint with HTTP Basic at `adresse`.
async fn token_svar(app: &TestApp, adresse: &str, id: &str, hemmelighed: &str) -> reqwest::Response {
    app.client
        .post(format!("{adresse}{TOKEN}"))
        .basic_auth(id, Some(hemmelighed))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("POST token")
}

async fn token(app: &TestApp, id: &str, hemmelighed: &str) -> (String, i64) {
    let svar = token_svar(app, &app.address, id, hemmelighed).await;
    assert_eq!(svar.status(), StatusCode::OK, "token til {id}");
    let j: Value = svar.json().await.expect("json");
    (j["access_token"].as_str().expect("access_token").into(), j["expires_in"].as_i64().expect("expires_in"))
}

/// GET the pull feed (an API call without x-requestId) with a token: the status.
async fn feed_status(app: &TestApp, adresse: &str, token: &str) -> StatusCode {
    app.client.get(format!("{adresse}{FEED}")).bearer_auth(token).send().await.expect("GET feed").status()
}

async fn ny_klient(app: &TestApp, udloeber: Option<chrono::DateTime<Utc>>) -> (Klient, String) {
    storage::api::opret_klient(&app.db, "Fagsystem København", &["0101".into()], udloeber, Utc::now())
        .await
        .expect("klient")
}

async fn klient_raekke(app: &TestApp, klient_id: &str) -> api_klient::Model {
    api_klient::Entity::find()
        .filter(api_klient::Column::KlientId.eq(klient_id))
        .one(&app.db.conn)
        .await
        .expect("opslag")
        .expect("klienten findes")
}

async fn oauth_fejl(svar: reqwest::Response) -> (StatusCode, String, String) {
    let status = svar.status();
    let j: Value = svar.json().await.expect("json");
    (status, j["error"].as_str().unwrap_or_default().into(), j["error_description"].as_str().unwrap_or_default().into())
}

// ---- Revocation -------------------------------------------------------------------------------

async fn tilbagekaldt_klient_stopper_straks(app: TestApp) {
    let (k, hemmelighed) = ny_klient(&app, None).await;
    let (t1, _) = token(&app, &k.klient_id, &hemmelighed).await;
    let (t2, _) = token(&app, &k.klient_id, &hemmelighed).await;
    assert_eq!(feed_status(&app, &app.address, &t1).await, StatusCode::OK);
    // Authenticated before the revocation: a token request in flight.
    let undervejs = storage::api::godkend_klient(&app.db, &k.klient_id, &hemmelighed).await.expect("opslag");
    let undervejs = undervejs.expect("klienten er gyldig");

    let t = storage::api::tilbagekald(&app.db, &k.klient_id).await.expect("tilbagekald");
    assert_eq!((t.var_aktiv, t.tokens), (true, 2));
    // Both tokens stop at once, and the secret gets no new one.
    for tk in [&t1, &t2] {
        assert_eq!(feed_status(&app, &app.address, tk).await, StatusCode::UNAUTHORIZED);
    }
    let (status, fejl, _) = oauth_fejl(token_svar(&app, &app.address, &k.klient_id, &hemmelighed).await).await;
    assert_eq!((status, fejl.as_str()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    // The request that was authenticated before gets no token either.
    let sent = storage::api::udsted_token(&app.db, &undervejs, &undervejs.scopes, Utc::now()).await.expect("udsted");
    assert!(sent.is_none(), "en tilbagekaldt klient får ikke et token, heller ikke midt i en anmodning");
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::ApiKlientId.eq(k.id))
        .all(&app.db.conn)
        .await
        .expect("tokens");
    assert!(tokens.is_empty(), "klientens tokens er slettet");
    assert!(!klient_raekke(&app, &k.klient_id).await.aktiv);

    // Again: nothing changes; an unknown client is "not found".
    let igen = storage::api::tilbagekald(&app.db, &k.klient_id).await.expect("tilbagekald igen");
    assert_eq!((igen.var_aktiv, igen.tokens), (false, 0));
    let ukendt = storage::api::tilbagekald(&app.db, "klient-findes-ikke").await;
    assert!(matches!(ukendt, Err(storage::StorageError::IkkeFundet)), "{ukendt:?}");
    // Another client is untouched: the demo client still works.
    let (demo, _) = token(&app, storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    assert_eq!(feed_status(&app, &app.address, &demo).await, StatusCode::OK);
}

// ---- Rotation ---------------------------------------------------------------------------------

async fn roteret_hemmelighed_erstatter_den_gamle(app: TestApp) {
    let (k, gammel) = ny_klient(&app, None).await;
    let (t1, _) = token(&app, &k.klient_id, &gammel).await;
    let undervejs = storage::api::godkend_klient(&app.db, &k.klient_id, &gammel).await.expect("opslag");
    let undervejs = undervejs.expect("klienten er gyldig");

    let r = storage::api::roter(&app.db, &k.klient_id).await.expect("roter");
    assert_eq!(r.tokens, 1);
    assert_eq!(r.hemmelighed.len(), 64, "256 tilfældige bit som hex");
    assert!(r.hemmelighed.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(r.hemmelighed, gammel);
    assert!(!format!("{r:?}").contains(&r.hemmelighed), "Debug viser ikke hemmeligheden");
    // Only the new secret's hash is stored.
    let raekke = klient_raekke(&app, &k.klient_id).await;
    assert_eq!(raekke.hemmelighed_hash, storage::api::hash(&r.hemmelighed));
    assert!(raekke.aktiv);

    // The old token and the old secret stop; the new secret works.
    assert_eq!(feed_status(&app, &app.address, &t1).await, StatusCode::UNAUTHORIZED);
    let (status, fejl, _) = oauth_fejl(token_svar(&app, &app.address, &k.klient_id, &gammel).await).await;
    assert_eq!((status, fejl.as_str()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    let sent = storage::api::udsted_token(&app.db, &undervejs, &undervejs.scopes, Utc::now()).await.expect("udsted");
    assert!(sent.is_none(), "en anmodning godkendt med den gamle hemmelighed får ikke et token");
    let (t2, _) = token(&app, &k.klient_id, &r.hemmelighed).await;
    assert_eq!(feed_status(&app, &app.address, &t2).await, StatusCode::OK);

    // A revoked client gets no new secret; an unknown one is "not found".
    storage::api::tilbagekald(&app.db, &k.klient_id).await.expect("tilbagekald");
    let fejl = storage::api::roter(&app.db, &k.klient_id).await;
    assert!(
        matches!(&fejl, Err(storage::StorageError::Ugyldig(f)) if f[0].besked.contains("tilbagekaldt")),
        "{fejl:?}"
    );
    assert_eq!(
        klient_raekke(&app, &k.klient_id).await.hemmelighed_hash,
        storage::api::hash(&r.hemmelighed),
        "en afvist rotation ændrer intet"
    );
    assert!(matches!(storage::api::roter(&app.db, "klient-findes-ikke").await, Err(storage::StorageError::IkkeFundet)));
}

// ---- Expiry -----------------------------------------------------------------------------------

async fn klientens_udloeb_begraenser_tokens(app: TestApp) {
    // Expiring in 30 minutes: the token lives 30 minutes, not an hour.
    let udloeber = Utc::now() + Duration::minutes(30);
    let (k, hemmelighed) = ny_klient(&app, Some(udloeber)).await;
    assert_eq!(k.udloeber.map(|u| u.timestamp()), Some(udloeber.timestamp()));
    let (t, expires_in) = token(&app, &k.klient_id, &hemmelighed).await;
    assert!((1790..=1800).contains(&expires_in), "expires_in {expires_in} skal følge klientens udløb");
    let raekke = api_token::Entity::find_by_id(storage::api::hash(&t)).one(&app.db.conn).await.expect("token");
    let raekke = raekke.expect("tokenet er gemt");
    assert!(raekke.udloeber.timestamp() <= udloeber.timestamp(), "tokenet overlever ikke klienten");
    assert_eq!(feed_status(&app, &app.address, &t).await, StatusCode::OK);

    // The expiry passes (moved to the past in the row): the token endpoint refuses with a
    // Danish reason, and the token issued before stops too.
    let mut am = klient_raekke(&app, &k.klient_id).await.into_active_model();
    am.udloeber = Set(Some(Utc::now() - Duration::seconds(1)));
    am.update(&app.db.conn).await.expect("udløb");
    let (status, fejl, beskrivelse) =
        oauth_fejl(token_svar(&app, &app.address, &k.klient_id, &hemmelighed).await).await;
    assert_eq!((status, fejl.as_str()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    assert!(beskrivelse.contains("udløbet"), "{beskrivelse}");
    assert_eq!(feed_status(&app, &app.address, &t).await, StatusCode::UNAUTHORIZED);
    // A wrong secret is not told that the client expired.
    let (_, _, beskrivelse) = oauth_fejl(token_svar(&app, &app.address, &k.klient_id, "forkert").await).await;
    assert!(!beskrivelse.contains("udløbet"), "{beskrivelse}");

    // An expiry in the past is refused when the client is made; without one, none.
    let fejl = storage::api::opret_klient(&app.db, "X", &["0101".into()], Some(Utc::now()), Utc::now()).await;
    assert!(matches!(&fejl, Err(storage::StorageError::Ugyldig(f)) if f[0].besked.contains("fremtiden")), "{fejl:?}");
    let (uden, h) = ny_klient(&app, None).await;
    assert_eq!(token(&app, &uden.klient_id, &h).await.1, 3600);

    // The list shows every client, its scopes, state and expiry, and no secret or hash.
    let liste = storage::api::klienter(&app.db).await.expect("liste");
    let vist = liste.iter().find(|x| x.klient_id == k.klient_id).expect("klienten er på listen");
    assert_eq!((vist.scopes.as_slice(), vist.aktiv), (&["jobcenter:0101".to_string()][..], true));
    assert!(vist.udloeber.is_some_and(|u| u < Utc::now()));
    assert!(liste.iter().any(|x| x.klient_id == storage::demo::DEMO_API_KLIENT_ID && x.udloeber.is_none()));
}

// ---- The rate limit ---------------------------------------------------------------------------

/// A second application on the test's database with a limit of three calls a minute.
async fn app_med_graense(app: &TestApp, pr_minut: u32) -> String {
    let config = server::Config { api_graense_pr_minut: pr_minut, ..app.anden_config(true) };
    let a = server::Application::with_db(config, app.db.clone()).await.expect("applikationen");
    let adresse = format!("http://127.0.0.1:{}", a.port);
    tokio::spawn(async move {
        let _ = a.run().await;
    });
    adresse
}

async fn graense_pr_klient_giver_429(app: TestApp) {
    let adresse = app_med_graense(&app, 3).await;
    let (k, hemmelighed) = ny_klient(&app, None).await;
    // The token request is the first of three calls.
    let svar = token_svar(&app, &adresse, &k.klient_id, &hemmelighed).await;
    assert_eq!(svar.status(), StatusCode::OK);
    let t = svar.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_string();
    assert_eq!(feed_status(&app, &adresse, &t).await, StatusCode::OK);
    assert_eq!(feed_status(&app, &adresse, &t).await, StatusCode::OK);

    // The fourth, a Get service call: 429, Danish, with Retry-After, and its request id is
    // not used up.
    let sti = format!("{adresse}/api/v1/sager/{}/ansoegning", uuid::Uuid::new_v4());
    let svar = app.client.get(&sti).bearer_auth(&t).header("x-requestId", "graense-1").send().await.expect("GET");
    assert_eq!(svar.status(), StatusCode::TOO_MANY_REQUESTS);
    let vent: u64 = svar.headers()["retry-after"].to_str().expect("tekst").parse().expect("sekunder");
    assert!((1..=20).contains(&vent), "tre kald i minuttet: det næste om højst 20 s, ikke {vent}");
    let j: Value = svar.json().await.expect("json");
    assert_eq!(j["fejlkode"], "for_mange_kald");
    assert!(j["besked"].as_str().is_some_and(|b| b.contains("Vent") && b.contains("sekunder")), "{j}");
    let brugt = api_request_id::Entity::find()
        .filter(api_request_id::Column::RequestId.eq("graense-1"))
        .all(&app.db.conn)
        .await
        .expect("request ids");
    assert!(brugt.is_empty(), "et afvist kald bruger ikke sit x-requestId");
    // Token requests count too.
    assert_eq!(token_svar(&app, &adresse, &k.klient_id, &hemmelighed).await.status(), StatusCode::TOO_MANY_REQUESTS);

    // Another client has a bucket of its own, and the limit is per process: the test's own
    // application (600 a minute) still answers the first client.
    let (demo, _) = token(&app, storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    assert_eq!(feed_status(&app, &adresse, &demo).await, StatusCode::OK);
    assert_eq!(feed_status(&app, &app.address, &t).await, StatusCode::OK);
    // Unauthenticated calls are not counted against anyone (nor limited here): 401.
    let svar = app.client.get(format!("{adresse}{FEED}")).send().await.expect("GET");
    assert_eq!(svar.status(), StatusCode::UNAUTHORIZED);
}

paa_begge_databaser!(
    tilbagekaldt_klient_stopper_straks,
    roteret_hemmelighed_erstatter_den_gamle,
    klientens_udloeb_begraenser_tokens,
    graense_pr_klient_giver_429,
);

// ---- The commands -----------------------------------------------------------------------------

/// Run `vitas <args>` against the test's database: (success, stdout, stderr).
pub fn vitas(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let ud = std::process::Command::new(env!("CARGO_BIN_EXE_vitas"))
        .args(args)
        .env("VITAS_DATABASE_URL", &app.database_url)
        .env("VITAS_DATA_DIR", &app.data_dir)
        .env("VITAS_LOG", "warn")
        .env_remove("VITAS_WEBHOOK_HEMMELIGHED")
        .env_remove("VITAS_API_KLIENT_UDLOEBER_DAGE")
        .output()
        .expect("vitas kunne ikke startes");
    (ud.status.success(), String::from_utf8_lossy(&ud.stdout).into(), String::from_utf8_lossy(&ud.stderr).into())
}

/// The value after `navn:` in a command's output.
fn felt(ud: &str, navn: &str) -> String {
    ud.lines()
        .find_map(|l| l.strip_prefix(navn))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("{navn} mangler i:\n{ud}"))
}

async fn api_klient_kommandoerne(app: TestApp) {
    let (ok, ud, fejl) =
        vitas(&app, &["api-klient", "opret", "--navn", "KMD Momentum", "--jobcenter", "0101", "--udloeber-dage", "30"]);
    assert!(ok, "{ud}{fejl}");
    let klient_id = felt(&ud, "client_id:");
    let hemmelighed = felt(&ud, "client_secret:");
    assert!(ud.contains("udløber:") && !ud.contains("aldrig"), "{ud}");
    let udloeber = klient_raekke(&app, &klient_id).await.udloeber.expect("udløb");
    assert!((udloeber - Utc::now() - Duration::days(30)).num_minutes().abs() <= 1, "30 dage: {udloeber}");
    let (t1, _) = token(&app, &klient_id, &hemmelighed).await;

    // The list: id, name, scopes, state, expiry; never a secret or a hash.
    let (ok, liste, _) = vitas(&app, &["api-klient", "liste"]);
    assert!(ok);
    let linje = liste.lines().find(|l| l.starts_with(&klient_id)).unwrap_or_else(|| panic!("{liste}"));
    assert!(linje.contains("KMD Momentum") && linje.contains("jobcenter:0101") && linje.contains("aktiv"), "{linje}");
    assert!(liste.contains(storage::demo::DEMO_API_KLIENT_ID), "{liste}");
    let hashes: Vec<String> = api_klient::Entity::find()
        .all(&app.db.conn)
        .await
        .expect("klienter")
        .into_iter()
        .map(|k| k.hemmelighed_hash)
        .collect();
    for h in hashes.iter().map(String::as_str).chain([hemmelighed.as_str(), storage::demo::DEMO_API_HEMMELIGHED]) {
        assert!(!liste.contains(h), "listen viser en hemmelighed eller en hash");
    }

    // Rotate: a new secret printed once; the old one and its token stop.
    let (ok, ud, fejl) = vitas(&app, &["api-klient", "roter", "--klient-id", &klient_id]);
    assert!(ok, "{ud}{fejl}");
    let ny = felt(&ud, "client_secret:");
    assert_ne!(ny, hemmelighed);
    assert_eq!(feed_status(&app, &app.address, &t1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(token_svar(&app, &app.address, &klient_id, &hemmelighed).await.status(), StatusCode::UNAUTHORIZED);
    let (t2, _) = token(&app, &klient_id, &ny).await;

    // Revoke: the token stops at once.
    let (ok, ud, _) = vitas(&app, &["api-klient", "tilbagekald", "--klient-id", &klient_id]);
    assert!(ok && ud.contains("tilbagekaldt"), "{ud}");
    assert_eq!(feed_status(&app, &app.address, &t2).await, StatusCode::UNAUTHORIZED);
    let (_, liste, _) = vitas(&app, &["api-klient", "liste"]);
    assert!(liste.lines().any(|l| l.starts_with(&klient_id) && l.contains("tilbagekaldt")), "{liste}");

    // Refusals are Danish and fail the command.
    let (ok, _, fejl) = vitas(&app, &["api-klient", "roter", "--klient-id", &klient_id]);
    assert!(!ok && fejl.contains("tilbagekaldt"), "{fejl}");
    let (ok, _, fejl) = vitas(&app, &["api-klient", "tilbagekald", "--klient-id", "klient-findes-ikke"]);
    assert!(!ok && fejl.contains("findes ikke"), "{fejl}");
    let (ok, _, _) =
        vitas(&app, &["api-klient", "opret", "--navn", "X", "--jobcenter", "0101", "--udloeber-dage", "0"]);
    assert!(!ok, "0 dage er ikke et udløb");
}

async fn abonnent_kommandoerne(app: TestApp) {
    let hemmelighed = "en-hemmelighed-paa-mindst-16-tegn";
    // The old form still works.
    let (ok, ud, fejl) = vitas(
        &app,
        &[
            "abonner",
            "--jobcenter",
            "0101",
            "--url",
            "https://fagsystem.kommune.dk/vitas",
            "--hemmelighed",
            hemmelighed,
        ],
    );
    assert!(ok, "{ud}{fejl}");
    let (ok, ud, fejl) = vitas(
        &app,
        &["abonnent", "opret", "--jobcenter", "0751", "--url", "http://127.0.0.1:9/", "--hemmelighed", hemmelighed],
    );
    assert!(ok, "{ud}{fejl}");
    let alle = storage::outbox::abonnenter(&app.db).await.expect("abonnenter");
    assert_eq!(alle.len(), 2);
    let id = alle[0].id.to_string();

    // Refused addresses: a Danish reason, nothing stored.
    for url in ["http://fagsystem.kommune.dk/vitas", "https://bruger:kode@fagsystem.kommune.dk/", "ftp://x.dk/"] {
        let (ok, _, fejl) =
            vitas(&app, &["abonnent", "opret", "--jobcenter", "0101", "--url", url, "--hemmelighed", hemmelighed]);
        assert!(!ok && (fejl.contains("https://") || fejl.contains("brugernavn")), "{url}: {fejl}");
    }
    assert_eq!(storage::outbox::abonnenter(&app.db).await.expect("abonnenter").len(), 2);

    let (ok, liste, _) = vitas(&app, &["abonnent", "liste"]);
    assert!(ok && liste.contains("https://fagsystem.kommune.dk/vitas") && liste.contains("aktiv"), "{liste}");
    assert!(!liste.contains(hemmelighed), "listen viser ikke hemmeligheden");

    let ny = "en-ny-hemmelighed-paa-mindst-16-tegn";
    let (ok, ud, fejl) = vitas(&app, &["abonnent", "roter-hemmelighed", "--id", &id, "--hemmelighed", ny]);
    assert!(ok, "{ud}{fejl}");
    assert!(!ud.contains(ny), "hemmeligheden skrives ikke ud");
    assert_eq!(storage::outbox::abonnent(&app.db, alle[0].id).await.expect("opslag").expect("findes").hemmelighed, ny);
    let (ok, _, fejl) = vitas(&app, &["abonnent", "roter-hemmelighed", "--id", &id, "--hemmelighed", "kort"]);
    assert!(!ok && fejl.contains("mindst 16 tegn"), "{fejl}");

    let (ok, ud, fejl) = vitas(&app, &["abonnent", "slet", "--id", &id]);
    assert!(ok && ud.contains("slettet"), "{ud}{fejl}");
    let (_, liste, _) = vitas(&app, &["abonnent", "liste"]);
    assert!(liste.lines().any(|l| l.starts_with(&format!("{id}\t")) && l.contains("slettet")), "{liste}");
    let (ok, _, fejl) = vitas(&app, &["abonnent", "slet", "--id", "999999"]);
    assert!(!ok && fejl.contains("findes ikke"), "{fejl}");
}

paa_begge_databaser!(api_klient_kommandoerne, abonnent_kommandoerne);
