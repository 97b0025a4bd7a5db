//! `vitas-tools bench outbox` (issue 4 §8): how fast the worker drains webhook deliveries to a
//! local receiver, and how long each claim statement takes.
//!
//! The run queues N deliveries (one per case, so no delivery waits behind another) for a
//! subscriber whose receiver (`server::modtager`, real HTTP on loopback) runs in the same
//! process, then lets W workers drain them side by side. The **baseline**, measured in the
//! same run against the same receiver, posts the same N bodies with the same concurrency
//! and no database: the ratio drain ÷ baseline is what the outbox costs around the HTTP.
//! The receiver must see every id exactly once. Nothing is asserted on time; the figures
//! go into docs/benchmarks.md with the command.
//!
//! It writes into the database it is given and removes its rows and subscriber afterwards;
//! use a scratch database (the command in docs/benchmarks.md creates one).

use crate::bench::percentil;
use chrono::Utc;
use futures_util::future::join_all;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use server::modtager::Modtager;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use storage::Db;
use storage::entity::{outbox, webhook_abonnent};

#[derive(Debug, Clone)]
pub struct Indstillinger {
    /// Deliveries to drain.
    pub antal: u64,
    /// Workers draining side by side.
    pub workers: usize,
    /// Rows per claim.
    pub batch: u64,
}

const HEMMELIGHED: &str = "bench-hemmelighed";

/// Bench cases get ids far above any real one, so their rows cannot meet a real case's.
const SAG_ID_START: i64 = 9_000_000_000_000;

pub async fn koer(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    let modtager = Modtager::ny(HEMMELIGHED);
    let koerende = modtager.start("127.0.0.1:0".parse()?).await?;
    let url = format!("http://{}/vitas", koerende.addr);
    let abonnent = storage::outbox::opret_abonnent(db, "bench", &url, HEMMELIGHED, Utc::now()).await?;
    let kanal = storage::outbox::webhook_kanal(abonnent.id);
    // The baseline's ids differ from the drain's: the receiver accepts each id once.
    let krop = |forstavelse: &str, i: u64| {
        serde_json::json!({
            "id": format!("{forstavelse}-{i:012}"),
            "sekvens": i,
            "type": "OrdningsNotifikation",
            "data": { "eksterntId": format!("bench-sag-{i}"), "jobcenterKode": "bench",
                      "oprettetEllerRedigeret": "Redigeret", "virksomhedsordningSkabelon": "loentilskud" },
        })
        .to_string()
    };

    // Baseline: the same bodies, signed, posted with the same concurrency, no database.
    let http = reqwest::Client::new();
    let samtidige = (ind.batch as usize).max(1) * ind.workers.max(1);
    let start = Instant::now();
    let mut i = 0;
    while i < ind.antal {
        let slut = (i + samtidige as u64).min(ind.antal);
        join_all((i..slut).map(|n| {
            let b = krop("grundlinje", n);
            let id = format!("grundlinje-{n:012}");
            let sig = jobs::outbox::signatur(HEMMELIGHED, Utc::now().timestamp(), b.as_bytes());
            http.post(&url).header("X-Vitas-Signatur", sig).header("X-Vitas-Id", id).body(b).send()
        }))
        .await;
        i = slut;
    }
    let grundlinje = start.elapsed();
    let modtaget_grundlinje = modtager.modtaget().len();
    let gentagne_grundlinje = modtager.gentagne();

    // Queue the deliveries as `publicer` would, one case each.
    let nu = Utc::now();
    let raekker: Vec<outbox::ActiveModel> = (0..ind.antal)
        .map(|n| {
            use sea_orm::Set;
            outbox::ActiveModel {
                noegle: Set(uuid_ish(n)),
                sag_id: Set(Some(SAG_ID_START + n as i64)),
                art: Set(storage::outbox::WEBHOOK.into()),
                payload: Set(krop("bench", n)),
                status: Set(storage::outbox::status::AFVENTER.into()),
                forsoeg: Set(0),
                naeste_forsoeg: Set(nu),
                oprettet: Set(nu),
                leveret: Set(None),
                fejl: Set(None),
                kanal: Set(Some(kanal.clone())),
                laast_til: Set(None),
                jobcenter_kode: Set(Some("bench".into())),
                genoptaget: Set(None),
                ..Default::default()
            }
        })
        .collect();
    for stk in raekker.chunks(1000) {
        outbox::Entity::insert_many(stk.to_vec()).exec(&db.conn).await?;
    }
    // Statistics as autovacuum keeps them in a running system. Right after a bulk insert into
    // an empty table PostgreSQL knows nothing of the new rows, estimates one waiting row, and
    // sorts them all for every claim (docs/benchmarks.md, "The outbox claim"); the bench
    // measures the steady state.
    // `ANALYZE outbox` is the same statement on both databases and binds no values.
    db.conn.execute_unprepared("ANALYZE outbox").await?;

    // The drain: W workers, each claiming and delivering until nothing is due.
    let regler = jobs::outbox::Leveringsregler { batch: ind.batch, ..Default::default() };
    let start = Instant::now();
    let arbejdere = (0..ind.workers.max(1)).map(|_| {
        let k = jobs::Kontekst::ny(db.clone(), std::env::temp_dir()).med_regler(regler.clone());
        async move {
            let mut claims = Vec::new();
            loop {
                let (n, tid) = jobs::outbox::koer_maalt(&k).await?;
                claims.push(tid);
                if n == 0 {
                    return anyhow::Ok(claims);
                }
            }
        }
    });
    let mut claims: Vec<Duration> = Vec::new();
    for r in join_all(arbejdere).await {
        claims.extend(r?);
    }
    let draen = start.elapsed();
    koerende.stop().await;

    let alle = modtager.modtaget();
    let drenet = &alle[modtaget_grundlinje..];
    let unikke: HashSet<&str> = drenet.iter().map(|m| m.id.as_str()).collect();
    // The receiver records an id once; what the drain sent twice it counted apart.
    let dubletter = modtager.gentagne() - gentagne_grundlinje;
    let leveret = outbox::Entity::find()
        .filter(outbox::Column::Kanal.eq(kanal.clone()))
        .filter(outbox::Column::Status.eq(storage::outbox::status::LEVERET))
        .all(&db.conn)
        .await?
        .len();

    // Clean up: the bench's rows and subscriber.
    outbox::Entity::delete_many().filter(outbox::Column::Kanal.eq(kanal)).exec(&db.conn).await?;
    webhook_abonnent::Entity::delete_by_id(abonnent.id).exec(&db.conn).await?;

    claims.sort();
    let rate = |d: Duration| ind.antal as f64 / d.as_secs_f64().max(1e-9);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "vitas-tools bench outbox: {} leveringer, {} workers, {} pr. claim, {:?}",
        ind.antal,
        ind.workers,
        ind.batch,
        db.backend()
    );
    println!(
        "  grundlinje (samme POSTs uden database): {:>8.0} /s  ({:.2} s)",
        rate(grundlinje),
        grundlinje.as_secs_f64()
    );
    println!("  outbox-drænet:                          {:>8.0} /s  ({:.2} s)", rate(draen), draen.as_secs_f64());
    println!("  forhold dræn ÷ grundlinje:              {:>8.2}", rate(draen) / rate(grundlinje));
    println!(
        "  claim: {} kald, p50 {:.2} ms, p99 {:.2} ms, maks {:.2} ms",
        claims.len(),
        ms(percentil(&claims, 0.50)),
        ms(percentil(&claims, 0.99)),
        ms(claims.last().copied().unwrap_or_default())
    );
    println!(
        "  modtaget: {} leveringer, {} forskellige id'er; leveret i databasen: {}; dubletter: {}",
        drenet.len() as u64 + dubletter,
        unikke.len(),
        leveret,
        dubletter
    );
    anyhow::ensure!(
        unikke.len() as u64 == ind.antal && leveret as u64 == ind.antal,
        "ikke alle leveringer nåede frem: {} af {}",
        unikke.len(),
        ind.antal
    );
    Ok(())
}

/// A unique 36-character key for bench row `n` (the column holds a UUID's length).
fn uuid_ish(n: u64) -> String {
    format!("bench{n:031}")
}
