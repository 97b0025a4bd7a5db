//! `vitas statistik udtraek`: the pseudonymised extract for STAR's statistical data warehouse
//! as files (issue 12 §3; decisions 128–130; docs/statistik-udtraek.md). The three CSV files
//! are written a page at a time from `storage::statistik_udtraek::Laeser`, the same reader the
//! API streams from, then `datapackage.json`: a folder with it is a complete extract.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::io::AsyncWriteExt;

use domain::statistik_udtraek::{self as su, Noegle, Periode, Tabel};
use storage::Db;
use storage::statistik_udtraek::Laeser;

/// The schema file's name (Frictionless Data Package).
pub const DATAPAKKE: &str = "datapackage.json";

/// What `udtraek` wrote: per file its name, rows and bytes, and the time it took.
#[derive(Debug, Clone)]
pub struct Udtraek {
    pub filer: Vec<Fil>,
    pub varighed: Duration,
}

#[derive(Debug, Clone)]
pub struct Fil {
    pub navn: String,
    pub raekker: u64,
    pub bytes: u64,
}

/// Why there is no key: no default key exists, so the extract is refused (decision 129).
pub const MANGLER_NOEGLE: &str = "Statistiknøglen mangler: sæt VITAS_STATISTIK_NOEGLE eller giv --noegle-fil med STARs nøgle \
     (hex eller base64, mindst 32 bytes). VITAS har ingen standardnøgle, så der laves intet udtræk uden den.";

/// The key of the server (`VITAS_STATISTIK_NOEGLE`), if it is set; a value that is set but not
/// a key stops the start, so a mistyped key is found at once and not at STAR's first call.
pub fn noegle_fra_config(config: &crate::Config) -> anyhow::Result<Option<Noegle>> {
    match config.drift.statistik_noegle.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Noegle::fra_tekst(t).map(Some).map_err(|e| anyhow::anyhow!("VITAS_STATISTIK_NOEGLE: {e}")),
    }
}

/// The CLI's key: the file if given (it wins over the variable), else the variable; neither is
/// a refusal with a Danish message.
pub fn noegle(config: &crate::Config, fil: Option<&Path>) -> anyhow::Result<Noegle> {
    if let Some(fil) = fil {
        let tekst = std::fs::read_to_string(fil)
            .with_context(|| format!("statistiknøglen kunne ikke læses fra {}", fil.display()))?;
        return Noegle::fra_tekst(&tekst).map_err(|e| anyhow::anyhow!("{}: {e}", fil.display()));
    }
    noegle_fra_config(config)?.ok_or_else(|| anyhow::anyhow!(MANGLER_NOEGLE))
}

/// Write the extract of `periode` into the folder `ud` (made if missing). A file of the
/// extract that exists already is not overwritten: the command refuses before it writes.
/// If a write fails, the files this call made are removed.
pub async fn udtraek(
    db: &Db,
    periode: &Periode,
    noegle: &Noegle,
    ud: &Path,
    nu: DateTime<Utc>,
) -> anyhow::Result<Udtraek> {
    let start = Instant::now();
    tokio::fs::create_dir_all(ud).await.with_context(|| format!("mappen {} kunne ikke oprettes", ud.display()))?;
    let stier: Vec<PathBuf> =
        Tabel::ALLE.iter().map(|t| ud.join(t.fil())).chain(std::iter::once(ud.join(DATAPAKKE))).collect();
    for s in &stier {
        if tokio::fs::try_exists(s).await.unwrap_or(true) {
            anyhow::bail!("{} findes allerede; vælg en tom mappe, så et ældre udtræk ikke overskrives", s.display());
        }
    }
    match skriv(db, periode, noegle, ud, nu).await {
        Ok(filer) => Ok(Udtraek { filer, varighed: start.elapsed() }),
        Err(e) => {
            for s in &stier {
                let _ = tokio::fs::remove_file(s).await;
            }
            Err(e)
        }
    }
}

async fn skriv(db: &Db, periode: &Periode, noegle: &Noegle, ud: &Path, nu: DateTime<Utc>) -> anyhow::Result<Vec<Fil>> {
    let mut filer = Vec::new();
    for t in Tabel::ALLE {
        let sti = ud.join(t.fil());
        let f = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&sti)
            .await
            .with_context(|| format!("{} kunne ikke oprettes", sti.display()))?;
        let mut w = tokio::io::BufWriter::new(f);
        let mut l = Laeser::ny(db, t, periode, noegle.clone());
        let (mut raekker, mut bytes) = (0, 0);
        while let Some(s) = l.naeste().await? {
            w.write_all(s.tekst.as_bytes()).await.with_context(|| format!("{} kunne ikke skrives", sti.display()))?;
            raekker += s.raekker;
            bytes += s.tekst.len() as u64;
        }
        w.flush().await?;
        w.into_inner().sync_all().await?;
        filer.push(Fil { navn: t.fil(), raekker, bytes });
    }
    let json = serde_json::to_string_pretty(&su::datapakke(periode, nu))?;
    tokio::fs::write(ud.join(DATAPAKKE), &json).await.context("datapackage.json kunne ikke skrives")?;
    filer.push(Fil { navn: DATAPAKKE.into(), raekker: 0, bytes: json.len() as u64 });
    Ok(filer)
}
