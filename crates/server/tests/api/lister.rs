//! Issue 3 §6: filtering, sorting and paging match an in-memory reference, checked with
//! proptest on both databases. No page repeats a row or skips one, and the count always
//! equals the rows the pages hold.
//!
//! The reference is written independently of `storage::lister`: list membership and filters
//! as Rust predicates, the Danish order of the schemes spelled out, and empty values last in
//! both directions.

use chrono::{Duration, NaiveDate, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::Aktoer;
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use storage::entity::{bruger, jobcenter, sag, team};
use storage::lister::{self, Filter, Kolonne, Liste, Sortering};

use crate::atomar::jobcenter_id;
use crate::helpers::TestApp;

const CVR: [&str; 3] = ["25348710", "31674026", "10987652"];
const CPR: [&str; 6] = ["0101901234", "1503852345", "2207793456", "0912884567", "3006925678", "1111816789"];
const NAVNE: [&str; 9] = [
    "Anna Jensen",
    "Åse Østergård",
    "Aage Aagaard",
    "Ærø Bach",
    "Zacharias Lund",
    "Øjvind Ærtebjerg",
    "anders Åberg",
    "Bent 100%_ Berg",
    "Ida Østergaard",
];

/// The Danish alphabetical order of the schemes' names, written out (Æ Ø Å after Z).
const ORDNING_ORDEN: [Ordning; 10] = [
    Ordning::Fleksjob,
    Ordning::Hjaelpemiddel,
    Ordning::Igu,
    Ordning::Jobrotation,
    Ordning::Loentilskud,
    Ordning::Mentor,
    Ordning::Nytteindsats,
    Ordning::PersonligAssistent,
    Ordning::Virksomhedspraktik,
    Ordning::Voksenlaerling,
];

fn vaelg<'a, T>(rng: &mut StdRng, v: &'a [T]) -> &'a T {
    &v[rng.random_range(0..v.len())]
}

fn maaske<T>(rng: &mut StdRng, p: f64, f: impl FnOnce(&mut StdRng) -> T) -> Option<T> {
    if rng.random_bool(p) { Some(f(rng)) } else { None }
}

fn dato(rng: &mut StdRng) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("dato") + Duration::days(rng.random_range(0..900))
}

/// The world the test queries: two jobcentres with their teams and caseworkers, random cases.
struct Verden {
    jc: [i64; 2],
    teams: Vec<(i64, i64, String)>,
    folk: Vec<(i64, i64, String)>,
    sager: Vec<sag::Model>,
}

async fn byg_verden(app: &TestApp, n: usize, seed: u64) -> Verden {
    let c = &app.db.conn;
    let jc = [jobcenter_id(app, "0101").await, jobcenter_id(app, "0751").await];
    let teams: Vec<(i64, i64, String)> = team::Entity::find()
        .filter(team::Column::JobcenterId.is_in(jc))
        .all(c)
        .await
        .expect("teams")
        .into_iter()
        .map(|t| (t.id, t.jobcenter_id, t.navn))
        .collect();
    let folk: Vec<(i64, i64, String)> = bruger::Entity::find()
        .filter(bruger::Column::JobcenterId.is_in(jc))
        .all(c)
        .await
        .expect("brugere")
        .into_iter()
        .filter_map(|b| Some((b.id, b.jobcenter_id?, format!("{} {}", b.fornavn, b.efternavn))))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sager: Vec<sag::Model> = Vec::new();
    let nu = Utc::now();
    for _ in 0..n {
        let ordning = *vaelg(&mut rng, &Ordning::ALLE);
        let sagsart = *vaelg(
            &mut rng,
            &[Sagsart::Ansoegning, Sagsart::Tilbud, Sagsart::Fleksjobanmodning, Sagsart::Aftale, Sagsart::Bevilling],
        );
        let jobcenter = maaske(&mut rng, 0.85, |r| *vaelg(r, &jc));
        let team_id = jobcenter.and_then(|j| {
            let mine: Vec<i64> = teams.iter().filter(|t| t.1 == j).map(|t| t.0).collect();
            maaske(&mut rng, 0.7, |r| *vaelg(r, &mine))
        });
        let ansvarlig_id = jobcenter.and_then(|j| {
            let mine: Vec<i64> = folk.iter().filter(|f| f.1 == j).map(|f| f.0).collect();
            maaske(&mut rng, 0.7, |r| *vaelg(r, &mine))
        });
        let navn = maaske(&mut rng, 0.8, |r| vaelg(r, &NAVNE).to_string());
        let hovedsag_id = if ordning.kan_vaere_tillaeg() && !sager.is_empty() && rng.random_bool(0.5) {
            Some(vaelg(&mut rng, &sager).id)
        } else {
            None
        };
        let start = maaske(&mut rng, 0.8, dato);
        let model = sag::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            ordning: Set(ordning.kode().into()),
            sagsart: Set(sagsart.kode().into()),
            ansoegning_status: Set(maaske(&mut rng, 0.8, |r| vaelg(r, AnsoegningStatus::ALLE).kode().to_string())),
            afgoerelse_status: Set(maaske(&mut rng, 0.5, |r| vaelg(r, AfgoerelseStatus::ALLE).kode().to_string())),
            forlaengelse_status: Set(maaske(&mut rng, 0.3, |r| vaelg(r, ForlaengelseStatus::ALLE).kode().to_string())),
            jobcenter_id: Set(jobcenter),
            team_id: Set(team_id),
            ansvarlig_id: Set(ansvarlig_id),
            // The rows go in by hand, so they carry the sort keys `sager::udfoer` would write.
            team_sort: Set(team_id
                .and_then(|t| teams.iter().find(|x| x.0 == t))
                .map(|x| lister::navnenoegle(&x.2, x.0))),
            ansvarlig_sort: Set(ansvarlig_id
                .and_then(|m| folk.iter().find(|x| x.0 == m))
                .map(|x| lister::navnenoegle(&x.2, x.0))),
            anden_aktoer_id: Set(None),
            hovedsag_id: Set(hovedsag_id),
            cvr: Set(vaelg(&mut rng, &CVR).to_string()),
            pnummer: Set(None),
            cpr: Set(maaske(&mut rng, 0.8, |r| vaelg(r, &CPR).to_string())),
            borger_navn_soeg: Set(navn.as_deref().map(soegetekst)),
            borger_navn_sort: Set(navn.as_deref().map(sorteringsnoegle)),
            borger_navn: Set(navn),
            startdato: Set(start),
            slutdato: Set(start.map(|s| s + Duration::days(rng.random_range(0..400)))),
            oprindelig_slutdato: Set(None),
            timer_hundrededele: Set(maaske(&mut rng, 0.7, |r| r.random_range(500..3800))),
            modtaget_dato: Set(maaske(&mut rng, 0.6, dato)),
            afgoerelse_dato: Set(None),
            godkendt_dato: Set(maaske(&mut rng, 0.4, dato)),
            konfliktramt: Set(false),
            oprettet_af: Set(None),
            oprettet: Set(nu),
            aendret: Set(nu),
            version: Set(1),
            ..Default::default()
        }
        .insert(c)
        .await
        .expect("sag");
        sager.push(model);
    }
    // The rows went in by hand (their ids feed later rows), past the repository.
    app.tomme_formularer().await;
    app.taellinger_forfra().await;
    Verden { jc, teams, folk, sager }
}

// ---- The reference ------------------------------------------------------------------------

fn i_scope(a: &Aktoer, s: &sag::Model) -> bool {
    match a {
        Aktoer::Virksomhed { cvr } => s.cvr == *cvr,
        Aktoer::Sagsbehandler { jobcenter_id } => s.jobcenter_id == Some(*jobcenter_id),
        Aktoer::Styrelse | Aktoer::System => true,
        _ => false,
    }
}

fn medlem(l: Liste, s: &sag::Model) -> bool {
    let ans = s.ansoegning_status.as_deref();
    let art = s.sagsart.as_str();
    let ikke_kladde = ans != Some("kladde");
    match l {
        // Agreements (IGU) are received and decided like applications (decision 97).
        Liste::Ansoegninger => {
            ["ansoegning", "fleksjobanmodning", "aftale"].contains(&art) && ans.is_some() && ikke_kladde
        }
        Liste::Tilbud => art == "tilbud" && ikke_kladde,
        Liste::Bevillinger | Liste::SoegBevillinger => s.afgoerelse_status.is_some(),
        Liste::Forlaengelser => s.forlaengelse_status.is_some(),
        Liste::Ophoer => s.afgoerelse_status.as_deref() == Some("ophoert"),
        Liste::SendteKladder => ans == Some("kladde") && s.jobcenter_id.is_some(),
        Liste::SoegAnsoegninger => ["ansoegning", "tilbud", "fleksjobanmodning"].contains(&art) && ikke_kladde,
        Liste::SoegIgu => s.ordning == "igu",
    }
}

fn status_af(l: Liste, s: &sag::Model) -> Option<String> {
    match l {
        Liste::Ansoegninger | Liste::Tilbud | Liste::SendteKladder | Liste::SoegAnsoegninger => {
            s.ansoegning_status.clone()
        }
        Liste::Forlaengelser => s.forlaengelse_status.clone(),
        _ => s.afgoerelse_status.clone(),
    }
}

fn passer(l: Liste, f: &Filter, s: &sag::Model) -> bool {
    let ordning = Ordning::fra_kode(&s.ordning).expect("ordning");
    (f.ordninger.is_empty() || f.ordninger.contains(&ordning))
        && (f.statusser.is_empty() || status_af(l, s).is_some_and(|x| f.statusser.contains(&x)))
        && (f.tillaeg.is_empty() || (s.hovedsag_id.is_some() && f.tillaeg.contains(&ordning)))
        && f.cpr.as_ref().is_none_or(|c| s.cpr.as_ref() == Some(c))
        && f.navn
            .as_ref()
            .is_none_or(|n| s.borger_navn.as_deref().is_some_and(|b| soegetekst(b).contains(&soegetekst(n))))
        && f.cvr.as_ref().is_none_or(|c| &s.cvr == c)
        && f.vitas_id.is_none_or(|id| s.id == id)
        && f.start_fra.is_none_or(|d| s.startdato.is_some_and(|x| x >= d))
        && f.start_til.is_none_or(|d| s.startdato.is_some_and(|x| x <= d))
        && f.modtaget_fra.is_none_or(|d| s.modtaget_dato.is_some_and(|x| x >= d))
        && f.team.is_none_or(|t| s.team_id == Some(t))
        && f.medarbejder.is_none_or(|m| s.ansvarlig_id == Some(m))
        && ((f.timer_min.is_none() && f.timer_max.is_none())
            || (!matches!(ordning, Ordning::Mentor | Ordning::Hjaelpemiddel | Ordning::PersonligAssistent)
                && ordning.registrerer_timer()
                && s.timer_hundrededele.is_some_and(|t| {
                    f.timer_min.is_none_or(|m| t >= m as i32) && f.timer_max.is_none_or(|m| t <= m as i32)
                })))
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Noegle {
    Tal(i64),
    Tekst(String),
    Dato(NaiveDate),
}

fn rang_efter_navn(navne: &[(i64, String)]) -> Vec<i64> {
    let mut v: Vec<(String, i64)> = navne.iter().map(|(id, n)| (sorteringsnoegle(n), *id)).collect();
    v.sort();
    v.into_iter().map(|(_, id)| id).collect()
}

fn noegle(l: Liste, k: Kolonne, s: &sag::Model, teams: &[i64], folk: &[i64]) -> Option<Noegle> {
    let ordning_rang = || {
        let o = Ordning::fra_kode(&s.ordning).expect("ordning");
        Noegle::Tal(ORDNING_ORDEN.iter().position(|x| *x == o).expect("kendt") as i64)
    };
    match k {
        Kolonne::Id => Some(Noegle::Tal(s.id)),
        Kolonne::Ordning => Some(ordning_rang()),
        Kolonne::Tillaeg => s.hovedsag_id.map(|_| ordning_rang()),
        Kolonne::Status => {
            let mut navne = l.statusser();
            navne.sort_by_key(|(_, navn)| sorteringsnoegle(navn));
            status_af(l, s).and_then(|st| navne.iter().position(|(kode, _)| *kode == st)).map(|p| Noegle::Tal(p as i64))
        }
        Kolonne::Cpr => s.cpr.clone().map(Noegle::Tekst),
        Kolonne::Navn => s.borger_navn.as_deref().map(|n| Noegle::Tekst(sorteringsnoegle(n))),
        Kolonne::Cvr => Some(Noegle::Tekst(s.cvr.clone())),
        Kolonne::Modtaget => s.modtaget_dato.map(Noegle::Dato),
        Kolonne::Godkendt => s.godkendt_dato.map(Noegle::Dato),
        Kolonne::Start => s.startdato.map(Noegle::Dato),
        Kolonne::Slut => s.slutdato.map(Noegle::Dato),
        Kolonne::Timer => s.timer_hundrededele.map(|t| Noegle::Tal(t.into())),
        Kolonne::Team => s.team_id.and_then(|t| teams.iter().position(|x| *x == t)).map(|p| Noegle::Tal(p as i64)),
        Kolonne::Medarbejder => {
            s.ansvarlig_id.and_then(|m| folk.iter().position(|x| *x == m)).map(|p| Noegle::Tal(p as i64))
        }
    }
}

/// The ids a list should show, in order: empty values last either way, ties by id.
fn forventet(v: &Verden, a: &Aktoer, l: Liste, f: &Filter, so: Sortering, teams: &[i64], folk: &[i64]) -> Vec<i64> {
    let mut hits: Vec<&sag::Model> =
        v.sager.iter().filter(|s| i_scope(a, s) && medlem(l, s) && passer(l, f, s)).collect();
    hits.sort_by(|x, y| {
        let (kx, ky) = (noegle(l, so.kolonne, x, teams, folk), noegle(l, so.kolonne, y, teams, folk));
        let primaer = match (kx, ky) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(p), Some(q)) => {
                if so.faldende {
                    q.cmp(&p)
                } else {
                    p.cmp(&q)
                }
            }
        };
        primaer.then(if so.faldende { y.id.cmp(&x.id) } else { x.id.cmp(&y.id) })
    });
    hits.into_iter().map(|s| s.id).collect()
}

// ---- Random queries -----------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Foresp {
    aktoer: usize,
    liste: Liste,
    filter_frø: u64,
    kolonne: Kolonne,
    faldende: bool,
    stoerrelse: u64,
}

fn foresp() -> impl Strategy<Value = Foresp> {
    (0usize..4, 0usize..Liste::ALLE.len(), any::<u64>(), 0usize..Kolonne::ALLE.len(), any::<bool>(), 1u64..30).prop_map(
        |(aktoer, l, filter_frø, k, faldende, stoerrelse)| Foresp {
            aktoer,
            liste: Liste::ALLE[l],
            filter_frø,
            kolonne: Kolonne::ALLE[k],
            faldende,
            stoerrelse,
        },
    )
}

/// A random filter from a seed: each field set with some probability, values drawn so that
/// they hit the data.
fn filter(v: &Verden, l: Liste, frø: u64) -> Filter {
    let mut r = StdRng::seed_from_u64(frø);
    let mut f = Filter::default();
    if r.random_bool(0.3) {
        f.ordninger = (0..r.random_range(1..4)).map(|_| *vaelg(&mut r, &Ordning::ALLE)).collect();
    }
    if r.random_bool(0.3) {
        let st = l.statusser();
        f.statusser = (0..r.random_range(1..3)).map(|_| vaelg(&mut r, &st).0.to_string()).collect();
    }
    if r.random_bool(0.15) {
        f.tillaeg = vec![*vaelg(&mut r, &[Ordning::Mentor, Ordning::Hjaelpemiddel])];
    }
    f.cpr = maaske(&mut r, 0.1, |r| vaelg(r, &CPR).to_string());
    f.navn = maaske(&mut r, 0.2, |r| vaelg(r, &["aa", "Ø", "ÆRØ", "sen", "%", "_ B", "ærtebjerg"]).to_string());
    f.cvr = maaske(&mut r, 0.15, |r| vaelg(r, &CVR).to_string());
    f.vitas_id = maaske(&mut r, 0.05, |r| vaelg(r, &v.sager).id);
    f.start_fra = maaske(&mut r, 0.15, dato);
    f.start_til = maaske(&mut r, 0.1, dato);
    f.modtaget_fra = maaske(&mut r, 0.1, dato);
    f.team = maaske(&mut r, 0.1, |r| vaelg(r, &v.teams).0);
    f.medarbejder = maaske(&mut r, 0.1, |r| vaelg(r, &v.folk).0);
    if r.random_bool(0.15) {
        f.timer_min = Some(r.random_range(500..2000));
        f.timer_max = maaske(&mut r, 0.5, |r| r.random_range(2000..3800));
    }
    f
}

async fn lister_svarer_til_referencen(app: TestApp) {
    let v = byg_verden(&app, 260, 7).await;
    let aktoerer = [
        Aktoer::Sagsbehandler { jobcenter_id: v.jc[0] },
        Aktoer::Sagsbehandler { jobcenter_id: v.jc[1] },
        Aktoer::Virksomhed { cvr: CVR[0].into() },
        Aktoer::Styrelse,
    ];
    let mut runner = TestRunner::new(Config { cases: 48, failure_persistence: None, ..Config::default() });
    let handle = tokio::runtime::Handle::current();
    let ikke_tomme = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&foresp(), |q| {
            let a = &aktoerer[q.aktoer];
            let f = filter(&v, q.liste, q.filter_frø);
            let so = Sortering { kolonne: q.kolonne, faldende: q.faldende };
            let (teams, folk, sider, total) = tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let teams = rang_efter_navn(&lister::teams_i_scope(&app.db, a).await.expect("teams"));
                    let folk = rang_efter_navn(&lister::medarbejdere_i_scope(&app.db, a).await.expect("folk"));
                    let total = lister::antal(&app.db, a, q.liste, &f).await.expect("antal");
                    let mut sider = Vec::new();
                    let antal_sider = lister::sider_i_alt(total, q.stoerrelse);
                    for nr in 1..=antal_sider {
                        let s = lister::side(&app.db, a, q.liste, &f, so, nr, q.stoerrelse).await.expect("side");
                        assert_eq!(s.total, total, "siden og tælleren er enige");
                        assert_eq!(s.side, nr, "side {nr} af {antal_sider} vises som sig selv");
                        assert_eq!(s.antal_sider(), antal_sider);
                        sider.extend(s.raekker.into_iter().map(|r| r.sag.id));
                    }
                    // Past the last page, up to u64::MAX, the list shows its last page (decision
                    // 50): the same rows, no panic, no error.
                    let sidste =
                        lister::side(&app.db, a, q.liste, &f, so, antal_sider, q.stoerrelse).await.expect("side");
                    for forbi in [antal_sider + 1, u64::MAX / 2, u64::MAX] {
                        let s = lister::side(&app.db, a, q.liste, &f, so, forbi, q.stoerrelse).await.expect("side");
                        assert_eq!(s.side, antal_sider, "side {forbi} bliver den sidste");
                        let ids = |r: &[lister::Raekke]| r.iter().map(|r| r.sag.id).collect::<Vec<_>>();
                        assert_eq!(ids(&s.raekker), ids(&sidste.raekker));
                    }
                    (teams, folk, sider, total)
                })
            });
            // The whole list read in index order, as the Excel export and the long lists
            // read it (`lister::sorteret`), must give the same order as the pages, which
            // sort these short lists (decision 52).
            let i_indeksorden: Vec<i64> = tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let o = lister::sorteret(a, q.liste, &f, so);
                    let mut ids = Vec::new();
                    for del in std::iter::once(o.med_vaerdi).chain(o.uden_vaerdi) {
                        ids.extend(del.all(&app.db.conn).await.expect("sorteret").into_iter().map(|s| s.id));
                    }
                    ids
                })
            });
            let ventet = forventet(&v, a, q.liste, &f, so, &teams, &folk);
            if i_indeksorden != ventet {
                return Err(TestCaseError::fail(format!(
                    "indeksordenen afviger for {q:?} {f:?}\n db: {i_indeksorden:?}\nref: {ventet:?}"
                )));
            }
            if !ventet.is_empty() {
                ikke_tomme.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if total != ventet.len() as u64 {
                return Err(TestCaseError::fail(format!("antal {total} ≠ reference {} for {q:?} {f:?}", ventet.len())));
            }
            if sider != ventet {
                return Err(TestCaseError::fail(format!(
                    "rækkefølge/sider afviger for {q:?} {f:?}\n db: {sider:?}\nref: {ventet:?}"
                )));
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // The random queries are not all empty: the comparison says something.
    let ikke_tomme = ikke_tomme.into_inner();
    assert!(ikke_tomme >= 10, "kun {ikke_tomme} forespørgsler gav hits");
}

paa_begge_databaser!(lister_svarer_til_referencen);

// ---- Over HTTP: counters, Sæt ansvarlig, moving a case -----------------------------------

/// Every number after `class="antal">` on a page (the hit count stands at top and bottom).
fn antal_paa_siden(html: &str) -> Vec<u64> {
    html.split("class=\"antal\">").skip(1).filter_map(|r| r.split('<').next()?.trim().parse().ok()).collect()
}

/// The bubbles on a front page: (link, number).
fn bobler_paa_siden(html: &str) -> Vec<(String, u64)> {
    html.split("<a href=\"")
        .skip(1)
        .filter(|r| r.contains("boble\" data-antal=\""))
        .filter_map(|r| {
            let href = r.split('"').next()?.replace("&amp;", "&").replace("&#38;", "&");
            let antal = r.split("data-antal=\"").nth(1)?.split('"').next()?.parse().ok()?;
            Some((href, antal))
        })
        .collect()
}

/// Issue 3 §3: the count always equals the list's total, as a property over random data:
/// each round adds random cases, then every bubble on the caseworker's and the company's
/// front page must show the number the list it opens shows, at its top and its bottom.
async fn bobler_er_lig_listernes_total(app: TestApp) {
    use crate::flow::{KAREN, LONE};
    use crate::html::Person;
    let karen = Person::ny(&app, KAREN).await;
    let lone = Person::ny(&app, LONE).await;
    let mut ikke_nul = 0;
    for runde in 0..4u64 {
        byg_verden(&app, 50, 1000 + runde).await;
        for p in [&karen, &lone] {
            let forside = p.hent_ok("/").await;
            let bobler = bobler_paa_siden(&forside.html);
            assert!(!bobler.is_empty(), "{} har ingen bobler\n{}", p.hvem, forside.html);
            for (href, antal) in bobler {
                let liste = p.hent_ok(&href).await;
                assert_eq!(antal_paa_siden(&liste.html), vec![antal, antal], "{}: boblen {href} viser {antal}", p.hvem);
                if antal > 0 {
                    ikke_nul += 1;
                }
            }
        }
    }
    assert!(ikke_nul >= 4, "bobler med indhold: {ikke_nul}");
}

/// The rows of a short list on the front page (`<tr id="{noegle}-sag-{id}">`), in order.
fn kortliste_ids(html: &str, noegle: &str) -> Vec<i64> {
    let start = format!("<tr id=\"{noegle}-sag-");
    html.split(start.as_str()).skip(1).filter_map(|r| r.split('"').next()?.parse().ok()).collect()
}

/// Issue 15 §1: no page renders an unbounded number of rows. The front page's short lists
/// hold at most `KORT_STOERRELSE` rows and page on; any page number, however large, answers
/// 200 with the last page (it panicked in the SQL layer before).
async fn sider_er_begraensede(app: TestApp) {
    use crate::flow::{KAREN, LONE};
    use crate::html::Person;
    use web::html::forside::KORT_STOERRELSE;
    let v = byg_verden(&app, 240, 77).await;
    // Enough received applications at København for several pages of the short list.
    sag::Entity::update_many()
        .col_expr(sag::Column::Sagsart, sea_orm::sea_query::Expr::value(Sagsart::Ansoegning.kode()))
        .col_expr(sag::Column::AnsoegningStatus, sea_orm::sea_query::Expr::value(AnsoegningStatus::Modtaget.kode()))
        .filter(sag::Column::JobcenterId.eq(v.jc[0]))
        .filter(sag::Column::ModtagetDato.is_not_null())
        .exec(&app.db.conn)
        .await
        .expect("modtagne");
    app.taellinger_forfra().await;
    let karen = Person::ny(&app, KAREN).await;
    let lone = Person::ny(&app, LONE).await;
    let forside = karen.hent_ok("/").await;
    let modtagne = kortliste_ids(&forside.html, "modtagne");
    let bobler = bobler_paa_siden(&forside.html);
    let antal_modtagne = bobler.iter().find(|(h, _)| h.starts_with("/lister/ansoegninger")).map(|(_, a)| *a);
    assert!(antal_modtagne.is_some_and(|a| a > KORT_STOERRELSE), "verdenen skal give mere end én side: {bobler:?}");
    assert_eq!(modtagne.len() as u64, KORT_STOERRELSE, "forsiden viser en kort side\n{}", forside.html);
    assert!(forside.html.contains("href=\"/?side_modtagne=2\""), "der er en næste side\n{}", forside.html);
    // The short list is the first page of the list its counter opens, in the same order.
    let (href, _) = bobler.iter().find(|(h, _)| h.starts_with("/lister/ansoegninger")).cloned().unwrap_or_default();
    let liste = karen.hent_ok(&href).await;
    let i_listen: Vec<i64> = liste
        .html
        .split("<a href=\"/sager/")
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .take(KORT_STOERRELSE as usize)
        .collect();
    assert_eq!(modtagne, i_listen, "forsidens liste er listens første rækker");
    let side2 = kortliste_ids(&karen.hent_ok("/?side_modtagne=2").await.html, "modtagne");
    assert!(!side2.is_empty() && side2.iter().all(|id| !modtagne.contains(id)), "side 2 viser nye sager");
    for (hvem, noegle) in [(&karen, "sager"), (&lone, "opgaver"), (&lone, "sager")] {
        let html = hvem.hent_ok("/").await.html;
        assert!(kortliste_ids(&html, noegle).len() as u64 <= KORT_STOERRELSE, "{noegle} er begrænset");
    }
    // Any page number: 200, never a panic or a 500.
    let stort = u64::MAX.to_string();
    for sti in [
        format!("/?side_modtagne={stort}"),
        format!("/?side_sager={stort}&side_forlaengelser=-1"),
        format!("/sager?side_sager={stort}"),
        format!("/lister/bevillinger?side={stort}"),
        format!("/lister/ansoegninger?side={}&sort=medarbejder&retning=faldende", i64::MAX),
        format!("/soeg?fane=bevillinger&side={stort}&antal=500"),
        "/soeg?fane=ansoegninger&side=abc&antal=-3".to_string(),
    ] {
        for p in [&karen, &lone] {
            let s = p.hent_ok(&sti).await;
            assert!(!s.html.is_empty(), "{sti}");
        }
    }
    // A short list has no count to find its last page by: past its end it shows page 1.
    let forbi = kortliste_ids(&karen.hent_ok(&format!("/sager?side_sager={stort}")).await.html, "sager");
    let foerste = kortliste_ids(&karen.hent_ok("/sager").await.html, "sager");
    assert!(!foerste.is_empty() && forbi == foerste, "en side ud over listen viser første side");
}

/// Issue 3 §2: "Sæt ansvarlig" sets team and caseworker on several rows at once; a team of
/// another jobcentre is refused in Danish and nothing changes.
async fn saet_ansvarlig_paa_flere_sager(app: TestApp) {
    use crate::atomar::antal;
    use crate::flow::{Datoer, KAREN, Maal, sag_til};
    let d = Datoer::nu();
    let (a, _, karen) = sag_til(&app, Maal::Modtaget, &d).await;
    let (b, _, _) = sag_til(&app, Maal::Modtaget, &d).await;
    let kbh = jobcenter_id(&app, "0101").await;
    let aarhus = jobcenter_id(&app, "0751").await;
    let team = |jc: i64| {
        let c = app.db.conn.clone();
        async move {
            team::Entity::find()
                .filter(team::Column::JobcenterId.eq(jc))
                .one(&c)
                .await
                .expect("team")
                .expect("team findes")
                .id
        }
    };
    let (eget_team, fremmed_team) = (team(kbh).await, team(aarhus).await);
    let sofie = app.bruger_id("sofie.dahl@jobcenter-koebenhavn.dk").await;
    let post = |team: i64| {
        let klient = karen.klient.clone();
        let url = app.url("/lister/saet-ansvarlig");
        async move {
            klient
                .post(url)
                .form(&[
                    ("sag", a.to_string()),
                    ("sag", b.to_string()),
                    ("team", team.to_string()),
                    ("medarbejder", sofie.to_string()),
                    ("tilbage", "/lister/ansoegninger?status=modtaget".to_string()),
                ])
                .send()
                .await
                .expect("POST")
        }
    };
    let foer = antal(&app).await;
    let svar = post(fremmed_team).await;
    assert_eq!(svar.status(), 422);
    assert!(svar.text().await.expect("tekst").contains("Teamet hører ikke til dit jobcenter"));
    assert_eq!(antal(&app).await, foer, "intet ændret");

    let svar = post(eget_team).await;
    assert_eq!(svar.status(), 303);
    let til = svar.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
    assert!(til.starts_with("/lister/ansoegninger?status=modtaget"), "tilbage til samme liste: {til}");
    for id in [a, b] {
        let s = crate::atomar::sag_raekke(&app, id).await;
        assert_eq!((s.team_id, s.ansvarlig_id), (Some(eget_team), Some(sofie)));
        // The sort keys travel with the ids (decision 52).
        let noegler = lister::ansvar_noegler(&app.db.conn, s.team_id, s.ansvarlig_id).await.expect("nøgler");
        assert!(noegler.0.is_some() && noegler.1.is_some());
        assert_eq!((s.team_sort.clone(), s.ansvarlig_sort.clone()), noegler);
    }
    let efter = antal(&app).await;
    assert_eq!(efter.haendelser, foer.haendelser + 2, "én hændelse pr. sag");
    assert_eq!(efter.outbox, foer.outbox + 2, "kommunen får besked om ny ansvarlig");
    // The list shows the new responsible in the Team and Medarbejder columns.
    let side = karen.hent_ok(&format!("/lister/ansoegninger?id={a}")).await;
    assert!(side.html.contains("Sofie Dahl"), "{}", side.html);
    taelling_stemmer(&app).await;
    let _ = KAREN;
}

/// Seed 001 §1.11: a case moves to another jobcentre even when a rejected grant hangs on it.
async fn flyt_sag_med_afvist_bevilling(app: TestApp) {
    use crate::flow::{Datoer, Maal, RASMUS, handling, sag_til};
    use crate::html::Person;
    let d = Datoer::nu();
    let (id, lone, karen) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    handling(&lone, id, "afvis-bevilling").await;
    assert_eq!(crate::atomar::sag_raekke(&app, id).await.afgoerelse_status.as_deref(), Some("ikke_godkendt"));
    let aarhus = jobcenter_id(&app, "0751").await;
    let svar = karen
        .klient
        .post(app.url(&format!("/sager/{id}/flyt")))
        .form(&[("jobcenter", aarhus.to_string())])
        .send()
        .await
        .expect("POST flyt");
    assert_eq!(svar.status(), 303);
    let s = crate::atomar::sag_raekke(&app, id).await;
    assert_eq!((s.jobcenter_id, s.team_id, s.ansvarlig_id), (Some(aarhus), None, None));
    assert_eq!((s.team_sort, s.ansvarlig_sort), (None, None), "sorteringsnøglerne følger med");
    let sidste = storage::sager::outbox_for_sag(&app.db, id).await.expect("outbox").pop().expect("notifikation");
    assert!(sidste.payload.contains("\"jobcenterKode\":\"0751\""), "{}", sidste.payload);
    assert_eq!(karen.hent(&format!("/sager/{id}")).await.status, 404, "København ser ikke længere sagen");
    let rasmus = Person::ny(&app, RASMUS).await;
    rasmus.hent_ok(&format!("/sager/{id}")).await;
    // The move took the case's count from København's totals to Aarhus's.
    taelling_stemmer(&app).await;
    for jc in [aarhus, jobcenter_id(&app, "0101").await] {
        let a = Aktoer::Sagsbehandler { jobcenter_id: jc };
        let f = Filter::default();
        assert_eq!(
            lister::antal(&app.db, &a, Liste::Bevillinger, &f).await.expect("antal"),
            lister::antal_direkte(&app.db, &a, Liste::Bevillinger, &f).await.expect("antal"),
        );
    }
}

/// The maintained counts behind the list totals equal a fresh GROUP BY over the cases
/// (storage::taelling), after whatever the test did through the application.
pub async fn taelling_stemmer(app: &TestApp) {
    let afvigelser = storage::taelling::afvigelser(&app.db.conn).await.expect("tællingerne");
    assert!(afvigelser.is_empty(), "tællingerne afviger fra sagerne:\n{}", afvigelser.join("\n"));
}

paa_begge_databaser!(
    bobler_er_lig_listernes_total,
    sider_er_begraensede,
    saet_ansvarlig_paa_flere_sager,
    flyt_sag_med_afvist_bevilling
);

/// Issue 3 §4: the Excel file of a list holds the list's rows in the list's order, with the
/// Bevillinger lists split in two sheets, and a cell that starts like a formula neutralised.
async fn excel_svarer_til_listen(app: TestApp) {
    use crate::flow::KAREN;
    use crate::html::Person;
    use calamine::{Data, Reader, Xlsx};
    let v = byg_verden(&app, 120, 77).await;
    // A citizen whose name would be a formula if written raw.
    let ondsindet = v
        .sager
        .iter()
        .find(|s| s.jobcenter_id == Some(v.jc[0]) && s.afgoerelse_status.is_some())
        .expect("en bevilling i København");
    let mut am: sag::ActiveModel = ondsindet.clone().into();
    am.borger_navn = Set(Some("=HYPERLINK(\"http://x\")".into()));
    am.borger_navn_soeg = Set(Some("=hyperlink".into()));
    am.borger_navn_sort = Set(Some("=".into()));
    am.update(&app.db.conn).await.expect("opdater");

    let karen = Person::ny(&app, KAREN).await;
    let a = Aktoer::Sagsbehandler { jobcenter_id: v.jc[0] };
    let sortering = Sortering { kolonne: Kolonne::Navn, faldende: false };
    let svar = karen
        .klient
        .get(app.url("/excel/soeg-bevillinger?sort=navn&retning=stigende"))
        .send()
        .await
        .expect("GET excel");
    assert_eq!(svar.status(), 200);
    assert!(svar.headers()["content-disposition"].to_str().expect("header").contains(".xlsx"));
    let bytes = svar.bytes().await.expect("bytes");
    let mut bog: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    assert_eq!(bog.sheet_names(), vec!["Bevillinger".to_string(), "Tillægsbevillinger".to_string()]);
    let mut fandt_neutraliseret = false;
    for (ark, kun_tillaeg) in [("Bevillinger", false), ("Tillægsbevillinger", true)] {
        let f = Filter { kun_tillaeg: Some(kun_tillaeg), ..Filter::default() };
        let siden = lister::side(&app.db, &a, Liste::SoegBevillinger, &f, sortering, 1, 500).await.expect("side");
        let forventet: Vec<i64> = siden.raekker.iter().map(|r| r.sag.id).collect();
        // The names as the list page shows them (its own subqueries), for the export to match.
        let navne_ventet: Vec<(String, String)> = siden
            .raekker
            .iter()
            .map(|r| (r.team.clone().unwrap_or_default(), r.medarbejder.clone().unwrap_or_default()))
            .collect();
        let omraade = bog.worksheet_range(ark).expect("ark");
        let mut raekker = omraade.rows();
        let hoved = raekker.next().expect("overskrift");
        assert_eq!(hoved[0], Data::String("VITAS-id".into()));
        let navn_kol = hoved.iter().position(|c| *c == Data::String("Navn".into())).expect("Navn-kolonne");
        let kol = |titel: &str| hoved.iter().position(|c| *c == Data::String(titel.into())).expect(titel);
        let (team_kol, medarbejder_kol) = (kol("Team"), kol("Medarbejder"));
        let tekst = |c: &Data| match c {
            Data::String(t) => t.clone(),
            Data::Empty => String::new(),
            anden => panic!("navnet er ikke tekst: {anden:?}"),
        };
        let mut ids = Vec::new();
        let mut navne = Vec::new();
        for r in raekker {
            navne.push((tekst(&r[team_kol]), tekst(&r[medarbejder_kol])));
            ids.push(match &r[0] {
                Data::Float(x) => *x as i64,
                Data::Int(x) => *x,
                anden => panic!("id er ikke et tal: {anden:?}"),
            });
            if let Data::String(n) = &r[navn_kol]
                && n.contains("HYPERLINK")
            {
                assert!(n.starts_with('\''), "formlen er neutraliseret: {n}");
                fandt_neutraliseret = true;
            }
        }
        assert_eq!(ids, forventet, "arket {ark} har listens rækker i listens rækkefølge");
        assert_eq!(navne, navne_ventet, "arket {ark} har listens team og medarbejder");

        // After the list's columns, the case's master data (docs/decisions.md 49).
        let hoved_tekst: Vec<String> = hoved.iter().map(&tekst).collect();
        let felter = jobs::eksport::felter(Liste::SoegBevillinger, false);
        assert_eq!(hoved.len(), felter.len(), "{hoved_tekst:?}");
        assert!(hoved.len() >= 25, "{} kolonner", hoved.len());
        assert!(!hoved_tekst.contains(&"Bevillingsstatus".to_string()), "listens Status gentages ikke");
        let (jc_kol, hoved_kol, aendret_kol) =
            (kol("Jobcenter"), kol("Hovedbevilling (VITAS-id)"), kol("Senest ændret"));
        let dato = |c: &Data| match c {
            Data::DateTime(d) => d.as_datetime().map(|t| t.date()),
            anden => panic!("ikke en dato: {anden:?}"),
        };
        for (r, raekke) in omraade.rows().skip(1).zip(&siden.raekker) {
            let sag = &raekke.sag;
            let jc = jobcenter::Entity::find_by_id(sag.jobcenter_id.expect("jobcenter"))
                .one(&app.db.conn)
                .await
                .expect("jobcenter")
                .expect("findes");
            assert_eq!(tekst(&r[jc_kol]), jc.navn, "sag {}", sag.id);
            let hovedsag = match &r[hoved_kol] {
                Data::Float(x) => Some(*x as i64),
                Data::Int(x) => Some(*x),
                Data::Empty => None,
                anden => panic!("hovedsag er ikke et tal: {anden:?}"),
            };
            assert_eq!(hovedsag, sag.hovedsag_id, "sag {}", sag.id);
            assert_eq!(hovedsag.is_some(), kun_tillaeg, "sag {}", sag.id);
            assert_eq!(dato(&r[aendret_kol]), Some(domain::periode::dansk_tid(sag.aendret).date()), "sag {}", sag.id);
        }
        assert!(navne.iter().any(|(t, m)| !t.is_empty() && !m.is_empty()), "nogle rækker har navne");
        assert!(bog.worksheet_formula(ark).expect("formler").is_empty(), "ingen formler i {ark}");
    }
    assert!(fandt_neutraliseret, "den ondsindede celle kom med i udtrækket");
}

paa_begge_databaser!(excel_svarer_til_listen);
