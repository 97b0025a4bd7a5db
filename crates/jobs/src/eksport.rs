//! Excel export of a list with its current filters and order (issue 3 §4). Rows are read page
//! by page and streamed into the workbook, so memory stays flat whatever the size; the
//! Bevillinger lists give two sheets, grants and supplementary grants (seed 001 §1.5).

use documents::excel::{Arbejdsbog, Celle, Celleart, ExcelFejl, Kolonne as XlKolonne};
use domain::policy::{Aktoer, maa_se_cpr};
use std::path::Path;
use storage::lister::{self, Filter, Kolonne, Liste, Raekke, Sortering};

#[derive(Debug, thiserror::Error)]
pub enum EksportFejl {
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error(transparent)]
    Excel(#[from] ExcelFejl),
}

/// Rows read from the database per query.
const SIDE: u64 = 500;

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

/// What to export: a list as one user sees it.
#[derive(Debug, Clone)]
pub struct Bestilling {
    pub aktoer: Aktoer,
    /// Companies do not see "Godkendt dato" (seed 001 §1.2.4a).
    pub virksomhed: bool,
    pub liste: Liste,
    pub filter: Filter,
    pub sortering: Sortering,
}

/// Write the list as it is filtered and ordered to `sti`. `fremskridt(written, total)` is
/// called after every page. Returns the number of rows written.
pub async fn skriv_excel(
    db: &storage::Db,
    b: &Bestilling,
    sti: &Path,
    mut fremskridt: impl FnMut(u64, u64),
) -> Result<u64, EksportFejl> {
    let (aktoer, liste, filter, sortering) = (&b.aktoer, b.liste, &b.filter, b.sortering);
    let kolonner = Kolonne::for_liste(liste, b.virksomhed);
    let xl: Vec<XlKolonne> = kolonner.iter().map(|k| xl_kolonne(*k)).collect();
    let persondata = maa_se_cpr(aktoer.rolle());
    let total = lister::antal(db, aktoer, liste, filter).await?;
    let mut bog = Arbejdsbog::ny();
    let mut skrevet = 0;
    for (navn, kun_tillaeg) in ark(liste) {
        let f = Filter { kun_tillaeg, ..filter.clone() };
        let mut arket = bog.nyt_ark(navn, &xl)?;
        let mut side = 1;
        loop {
            let s = lister::side(db, aktoer, liste, &f, sortering, side, SIDE).await?;
            if s.raekker.is_empty() {
                break;
            }
            for r in &s.raekker {
                let celler: Vec<Celle> = kolonner.iter().map(|k| xl_celle(*k, r, liste, persondata)).collect();
                arket.skriv_raekke(&celler)?;
            }
            skrevet += s.raekker.len() as u64;
            fremskridt(skrevet, total);
            side += 1;
        }
    }
    bog.gem(sti)?;
    Ok(skrevet)
}
