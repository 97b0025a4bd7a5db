//! One table of figures, three renderings (issue 12 §1: "every chart has the same figures as an
//! accessible table, and a CSV and Excel download of what it shows"; decision 132).
//!
//! A [`Figurtabel`] holds what the dashboard shows: a title, its columns and rows of cells that
//! have already passed suppression (`domain::statistik::Antal`/`Andel`). The page renders it as
//! an HTML table (templates/statistik.html reads [`Felt::tekst`]), [`Figurtabel::csv`] as a
//! download, and [`Figurtabel::excel`] through `documents::excel`. A number is written once,
//! here; a suppressed count is "<5" in all three, never the number.

use documents::excel::{Arbejdsbog, Celle, Celleart, ExcelFejl, Kolonne};
use domain::statistik::{Andel, Antal};

/// What a column holds: it decides the alignment and the Excel format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kolonneart {
    Tekst,
    Heltal,
    /// A share in per cent, one decimal.
    Procent,
}

/// One cell as shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Felt {
    Tekst(String),
    /// A whole number; None is suppressed ("<5": too few to show, decision 125).
    Heltal(Option<i64>),
    Andel(Andel),
}

impl Felt {
    /// A count, suppressed when 1–4.
    pub fn antal(n: i64) -> Felt {
        Felt::Heltal(Antal::af(n).vaerdi())
    }

    /// The text the page shows: "1.234", "<5", "12,5 %", "–".
    pub fn tekst(&self) -> String {
        match self {
            Felt::Tekst(t) => t.clone(),
            Felt::Heltal(Some(n)) => domain::tekst::tusinder(*n),
            Felt::Heltal(None) => UNDERTRYKT.to_string(),
            Felt::Andel(a) => a.tekst(),
        }
    }

    /// Right-aligned in the table.
    pub fn er_tal(&self) -> bool {
        !matches!(self, Felt::Tekst(_))
    }

    /// The value to plot: none for text, a suppressed count or a share that is not shown.
    pub fn vaerdi(&self) -> Option<f64> {
        match self {
            Felt::Tekst(_) => None,
            Felt::Heltal(n) => n.map(|n| n as f64),
            Felt::Andel(a) => a.procent(),
        }
    }

    /// The CSV field: numbers without thousands separators, a Danish decimal comma, "<5" kept.
    fn csv(&self) -> String {
        match self {
            Felt::Tekst(t) => documents::excel::neutraliser(t).into_owned(),
            Felt::Heltal(Some(n)) => n.to_string(),
            Felt::Heltal(None) => UNDERTRYKT.to_string(),
            Felt::Andel(Andel::Vist(a)) => format!("{:.1}", a * 100.0).replace('.', ","),
            Felt::Andel(a) => a.tekst(),
        }
    }

    fn excel(&self) -> Celle {
        match self {
            Felt::Tekst(t) => Celle::Tekst(t.clone()),
            Felt::Heltal(Some(n)) => Celle::Heltal(*n),
            Felt::Heltal(None) => Celle::Anmaerkning(UNDERTRYKT.to_string()),
            // Rounded as shown, so the file says what the page says.
            Felt::Andel(Andel::Vist(a)) => Celle::Decimal((a * 1000.0).round() / 10.0),
            Felt::Andel(a) => Celle::Anmaerkning(a.tekst()),
        }
    }
}

const UNDERTRYKT: &str = "<5";

/// A figure's table: its title (the caption, the sheet's name), columns and rows. The first
/// column names the row (`<th scope="row">`).
#[derive(Debug, Clone, PartialEq)]
pub struct Figurtabel {
    pub titel: String,
    pub kolonner: Vec<(String, Kolonneart)>,
    pub raekker: Vec<Vec<Felt>>,
}

impl Figurtabel {
    pub fn ny(titel: impl Into<String>, kolonner: Vec<(String, Kolonneart)>) -> Figurtabel {
        Figurtabel { titel: titel.into(), kolonner, raekker: Vec::new() }
    }

    /// Adds a row; cells past the columns are dropped, missing ones are empty text.
    pub fn raekke(&mut self, mut felter: Vec<Felt>) {
        felter.resize(self.kolonner.len(), Felt::Tekst(String::new()));
        self.raekker.push(felter);
    }

    /// The table as CSV for Excel in Denmark: UTF-8 with a byte-order mark, `;` between fields,
    /// CRLF line ends (RFC 4180), text quoted where it must be.
    pub fn csv(&self) -> String {
        let mut ud = String::from("\u{feff}");
        let linje = |ud: &mut String, felter: &mut dyn Iterator<Item = String>| {
            let felter: Vec<String> = felter.map(|f| csvfelt(&f)).collect();
            ud.push_str(&felter.join(";"));
            ud.push_str("\r\n");
        };
        linje(&mut ud, &mut self.kolonner.iter().map(|(k, _)| documents::excel::neutraliser(k).into_owned()));
        for r in &self.raekker {
            linje(&mut ud, &mut r.iter().map(Felt::csv));
        }
        ud
    }

    /// The table as an xlsx workbook of one sheet.
    pub fn excel(&self) -> Result<Vec<u8>, ExcelFejl> {
        let kolonner: Vec<Kolonne> = self
            .kolonner
            .iter()
            .map(|(navn, art)| Kolonne {
                overskrift: navn.clone(),
                art: match art {
                    Kolonneart::Tekst => Celleart::Tekst,
                    Kolonneart::Heltal => Celleart::Heltal,
                    Kolonneart::Procent => Celleart::Decimal { decimaler: 1 },
                },
                bredde: if *art == Kolonneart::Tekst { 36.0 } else { 16.0 },
            })
            .collect();
        let mut bog = Arbejdsbog::i_hukommelse();
        {
            let mut ark = bog.nyt_ark(&arknavn(&self.titel), &kolonner)?;
            for r in &self.raekker {
                let celler: Vec<Celle> = r.iter().map(Felt::excel).collect();
                ark.skriv_raekke(&celler)?;
            }
        }
        bog.til_bytes()
    }
}

/// A field quoted when it holds the separator, a quote or a line break.
fn csvfelt(f: &str) -> String {
    if f.contains([';', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.to_string() }
}

/// An Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn arknavn(titel: &str) -> String {
    let navn: String = titel.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(31).collect();
    let navn = navn.trim().to_string();
    if navn.is_empty() { "Statistik".to_string() } else { navn }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabel() -> Figurtabel {
        let mut t = Figurtabel::ny(
            "Afslagsrate pr. ordning: 2026",
            vec![
                ("Ordning".into(), Kolonneart::Tekst),
                ("Afgjorte".into(), Kolonneart::Heltal),
                ("Afslagsrate".into(), Kolonneart::Procent),
            ],
        );
        t.raekke(vec![Felt::Tekst("Løntilskud".into()), Felt::antal(1234), Felt::Andel(Andel::af(10, 80))]);
        t.raekke(vec![Felt::Tekst("Fleks; \"job\"".into()), Felt::antal(3), Felt::Andel(Andel::af(3, 80))]);
        t.raekke(vec![Felt::Tekst("=HYPERLINK()".into()), Felt::antal(0), Felt::Andel(Andel::af(0, 0))]);
        t
    }

    #[test]
    fn sidens_tekst_undertrykker_og_bruger_danske_tal() {
        let t = tabel();
        let vist: Vec<Vec<String>> = t.raekker.iter().map(|r| r.iter().map(Felt::tekst).collect()).collect();
        assert_eq!(vist[0], ["Løntilskud", "1.234", "12,5 %"]);
        assert_eq!(vist[1], ["Fleks; \"job\"", "<5", "<5"]);
        assert_eq!(vist[2], ["=HYPERLINK()", "0", "–"]);
    }

    #[test]
    fn csv_med_bom_semikolon_decimalkomma_og_under_5_som_tekst() {
        let csv = tabel().csv();
        assert!(csv.starts_with('\u{feff}'));
        let linjer: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(linjer[0], "Ordning;Afgjorte;Afslagsrate");
        assert_eq!(linjer[1], "Løntilskud;1234;12,5");
        assert_eq!(linjer[2], "\"Fleks; \"\"job\"\"\";<5;<5");
        assert_eq!(linjer[3], "'=HYPERLINK();0;–");
        assert!(!csv.contains(";3;"), "det undertrykte tal må ikke stå i filen");
    }

    #[test]
    fn excel_har_tallene_og_under_5_som_tekst() {
        let bytes = tabel().excel().unwrap();
        let dele = zip_arkiv(&bytes);
        let ark = dele.iter().find(|(navn, _)| navn.starts_with("xl/worksheets/")).map(|(_, x)| x.clone()).unwrap();
        assert!(ark.contains("<v>1234</v>"), "{ark}");
        assert!(ark.contains("<v>12.5</v>"), "{ark}");
        assert!(ark.contains("&lt;5"), "{ark}");
        assert!(!ark.contains("<v>3</v>"), "det undertrykte tal må ikke stå i filen: {ark}");
    }

    /// The parts of an xlsx file, unzipped.
    fn zip_arkiv(bytes: &[u8]) -> Vec<(String, String)> {
        let mut arkiv = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..arkiv.len())
            .map(|i| {
                let mut f = arkiv.by_index(i).unwrap();
                let navn = f.name().unwrap().to_string();
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f, &mut s).unwrap();
                (navn, s)
            })
            .collect()
    }

    #[test]
    fn arknavne_er_gyldige() {
        assert_eq!(arknavn("Ophør: årsager [DFDG] pr. ordning i perioden"), "Ophør årsager DFDG pr. ordning");
        assert_eq!(arknavn("[]"), "Statistik");
    }
}
