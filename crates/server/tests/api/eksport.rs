//! Issue 3 §4: a large Excel export runs as a background job with progress, and the job
//! queue under it (`storage::job`): claims under a lease, a crashed worker's job claimed
//! again, and never one job to two claimers.

use chrono::{Duration, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::Aktoer;
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::AnsoegningStatus;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashSet;
use storage::entity::{bruger, job, sag};
use storage::lister::{self, Filter, Kolonne, Liste, Sortering};

use crate::atomar::jobcenter_id;
use crate::flow::KAREN;
use crate::helpers::{TestApp, location};
use crate::html::Person;

const NAVNE: [&str; 7] =
    ["Åse Østergård", "Aage Aagaard", "Anna Jensen", "Ærø Bach", "Zacharias Lund", "Bo Ek", "Ida Berg"];

/// `n` received applications in København, inserted in batches.
pub async fn mange_ansoegninger(app: &TestApp, n: usize) {
    let jc = jobcenter_id(app, "0101").await;
    let nu = Utc::now();
    let modeller: Vec<sag::ActiveModel> = (1..=n)
        .map(|i| {
            // Several cases per name, and some without: ties are broken by id.
            let navn = (!i.is_multiple_of(9)).then(|| NAVNE[i % NAVNE.len()].to_string());
            sag::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4().to_string()),
                ordning: Set(Ordning::Loentilskud.kode().into()),
                sagsart: Set(Sagsart::Ansoegning.kode().into()),
                ansoegning_status: Set(Some(AnsoegningStatus::Modtaget.kode().into())),
                afgoerelse_status: Set(None),
                forlaengelse_status: Set(None),
                jobcenter_id: Set(Some(jc)),
                team_id: Set(None),
                ansvarlig_id: Set(None),
                anden_aktoer_id: Set(None),
                hovedsag_id: Set(None),
                cvr: Set("25348710".into()),
                pnummer: Set(None),
                cpr: Set(Some("0101901234".into())),
                borger_navn_soeg: Set(navn.as_deref().map(soegetekst)),
                borger_navn_sort: Set(navn.as_deref().map(sorteringsnoegle)),
                borger_navn: Set(navn),
                startdato: Set(None),
                slutdato: Set(None),
                oprindelig_slutdato: Set(None),
                timer_hundrededele: Set(None),
                modtaget_dato: Set(None),
                afgoerelse_dato: Set(None),
                godkendt_dato: Set(None),
                konfliktramt: Set(false),
                oprettet_af: Set(None),
                oprettet: Set(nu),
                aendret: Set(nu),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    app.indsaet_sager(modeller).await;
}

/// The status JSON of an export job.
async fn status(p: &Person, uuid: &str) -> serde_json::Value {
    let svar = p.klient.get(format!("{}/eksport/{uuid}/status", p.adresse)).send().await.expect("GET status");
    assert_eq!(svar.status(), StatusCode::OK, "status som {}", p.hvem);
    svar.json().await.expect("JSON")
}

/// The ids in the first column of a sheet, below its header.
pub fn ids_i_arket(bytes: &[u8], ark: &str) -> Vec<i64> {
    use calamine::{Data, Reader, Xlsx};
    let mut bog: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let omraade = bog.worksheet_range(ark).expect("ark");
    let mut raekker = omraade.rows();
    assert_eq!(raekker.next().expect("overskrift")[0], Data::String("VITAS-id".into()));
    raekker
        .map(|r| match &r[0] {
            Data::Float(x) => *x as i64,
            Data::Int(x) => *x,
            anden => panic!("id er ikke et tal: {anden:?}"),
        })
        .collect()
}

/// A list above the threshold: the order queues a job, the page shows its progress, a pass
/// of the worker runs it, and the file holds the list's rows in the list's order. Only the
/// user who ordered it sees it; after 24 hours the job and its file are gone.
async fn stor_eksport_koerer_som_job(app: TestApp) {
    let n = jobs::eksport::GRAENSE as usize + 150;
    mange_ansoegninger(&app, n).await;
    let karen = Person::ny(&app, KAREN).await;
    let a = Aktoer::Sagsbehandler { jobcenter_id: jobcenter_id(&app, "0101").await };
    let sortering = Sortering { kolonne: Kolonne::Navn, faldende: false };
    let total = lister::antal(&app.db, &a, Liste::SoegAnsoegninger, &Filter::default()).await.expect("antal");
    assert!(total > jobs::eksport::GRAENSE, "listen er over grænsen: {total}");

    // The list page orders with a form (POST → redirect → GET).
    let side = karen.hent_ok("/soeg?fane=ansoegninger&sort=navn&retning=stigende").await;
    let action = side.attr("excel-form", "action").expect("Excel-formularen");
    assert!(action.starts_with("/excel/soeg-ansoegninger?") && action.contains("sort=navn"), "{action}");
    let bestil = || async {
        let svar = karen.klient.post(app.url(&action.replace("&amp;", "&"))).send().await.expect("POST excel");
        assert_eq!(svar.status(), StatusCode::SEE_OTHER, "en stor liste bliver et job");
        location(&svar).expect("Location")
    };
    let til = bestil().await;
    let uuid = til.strip_prefix("/eksport/").expect("/eksport/{uuid}").to_string();
    assert_eq!(bestil().await, til, "samme bestilling igen følger jobbet, der allerede er i gang");
    assert_eq!(
        job::Entity::find()
            .filter(job::Column::Art.eq(jobs::eksport::ART))
            .all(&app.db.conn)
            .await
            .expect("jobs")
            .len(),
        1
    );

    let s = status(&karen, &uuid).await;
    assert_eq!(s["status"], "venter");
    assert_eq!(s["fremskridt"], 0);
    assert_eq!(s["total"], total);
    assert!(s["fil"].is_null());
    let side = karen.hent_ok(&til).await;
    assert!(side.html.contains("<progress"), "siden har en statuslinje");
    let tekst = side.tekst_krav("eksport-tekst");
    assert!(tekst.contains(&format!("0 af {}.{:03} rækker", total / 1000, total % 1000)), "{tekst}");
    assert_eq!(side.attr("eksport-tekst", "role").as_deref(), Some("status"), "skærmlæsere hører fremskridtet");
    assert!(side.har_id("eksport-opdater"), "uden JavaScript kan siden opdateres med et link");
    assert_eq!(karen.hent(&format!("/eksport/{uuid}/fil")).await.status, StatusCode::NOT_FOUND, "ingen fil endnu");

    // Someone else, even a colleague who sees the same list, gets 404.
    let kollega = bruger::Entity::find()
        .filter(bruger::Column::JobcenterId.eq(a_jobcenter(&a)))
        .filter(bruger::Column::Rolle.eq("sagsbehandler"))
        .filter(bruger::Column::Email.ne(KAREN))
        .one(&app.db.conn)
        .await
        .expect("opslag")
        .expect("en kollega i København");
    let kollega = Person::ny(&app, &kollega.email).await;
    for sti in [til.clone(), format!("{til}/status"), format!("{til}/fil")] {
        assert_eq!(kollega.hent(&sti).await.status, StatusCode::NOT_FOUND, "{sti} som en anden");
    }
    assert_eq!(karen.hent("/eksport/00000000-0000-0000-0000-000000000000").await.status, StatusCode::NOT_FOUND);

    // One pass of the worker runs the job to the end.
    assert!(app.koer_jobs().await >= 1);
    let s = status(&karen, &uuid).await;
    assert_eq!(s["status"], "faerdig", "{s}");
    assert_eq!(s["fremskridt"], total, "fremskridtet når totalen");
    assert_eq!(s["total"], total);
    let j =
        job::Entity::find().filter(job::Column::Uuid.eq(&uuid)).one(&app.db.conn).await.expect("job").expect("jobbet");
    assert_eq!(j.fremskridt, total as i64, "fremskridtet er gemt på jobbet");
    let fil_url = s["fil"].as_str().expect("fil-link").to_string();
    let side = karen.hent_ok(&til).await;
    assert_eq!(side.tekst_krav("eksport-fil"), "Hent Excel-filen");
    assert!(!side.html.contains("id=\"eksport-hent\" hidden"), "linket er synligt");

    let svar = karen.klient.get(app.url(&fil_url)).send().await.expect("GET fil");
    assert_eq!(svar.status(), StatusCode::OK);
    assert!(svar.headers()["content-disposition"].to_str().expect("header").contains("vitas-soeg-ansoegninger-"));
    let bytes = svar.bytes().await.expect("bytes");
    let mut forventet = Vec::new();
    for nr in 1..=total.div_ceil(500) {
        let s = lister::side(&app.db, &a, Liste::SoegAnsoegninger, &Filter::default(), sortering, nr, 500)
            .await
            .expect("side");
        forventet.extend(s.raekker.iter().map(|r| r.sag.id));
    }
    assert_eq!(forventet.len() as u64, total);
    assert_eq!(
        ids_i_arket(&bytes, "Ansøgninger og tilbud"),
        forventet,
        "filen har listens rækker i listens rækkefølge"
    );
    assert_eq!(kollega.hent(&fil_url).await.status, StatusCode::NOT_FOUND, "filen som en anden");

    // Kept 24 hours: then the job and its file are removed.
    let fil = app.data_dir.join("eksport").join(format!("{uuid}.xlsx"));
    assert!(fil.exists(), "filen ligger under datamappen: {}", fil.display());
    assert_eq!(jobs::ryd_op(&app.kontekst(), Utc::now() + Duration::hours(1)).await.expect("oprydning"), 0);
    assert_eq!(jobs::ryd_op(&app.kontekst(), Utc::now() + Duration::hours(25)).await.expect("oprydning"), 1);
    assert!(!fil.exists(), "filen er slettet");
    assert_eq!(karen.hent(&til).await.status, StatusCode::NOT_FOUND);
}

fn a_jobcenter(a: &Aktoer) -> i64 {
    match a {
        Aktoer::Sagsbehandler { jobcenter_id } => *jobcenter_id,
        _ => panic!("en sagsbehandler"),
    }
}

/// A failed export shows a clear Danish message on its page, and offers no file.
async fn fejlet_eksport_viser_besked(app: TestApp) {
    let karen = Person::ny(&app, KAREN).await;
    let id = app.bruger_id(KAREN).await;
    // A payload no export can read: the job fails instead of running.
    let j = storage::job::enqueue(&app.db, jobs::eksport::ART, "{}", Some(id), Some(10), Utc::now())
        .await
        .expect("enqueue");
    app.koer_jobs().await;
    let s = status(&karen, &j.uuid).await;
    assert_eq!(s["status"], "fejlet");
    assert!(s["fil"].is_null());
    let side = karen.hent_ok(&format!("/eksport/{}", j.uuid)).await;
    assert_eq!(side.attr("eksport-fejl", "role").as_deref(), Some("alert"));
    let besked = side.tekst_krav("eksport-fejl");
    assert!(besked.contains("Excel-filen blev ikke lavet") && besked.contains("Prøv at bestille den igen"), "{besked}");
    assert!(!side.har_id("eksport-opdater"), "et fejlet job opdateres ikke");
    assert_eq!(karen.hent(&format!("/eksport/{}/fil", j.uuid)).await.status, StatusCode::NOT_FOUND);
}

/// Decision 82: at most three export jobs per user waiting or running. A fourth order gets a
/// Danish 429 and queues nothing; the same order again still follows its job; another user
/// has their own three; when a job is done, a new order goes through.
async fn hoejst_tre_eksportjobs_pr_bruger(app: TestApp) {
    mange_ansoegninger(&app, jobs::eksport::GRAENSE as usize + 10).await;
    let karen = Person::ny(&app, KAREN).await;
    let karen_id = app.bruger_id(KAREN).await;
    let bestil = |p: &Person, sort: &str| {
        let (p, url) = (p.clone(), app.url(&format!("/excel/soeg-ansoegninger?sort={sort}&retning=stigende")));
        async move { p.klient.post(url).send().await.expect("POST excel") }
    };
    let aabne = || async {
        job::Entity::find()
            .filter(job::Column::Art.eq(jobs::eksport::ART))
            .filter(job::Column::BrugerId.eq(karen_id))
            .all(&app.db.conn)
            .await
            .expect("jobs")
            .len()
    };
    let mut steder = Vec::new();
    for sort in ["navn", "cpr", "id"] {
        let svar = bestil(&karen, sort).await;
        assert_eq!(svar.status(), StatusCode::SEE_OTHER, "{sort}");
        steder.push(location(&svar).expect("Location"));
    }
    assert_eq!(aabne().await, 3);
    let svar = bestil(&karen, "cvr").await;
    assert_eq!(svar.status(), StatusCode::TOO_MANY_REQUESTS, "det fjerde udtræk afvises");
    let tekst = svar.text().await.expect("tekst");
    assert!(tekst.contains("højst være 3") && tekst.contains("Intet nyt udtræk er bestilt"), "{tekst}");
    assert_eq!(aabne().await, 3, "intet job i kø");
    // The same order again follows its job, as before.
    let svar = bestil(&karen, "navn").await;
    assert_eq!(location(&svar).as_ref(), Some(&steder[0]), "samme bestilling følger sit job");
    // Another user is not held back by Karen's jobs.
    let lone_sb = Person::ny(&app, crate::flow::RASMUS).await;
    let svar = bestil(&lone_sb, "cvr").await;
    assert!(svar.status() == StatusCode::SEE_OTHER || svar.status() == StatusCode::OK, "{}", svar.status());
    // When the worker has run them, Karen may order again.
    app.koer_jobs().await;
    let svar = bestil(&karen, "cvr").await;
    assert_eq!(svar.status(), StatusCode::SEE_OTHER, "efter kørslen kan der bestilles igen");
}

/// A small list still comes back at once, also when posted.
async fn lille_eksport_kommer_straks(app: TestApp) {
    let karen = Person::ny(&app, KAREN).await;
    let svar = karen.klient.post(app.url("/excel/soeg-igu")).send().await.expect("POST excel");
    assert_eq!(svar.status(), StatusCode::OK);
    assert!(svar.headers()["content-disposition"].to_str().expect("header").contains(".xlsx"));
    assert!(job::Entity::find().all(&app.db.conn).await.expect("jobs").is_empty(), "intet job for en lille liste");
}

/// A worker that crashed leaves its job `koerer` with a lease; when the lease has run out
/// the job is claimed again, and the old claim can no longer write to it. After
/// `MAKS_FORSOEG` claims it is given up with a Danish message.
async fn udloebet_lease_tages_igen(app: TestApp) {
    let db = &app.db;
    let nu = Utc::now();
    let j = storage::job::enqueue(db, "test", "{}", None, Some(10), nu).await.expect("enqueue");
    let foerste = storage::job::claim(db, 5, nu).await.expect("claim");
    assert_eq!(foerste.iter().map(|j| j.id).collect::<Vec<_>>(), vec![j.id]);
    assert_eq!(foerste[0].forsoeg, 1);
    assert!(storage::job::claim(db, 5, nu + Duration::minutes(1)).await.expect("claim").is_empty(), "lejet holder");
    assert!(storage::job::progress(db, &foerste[0], 3, 10, nu).await.expect("progress"));

    // The lease (extended by the progress report) runs out: the job is claimable again.
    let senere = nu + storage::job::LEASE + Duration::seconds(1);
    let anden = storage::job::claim(db, 5, senere).await.expect("claim");
    assert_eq!(anden.len(), 1, "et job med udløbet leje tages igen");
    assert_eq!(anden[0].forsoeg, 2);
    assert!(
        !storage::job::progress(db, &foerste[0], 4, 10, senere).await.expect("progress"),
        "den gamle claim er tabt"
    );
    assert!(!storage::job::finish(db, &foerste[0], None, senere).await.expect("finish"));
    assert!(storage::job::progress(db, &anden[0], 5, 10, senere).await.expect("progress"));

    // Crashed again and again: after the last attempt it is given up.
    let tredje = storage::job::claim(db, 5, senere + storage::job::LEASE * 2).await.expect("claim");
    assert_eq!(tredje[0].forsoeg, storage::job::MAKS_FORSOEG);
    let efter = senere + storage::job::LEASE * 4;
    assert!(storage::job::claim(db, 5, efter).await.expect("claim").is_empty(), "ikke flere forsøg");
    assert_eq!(storage::job::opgiv_forladte(db, efter).await.expect("opgiv"), 1);
    let j = job::Entity::find_by_id(j.id).one(&db.conn).await.expect("job").expect("jobbet");
    assert_eq!(j.status, "fejlet");
    assert!(j.fejl.as_deref().is_some_and(|f| f.contains("afbrudt")), "{:?}", j.fejl);

    // A job of a kind nobody registered fails with a message instead of looping.
    let ukendt = storage::job::enqueue(db, "ukendt", "{}", None, None, Utc::now()).await.expect("enqueue");
    app.koer_jobs().await;
    let ukendt = job::Entity::find_by_id(ukendt.id).one(&db.conn).await.expect("job").expect("jobbet");
    assert_eq!(ukendt.status, "fejlet");
    assert!(ukendt.fejl.is_some());
}

/// Four claimers at once never get the same job, and together they get every job.
async fn claim_giver_aldrig_samme_job_to_gange(app: TestApp) {
    let nu = Utc::now();
    let mut alle = HashSet::new();
    for i in 0..60 {
        alle.insert(
            storage::job::enqueue(&app.db, "test", &format!("{{\"i\":{i}}}"), None, None, nu)
                .await
                .expect("enqueue")
                .id,
        );
    }
    let mut opgaver = Vec::new();
    for _ in 0..4 {
        let db = app.db.clone();
        opgaver.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let fik = storage::job::claim(&db, 3, nu).await.expect("claim");
                if fik.is_empty() {
                    break;
                }
                mine.extend(fik.into_iter().map(|j| j.id));
            }
            mine
        }));
    }
    let mut set = HashSet::new();
    let mut antal = 0;
    for o in opgaver {
        for id in o.await.expect("opgave") {
            assert!(set.insert(id), "job {id} blev givet til to");
            antal += 1;
        }
    }
    assert_eq!(antal, 60);
    assert_eq!(set, alle, "hvert job blev taget");
}

paa_begge_databaser!(
    stor_eksport_koerer_som_job,
    lille_eksport_kommer_straks,
    hoejst_tre_eksportjobs_pr_bruger,
    fejlet_eksport_viser_besked,
    udloebet_lease_tages_igen,
    claim_giver_aldrig_samme_job_to_gange
);
