//! The bulk generator (issue 3 §5): on a database that already holds the demo world it reuses
//! the jobcentres, writes exactly N consistent cases, and writes the same rows from the same seed.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::ident::{Cpr, Cvr};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::Rolle;
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, Elementart, ForlaengelseStatus};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use storage::entity::{bruger, dfdg_borger, jobcenter, p_enhed, sag, sagselement, team, virksomhed};
use tools::bulk::{Indstillinger, antal_virksomheder, generer};

use crate::helpers::TestApp;

fn nu() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single().expect("tidspunkt")
}

/// A fresh application on the same backend as `app`.
async fn frisk_som(app: &TestApp) -> TestApp {
    match app.db.backend() {
        sea_orm::DbBackend::Postgres => TestApp::postgres().await.expect("PostgreSQL-URL'en forsvandt"),
        _ => TestApp::sqlite().await,
    }
}

/// (uuid, ordning, the three statuses, cvr) of every case, in id order.
async fn raekkefoelge(app: &TestApp) -> Vec<(String, String, Option<String>, Option<String>, Option<String>, String)> {
    sag::Entity::find()
        .order_by_asc(sag::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("sager")
        .into_iter()
        .map(|s| (s.uuid, s.ordning, s.ansoegning_status, s.afgoerelse_status, s.forlaengelse_status, s.cvr))
        .collect()
}

async fn bulk_generator(app: TestApp) {
    let c = &app.db.conn;
    let jc_foer = jobcenter::Entity::find().count(c).await.expect("jobcentre");
    let sager_foer = sag::Entity::find().count(c).await.expect("sager");
    let elementer_foer = sagselement::Entity::find().count(c).await.expect("elementer");

    // Several batches and a short last one: 4 × 700 + 200.
    let ind = Indstillinger { sager: 3_000, seed: 42, batch: 700, nu: nu(), borger_fra: None };
    let mut meldt = 0;
    let res = generer(&app.db, &ind, |n| meldt += n).await.expect("bulk-generering");
    assert_eq!((res.sager, meldt), (3_000, 3_000));

    // The demo world's jobcentres are reused, not duplicated.
    assert_eq!(jobcenter::Entity::find().count(c).await.expect("jobcentre"), jc_foer);
    assert_eq!(jc_foer, 98);
    let jobcentre: HashMap<i64, String> =
        jobcenter::Entity::find().all(c).await.expect("jobcentre").into_iter().map(|j| (j.id, j.kommunekode)).collect();

    let alle = sag::Entity::find().order_by_asc(sag::Column::Id).all(c).await.expect("sager");
    assert_eq!(alle.len() as u64 - sager_foer, 3_000, "præcis 3.000 nye sager");
    let efter = sagselement::Entity::find().count(c).await.expect("elementer");
    assert_eq!(efter - elementer_foer, res.elementer);
    let pr_id: HashMap<i64, &sag::Model> = alle.iter().map(|s| (s.id, s)).collect();

    // Every scheme and every kind of case; praktik and nytteindsats are two schemes.
    let ordninger: BTreeSet<&str> = alle.iter().map(|s| s.ordning.as_str()).collect();
    let forventet: BTreeSet<&str> = Ordning::ALLE.iter().map(|o| o.kode()).collect();
    assert_eq!(ordninger, forventet, "alle ti ordninger");
    let antal = |o: Ordning| alle.iter().filter(|s| s.ordning == o.kode()).count();
    assert!(antal(Ordning::Virksomhedspraktik) > 0 && antal(Ordning::Nytteindsats) > 0);
    assert_ne!(Ordning::Virksomhedspraktik.kode(), Ordning::Nytteindsats.kode());
    let sagsarter: BTreeSet<&str> = alle.iter().map(|s| s.sagsart.as_str()).collect();
    let alle_arter: BTreeSet<&str> =
        [Sagsart::Ansoegning, Sagsart::Tilbud, Sagsart::Fleksjobanmodning, Sagsart::Aftale, Sagsart::Bevilling]
            .iter()
            .map(|a| a.kode())
            .collect();
    assert_eq!(sagsarter, alle_arter, "alle sagsarter");

    // Caseworkers and teams of the case's own jobcentre.
    let folk: HashMap<i64, bruger::Model> =
        bruger::Entity::find().all(c).await.expect("brugere").into_iter().map(|b| (b.id, b)).collect();
    let teams: HashMap<i64, i64> =
        team::Entity::find().all(c).await.expect("teams").into_iter().map(|t| (t.id, t.jobcenter_id)).collect();
    let p_cvr: HashMap<String, String> =
        p_enhed::Entity::find().all(c).await.expect("p").into_iter().map(|p| (p.pnummer, p.cvr)).collect();
    let borgere: HashMap<String, dfdg_borger::Model> =
        dfdg_borger::Entity::find().all(c).await.expect("borgere").into_iter().map(|b| (b.cpr.clone(), b)).collect();

    let mut tillaeg = 0;
    let mut sendte_kladder = 0;
    let mut formularer = 0;
    for s in &alle {
        let hvor = format!("sag {} ({} {})", s.id, s.ordning, s.sagsart);
        let ordning = Ordning::fra_kode(&s.ordning).expect("kendt ordning");
        if let (Some(a), Some(b)) = (s.startdato, s.slutdato) {
            assert!(a <= b, "{hvor}: startdato efter slutdato");
        }
        assert!(s.oprettet <= s.aendret && s.aendret <= nu(), "{hvor}: tidsstempler");
        assert!(s.oprettet >= nu() - Duration::days(3 * 365 + 1), "{hvor}: ældre end tre år");
        assert_eq!(s.version, 1, "{hvor}");
        // Issue 13 §4: a built scheme's case holds its filled form, read as its own scheme, with
        // the case's own citizen, workplace and period; any other holds its scheme's tag alone.
        let json = app.skemajson(s.id).await;
        match storage::sager::laes_skema(s, &json).unwrap_or_else(|e| panic!("{hvor}: {e}")) {
            Some(f) if s.cpr.is_some() && s.pnummer.is_some() && s.startdato.is_some() => {
                let d = f.dele();
                let cpr = domain::ident::Cpr::parse(&d.borgeren.cpr, "cpr").expect("formularens CPR");
                assert_eq!(Some(cpr.as_str()), s.cpr.as_deref(), "{hvor}: formularens borger");
                assert_eq!(Some(d.borgeren.borger_navn.as_str()), s.borger_navn.as_deref(), "{hvor}: navnet");
                assert_eq!(Some(d.virksomheden.pnummer.as_str()), s.pnummer.as_deref(), "{hvor}: arbejdsstedet");
                assert_eq!(d.forloeb.periode().map(|p| p.start), s.startdato, "{hvor}: perioden");
                formularer += 1;
            }
            _ => assert_eq!(json, domain::skema::Skemadata::tom_json(ordning), "{hvor}"),
        }

        // Statuses are known codes, in states the state machine can reach.
        let ans = s.ansoegning_status.as_deref().map(|k| AnsoegningStatus::fra_kode(k).expect("ans-status"));
        let afg = s.afgoerelse_status.as_deref().map(|k| AfgoerelseStatus::fra_kode(k).expect("afg-status"));
        let forl = s.forlaengelse_status.as_deref().map(|k| ForlaengelseStatus::fra_kode(k).expect("forl-status"));
        if afg.is_some() && ans.is_some() {
            assert_eq!(ans, Some(AnsoegningStatus::Godkendt), "{hvor}: afgørelse uden godkendt ansøgning");
        }
        if forl.is_some() {
            assert!(
                matches!(afg, Some(AfgoerelseStatus::GodkendtAfVirksomhed | AfgoerelseStatus::Ophoert)),
                "{hvor}: forlængelse på en bevilling, virksomheden ikke har godkendt"
            );
        }
        if ordning.kompenserende() {
            assert_eq!(s.sagsart, Sagsart::Bevilling.kode(), "{hvor}");
            assert!(ans.is_none() && afg.is_some(), "{hvor}: kompenserende bevilling uden ansøgning");
        }

        // Drafts: a company's has no jobcentre; one the jobcentre made has one, and its creator.
        if ans == Some(AnsoegningStatus::Kladde) {
            match s.jobcenter_id {
                None => assert_eq!(s.oprettet_af, None, "{hvor}: virksomhedens kladde"),
                Some(jc) => {
                    let af = s.oprettet_af.and_then(|id| folk.get(&id)).expect("sendt kladde uden opretter");
                    assert_eq!(af.jobcenter_id, Some(jc), "{hvor}");
                    sendte_kladder += 1;
                }
            }
            assert!(s.cpr.is_none() && s.startdato.is_none(), "{hvor}: kladden er ikke sendt endnu");
        } else {
            assert!(s.jobcenter_id.is_some(), "{hvor}: mangler jobcenter");
        }

        // Hours only where the scheme registers them (seed 002 §2.5).
        match s.timer_hundrededele {
            Some(t) => {
                assert!(ordning.registrerer_timer(), "{hvor}: timer på en ordning uden timer");
                assert!((500..=3700).contains(&t), "{hvor}: {t}");
            }
            None => assert!(!ordning.registrerer_timer() || s.startdato.is_none(), "{hvor}: timer mangler"),
        }

        // Identifiers, and the case's citizen lives in the case's municipality.
        assert!(Cvr::parse(&s.cvr, "cvr").is_ok(), "{hvor}: CVR {}", s.cvr);
        if let Some(p) = &s.pnummer {
            assert_eq!(p_cvr.get(p), Some(&s.cvr), "{hvor}: P-enheden hører til en anden virksomhed");
        }
        if let Some(cpr) = &s.cpr {
            assert!(Cpr::parse(cpr, "cpr").is_ok(), "{hvor}: CPR");
            let b = borgere.get(cpr).expect("borgeren findes i DFDG");
            if let Some(jc) = s.jobcenter_id {
                assert_eq!(Some(&b.kommunekode), jobcentre.get(&jc), "{hvor}: borgerens kommune");
            }
            let navn = s.borger_navn.as_deref().expect("navn");
            assert_eq!(navn, format!("{} {}", b.fornavn, b.efternavn));
            assert_eq!(s.borger_navn_soeg.as_deref(), Some(soegetekst(navn).as_str()));
            assert_eq!(s.borger_navn_sort.as_deref(), Some(sorteringsnoegle(navn).as_str()));
        }
        if let Some(id) = s.ansvarlig_id {
            let b = folk.get(&id).expect("ansvarlig findes");
            assert_eq!((b.rolle.as_str(), b.jobcenter_id), (Rolle::Sagsbehandler.kode(), s.jobcenter_id), "{hvor}");
        }
        if let Some(t) = s.team_id {
            assert_eq!(teams.get(&t).copied(), s.jobcenter_id, "{hvor}: team fra et andet jobcenter");
        }

        // Dates follow the statuses.
        let modtaget =
            matches!(ans, Some(AnsoegningStatus::Modtaget | AnsoegningStatus::Afvist | AnsoegningStatus::Godkendt));
        assert_eq!(s.modtaget_dato.is_some(), modtaget, "{hvor}: modtaget dato");
        assert_eq!(s.oprindelig_slutdato.is_some(), afg.is_some(), "{hvor}: oprindelig slutdato");
        if let (Some(m), Some(a)) = (s.modtaget_dato, s.afgoerelse_dato) {
            assert!(m <= a, "{hvor}: afgørelse før modtagelse");
        }
        if let (Some(a), Some(g)) = (s.afgoerelse_dato, s.godkendt_dato) {
            assert!(a <= g, "{hvor}: godkendt før afgørelse");
        }

        // Supplementary grants hang on a decided grant of the same jobcentre and company.
        if let Some(h) = s.hovedsag_id {
            tillaeg += 1;
            assert!(ordning.kan_vaere_tillaeg() && s.sagsart == Sagsart::Bevilling.kode(), "{hvor}");
            let hs = pr_id.get(&h).expect("hovedsagen findes");
            assert!(hs.afgoerelse_status.is_some(), "{hvor}: hovedsagen har ingen afgørelse");
            assert_eq!((hs.jobcenter_id, &hs.cvr), (s.jobcenter_id, &s.cvr), "{hvor}: hovedsag");
            assert_eq!(hs.hovedsag_id, None, "{hvor}: tillæg på et tillæg");
        }
    }
    assert_eq!(tillaeg, res.tillaegsbevillinger);
    assert!((150..=330).contains(&tillaeg), "omkring 8 % tillægsbevillinger, fandt {tillaeg}");
    assert!(sendte_kladder > 0, "ingen sendte kladder");
    assert!(formularer > alle.len() / 4, "for få udfyldte formularer: {formularer} af {}", alle.len());

    // One element per record kind, with the case's status; no record ends before it starts.
    let mut elementer: HashMap<i64, Vec<sagselement::Model>> = HashMap::new();
    for e in sagselement::Entity::find().all(c).await.expect("elementer") {
        if let (Some(a), Some(b)) = (e.startdato, e.slutdato) {
            assert!(a <= b, "element {}: startdato efter slutdato", e.id);
        }
        elementer.entry(e.sag_id).or_default().push(e);
    }
    for s in &alle {
        let el = elementer.get(&s.id).map(Vec::as_slice).unwrap_or_default();
        let status = |art: Elementart| {
            let af: Vec<&str> = el.iter().filter(|e| e.art == art.kode()).map(|e| e.status.as_str()).collect();
            assert!(af.len() <= 1, "sag {}: flere {} -elementer", s.id, art.kode());
            af.first().map(|s| s.to_string())
        };
        let ans = s.ansoegning_status.clone().filter(|a| a != AnsoegningStatus::Kladde.kode());
        assert_eq!(status(Elementart::Ansoegning), ans, "sag {}", s.id);
        assert_eq!(status(Elementart::Bevilling), s.afgoerelse_status, "sag {}", s.id);
        assert_eq!(status(Elementart::Forlaengelse), s.forlaengelse_status, "sag {}", s.id);
        let ophoert = s.afgoerelse_status.as_deref() == Some(AfgoerelseStatus::Ophoert.kode());
        assert_eq!(status(Elementart::Ophoer), ophoert.then(|| "registreret".to_string()), "sag {}", s.id);
    }

    // Every company and citizen written is valid; the jobcentres are staffed by size.
    let virksomheder = virksomhed::Entity::find().all(c).await.expect("virksomheder");
    assert!(virksomheder.len() as u64 >= antal_virksomheder(3_000));
    for v in &virksomheder {
        assert!(Cvr::parse(&v.cvr, "cvr").is_ok(), "CVR {}", v.cvr);
    }
    for cpr in borgere.keys() {
        assert!(Cpr::parse(cpr, "cpr").is_ok(), "CPR i DFDG");
    }
    for id in jobcentre.keys() {
        let n_teams = teams.values().filter(|jc| *jc == id).count();
        assert!((3..=8).contains(&n_teams), "jobcenter {id}: {n_teams} teams");
        let n_folk =
            folk.values().filter(|b| b.jobcenter_id == Some(*id) && b.rolle == Rolle::Sagsbehandler.kode()).count();
        assert!((5..=200).contains(&n_folk), "jobcenter {id}: {n_folk} sagsbehandlere");
    }
    let kbh = jobcentre.iter().find(|(_, k)| k.as_str() == "0101").map(|(id, _)| *id).expect("København");
    let pr_jc = |id: i64| alle.iter().filter(|s| s.jobcenter_id == Some(id)).count();
    assert!(jobcentre.keys().all(|id| pr_jc(kbh) >= pr_jc(*id)), "København er størst");

    // A second run reuses the organisation and the companies, and adds cases only.
    let igen = generer(&app.db, &Indstillinger { sager: 100, ..ind }, |_| {}).await.expect("anden kørsel");
    assert_eq!((igen.nye_teams, igen.nye_sagsbehandlere), (0, 0));
    assert_eq!(sag::Entity::find().count(c).await.expect("sager"), sager_foer + 3_100);
    // Each batch added its cases to the counts behind the list totals.
    crate::lister::taelling_stemmer(&app).await;

    // Determinism: the same seed into two fresh databases gives the same rows.
    let (a, b) = (frisk_som(&app).await, frisk_som(&app).await);
    let lille = Indstillinger { sager: 200, seed: 7, batch: 64, nu: nu(), borger_fra: None };
    generer(&a.db, &lille, |_| {}).await.expect("a");
    generer(&b.db, &lille, |_| {}).await.expect("b");
    let (ra, rb) = (raekkefoelge(&a).await, raekkefoelge(&b).await);
    assert_eq!(ra.len(), 200);
    assert_eq!(ra, rb, "samme seed skal give samme sager");
    let andet_seed = frisk_som(&app).await;
    generer(&andet_seed.db, &Indstillinger { seed: 8, ..lille }, |_| {}).await.expect("c");
    assert_ne!(raekkefoelge(&andet_seed).await, ra, "et andet seed skal give andre sager");
}

paa_begge_databaser!(bulk_generator);
