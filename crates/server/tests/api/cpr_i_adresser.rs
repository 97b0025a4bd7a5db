//! Issue 14 §3 "not in URLs" (decision 80): a search by CPR number or name never puts either
//! in an address. The filter form posts; the answer's Location, every link and form action on
//! the list it leads to (pages, sorts, Excel, "Sæt ansvarlig" and its way back), and the
//! Excel job's address carry only an opaque `ref=`, which only the user who searched can use.

use reqwest::StatusCode;

use crate::flow::{KAREN, RASMUS};
use crate::helpers::{TestApp, location};
use crate::html::Person;

const CPR: &str = "0101901234";

/// Every spelling of the CPR and the name that must not stand in an address.
fn hemmeligt(tekst: &str) -> Option<&'static str> {
    let lav = tekst.to_lowercase();
    ["0101901234", "010190-1234", "010190%2d1234", "010190%2D1234", "010190", "anna"]
        .into_iter()
        .find(|s| lav.contains(&s.to_lowercase()))
}

/// Every address a page hands the browser: links, form actions, and the hidden way back.
fn adresser(html: &str) -> Vec<String> {
    let mut ud = Vec::new();
    for attr in ["href=\"", "action=\"", "src=\"", "name=\"tilbage\" value=\""] {
        for stykke in html.split(attr).skip(1) {
            if let Some(v) = stykke.split('"').next() {
                ud.push(v.replace("&amp;", "&"));
            }
        }
    }
    ud
}

fn antal(html: &str) -> u64 {
    html.split("class=\"antal\">").nth(1).and_then(|r| r.split('<').next()?.trim().parse().ok()).unwrap_or(0)
}

fn ingen_persondata_i(hvor: &str, adresser: &[String]) {
    for a in adresser {
        if let Some(s) = hemmeligt(a) {
            panic!("{hvor}: adressen {a} indeholder »{s}«");
        }
    }
}

async fn cpr_staar_aldrig_i_en_adresse(app: TestApp) {
    // More than the direct Excel limit, all with Anna's CPR: the search has pages, and its
    // Excel file is a background job.
    let n = jobs::eksport::GRAENSE as usize + 20;
    crate::eksport::mange_ansoegninger(&app, n).await;
    app.taellinger_forfra().await;
    let karen = Person::ny(&app, KAREN).await;

    // The filter form posts; the answer sends the browser to an address without the CPR.
    let soeg = karen.hent_ok("/soeg?fane=ansoegninger").await;
    let form = soeg.formular_krav("soeg-knap");
    assert_eq!(form.method, "post", "filterformularen sender med POST");
    let mut form = form;
    form.saet("cpr", "010190-1234");
    let svar = karen.send(&form).await;
    let til = svar.viderestilling();
    assert!(til.starts_with("/soeg?") && til.contains("fane=ansoegninger") && til.contains("ref="), "{til}");
    ingen_persondata_i("Location efter søgningen", std::slice::from_ref(&til));

    // The list it leads to is filtered by the CPR; nothing on it points to an address with it.
    let liste = karen.hent_ok(&til).await;
    assert_eq!(antal(&liste.html), n as u64, "søgningen på CPR finder sagerne");
    assert_eq!(liste.attr("filter-cpr", "value").as_deref(), Some("010190-1234"), "feltet viser det indtastede");
    let alle = adresser(&liste.html);
    assert!(alle.iter().any(|a| a.contains("side=2") && a.contains("ref=")), "sidelinks bærer referencen");
    assert!(alle.iter().any(|a| a.starts_with("/excel/") && a.contains("ref=")), "Excel bærer referencen");
    ingen_persondata_i("listen", &alle);

    // Page 2 and a sort link keep the search.
    let side2 = alle.iter().find(|a| a.contains("side=2")).expect("side 2").clone();
    let s2 = karen.hent_ok(&side2).await;
    assert_eq!(antal(&s2.html), n as u64, "side 2 er samme søgning");
    ingen_persondata_i("side 2", &adresser(&s2.html));

    // "Sæt ansvarlig" goes back to the same search, by reference.
    let mut saet = liste.formular_krav("saet-ansvarlig-knap");
    let tilbage = saet.felt("tilbage").expect("tilbage").to_string();
    assert!(tilbage.contains("ref="), "{tilbage}");
    let foerste = liste.html.split("name=\"sag\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("række");
    saet.felter.push(("sag".into(), foerste.into()));
    let svar = karen.send(&saet).await;
    let tilbage = svar.viderestilling();
    ingen_persondata_i("Location efter Sæt ansvarlig", std::slice::from_ref(&tilbage));
    assert_eq!(antal(&karen.hent_ok(&tilbage).await.html), n as u64, "tilbage til samme søgning");

    // The Excel order: a job whose address and status hold no CPR, and whose file is filtered.
    let mut excel = liste.formular_krav("excel-link");
    excel.action = excel.action.replace("&amp;", "&");
    let svar = karen.send(&excel).await;
    let job = svar.viderestilling();
    assert!(job.starts_with("/eksport/"), "{job}");
    ingen_persondata_i("Excel-jobbets adresse", std::slice::from_ref(&job));
    let side = karen.hent_ok(&job).await;
    ingen_persondata_i("Excel-jobbets side", &adresser(&side.html));
    let status = karen.klient.get(app.url(&format!("{job}/status"))).send().await.expect("status");
    let status = status.text().await.expect("tekst");
    assert!(hemmeligt(&status).is_none(), "jobbets status: {status}");
    let bestilling =
        storage::job::hent_for_bruger(&app.db, job.trim_start_matches("/eksport/"), app.bruger_id(KAREN).await)
            .await
            .expect("jobbet");
    assert!(bestilling.payload.contains(CPR), "jobbet selv filtrerer på CPR'et (i databasen, ikke i en adresse)");

    // A name is personal data too: the same for a name search.
    let mut form = soeg.formular_krav("soeg-knap");
    form.saet("navn", "Anna");
    let til_navn = karen.send(&form).await.viderestilling();
    ingen_persondata_i("Location efter navnesøgning", std::slice::from_ref(&til_navn));
    let navneliste = karen.hent_ok(&til_navn).await;
    assert!(antal(&navneliste.html) > 0, "navnesøgningen finder noget");
    ingen_persondata_i("navnelisten", &adresser(&navneliste.html));

    // An old address with the CPR in it is sent on without it.
    let svar = karen.klient.get(app.url(&format!("/soeg?fane=ansoegninger&cpr={CPR}&sort=navn"))).send().await;
    let svar = svar.expect("GET");
    assert_eq!(svar.status(), StatusCode::SEE_OTHER);
    let videre = location(&svar).expect("Location");
    ingen_persondata_i("gammel adresse", std::slice::from_ref(&videre));
    assert!(videre.contains("sort=navn") && videre.contains("ref="), "de andre filtre bliver: {videre}");
    let svar = karen.klient.get(app.url("/lister/ansoegninger?navn=anna")).send().await.expect("GET");
    assert_eq!(svar.status(), StatusCode::SEE_OTHER);
    ingen_persondata_i("gammel listeadresse", &[location(&svar).expect("Location")]);

    // The reference is Karen's: another user gets the list without the filter and a message.
    let rasmus = Person::ny(&app, RASMUS).await;
    let hos_rasmus = rasmus.hent_ok(&til).await;
    assert!(hos_rasmus.html.contains("Søgningen på CPR-nummer eller navn er udløbet"), "{}", hos_rasmus.html);
    assert_eq!(hos_rasmus.attr("filter-cpr", "value").as_deref(), Some(""), "Rasmus ser ikke Karens søgning");
    // A made-up reference: the same.
    let opdigtet = karen.hent_ok("/soeg?fane=ansoegninger&ref=0000").await;
    assert!(opdigtet.html.contains("udløbet"));
    assert!(antal(&opdigtet.html) >= n as u64, "uden filteret vises hele listen");

    // After 12 hours the worker's clean-up removes the search (it holds the CPR), and the
    // reference no longer works for Karen either.
    assert!(!karen.hent_ok(&til).await.html.contains("udløbet"), "referencen virker endnu");
    let fjernet = storage::soegefilter::ryd_op(&app.db, chrono::Utc::now() + storage::soegefilter::LEVETID)
        .await
        .expect("ryd op");
    assert!(fjernet >= 2, "CPR- og navnesøgningen er fjernet: {fjernet}");
    assert!(karen.hent_ok(&til).await.html.contains("udløbet"), "referencen er udløbet");
}

paa_begge_databaser!(cpr_staar_aldrig_i_en_adresse);
