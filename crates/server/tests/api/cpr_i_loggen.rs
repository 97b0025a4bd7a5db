//! Issue 14 §3–4: no CPR number reaches the log. The test binary's whole log output, at the
//! production level and at debug for VITAS's own crates, is captured from the first test
//! that asks; a scenario that handles CPR numbers every way VITAS does (typed, looked up,
//! searched, exported, fetched by the API, printed, refused, failed) runs on each database;
//! then the capture is searched for every CPR of the demo world, in both spellings. Every
//! other test running in the binary at the same time logs into the same capture, so they are
//! searched too.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use reqwest::StatusCode;
use storage::Fejlpunkt;

use crate::flow::{Datoer, KAREN, Maal, sag_til};
use crate::helpers::TestApp;

/// Every CPR the tests use: the demo world's citizens (storage::demo) and the one typed wrong.
const CPR: [&str; 11] = [
    "0101901234",
    "1503852345",
    "2207793456",
    "0912884567",
    "3006925678",
    "1111816789",
    "0405957890",
    "2808898901",
    "1702760123",
    "0303001234",
    "3213901234",
];

#[derive(Clone)]
struct Opsamling(Arc<Mutex<Vec<u8>>>);

impl Write for Opsamling {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The capture, installed as the process's log subscriber the first time.
fn opsamling() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let skriver = Opsamling(buf.clone());
        let filter = tracing_subscriber::EnvFilter::new(
            "info,web=debug,storage=debug,jobs=debug,server=debug,domain=debug,documents=debug",
        );
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(move || skriver.clone())
            .try_init()
            .expect("testens log-opsamling skal være den eneste subscriber");
        buf
    })
    .clone()
}

async fn ingen_cpr_i_loggen(app: TestApp) {
    let log = opsamling();
    let d = Datoer::nu();
    // Typed, looked up in DFDG, sent, heard, granted (the flow types Anna's CPR on step 3).
    let (id, lone, karen) = sag_til(&app, Maal::Bevilget, &d).await;
    // A CPR typed wrong is refused with a message that does not repeat it.
    let kladde = crate::flow::ny_ansoegning(&lone).await;
    let svar = lone.post(&format!("/sager/{kladde}/trin/3"), &[("samtykke", "on"), ("cpr", "321390-1234")]).await;
    assert!(svar.status.as_u16() < 500);
    // Searched and sorted by CPR and name, exported, printed.
    for sti in [
        "/soeg?fane=ansoegninger&cpr=010190-1234".to_string(),
        "/soeg?fane=bevillinger&cpr=0101901234&sort=cpr".to_string(),
        "/lister/ansoegninger?navn=Anna&sort=navn".to_string(),
        "/excel/soeg-bevillinger?cpr=0101901234".to_string(),
        format!("/sager/{id}/pdf/bevilling"),
        format!("/sager/{id}"),
        "/soeg?fane=ansoegninger&cpr=0101901234%00".to_string(),
    ] {
        let mut s = karen.klient.get(app.url(&sti)).send().await.expect("GET");
        if s.status().is_redirection() {
            // A CPR in a list's address is swapped for a reference (decision 80).
            s = crate::helpers::folg_med(&karen.klient, &app.address, s).await;
        }
        assert!(s.status().as_u16() < 500, "{sti}: {}", s.status());
    }
    // The way the page searches: the filter form posts the CPR and the name, and the list it
    // leads to, its sort link and its Excel file are fetched (decision 80). The request spans
    // record the path only, and no address holds the CPR anyway.
    for (fane, felt, vaerdi) in
        [("bevillinger", "cpr", "010190-1234"), ("ansoegninger", "cpr", "0101901234"), ("bevillinger", "navn", "Anna")]
    {
        let side = karen.hent_ok(&format!("/soeg?fane={fane}")).await;
        let mut form = side.formular_krav("soeg-knap");
        form.saet(felt, vaerdi);
        let til = karen.send(&form).await.viderestilling();
        let liste = karen.hent_ok(&til).await;
        let mut excel = liste.formular_krav("excel-link");
        excel.action = excel.action.replace("&amp;", "&");
        assert!(karen.send(&excel).await.status.as_u16() < 500, "Excel af søgningen");
        let sorteret =
            liste.html.split("href=\"").skip(1).filter_map(|r| r.split('"').next()).find(|h| h.contains("sort=cpr"));
        if let Some(h) = sorteret {
            karen.hent_ok(&h.replace("&amp;", "&")).await;
        }
    }
    // Fetched by a municipal system through the API.
    let uuid = crate::atomar::sag_raekke(&app, id).await.uuid;
    let token = app.api_token(storage::demo::DEMO_API_KLIENT_ID, storage::demo::DEMO_API_HEMMELIGHED).await;
    // A CPR put where an id or an action belongs: refused, and the spans name no such value.
    let s = app.api_get(&token, "/api/v1/sager/0101901234/ansoegning").await;
    assert_eq!(s.status(), StatusCode::BAD_REQUEST);
    let sag = crate::atomar::sag_raekke(&app, id).await;
    let svar = karen.post(&format!("/sager/{id}/handling/010190-1234"), &[("version", &sag.version.to_string())]).await;
    assert!(svar.status.as_u16() < 500, "ukendt handling: {}", svar.status);
    for sti in [format!("/api/v1/sager/{uuid}/ansoegning"), format!("/api/v1/sager/{uuid}/bevilling")] {
        let s = app.api_get(&token, &sti).await;
        assert_eq!(s.status(), StatusCode::OK, "{sti}");
        assert!(s.text().await.expect("tekst").contains("0101901234"), "API'et viser CPR'et");
    }
    // The worker's jobs (e-mails, notifications), and a state change that fails midway.
    app.koer_jobs().await;
    app.db.injicer_fejl(Some(Fejlpunkt::EfterSag));
    let sag = crate::atomar::sag_raekke(&app, id).await;
    let _ = karen.post(&format!("/sager/{id}/gensend"), &[("version", &sag.version.to_string())]).await;
    app.db.injicer_fejl(None);
    let _ = KAREN;

    let tekst = String::from_utf8_lossy(&log.lock().unwrap_or_else(PoisonError::into_inner)).to_string();
    assert!(tekst.contains("navneopslag i DFDG"), "opsamlingen fangede ikke loggen:\n{tekst}");
    // Issue 13 §6: the handlers' and the repository's spans name the case, not the person.
    assert!(tekst.contains(&format!("sag_id={id}")), "ingen span med sagens id i loggen");
    for cpr in CPR {
        for stavet in [cpr.to_string(), format!("{}-{}", &cpr[..6], &cpr[6..])] {
            if let Some(i) = tekst.find(&stavet) {
                let start = tekst[..i].rfind('\n').map_or(0, |n| n + 1);
                let slut = tekst[i..].find('\n').map_or(tekst.len(), |n| i + n);
                panic!("CPR {stavet} står i loggen:\n{}", &tekst[start..slut]);
            }
        }
    }
}

paa_begge_databaser!(ingen_cpr_i_loggen);
