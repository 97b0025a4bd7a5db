//! `vitas-tools bench indsigt`: the citizen's extract (Art. 15) at a large access log (issue 14 §3:
//! at most 2 s at 10 million log rows on PostgreSQL).
//!
//! It fills the access log up to `--poster` entries with generated rows (PostgreSQL only: one
//! `generate_series` per million), each naming one of `--borgere` citizens, so a citizen has
//! `poster / borgere` reads on average, spread over the whole log. Then it draws citizens at
//! random from `--seed` and times `storage::adgangslog::indsigt` (what the page and the JSON
//! run) beside the raw statement that reads the same rows. The generated rows carry no hash
//! chain: `vitas adgangslog verificer` finds them broken. Use a scratch database.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Statement};
use storage::Db;

pub struct Indstillinger {
    pub poster: u64,
    pub borgere: u64,
    pub runs: usize,
    pub seed: u64,
}

/// The CPR of generated citizen `n`: ten digits, day 01–28 so every one is a valid date.
fn cpr(n: u64) -> String {
    let dag = n % 28 + 1;
    let maaned = (n / 28) % 12 + 1;
    let aar = (n / 336) % 100;
    let loebenr = (n / 33_600) % 10_000;
    format!("{dag:02}{maaned:02}{aar:02}{loebenr:04}")
}

async fn tal(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let c = &db.conn;
    let r = c.query_one_raw(Statement::from_string(c.get_database_backend(), sql)).await?.context("ingen række")?;
    Ok(r.try_get::<i64>("", "n")?)
}

fn percentil(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

pub async fn koer(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    if db.conn.get_database_backend() != sea_orm::DbBackend::Postgres {
        bail!("bench indsigt fylder loggen med generate_series og kører kun på PostgreSQL");
    }
    let c = &db.conn;
    let noegle = db.adgangslog_noegle().context("adgangslogens nøgle mangler")?.clone();
    // The pool's keyed hashes, computed here once (the database has no key, decision 79).
    c.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS bench_indsigt_borger (n BIGINT PRIMARY KEY, h VARCHAR(64) NOT NULL)",
    )
    .await?;
    c.execute_unprepared("TRUNCATE bench_indsigt_borger").await?;
    for start in (0..ind.borgere).step_by(5_000) {
        let raekker: Vec<String> = (start..(start + 5_000).min(ind.borgere))
            .map(|n| format!("({n}, '{}')", noegle.cpr_hmac(&cpr(n))))
            .collect();
        c.execute_unprepared(&format!("INSERT INTO bench_indsigt_borger (n, h) VALUES {}", raekker.join(", "))).await?;
    }
    let mut har = tal(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM adgangslog").await? as u64;
    let start = Instant::now();
    while har < ind.poster {
        let del = (ind.poster - har).min(1_000_000);
        let fra = tal(db, "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM adgangslog").await?;
        c.execute_unprepared(&format!(
            "INSERT INTO adgangslog (tidspunkt, bruger_id, api_klient_id, rolle, formaal, hvad, antal_cpr, forrige, hash) \
             SELECT now() - make_interval(secs => g), 1, NULL, 'sagsbehandler', 'liste', 'liste bench', 1, '', '' \
             FROM generate_series(1, {del}) g"
        ))
        .await?;
        // Citizen n of the pool for row id: a fixed scatter, so a citizen's reads lie all over.
        // The log holds each CPR's keyed hash (decision 79), from the table filled above.
        c.execute_unprepared(&format!(
            "INSERT INTO adgangslog_person (cpr_hmac, log_id) \
             SELECT b.h, a.id FROM adgangslog a JOIN bench_indsigt_borger b ON b.n = (a.id * 7919) % {b} \
             WHERE a.id > {fra}",
            b = ind.borgere
        ))
        .await?;
        har += del;
        eprintln!("adgangsloggen har {har} poster ({:.0} s)", start.elapsed().as_secs_f64());
    }
    c.execute_unprepared("ANALYZE adgangslog").await?;
    c.execute_unprepared("ANALYZE adgangslog_person").await?;
    let poster = tal(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM adgangslog").await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(ind.seed);
    let (mut app, mut raa) = (Vec::new(), Vec::new());
    let mut fundet = 0usize;
    for _ in 0..ind.runs {
        let n = rng.random_range(0..ind.borgere);
        let cpr = cpr(n);
        let t = Instant::now();
        let i = storage::adgangslog::indsigt(db, &cpr, None, web::html::indsigt::MAKS_LAESNINGER).await?;
        app.push(t.elapsed());
        fundet += i.laesninger.len();
        let t = Instant::now();
        c.query_all_raw(Statement::from_sql_and_values(
            c.get_database_backend(),
            "SELECT a.* FROM adgangslog_person k JOIN adgangslog a ON a.id = k.log_id WHERE k.cpr_hmac = $1 \
             ORDER BY a.id DESC LIMIT 100001",
            [noegle.cpr_hmac(&cpr).into()],
        ))
        .await?;
        raa.push(t.elapsed());
    }
    // A log filled under another key (a run without VITAS_ADGANGSLOG_NOEGLE gets a new random
    // one) finds no reads at all: such a run measures nothing, so it says so and stops.
    if fundet == 0 && ind.runs > 0 {
        bail!(
            "ingen af udtrækkene fandt læsninger: loggen blev fyldt med en anden nøgle. Brug en ny database, \
             eller sæt VITAS_ADGANGSLOG_NOEGLE til den nøgle, loggen blev fyldt med"
        );
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (a50, a99, amax) = (percentil(&mut app, 0.5), percentil(&mut app, 0.99), percentil(&mut app, 1.0));
    let (r50, r99) = (percentil(&mut raa, 0.5), percentil(&mut raa, 0.99));
    println!("Indsigt (Art. 15) ved {poster} poster i adgangsloggen, {} borgere, {} udtræk", ind.borgere, ind.runs);
    println!("  læsninger pr. udtræk i snit: {:.0}", fundet as f64 / ind.runs.max(1) as f64);
    println!(
        "  app (storage::adgangslog::indsigt): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(a50),
        ms(a99),
        ms(amax)
    );
    println!("  rå SQL (samme rækker):              p50 {:.1} ms, p99 {:.1} ms", ms(r50), ms(r99));
    println!("  app ÷ rå ved p99: {:.2}; mål: p99 ≤ 2000 ms", ms(a99) / ms(r99).max(0.001));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn genererede_cpr_er_gyldige_og_forskellige() {
        let a: Vec<String> = (0..1000).map(super::cpr).collect();
        for c in &a {
            assert!(domain::ident::Cpr::parse(c, "cpr").is_ok(), "{c}");
        }
        let mut b = a.clone();
        b.sort();
        b.dedup();
        assert_eq!(a.len(), b.len());
    }
}
