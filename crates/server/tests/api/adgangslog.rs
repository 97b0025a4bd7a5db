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
        let mut svar = karen.klient.get(app.url(&sti)).send().await.expect("GET");
        if svar.status().is_redirection() {
            // A CPR in a list's address is swapped for a reference first (decision 80).
            svar = crate::helpers::folg_med(&karen.klient, &app.address, svar).await;
        }
        assert_eq!(svar.status(), 200, "{sti}");
    }
    let uuid = sag_raekke(&app, id).await.uuid;
    let token = app.api_token(storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    let svar = app.api_get(&token, &format!("/api/v1/sager/{uuid}/bevilling")).await;
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
    sql(&app, &format!("DELETE FROM adgangslog_person WHERE log_id = {foerste}")).await;
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

/// Issue 14 §3: the citizen's extract (Art. 15). STAR sees every case and every read; a
/// jobcentre's administrator its own; a caseworker none. The CPR goes in the body, and making
/// the extract is itself logged.
async fn indsigt_for_en_borger(app: TestApp) {
    use crate::html::Person;
    let d = Datoer::nu();
    let (id, _lone, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    assert_eq!(karen.klient.get(app.url(&format!("/sager/{id}"))).send().await.expect("GET").status(), 200);
    let gitte = Person::ny(&app, "gitte.lauridsen@star.dk").await;
    let side = gitte.hent_ok("/admin/indsigt").await;
    assert!(side.html.contains("artikel 15"));
    let svar = gitte.post("/admin/indsigt", &[("cpr", "010190-1234")]).await;
    assert_eq!(svar.status, 200, "{}", svar.html);
    assert!(svar.html.contains(&format!("href=\"/sager/{id}\"")), "sagen står i udtrækket");
    assert!(svar.html.contains("Karen Holm") && svar.html.contains("Sagen blev åbnet"), "Karens opslag står der");
    assert!(svar.html.contains("Navnet blev slået op i DFDG"));
    let json =
        gitte.klient.post(app.url("/admin/indsigt/json")).form(&[("cpr", "0101901234")]).send().await.expect("POST");
    assert_eq!(json.status(), 200);
    let j: serde_json::Value = json.json().await.expect("json");
    assert_eq!(j["sager"][0]["vitasId"], id);
    assert!(j["laesninger"].as_array().is_some_and(|l| l.iter().any(|x| x["hvem"] == "Karen Holm")));
    // The PDF to hand to the citizen: the case and Karen's read in its text (poppler's pdftotext).
    let pdf =
        gitte.klient.post(app.url("/admin/indsigt/pdf")).form(&[("cpr", "0101901234")]).send().await.expect("POST");
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    let bytes = pdf.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF"));
    let fil = std::env::temp_dir().join(format!("vitas-indsigt-{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(&fil, &bytes).expect("skriv pdf");
    let ud = std::process::Command::new("pdftotext").arg(&fil).arg("-").output().expect("pdftotext (poppler-utils)");
    let _ = std::fs::remove_file(&fil);
    let tekst = String::from_utf8_lossy(&ud.stdout);
    for ventet in ["Indsigt i oplysninger i VITAS", "010190-1234", &id.to_string(), "Karen Holm", "Sagen blev åbnet"] {
        assert!(tekst.contains(ventet), "PDF'en mangler {ventet}:\n{tekst}");
    }
    // The extract itself is a read.
    let poster = storage::adgangslog::for_cpr(&app.db, CPR_ANNA, 100).await.expect("poster");
    assert!(poster.iter().any(|p| p.formaal == "indsigt" && p.rolle == "styrelse"));

    // København's administrator sees København's case; Aarhus' sees neither it nor
    // København's reads; a caseworker has no such page.
    let sofie = Person::ny(&app, "sofie.dahl@jobcenter-koebenhavn.dk").await;
    let s = sofie.post("/admin/indsigt", &[("cpr", "0101901234")]).await;
    assert!(s.html.contains(&format!("href=\"/sager/{id}\"")) && s.html.contains("Karen Holm"));
    let thomas = Person::ny(&app, "thomas.friis@jobcenter-aarhus.dk").await;
    let s = thomas.post("/admin/indsigt", &[("cpr", "0101901234")]).await;
    assert_eq!(s.status, 200);
    assert!(
        !s.html.contains(&format!("/sager/{id}\"")) && !s.html.contains("Karen Holm"),
        "Aarhus ser ikke Københavns"
    );
    assert_eq!(karen.hent("/admin/indsigt").await.status, 404);
    assert_eq!(karen.post("/admin/indsigt", &[("cpr", "0101901234")]).await.status, 404);
    // A CPR typed wrong gets the Danish message at the field.
    let s = gitte.post("/admin/indsigt", &[("cpr", "0101")]).await;
    assert!(s.html.contains("id=\"cpr-fejl\""), "{}", s.html);
}

paa_begge_databaser!(indsigt_for_en_borger);
