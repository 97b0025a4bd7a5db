//! The integration tests: ONE test binary (crates.io's habit; one link step instead of many).
//!
//! Every test is written once, as `async fn name(app: TestApp)`, and runs on both databases
//! (CONVENTIONS.md rule 7): `paa_begge_databaser!(name)` generates `name_sqlite` and
//! `name_postgres`. The PostgreSQL variant needs `VITAS_TEST_POSTGRES_URL`; without it the
//! test prints that it was skipped, except under CI (`CI` set), where it fails.
//!
//! Run:  `cargo test -p server --test api`
//! With PostgreSQL: `VITAS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p server --test api`

/// `paa_begge_databaser!(a, b)` → `a_sqlite`, `a_postgres`, `b_sqlite`, `b_postgres`.
macro_rules! paa_begge_databaser {
    ($($navn:ident),+ $(,)?) => {
        $(
            pastey::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$navn _sqlite>]() {
                    $navn(crate::helpers::TestApp::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$navn _postgres>]() {
                    let Some(app) = crate::helpers::TestApp::postgres().await else { return };
                    $navn(app).await;
                }
            }
        )+
    };
}

mod abonnenter;
mod adgang;
mod adgangslog;
mod atomar;
mod bad_input;
mod bulk;
mod cpr_i_adresser;
mod cpr_i_loggen;
mod databasefejl;
mod demo;
mod diskfuld;
mod drift;
mod eksport;
mod epost;
mod fejlsider;
mod flow;
mod helpers;
mod html;
mod kladde;
mod klienter;
mod lister;
mod livsforloeb;
mod migrering;
mod oidc;
mod opbevaring;
mod ordninger;
mod pdf;
mod policy;
mod replika;
mod samtidighed;
mod sikkerhed;
mod sikkerhedskopi;
mod skemadata;
mod statistik;
mod statistik_tal;
mod statistik_udtraek;
mod udbyder;
mod webhook;
mod webservice;
