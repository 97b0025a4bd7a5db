//! Issue 4 §1, §2 and §7: OrdningsNotifikationer reach a municipal system's webhook, in
//! order per case, once per id, through a long outage of the receiver; a delivery whose
//! window runs out is dead until an administrator replays it.
//!
//! The receiver is real HTTP (`server::modtager`) on a fixed port that it leaves and comes
//! back to. The outage is simulated with short backoff settings (issue 4 §7).

use crate::atomar::{indsend, jobcenter_id, nordlys, ny_kladde, udfoerer};
use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use domain::policy::{Aktoer, Handling};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::modtager::{Modtager, Modtaget};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use storage::entity::outbox;
use storage::outbox::status;
use storage::sager::{self, Aendring};

pub(crate) const HEMMELIGHED: &str = "kommunens-delte-hemmelighed";
/// The demo administrators of København and Aarhus (storage::demo).
const SOFIE_ADMIN_KBH: &str = "sofie.dahl@jobcenter-koebenhavn.dk";
const THOMAS_ADMIN_AARHUS: &str = "thomas.friis@jobcenter-aarhus.dk";

/// A free port on loopback, for a receiver that is not there yet.
pub(crate) fn ledig_adresse() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("ledig port");
    l.local_addr().expect("adresse")
}

pub(crate) fn korte_regler(levetid: Duration) -> jobs::outbox::Leveringsregler {
    jobs::outbox::Leveringsregler {
        grundinterval: Duration::milliseconds(20),
        loft: Duration::milliseconds(200),
        levetid,
        ..Default::default()
    }
}

/// A submitted case, then `ekstra` "Sæt ansvarlig" by the jobcentre: 1 + `ekstra`
/// notifications. Returns the case id.
pub(crate) async fn sag_med_notifikationer(app: &TestApp, kbh: i64, ekstra: usize) -> i64 {
    let kladde = ny_kladde(app).await;
    sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, false), Utc::now()).await.expect("indsend");
    for _ in 0..ekstra {
        saet_ansvarlig(app, kbh, kladde.id).await;
    }
    kladde.id
}

async fn saet_ansvarlig(app: &TestApp, kbh: i64, sag_id: i64) {
    saet_ansvarlig_ved(app, kbh, sag_id, Utc::now()).await;
}

/// "Sæt ansvarlig" as if the clock showed `nu`: its notification is written at `nu`.
async fn saet_ansvarlig_ved(app: &TestApp, kbh: i64, sag_id: i64, nu: chrono::DateTime<Utc>) {
    let sb = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: kbh });
    sager::udfoer(&app.db, sag_id, &sb, Aendring::ny(Handling::SaetAnsvarlig), nu).await.expect("sæt ansvarlig");
}

pub(crate) async fn raekker(app: &TestApp, art: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Art.eq(art))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("outbox")
}

/// Every published notification arrived exactly once, and each case's arrived in order.
fn tjek_leveret_en_gang_i_orden(notifikationer: &[outbox::Model], modtaget: &[Modtaget]) {
    let mut antal: HashMap<&str, usize> = HashMap::new();
    for m in modtaget {
        *antal.entry(m.id.as_str()).or_default() += 1;
    }
    let dubletter: Vec<_> = antal.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dubletter.is_empty(), "leveret mere end én gang: {dubletter:?}");
    let forventet: HashSet<&str> = notifikationer.iter().map(|n| n.noegle.as_str()).collect();
    let faaet: HashSet<&str> = antal.keys().copied().collect();
    assert_eq!(faaet, forventet, "modtageren fik ikke præcis de publicerede notifikationer");
    let mut sidste: HashMap<&str, i64> = HashMap::new();
    for m in modtaget {
        if let Some(foer) = sidste.insert(m.eksternt_id.as_str(), m.sekvens) {
            assert!(foer < m.sekvens, "sag {} fik sekvens {} efter {}", m.eksternt_id, m.sekvens, foer);
        }
    }
}

/// Run worker passes until no webhook row waits or `frist` passes.
pub(crate) async fn draen(k: &jobs::Kontekst, app: &TestApp, frist: std::time::Duration) {
    let slut = std::time::Instant::now() + frist;
    while std::time::Instant::now() < slut {
        jobs::outbox::koer(k).await.expect("outbox-gennemløb");
        let ventende =
            raekker(app, storage::outbox::WEBHOOK).await.iter().filter(|r| r.status != status::LEVERET).count();
        if ventende == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn modtager_nede_og_tilbage(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    storage::outbox::opret_abonnent(&app.db, "0101", &format!("http://{adresse}/vitas"), HEMMELIGHED, Utc::now())
        .await
        .expect("abonnent");
    let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));

    // The receiver is down while cases change: every attempt fails and is retried later.
    let mut sager = Vec::new();
    for i in 0..6 {
        sager.push(sag_med_notifikationer(&app, kbh, i % 3 + 1).await);
    }
    let udfald_slut = std::time::Instant::now() + std::time::Duration::from_millis(1500);
    let mut runde = 0;
    while std::time::Instant::now() < udfald_slut {
        jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
        // More changes arrive during the outage.
        if runde % 10 == 0 {
            saet_ansvarlig(&app, kbh, sager[runde / 10 % sager.len()]).await;
        }
        runde += 1;
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let under = raekker(&app, storage::outbox::WEBHOOK).await;
    assert!(under.iter().all(|r| r.status == status::AFVENTER), "intet er leveret eller opgivet under udfaldet");
    assert!(under.iter().any(|r| r.forsoeg >= 3), "leveringen blev forsøgt igen under udfaldet");
    // Only each case's first row was tried: the rest wait for it (order per case).
    let mut set = HashSet::new();
    for r in &under {
        if !set.insert(r.sag_id) {
            assert_eq!(r.forsoeg, 0, "række {} blev forsøgt før en tidligere række i samme sag", r.id);
        }
    }

    // The receiver comes back on the same port; two workers drain side by side.
    let modtager = Modtager::ny(HEMMELIGHED);
    let koerende = modtager.start(adresse).await.expect("modtageren starter igen");
    let (a, b) = (k.clone(), k.clone());
    let (app_a, app_b) = (&app, &app);
    tokio::join!(
        draen(&a, app_a, std::time::Duration::from_secs(30)),
        draen(&b, app_b, std::time::Duration::from_secs(30))
    );
    koerende.stop().await;

    let leveringer = raekker(&app, storage::outbox::WEBHOOK).await;
    assert!(leveringer.iter().all(|r| r.status == status::LEVERET), "alt er leveret efter udfaldet");
    let notifikationer = raekker(&app, storage::outbox::NOTIFIKATION).await;
    assert_eq!(leveringer.len(), notifikationer.len(), "én levering pr. notifikation til den ene abonnent");
    tjek_leveret_en_gang_i_orden(&notifikationer, &modtager.modtaget());
    // The receiver records an id once; it counts what came again.
    assert_eq!(modtager.gentagne(), 0, "intet blev sendt to gange");
}

paa_begge_databaser!(modtager_nede_og_tilbage);

async fn doed_levering_genoptages(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    storage::outbox::opret_abonnent(&app.db, "0101", &format!("http://{adresse}/"), HEMMELIGHED, Utc::now())
        .await
        .expect("abonnent");
    let k = app.kontekst().med_regler(korte_regler(Duration::milliseconds(300)));
    let sag_id = sag_med_notifikationer(&app, kbh, 1).await;

    // The window is 300 ms: the first delivery dies, and the second waits behind it.
    let slut = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
        let r = raekker(&app, storage::outbox::WEBHOOK).await;
        if r[0].status == status::DOED {
            assert_eq!((r[1].status.as_str(), r[1].forsoeg), (status::AFVENTER, 0), "den næste venter bag den døde");
            assert!(r[0].fejl.as_deref().is_some_and(|f| f.contains("kunne ikke nås")), "{:?}", r[0].fejl);
            break;
        }
        assert!(std::time::Instant::now() < slut, "leveringen døde ikke, da tiden var gået");
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    // The administrator sees it (for their jobcentre only) and replays it.
    let doede = storage::outbox::doede(&app.db, Some("0101"), 100).await.expect("døde");
    assert_eq!(doede.len(), 1);
    let doed_id = doede[0].id;
    let sofie = app.log_ind(SOFIE_ADMIN_KBH).await;
    let side = sofie.get(app.url("/admin/leveringer")).send().await.expect("side").text().await.expect("html");
    assert!(side.contains(&format!("/admin/leveringer/{doed_id}/genoptag")), "den døde levering vises med knap");
    assert!(side.contains("kunne ikke nås"), "fejlen vises");
    // A caseworker does not administer deliveries; Aarhus' administrator cannot touch København's.
    let karen = app.log_ind(crate::flow::KAREN).await;
    assert_eq!(karen.get(app.url("/admin/leveringer")).send().await.expect("svar").status(), 404);
    let thomas = app.log_ind(THOMAS_ADMIN_AARHUS).await;
    let side = thomas.get(app.url("/admin/leveringer")).send().await.expect("side").text().await.expect("html");
    assert!(side.contains("id=\"ingen-doede\""), "Aarhus ser ikke Københavns leveringer");
    let svar = thomas.post(app.url(&format!("/admin/leveringer/{doed_id}/genoptag"))).send().await.expect("svar");
    assert_eq!(svar.status(), 404, "en anden kommunes levering findes ikke for Aarhus (issue 14 §2)");
    assert_eq!(raekker(&app, storage::outbox::WEBHOOK).await[0].status, status::DOED, "Aarhus kunne ikke genoptage");
    let svar = sofie.post(app.url(&format!("/admin/leveringer/{doed_id}/genoptag"))).send().await.expect("svar");
    assert_eq!(crate::helpers::location(&svar).as_deref(), Some("/admin/leveringer?genoptaget=1"));
    assert_eq!(raekker(&app, storage::outbox::WEBHOOK).await[0].status, status::AFVENTER);

    let modtager = Modtager::ny(HEMMELIGHED);
    let koerende = modtager.start(adresse).await.expect("modtageren");
    draen(&k, &app, std::time::Duration::from_secs(10)).await;
    koerende.stop().await;
    let notifikationer: Vec<_> =
        raekker(&app, storage::outbox::NOTIFIKATION).await.into_iter().filter(|n| n.sag_id == Some(sag_id)).collect();
    assert_eq!(notifikationer.len(), 2);
    tjek_leveret_en_gang_i_orden(&notifikationer, &modtager.modtaget());
}

paa_begge_databaser!(doed_levering_genoptages);

/// A receiver that checks signatures turns away a forged one; the worker treats it as any
/// failed delivery. A subscriber of another jobcentre gets nothing.
async fn kun_egen_jobcenters_notifikationer_og_signeret(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let (egen, anden) = (ledig_adresse(), ledig_adresse());
    storage::outbox::opret_abonnent(&app.db, "0101", &format!("http://{egen}/"), "forkert-hemmelighed", Utc::now())
        .await
        .expect("abonnent");
    storage::outbox::opret_abonnent(&app.db, "0751", &format!("http://{anden}/"), HEMMELIGHED, Utc::now())
        .await
        .expect("abonnent");
    let (m_egen, m_anden) = (Modtager::ny(HEMMELIGHED), Modtager::ny(HEMMELIGHED));
    let (k_egen, k_anden) = (m_egen.start(egen).await.expect("start"), m_anden.start(anden).await.expect("start"));
    sag_med_notifikationer(&app, kbh, 0).await;
    let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));
    jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
    let r = raekker(&app, storage::outbox::WEBHOOK).await;
    assert_eq!(r.len(), 1, "kun Københavns abonnent får en levering");
    assert_eq!(r[0].status, status::AFVENTER);
    assert_eq!(r[0].fejl.as_deref(), Some("modtageren svarede 401"));
    assert!(m_egen.modtaget().is_empty() && m_anden.modtaget().is_empty());
    k_egen.stop().await;
    k_anden.stop().await;
}

paa_begge_databaser!(kun_egen_jobcenters_notifikationer_og_signeret);

/// The first undelivered webhook row of each case (the one the claim may take next), by case.
fn foerste_ikke_leverede(raekker: &[outbox::Model]) -> HashMap<Option<i64>, &outbox::Model> {
    let mut foerste = HashMap::new();
    for r in raekker.iter().filter(|r| r.status != status::LEVERET) {
        foerste.entry(r.sag_id).or_insert(r);
    }
    foerste
}

/// Issue 11 §4: a receiver that is down for the whole retry window, four days, on a simulated
/// clock (`jobs::outbox::koer_ved`) with the production rules (30 s doubling to 1 h, four
/// days; decision 38). Many changes on several cases, some during the outage; every attempt
/// is refused; the clock jumps from one due attempt to the next. Afterwards nothing is lost
/// or sent, each case's first delivery is dead and its later ones wait behind it. Then the
/// receiver comes back, the dead letters are replayed as /admin/leveringer/genoptag-alle does
/// (`storage::outbox::genoptag_alle`), and every notification arrives once, in order per case
/// (decision 121).
async fn modtager_nede_i_hele_vinduet(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    storage::outbox::opret_abonnent(&app.db, "0101", &format!("http://{adresse}/vitas"), HEMMELIGHED, Utc::now())
        .await
        .expect("abonnent");
    let k = app.kontekst();
    let regler = k.regler.clone();
    assert_eq!(regler.levetid, Duration::days(4), "produktionens vindue (decision 38)");

    let mut sager = Vec::new();
    for i in 0..6 {
        sager.push(sag_med_notifikationer(&app, kbh, i % 3).await);
    }
    let t0 = Utc::now();
    let mut nu = t0;
    let mut gennemloeb = 0_u32;
    let mut dage_med_aendringer: i64 = 0;
    loop {
        jobs::outbox::koer_ved(&k, nu).await.expect("outbox-gennemløb");
        gennemloeb += 1;
        // More changes reach the cases on day 1, 2 and 3 of the outage.
        while dage_med_aendringer < 3 && nu - t0 >= Duration::days(dage_med_aendringer + 1) {
            dage_med_aendringer += 1;
            for &sag in sager.iter().step_by(2) {
                saet_ansvarlig_ved(&app, kbh, sag, nu).await;
            }
        }
        let alle = raekker(&app, storage::outbox::WEBHOOK).await;
        assert!(alle.iter().all(|r| r.status != status::LEVERET), "intet kan leveres, mens modtageren er nede");
        // The clock jumps to the next due attempt; done when every case's first row is dead.
        let naeste = foerste_ikke_leverede(&alle)
            .values()
            .filter(|r| r.status == status::AFVENTER)
            .map(|r| r.naeste_forsoeg)
            .min();
        match naeste {
            Some(t) => nu = nu.max(t),
            None => break,
        }
        assert!(gennemloeb < 2_000, "uret nåede ikke gennem vinduet");
    }
    let sluttid = nu - t0;
    assert!(sluttid >= Duration::days(4), "leveringerne døde først efter fire dage, ikke efter {sluttid}");
    assert!(sluttid < Duration::days(4) + regler.loft * 2, "og senest ved det første forsøg efter fire dage");
    assert_eq!(dage_med_aendringer, 3, "ændringerne undervejs kom med");

    // Nothing lost: one delivery per notification. Each case's first is dead after an attempt
    // about every hour; the later ones were never tried (order per case).
    let notifikationer = raekker(&app, storage::outbox::NOTIFIKATION).await;
    let leveringer = raekker(&app, storage::outbox::WEBHOOK).await;
    // Six submissions, 0+1+2+0+1+2 "Sæt ansvarlig" at once, three on each of days 1–3.
    let forventet = sager.len() + (0..sager.len()).map(|i| i % 3).sum::<usize>() + 3 * 3;
    assert_eq!(notifikationer.len(), forventet, "én pr. indsendelse og pr. Sæt ansvarlig");
    assert_eq!(leveringer.len(), notifikationer.len(), "én levering pr. notifikation");
    let foerste = foerste_ikke_leverede(&leveringer);
    assert_eq!(foerste.len(), sager.len());
    for r in &leveringer {
        if foerste.get(&r.sag_id).is_some_and(|f| f.id == r.id) {
            assert_eq!(r.status, status::DOED, "sagens første levering er død");
            assert!(r.forsoeg > 90, "prøvet ca. hver time i fire dage, ikke {} gange", r.forsoeg);
            assert!(r.fejl.as_deref().is_some_and(|f| f.contains("kunne ikke nås")), "{:?}", r.fejl);
        } else {
            assert_eq!((r.status.as_str(), r.forsoeg), (status::AFVENTER, 0), "række {} venter bag den døde", r.id);
        }
    }

    // The receiver comes back; the administrator replays every dead delivery.
    let modtager = Modtager::ny(HEMMELIGHED);
    let koerende = modtager.start(adresse).await.expect("modtageren starter igen");
    let genoptaget = storage::outbox::genoptag_alle(&app.db, Some("0101"), nu).await.expect("genoptag alle");
    assert_eq!(genoptaget, sager.len() as u64, "de døde breve genoptages");
    let frist = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        jobs::outbox::koer_ved(&k, nu).await.expect("outbox-gennemløb");
        let ventende =
            raekker(&app, storage::outbox::WEBHOOK).await.iter().filter(|r| r.status != status::LEVERET).count();
        if ventende == 0 {
            break;
        }
        assert!(std::time::Instant::now() < frist, "{ventende} leveringer kom ikke frem efter genoptagelsen");
        nu += Duration::seconds(1);
    }
    koerende.stop().await;
    tjek_leveret_en_gang_i_orden(&notifikationer, &modtager.modtaget());
    assert_eq!(modtager.gentagne(), 0, "intet blev sendt to gange");
    let forsoeg: Vec<i32> = foerste.values().map(|r| r.forsoeg).collect();
    println!(
        "modtager nede i {:.1} timer (simuleret): {gennemloeb} gennemløb, {}–{} forsøg pr. død levering, {} notifikationer på {} sager, alle leveret én gang i orden efter genoptagelse",
        sluttid.num_seconds() as f64 / 3600.0,
        forsoeg.iter().min().unwrap_or(&0),
        forsoeg.iter().max().unwrap_or(&0),
        notifikationer.len(),
        sager.len()
    );
}

paa_begge_databaser!(modtager_nede_i_hele_vinduet);

// ---- The pull feed --------------------------------------------------------------------------------

/// An access token for a new API client of these jobcentres.
pub(crate) async fn api_token(app: &TestApp, jobcentre: &[&str]) -> String {
    let koder: Vec<String> = jobcentre.iter().map(|k| k.to_string()).collect();
    let (klient, hemmelighed) =
        storage::api::opret_klient(&app.db, "Fagsystem", &koder, None, Utc::now()).await.expect("API-klient");
    let svar = app
        .client
        .post(app.url("/api/oauth/token"))
        .basic_auth(&klient.klient_id, Some(hemmelighed))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    let j: serde_json::Value = svar.json().await.expect("json");
    j["access_token"].as_str().expect("access_token").to_string()
}

async fn feed(app: &TestApp, token: &str, query: &str) -> (u16, serde_json::Value) {
    let svar = app.client.get(app.url(&format!("/api/v1/notifikationer{query}"))).bearer_auth(token).send().await;
    let svar = svar.expect("GET feed");
    let status = svar.status().as_u16();
    (status, svar.json().await.expect("json"))
}

/// The feed gives a client its jobcentres' notifications, oldest first, a page at a time,
/// resumable from the last `sekvens`; the same ids as the webhooks.
async fn feed_i_orden_og_genoptagelig(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let aarhus = jobcenter_id(&app, "0751").await;
    for i in 0..3 {
        sag_med_notifikationer(&app, kbh, i).await;
    }
    // A case sent to Aarhus: its notification is not København's.
    let kladde = ny_kladde(&app).await;
    sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(aarhus, false), Utc::now()).await.expect("indsend");
    let token = api_token(&app, &["0101"]).await;

    let mut laest = Vec::new();
    let mut efter = 0;
    loop {
        let (status, j) = feed(&app, &token, &format!("?efter={efter}&antal=2")).await;
        assert_eq!(status, 200, "{j}");
        let side = j["notifikationer"].as_array().expect("notifikationer").clone();
        assert!(side.len() <= 2);
        efter = j["naesteEfter"].as_i64().expect("naesteEfter");
        laest.extend(side);
        if !j["flere"].as_bool().expect("flere") {
            break;
        }
    }
    let forventet: Vec<outbox::Model> = raekker(&app, storage::outbox::NOTIFIKATION)
        .await
        .into_iter()
        .filter(|n| n.jobcenter_kode.as_deref() == Some("0101"))
        .collect();
    assert_eq!(forventet.len(), 1 + 2 + 3, "én pr. indsendelse og pr. Sæt ansvarlig");
    let ids: Vec<(&str, i64)> =
        laest.iter().map(|n| (n["id"].as_str().expect("id"), n["sekvens"].as_i64().expect("sekvens"))).collect();
    let db: Vec<(&str, i64)> = forventet.iter().map(|n| (n.noegle.as_str(), n.id)).collect();
    assert_eq!(ids, db, "feedet er Københavns notifikationer i rækkefølge, hverken flere eller færre");
    assert!(laest.iter().all(|n| n["data"]["jobcenterKode"] == "0101" && n["type"] == "OrdningsNotifikation"));
    // Read to the end, the cursor stays where it is.
    let (_, j) = feed(&app, &token, &format!("?efter={efter}")).await;
    assert_eq!((j["notifikationer"].as_array().map(Vec::len), j["naesteEfter"].as_i64()), (Some(0), Some(efter)));

    // Bad cursors get a Danish 400; no token gets 401.
    for q in ["?efter=-1", "?efter=abc", "?antal=0", "?antal=1001", "?efter=99999999999999999999"] {
        let (status, j) = feed(&app, &token, q).await;
        assert_eq!((status, j["fejlkode"].as_str()), (400, Some("ugyldig_markoer")), "{q}: {j}");
    }
    let svar = app.client.get(app.url("/api/v1/notifikationer")).send().await.expect("GET");
    assert_eq!(svar.status(), 401);
}

paa_begge_databaser!(feed_i_orden_og_genoptagelig);
