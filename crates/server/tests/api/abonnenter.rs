//! Issue 14: webhook subscribers under the operator's control. The address is checked when a
//! system subscribes; a secret can be rotated, and every delivery after that carries the new
//! signature; a removed subscriber gets nothing more, and its waiting deliveries are cancelled
//! but kept; a redirect is never followed.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use server::modtager::Modtager;
use storage::outbox::status;

use crate::atomar::jobcenter_id;
use crate::helpers::TestApp;
use crate::webhook::{HEMMELIGHED, korte_regler, ledig_adresse, raekker, sag_med_notifikationer};

async fn ny_abonnent(app: &TestApp, url: &str, hemmelighed: &str) -> storage::entity::webhook_abonnent::Model {
    storage::outbox::opret_abonnent(&app.db, "0101", url, hemmelighed, Utc::now()).await.expect("abonnent")
}

/// The Danish message of a refused subscription.
fn besked<T: std::fmt::Debug>(r: Result<T, storage::StorageError>) -> String {
    match r {
        Err(storage::StorageError::Ugyldig(f)) => f.into_iter().map(|f| f.besked).collect::<Vec<_>>().join(" "),
        anden => panic!("forventede en afvisning, fik {anden:?}"),
    }
}

/// Worker passes until the webhook rows settle (none waiting or in flight) or `frist` runs out.
async fn koer_til_rolig(k: &jobs::Kontekst, app: &TestApp, frist: std::time::Duration) {
    let slut = std::time::Instant::now() + frist;
    while std::time::Instant::now() < slut {
        jobs::outbox::koer(k).await.expect("outbox-gennemløb");
        let r = raekker(app, storage::outbox::WEBHOOK).await;
        if r.iter().all(|r| r.status != status::AFVENTER && r.status != status::SENDER) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn webhook_adressen_tjekkes(app: TestApp) {
    for (url, ord) in [
        ("http://fagsystem.kommune.dk/vitas", "https://"),
        ("http://192.168.1.10/vitas", "https://"),
        ("https://bruger:kode@fagsystem.kommune.dk/vitas", "brugernavn"),
        ("ftp://fagsystem.kommune.dk/vitas", "https://"),
        ("fagsystem.kommune.dk/vitas", "gyldig adresse"),
        ("https://", "gyldig adresse"),
    ] {
        let b = besked(storage::outbox::opret_abonnent(&app.db, "0101", url, HEMMELIGHED, Utc::now()).await);
        assert!(b.contains(ord), "{url}: {b}");
    }
    let b = besked(storage::outbox::opret_abonnent(&app.db, "0101", "https://x.dk/", "kort", Utc::now()).await);
    assert!(b.contains("mindst 16 tegn"), "{b}");
    assert!(storage::outbox::abonnenter(&app.db).await.expect("abonnenter").is_empty(), "intet blev gemt");
    // https anywhere, plain http to this machine; stored normalised.
    let a = ny_abonnent(&app, "https://Fagsystem.Kommune.dk/vitas", HEMMELIGHED).await;
    assert_eq!(a.url, "https://fagsystem.kommune.dk/vitas");
    for url in ["http://127.0.0.1:9090/vitas", "http://localhost:9090/", "http://[::1]:9090/"] {
        ny_abonnent(&app, url, HEMMELIGHED).await;
    }
}

/// A rotated secret signs every delivery from then on, the ones written before too.
async fn roteret_hemmelighed_signerer_alt_derefter(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    let a = ny_abonnent(&app, &format!("http://{adresse}/"), HEMMELIGHED).await;
    // Written under the old secret, delivered after the rotation.
    sag_med_notifikationer(&app, kbh, 1).await;
    let ny = "den-nye-delte-hemmelighed-0123456789";
    let efter = storage::outbox::roter_abonnent_hemmelighed(&app.db, a.id, ny).await.expect("roter");
    assert_eq!(efter.hemmelighed, ny);
    sag_med_notifikationer(&app, kbh, 0).await;

    let (gammel, nye) = (Modtager::ny(HEMMELIGHED), Modtager::ny(ny));
    let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));
    // A receiver that still holds the old secret refuses everything.
    let koerer = gammel.start(adresse).await.expect("modtager");
    jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
    koerer.stop().await;
    assert!(gammel.modtaget().is_empty(), "den gamle hemmelighed virker ikke længere");
    let r = raekker(&app, storage::outbox::WEBHOOK).await;
    assert!(r.iter().any(|r| r.fejl.as_deref() == Some("modtageren svarede 401")), "{r:?}");
    // With the new one, all three arrive.
    let koerer = nye.start(adresse).await.expect("modtager");
    koer_til_rolig(&k, &app, std::time::Duration::from_secs(20)).await;
    koerer.stop().await;
    assert_eq!(nye.modtaget().len(), 3);
    assert!(raekker(&app, storage::outbox::WEBHOOK).await.iter().all(|r| r.status == status::LEVERET));

    // Refusals: too short, the same again, unknown, removed.
    assert!(besked(storage::outbox::roter_abonnent_hemmelighed(&app.db, a.id, "kort").await).contains("16 tegn"));
    assert!(besked(storage::outbox::roter_abonnent_hemmelighed(&app.db, a.id, ny).await).contains("samme"));
    let ukendt = storage::outbox::roter_abonnent_hemmelighed(&app.db, 999_999, ny).await;
    assert!(matches!(ukendt, Err(storage::StorageError::IkkeFundet)), "{ukendt:?}");
    storage::outbox::slet_abonnent(&app.db, a.id).await.expect("slet");
    let b = besked(storage::outbox::roter_abonnent_hemmelighed(&app.db, a.id, "endnu-en-ny-hemmelighed-0123").await);
    assert!(b.contains("slettet"), "{b}");
}

/// A removed subscriber gets nothing more. Its row stays (the deliveries name it), its
/// waiting and dead deliveries are cancelled with a note, and an administrator cannot replay
/// them. A delivery the worker finds after the removal is cancelled, not retried.
async fn slettet_abonnent_faar_intet_og_historikken_bestaar(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    let a = ny_abonnent(&app, &format!("http://{adresse}/"), HEMMELIGHED).await;
    let anden = ledig_adresse();
    let b = ny_abonnent(&app, &format!("http://{anden}/"), HEMMELIGHED).await;
    // Two cases; the receiver is down, and the first case's first delivery dies.
    sag_med_notifikationer(&app, kbh, 1).await;
    let k = app.kontekst().med_regler(korte_regler(Duration::milliseconds(200)));
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
    sag_med_notifikationer(&app, kbh, 0).await;
    let foer = raekker(&app, storage::outbox::WEBHOOK).await;
    let kanal_a = storage::outbox::webhook_kanal(a.id);
    assert!(foer.iter().any(|r| r.kanal.as_deref() == Some(&kanal_a) && r.status == status::DOED));
    assert_eq!(foer.iter().filter(|r| r.kanal.as_deref() == Some(&kanal_a)).count(), 3);

    let s = storage::outbox::slet_abonnent(&app.db, a.id).await.expect("slet");
    assert_eq!((s.var_aktiv, s.annullerede), (true, 3));
    let efter = raekker(&app, storage::outbox::WEBHOOK).await;
    for r in efter.iter().filter(|r| r.kanal.as_deref() == Some(&kanal_a)) {
        assert_eq!(r.status, status::ANNULLERET, "række {}", r.id);
        assert_eq!(r.fejl.as_deref(), Some(storage::outbox::ANNULLERET_FEJL));
    }
    // The subscriber's row is kept, inactive: the history still names it.
    let raekke = storage::outbox::abonnent(&app.db, a.id).await.expect("opslag").expect("rækken er bevaret");
    assert!(!raekke.aktiv);
    // "Send alle igen" replays the other subscriber's dead delivery, not the cancelled ones.
    assert_eq!(storage::outbox::genoptag_alle(&app.db, None, Utc::now()).await.expect("genoptag"), 1);
    let genoptaget = raekker(&app, storage::outbox::WEBHOOK).await;
    assert!(
        genoptaget.iter().filter(|r| r.kanal.as_deref() == Some(&kanal_a)).all(|r| r.status == status::ANNULLERET),
        "de annullerede kan ikke sendes igen"
    );
    // New changes fan out to the other subscriber only.
    sag_med_notifikationer(&app, kbh, 0).await;
    let nye: Vec<_> = raekker(&app, storage::outbox::WEBHOOK)
        .await
        .into_iter()
        .filter(|r| r.id > efter.last().map_or(0, |r| r.id))
        .collect();
    assert_eq!(nye.len(), 1);
    assert_eq!(nye[0].kanal, Some(storage::outbox::webhook_kanal(b.id)));
    // The administrator's overview names the cancelled ones.
    let sofie = app.log_ind("sofie.dahl@jobcenter-koebenhavn.dk").await;
    let side = sofie.get(app.url("/admin/leveringer")).send().await.expect("side").text().await.expect("html");
    assert!(side.contains("Annulleret (abonnenten er slettet)"), "oversigten viser de annullerede");
    // Removing it again changes nothing.
    assert_eq!(
        storage::outbox::slet_abonnent(&app.db, a.id).await.expect("slet"),
        storage::outbox::Sletning { var_aktiv: false, annullerede: 0 }
    );
    assert!(matches!(storage::outbox::slet_abonnent(&app.db, 999_999).await, Err(storage::StorageError::IkkeFundet)));

    // A delivery written just before its subscriber went (the fan-out read it as active):
    // the worker cancels it rather than retrying it for four days.
    let mut am = storage::outbox::abonnent(&app.db, b.id).await.expect("opslag").expect("b").into_active_model();
    am.aktiv = Set(false);
    am.update(&app.db.conn).await.expect("b slås fra");
    let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));
    jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
    let r = raekker(&app, storage::outbox::WEBHOOK).await;
    let sidste = r.iter().find(|r| r.id == nye[0].id).expect("rækken");
    assert_eq!(
        (sidste.status.as_str(), sidste.fejl.as_deref()),
        (status::ANNULLERET, Some(storage::outbox::ANNULLERET_FEJL))
    );
}

/// A receiver that redirects gets a failed attempt with a clear note; the notification is
/// never sent on to where it pointed (a 307/308 would resend the signed body there).
async fn viderestilling_foelges_ikke(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let maal = Modtager::ny(HEMMELIGHED);
    let maal_koerer = maal.start("127.0.0.1:0".parse().expect("adresse")).await.expect("modtager");
    let til = format!("http://{}/", maal_koerer.addr);
    for kode in [307_u16, 308, 302] {
        let location = til.clone();
        let app_r =
            axum::Router::new().fallback(move || {
                let til = location.clone();
                async move {
                    (axum::http::StatusCode::from_u16(kode).expect("status"), [(axum::http::header::LOCATION, til)])
                }
            });
        let lytter = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("lytter");
        let adresse = lytter.local_addr().expect("adresse");
        let server = tokio::spawn(async move {
            let _ = axum::serve(lytter, app_r).await;
        });
        let a = ny_abonnent(&app, &format!("http://{adresse}/vitas"), HEMMELIGHED).await;
        sag_med_notifikationer(&app, kbh, 0).await;
        let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));
        jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
        let r = raekker(&app, storage::outbox::WEBHOOK).await;
        let min =
            r.iter().find(|r| r.kanal == Some(storage::outbox::webhook_kanal(a.id))).expect("abonnentens levering");
        assert_eq!((min.status.as_str(), min.forsoeg), (status::AFVENTER, 1), "{kode}: et mislykket forsøg");
        let fejl = min.fejl.as_deref().unwrap_or_default();
        assert!(
            fejl.contains(&kode.to_string()) && fejl.contains(&til) && fejl.contains("følger ikke viderestillinger"),
            "{kode}: {fejl}"
        );
        // Out of the way of the next round.
        storage::outbox::slet_abonnent(&app.db, a.id).await.expect("slet");
        server.abort();
    }
    maal_koerer.stop().await;
    assert!(maal.modtaget().is_empty(), "notifikationen nåede aldrig viderestillingens mål");
}

paa_begge_databaser!(
    webhook_adressen_tjekkes,
    roteret_hemmelighed_signerer_alt_derefter,
    slettet_abonnent_faar_intet_og_historikken_bestaar,
    viderestilling_foelges_ikke,
);
