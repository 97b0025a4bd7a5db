//! Issue 12 §4: the dashboard's figures equal a GROUP BY over the cases, on random data, on
//! both databases.
//!
//! Random cases and records go in by hand over three jobcentres in two regions; the rollup
//! runs (`storage::statistik::opgoer`); then proptest draws periods, schemes and areas, and
//! each figure the dashboard computes from the rollup (`storage::statistik::{hent, foer,
//! pr_kommune}` through `domain::statistik`) is compared with a reference: GROUP BY queries
//! over `sag` and `sagselement` for exactly that area, with the measures' rules written out
//! again here, independently of `domain::statistik::bidrag`.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::statistik::{self as st, Maal};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Statement, Value};
use storage::entity::{anden_aktoer, sag, sagselement};
use storage::statistik::{Omraade, Udsnit};

use crate::atomar::jobcenter_id;
use crate::helpers::TestApp;

/// København and Frederiksberg (Region Hovedstaden), Aarhus (Region Midtjylland).
const KOMMUNER: [&str; 3] = ["0101", "0147", "0751"];

fn d(aar: i32, m: u32, dag: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(aar, m, dag).expect("dato")
}

fn dato(rng: &mut StdRng) -> NaiveDate {
    d(2025, 1, 1) + Duration::days(rng.random_range(0..800))
}

fn maaske<T>(rng: &mut StdRng, p: f64, f: impl FnOnce(&mut StdRng) -> T) -> Option<T> {
    if rng.random_bool(p) { Some(f(rng)) } else { None }
}

fn vaelg<T: Copy>(rng: &mut StdRng, v: &[T]) -> T {
    v[rng.random_range(0..v.len())]
}

/// Random cases with their termination and extension records. Schemes are drawn from three,
/// so each scheme has enough cases for figures above the suppression limit.
async fn byg(app: &TestApp, n: usize, seed: u64) {
    let c = &app.db.conn;
    let mut jc = Vec::new();
    for k in KOMMUNER {
        jc.push(jobcenter_id(app, k).await);
    }
    let aa: Option<i64> = anden_aktoer::Entity::find().one(c).await.expect("anden aktør").map(|a| a.id);
    let mut rng = StdRng::seed_from_u64(seed);
    let nu = Utc::now();
    let ordninger = [Ordning::Loentilskud, Ordning::Virksomhedspraktik, Ordning::Fleksjob];
    for _ in 0..n {
        let ordning = vaelg(&mut rng, &ordninger);
        let modtaget = maaske(&mut rng, 0.85, dato);
        let ans = maaske(&mut rng, 0.9, |r| vaelg(r, AnsoegningStatus::ALLE).kode().to_string());
        let afg = maaske(&mut rng, 0.6, |r| vaelg(r, AfgoerelseStatus::ALLE).kode().to_string());
        // Mostly after receipt, sometimes none, now and then before it (a data error).
        let afgoerelse = maaske(&mut rng, 0.8, |r| match modtaget {
            Some(m) if r.random_bool(0.95) => m + Duration::days(r.random_range(0..60)),
            _ => dato(r),
        });
        let start = maaske(&mut rng, 0.85, dato);
        let slut = start.map(|s| s + Duration::days(rng.random_range(0..300)));
        let s = sag::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            ordning: Set(ordning.kode().into()),
            sagsart: Set(Sagsart::Ansoegning.kode().into()),
            ansoegning_status: Set(ans),
            afgoerelse_status: Set(afg),
            forlaengelse_status: Set(None),
            // One case in twenty is a company's draft, with no jobcentre: never counted.
            jobcenter_id: Set(maaske(&mut rng, 0.95, |r| vaelg(r, &jc))),
            anden_aktoer_id: Set(aa.and_then(|a| maaske(&mut rng, 0.3, |_| a))),
            cvr: Set("25348710".into()),
            cpr: Set(Some("0101901234".into())),
            startdato: Set(start),
            slutdato: Set(slut),
            modtaget_dato: Set(modtaget),
            afgoerelse_dato: Set(afgoerelse),
            konfliktramt: Set(false),
            oprettet: Set(nu),
            aendret: Set(nu),
            version: Set(1),
            ..Default::default()
        }
        .insert(c)
        .await
        .expect("sag");
        let antal_elementer = rng.random_range(0..3);
        for _ in 0..antal_elementer {
            let (art, status, data) = if rng.random_bool(0.5) {
                let data = match rng.random_range(0..4) {
                    0 => r#"{"aarsag":"x","systemophoer":"ordinaert_udloeb"}"#.to_string(),
                    1 => "ikke json".to_string(),
                    _ => format!(r#"{{"aarsag":"x","aarsag_id":{}}}"#, rng.random_range(1..4)),
                };
                ("ophoer", "registreret".to_string(), data)
            } else {
                ("forlaengelse", vaelg(&mut rng, ForlaengelseStatus::ALLE).kode().to_string(), "{}".to_string())
            };
            sagselement::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4().to_string()),
                sag_id: Set(s.id),
                art: Set(art.into()),
                status: Set(status),
                startdato: Set(maaske(&mut rng, 0.95, dato)),
                slutdato: Set(None),
                data: Set(data),
                oprettet: Set(nu),
                aendret: Set(nu),
                ..Default::default()
            }
            .insert(c)
            .await
            .expect("element");
        }
    }
    app.tomme_formularer().await;
    app.taellinger_forfra().await;
}

// ---- The reference: GROUP BY over the cases ----------------------------------------------

/// `jobcenter_id IN (…)` for the area, with its binds.
fn omraade_sql(o: &Omraade, jc: &BTreeMap<String, (i64, String)>) -> String {
    let ids: Vec<String> = jc
        .iter()
        .filter(|(kode, (_, region))| match o {
            Omraade::Land => true,
            Omraade::Region(r) => region == r,
            Omraade::Kommune(k) => *kode == k,
        })
        .map(|(_, (id, _))| id.to_string())
        .collect();
    if ids.is_empty() { "jobcenter_id IN (-1)".into() } else { format!("jobcenter_id IN ({})", ids.join(", ")) }
}

fn ordning_sql(u: &Udsnit) -> String {
    if u.ordninger.is_empty() {
        "ordning IS NOT NULL".into()
    } else {
        let k: Vec<String> = u.ordninger.iter().map(|o| format!("'{}'", o.kode())).collect();
        format!("ordning IN ({})", k.join(", "))
    }
}

async fn grupper(app: &TestApp, sql: String) -> Vec<sea_orm::QueryResult> {
    app.db.conn.query_all_raw(Statement::from_string(app.db.backend(), sql)).await.expect("reference")
}

/// Per scheme and month of the period: the cases grouped by scheme and the day of `kolonne`,
/// under `betingelse`, summed into months here.
async fn pr_maaned(
    app: &TestApp,
    u: &Udsnit,
    omr: &str,
    kolonne: &str,
    betingelse: &str,
    mdr: &[NaiveDate],
) -> BTreeMap<Ordning, Vec<i64>> {
    let sql = format!(
        "SELECT ordning, {kolonne} AS dag, COUNT(*) AS n FROM sag WHERE {omr} AND {} AND {kolonne} IS NOT NULL \
         AND {betingelse} GROUP BY ordning, {kolonne}",
        ordning_sql(u)
    );
    let mut ud: BTreeMap<Ordning, Vec<i64>> = BTreeMap::new();
    for r in grupper(app, sql).await {
        let o = Ordning::fra_kode(&r.try_get::<String>("", "ordning").expect("reference")).expect("reference");
        let dag: NaiveDate = r.try_get("", "dag").expect("reference");
        let n: i64 = r.try_get("", "n").expect("reference");
        if let Some(i) = mdr.iter().position(|m| m.year() == dag.year() && m.month() == dag.month()) {
            ud.entry(o).or_insert_with(|| vec![0; mdr.len()])[i] += n;
        }
    }
    ud
}

fn i_kode(koder: &[&str]) -> String {
    let k: Vec<String> = koder.iter().map(|k| format!("'{k}'")).collect();
    k.join(", ")
}

#[derive(Debug, Clone)]
struct Foresp {
    fra: i64,
    laengde: i64,
    ordninger: Vec<bool>,
    omraade: usize,
}

fn foresp() -> impl Strategy<Value = Foresp> {
    (0i64..30, 0i64..30, proptest::collection::vec(any::<bool>(), 3), 0usize..6)
        .prop_map(|(fra, laengde, ordninger, omraade)| Foresp { fra, laengde, ordninger, omraade })
}

fn mangler(hvad: &str, u: &Udsnit, db: impl std::fmt::Debug, reference: impl std::fmt::Debug) -> TestCaseError {
    TestCaseError::fail(format!("{hvad} afviger for {u:?}\n  dashboard: {db:?}\n  reference: {reference:?}"))
}

async fn tal_er_lig_group_by(app: TestApp) {
    byg(&app, 400, 12).await;
    let r = storage::statistik::opgoer(&app.db, Utc::now()).await.expect("opgørelse");
    let alle: i64 = grupper(&app, "SELECT COUNT(*) AS n FROM sag WHERE jobcenter_id IS NOT NULL".into()).await[0]
        .try_get("", "n")
        .expect("reference");
    assert_eq!(r.sager, alle, "opgørelsen læste hver sag med et jobcenter");
    assert_eq!(storage::statistik::seneste(&app.db).await.expect("seneste"), Some(r));

    let mut jc: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for k in KOMMUNER {
        let id = jobcenter_id(&app, k).await;
        let region: String = grupper(&app, format!("SELECT region FROM jobcenter WHERE id = {id}")).await[0]
            .try_get("", "region")
            .expect("reference");
        jc.insert(k.to_string(), (id, region));
    }
    let omraader = [
        Omraade::Land,
        Omraade::Region(jc["0101"].1.clone()),
        Omraade::Region(jc["0751"].1.clone()),
        Omraade::Kommune("0101".into()),
        Omraade::Kommune("0147".into()),
        Omraade::Kommune("0751".into()),
    ];
    let ordninger = [Ordning::Loentilskud, Ordning::Virksomhedspraktik, Ordning::Fleksjob];
    let handle = tokio::runtime::Handle::current();
    let ikke_tomme = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config { cases: 40, failure_persistence: None, ..Config::default() });
    runner
        .run(&foresp(), |q| {
            let fra = d(2025, 1, 1).checked_add_months(chrono::Months::new(q.fra as u32)).expect("reference");
            let til = fra.checked_add_months(chrono::Months::new(q.laengde as u32)).expect("reference");
            let u = Udsnit {
                fra,
                til,
                ordninger: ordninger.iter().zip(&q.ordninger).filter(|(_, v)| **v).map(|(o, _)| *o).collect(),
                omraade: omraader[q.omraade].clone(),
            };
            let mdr = st::maaneder(fra, til);
            let omr = omraade_sql(&u.omraade, &jc);
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let raekker = storage::statistik::hent(&app.db, &u).await.expect("hent");
                    let foer = storage::statistik::foer(&app.db, &u).await.expect("foer");
                    let udenfor = |v: &BTreeMap<Ordning, Vec<i64>>| v.values().flatten().sum::<i64>();

                    // Applications received, by "Modtaget dato".
                    let ventet = pr_maaned(&app, &u, &omr, "modtaget_dato", "1 = 1", &mdr).await;
                    let fik = st::maanedsserie(&raekker, Maal::Ansoegninger, &mdr);
                    if fik != ventet {
                        return Err(mangler("ansøgninger", &u, fik, ventet));
                    }
                    if udenfor(&ventet) > 0 {
                        ikke_tomme.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    // Of them, handled by an Anden Aktør.
                    let ventet = pr_maaned(&app, &u, &omr, "modtaget_dato", "anden_aktoer_id IS NOT NULL", &mdr).await;
                    let fik = st::maanedsserie(&raekker, Maal::AnsoegningerAa, &mdr);
                    if fik != ventet {
                        return Err(mangler("ansøgninger ved Anden Aktør", &u, fik, ventet));
                    }
                    // Grants made: any decision status, by decision date.
                    let ventet =
                        pr_maaned(&app, &u, &omr, "afgoerelse_dato", "afgoerelse_status IS NOT NULL", &mdr).await;
                    let fik = st::maanedsserie(&raekker, Maal::Bevillinger, &mdr);
                    if fik != ventet {
                        return Err(mangler("bevillinger", &u, fik, ventet));
                    }
                    // Rejections and decided applications.
                    let ventet =
                        pr_maaned(&app, &u, &omr, "afgoerelse_dato", "ansoegning_status = 'afvist'", &mdr).await;
                    let fik = st::maanedsserie(&raekker, Maal::Afslag, &mdr);
                    if fik != ventet {
                        return Err(mangler("afslag", &u, fik, ventet));
                    }
                    let afgjort = format!("ansoegning_status IN ({})", i_kode(&["godkendt", "afvist"]));
                    let ventet = pr_maaned(&app, &u, &omr, "afgoerelse_dato", &afgjort, &mdr).await;
                    let fik = st::maanedsserie(&raekker, Maal::Afgjorte, &mdr);
                    if fik != ventet {
                        return Err(mangler("afgjorte", &u, fik, ventet));
                    }

                    // Active on the first of each month: counted directly, month by month.
                    let i_kraft = i_kode(&["godkendt_af_virksomhed", "ophoert"]);
                    let mut ventet: BTreeMap<Ordning, Vec<i64>> = BTreeMap::new();
                    for (i, m) in mdr.iter().enumerate() {
                        let sql = format!(
                            "SELECT ordning, COUNT(*) AS n FROM sag WHERE {omr} AND {} AND afgoerelse_status IN \
                             ({i_kraft}) AND startdato <= '{m}' AND slutdato >= '{m}' GROUP BY ordning",
                            ordning_sql(&u)
                        );
                        for r in grupper(&app, sql).await {
                            let o = Ordning::fra_kode(&r.try_get::<String>("", "ordning").expect("reference"))
                                .expect("reference");
                            ventet.entry(o).or_insert_with(|| vec![0; mdr.len()])[i] =
                                r.try_get("", "n").expect("reference");
                        }
                    }
                    let mut fik = st::aktive(&raekker, &foer, &mdr);
                    // A scheme whose grants all ended before the period shows a row of zeros.
                    fik.retain(|_, v| v.iter().any(|n| *n != 0));
                    if fik != ventet {
                        return Err(mangler("aktive bevillinger", &u, fik, ventet));
                    }

                    // Received to decided: the days of every decided application, sorted.
                    let sql = format!(
                        "SELECT ordning, modtaget_dato, afgoerelse_dato FROM sag WHERE {omr} AND {} AND {afgjort} \
                         AND modtaget_dato IS NOT NULL AND afgoerelse_dato >= '{fra}' AND afgoerelse_dato < '{}'",
                        ordning_sql(&u),
                        st::naeste_maaned(til).expect("reference")
                    );
                    let mut dage: BTreeMap<Ordning, Vec<i64>> = BTreeMap::new();
                    for r in grupper(&app, sql).await {
                        let o = Ordning::fra_kode(&r.try_get::<String>("", "ordning").expect("reference"))
                            .expect("reference");
                        let (m, a): (NaiveDate, NaiveDate) = (
                            r.try_get("", "modtaget_dato").expect("reference"),
                            r.try_get("", "afgoerelse_dato").expect("reference"),
                        );
                        dage.entry(o).or_default().push((a - m).num_days().max(0));
                    }
                    let ventet: BTreeMap<Ordning, (i64, i64, i64)> = dage
                        .into_iter()
                        .map(|(o, mut v)| {
                            v.sort_unstable();
                            let n = v.len();
                            // Nearest rank: the ⌈p·n⌉-th smallest.
                            let rang = |p10: usize| v[(p10 * n).div_ceil(10).max(1) - 1];
                            (o, (n as i64, rang(5), rang(9)))
                        })
                        .collect();
                    let fik: BTreeMap<Ordning, (i64, i64, i64)> = st::behandlingstid(&raekker)
                        .into_iter()
                        .map(|(o, b)| (o, (b.antal, b.median, b.p90)))
                        .collect();
                    if fik != ventet {
                        return Err(mangler("behandlingstid", &u, fik, ventet));
                    }

                    // Terminations by reason and approved extensions, from the records.
                    let sql = format!(
                        "SELECT s.ordning, e.art, e.status, e.data, e.startdato FROM sagselement e JOIN sag s ON \
                         s.id = e.sag_id WHERE s.{} AND s.{} AND e.startdato >= '{fra}' AND e.startdato < '{}'",
                        omr,
                        ordning_sql(&u),
                        st::naeste_maaned(til).expect("reference")
                    );
                    let mut aarsager: BTreeMap<(Ordning, String), i64> = BTreeMap::new();
                    let mut forlaengelser: BTreeMap<Ordning, i64> = BTreeMap::new();
                    for r in grupper(&app, sql).await {
                        let o = Ordning::fra_kode(&r.try_get::<String>("", "ordning").expect("reference"))
                            .expect("reference");
                        let art: String = r.try_get("", "art").expect("reference");
                        let data: String = r.try_get("", "data").expect("reference");
                        if art == "ophoer" {
                            let v: serde_json::Value = serde_json::from_str(&data).unwrap_or_default();
                            let noegle = match (v["systemophoer"].as_str(), v["aarsag_id"].as_u64()) {
                                (Some(k), _) => format!("system:{k}"),
                                (None, Some(id)) => id.to_string(),
                                _ => "ukendt".into(),
                            };
                            *aarsager.entry((o, noegle)).or_insert(0) += 1;
                        } else if art == "forlaengelse"
                            && r.try_get::<String>("", "status").expect("reference") == "godkendt"
                        {
                            *forlaengelser.entry(o).or_insert(0) += 1;
                        }
                    }
                    let fik: BTreeMap<(Ordning, String), i64> =
                        st::ophoersaarsager(&raekker).into_iter().map(|(o, k, n)| ((o, k), n)).collect();
                    if fik != aarsager {
                        return Err(mangler("ophørsårsager", &u, fik, aarsager));
                    }
                    let fik = st::i_alt(&raekker, Maal::Forlaengelser);
                    if fik != forlaengelser {
                        return Err(mangler("forlængelser", &u, fik, forlaengelser));
                    }

                    // Per municipality: the national comparison, grouped by jobcentre.
                    let sql = format!(
                        "SELECT j.kommunekode, COUNT(*) AS n FROM sag s JOIN jobcenter j ON j.id = s.jobcenter_id \
                         WHERE s.{omr} AND s.{} AND s.modtaget_dato >= '{fra}' AND s.modtaget_dato < '{}' \
                         GROUP BY j.kommunekode",
                        ordning_sql(&u),
                        st::naeste_maaned(til).expect("reference")
                    );
                    let mut ventet = BTreeMap::new();
                    for r in grupper(&app, sql).await {
                        ventet.insert(
                            r.try_get::<String>("", "kommunekode").expect("reference"),
                            r.try_get::<i64>("", "n").expect("reference"),
                        );
                    }
                    let fik =
                        storage::statistik::pr_kommune(&app.db, &u, Maal::Ansoegninger).await.expect("pr kommune");
                    if fik != ventet {
                        return Err(mangler("ansøgninger pr. kommune", &u, fik, ventet));
                    }
                    Ok(())
                })
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let ikke_tomme = ikke_tomme.into_inner();
    assert!(ikke_tomme >= 10, "kun {ikke_tomme} udsnit havde ansøgninger");
}

paa_begge_databaser!(tal_er_lig_group_by);

/// A second rollup replaces the first: no row counts twice, and a case removed is gone.
async fn ny_opgoerelse_erstatter_den_gamle(app: TestApp) {
    byg(&app, 60, 3).await;
    let u = Udsnit { fra: d(2025, 1, 1), til: d(2027, 3, 1), ordninger: vec![], omraade: Omraade::Land };
    storage::statistik::opgoer(&app.db, Utc::now()).await.expect("første");
    let foer = st::i_alt(&storage::statistik::hent(&app.db, &u).await.expect("hent"), Maal::Ansoegninger);
    storage::statistik::opgoer(&app.db, Utc::now()).await.expect("anden");
    let efter = st::i_alt(&storage::statistik::hent(&app.db, &u).await.expect("hent"), Maal::Ansoegninger);
    assert_eq!(foer, efter, "to opgørelser tæller det samme én gang");
    assert!(foer.values().sum::<i64>() > 0);
    // Remove every received application of one scheme; the next rollup no longer counts it.
    let b = app.db.backend();
    app.db
        .conn
        .execute_raw(Statement::from_sql_and_values(
            b,
            if b == sea_orm::DbBackend::Postgres {
                "UPDATE sag SET modtaget_dato = NULL WHERE ordning = $1"
            } else {
                "UPDATE sag SET modtaget_dato = NULL WHERE ordning = ?"
            },
            [Value::from(Ordning::Loentilskud.kode())],
        ))
        .await
        .expect("opdater");
    storage::statistik::opgoer(&app.db, Utc::now()).await.expect("tredje");
    let sidst = st::i_alt(&storage::statistik::hent(&app.db, &u).await.expect("hent"), Maal::Ansoegninger);
    assert_eq!(sidst.get(&Ordning::Loentilskud), None);
    assert_eq!(sidst.get(&Ordning::Fleksjob), foer.get(&Ordning::Fleksjob));
}

paa_begge_databaser!(ny_opgoerelse_erstatter_den_gamle);
