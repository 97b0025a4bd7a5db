//! Issue 14 §3: the access log. Every read of a citizen's data is an entry with who, when,
//! why and the CPR numbers shown; the chain of hashes shows any entry changed afterwards.

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};
use storage::adgangslog::{Formaal, Laesning};

use crate::atomar::{CPR_ANNA, sag_raekke};
use crate::flow::{Datoer, KAREN, Maal, sag_til};
use crate::helpers::TestApp;
use crate::klienter::vitas;

async fn sql(app: &TestApp, s: &str) {
    let c = &app.db.conn;
    c.execute_raw(Statement::from_string(c.get_database_backend(), s)).await.expect("sql");
}

async fn hvert_laes_logges_og_kaeden_holder(app: TestApp) {
    let d = Datoer::nu();
    // Lone types Anna's CPR (a DFDG lookup), the representative opens the hearing, Karen
    // decides: the flow reads Anna's data several ways.
    let (id, _lone, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    let karen_id = app.bruger_id(KAREN).await;
    for sti in [
        format!("/sager/{id}"),
        "/lister/bevillinger".to_string(),
        "/soeg?fane=bevillinger&cpr=0101901234".to_string(),
        "/excel/soeg-bevillinger?cpr=0101901234".to_string(),
        format!("/sager/{id}/pdf/bevilling"),
    ] {
        assert_eq!(karen.klient.get(app.url(&sti)).send().await.expect("GET").status(), 200, "{sti}");
    }
    let uuid = sag_raekke(&app, id).await.uuid;
    let token: serde_json::Value = app
        .client
        .post(app.url("/api/oauth/token"))
        .basic_auth(storage::demo::DEMO_API_KLIENT_ID, Some(storage::demo::DEMO_API_HEMMELIGHED))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let svar = app
        .client
        .get(app.url(&format!("/api/v1/sager/{uuid}/bevilling")))
        .bearer_auth(token["access_token"].as_str().expect("token"))
        .header("x-requestId", uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("GET");
    assert_eq!(svar.status(), 200);

    let poster = storage::adgangslog::for_cpr(&app.db, CPR_ANNA, 1000).await.expect("poster");
    let formaal: std::collections::BTreeSet<&str> = poster.iter().map(|p| p.formaal.as_str()).collect();
    for f in
        [Formaal::Opslag, Formaal::Hoering, Formaal::Sag, Formaal::Liste, Formaal::Excel, Formaal::Brev, Formaal::Api]
    {
        assert!(formaal.contains(f.kode()), "{:?} mangler i Annas log: {formaal:?}", f);
    }
    let sagen = poster.iter().find(|p| p.formaal == "sag" && p.hvad == format!("sag {id}")).expect("sagssiden");
    assert_eq!((sagen.bruger_id, sagen.rolle.as_str()), (Some(karen_id), "sagsbehandler"));
    assert!(poster.iter().any(|p| p.formaal == "api" && p.api_klient_id.is_some() && p.bruger_id.is_none()));
    assert!(
        poster.iter().all(|p| !p.hvad.contains(CPR_ANNA) && !p.hvad.contains("010190-1234")),
        "ingen CPR i teksten"
    );
    // Another citizen's extract does not hold Anna's reads.
    assert!(storage::adgangslog::for_cpr(&app.db, "1503852345", 10).await.expect("poster").is_empty());

    // The chain holds; the command says so.
    let v = storage::adgangslog::verificer(&app.db).await.expect("verificer");
    assert_eq!(v.foerste_brud, None);
    assert!(v.antal >= 7, "{v:?}");
    let (ok, ud, fejl) = vitas(&app, &["adgangslog", "verificer"]);
    assert!(ok && ud.contains("kæden holder"), "{ud}{fejl}");

    // Change an entry afterwards: the chain breaks there, and the command exits 1 naming it.
    let midt = poster[poster.len() / 2].id;
    sql(&app, &format!("UPDATE adgangslog SET hvad = 'noget andet' WHERE id = {midt}")).await;
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, Some(midt));
    let (ok, ud, _) = vitas(&app, &["adgangslog", "verificer"]);
    assert!(!ok && ud.contains(&format!("post {midt}")), "{ud}");
    sql(&app, &format!("UPDATE adgangslog SET hvad = '{}' WHERE id = {midt}", poster[poster.len() / 2].hvad)).await;
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, None, "tilbage som før");
    // Take a CPR off an entry: broken too.
    let foerste = poster.last().expect("en post").id;
    sql(&app, &format!("DELETE FROM adgangslog_cpr WHERE log_id = {foerste}")).await;
    assert_eq!(storage::adgangslog::verificer(&app.db).await.expect("v").foerste_brud, Some(foerste));
}

/// Twenty reads at once from two servers' worth of connections: the chain has one end.
async fn samtidige_poster_deler_en_kaede(app: TestApp) {
    let opgaver: Vec<_> = (0..20)
        .map(|i| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let l = Laesning {
                    bruger_id: Some(1),
                    api_klient_id: None,
                    rolle: "sagsbehandler".into(),
                    formaal: Formaal::Liste,
                    hvad: format!("liste {i}"),
                    cpr: vec!["0101901234".into(), "1503852345".into()],
                };
                storage::adgangslog::skriv(&db, l, Utc::now()).await
            })
        })
        .collect();
    for o in opgaver {
        o.await.expect("opgave").expect("skriv");
    }
    let v = storage::adgangslog::verificer(&app.db).await.expect("verificer");
    assert_eq!((v.antal, v.foerste_brud), (20, None));
}

paa_begge_databaser!(hvert_laes_logges_og_kaeden_holder, samtidige_poster_deler_en_kaede);
