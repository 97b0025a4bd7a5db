//! The tools beside VITAS (decision 103): the bulk generator and the benchmarks, run as
//! `vitas-tools seed-bulk …` and `vitas-tools bench …`. They depend on the production crates
//! and never the other way round, so the `vitas` binary carries none of this code.

pub mod bench;
pub mod bench_indsigt;
pub mod bench_outbox;
pub mod bench_skriv;
pub mod bench_statistik;
pub mod bench_tilfaeldig;
pub mod bulk;
pub mod http;

use storage::Db;

/// The database with a random access-log key of its own if it has none: for the benchmarks,
/// which run on a scratch database and never look a citizen up afterwards.
pub fn med_midlertidig_noegle(db: Db) -> Db {
    if db.adgangslog_noegle().is_some() {
        return db;
    }
    match storage::adgangslog::Noegle::fra_tekst(&storage::adgangslog::Noegle::ny_tekst()) {
        Ok(n) => db.med_adgangslog_noegle(n),
        Err(_) => db,
    }
}
