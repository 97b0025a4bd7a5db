//! `vitas-tools bench statistik` (issue 12 §2; decision 127): the statistics dashboard drawn at
//! random from a seed and timed through HTTP, beside the raw aggregate SQL it replaces.
//!
//! Each combination is a user (the national administrator, or the administrator of a
//! jobcentre drawn from the data), a period of 1–36 months anywhere in the data, any mix of
//! the built schemes (none: all) and, for the national administrator, an area (the country, a
//! region, a municipality). The page `/admin/statistik?…` is fetched from the application
//! served in this process with the user's session; its time includes the router, the session,
//! the rollup's queries, the charts and the template.
//!
//! The raw side, on PostgreSQL: the same figures as GROUP BYs over the cases of that area and
//! period (received, decided, rejected and granted per month and scheme; the days from
//! received to decided; grants active on each first of the month; terminations by reason),
//! the work the rollup saves each page. It prints the rollup pass's time, p50/p99/max of the
//! page over every combination, the ten slowest with their URL, and app ÷ raw for the
//! combinations timed both ways. It asserts nothing.
//!
//! The users are temporary (one STAR user, administrators of up to 20 jobcentres), with a
//! session each, and are removed at the end.

use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate};
use domain::ordning::Ordning;
use domain::policy::Rolle;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, Statement};
use storage::Db;
use storage::entity::{bruger, jobcenter, session};

use crate::bench::{ms, percentil};
use crate::http::Server;

/// How the bench runs.
#[derive(Debug, Clone)]
pub struct Indstillinger {
    pub antal: usize,
    pub seed: u64,
    pub runder: usize,
    pub opvarmning: usize,
    /// Combinations also timed as raw SQL (each is seconds at 10M).
    pub raa: usize,
    /// Run the rollup first (and time it), even when one exists.
    pub opgoer: bool,
}

struct Bruger {
    id: i64,
    /// The administrator's jobcentre; None for STAR.
    jobcenter: Option<i64>,
    cookie: String,
}

struct Kombination {
    bruger: usize,
    url: String,
    /// The jobcentres of the area, for the raw SQL.
    jobcentre: Vec<i64>,
    fra: NaiveDate,
    til: NaiveDate,
    ordninger: Vec<Ordning>,
}

pub async fn koer(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    let sager: i64 = tal(db, "SELECT COUNT(*) AS n FROM sag").await?;
    println!("Database: {:?}, {sager} sager; seed {}", db.backend(), ind.seed);
    let seneste = storage::statistik::seneste(&db.clone()).await?;
    if ind.opgoer || seneste.is_none() {
        let t = Instant::now();
        let r = storage::statistik::opgoer(db, chrono::Utc::now()).await?;
        println!(
            "Opgørelsen: {} sager læst, {} rækker skrevet på {:.1} s",
            r.sager,
            r.raekker,
            t.elapsed().as_secs_f64()
        );
    } else if let Some(s) = seneste {
        println!("Opgørelsen fra {} bruges ({} sager, {} rækker, {} ms)", s.opgjort, s.sager, s.raekker, s.varighed_ms);
    }
    let mut rng = StdRng::seed_from_u64(ind.seed);
    let brugere = brugere(db, &mut rng).await?;
    let resultat = maal(db, ind, &mut rng, &brugere).await;
    ryd_op(db, &brugere).await?;
    resultat
}

async fn tal(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let r = db.conn.query_one_raw(Statement::from_string(db.backend(), sql)).await?;
    Ok(r.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// One temporary STAR user and administrators of up to 20 jobcentres, each with a session.
async fn brugere(db: &Db, rng: &mut StdRng) -> anyhow::Result<Vec<Bruger>> {
    let mut jc: Vec<i64> = jobcenter::Entity::find().all(&db.conn).await?.into_iter().map(|j| j.id).collect();
    jc.shuffle(rng);
    let nu = chrono::Utc::now();
    let mut ud = Vec::new();
    for (rolle, jobcenter) in
        std::iter::once((Rolle::Styrelse, None)).chain(jc.into_iter().take(20).map(|j| (Rolle::Administrator, Some(j))))
    {
        let b = bruger::ActiveModel {
            rolle: Set(rolle.kode().to_string()),
            fornavn: Set("Bench".into()),
            mellemnavn: Set(String::new()),
            efternavn: Set("Statistik".into()),
            email: Set(format!("bench-statistik-{}@vitas.invalid", jobcenter.unwrap_or(0))),
            jobcenter_id: Set(jobcenter),
            aktiv: Set(true),
            ..Default::default()
        }
        .insert(&db.conn)
        .await?;
        let id = storage::sessioner::opret(db, b.id, nu).await?;
        ud.push(Bruger { id: b.id, jobcenter, cookie: format!("{}={id}", web::auth::COOKIE) });
    }
    Ok(ud)
}

async fn ryd_op(db: &Db, brugere: &[Bruger]) -> anyhow::Result<()> {
    let ids: Vec<i64> = brugere.iter().map(|b| b.id).collect();
    session::Entity::delete_many().filter(session::Column::BrugerId.is_in(ids.clone())).exec(&db.conn).await?;
    bruger::Entity::delete_many().filter(bruger::Column::Id.is_in(ids)).exec(&db.conn).await?;
    Ok(())
}

/// The months the data spans, from the received and decision dates.
async fn dataens_maaneder(db: &Db) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let r = db
        .conn
        .query_one_raw(Statement::from_string(
            db.backend(),
            "SELECT MIN(maaned) AS fra, MAX(maaned) AS til FROM statistik WHERE niveau = 'land'",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("statistikken er tom"))?;
    let fra: Option<NaiveDate> = r.try_get("", "fra")?;
    let til: Option<NaiveDate> = r.try_get("", "til")?;
    match (fra, til) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => anyhow::bail!("statistikken er tom: kør `vitas-tools seed-bulk` først"),
    }
}

fn tegn(
    rng: &mut StdRng,
    brugere: &[Bruger],
    jc: &[(i64, String, String)],
    spaend: (NaiveDate, NaiveDate),
) -> Kombination {
    let bruger = rng.random_range(0..brugere.len());
    let maaneder = (0..).take_while(|i| spaend.0 + Months::new(*i) <= spaend.1).count() as u32;
    let laengde = rng.random_range(1..=36.min(maaneder.max(1)));
    let start = rng.random_range(0..=maaneder.saturating_sub(laengde));
    let fra = spaend.0 + Months::new(start);
    let til = fra + Months::new(laengde - 1);
    let byggede: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| o.bygget()).collect();
    let mut ordninger: Vec<Ordning> = if rng.random_bool(0.4) {
        Vec::new()
    } else {
        let n = rng.random_range(1..=3);
        byggede.choose_multiple(rng, n).copied().collect()
    };
    ordninger.sort();
    let mut url = format!("/admin/statistik?fra={}&til={}", fra.format("%Y-%m"), til.format("%Y-%m"));
    for o in &ordninger {
        url.push_str(&format!("&ordning={}", o.kode()));
    }
    let jobcentre: Vec<i64> = match brugere[bruger].jobcenter {
        Some(j) => vec![j],
        None => match rng.random_range(0..3) {
            0 => jc.iter().map(|j| j.0).collect(),
            1 => {
                let region = jc.choose(rng).map(|j| j.2.clone()).unwrap_or_default();
                url.push_str(&format!("&omraade=region:{}", urlencoding(&region)));
                jc.iter().filter(|j| j.2 == region).map(|j| j.0).collect()
            }
            _ => {
                let j = jc.choose(rng).cloned().unwrap_or_default();
                url.push_str(&format!("&omraade=kommune:{}", j.1));
                vec![j.0]
            }
        },
    };
    Kombination { bruger, url, jobcentre, fra, til, ordninger }
}

fn urlencoding(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The raw aggregate SQL of one dashboard: the figures as GROUP BYs over the cases.
fn raa_saetninger(k: &Kombination) -> Vec<String> {
    let jc: Vec<String> = k.jobcentre.iter().map(|j| j.to_string()).collect();
    let mut hvor = format!("s.jobcenter_id IN ({})", jc.join(", "));
    if !k.ordninger.is_empty() {
        let o: Vec<String> = k.ordninger.iter().map(|o| format!("'{}'", o.kode())).collect();
        hvor.push_str(&format!(" AND s.ordning IN ({})", o.join(", ")));
    }
    let (fra, efter) = (k.fra, k.til + Months::new(1));
    vec![
        format!(
            "SELECT s.ordning, date_trunc('month', s.modtaget_dato) AS m, COUNT(*), COUNT(s.anden_aktoer_id) FROM sag s \
             WHERE {hvor} AND s.modtaget_dato >= '{fra}' AND s.modtaget_dato < '{efter}' GROUP BY 1, 2"
        ),
        format!(
            "SELECT s.ordning, date_trunc('month', s.afgoerelse_dato) AS m, \
             COUNT(*) FILTER (WHERE s.ansoegning_status IN ('godkendt', 'afvist')), \
             COUNT(*) FILTER (WHERE s.ansoegning_status = 'afvist'), COUNT(s.afgoerelse_status), \
             percentile_disc(0.5) WITHIN GROUP (ORDER BY s.afgoerelse_dato - s.modtaget_dato), \
             percentile_disc(0.9) WITHIN GROUP (ORDER BY s.afgoerelse_dato - s.modtaget_dato) \
             FROM sag s WHERE {hvor} AND s.afgoerelse_dato >= '{fra}' AND s.afgoerelse_dato < '{efter}' GROUP BY 1, 2"
        ),
        format!(
            "SELECT s.ordning, m, COUNT(*) FROM generate_series('{fra}'::date, '{}'::date, '1 month') AS m \
             JOIN sag s ON s.startdato <= m AND s.slutdato >= m \
             WHERE {hvor} AND s.afgoerelse_status IN ('godkendt_af_virksomhed', 'ophoert') GROUP BY 1, 2",
            k.til
        ),
        format!(
            "SELECT s.ordning, e.data::jsonb ->> 'aarsag_id', e.data::jsonb ->> 'systemophoer', COUNT(*) \
             FROM sagselement e JOIN sag s ON s.id = e.sag_id WHERE {hvor} AND e.art = 'ophoer' \
             AND e.startdato >= '{fra}' AND e.startdato < '{efter}' GROUP BY 1, 2, 3"
        ),
    ]
}

async fn tid_raa(db: &Db, k: &Kombination) -> anyhow::Result<Duration> {
    let t = Instant::now();
    for sql in raa_saetninger(k) {
        db.conn.query_all_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
    }
    Ok(t.elapsed())
}

async fn maal(db: &Db, ind: &Indstillinger, rng: &mut StdRng, brugere: &[Bruger]) -> anyhow::Result<()> {
    let spaend = dataens_maaneder(db).await?;
    let jc: Vec<(i64, String, String)> =
        jobcenter::Entity::find().all(&db.conn).await?.into_iter().map(|j| (j.id, j.kommunekode, j.region)).collect();
    let server = Server::start(db, true).await?;
    let kombinationer: Vec<Kombination> =
        (0..ind.antal + ind.opvarmning).map(|_| tegn(rng, brugere, &jc, spaend)).collect();
    println!(
        "Data fra {} til {}; {} kombinationer × {} runder (+{} opvarmning), {} også som rå SQL",
        spaend.0.format("%Y-%m"),
        spaend.1.format("%Y-%m"),
        ind.antal,
        ind.runder.max(1),
        ind.opvarmning,
        ind.raa.min(ind.antal)
    );
    let mut fejl = 0;
    for k in &kombinationer[..ind.opvarmning] {
        server.tid(&k.url, &brugere[k.bruger].cookie, &mut fejl).await?;
    }
    let maalte = &kombinationer[ind.opvarmning..];
    let mut tider: Vec<(Duration, usize)> = Vec::new();
    let mut alle: Vec<Duration> = Vec::new();
    for (i, k) in maalte.iter().enumerate() {
        let mut bedste = Duration::MAX;
        for _ in 0..ind.runder.max(1) {
            let d = server.tid(&k.url, &brugere[k.bruger].cookie, &mut fejl).await?;
            alle.push(d);
            bedste = bedste.min(d);
        }
        tider.push((bedste, i));
    }
    alle.sort();
    println!();
    println!(
        "Dashboardet gennem HTTP: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} visninger{}",
        ms(percentil(&alle, 0.5)),
        ms(percentil(&alle, 0.99)),
        ms(alle.last().copied().unwrap_or_default()),
        alle.len(),
        if fejl > 0 { format!(" ({fejl} svar ikke 200)") } else { String::new() }
    );
    let mut langsomme = tider.clone();
    langsomme.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("De ti langsomste (bedste af runderne):");
    for (d, i) in langsomme.iter().take(10) {
        let k = &maalte[*i];
        let hvem = if brugere[k.bruger].jobcenter.is_some() { "administrator" } else { "STAR" };
        println!("  {:>7.1} ms  {hvem:<13} {}", ms(*d), k.url);
    }
    if db.backend() != DbBackend::Postgres {
        println!("Rå SQL: kun på PostgreSQL (date_trunc, percentile_disc, generate_series).");
        return Ok(());
    }
    println!();
    println!("App ÷ rå aggregat-SQL over sagerne (samme område, periode og ordninger):");
    let mut forhold = Vec::new();
    for (i, k) in maalte.iter().enumerate().take(ind.raa) {
        let raa = tid_raa(db, k).await?;
        let app = tider[i].0;
        forhold.push(app.as_secs_f64() / raa.as_secs_f64().max(1e-9));
        if i < 10 {
            println!("  app {:>7.1} ms  rå {:>9.1} ms  {}", ms(app), ms(raa), k.url);
        }
    }
    forhold.sort_by(|a, b| a.total_cmp(b));
    if !forhold.is_empty() {
        let mid = forhold[forhold.len() / 2];
        println!(
            "  app ÷ rå over {} kombinationer: median {:.4}, største {:.4}",
            forhold.len(),
            mid,
            forhold.last().copied().unwrap_or_default()
        );
    }
    Ok(())
}
