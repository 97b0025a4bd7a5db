//! Issue 11 §5: with a read replica (`VITAS_READ_DATABASE_URL`), the lists, Søg, the front
//! page's counters and the Excel exports read from it, and a user's own write is on their next
//! page (decisions 115–116).
//!
//! The "replica" here is a second database, a copy of the same template as the primary (the
//! same demo world, the same ids), that the test writes different cases into. So a page shows
//! which database it was read from: the replica's cases, or the primary's. The real streaming
//! replica is in `scripts/multi-node-test.sh`.

use domain::policy::Aktoer;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeSet;
use std::time::Duration;
use storage::entity::{job, sag};
use storage::lister::{self, Filter, Liste, Sortering};

use crate::eksport::{ids_i_arket, mange_ansoegninger};
use crate::flow::{Datoer, KAREN, Maal, handling, sag_til};
use crate::helpers::TestApp;
use crate::html::{Person, Side};

/// The test's read-your-writes window: short, so the test can wait it out.
const VINDUE: Duration = Duration::from_secs(2);

/// The cases the replica holds and the primary does not (all received applications from
/// Nordlys in København).
const I_REPLIKAEN: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lister_laeser_replikaen_sqlite() {
    let replika = TestApp::sqlite().await;
    let r = replika.db.clone();
    let app = TestApp::sqlite_med(move |s| s.med_laese_db(r, VINDUE)).await;
    lister_laeser_replikaen(app, replika).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lister_laeser_replikaen_postgres() {
    let Some(replika) = TestApp::postgres().await else { return };
    let r = replika.db.clone();
    let Some(app) = TestApp::postgres_med(move |s| s.med_laese_db(r, VINDUE)).await else { return };
    lister_laeser_replikaen(app, replika).await;
}

/// The ids of the cases in a database, in id order.
async fn sags_ids(app: &TestApp) -> Vec<i64> {
    sag::Entity::find()
        .order_by_asc(sag::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("sagerne")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

/// What a page of cases shows: the ids it links to, among those asked about.
fn viste(side: &Side, ids: &BTreeSet<i64>) -> BTreeSet<i64> {
    ids.iter().copied().filter(|id| side.har_link(&format!("/sager/{id}"))).collect()
}

/// The front page's counter "Modtagne ansøgninger".
fn modtagne(side: &Side) -> u64 {
    let hale = "</span> Modtagne ansøgninger";
    let slut = side.html.find(hale).unwrap_or_else(|| panic!("forsiden har ingen tæller Modtagne\n{}", side.html));
    let foer = &side.html[..slut];
    let start = foer.rfind('>').expect("tællerens tal") + 1;
    foer[start..].trim().parse().unwrap_or_else(|_| panic!("tælleren er ikke et tal: {}", &foer[start..]))
}

/// The rows of Søg's Ansøgninger as Excel, fetched at once (a small list).
async fn excel_ids(p: &Person) -> BTreeSet<i64> {
    let svar = p.klient.get(format!("{}/excel/soeg-ansoegninger", p.adresse)).send().await.expect("GET excel");
    assert_eq!(svar.status(), reqwest::StatusCode::OK, "Excel-udtrækket");
    ids_i_arket(&svar.bytes().await.expect("filen"), "Ansøgninger og tilbud").into_iter().collect()
}

async fn lister_laeser_replikaen(app: TestApp, replika: TestApp) {
    // The replica gets cases the primary never has; the primary gets one case, over HTTP.
    mange_ansoegninger(&replika, I_REPLIKAEN).await;
    let (id, lone, karen) = sag_til(&app, Maal::Modtaget, &Datoer::nu()).await;
    let i_replikaen: BTreeSet<i64> = sags_ids(&replika).await.into_iter().collect();
    assert_eq!(sags_ids(&app).await, vec![id], "den primære har kun sagen fra HTTP");
    let kun_i_replikaen: BTreeSet<i64> = i_replikaen.iter().copied().filter(|i| *i != id).collect();
    assert!(!kun_i_replikaen.is_empty(), "replikaen har sager, den primære ikke har: {i_replikaen:?}");
    let alle: BTreeSet<i64> = i_replikaen.iter().copied().chain([id]).collect();
    let primaerens = BTreeSet::from([id]);

    // Everybody's last write (the logins, the company's form) is older than the window: the
    // lists, the counters and the export read the replica, which has not seen the case.
    tokio::time::sleep(VINDUE + Duration::from_millis(300)).await;
    let soeg = karen.hent_ok("/soeg?fane=ansoegninger").await;
    assert_eq!(viste(&soeg, &alle), i_replikaen, "Søg læser replikaen\n{}", soeg.html);
    assert_eq!(viste(&karen.hent_ok("/sager").await, &alle), i_replikaen, "Sager læser replikaen");
    assert_eq!(viste(&karen.hent_ok("/lister/ansoegninger").await, &alle), i_replikaen, "listen læser replikaen");
    let forside = karen.hent_ok("/").await;
    assert_eq!(modtagne(&forside), I_REPLIKAEN as u64, "forsidens tæller læser replikaen");
    assert_eq!(excel_ids(&karen).await, i_replikaen, "Excel-udtrækket læser replikaen");
    // The case page is never a list: it reads the primary, where the case is.
    karen.hent_ok(&format!("/sager/{id}")).await;

    // Karen grants the case. Her next pages read the primary: she sees her own change.
    handling(&karen, id, "godkend-ansoegning").await;
    let sager = karen.hent_ok("/sager").await;
    assert_eq!(viste(&sager, &alle), primaerens, "efter sin egen ændring læser hun den primære\n{}", sager.html);
    assert_eq!(modtagne(&karen.hent_ok("/").await), 0, "tælleren fra den primære: sagen er ikke længere modtaget");
    assert!(excel_ids(&karen).await.is_disjoint(&kun_i_replikaen), "udtrækket efter ændringen læser den primære");
    // Only her: the company wrote nothing within the window, and reads the replica.
    assert_eq!(viste(&lone.hent_ok("/sager").await, &alle), i_replikaen, "virksomheden læser stadig replikaen");

    // When the window has passed, Karen reads the replica again.
    tokio::time::sleep(VINDUE + Duration::from_millis(300)).await;
    assert_eq!(viste(&karen.hent_ok("/sager").await, &alle), i_replikaen, "efter vinduet læses replikaen igen");
    // A search through the filter form and an export ordered by POST change nothing a list
    // shows: they set no write mark, and the next lists still read the replica (decision 116).
    let til = karen.post("/soeg", &[("fane", "ansoegninger")]).await.viderestilling();
    assert_eq!(viste(&karen.hent_ok(&til).await, &alle), i_replikaen, "efter en søgning læses stadig replikaen");
    assert_eq!(karen.post("/excel/soeg-ansoegninger", &[]).await.status, reqwest::StatusCode::OK);
    assert_eq!(viste(&karen.hent_ok("/sager").await, &alle), i_replikaen, "efter en Excel-bestilling læses replikaen");

    // The worker's export job reads the replica too, unless its order says the primary.
    let karen_id = app.bruger_id(KAREN).await;
    let aktoer = Aktoer::Sagsbehandler { jobcenter_id: crate::atomar::jobcenter_id(&app, "0101").await };
    let liste = Liste::SoegAnsoegninger;
    let fra = |db: storage::Db| {
        let a = aktoer.clone();
        async move {
            let s =
                lister::side(&db, &a, liste, &Filter::default(), Sortering::default(), 1, 500).await.expect("listen");
            s.raekker.iter().map(|r| r.sag.id).collect::<BTreeSet<i64>>()
        }
    };
    let (fra_replikaen, fra_primaeren) = (fra(replika.db.clone()).await, fra(app.db.clone()).await);
    assert_ne!(fra_replikaen, fra_primaeren, "listen er forskellig i de to databaser");
    let k = app.kontekst().med_replika(replika.db.clone());
    for (laes_primaer, forventet) in [(false, &fra_replikaen), (true, &fra_primaeren)] {
        let bestilling = jobs::eksport::Bestilling {
            aktoer: aktoer.clone(),
            virksomhed: false,
            liste,
            filter: Filter::default(),
            sortering: Sortering::default(),
            laes_primaer,
        };
        let payload = serde_json::to_string(&bestilling).expect("json");
        let nu = chrono::Utc::now();
        let j = match storage::job::bestil_for_bruger(&app.db, jobs::eksport::ART, &payload, karen_id, None, 10, nu)
            .await
            .expect("jobbet")
        {
            storage::job::Bestilt::Ny(j) => j,
            _ => panic!("et nyt job"),
        };
        server::worker::koer_en_gang(&k).await.expect("workeren");
        let j =
            job::Entity::find().filter(job::Column::Id.eq(j.id)).one(&app.db.conn).await.expect("job").expect("job");
        let fil = app.data_dir.join("eksport").join(j.resultat.as_deref().expect("jobbets fil"));
        let ids: BTreeSet<i64> =
            ids_i_arket(&std::fs::read(&fil).expect("filen"), "Ansøgninger og tilbud").into_iter().collect();
        assert_eq!(&ids, forventet, "eksportjobbet med laes_primaer={laes_primaer}");
    }
}
