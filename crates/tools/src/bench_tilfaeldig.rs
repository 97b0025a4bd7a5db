//! `vitas-tools bench lists --tilfaeldige N` (issue 15 §3): list pages drawn at random from a seed,
//! as users would ask for them, timed through the real HTTP stack.
//!
//! A benchmark of chosen queries proves nothing about the next one. This one draws, from
//! `--seed`, a role and a user of it, a list or Søg tab that role has, any mix of the filters
//! the page offers (several schemes, statuses and supplements, team, caseworker, CPR, name,
//! CVR, the three date ranges, the hours range), a sort on any of the list's columns in
//! either direction, and a page, deep pages included. Each combination is a URL, fetched
//! from the application served in this process on a loopback port, with the user's session
//! cookie: the router, the session lookup, the queries and the template all count.
//!
//! Beside it, in the same run and interleaved, the raw SQL of the same page: the count and
//! the page statements the list sends (`storage::lister`), built once and sent as plain
//! statements. It prints p50, p99 and max over every combination, app ÷ raw, the ten slowest
//! with their URL and the plan of their page statement, the front page of each role, and
//! pages per second with 16 and 64 users at once. It asserts nothing: the figures go into
//! docs/benchmarks.md with the command that printed them.
//!
//! The bench logs its users in by writing sessions for them (and, for the company role,
//! a user of a company drawn from the cases, removed again at the end); nothing else in the
//! database changes, except what a page view changes anyway (the session's expiry).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Rolle};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set, Statement,
};
use storage::Db;
use storage::entity::{bruger, sag, session};
use storage::lister::{self, Filter, Kolonne, Liste, Sortering};

use crate::bench::{ms, percentil};
use crate::http::{Server, uden_cpr};

/// How the random bench runs.
#[derive(Debug, Clone)]
pub struct Indstillinger {
    /// Combinations to draw and time.
    pub antal: usize,
    /// Seed of every random choice: the same seed on the same database draws the same URLs.
    pub seed: u64,
    /// Timed runs per combination, each way (app and raw).
    pub runder: usize,
    /// Combinations fetched untimed first, to warm the caches.
    pub opvarmning: usize,
    /// Users at once for the throughput runs (empty: none).
    pub samtidige: Vec<usize>,
    /// Seconds per throughput run.
    pub sekunder: u64,
}

/// A logged-in user of the bench.
#[derive(Clone)]
struct Bruger {
    id: i64,
    rolle: Rolle,
    aktoer: Aktoer,
    cookie: String,
}

/// One drawn page: who asks, and what.
#[derive(Clone)]
struct Kombination {
    bruger: usize,
    liste: Liste,
    filter: Filter,
    sortering: Sortering,
    side: u64,
    url: String,
}

/// Cases drawn at random from the whole table: the source of CPRs, names and CVRs that the
/// filters search for, as users search for cases that exist (and, across scopes, for ones
/// they cannot see).
struct Proeve {
    sager: Vec<sag::Model>,
    min_id: i64,
    max_id: i64,
    teams: Vec<(i64, i64)>,
    folk: Vec<(i64, i64)>,
}

const SIDE: u64 = crate::bench::SIDE;

/// Issue 15's target for any list page at 10M cases: p99 ≤ 100 ms through HTTP.
const MAAL: Duration = Duration::from_millis(100);

/// Entry point: draw, time, print.
pub async fn koer(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(ind.seed);
    let proeve = proeve(db, &mut rng).await?;
    println!(
        "Database: {:?}, sager med id {}..{}; seed {}; {} kombinationer × {} runder (+{} opvarmning)",
        db.backend(),
        proeve.min_id,
        proeve.max_id,
        ind.seed,
        ind.antal,
        ind.runder.max(1),
        ind.opvarmning
    );
    let (brugere, midlertidige) = brugere(db, &proeve, &mut rng).await?;
    let resultat = koer_med_brugere(db, ind, &mut rng, &proeve, &brugere).await;
    // The sessions and temporary company users go whatever happened.
    ryd_op(db, &brugere, &midlertidige).await?;
    resultat
}

async fn koer_med_brugere(
    db: &Db,
    ind: &Indstillinger,
    rng: &mut StdRng,
    proeve: &Proeve,
    brugere: &[Bruger],
) -> anyhow::Result<()> {
    let server = Server::start(db, true).await?;
    // The same pages without the access log: what writing it costs (issue 14 §3).
    let uden_log = Server::start(db, false).await?;
    let mut kombinationer: Vec<Kombination> =
        (0..ind.antal + ind.opvarmning).map(|_| tegn(rng, proeve, brugere)).collect();
    // A CPR or name filter is a reference in the address, as the filter form makes it
    // (decision 80): stored once here, so every timed fetch is the list page itself.
    for k in &mut kombinationer {
        k.url = web::html::filterurl::uden_persondata(db, brugere[k.bruger].id, &k.url).await?;
    }
    let (opvarmning, maalte) = kombinationer.split_at(ind.opvarmning.min(kombinationer.len()));
    for k in opvarmning {
        server.hent(&k.url, &brugere[k.bruger].cookie).await?;
    }

    struct Maalt<'a> {
        k: &'a Kombination,
        app: Duration,
        raa: Duration,
        total: u64,
    }
    let mut alle = Vec::with_capacity(maalte.len());
    let mut app_alle = Vec::new();
    let mut raa_alle = Vec::new();
    let mut uden_log_alle = Vec::new();
    let mut fejl = 0usize;
    for (i, k) in maalte.iter().enumerate() {
        let b = &brugere[k.bruger];
        let raat = RaaSide::byg(db, &b.aktoer, k).await?;
        let mut app = Vec::new();
        let mut raa = Vec::new();
        for r in 0..ind.runder.max(1) {
            // Alternate which goes first, so neither always meets the warmer cache.
            if (i + r) % 2 == 0 {
                app.push(server.tid(&k.url, &b.cookie, &mut fejl).await?);
                raa.push(raat.tid(db).await?);
                uden_log_alle.push(uden_log.tid(&k.url, &b.cookie, &mut fejl).await?);
            } else {
                uden_log_alle.push(uden_log.tid(&k.url, &b.cookie, &mut fejl).await?);
                raa.push(raat.tid(db).await?);
                app.push(server.tid(&k.url, &b.cookie, &mut fejl).await?);
            }
        }
        app.sort();
        raa.sort();
        alle.push(Maalt { k, app: percentil(&app, 0.5), raa: percentil(&raa, 0.5), total: raat.total });
        app_alle.extend(app);
        raa_alle.extend(raa);
    }
    app_alle.sort();
    raa_alle.sort();
    uden_log_alle.sort();
    let mut forhold: Vec<f64> = alle.iter().map(|m| ms(m.app) / ms(m.raa).max(1e-6)).collect();
    forhold.sort_by(f64::total_cmp);
    let p = |v: &[f64], q: f64| v.get(((q * v.len() as f64).ceil() as usize).clamp(1, v.len().max(1)) - 1).copied();

    println!();
    println!("Gennem HTTP (router, session, forespørgsler, skabelon), {} målinger:", app_alle.len());
    println!(
        "  app: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(percentil(&app_alle, 0.5)),
        ms(percentil(&app_alle, 0.99)),
        ms(app_alle.last().copied().unwrap_or_default())
    );
    println!(
        "  rå SQL (tælling + side): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(percentil(&raa_alle, 0.5)),
        ms(percentil(&raa_alle, 0.99)),
        ms(raa_alle.last().copied().unwrap_or_default())
    );
    println!(
        "  app ÷ rå over alle: p50 {:.2}×, p99 {:.2}×; pr. kombination (median af runderne): p50 {:.2}×, p90 {:.2}×",
        ms(percentil(&app_alle, 0.5)) / ms(percentil(&raa_alle, 0.5)).max(1e-6),
        ms(percentil(&app_alle, 0.99)) / ms(percentil(&raa_alle, 0.99)).max(1e-6),
        p(&forhold, 0.5).unwrap_or(0.0),
        p(&forhold, 0.9).unwrap_or(0.0)
    );
    println!(
        "  samme sider uden adgangslog: p50 {:.1} ms, p99 {:.1} ms; med ÷ uden: p50 {:.2}×, p99 {:.2}×",
        ms(percentil(&uden_log_alle, 0.5)),
        ms(percentil(&uden_log_alle, 0.99)),
        ms(percentil(&app_alle, 0.5)) / ms(percentil(&uden_log_alle, 0.5)).max(1e-6),
        ms(percentil(&app_alle, 0.99)) / ms(percentil(&uden_log_alle, 0.99)).max(1e-6)
    );
    println!("  svar der ikke var 200: {fejl}");
    let pr_rolle = |r: Rolle| alle.iter().filter(|m| brugere[m.k.bruger].rolle == r).map(|m| m.app).collect::<Vec<_>>();
    for r in ROLLER.iter().map(|(r, _)| *r) {
        let mut v = pr_rolle(r);
        v.sort();
        if !v.is_empty() {
            println!(
                "  {:<16} {:>5} kombinationer: p50 {:>6.1} ms, p99 {:>6.1} ms, max {:>6.1} ms",
                r.navn(),
                v.len(),
                ms(percentil(&v, 0.5)),
                ms(percentil(&v, 0.99)),
                ms(v.last().copied().unwrap_or_default())
            );
        }
    }

    alle.sort_by_key(|m| std::cmp::Reverse(m.app));
    // Issue 15: every combination over the target is named with its plan, not only the ten
    // slowest, so the misses can be read one by one.
    let over = alle.iter().filter(|m| m.app > MAAL).count();
    println!();
    println!(
        "{over} af {} kombinationer over målet på {} ms (median af runderne); de langsomste, mindst 10, med sidens plan:",
        alle.len(),
        MAAL.as_millis()
    );
    for m in alle.iter().take(over.max(10)) {
        let b = &brugere[m.k.bruger];
        println!(
            "{:>7.1} ms app, {:>7.1} ms rå, {:>9} træf, {}: {}",
            ms(m.app),
            ms(m.raa),
            m.total,
            b.rolle.navn(),
            uden_cpr(&m.k.url)
        );
        let raat = RaaSide::byg(db, &b.aktoer, m.k).await?;
        println!("          plan: {}", plan(db, &raat.side).await.unwrap_or_else(|e| format!("({e})")));
    }

    forsider(&server, brugere, ind.runder.max(1) * 10).await?;
    // Throughput under many users at once, with and without the access log (issue 14 §3,
    // decision 68: every page that shows a CPR appends to one hash chain under one lock).
    // The two alternate, with-log first then without, so neither always meets the warmer
    // cache; the ratio is of the same drawn pages in the same run.
    for &c in &ind.samtidige {
        let varighed = Duration::from_secs(ind.sekunder);
        let med = gennemloeb(&server, brugere, maalte, c, varighed, "med adgangslog").await?;
        let uden = gennemloeb(&uden_log, brugere, maalte, c, varighed, "uden adgangslog").await?;
        println!(
            "  {c} samtidige, med ÷ uden adgangslog: sider/s {:.2}×, p50 {:.2}×, p99 {:.2}×",
            med.pr_sekund / uden.pr_sekund.max(1e-9),
            ms(med.p50) / ms(uden.p50).max(1e-6),
            ms(med.p99) / ms(uden.p99).max(1e-6)
        );
    }
    Ok(())
}

/// The roles drawn, with their weight: mostly caseworkers, as in a jobcentre's day.
const ROLLER: [(Rolle, u32); 6] = [
    (Rolle::Sagsbehandler, 60),
    (Rolle::Administrator, 8),
    (Rolle::AndenAktoer, 10),
    (Rolle::Styrelse, 5),
    (Rolle::Virksomhed, 15),
    (Rolle::Borger, 2),
];

/// Cases at random ids, and the teams and caseworkers of every jobcentre.
async fn proeve(db: &Db, rng: &mut StdRng) -> anyhow::Result<Proeve> {
    let graenser: Option<(Option<i64>, Option<i64>)> = sag::Entity::find()
        .select_only()
        .column_as(sag::Column::Id.min(), "mi")
        .column_as(sag::Column::Id.max(), "ma")
        .into_tuple()
        .one(&db.conn)
        .await?;
    let (Some(min_id), Some(max_id)) = graenser.unwrap_or((None, None)) else {
        anyhow::bail!("databasen har ingen sager; kør `vitas-tools seed-bulk` først");
    };
    let mut sager = Vec::new();
    for _ in 0..400 {
        let fra = rng.random_range(min_id..=max_id);
        if let Some(s) =
            sag::Entity::find().filter(sag::Column::Id.gte(fra)).order_by_asc(sag::Column::Id).one(&db.conn).await?
        {
            sager.push(s);
        }
    }
    let teams = storage::entity::team::Entity::find().all(&db.conn).await?;
    let folk = bruger::Entity::find()
        .filter(bruger::Column::JobcenterId.is_not_null())
        .filter(bruger::Column::Rolle.eq(Rolle::Sagsbehandler.kode()))
        .all(&db.conn)
        .await?;
    Ok(Proeve {
        sager,
        min_id,
        max_id,
        teams: teams.into_iter().map(|t| (t.jobcenter_id, t.id)).collect(),
        folk: folk.into_iter().filter_map(|b| Some((b.jobcenter_id?, b.id))).collect(),
    })
}

/// Up to 40 users of each role, logged in by a session each. A company has no user in the
/// bulk data, so companies drawn from the cases get a temporary one.
async fn brugere(db: &Db, proeve: &Proeve, rng: &mut StdRng) -> anyhow::Result<(Vec<Bruger>, Vec<i64>)> {
    let nu = chrono::Utc::now();
    let mut ud = Vec::new();
    let mut midlertidige = Vec::new();
    for (rolle, _) in ROLLER {
        let mut kandidater = bruger::Entity::find()
            .filter(bruger::Column::Rolle.eq(rolle.kode()))
            .filter(bruger::Column::Aktiv.eq(true))
            .all(&db.conn)
            .await?;
        if rolle == Rolle::Virksomhed {
            let mut cvr: Vec<&str> = proeve.sager.iter().map(|s| s.cvr.as_str()).collect();
            cvr.sort_unstable();
            cvr.dedup();
            cvr.shuffle(rng);
            for c in cvr.into_iter().take(30) {
                let b = bruger::ActiveModel {
                    rolle: Set(rolle.kode().to_string()),
                    fornavn: Set("Bench".into()),
                    mellemnavn: Set(String::new()),
                    efternavn: Set("Virksomhed".into()),
                    email: Set(format!("bench-{c}@vitas.invalid")),
                    cvr: Set(Some(c.to_string())),
                    aktiv: Set(true),
                    ..Default::default()
                }
                .insert(&db.conn)
                .await?;
                midlertidige.push(b.id);
                kandidater.push(b);
            }
        }
        kandidater.shuffle(rng);
        for b in kandidater.into_iter().take(40) {
            let Some((rolle, aktoer)) = web::auth::aktoer_for(&b) else { continue };
            let id = storage::sessioner::opret(db, b.id, nu).await?;
            ud.push(Bruger { id: b.id, rolle, aktoer, cookie: format!("{}={id}", web::auth::COOKIE) });
        }
    }
    anyhow::ensure!(!ud.is_empty(), "ingen brugere at logge ind som; kør `vitas-tools seed-bulk` først");
    Ok((ud, midlertidige))
}

async fn ryd_op(db: &Db, brugere: &[Bruger], midlertidige: &[i64]) -> anyhow::Result<()> {
    let bruger_ids: Vec<i64> = brugere.iter().map(|b| b.id).collect();
    storage::entity::soegefilter::Entity::delete_many()
        .filter(storage::entity::soegefilter::Column::BrugerId.is_in(bruger_ids))
        .exec(&db.conn)
        .await?;
    let ids: Vec<String> =
        brugere.iter().filter_map(|b| b.cookie.split_once('=').map(|(_, id)| id.to_string())).collect();
    session::Entity::delete_many().filter(session::Column::Id.is_in(ids)).exec(&db.conn).await?;
    session::Entity::delete_many()
        .filter(session::Column::BrugerId.is_in(midlertidige.to_vec()))
        .exec(&db.conn)
        .await?;
    bruger::Entity::delete_many().filter(bruger::Column::Id.is_in(midlertidige.to_vec())).exec(&db.conn).await?;
    Ok(())
}

/// The lists a role's menu offers (`web::html::lister::menu`) and the three Søg tabs.
fn lister_for(rolle: Rolle) -> Vec<Liste> {
    match rolle {
        Rolle::Sagsbehandler | Rolle::Administrator | Rolle::AndenAktoer | Rolle::Styrelse => Liste::ALLE.to_vec(),
        _ => vec![Liste::SoegAnsoegninger, Liste::SoegBevillinger, Liste::SoegIgu],
    }
}

/// A role that has lists, by the weights: the citizen has none since decision 97 (their
/// front page, "Dine aftaler", is timed with the others').
fn vaegtet(rng: &mut StdRng) -> Rolle {
    let med_lister = || ROLLER.into_iter().filter(|(r, _)| domain::policy::har_lister(*r));
    let i_alt: u32 = med_lister().map(|(_, v)| v).sum();
    let mut x = rng.random_range(0..i_alt);
    for (r, v) in med_lister() {
        if x < v {
            return r;
        }
        x -= v;
    }
    Rolle::Sagsbehandler
}

fn dato(rng: &mut StdRng) -> NaiveDate {
    // The bulk data's cases start over the three years before it was made, and their
    // grants run up to about two years on (tools::bulk): draw from 2023 to 2028.
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    start + chrono::Duration::days(rng.random_range(0..2190))
}

fn interval(rng: &mut StdRng) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let fra = dato(rng);
    let til = fra + chrono::Duration::days(rng.random_range(7..730));
    match rng.random_range(0..4) {
        0 => (Some(fra), None),
        1 => (None, Some(til)),
        _ => (Some(fra), Some(til)),
    }
}

/// Draw one combination.
fn tegn(rng: &mut StdRng, p: &Proeve, brugere: &[Bruger]) -> Kombination {
    let rolle = vaegtet(rng);
    let egne: Vec<usize> = (0..brugere.len()).filter(|i| brugere[*i].rolle == rolle).collect();
    let bruger = egne.choose(rng).copied().unwrap_or_else(|| rng.random_range(0..brugere.len()));
    let b = &brugere[bruger];
    let liste = *lister_for(b.rolle).choose(rng).unwrap_or(&Liste::SoegAnsoegninger);
    let jobcenter = match b.aktoer {
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => Some(jobcenter_id),
        _ => None,
    };
    // A case the user may see, when the sample has one: the CPR, name and CVR searched for.
    let synlig: Vec<&sag::Model> = p.sager.iter().filter(|s| domain_scope(&b.aktoer, s)).collect();
    let kilde =
        if !synlig.is_empty() && rng.random_bool(0.8) { synlig.choose(rng).copied() } else { p.sager.choose(rng) };

    let mut f = Filter::default();
    if rng.random_bool(0.25) {
        let n = rng.random_range(1..=3);
        f.ordninger = Ordning::ALLE.choose_multiple(rng, n).copied().collect();
    }
    if rng.random_bool(0.25) {
        let statusser = liste.statusser();
        let n = rng.random_range(1..=2).min(statusser.len());
        f.statusser = statusser.choose_multiple(rng, n).map(|(k, _)| k.to_string()).collect();
    }
    if liste.har_tillaeg() && rng.random_bool(0.1) {
        let n = rng.random_range(1..=2);
        f.tillaeg = [Ordning::Mentor, Ordning::Hjaelpemiddel].choose_multiple(rng, n).copied().collect();
    }
    if let Some(jc) = jobcenter {
        let teams: Vec<i64> = p.teams.iter().filter(|(j, _)| *j == jc).map(|(_, t)| *t).collect();
        let folk: Vec<i64> = p.folk.iter().filter(|(j, _)| *j == jc).map(|(_, b)| *b).collect();
        if rng.random_bool(0.1) {
            f.team = teams.choose(rng).copied();
        }
        if rng.random_bool(0.1) {
            f.medarbejder = folk.choose(rng).copied();
        }
    }
    if let Some(s) = kilde {
        if rng.random_bool(0.05) {
            f.cpr = s.cpr.clone();
        }
        if rng.random_bool(0.1)
            && let Some(navn) = &s.borger_navn
        {
            let ord: Vec<&str> = navn.split_whitespace().collect();
            if let Some(o) = ord.choose(rng) {
                let tegn: Vec<char> = o.chars().collect();
                let laengde = rng.random_range(3..=tegn.len().max(3)).min(tegn.len());
                f.navn = Some(tegn[..laengde].iter().collect());
            }
        }
        if rng.random_bool(0.05) {
            f.cvr = Some(s.cvr.clone());
        }
    }
    if rng.random_bool(0.1) {
        (f.modtaget_fra, f.modtaget_til) = interval(rng);
    }
    if rng.random_bool(0.1) {
        (f.start_fra, f.start_til) = interval(rng);
    }
    if rng.random_bool(0.1) {
        (f.slut_fra, f.slut_til) = interval(rng);
    }
    if rng.random_bool(0.05) {
        let fra = rng.random_range(0..35u32);
        f.timer_min = Some(fra * 100);
        f.timer_max = Some((fra + rng.random_range(1..15)) * 100);
    }
    let kolonner = Kolonne::for_liste(liste, b.rolle == Rolle::Virksomhed);
    let sortering = if rng.random_bool(0.6) {
        Sortering { kolonne: *kolonner.choose(rng).unwrap_or(&Kolonne::Id), faldende: rng.random_bool(0.5) }
    } else {
        Sortering::default()
    };
    // Most users stay on the first pages; some jump deep, some past the end.
    let side = match rng.random_range(0..100) {
        0..60 => 1,
        60..85 => rng.random_range(2..=10),
        85..97 => rng.random_range(11..=lister::MAKS_DYBDE / SIDE),
        _ => rng.random_range(1..=u64::MAX / 2),
    };
    let sti = match liste {
        Liste::SoegAnsoegninger => "/soeg?fane=ansoegninger".to_string(),
        Liste::SoegBevillinger => "/soeg?fane=bevillinger".to_string(),
        Liste::SoegIgu => "/soeg?fane=igu".to_string(),
        l => format!("/lister/{}", l.kode()),
    };
    let qs = web::html::filterurl::til_query(&f, Some(sortering), side, SIDE);
    let url = if qs.is_empty() { sti } else { format!("{sti}{}{qs}", if sti.contains('?') { '&' } else { '?' }) };
    Kombination { bruger, liste, filter: f, sortering, side, url }
}

/// Whether the actor's lists can show the case (the rule of `lister::scope`).
fn domain_scope(a: &Aktoer, s: &sag::Model) -> bool {
    match a {
        Aktoer::Virksomhed { cvr } => s.cvr == *cvr,
        Aktoer::Borger { cpr } => s.cpr.as_deref() == Some(cpr.as_str()),
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => {
            s.jobcenter_id == Some(*jobcenter_id)
        }
        Aktoer::AndenAktoer { organisation_id } => s.anden_aktoer_id == Some(*organisation_id),
        Aktoer::Medarbejderrep { sag_id } => s.id == *sag_id,
        Aktoer::Styrelse | Aktoer::System => true,
    }
}

/// The raw statements of one page: the count, then the page at the page the app shows.
struct RaaSide {
    taelling: SelectStatement,
    side: SelectStatement,
    ordnet: lister::Ordnet,
    sidetal: u64,
    total: u64,
}

impl RaaSide {
    async fn byg(db: &Db, aktoer: &Aktoer, k: &Kombination) -> anyhow::Result<RaaSide> {
        let taelling = crate::bench::taelle_saetning(aktoer, k.liste, &k.filter);
        let total = lister::antal(db, aktoer, k.liste, &k.filter).await?;
        let sidetal = lister::gyldig_side(k.side, total, SIDE);
        let side = lister::side_select(aktoer, k.liste, &k.filter, k.sortering, sidetal, SIDE, total).into_query();
        let ordnet = lister::sorteret_til_side(aktoer, k.liste, &k.filter, k.sortering, total);
        Ok(RaaSide { taelling, side, ordnet, sidetal, total })
    }

    async fn tid(&self, db: &Db) -> anyhow::Result<Duration> {
        let t = Instant::now();
        crate::bench::raa(db, &self.taelling).await?;
        if self.total == 0 {
            // The list sends no page statement when the count is 0.
            return Ok(t.elapsed());
        }
        let fundet = crate::bench::raa(db, &self.side).await?;
        if let Some(anden) = lister::anden_del(db, self.ordnet.clone(), self.sidetal, SIDE, fundet as u64).await? {
            crate::bench::raa(db, &anden.into_query()).await?;
        }
        Ok(t.elapsed())
    }
}

/// The plan of a page statement, one line: PostgreSQL's EXPLAIN nodes without their costs,
/// SQLite's EXPLAIN QUERY PLAN details.
async fn plan(db: &Db, s: &SelectStatement) -> anyhow::Result<String> {
    let backend = db.conn.get_database_backend();
    let st = backend.build(s);
    let (forspoergsel, kolonne) = match backend {
        DatabaseBackend::Postgres => (format!("EXPLAIN {}", st.sql), "QUERY PLAN"),
        _ => (format!("EXPLAIN QUERY PLAN {}", st.sql), "detail"),
    };
    let raekker =
        db.conn.query_all_raw(Statement { sql: forspoergsel, values: st.values, ..st }).await.context("EXPLAIN")?;
    let mut dele = Vec::new();
    for r in raekker {
        let linje: String = r.try_get("", kolonne)?;
        let linje = linje.trim().trim_start_matches("->").trim();
        // Costs and widths say little next to the measured time; keep the node and its index.
        let linje = linje.split("  (cost=").next().unwrap_or(linje).trim();
        let linje: String = if linje.chars().count() > 240 {
            linje.chars().take(240).chain("…".chars()).collect()
        } else {
            linje.to_string()
        };
        if !linje.is_empty() && !linje.starts_with("SubPlan") {
            dele.push(linje);
        }
    }
    Ok(dele.into_iter().take(8).collect::<Vec<_>>().join(" → "))
}

/// The front page of each role: its counters and short lists (issue 15 §3).
async fn forsider(server: &Server, brugere: &[Bruger], runder: usize) -> anyhow::Result<()> {
    println!();
    println!("Forsiden pr. rolle gennem HTTP ({runder} visninger, skiftende brugere):");
    for (rolle, _) in ROLLER {
        let egne: Vec<&Bruger> = brugere.iter().filter(|b| b.rolle == rolle).collect();
        if egne.is_empty() {
            continue;
        }
        let mut tider = Vec::with_capacity(runder);
        let mut fejl = 0;
        for i in 0..runder {
            let b = egne[i % egne.len()];
            tider.push(server.tid("/", &b.cookie, &mut fejl).await?);
        }
        tider.sort();
        println!(
            "  {:<16} p50 {:>6.1} ms, p99 {:>6.1} ms, max {:>6.1} ms{}",
            rolle.navn(),
            ms(percentil(&tider, 0.5)),
            ms(percentil(&tider, 0.99)),
            ms(tider.last().copied().unwrap_or_default()),
            if fejl > 0 { format!(" ({fejl} svar ikke 200)") } else { String::new() }
        );
    }
    Ok(())
}

/// What a throughput run measured.
struct Gennemloeb {
    pr_sekund: f64,
    p50: Duration,
    p99: Duration,
}

/// `samtidige` users at once, each fetching the drawn URLs in turn for `varighed`: pages per
/// second and the latency under that load.
async fn gennemloeb(
    server: &Server,
    brugere: &[Bruger],
    kombinationer: &[Kombination],
    samtidige: usize,
    varighed: Duration,
    hvad: &str,
) -> anyhow::Result<Gennemloeb> {
    let server = Arc::new(server.clone());
    let opgaver: Arc<Vec<(String, String)>> =
        Arc::new(kombinationer.iter().map(|k| (k.url.clone(), brugere[k.bruger].cookie.clone())).collect());
    anyhow::ensure!(!opgaver.is_empty(), "ingen kombinationer at køre");
    let slut = Instant::now() + varighed;
    let start = Instant::now();
    let mut haandtag = Vec::new();
    for n in 0..samtidige {
        let server = server.clone();
        let opgaver = opgaver.clone();
        haandtag.push(tokio::spawn(async move {
            let mut tider = Vec::new();
            let mut fejl = 0usize;
            let mut i = n * 7919;
            while Instant::now() < slut {
                let (url, cookie) = &opgaver[i % opgaver.len()];
                i += 1;
                let t = Instant::now();
                match server.hent(url, cookie).await {
                    Ok(s) if s == reqwest::StatusCode::OK => {}
                    _ => fejl += 1,
                }
                tider.push(t.elapsed());
            }
            (tider, fejl)
        }));
    }
    let mut tider = Vec::new();
    let mut fejl = 0;
    for h in haandtag {
        let (t, f) = h.await?;
        tider.extend(t);
        fejl += f;
    }
    let sekunder = start.elapsed().as_secs_f64();
    tider.sort();
    let g = Gennemloeb {
        pr_sekund: tider.len() as f64 / sekunder.max(1e-9),
        p50: percentil(&tider, 0.5),
        p99: percentil(&tider, 0.99),
    };
    println!();
    println!(
        "{samtidige} samtidige brugere, {hvad}, i {sekunder:.1} s: {} sider, {:.0} sider/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {fejl} svar ikke 200",
        tider.len(),
        g.pr_sekund,
        ms(g.p50),
        ms(g.p99),
        ms(tider.last().copied().unwrap_or_default())
    );
    Ok(g)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpr_i_adressen_maskeres() {
        assert_eq!(
            crate::http::uden_cpr("/soeg?fane=igu&cpr=0101901234&sort=cpr"),
            "/soeg?fane=igu&cpr=010190-XXXX&sort=cpr"
        );
        assert_eq!(crate::http::uden_cpr("/lister/tilbud?cpr=0101901234"), "/lister/tilbud?cpr=010190-XXXX");
        assert_eq!(crate::http::uden_cpr("/lister/tilbud?navn=a"), "/lister/tilbud?navn=a");
    }
}
