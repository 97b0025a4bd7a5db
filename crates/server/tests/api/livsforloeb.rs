//! Issue 13 §3, what the seeds ask of every scheme's life (decisions 88 and 89):
//! - a grant past its end date is closed by the scheduled pass and reported with DFDG 15;
//! - a grant the company does not approve ends as "Bevilling ikke godkendt" with DFDG 14;
//! - both with a simulated clock, each notifying once;
//! - moving a case tells both jobcentres' systems, in the move's transaction;
//! - "Sæt ansvarlig" and moving work for every scheme (seed 001 §3.4).

use chrono::{Duration, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::{Aktoer, Handling};
use domain::status::Elementart;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;
use server::modtager::Modtager;
use storage::entity::{outbox, sag, sagselement, sagshaendelse, team};
use storage::sager::{self, Aendring, NytElement};
use storage::{Fejlpunkt, StorageError};

use crate::atomar::{CVR_NORDLYS, antal, indsend, jobcenter_id, nordlys, ny_kladde, sag_raekke, udfoerer};
use crate::flow::{KAREN, LONE, Maal, RASMUS, handling, sag_til};
use crate::helpers::TestApp;
use crate::html::Person;
use crate::lister::taelling_stemmer;
use crate::webhook::{HEMMELIGHED, api_token, draen, korte_regler, ledig_adresse};

/// The grants' end date in these tests: the clock is simulated, so any day will do.
fn slut() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 3, 31).expect("dato")
}

fn dag(d: NaiveDate, dage: i64) -> NaiveDate {
    d + Duration::days(dage)
}

/// A løntilskud case of Nordlys in `jobcenter`, through the real repository, brought to an
/// approved grant ending on `slutdato` (or to a grant awaiting the company when `godkend` is
/// false).
async fn bevilling(app: &TestApp, jobcenter: i64, slutdato: NaiveDate, godkend: bool) -> sag::Model {
    let kladde = ny_kladde(app).await;
    let start = dag(slutdato, -120);
    let mut a = indsend(jobcenter, false);
    a.opdatering.startdato = Some(start);
    a.opdatering.slutdato = Some(slutdato);
    a.opdatering.oprindelig_slutdato = Some(slutdato);
    if let Some(e) = a.nyt_element.as_mut() {
        e.startdato = Some(start);
        e.slutdato = Some(slutdato);
    }
    let s = sager::udfoer(&app.db, kladde.id, &nordlys(), a, Utc::now()).await.expect("indsend");
    let sb = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: jobcenter });
    let s = sager::udfoer(
        &app.db,
        s.id,
        &sb,
        Aendring::bevilling(&s, domain::afgoerelse::eksempel(Ordning::Loentilskud.profil()), start),
        Utc::now(),
    )
    .await
    .expect("godkend ansøgning");
    if !godkend {
        return s;
    }
    sager::udfoer(&app.db, s.id, &nordlys(), Aendring::ny(Handling::GodkendBevilling), Utc::now())
        .await
        .expect("godkend bevilling")
}

/// The company asks for an extension to `ny_slut`.
async fn anmod_forlaengelse(app: &TestApp, s: &sag::Model, ny_slut: NaiveDate) {
    let mut a = Aendring::ny(Handling::AnmodForlaengelse);
    a.nyt_element = Some(NytElement {
        art: Elementart::Forlaengelse,
        status: "afventer_jobcenter".into(),
        startdato: s.slutdato.and_then(|d| d.succ_opt()),
        slutdato: Some(ny_slut),
        data: serde_json::json!({}),
    });
    sager::udfoer(&app.db, s.id, &nordlys(), a, Utc::now()).await.expect("anmod om forlængelse");
}

/// Outbox rows of one kind about a case, oldest first.
async fn raekker(app: &TestApp, sag_id: i64, art: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::SagId.eq(sag_id))
        .filter(outbox::Column::Art.eq(art))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("outbox")
}

async fn notifikationer(app: &TestApp, sag_id: i64) -> Vec<outbox::Model> {
    raekker(app, sag_id, storage::outbox::NOTIFIKATION).await
}

fn payload(r: &outbox::Model) -> Value {
    serde_json::from_str(&r.payload).expect("payload er JSON")
}

async fn ophoersposter(app: &TestApp, sag_id: i64) -> Vec<sagselement::Model> {
    sagselement::Entity::find()
        .filter(sagselement::Column::SagId.eq(sag_id))
        .filter(sagselement::Column::Art.eq(Elementart::Ophoer.kode()))
        .all(&app.db.conn)
        .await
        .expect("elementer")
}

async fn afgoerelse(app: &TestApp, id: i64) -> Option<String> {
    sag_raekke(app, id).await.afgoerelse_status
}

async fn alle_outbox(app: &TestApp) -> u64 {
    outbox::Entity::find().count(&app.db.conn).await.expect("outbox")
}

async fn get_ophoer(app: &TestApp, uuid: &str) -> (StatusCode, Value) {
    let token = app.api_token(storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    let svar = app.api_get(&token, &format!("/api/v1/sager/{uuid}/ophoer")).await;
    let status = svar.status();
    (status, svar.json().await.expect("JSON"))
}

/// Part 1 and 3: the expiry pass with a simulated clock. A grant closes the day after its end
/// date, once, with its notification written once and DFDG 15 through GetOphør; a grant ending
/// tomorrow, one with an extension awaiting the jobcentre, one extended, and one the company
/// has not approved are left alone.
async fn udloebne_bevillinger_lukkes_en_gang_med_dfdg_15(app: TestApp) {
    let (kbh, aarhus) = (jobcenter_id(&app, "0101").await, jobcenter_id(&app, "0751").await);
    let s = slut();
    let a = bevilling(&app, kbh, s, true).await;
    let i_aarhus = bevilling(&app, aarhus, s, true).await;
    let imorgen = bevilling(&app, kbh, dag(s, 2), true).await;
    let ventende = bevilling(&app, kbh, s, true).await;
    anmod_forlaengelse(&app, &ventende, dag(s, 60)).await;
    let forlaenget = bevilling(&app, kbh, s, true).await;
    anmod_forlaengelse(&app, &forlaenget, dag(s, 30)).await;
    let sb = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: kbh });
    let mut g = Aendring::ny(Handling::GodkendForlaengelse);
    g.opdatering.slutdato = Some(dag(s, 30));
    sager::udfoer(&app.db, forlaenget.id, &sb, g, Utc::now()).await.expect("godkend forlængelse");
    let ikke_godkendt = bevilling(&app, kbh, s, false).await;
    let uroerte = [imorgen.id, ventende.id, forlaenget.id, ikke_godkendt.id];
    let notif_foer = |id| {
        let app = &app;
        async move { notifikationer(app, id).await.len() }
    };
    let mut foer = std::collections::HashMap::new();
    for id in [a.id, i_aarhus.id].into_iter().chain(uroerte) {
        foer.insert(id, (notif_foer(id).await, afgoerelse(&app, id).await));
    }

    // On the end date itself the grant still runs: nothing happens.
    let outbox_foer = alle_outbox(&app).await;
    let r = jobs::udloeb::koer(&app.db, s, Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 0, "{r:?}");
    assert_eq!(alle_outbox(&app).await, outbox_foer, "slutdatoen er bevillingens sidste dag");
    assert_eq!(afgoerelse(&app, a.id).await.as_deref(), Some("godkendt_af_virksomhed"));

    // The day after: the two grants that ran out close (in both jobcentres), the rest stay.
    let r = jobs::udloeb::koer(&app.db, dag(s, 1), Utc::now()).await.expect("pas");
    assert_eq!((r.lukket, r.fejlede), (2, 0), "{r:?}");
    for id in [a.id, i_aarhus.id] {
        let efter = sag_raekke(&app, id).await;
        assert_eq!(efter.afgoerelse_status.as_deref(), Some("ophoert"));
        assert_eq!(efter.slutdato, Some(s), "slutdatoen står");
        let n = notifikationer(&app, id).await;
        assert_eq!(n.len(), foer[&id].0 + 1, "én notifikation om lukningen");
        let p = payload(n.last().expect("notifikation"));
        assert_eq!(p["afgoerelseStatus"], "ophoert");
        assert_eq!(p["virksomhedsordningSubskabelon"], "ophoer", "fagsystemet spørger GetOphør");
        assert_eq!(p["oprettetEllerRedigeret"], "Redigeret");
        let o = ophoersposter(&app, id).await;
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].slutdato, Some(s), "ophørsdatoen er slutdatoen");
        let data: Value = serde_json::from_str(&o[0].data).expect("data");
        assert_eq!(data["systemophoer"], "ordinaert_udloeb");
        assert_eq!(data["dfdg"], "15 – Aktivitetsperioden er afsluttet ordinært");
        let h = sagshaendelse::Entity::find()
            .filter(sagshaendelse::Column::SagId.eq(id))
            .order_by_desc(sagshaendelse::Column::Id)
            .one(&app.db.conn)
            .await
            .expect("historik")
            .expect("en hændelse");
        assert_eq!((h.rolle.as_str(), h.aktoer.as_str()), ("system", "VITAS (automatisk)"));
        assert_eq!(h.bruger_id, None);
        assert_eq!(h.tekst, "Bevillingen er lukket efter ordinært udløb");
        assert_eq!(h.til_status.as_deref(), Some("Ophørt"));
    }
    for id in uroerte {
        assert_eq!(notif_foer(id).await, foer[&id].0, "sag {id} fik ingen notifikation");
        assert_eq!(afgoerelse(&app, id).await, foer[&id].1, "sag {id} er urørt");
        assert!(ophoersposter(&app, id).await.is_empty());
    }
    taelling_stemmer(&app).await;

    // The same day again: nothing more, not a row.
    let outbox_efter = alle_outbox(&app).await;
    let r = jobs::udloeb::koer(&app.db, dag(s, 1), Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 0, "{r:?}");
    assert_eq!(alle_outbox(&app).await, outbox_efter, "intet sendes to gange");

    // Later: the grant that ended the next day closes; the closed ones are not closed again,
    // the pending extension and the extended grant still run.
    let r = jobs::udloeb::koer(&app.db, dag(s, 10), Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 1, "{r:?}");
    assert_eq!(afgoerelse(&app, imorgen.id).await.as_deref(), Some("ophoert"));
    assert_eq!(notifikationer(&app, imorgen.id).await.len(), foer[&imorgen.id].0 + 1);
    for id in [a.id, i_aarhus.id] {
        assert_eq!(notifikationer(&app, id).await.len(), foer[&id].0 + 1, "sag {id} lukkes kun én gang");
        assert_eq!(ophoersposter(&app, id).await.len(), 1);
    }
    for id in [ventende.id, forlaenget.id] {
        assert_eq!(afgoerelse(&app, id).await.as_deref(), Some("godkendt_af_virksomhed"));
    }
    // The jobcentre turns the extension down: the grant has run out, and the next pass closes it.
    sager::udfoer(&app.db, ventende.id, &sb, Aendring::ny(Handling::AfvisForlaengelse), Utc::now())
        .await
        .expect("afvis forlængelse");
    let r = jobs::udloeb::koer(&app.db, dag(s, 10), Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 1, "{r:?}");
    assert_eq!(afgoerelse(&app, ventende.id).await.as_deref(), Some("ophoert"));
    // The extended grant closes after its new end date.
    let r = jobs::udloeb::koer(&app.db, dag(s, 31), Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 1, "{r:?}");
    assert_eq!(afgoerelse(&app, forlaenget.id).await.as_deref(), Some("ophoert"));
    assert_eq!(afgoerelse(&app, ikke_godkendt.id).await.as_deref(), Some("afventer_virksomhed"));
    taelling_stemmer(&app).await;

    // GetOphør reports it with DFDG 15 and no VITAS reason (seed 001 §2.1).
    let (status, o) = get_ophoer(&app, &a.uuid).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_eq!(o["virksomhedsordningSubskabelon"], "ophoer");
    assert_eq!(o["afgoerelseStatus"], "ophoert");
    assert_eq!(o["dfdgOphoersaarsagId"], 15);
    assert_eq!(o["dfdgOphoersaarsagTekst"], "Aktivitetsperioden er afsluttet ordinært");
    assert!(o["ophoersaarsagId"].is_null(), "{o}");
    assert_eq!(o["ophoersaarsagTekst"], "Bevillingsperioden er udløbet");
    assert_eq!(o["ophoersdato"], s.to_string());
    assert_eq!(o["aktuelSlutdato"], s.to_string());
    assert_eq!(o["oprindeligSlutdato"], s.to_string());
    // The caseworker's case page says what happened.
    let karen = Person::ny(&app, KAREN).await;
    let side = karen.hent_ok(&format!("/sager/{}", a.id)).await;
    assert_eq!(side.tekst_krav("sag-status"), "Ophørt");
    assert!(side.html.contains("Bevillingsperioden er udløbet"), "{}", side.html);
    assert!(side.html.contains("15 – Aktivitetsperioden er afsluttet ordinært"));
    assert!(side.html.contains("VITAS (automatisk)"));
}

/// Part 3: two passes at once (two workers) close each grant once: one state change, one
/// notification, one termination record per grant.
async fn samtidige_udloebspas_lukker_hver_bevilling_en_gang(app: TestApp) {
    let kbh = jobcenter_id(&app, "0101").await;
    let mut sager_ = Vec::new();
    for i in 0..6 {
        sager_.push(bevilling(&app, kbh, dag(slut(), -i), true).await);
    }
    let mut foer = Vec::new();
    for s in &sager_ {
        foer.push(notifikationer(&app, s.id).await.len());
    }
    let idag = dag(slut(), 1);
    let (r1, r2) =
        tokio::join!(jobs::udloeb::koer(&app.db, idag, Utc::now()), jobs::udloeb::koer(&app.db, idag, Utc::now()));
    let (r1, r2) = (r1.expect("pas 1"), r2.expect("pas 2"));
    assert_eq!(r1.lukket + r2.lukket, 6, "{r1:?} {r2:?}");
    assert_eq!(r1.fejlede + r2.fejlede, 0, "{r1:?} {r2:?}");
    for (s, n) in sager_.iter().zip(foer) {
        assert_eq!(afgoerelse(&app, s.id).await.as_deref(), Some("ophoert"));
        assert_eq!(notifikationer(&app, s.id).await.len(), n + 1, "sag {}: én notifikation", s.id);
        assert_eq!(ophoersposter(&app, s.id).await.len(), 1, "sag {}: én ophørspost", s.id);
        assert_eq!(sag_raekke(&app, s.id).await.version, s.version + 1, "sag {}: én ændring", s.id);
    }
    taelling_stemmer(&app).await;
}

/// Part 2 and 3: the company does not approve the grant. It ends as "Bevilling ikke godkendt"
/// with DFDG 14, recorded and notified once; a second refusal and later expiry passes change
/// nothing.
async fn bevilling_ikke_godkendt_giver_dfdg_14_en_gang(app: TestApp) {
    let d = crate::flow::Datoer::nu();
    let (id, lone, _) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    let side = lone.hent_ok(&format!("/sager/{id}")).await;
    assert!(side.har_id("afvis-bevilling"), "virksomheden kan sige nej til bevillingen");
    let foer = notifikationer(&app, id).await.len();
    handling(&lone, id, "afvis-bevilling").await;
    let s = sag_raekke(&app, id).await;
    assert_eq!(s.afgoerelse_status.as_deref(), Some("ikke_godkendt"));
    let n = notifikationer(&app, id).await;
    assert_eq!(n.len(), foer + 1, "én notifikation");
    let p = payload(n.last().expect("notifikation"));
    assert_eq!(p["afgoerelseStatus"], "ikke_godkendt");
    assert_eq!(p["virksomhedsordningSubskabelon"], "ophoer");
    let o = ophoersposter(&app, id).await;
    assert_eq!(o.len(), 1);
    let data: Value = serde_json::from_str(&o[0].data).expect("data");
    assert_eq!(data["systemophoer"], "bevilling_ikke_godkendt");
    assert_eq!(data["dfdg"], "14 – Bevilling ikke godkendt");

    // Once: the button is gone, and the action posted again is refused with nothing written.
    let side = lone.hent_ok(&format!("/sager/{id}")).await;
    assert!(!side.har_id("afvis-bevilling") && !side.har_id("godkend-bevilling"));
    let foer_alt = antal(&app).await;
    let svar = lone.post(&format!("/sager/{id}/handling/afvis-bevilling"), &[]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "{}", svar.html);
    let svar = lone.post(&format!("/sager/{id}/handling/godkend-bevilling"), &[]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "{}", svar.html);
    assert_eq!(antal(&app).await, foer_alt, "intet skrevet");
    // A grant that was never approved never runs out either, however late the pass.
    let r = jobs::udloeb::koer(&app.db, dag(d.slut, 400), Utc::now()).await.expect("pas");
    assert_eq!(r.lukket, 0, "{r:?}");
    assert_eq!(antal(&app).await, foer_alt, "intet skrevet");
    assert_eq!(notifikationer(&app, id).await.len(), foer + 1);

    // GetOphør reports DFDG 14 (seed 001 §2.1).
    let (status, o) = get_ophoer(&app, &s.uuid).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_eq!(o["afgoerelseStatus"], "ikke_godkendt");
    assert_eq!(o["dfdgOphoersaarsagId"], 14);
    assert_eq!(o["dfdgOphoersaarsagTekst"], "Bevilling ikke godkendt");
    assert!(o["ophoersaarsagId"].is_null(), "{o}");
    assert_eq!(o["ophoersaarsagTekst"], "Bevillingen er ikke godkendt");
    assert_eq!(o["oprindeligSlutdato"], d.slut.to_string());
    taelling_stemmer(&app).await;
}

paa_begge_databaser!(
    udloebne_bevillinger_lukkes_en_gang_med_dfdg_15,
    samtidige_udloebspas_lukker_hver_bevilling_en_gang,
    bevilling_ikke_godkendt_giver_dfdg_14_en_gang
);

/// Part 4: moving a case to another jobcentre. The old jobcentre's webhook subscriber gets
/// `SagFlyttet`, the new one's an OrdningsNotifikation saying "Oprettet"; both are written in
/// the move's transaction, and the feed shows each jobcentre its own.
async fn flyt_giver_begge_jobcentre_besked(app: TestApp) {
    let (kbh, aarhus) = (jobcenter_id(&app, "0101").await, jobcenter_id(&app, "0751").await);
    let (adr_kbh, adr_aarhus) = (ledig_adresse(), ledig_adresse());
    for (kode, adr) in [("0101", adr_kbh), ("0751", adr_aarhus)] {
        storage::outbox::opret_abonnent(&app.db, kode, &format!("http://{adr}/vitas"), HEMMELIGHED, Utc::now())
            .await
            .expect("abonnent");
    }
    let (m_kbh, m_aarhus) = (Modtager::ny(HEMMELIGHED), Modtager::ny(HEMMELIGHED));
    let _k1 = m_kbh.start(adr_kbh).await.expect("modtager i København");
    let _k2 = m_aarhus.start(adr_aarhus).await.expect("modtager i Aarhus");
    let kladde = ny_kladde(&app).await;
    let s = sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, false), Utc::now()).await.expect("indsend");
    let k = app.kontekst().med_regler(korte_regler(Duration::hours(1)));
    draen(&k, &app, std::time::Duration::from_secs(10)).await;

    // A failure inside the move leaves the case where it was and no event anywhere.
    let foer = antal(&app).await;
    let karen = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: kbh });
    app.db.injicer_fejl(Some(Fejlpunkt::EfterHaendelse));
    let res = sager::flyt_jobcenter(&app.db, s.id, &karen, aarhus, Utc::now()).await;
    assert!(matches!(res, Err(StorageError::Injiceret(_))), "{res:?}");
    assert_eq!(antal(&app).await, foer);
    assert_eq!(sag_raekke(&app, s.id).await.jobcenter_id, Some(kbh));

    // Moving to the jobcentre it is in already is refused in Danish, and writes nothing.
    let karen_p = Person::ny(&app, KAREN).await;
    let svar = karen_p.post(&format!("/sager/{}/flyt", s.id), &[("jobcenter", &kbh.to_string())]).await;
    assert_eq!(svar.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", svar.html);
    assert!(svar.tekst().contains("Sagen ligger allerede i dette jobcenter"), "{}", svar.tekst());
    assert_eq!(antal(&app).await, foer);

    // The caseworker moves it from the case page.
    let side = karen_p.hent_ok(&format!("/sager/{}", s.id)).await;
    karen_p.klik(&side, "flyt-sag", &[("jobcenter", &aarhus.to_string())]).await.viderestilling();
    assert_eq!(sag_raekke(&app, s.id).await.jobcenter_id, Some(aarhus));
    let fraflytning = raekker(&app, s.id, storage::outbox::SAG_FLYTTET).await;
    assert_eq!(fraflytning.len(), 1, "én SagFlyttet");
    let f = &fraflytning[0];
    assert_eq!(f.jobcenter_kode.as_deref(), Some("0101"), "til det jobcenter, sagen forlod");
    let p = payload(f);
    assert_eq!(
        (&p["eksterntId"], &p["fraJobcenterKode"], &p["tilJobcenterKode"]),
        (&Value::from(s.uuid.clone()), &Value::from("0101"), &Value::from("0751"))
    );
    assert!(p.get("cpr").is_none() && !f.payload.contains(crate::atomar::CPR_ANNA), "ingen persondata");
    let n = notifikationer(&app, s.id).await;
    let ny = n.last().expect("notifikation");
    assert_eq!(ny.jobcenter_kode.as_deref(), Some("0751"));
    assert_eq!(payload(ny)["oprettetEllerRedigeret"], "Oprettet", "nyt for Aarhus");
    assert_eq!(payload(ny)["jobcenterKode"], "0751");
    assert_eq!((f.oprettet, f.id < ny.id), (ny.oprettet, true), "skrevet i samme ændring, den gamle først");
    // One delivery each, to the right subscriber.
    let leveringer = raekker(&app, s.id, storage::outbox::WEBHOOK).await;
    let nye: Vec<_> = leveringer.iter().filter(|r| r.id > f.id).collect();
    assert_eq!(nye.len(), 2, "{nye:?}");
    assert_eq!(nye[0].jobcenter_kode.as_deref(), Some("0101"));
    assert_eq!(nye[1].jobcenter_kode.as_deref(), Some("0751"));

    draen(&k, &app, std::time::Duration::from_secs(10)).await;
    let typer = |m: &Modtager| {
        m.modtaget().into_iter().filter(|x| x.eksternt_id == s.uuid).map(|x| x.type_).collect::<Vec<_>>()
    };
    assert_eq!(typer(&m_kbh), ["OrdningsNotifikation", "SagFlyttet"], "København: oprettet, så flyttet");
    assert_eq!(typer(&m_aarhus), ["OrdningsNotifikation"], "Aarhus: sagen som oprettet");

    // The feed shows each jobcentre its own event.
    let uuid = s.uuid.as_str();
    let feed = |token: String| {
        let app = &app;
        async move {
            let j: Value = app
                .client
                .get(app.url("/api/v1/notifikationer?efter=0&antal=1000"))
                .bearer_auth(token)
                .send()
                .await
                .expect("GET feed")
                .json()
                .await
                .expect("JSON");
            j["notifikationer"]
                .as_array()
                .expect("notifikationer")
                .iter()
                .filter(|x| x["data"]["eksterntId"] == uuid)
                .cloned()
                .collect::<Vec<Value>>()
        }
    };
    let kbh_feed = feed(api_token(&app, &["0101"]).await).await;
    let sidste = kbh_feed.last().expect("Københavns feed");
    assert_eq!(sidste["type"], "SagFlyttet");
    assert_eq!(sidste["data"]["tilJobcenterKode"], "0751");
    assert_eq!(sidste["id"], f.noegle.as_str());
    let aarhus_feed = feed(api_token(&app, &["0751"]).await).await;
    assert_eq!(aarhus_feed.len(), 1);
    assert_eq!(aarhus_feed[0]["type"], "OrdningsNotifikation");
    assert_eq!(aarhus_feed[0]["data"]["oprettetEllerRedigeret"], "Oprettet");

    // From now on Aarhus hears of changes, as "Redigeret", and København nothing.
    let rasmus = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: aarhus });
    sager::udfoer(&app.db, s.id, &rasmus, Aendring::ny(Handling::SaetAnsvarlig), Utc::now()).await.expect("ansvar");
    let n = notifikationer(&app, s.id).await;
    let sidste = n.last().expect("notifikation");
    assert_eq!(
        (sidste.jobcenter_kode.as_deref(), payload(sidste)["oprettetEllerRedigeret"].as_str()),
        (Some("0751"), Some("Redigeret"))
    );
    assert_eq!(raekker(&app, s.id, storage::outbox::SAG_FLYTTET).await.len(), 1);
    // København no longer sees it; Aarhus does.
    assert_eq!(karen_p.hent(&format!("/sager/{}", s.id)).await.status, StatusCode::NOT_FOUND);
    Person::ny(&app, RASMUS).await.hent_ok(&format!("/sager/{}", s.id)).await;
    taelling_stemmer(&app).await;
}

paa_begge_databaser!(flyt_giver_begge_jobcentre_besked);

/// Part 5 (seed 001 §3.4: "Sæt ansvarlig" on jobrotation failed under Søg): a case of each
/// scheme, whose forms are not all built, can be given a responsible team and caseworker from
/// Søg and moved to another jobcentre, and the municipal systems hear of both.
async fn saet_ansvarlig_og_flyt_for_alle_ordninger(app: TestApp) {
    let (kbh, aarhus) = (jobcenter_id(&app, "0101").await, jobcenter_id(&app, "0751").await);
    let nu = Utc::now();
    // The schemes' usual case kinds and a state each can be in (cases written as the bulk
    // generator writes them: the scheme's tag as the form, `Skemadata::tom_json`).
    let ordninger = [
        (Ordning::Jobrotation, Some("modtaget"), None),
        (Ordning::Virksomhedspraktik, Some("modtaget"), None),
        (Ordning::Voksenlaerling, Some("godkendt"), Some("godkendt_af_virksomhed")),
        (Ordning::Fleksjob, Some("modtaget"), None),
        (Ordning::Igu, Some("modtaget"), None),
        (Ordning::Mentor, None, Some("afventer_virksomhed")),
    ];
    let uuider: Vec<String> = ordninger.iter().map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let raekker_ = ordninger
        .iter()
        .zip(&uuider)
        .map(|((o, ans, afg), uuid)| sag::ActiveModel {
            uuid: Set(uuid.clone()),
            ordning: Set(o.kode().into()),
            sagsart: Set(o.profil().sagsarter.first().copied().unwrap_or(Sagsart::Ansoegning).kode().into()),
            ansoegning_status: Set(ans.map(str::to_string)),
            afgoerelse_status: Set(afg.map(str::to_string)),
            jobcenter_id: Set(Some(kbh)),
            cvr: Set(CVR_NORDLYS.into()),
            startdato: Set(Some(slut())),
            slutdato: Set(Some(dag(slut(), 90))),
            konfliktramt: Set(false),
            oprettet: Set(nu),
            aendret: Set(nu),
            version: Set(1),
            ..Default::default()
        })
        .collect();
    app.indsaet_sager(raekker_).await;
    let mut ids = Vec::new();
    for uuid in &uuider {
        let s = sag::Entity::find()
            .filter(sag::Column::Uuid.eq(uuid.as_str()))
            .one(&app.db.conn)
            .await
            .expect("sag")
            .expect("sagen findes");
        ids.push(s.id);
    }
    let karen = Person::ny(&app, KAREN).await;
    // Seed 001 §3.4's own case: a jobrotation application in Søg can be selected.
    let soeg = karen.hent_ok(&format!("/soeg?fane=ansoegninger&id={}", ids[0])).await;
    assert!(soeg.har_id(&format!("vaelg-{}", ids[0])), "{}", soeg.html);
    let team_id = team::Entity::find()
        .filter(team::Column::JobcenterId.eq(kbh))
        .one(&app.db.conn)
        .await
        .expect("team")
        .expect("et team")
        .id;
    let sofie = app.bruger_id("sofie.dahl@jobcenter-koebenhavn.dk").await;
    let mut felter: Vec<(&str, String)> = ids.iter().map(|i| ("sag", i.to_string())).collect();
    felter.extend([
        ("team", team_id.to_string()),
        ("medarbejder", sofie.to_string()),
        ("tilbage", "/soeg?fane=ansoegninger".to_string()),
    ]);
    let felter_ref: Vec<(&str, &str)> = felter.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let foer: Vec<usize> = {
        let mut v = Vec::new();
        for id in &ids {
            v.push(notifikationer(&app, *id).await.len());
        }
        v
    };
    let svar = karen.post("/lister/saet-ansvarlig", &felter_ref).await;
    assert!(svar.viderestilling().starts_with("/soeg?fane=ansoegninger"));
    for ((id, n), (o, ..)) in ids.iter().zip(&foer).zip(&ordninger) {
        let s = sag_raekke(&app, *id).await;
        assert_eq!((s.team_id, s.ansvarlig_id), (Some(team_id), Some(sofie)), "{o:?}");
        let nye = notifikationer(&app, *id).await;
        assert_eq!(nye.len(), n + 1, "{o:?}: kommunen får den nye ansvarlige");
        assert_eq!(
            payload(nye.last().expect("notifikation"))["ansvarligEmail"],
            "sofie.dahl@jobcenter-koebenhavn.dk",
            "{o:?}"
        );
    }

    // Each is moved to Aarhus from its case page.
    for (id, (o, ..)) in ids.iter().zip(&ordninger) {
        let side = karen.hent_ok(&format!("/sager/{id}")).await;
        assert!(side.har_id("flyt-sag"), "{o:?} kan flyttes");
        karen.klik(&side, "flyt-sag", &[("jobcenter", &aarhus.to_string())]).await.viderestilling();
        let s = sag_raekke(&app, *id).await;
        assert_eq!((s.jobcenter_id, s.team_id, s.ansvarlig_id), (Some(aarhus), None, None), "{o:?}");
        assert_eq!(raekker(&app, *id, storage::outbox::SAG_FLYTTET).await.len(), 1, "{o:?}: København får besked");
        let sidste = notifikationer(&app, *id).await.pop().expect("notifikation");
        assert_eq!(payload(&sidste)["oprettetEllerRedigeret"], "Oprettet", "{o:?}");
        assert_eq!(payload(&sidste)["virksomhedsordningSkabelon"], o.kode());
    }
    // Actions that need the scheme's form are still refused for the schemes without one.
    let foer = antal(&app).await;
    let svar = Person::ny(&app, LONE).await.post(&format!("/sager/{}/handling/godkend-bevilling", ids[5]), &[]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "mentor har endnu ingen formular: {}", svar.html);
    assert!(svar.tekst().contains("kan endnu ikke behandles"), "{}", svar.tekst());
    assert_eq!(antal(&app).await, foer);
    taelling_stemmer(&app).await;
}

paa_begge_databaser!(saet_ansvarlig_og_flyt_for_alle_ordninger);
