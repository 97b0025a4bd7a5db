//! Excel export of a list with its current filters and order (issue 3 §4). Each sheet's rows
//! come from ONE query (the list's own SELECT, `lister::sorteret`) streamed into the
//! workbook, so memory stays flat whatever the size; the Bevillinger lists give two sheets,
//! grants and supplementary grants (seed 001 §1.5).
//!
//! A small list is written inside the request; above [`GRAENSE`] rows it is the job kind
//! [`ART`], run by the worker ([`koer`]), with its progress saved on the job row.

use documents::excel::{Arbejdsbog, Celle, Celleart, ExcelFejl, Kolonne as XlKolonne};
use domain::policy::{Aktoer, maa_se_cpr};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use storage::entity::job;
use storage::lister::{self, Filter, Kolonne, Liste, Raekke, Sortering};

#[derive(Debug, thiserror::Error)]
pub enum EksportFejl {
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error(transparent)]
    Excel(#[from] ExcelFejl),
    /// The job's payload could not be read.
    #[error("bestillingen kunne ikke læses: {0}")]
    Bestilling(String),
    #[error("eksportfilen: {0}")]
    Fil(String),
    /// The claim was lost to another worker after the lease ran out.
    #[error("jobbet blev overtaget af en anden worker")]
    Tabt,
}

/// The job kind of an export in the `job` table.
pub const ART: &str = "excel_eksport";

/// A list of at most this many rows is written inside the request; a larger one becomes a
/// background job with progress (issue 3 §4; docs/decisions.md 28).
pub const GRAENSE: u64 = 2_000;

/// The progress callback is called at least every this many rows.
const RAPPORT_HVER: u64 = 1_000;

/// Progress is saved on the job row at most this often.
const GEM_FREMSKRIDT_HVER: Duration = Duration::from_secs(1);

/// The folder under the data folder where finished exports wait to be fetched.
pub fn mappe(data_dir: &Path) -> PathBuf {
    data_dir.join("eksport")
}

/// The file of an export job: `<data-dir>/eksport/<job-uuid>.xlsx`.
pub fn filnavn(j: &job::Model) -> String {
    format!("{}.xlsx", j.uuid)
}

fn xl_kolonne(k: Kolonne) -> XlKolonne {
    let (art, bredde) = match k {
        Kolonne::Id => (Celleart::Heltal, 10.0),
        Kolonne::Modtaget | Kolonne::Godkendt | Kolonne::Start | Kolonne::Slut => (Celleart::Dato, 12.0),
        Kolonne::Timer => (Celleart::Decimal { decimaler: 2 }, 10.0),
        Kolonne::Navn | Kolonne::Status | Kolonne::Medarbejder | Kolonne::Team => (Celleart::Tekst, 28.0),
        _ => (Celleart::Tekst, 16.0),
    };
    XlKolonne { overskrift: k.overskrift().to_string(), art, bredde }
}

fn xl_celle(k: Kolonne, r: &Raekke, liste: Liste, persondata: bool) -> Celle {
    let s = &r.sag;
    let dato = |d: Option<chrono::NaiveDate>| d.map(Celle::Dato).unwrap_or(Celle::Tom);
    match k {
        Kolonne::Id => Celle::Heltal(s.id),
        Kolonne::Modtaget => dato(s.modtaget_dato),
        Kolonne::Godkendt => dato(s.godkendt_dato),
        Kolonne::Start => dato(s.startdato),
        Kolonne::Slut => dato(s.slutdato),
        Kolonne::Timer => s.timer_hundrededele.map(|t| Celle::Decimal(f64::from(t) / 100.0)).unwrap_or(Celle::Tom),
        k => {
            let t = lister::tekst(k, r, liste, persondata);
            if t.is_empty() { Celle::Tom } else { Celle::Tekst(t) }
        }
    }
}

/// The sheets of a list's export: (sheet name, extra filter).
fn ark(liste: Liste) -> Vec<(&'static str, Option<bool>)> {
    if liste.har_tillaeg() {
        vec![("Bevillinger", Some(false)), ("Tillægsbevillinger", Some(true))]
    } else {
        vec![(liste.titel().trim_start_matches("Søg: "), None)]
    }
}

/// What to export: a list as one user sees it. It is the job's payload, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bestilling {
    pub aktoer: Aktoer,
    /// Companies do not see "Godkendt dato" (seed 001 §1.2.4a).
    pub virksomhed: bool,
    pub liste: Liste,
    pub filter: Filter,
    pub sortering: Sortering,
}

/// Write the list as it is filtered and ordered to `sti`. `fremskridt(written, total)` is
/// called every [`RAPPORT_HVER`] rows and at the end. Returns the number of rows written.
/// `total` is the list's total when the caller has counted it already (the request that
/// orders an export does, to choose between the file at once and a job); otherwise it is
/// counted here.
pub async fn skriv_excel(
    db: &storage::Db,
    b: &Bestilling,
    total: Option<u64>,
    sti: &Path,
    mut fremskridt: impl FnMut(u64, u64),
) -> Result<u64, EksportFejl> {
    let (aktoer, liste, filter, sortering) = (&b.aktoer, b.liste, &b.filter, b.sortering);
    let kolonner = Kolonne::for_liste(liste, b.virksomhed);
    let xl: Vec<XlKolonne> = kolonner.iter().map(|k| xl_kolonne(*k)).collect();
    let persondata = maa_se_cpr(aktoer.rolle());
    let total = match total {
        Some(t) => t,
        None => lister::antal(db, aktoer, liste, filter).await?,
    };
    fremskridt(0, total);
    let navne = lister::Navne::alle(db).await?;
    let mut bog = Arbejdsbog::ny();
    let mut skrevet = 0;
    for (navn, kun_tillaeg) in ark(liste) {
        let f = Filter { kun_tillaeg, ..filter.clone() };
        let mut arket = bog.nyt_ark(navn, &xl)?;
        let ordnet = lister::sorteret(db, aktoer, liste, &f, sortering).await?;
        // The cases with a value in the sort column, then those without (lister::Ordnet).
        for del in std::iter::once(ordnet.med_vaerdi).chain(ordnet.uden_vaerdi) {
            let mut raekker = del.stream(&db.conn).await.map_err(storage::StorageError::from)?;
            while let Some(sag) = raekker.try_next().await.map_err(storage::StorageError::from)? {
                let r = navne.raekke(sag);
                let celler: Vec<Celle> = kolonner.iter().map(|k| xl_celle(*k, &r, liste, persondata)).collect();
                arket.skriv_raekke(&celler)?;
                skrevet += 1;
                if skrevet % RAPPORT_HVER == 0 {
                    fremskridt(skrevet, total);
                }
            }
        }
    }
    // Zipping the sheets takes seconds for a large list: off the async threads, so the web
    // server that shares the runtime keeps answering meanwhile.
    let sti_ = sti.to_path_buf();
    tokio::task::spawn_blocking(move || bog.gem(&sti_)).await.map_err(|e| EksportFejl::Fil(e.to_string()))??;
    fremskridt(skrevet, total.max(skrevet));
    Ok(skrevet)
}

/// Run an export job: write the file under `data_dir`, saving progress on the job row at
/// most every second. Returns the file name for the job's `resultat`.
pub async fn koer(db: &storage::Db, data_dir: &Path, j: &job::Model) -> Result<String, EksportFejl> {
    let b: Bestilling = serde_json::from_str(&j.payload).map_err(|e| EksportFejl::Bestilling(e.to_string()))?;
    let mappe = mappe(data_dir);
    tokio::fs::create_dir_all(&mappe).await.map_err(|e| EksportFejl::Fil(e.to_string()))?;
    let navn = filnavn(j);
    let sti = mappe.join(&navn);
    let (tx, rx) = tokio::sync::watch::channel((0u64, j.total.and_then(|t| u64::try_from(t).ok()).unwrap_or(0)));
    let kendt = j.total.and_then(|t| u64::try_from(t).ok());
    let eksport = skriv_excel(db, &b, kendt, &sti, move |n, t| {
        let _ = tx.send((n, t));
    });
    tokio::pin!(eksport);
    let mut ur = tokio::time::interval(GEM_FREMSKRIDT_HVER);
    ur.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut gemt = (0u64, 0u64);
    let skrevet = loop {
        tokio::select! {
            r = &mut eksport => match r {
                Ok(n) => break n,
                Err(e) => {
                    // A half-written file is never offered; the job fails with a message.
                    let _ = tokio::fs::remove_file(&sti).await;
                    return Err(e);
                }
            },
            _ = ur.tick() => {
                let nu = *rx.borrow();
                if nu != gemt {
                    if !storage::job::progress(db, j, nu.0, nu.1, chrono::Utc::now()).await? {
                        // The lease ran out and another worker took the job over.
                        return Err(EksportFejl::Tabt);
                    }
                    gemt = nu;
                }
            }
        }
    };
    // The final count: the bar reaches its end before the job is marked done.
    let (_, total) = *rx.borrow();
    storage::job::progress(db, j, skrevet, total.max(skrevet), chrono::Utc::now()).await?;
    Ok(navn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ordning::Ordning;

    #[test]
    fn bestillingen_er_jobbets_payload() {
        let b = Bestilling {
            aktoer: Aktoer::Sagsbehandler { jobcenter_id: 7 },
            virksomhed: false,
            liste: Liste::SoegBevillinger,
            filter: Filter { ordninger: vec![Ordning::Fleksjob], navn: Some("Ø".into()), ..Filter::default() },
            sortering: Sortering { kolonne: Kolonne::Navn, faldende: false },
        };
        let json = serde_json::to_string(&b).expect("json");
        assert_eq!(serde_json::from_str::<Bestilling>(&json).expect("læs"), b);
    }

    #[test]
    fn bevillinger_giver_to_ark() {
        assert_eq!(ark(Liste::Bevillinger).len(), 2);
        assert_eq!(ark(Liste::SoegIgu), vec![("IGU-aftaler", None)]);
    }
}
