//! Issue 14 §3, retention and deletion (docs/decisions.md 75–79): a case past its period
//! loses its personal data everywhere it was stored, keeps what statistics need, and shows
//! "Persondata er fjernet"; an open case, a held case and a case within its period keep theirs;
//! the deletion log holds no personal data; a second run changes nothing. The access log keeps
//! keyed hashes of the CPR numbers, moves old plaintext rows over, and loses entries past its
//! own period without breaking its chain.

use chrono::{Duration, NaiveDate, Utc};
use domain::opbevaring::FJERNET;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use storage::entity::{
    adgangslog, adgangslog_cpr, adgangslog_person, link, outbox, sag, sagselement, sagshaendelse, samtykke, sletning,
};

use crate::atomar::{CPR_ANNA, sag_raekke};
use crate::flow::{Datoer, KAREN, Maal, sag_til};
use crate::helpers::TestApp;
use crate::html::Person;
use crate::klienter::vitas;

fn dato(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("dato")
}

/// Move a grant's period back, so it ended on `slut` (a grant "Godkendt af virksomhed" whose
/// end date passed: rule `bevilling_udloebet_5aar`).
async fn flyt_bevilling(app: &TestApp, id: i64, start: &str, slut: &str) {
    sag::Entity::update_many()
        .col_expr(sag::Column::Startdato, Expr::value(dato(start)))
        .col_expr(sag::Column::Slutdato, Expr::value(dato(slut)))
        .col_expr(sag::Column::OprindeligSlutdato, Expr::value(dato(slut)))
        .filter(sag::Column::Id.eq(id))
        .exec(&app.db.conn)
        .await
        .expect("flyt bevillingen");
}

/// Every row VITAS keeps about a case, as text (the case, its sub-records, history, consent,
/// links and outbox rows).
async fn alt_om_sagen(app: &TestApp, id: i64) -> String {
    let c = &app.db.conn;
    let mut ud = format!("{:?}\n", sag_raekke(app, id).await);
    for e in sagselement::Entity::find().filter(sagselement::Column::SagId.eq(id)).all(c).await.expect("elementer") {
        ud.push_str(&format!("{e:?}\n"));
    }
    for h in sagshaendelse::Entity::find().filter(sagshaendelse::Column::SagId.eq(id)).all(c).await.expect("historik") {
        ud.push_str(&format!("{h:?}\n"));
    }
    for s in samtykke::Entity::find().filter(samtykke::Column::SagId.eq(id)).all(c).await.expect("samtykke") {
        ud.push_str(&format!("{s:?}\n"));
    }
    for l in link::Entity::find().filter(link::Column::SagId.eq(id)).all(c).await.expect("links") {
        ud.push_str(&format!("{l:?}\n"));
    }
    for o in outbox::Entity::find().filter(outbox::Column::SagId.eq(id)).all(c).await.expect("outbox") {
        ud.push_str(&format!("{o:?}\n"));
    }
    ud
}

/// The personal values the løntilskud flow stores (tools::bench_skriv::gyldige_felter, DFDG's Anna).
const PERSONDATA: [&str; 12] = [
    CPR_ANNA,
    "010190-1234",
    "Anna Jensen",
    "Søren Bak",
    "soeren.bak@nordlys.dk",
    "Per Lund",
    "per.lund@nordlys.dk",
    "Lagermedarbejder",
    "Plukning, pakning",
    "lone@nordlys.dk",
    "Lone",
    "Karen Holm",
];

/// The citizen's, the representative's and the workplace contact's data: what no answer about
/// the case may show once it is removed (a caseworker's name on an answer is not the case's).
const BORGER: [&str; 5] = [CPR_ANNA, "010190-1234", "Anna Jensen", "Søren Bak", "Per Lund"];

fn uden_persondata(hvad: &str, tekst: &str) {
    uden(hvad, tekst, &PERSONDATA);
}

fn uden(hvad: &str, tekst: &str, data: &[&str]) {
    for p in data {
        assert!(!tekst.contains(p), "{hvad} indeholder stadig »{p}«:\n{tekst}");
    }
}

async fn udloebet_sag_mister_sine_persondata(app: TestApp) {
    let d = Datoer::nu();
    let idag = Utc::now().date_naive();
    // A: a grant that ran to its end in 2019: due on 1 January 2025 (five years from the end
    // of 2019). B: the same, but a complaint holds it. C: a grant that ended in 2024, within
    // its period until 2030. D: an application still at the jobcentre (open), untouched since
    // 2015.
    let (a, lone, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    let (b, _, _) = sag_til(&app, Maal::Bevilget, &d).await;
    let (c, _, _) = sag_til(&app, Maal::Bevilget, &d).await;
    let (dd, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    flyt_bevilling(&app, a, "2019-01-02", "2019-06-30").await;
    flyt_bevilling(&app, b, "2019-01-02", "2019-06-30").await;
    flyt_bevilling(&app, c, "2024-01-02", "2024-06-30").await;
    let mut gammel: sag::ActiveModel = sag_raekke(&app, dd).await.into();
    gammel.aendret = Set(dato("2015-01-05").and_hms_opt(9, 0, 0).expect("tid").and_utc());
    gammel.update(&app.db.conn).await.expect("ældes");
    // The complaint hold is set through the command line, as an operator would.
    let (ok, ud, fejl) = vitas(&app, &["opbevaring", "hold", "--sag", &b.to_string(), "--art", "klage"]);
    assert!(ok, "{ud}{fejl}");

    let foer = sag_raekke(&app, a).await;
    let foer_b = alt_om_sagen(&app, b).await;
    let foer_c = alt_om_sagen(&app, c).await;
    let foer_d = alt_om_sagen(&app, dd).await;
    let alt_foer = alt_om_sagen(&app, a).await;
    assert!(alt_foer.contains(CPR_ANNA) && alt_foer.contains("Søren Bak"), "sagen har persondata før jobbet");
    let elementer_foer =
        sagselement::Entity::find().filter(sagselement::Column::SagId.eq(a)).all(&app.db.conn).await.expect("el");

    // The retention pass.
    let r = jobs::opbevaring::koer(&app.db, idag, Utc::now()).await.expect("opbevaringsjobbet");
    assert_eq!((r.sager, r.fejlede), (1, 0), "kun sag A er forbi sin periode: {r:?}");

    // A: no CPR, name, address or free text left in any row about it.
    let efter = sag_raekke(&app, a).await;
    uden_persondata(&format!("sag {a}"), &alt_om_sagen(&app, a).await);
    assert_eq!(efter.cpr, None);
    assert_eq!(efter.borger_navn.as_deref(), Some(FJERNET));
    assert_eq!((efter.borger_navn_soeg.as_deref(), efter.borger_navn_sort.as_deref()), (None, None));
    assert!(efter.persondata_fjernet.is_some());
    assert!(link::Entity::find().filter(link::Column::SagId.eq(a)).all(&app.db.conn).await.expect("l").is_empty());
    // What statistics need stays: scheme, kind, statuses, dates, hours, jobcentre, company.
    assert_eq!(
        (&efter.ordning, &efter.sagsart, &efter.ansoegning_status, &efter.afgoerelse_status),
        (&foer.ordning, &foer.sagsart, &foer.ansoegning_status, &foer.afgoerelse_status)
    );
    assert_eq!(
        (efter.startdato, efter.slutdato, efter.modtaget_dato, efter.afgoerelse_dato, efter.godkendt_dato),
        (foer.startdato, foer.slutdato, foer.modtaget_dato, foer.afgoerelse_dato, foer.godkendt_dato)
    );
    assert_eq!(
        (efter.jobcenter_id, efter.team_id, efter.timer_hundrededele, &efter.cvr, &efter.pnummer, efter.aendret),
        (foer.jobcenter_id, foer.team_id, foer.timer_hundrededele, &foer.cvr, &foer.pnummer, foer.aendret)
    );
    let skema: serde_json::Value = serde_json::from_str(&app.skemajson(efter.id).await).expect("skemaet er JSON");
    assert_eq!((skema["timer"].as_str(), skema["timeloen"].is_string()), (Some("37"), true), "{skema}");
    assert_eq!(skema["pnummer"].as_str(), foer.pnummer.as_deref());
    let elementer =
        sagselement::Entity::find().filter(sagselement::Column::SagId.eq(a)).all(&app.db.conn).await.expect("el");
    assert_eq!(elementer.len(), elementer_foer.len());
    for (e, f) in elementer.iter().zip(&elementer_foer) {
        assert_eq!((&e.art, &e.status, e.startdato, e.slutdato), (&f.art, &f.status, f.startdato, f.slutdato));
    }
    let bevilling = elementer.iter().find(|e| e.art == "bevilling").expect("bevillingen");
    assert!(bevilling.data.contains("tilskudsloft"), "bevillingens fakta bliver: {}", bevilling.data);
    assert!(storage::taelling::afvigelser(&app.db.conn).await.expect("tællinger").is_empty());

    // B (held), C (within its period) and D (open) are untouched.
    assert_eq!(alt_om_sagen(&app, b).await, foer_b, "sagen med klage");
    assert_eq!(alt_om_sagen(&app, c).await, foer_c, "sagen inden for perioden");
    assert_eq!(alt_om_sagen(&app, dd).await, foer_d, "den åbne sag");

    // The deletion log: the case, the rule, counts; no personal data.
    let log = storage::opbevaring::log(&app.db.conn, 10).await.expect("log");
    let raekke = log.iter().find(|s| s.sag_id == Some(a)).expect("sletningen er logget");
    assert_eq!((raekke.art.as_str(), raekke.regel.as_str()), ("sag", "bevilling_udloebet_5aar"));
    assert!(raekke.felter >= 10 && raekke.raekker >= 5, "{raekke:?}");
    uden_persondata("sletteloggen", &format!("{log:?}"));
    let (ok, ud, fejl) = vitas(&app, &["opbevaring", "log"]);
    assert!(ok && ud.contains(&format!("sag {a}")) && ud.contains("bevilling_udloebet_5aar"), "{ud}{fejl}");
    uden_persondata("vitas opbevaring log", &ud);

    // The pages, the list, the Excel file, the letter and the API answer do not fail, and
    // show "Persondata er fjernet" where the name was.
    for p in [&karen, &lone] {
        let side = p.hent_ok(&format!("/sager/{a}")).await;
        assert!(side.html.contains(FJERNET), "sagssiden som {}", p.hvem);
        assert!(side.html.contains("da opbevaringsperioden var udløbet"), "sagssiden siger hvorfor");
        uden(&format!("sagssiden som {}", p.hvem), &side.html, &BORGER);
    }
    assert!(karen.hent_ok("/lister/bevillinger").await.html.contains(FJERNET), "listen");
    for sti in ["/soeg?fane=bevillinger", "/", "/sager"] {
        karen.hent_ok(sti).await;
        lone.hent_ok(sti).await;
    }
    let excel = karen.klient.get(app.url("/excel/soeg-bevillinger")).send().await.expect("excel");
    assert_eq!(excel.status(), 200);
    for brev in ["ansoegning", "bevilling"] {
        let svar = karen.klient.get(app.url(&format!("/sager/{a}/pdf/{brev}"))).send().await.expect("pdf");
        assert!(svar.status() == 200 || svar.status() == 404, "{brev}: {}", svar.status());
    }
    let token = app.api_token(storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    for tjeneste in ["ansoegning", "bevilling"] {
        let svar = app.api_get(&token, &format!("/api/v1/sager/{}/{tjeneste}", efter.uuid)).await;
        assert_eq!(svar.status(), 200, "{tjeneste}");
        let tekst = svar.text().await.expect("json");
        assert!(tekst.contains(FJERNET), "{tekst}");
        uden(tjeneste, &tekst, &BORGER);
    }

    // Its e-mails that never went out are cancelled, and the administrator's overview says why.
    let sofie = Person::ny(&app, "sofie.dahl@jobcenter-koebenhavn.dk").await;
    let oversigt = sofie.hent_ok("/admin/leveringer").await;
    assert!(oversigt.html.contains("Annulleret (sagens persondata er fjernet)"), "{}", oversigt.html);

    // Again: nothing changes, nothing more is logged.
    let alt_efter = alt_om_sagen(&app, a).await;
    let r = jobs::opbevaring::koer(&app.db, idag, Utc::now()).await.expect("igen");
    assert_eq!(r.sager, 0);
    let (ok, ud, fejl) = vitas(&app, &["opbevaring", "koer"]);
    assert!(ok && ud.contains("fra 0 sager"), "{ud}{fejl}");
    assert_eq!(alt_om_sagen(&app, a).await, alt_efter);
    assert_eq!(storage::opbevaring::log(&app.db.conn, 10).await.expect("log").len(), log.len());

    // The complaint is decided: the hold is lifted, and the next pass takes B.
    let n = storage::opbevaring::ophaev_hold(&app.db, b, storage::opbevaring::HoldArt::Klage, Utc::now())
        .await
        .expect("ophæv");
    assert_eq!(n, 1);
    let r = jobs::opbevaring::koer(&app.db, idag, Utc::now()).await.expect("efter ophævelsen");
    assert_eq!(r.sager, 1);
    uden_persondata(&format!("sag {b}"), &alt_om_sagen(&app, b).await);
    assert_eq!(alt_om_sagen(&app, c).await, foer_c);
}

/// An archive hold set through storage keeps a case past its period; an unknown case is
/// refused; holding twice keeps one hold.
async fn arkivhold_holder_sagen(app: TestApp) {
    use storage::opbevaring::{HoldArt, aktive_hold, saet_hold};
    let d = Datoer::nu();
    let (a, _, _) = sag_til(&app, Maal::Bevilget, &d).await;
    flyt_bevilling(&app, a, "2018-01-02", "2018-03-31").await;
    let nu = Utc::now();
    let h = saet_hold(&app.db, a, HoldArt::Arkiv, nu).await.expect("hold");
    assert_eq!(saet_hold(&app.db, a, HoldArt::Arkiv, nu).await.expect("igen"), h);
    assert_eq!(aktive_hold(&app.db, a).await.expect("hold").len(), 1);
    assert!(matches!(saet_hold(&app.db, 999_999, HoldArt::Klage, nu).await, Err(storage::StorageError::IkkeFundet)));
    let (ok, _, fejl) = vitas(&app, &["opbevaring", "hold", "--sag", "999999", "--art", "arkiv"]);
    assert!(!ok && fejl.contains("findes ikke"), "{fejl}");
    let r = jobs::opbevaring::koer(&app.db, nu.date_naive(), nu).await.expect("jobbet");
    assert_eq!(r.sager, 0);
    assert_eq!(sag_raekke(&app, a).await.cpr.as_deref(), Some(CPR_ANNA));
    // The same case through the job on a day after the hold was lifted.
    storage::opbevaring::ophaev_hold(&app.db, a, HoldArt::Arkiv, nu).await.expect("ophæv");
    assert_eq!(
        storage::opbevaring::fjern_persondata(&app.db, a, nu.date_naive(), nu).await.expect("slet").map(|f| f.regel),
        Some("bevilling_udloebet_5aar")
    );
    assert_eq!(storage::opbevaring::fjern_persondata(&app.db, a, nu.date_naive(), nu).await.expect("igen"), None);
}

/// The three-year rules: an application the representative rejected (counted from the case's
/// last change) and one the jobcentre rejected (counted from the decision, though the case was
/// changed since, e.g. moved). The representative's reason, in the history, goes too.
async fn afviste_ansoegninger_efter_tre_aar(app: TestApp) {
    use crate::flow::hoering_token;
    let d = Datoer::nu();
    let nu = Utc::now();
    let (rep_afvist, _, _) = sag_til(&app, Maal::SendtTilRep, &d).await;
    let token = hoering_token(&app, rep_afvist).await;
    let rep = Person::ny(&app, crate::flow::REP_MITID).await;
    let side = rep.hent_ok(&format!("/hoering/{token}")).await;
    let begrundelse = "Søren Bak mener, stillingen fortrænger en ordinært ansat.";
    rep.klik(&side, "rep-afvis", &[("begrundelse", begrundelse)]).await.viderestilling();
    assert!(alt_om_sagen(&app, rep_afvist).await.contains(begrundelse));
    let (afslag, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    sag::Entity::update_many()
        .col_expr(sag::Column::AnsoegningStatus, Expr::value("afvist"))
        .col_expr(sag::Column::AfgoerelseDato, Expr::value(dato("2022-03-01")))
        .filter(sag::Column::Id.eq(afslag))
        .exec(&app.db.conn)
        .await
        .expect("afslag");

    // Within three years of the rejection: nothing goes.
    assert_eq!(
        jobs::opbevaring::koer(&app.db, nu.date_naive(), nu).await.expect("jobbet").sager,
        1,
        "kun afslaget fra 2022"
    );
    assert_eq!(sag_raekke(&app, rep_afvist).await.cpr.as_deref(), Some(CPR_ANNA));
    let log = storage::opbevaring::log(&app.db.conn, 5).await.expect("log");
    assert_eq!((log[0].sag_id, log[0].regel.as_str()), (Some(afslag), "ansoegning_afvist_3aar"));
    uden_persondata(&format!("sag {afslag}"), &alt_om_sagen(&app, afslag).await);

    // Three years and a day after the representative's rejection.
    let senere = nu.date_naive() + Duration::days(3 * 366);
    let r = jobs::opbevaring::koer(&app.db, senere, nu).await.expect("senere");
    assert_eq!(r.sager, 1);
    uden_persondata(&format!("sag {rep_afvist}"), &alt_om_sagen(&app, rep_afvist).await);
    let log = storage::opbevaring::log(&app.db.conn, 5).await.expect("log");
    assert_eq!((log[0].sag_id, log[0].regel.as_str()), (Some(rep_afvist), "afvist_af_rep_3aar"));
}

paa_begge_databaser!(udloebet_sag_mister_sine_persondata, arkivhold_holder_sagen, afviste_ansoegninger_efter_tre_aar);

/// Decision 79: the access log holds HMAC-SHA256 of each CPR with the server's key. The
/// extract finds the reads with the same key, another key finds nothing, and no table of the
/// log holds a CPR.
async fn adgangslogen_holder_noeglede_cpr(app: TestApp) {
    let d = Datoer::nu();
    let (id, _lone, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    karen.hent_ok(&format!("/sager/{id}")).await;
    let c = &app.db.conn;
    let personer = adgangslog_person::Entity::find().all(c).await.expect("personer");
    assert!(!personer.is_empty());
    let noegle = app.db.adgangslog_noegle().expect("nøglen");
    for p in &personer {
        assert_eq!(p.cpr_hmac.len(), 64);
        assert!(p.cpr_hmac.chars().all(|c| c.is_ascii_hexdigit()));
    }
    assert!(personer.iter().any(|p| p.cpr_hmac == noegle.cpr_hmac(CPR_ANNA)));
    assert!(adgangslog_cpr::Entity::find().all(c).await.expect("gamle").is_empty(), "ingen CPR i klartekst");
    let alt = format!("{:?}{personer:?}", adgangslog::Entity::find().all(c).await.expect("log"));
    assert!(!alt.contains(CPR_ANNA) && !alt.contains("010190-1234"));
    assert!(!storage::adgangslog::for_cpr(&app.db, "010190-1234", 100).await.expect("fundet").is_empty());
    let anden = app.db.clone().med_adgangslog_noegle(
        storage::adgangslog::Noegle::fra_tekst("en-helt-anden-noegle-med-mindst-32-tegn").expect("nøgle"),
    );
    assert!(storage::adgangslog::for_cpr(&anden, CPR_ANNA, 100).await.expect("intet").is_empty());
    // The extract page still finds Karen's read.
    let gitte = Person::ny(&app, "gitte.lauridsen@star.dk").await;
    let svar = gitte.post("/admin/indsigt", &[("cpr", "010190-1234")]).await;
    assert!(svar.html.contains("Karen Holm") && svar.html.contains(&format!("href=\"/sager/{id}\"")));
    // Without a key a read cannot be logged, so it is not served; and the server does not start.
    let uden = storage::Db::connect(&app.database_url).await.expect("db");
    let l = storage::adgangslog::Laesning {
        bruger_id: None,
        api_klient_id: None,
        rolle: "sagsbehandler".into(),
        formaal: storage::adgangslog::Formaal::Sag,
        hvad: "sag 1".into(),
        cpr: vec![CPR_ANNA.into()],
    };
    assert!(storage::adgangslog::skriv(&uden, l, Utc::now()).await.is_err());
    assert!(server::kraev_adgangslog_noegle(&uden).is_err());
    drop(uden);
    let _ = KAREN;
}

/// Entries written before decision 79 kept the CPR in plain text. With the key, they are moved
/// to keyed hashes, the chain is recomputed and holds, and the extract finds them.
async fn gamle_klartekstposter_omlaegges(app: TestApp) {
    let c = &app.db.conn;
    let nu = Utc::now();
    let mut forrige = storage::adgangslog::START.to_string();
    for i in 0..3 {
        let mut r = adgangslog::Model {
            id: 0,
            tidspunkt: nu - Duration::days(10 - i),
            bruger_id: Some(1),
            api_klient_id: None,
            rolle: "sagsbehandler".into(),
            formaal: "sag".into(),
            hvad: format!("sag {i}"),
            antal_cpr: 1,
            forrige: forrige.clone(),
            hash: String::new(),
        };
        r.tidspunkt = chrono::SubsecRound::trunc_subsecs(r.tidspunkt, 6);
        r.hash = storage::adgangslog::kaedehash(&forrige, &r, &[CPR_ANNA.to_string()]);
        let ny = adgangslog::ActiveModel {
            tidspunkt: Set(r.tidspunkt),
            bruger_id: Set(r.bruger_id),
            api_klient_id: Set(None),
            rolle: Set(r.rolle.clone()),
            formaal: Set(r.formaal.clone()),
            hvad: Set(r.hvad.clone()),
            antal_cpr: Set(1),
            forrige: Set(r.forrige.clone()),
            hash: Set(r.hash.clone()),
            ..Default::default()
        }
        .insert(c)
        .await
        .expect("gammel post");
        adgangslog_cpr::ActiveModel { cpr: Set(CPR_ANNA.into()), log_id: Set(ny.id) }.insert(c).await.expect("cpr");
        forrige = r.hash;
    }
    // A read after the upgrade, on top of the old chain.
    karen_laeser(&app).await;
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, None, "blandet kæde holder");
    let flyttet = storage::adgangslog::omlaeg_klartekst(&app.db).await.expect("omlæg");
    assert_eq!(flyttet, 3);
    assert!(adgangslog_cpr::Entity::find().all(c).await.expect("gamle").is_empty());
    let v = storage::adgangslog::verificer(&app.db).await.expect("v");
    assert_eq!((v.foerste_brud, v.antal >= 4), (None, true), "{v:?}");
    let poster = storage::adgangslog::for_cpr(&app.db, CPR_ANNA, 100).await.expect("poster");
    assert!(poster.iter().any(|p| p.hvad == "sag 0"), "{poster:?}");
    assert_eq!(storage::adgangslog::omlaeg_klartekst(&app.db).await.expect("igen"), 0);
    let (ok, ud, _) = vitas(&app, &["adgangslog", "verificer"]);
    assert!(ok && ud.contains("kæden holder"), "{ud}");
}

async fn karen_laeser(app: &TestApp) {
    let l = storage::adgangslog::Laesning {
        bruger_id: Some(app.bruger_id(KAREN).await),
        api_klient_id: None,
        rolle: "sagsbehandler".into(),
        formaal: storage::adgangslog::Formaal::Liste,
        hvad: "liste bevillinger".into(),
        cpr: vec![CPR_ANNA.into(), "1503852345".into()],
    };
    storage::adgangslog::skriv(&app.db, l, Utc::now()).await.expect("skriv");
}

/// The access log is personal data too: entries older than five years go, oldest first, and
/// the chain still verifies from the anchor the deletion left; new entries continue it.
async fn gamle_adgangslogposter_slettes(app: TestApp) {
    let nu = Utc::now();
    for aar in [7, 6, 6] {
        let l = storage::adgangslog::Laesning {
            bruger_id: Some(1),
            api_klient_id: None,
            rolle: "sagsbehandler".into(),
            formaal: storage::adgangslog::Formaal::Sag,
            hvad: format!("gammel {aar}"),
            cpr: vec![CPR_ANNA.into()],
        };
        storage::adgangslog::skriv(&app.db, l, nu - Duration::days(365 * aar)).await.expect("gammel");
    }
    karen_laeser(&app).await;
    let r = jobs::opbevaring::koer(&app.db, nu.date_naive(), nu).await.expect("jobbet");
    assert_eq!(r.adgangslog, 3);
    let poster = adgangslog::Entity::find().order_by_asc(adgangslog::Column::Id).all(&app.db.conn).await.expect("p");
    assert!(poster.iter().all(|p| !p.hvad.starts_with("gammel")), "{poster:?}");
    assert!(!poster.is_empty());
    let sletning = sletning::Entity::find()
        .filter(sletning::Column::Art.eq("adgangslog"))
        .one(&app.db.conn)
        .await
        .expect("s")
        .expect("sletningen er logget");
    assert_eq!(sletning.raekker, 3);
    assert!(sletning.til_log_id.is_some_and(|t| t < poster[0].id));
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, None);
    karen_laeser(&app).await;
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, None);
    assert_eq!(jobs::opbevaring::koer(&app.db, nu.date_naive(), nu).await.expect("igen").adgangslog, 0);
    // A removed first entry is still found: the chain no longer starts at the anchor.
    let foerste = poster[0].id;
    adgangslog_person::Entity::delete_many()
        .filter(adgangslog_person::Column::LogId.eq(foerste))
        .exec(&app.db.conn)
        .await
        .expect("slet");
    adgangslog::Entity::delete_by_id(foerste).exec(&app.db.conn).await.expect("slet");
    assert!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud.is_some());
}

paa_begge_databaser!(adgangslogen_holder_noeglede_cpr, gamle_klartekstposter_omlaegges, gamle_adgangslogposter_slettes);
