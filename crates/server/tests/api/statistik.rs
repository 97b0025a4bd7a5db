//! Issue 12 §1: the statistics dashboard over HTTP. Who sees it, which area, the figures of a
//! known set of cases in the table, the CSV and the Excel file, small counts as "<5", and
//! hostile addresses.

use chrono::{NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::status::{AfgoerelseStatus, AnsoegningStatus};
use reqwest::StatusCode;
use sea_orm::Set;
use storage::entity::sag;

use crate::atomar::jobcenter_id;
use crate::flow::{KAREN, LONE};
use crate::helpers::TestApp;
use crate::html::{Person, Side, tekst_af};

const SOFIE_ADMIN_KBH: &str = "sofie.dahl@jobcenter-koebenhavn.dk";
const THOMAS_ADMIN_AARHUS: &str = "thomas.friis@jobcenter-aarhus.dk";
const GITTE_STAR: &str = "gitte.lauridsen@star.dk";

/// The period every request below asks for.
const PERIODE: &str = "fra=2026-01&til=2026-06";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("dato")
}

/// A received løntilskud application in `jc`, decided on `afgjort` when given.
fn ansoegning(jc: i64, modtaget: NaiveDate, afgjort: Option<(NaiveDate, bool)>) -> sag::ActiveModel {
    let nu = Utc::now();
    let (ans, afg, dato) = match afgjort {
        None => (AnsoegningStatus::Modtaget, None, None),
        Some((dato, true)) => {
            (AnsoegningStatus::Godkendt, Some(AfgoerelseStatus::GodkendtAfVirksomhed.kode().to_string()), Some(dato))
        }
        Some((dato, false)) => (AnsoegningStatus::Afvist, None, Some(dato)),
    };
    sag::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        ordning: Set(Ordning::Loentilskud.kode().into()),
        sagsart: Set(Sagsart::Ansoegning.kode().into()),
        ansoegning_status: Set(Some(ans.kode().into())),
        afgoerelse_status: Set(afg),
        forlaengelse_status: Set(None),
        jobcenter_id: Set(Some(jc)),
        team_id: Set(None),
        ansvarlig_id: Set(None),
        anden_aktoer_id: Set(None),
        hovedsag_id: Set(None),
        cvr: Set("25348710".into()),
        pnummer: Set(None),
        cpr: Set(Some("0101901234".into())),
        borger_navn_soeg: Set(None),
        borger_navn_sort: Set(None),
        borger_navn: Set(None),
        startdato: Set(Some(d("2026-05-01"))),
        slutdato: Set(Some(d("2026-12-31"))),
        oprindelig_slutdato: Set(Some(d("2026-12-31"))),
        timer_hundrededele: Set(None),
        modtaget_dato: Set(Some(modtaget)),
        afgoerelse_dato: Set(dato),
        godkendt_dato: Set(None),
        konfliktramt: Set(false),
        oprettet_af: Set(None),
        oprettet: Set(nu),
        aendret: Set(nu),
        version: Set(1),
        ..Default::default()
    }
}

/// København: 8 applications received on 1 March 2026, all decided on 11 April (41 days): 6
/// granted (active from 1 May), 2 rejected. Aarhus: 3 applications in March, not decided.
/// Then the rollup.
async fn kendte_sager(app: &TestApp) {
    let kbh = jobcenter_id(app, "0101").await;
    let aarhus = jobcenter_id(app, "0751").await;
    let mut s = Vec::new();
    for i in 0..8 {
        let afgjort = Some((d("2026-04-11"), i < 6));
        s.push(ansoegning(kbh, d("2026-03-01"), afgjort));
    }
    for _ in 0..3 {
        s.push(ansoegning(aarhus, d("2026-03-15"), None));
    }
    app.indsaet_sager(s).await;
    storage::statistik::opgoer(&app.db, Utc::now()).await.expect("opgørelsen");
}

/// The cells of the row of table `tabel` whose heading is `raekke`, as text.
fn celler(side: &Side, tabel: &str, raekke: &str) -> Vec<String> {
    let html = side.indre_html(tabel).unwrap_or_else(|| panic!("tabellen {tabel} mangler:\n{}", side.html));
    html.split("<tr>")
        .map(tekst_af)
        .find(|r| r.starts_with(&format!("{raekke} ")))
        .unwrap_or_else(|| panic!("rækken {raekke} mangler i {tabel}: {}", tekst_af(html)))
        .trim_start_matches(raekke)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

async fn dashboard_kun_for_administratorer(app: TestApp) {
    for hvem in [Person::ny(&app, KAREN).await, Person::ny(&app, LONE).await] {
        let side = hvem.hent("/admin/statistik").await;
        assert_eq!(side.status, StatusCode::NOT_FOUND, "{}", side.html);
        let svar = hvem.klient.get(app.url("/admin/statistik/ansoegninger.csv")).send().await.expect("GET");
        assert_eq!(svar.status(), StatusCode::NOT_FOUND);
        assert!(!side.har_link("/admin/statistik"), "menuen viser Statistik");
    }
    let anonym = Person::anonym(&app);
    let svar = anonym.klient.get(app.url("/admin/statistik")).send().await.expect("GET");
    assert!(matches!(svar.status(), StatusCode::SEE_OTHER | StatusCode::NOT_FOUND), "{}", svar.status());
    let svar = anonym.klient.get(app.url("/admin/statistik/ansoegninger.xlsx")).send().await.expect("GET");
    assert_ne!(svar.status(), StatusCode::OK);

    // An administrator has the menu link, and before the first rollup the page says so.
    let sofie = Person::ny(&app, SOFIE_ADMIN_KBH).await;
    let side = sofie.hent_ok("/admin/statistik").await;
    assert!(side.har_link("/admin/statistik"));
    assert!(side.har_id("ikke-opgjort"), "{}", side.al_tekst());
}

async fn kendte_sager_giver_kendte_tal(app: TestApp) {
    kendte_sager(&app).await;
    // A subscriber in each municipality: the delivery health lists each only in its own area.
    for (kode, vaert) in [("0101", "127.0.0.1:9"), ("0751", "127.0.0.2:9")] {
        storage::outbox::opret_abonnent(
            &app.db,
            kode,
            &format!("http://{vaert}/vitas"),
            "hemmelighed-paa-mindst-16-tegn",
            Utc::now(),
        )
        .await
        .expect("abonnent");
    }
    let sofie = Person::ny(&app, SOFIE_ADMIN_KBH).await;
    // Whatever the address says, København's administrator sees København.
    let side = sofie.hent_ok(&format!("/admin/statistik?{PERIODE}&omraade=kommune:0751")).await;
    assert!(side.har_id("opgjort"), "{}", side.al_tekst());
    assert!(side.al_tekst().contains("Statistik for"), "{}", side.al_tekst());
    assert_eq!(celler(&side, "tabel-ansoegninger", "marts 2026"), ["8"]);
    assert_eq!(celler(&side, "tabel-bevillinger", "april 2026"), ["6"]);
    assert_eq!(celler(&side, "tabel-bevillinger", "marts 2026"), ["0"]);
    // Active on 1 May: the six grants from 1 May.
    assert_eq!(celler(&side, "tabel-aktive", "maj 2026"), ["6"]);
    assert_eq!(celler(&side, "tabel-aktive", "april 2026"), ["0"]);
    // 8 decided, each 41 days after receipt.
    assert_eq!(celler(&side, "tabel-behandlingstid", "Løntilskud"), ["8", "41", "41"]);
    // 2 rejections are <5, so the rate is not shown either.
    assert_eq!(celler(&side, "tabel-rater", "Løntilskud"), ["6", "0", "0,0", "%", "8", "<5", "<5"]);
    assert!(!side.har_id("tabel-kommuner"), "en kommune har ingen kommunefordeling");
    let leveringer = tekst_af(side.indre_html("tabel-leveringer").expect("leveringstabellen"));
    assert!(leveringer.contains("127.0.0.1:9 (0101) 0 – 0"), "{leveringer}");
    assert!(!leveringer.contains("0751"), "Aarhus' abonnent hos København: {leveringer}");
    // Every figure has its chart, named, and its downloads.
    assert!(side.html.contains("role=\"img\" aria-label=\"Nye ansøgninger pr. måned\""), "diagrammet mangler");
    let csv_link = side.href("csv-ansoegninger");
    assert!(csv_link.contains("omraade=kommune%3A0101"), "{csv_link}");

    let svar = sofie.klient.get(app.url(&csv_link)).send().await.expect("csv");
    assert_eq!(svar.status(), StatusCode::OK);
    assert!(svar.headers()["content-type"].to_str().expect("content-type").starts_with("text/csv"));
    let csv = svar.text().await.expect("tekst");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("Måned;Løntilskud\r\n"), "{csv}");
    assert!(csv.contains("marts 2026;8\r\n"), "{csv}");

    let svar = sofie.klient.get(app.url(&side.href("xlsx-rater"))).send().await.expect("xlsx");
    assert_eq!(svar.status(), StatusCode::OK);
    let bytes = svar.bytes().await.expect("bytes");
    use calamine::{Data, Reader, Xlsx};
    let mut bog: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let ark = bog.worksheet_range_at(0).expect("ark").expect("arket");
    let raekker: Vec<Vec<Data>> = ark.rows().map(|r| r.to_vec()).collect();
    assert_eq!(raekker[0][0], Data::String("Ordning".into()));
    assert_eq!(raekker[1][0], Data::String("Løntilskud".into()));
    assert_eq!(raekker[1][1], Data::Float(6.0));
    assert_eq!(raekker[1][5], Data::String("<5".into()), "{raekker:?}");

    // Aarhus' administrator asks for København: sees Aarhus, and its 3 applications as <5.
    let thomas = Person::ny(&app, THOMAS_ADMIN_AARHUS).await;
    let side = thomas.hent_ok(&format!("/admin/statistik?{PERIODE}&omraade=kommune:0101")).await;
    assert_eq!(celler(&side, "tabel-ansoegninger", "marts 2026"), ["<5"]);
    let csv = thomas
        .klient
        .get(app.url(&format!("/admin/statistik/ansoegninger.csv?{PERIODE}&omraade=kommune:0101")))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("tekst");
    assert!(csv.contains("marts 2026;<5\r\n"), "{csv}");
    assert!(!csv.contains(";8") && !csv.contains(";3\r"), "{csv}");

    // STAR: the country (8 + 3), and per municipality; a region and one municipality on request.
    let gitte = Person::ny(&app, GITTE_STAR).await;
    let side = gitte.hent_ok(&format!("/admin/statistik?{PERIODE}")).await;
    assert_eq!(celler(&side, "tabel-ansoegninger", "marts 2026"), ["11"]);
    assert!(side.har_id("filter-omraade"));
    let kommuner = tekst_af(side.indre_html("tabel-kommuner").expect("kommunetabel"));
    assert!(kommuner.contains("København 8 6"), "København: 8 ansøgninger, 6 bevillinger: {kommuner}");
    let leveringer = tekst_af(side.indre_html("tabel-leveringer").expect("leveringstabellen"));
    assert!(leveringer.contains("(0101)") && leveringer.contains("(0751)"), "{leveringer}");
    let side = gitte.hent_ok(&format!("/admin/statistik?{PERIODE}&omraade=kommune:0751")).await;
    assert_eq!(celler(&side, "tabel-ansoegninger", "marts 2026"), ["<5"]);
    let side = gitte.hent_ok(&format!("/admin/statistik?{PERIODE}&omraade=region:Region+Hovedstaden")).await;
    assert_eq!(celler(&side, "tabel-ansoegninger", "marts 2026"), ["8"]);
    // A jobcentre administrator gets no area select.
    assert!(!sofie.hent_ok("/admin/statistik").await.har_id("filter-omraade"));
}

async fn fjendtlige_adresser_giver_aldrig_500(app: TestApp) {
    kendte_sager(&app).await;
    let gitte = Person::ny(&app, GITTE_STAR).await;
    for q in [
        "fra=2026-13&til=2026-01",
        "fra=1900-01&til=2099-12",
        "fra=0000-00",
        "fra=%FF%FE&til=%00",
        "ordning=%3Cscript%3Ealert(1)%3C/script%3E",
        "omraade=region:%27%3B%20DROP%20TABLE%20sag%3B--",
        "omraade=kommune:",
        "fra=2026-01&fra=2027-01&til=2026-02",
        "%%%",
        "fra=-999999-01&til=999999-12",
    ] {
        for sti in [format!("/admin/statistik?{q}"), format!("/admin/statistik/rater.csv?{q}")] {
            let svar = gitte.klient.get(app.url(&sti)).send().await.expect("GET");
            let status = svar.status();
            let tekst = svar.text().await.unwrap_or_default();
            assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{sti}: {status}");
            assert!(!tekst.contains("<script>alert"), "{sti}: input gengivet uden escaping");
        }
    }
    let side = gitte.hent_ok("/admin/statistik?fra=2000-01&til=2026-01").await;
    assert!(side.tekst_krav("filterfejl").contains("højst være 10 år"), "{}", side.al_tekst());
    for fil in ["findes-ikke.csv", "rater.pdf", "rater", "..%2F..%2Fetc.csv"] {
        let svar = gitte.klient.get(app.url(&format!("/admin/statistik/{fil}"))).send().await.expect("GET");
        assert_eq!(svar.status(), StatusCode::NOT_FOUND, "{fil}");
    }
}

paa_begge_databaser!(
    dashboard_kun_for_administratorer,
    kendte_sager_giver_kendte_tal,
    fjendtlige_adresser_giver_aldrig_500
);
