//! The application served in this process for the benchmarks that time pages through HTTP
//! (`bench lists --tilfaeldige`, `bench statistik`): the router, the session, the queries and
//! the template all count.

use std::time::{Duration, Instant};

use anyhow::Context;
use storage::Db;

/// The application served in this process on a loopback port, and a client for it.
#[derive(Clone)]
pub struct Server {
    pub adresse: String,
    pub klient: reqwest::Client,
}

impl Server {
    /// `adgangslog`: whether the pages write the access log (off only for the comparison).
    pub async fn start(db: &Db, adgangslog: bool) -> anyhow::Result<Server> {
        let config = server::Config {
            database_url: None,
            data_dir: std::env::temp_dir().join("vitas-bench"),
            addr: "127.0.0.1:0".parse()?,
            demo: false,
            base_url: None,
            api_graense_pr_minut: web::api::graense::STANDARD_PR_MINUT,
            adgangslog_noegle: None,
            drift: server::Drift::default(),
        };
        // Sampled users fetch pages as fast as they can: the page limit (decision 65) is off.
        let app =
            server::Application::with_db(config, crate::med_midlertidig_noegle(db.clone())).await?.med_state(|s| {
                let mut s = s.med_graenser(0, 0, 0);
                s.adgangslog = adgangslog;
                s
            });
        let adresse = format!("http://127.0.0.1:{}", app.port);
        tokio::spawn(async move { app.run().await });
        let klient = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(128)
            .build()?;
        Ok(Server { adresse, klient })
    }

    /// GET a page and read it whole; its status.
    pub async fn hent(&self, sti: &str, cookie: &str) -> anyhow::Result<reqwest::StatusCode> {
        let svar = self
            .klient
            .get(format!("{}{sti}", self.adresse))
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .with_context(|| format!("GET {}", uden_cpr(sti)))?;
        let status = svar.status();
        svar.bytes().await?;
        Ok(status)
    }

    pub async fn tid(&self, sti: &str, cookie: &str, fejl: &mut usize) -> anyhow::Result<Duration> {
        let t = Instant::now();
        let status = self.hent(sti, cookie).await?;
        let d = t.elapsed();
        if status != reqwest::StatusCode::OK {
            *fejl += 1;
            if *fejl <= 5 {
                println!("  svar {status} på {}", uden_cpr(sti));
            }
        }
        Ok(d)
    }
}

/// A list URL as the bench prints it: a CPR in the filter is masked (the last four digits),
/// as everywhere a CPR would reach a log or a document.
pub fn uden_cpr(url: &str) -> String {
    let Some((start, rest)) = url.split_once("cpr=") else { return url.to_string() };
    let (vaerdi, efter) = rest.split_once('&').map_or((rest, ""), |(v, e)| (v, e));
    let maskeret = match domain::ident::Cpr::parse(vaerdi, "cpr") {
        Ok(c) => c.maskeret(),
        Err(_) => "XXXXXX-XXXX".to_string(),
    };
    if efter.is_empty() { format!("{start}cpr={maskeret}") } else { format!("{start}cpr={maskeret}&{efter}") }
}
