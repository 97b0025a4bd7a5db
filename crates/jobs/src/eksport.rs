//! Excel export of a list with its current filters and order (issue 3 §4): the list's own
//! columns, then the case's master data the screen has no room for ([`Stamfelt`],
//! docs/decisions.md 49). Each sheet's rows
//! come from ONE query (the list's own SELECT, `lister::sorteret`) streamed into the
//! workbook, so memory stays flat whatever the size; the Bevillinger lists give two sheets,
//! grants and supplementary grants (seed 001 §1.5).
//!
//! A small list is written inside the request; above [`GRAENSE`] rows it is the job kind
//! [`ART`], run by the worker ([`koer`]), with its progress saved on the job row.

use documents::excel::{Arbejdsbog, Celle, Celleart, ExcelFejl, Kolonne as XlKolonne};
use domain::ordning::Sagsart;
use domain::periode::dansk_tid;
use domain::policy::{Aktoer, maa_se_cpr};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use storage::entity::{job, sag};
use storage::lister::{self, Filter, Kolonne, Liste, Navne, Raekke, Sortering, Statusfelt};

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

impl EksportFejl {
    /// The disk (or the account's quota) where the file is written is full: not the list's
    /// fault, and the user is told so (issue 11 §4, decision 121). Looks through the chain of
    /// causes, as the writer's I/O error may arrive wrapped (the zip thread, `ExcelFejl`).
    pub fn er_pladsmangel(&self) -> bool {
        let mut naeste: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = naeste {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && (matches!(io.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
                    // ENOSPC and EDQUOT, should the kind not have been decoded.
                    || matches!(io.raw_os_error(), Some(28 | 122)))
            {
                return true;
            }
            naeste = e.source();
        }
        false
    }
}

/// The job's message when the disk is full (decision 121): what happened, that nothing was
/// made, and what to do.
pub const PLADSMANGEL: &str = "Der er ikke plads på serveren til Excel-filen, så den blev ikke lavet. \
    Prøv at bestille den igen senere. Sker det igen, så kontakt jeres it-afdeling.";

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

/// The case's master data the export adds after the list's own columns: what a caseworker
/// takes on to a spreadsheet for follow-up and statistics (who decided it, which main grant a
/// supplementary grant hangs on, the original end date before an extension, when it last
/// changed), but a list page has no room for (docs/decisions.md 49). None of it is personal
/// data about the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamfelt {
    Sagsart,
    Ansoegningsstatus,
    Afgoerelsesstatus,
    Forlaengelsesstatus,
    Jobcenter,
    AndenAktoer,
    Hovedsag,
    Pnummer,
    OprindeligSlutdato,
    Afgoerelsesdato,
    Konfliktramt,
    Oprettet,
    Aendret,
}

impl Stamfelt {
    pub const ALLE: [Stamfelt; 13] = [
        Stamfelt::Sagsart,
        Stamfelt::Ansoegningsstatus,
        Stamfelt::Afgoerelsesstatus,
        Stamfelt::Forlaengelsesstatus,
        Stamfelt::Jobcenter,
        Stamfelt::AndenAktoer,
        Stamfelt::Hovedsag,
        Stamfelt::Pnummer,
        Stamfelt::OprindeligSlutdato,
        Stamfelt::Afgoerelsesdato,
        Stamfelt::Konfliktramt,
        Stamfelt::Oprettet,
        Stamfelt::Aendret,
    ];

    pub fn overskrift(self) -> &'static str {
        match self {
            Stamfelt::Sagsart => "Sagsart",
            Stamfelt::Ansoegningsstatus => "Ansøgningsstatus",
            Stamfelt::Afgoerelsesstatus => "Bevillingsstatus",
            Stamfelt::Forlaengelsesstatus => "Forlængelsesstatus",
            Stamfelt::Jobcenter => "Jobcenter",
            Stamfelt::AndenAktoer => "Anden aktør",
            Stamfelt::Hovedsag => "Hovedbevilling (VITAS-id)",
            Stamfelt::Pnummer => "P-nummer",
            Stamfelt::OprindeligSlutdato => "Oprindelig slutdato",
            Stamfelt::Afgoerelsesdato => "Afgørelsesdato",
            Stamfelt::Konfliktramt => "Konfliktramt",
            Stamfelt::Oprettet => "Oprettet",
            Stamfelt::Aendret => "Senest ændret",
        }
    }

    /// The status field a list already shows in its Status column is not repeated.
    fn statusfelt(self) -> Option<Statusfelt> {
        match self {
            Stamfelt::Ansoegningsstatus => Some(Statusfelt::Ansoegning),
            Stamfelt::Afgoerelsesstatus => Some(Statusfelt::Afgoerelse),
            Stamfelt::Forlaengelsesstatus => Some(Statusfelt::Forlaengelse),
            _ => None,
        }
    }
}

/// A column of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Felt {
    /// One of the list's own columns, as the list shows it.
    Liste(Kolonne),
    /// Master data of the case.
    Stam(Stamfelt),
}

/// The export's columns for a list as one role sees it: the list's columns (so "Godkendt
/// dato" stays hidden from companies, seed 001 §1.2.4a), then the master data.
pub fn felter(liste: Liste, virksomhed: bool) -> Vec<Felt> {
    let vist = liste.statusfelt();
    Kolonne::for_liste(liste, virksomhed)
        .into_iter()
        .map(Felt::Liste)
        .chain(Stamfelt::ALLE.into_iter().filter(|f| f.statusfelt() != Some(vist)).map(Felt::Stam))
        .collect()
}

fn xl_kolonne(f: Felt) -> XlKolonne {
    let (overskrift, art, bredde) = match f {
        Felt::Liste(k) => {
            let (art, bredde) = match k {
                Kolonne::Id => (Celleart::Heltal, 10.0),
                Kolonne::Modtaget | Kolonne::Godkendt | Kolonne::Start | Kolonne::Slut => (Celleart::Dato, 12.0),
                Kolonne::Timer => (Celleart::Decimal { decimaler: 2 }, 10.0),
                Kolonne::Navn | Kolonne::Status | Kolonne::Medarbejder | Kolonne::Team => (Celleart::Tekst, 28.0),
                _ => (Celleart::Tekst, 16.0),
            };
            (k.overskrift(), art, bredde)
        }
        Felt::Stam(s) => {
            let (art, bredde) = match s {
                Stamfelt::Hovedsag => (Celleart::Heltal, 12.0),
                Stamfelt::OprindeligSlutdato | Stamfelt::Afgoerelsesdato | Stamfelt::Oprettet | Stamfelt::Aendret => {
                    (Celleart::Dato, 12.0)
                }
                Stamfelt::Jobcenter | Stamfelt::AndenAktoer => (Celleart::Tekst, 28.0),
                Stamfelt::Ansoegningsstatus | Stamfelt::Afgoerelsesstatus | Stamfelt::Forlaengelsesstatus => {
                    (Celleart::Tekst, 24.0)
                }
                _ => (Celleart::Tekst, 14.0),
            };
            (s.overskrift(), art, bredde)
        }
    };
    XlKolonne { overskrift: overskrift.to_string(), art, bredde }
}

fn dato(d: Option<chrono::NaiveDate>) -> Celle {
    d.map(Celle::Dato).unwrap_or(Celle::Tom)
}

fn tekst(t: Option<&str>) -> Celle {
    t.filter(|t| !t.is_empty()).map(|t| Celle::Tekst(t.to_owned())).unwrap_or(Celle::Tom)
}

fn xl_celle(f: Felt, r: &Raekke, navne: &Navne, liste: Liste, persondata: bool) -> Celle {
    let s = &r.sag;
    match f {
        Felt::Liste(Kolonne::Id) => Celle::Heltal(s.id),
        Felt::Liste(Kolonne::Modtaget) => dato(s.modtaget_dato),
        Felt::Liste(Kolonne::Godkendt) => dato(s.godkendt_dato),
        Felt::Liste(Kolonne::Start) => dato(s.startdato),
        Felt::Liste(Kolonne::Slut) => dato(s.slutdato),
        Felt::Liste(Kolonne::Timer) => {
            s.timer_hundrededele.map(|t| Celle::Decimal(f64::from(t) / 100.0)).unwrap_or(Celle::Tom)
        }
        Felt::Liste(k) => {
            let t = lister::tekst(k, r, liste, persondata);
            if t.is_empty() { Celle::Tom } else { Celle::Tekst(t) }
        }
        Felt::Stam(f) => stamcelle(f, s, navne),
    }
}

fn stamcelle(f: Stamfelt, s: &sag::Model, navne: &Navne) -> Celle {
    match f {
        Stamfelt::Sagsart => tekst(Sagsart::fra_kode(&s.sagsart).map(Sagsart::navn)),
        Stamfelt::Ansoegningsstatus => {
            tekst(s.ansoegning_status.as_deref().and_then(AnsoegningStatus::fra_kode).map(AnsoegningStatus::navn))
        }
        Stamfelt::Afgoerelsesstatus => {
            tekst(s.afgoerelse_status.as_deref().and_then(AfgoerelseStatus::fra_kode).map(AfgoerelseStatus::navn))
        }
        Stamfelt::Forlaengelsesstatus => {
            tekst(s.forlaengelse_status.as_deref().and_then(ForlaengelseStatus::fra_kode).map(ForlaengelseStatus::navn))
        }
        Stamfelt::Jobcenter => tekst(s.jobcenter_id.and_then(|id| navne.jobcenter(id))),
        Stamfelt::AndenAktoer => tekst(s.anden_aktoer_id.and_then(|id| navne.anden_aktoer(id))),
        Stamfelt::Hovedsag => s.hovedsag_id.map(Celle::Heltal).unwrap_or(Celle::Tom),
        Stamfelt::Pnummer => tekst(s.pnummer.as_deref()),
        Stamfelt::OprindeligSlutdato => dato(s.oprindelig_slutdato),
        Stamfelt::Afgoerelsesdato => dato(s.afgoerelse_dato),
        Stamfelt::Konfliktramt => tekst(Some(if s.konfliktramt { "Ja" } else { "Nej" })),
        // Dates as a Danish caseworker reads them, not UTC's.
        Stamfelt::Oprettet => Celle::Dato(dansk_tid(s.oprettet).date()),
        Stamfelt::Aendret => Celle::Dato(dansk_tid(s.aendret).date()),
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
    /// The user who ordered it had written just before (or no replica is configured): the
    /// worker reads the rows from the primary, not the replica (read-your-writes, decision
    /// 116). Absent in a job queued before this field existed: the replica, if any.
    #[serde(default)]
    pub laes_primaer: bool,
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
    let felter = felter(liste, b.virksomhed);
    let xl: Vec<XlKolonne> = felter.iter().map(|f| xl_kolonne(*f)).collect();
    let persondata = maa_se_cpr(aktoer.rolle());
    let total = match total {
        Some(t) => t,
        None => lister::antal(db, aktoer, liste, filter).await?,
    };
    fremskridt(0, total);
    let navne = lister::Navne::alle(db).await?;
    let mut bog = Arbejdsbog::i_fil(sti)?;
    let mut skrevet = 0;
    let mut celler = Vec::with_capacity(felter.len());
    for (navn, kun_tillaeg) in ark(liste) {
        let f = Filter { kun_tillaeg, ..filter.clone() };
        let mut arket = bog.nyt_ark(navn, &xl)?;
        let ordnet = lister::sorteret(aktoer, liste, &f, sortering);
        // The cases with a value in the sort column, then those without (lister::Ordnet).
        for del in std::iter::once(ordnet.med_vaerdi).chain(ordnet.uden_vaerdi) {
            let mut raekker = del.stream(&db.conn).await.map_err(storage::StorageError::from)?;
            while let Some(sag) = raekker.try_next().await.map_err(storage::StorageError::from)? {
                let r = navne.raekke(sag);
                celler.clear();
                celler.extend(felter.iter().map(|f| xl_celle(*f, &r, &navne, liste, persondata)));
                arket.skriv_raekke(&celler)?;
                skrevet += 1;
                if skrevet % RAPPORT_HVER == 0 {
                    fremskridt(skrevet, total);
                }
            }
        }
    }
    // The rows are deflated as they are written; what is left is a few kB of workbook parts.
    bog.afslut()?;
    fremskridt(skrevet, total.max(skrevet));
    Ok(skrevet)
}

/// Run an export job: write the file under the data folder, saving progress on the job row at
/// most every second. The rows are read from the database [`crate::Kontekst::laese_db`]
/// chooses (the replica, unless the order says the primary; decision 115); the job row and
/// the access log are the primary's. Returns the file name for the job's `resultat`.
pub async fn koer(k: &crate::Kontekst, j: &job::Model) -> Result<String, EksportFejl> {
    let b: Bestilling = serde_json::from_str(&j.payload).map_err(|e| EksportFejl::Bestilling(e.to_string()))?;
    let (db, laes) = (&k.db, k.laese_db(b.laes_primaer));
    let mappe = mappe(&k.data_dir);
    tokio::fs::create_dir_all(&mappe).await.map_err(|e| EksportFejl::Fil(e.to_string()))?;
    let navn = filnavn(j);
    let sti = mappe.join(&navn);
    let (tx, rx) = tokio::sync::watch::channel((0u64, j.total.and_then(|t| u64::try_from(t).ok()).unwrap_or(0)));
    let kendt = j.total.and_then(|t| u64::try_from(t).ok());
    let eksport = skriv_excel(laes, &b, kendt, &sti, move |n, t| {
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
    log_udtraek(db, laes, &b, j.bruger_id).await?;
    Ok(navn)
}

/// The access log's entry for an export: who ordered it, and every CPR in the file (issue 14
/// §3, decision 68). The CPRs are read from `laes`, the database the file was read from, and
/// the entry is written to the primary `db`.
pub async fn log_udtraek(
    db: &storage::Db,
    laes: &storage::Db,
    b: &Bestilling,
    bruger_id: Option<i64>,
) -> Result<(), EksportFejl> {
    let cpr = storage::lister::cpr_i_listen(laes, &b.aktoer, b.liste, &b.filter).await?;
    let l = storage::adgangslog::Laesning {
        bruger_id,
        api_klient_id: None,
        rolle: b.aktoer.rolle().kode().into(),
        formaal: storage::adgangslog::Formaal::Excel,
        hvad: format!("excel {}", b.liste.kode()),
        cpr,
    };
    storage::adgangslog::skriv(db, l, chrono::Utc::now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ordning::Ordning;

    #[test]
    fn en_fuld_disk_kendes_ogsaa_gennem_excel_fejlen() {
        let fuld = std::io::Error::from_raw_os_error(28);
        assert!(EksportFejl::Excel(ExcelFejl::Skrivning(fuld)).er_pladsmangel());
        let kvote = std::io::Error::from(std::io::ErrorKind::QuotaExceeded);
        assert!(EksportFejl::Excel(ExcelFejl::Skrivning(kvote)).er_pladsmangel());
        let andet = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(!EksportFejl::Excel(ExcelFejl::Skrivning(andet)).er_pladsmangel());
        assert!(!EksportFejl::Excel(ExcelFejl::ForMangeRaekker { ark: "Ark".into() }).er_pladsmangel());
        assert!(!EksportFejl::Tabt.er_pladsmangel());
    }

    #[test]
    fn bestillingen_er_jobbets_payload() {
        let b = Bestilling {
            aktoer: Aktoer::Sagsbehandler { jobcenter_id: 7 },
            virksomhed: false,
            liste: Liste::SoegBevillinger,
            filter: Filter { ordninger: vec![Ordning::Fleksjob], navn: Some("Ø".into()), ..Filter::default() },
            sortering: Sortering { kolonne: Kolonne::Navn, faldende: false },
            laes_primaer: true,
        };
        let json = serde_json::to_string(&b).expect("json");
        assert_eq!(serde_json::from_str::<Bestilling>(&json).expect("læs"), b);
        // A job queued before `laes_primaer` existed is still read (the replica, if any).
        let gammel = json.replace(",\"laes_primaer\":true", "");
        assert_ne!(gammel, json);
        let b = Bestilling { laes_primaer: false, ..b };
        assert_eq!(serde_json::from_str::<Bestilling>(&gammel).expect("læs den gamle"), b);
    }

    #[test]
    fn bevillinger_giver_to_ark() {
        assert_eq!(ark(Liste::Bevillinger).len(), 2);
        assert_eq!(ark(Liste::SoegIgu), vec![("IGU-aftaler", None)]);
    }
}
