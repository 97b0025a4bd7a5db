//! Streaming Excel (xlsx) export.
//!
//! The writer knows nothing about the database: the caller describes the
//! columns of a sheet with [`Kolonne`] and then feeds it one row of [`Celle`]s
//! at a time. Sheet names and column headings are Danish text supplied by the
//! caller.
//!
//! # Constant memory, one pass
//!
//! An xlsx file is a zip of XML parts (ECMA-376 Part 1, SpreadsheetML). This
//! module writes those parts itself: each row becomes XML in a small buffer,
//! and every 64 KiB the buffer is handed to the workbook's own thread, which
//! deflates it straight into the sheet's zip entry in the destination
//! ([`Arbejdsbog::i_fil`], or any `Write + Seek`). Deflating is the larger
//! half of the work, so on two cores it runs beside the rows' XML instead of
//! after it. At most [`BUFRE_I_KOE`] buffers wait for that thread (a writer
//! that gets ahead waits), so nothing of a sheet is kept but a few buffers,
//! and there is no second pass over a temporary file. The parts that describe the whole workbook (the sheet list,
//! the styles, the autofilter ranges) are written last, when they are known;
//! a zip's directory sits at its end, so their order in the file does not
//! matter. Text is stored inline in the cells (no shared-string table, which
//! would grow with the data). The file is compressed at a low zip level by
//! default, trading some file size for speed (see [`STANDARD_KOMPRIMERING`]).
//! Why not `rust_xlsxwriter`, which the project used before: docs/decisions.md
//! 49.
//!
//! Rows must be written in order, and a sheet must be completely written before
//! the next one is started. The API enforces both: [`ArkSkriver`] borrows the
//! workbook mutably, so it has to be dropped before [`Arbejdsbog::nyt_ark`] or
//! [`Arbejdsbog::afslut`] can be called again, and it only appends rows.
//!
//! # Excel's limits
//!
//! Values that Excel cannot hold are rejected with an [`ExcelFejl`] naming the
//! sheet, the Excel row number and the column heading; nothing is silently
//! truncated or rounded. The row is validated completely before any of its
//! cells is written, so a rejected row leaves the sheet unchanged and the
//! caller may skip it and continue:
//!
//! - at most [`MAKS_DATARAEKKER`] data rows per sheet (Excel's 1,048,576 rows
//!   minus the header row);
//! - at most [`MAKS_TEGN_I_CELLE`] characters (UTF-16 code units, as Excel
//!   counts them) per text cell, counted after [`neutraliser`];
//! - integers only within ±2^53, the range an Excel number (an IEEE double)
//!   holds exactly;
//! - decimals must be finite (Excel has no NaN or infinity);
//! - dates from 1900-01-01 to 9999-12-31.
//!
//! Characters XML 1.0 cannot carry (control characters other than tab and
//! line feed, U+FFFE, U+FFFF) are written as Excel's own `_xHHHH_` escapes,
//! and a literal `_xHHHH_` in the text is protected as `_x005F_xHHHH_`, so
//! every text reads back exactly as it was written.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Cursor, Seek, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The most data rows one sheet can hold: Excel's 1,048,576 rows minus the
/// header row.
pub const MAKS_DATARAEKKER: u32 = 1_048_575;

/// The most characters (UTF-16 code units) Excel stores in one cell.
pub const MAKS_TEGN_I_CELLE: usize = 32_767;

/// The most columns one sheet can hold.
pub const MAKS_KOLONNER: usize = 16_384;

/// The widest column Excel accepts, in character units.
pub const MAKS_BREDDE: f64 = 255.0;

/// The largest magnitude of an integer that an Excel number stores exactly
/// (2^53).
pub const MAKS_HELTAL: i64 = 9_007_199_254_740_992;

/// The most decimal places a [`Celleart::Decimal`] column displays; larger
/// values are clamped to this.
pub const MAKS_DECIMALER: u8 = 15;

/// Default zip (deflate) level. Compressing the sheet XML is the larger part
/// of the export's CPU time; level 2 was chosen against `examples/excel_bench.rs`
/// (docs/benchmarks.md, "Excel export"), see [`Arbejdsbog::saet_komprimering`].
pub const STANDARD_KOMPRIMERING: u8 = 2;

/// Number format of date columns. Excel shows it as written, independent of
/// the user's locale.
const DATOFORMAT: &str = "dd-mm-yyyy";

/// Number format of integer columns: no thousands separator (ids, counts)
/// and no switch to scientific notation for long numbers.
const HELTALSFORMAT: &str = "0";

/// First characters that make a spreadsheet treat a text as a formula or a
/// command (OWASP "CSV injection"): `= + - @`, tab and carriage return.
const FARLIGE_FOERSTE_TEGN: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises formula injection in a text value (OWASP "CSV injection").
///
/// A text whose first character is `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a single quote `'` in front; every other text is returned
/// unchanged and unallocated (Danish letters included).
///
/// # Why both a quote and a string cell
///
/// The writer always stores text with `write_string`, as an inline string
/// cell, which Excel never evaluates when it opens the file. That alone is not
/// enough: a user who copies the cell elsewhere or saves the sheet as CSV
/// gets the raw text back, and `=HYPERLINK(…)` then becomes a live formula in
/// the next program that opens it. Excel's hidden "quote prefix" cell style
/// does not help either, because it is dropped on CSV export. So the
/// apostrophe is made part of the stored value: it survives copy, CSV export
/// and re-import, and every spreadsheet program reads `'=…` as plain text.
///
/// The price is that the apostrophe is visible, e.g. a phone number typed as
/// `+45 12 34 56 78` shows as `'+45 12 34 56 78`. Numbers are never affected:
/// a negative [`Celle::Heltal`] or [`Celle::Decimal`] is written as a number.
#[must_use]
pub fn neutraliser(tekst: &str) -> Cow<'_, str> {
    if tekst.starts_with(FARLIGE_FOERSTE_TEGN) { Cow::Owned(format!("'{tekst}")) } else { Cow::Borrowed(tekst) }
}

/// The kind of values a column holds; it decides the cell format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Celleart {
    /// Text, always stored as a string and passed through [`neutraliser`].
    Tekst,
    /// Whole numbers, shown without decimals or thousands separators.
    Heltal,
    /// Decimal numbers, shown with `decimaler` places (at most
    /// [`MAKS_DECIMALER`]) and a thousands separator; Excel applies the user's
    /// locale, so a Danish Excel shows `1.234,50`.
    Decimal {
        /// Number of decimal places displayed.
        decimaler: u8,
    },
    /// Calendar dates, shown as `dd-mm-yyyy`.
    Dato,
}

impl Celleart {
    fn navn(self) -> &'static str {
        match self {
            Celleart::Tekst => "tekst",
            Celleart::Heltal => "heltal",
            Celleart::Decimal { .. } => "decimaltal",
            Celleart::Dato => "dato",
        }
    }
}

/// One column of a sheet: its heading, the kind of its values and its width.
#[derive(Debug, Clone, PartialEq)]
pub struct Kolonne {
    /// The heading in the first row (Danish text from the caller).
    pub overskrift: String,
    /// The kind of values in the column.
    pub art: Celleart,
    /// Column width in Excel's character units (0 hides the column, at most
    /// [`MAKS_BREDDE`]).
    pub bredde: f64,
}

/// One cell value.
///
/// A cell must match its column's [`Celleart`], except that [`Celle::Tom`]
/// fits every column and a [`Celle::Heltal`] may stand in a decimal column.
#[derive(Debug, Clone, PartialEq)]
pub enum Celle {
    /// An empty cell.
    Tom,
    /// Text; an empty string gives an empty cell.
    Tekst(String),
    /// A whole number within ±[`MAKS_HELTAL`].
    Heltal(i64),
    /// A finite decimal number.
    Decimal(f64),
    /// A date from 1900-01-01 to 9999-12-31.
    Dato(NaiveDate),
    /// A short text standing in for a value that is withheld, in a column of any kind (the
    /// statistics' "<5" for a suppressed count; decision 132). Written as text.
    Anmaerkning(String),
}

impl Celle {
    fn navn(&self) -> &'static str {
        match self {
            Celle::Tom => "tom",
            Celle::Tekst(_) => "tekst",
            Celle::Heltal(_) => "heltal",
            Celle::Decimal(_) => "decimaltal",
            Celle::Dato(_) => "dato",
            Celle::Anmaerkning(_) => "anmærkning",
        }
    }
}

/// Errors from building a workbook.
///
/// The messages are Danish, so they can be shown to the user (for example on
/// a failed export job); rows are Excel's row numbers, counting the header as
/// row 1.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExcelFejl {
    /// The sheet was given no columns.
    #[error("arket «{ark}» har ingen kolonner")]
    IngenKolonner {
        /// Sheet name.
        ark: String,
    },
    /// More columns than Excel allows.
    #[error("arket «{ark}» har {antal} kolonner; Excel tillader højst 16.384")]
    ForMangeKolonner {
        /// Sheet name.
        ark: String,
        /// Number of columns requested.
        antal: usize,
    },
    /// A column width outside 0–255 or not a number.
    #[error("kolonnen «{kolonne}» i arket «{ark}» har bredden {bredde}; den skal være mellem 0 og 255")]
    UgyldigBredde {
        /// Sheet name.
        ark: String,
        /// Column heading.
        kolonne: String,
        /// The rejected width.
        bredde: f64,
    },
    /// A sheet name Excel does not accept, or one already used in the
    /// workbook.
    #[error("arknavnet «{navn}» kan ikke bruges: {aarsag}")]
    UgyldigtArknavn {
        /// The rejected name.
        navn: String,
        /// Why it was rejected.
        aarsag: String,
    },
    /// The sheet is full.
    #[error("arket «{ark}» har nået Excels grænse på 1.048.575 rækker under overskriften")]
    ForMangeRaekker {
        /// Sheet name.
        ark: String,
    },
    /// A row with a different number of cells than the sheet has columns.
    #[error("række {raekke} i arket «{ark}» har {fik} celler, men arket har {forventet} kolonner")]
    ForkertAntalCeller {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Number of columns.
        forventet: usize,
        /// Number of cells given.
        fik: usize,
    },
    /// A cell whose kind does not match its column.
    #[error("cellen i række {raekke}, kolonne «{kolonne}» i arket «{ark}» er {fik}, men kolonnen er {forventet}")]
    ForkertCelletype {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Column heading.
        kolonne: String,
        /// The column's kind.
        forventet: &'static str,
        /// The cell's kind.
        fik: &'static str,
    },
    /// A text longer than Excel's cell limit.
    #[error(
        "teksten i række {raekke}, kolonne «{kolonne}» i arket «{ark}» har {laengde} tegn; Excel tillader højst 32.767"
    )]
    ForLangTekst {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Column heading.
        kolonne: String,
        /// Length in UTF-16 code units, after neutralisation.
        laengde: usize,
    },
    /// An integer Excel cannot store exactly.
    #[error(
        "tallet {vaerdi} i række {raekke}, kolonne «{kolonne}» i arket «{ark}» er for stort til at blive gemt præcist i Excel"
    )]
    TalForStort {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Column heading.
        kolonne: String,
        /// The rejected value.
        vaerdi: i64,
    },
    /// NaN or infinity.
    #[error("værdien i række {raekke}, kolonne «{kolonne}» i arket «{ark}» er ikke et endeligt tal")]
    UgyldigtTal {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Column heading.
        kolonne: String,
    },
    /// A date outside Excel's range.
    #[error(
        "datoen {dato} i række {raekke}, kolonne «{kolonne}» i arket «{ark}» ligger uden for Excels datoer (1900-01-01 til 9999-12-31)"
    )]
    DatoUdenforInterval {
        /// Sheet name.
        ark: String,
        /// Excel row number.
        raekke: u32,
        /// Column heading.
        kolonne: String,
        /// The rejected date.
        dato: NaiveDate,
    },
    /// The destination could not be written (disk full, no access, …).
    #[error("Excel-filen kunne ikke skrives: {0}")]
    Skrivning(#[from] std::io::Error),
    /// The zip container could not be written.
    #[error("Excel-filen kunne ikke pakkes: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// How much sheet XML is collected before it is handed on to be deflated.
const BUFFERSTOERRELSE: usize = 64 * 1024;

/// How many full buffers may wait for the deflating thread.
pub const BUFRE_I_KOE: usize = 4;

/// Style indices (`cellXfs`) fixed by [`styles_xml`]: the default and the bold
/// heading. Number formats follow from index 2, one per distinct format.
const STIL_OVERSKRIFT: u32 = 1;
const FOERSTE_TALSTIL: u32 = 2;

/// The first custom number format id (ids below are Excel's built-in ones).
const FOERSTE_FORMAT_ID: usize = 164;

/// A workbook streamed into a zip container.
///
/// ```
/// use documents::excel::{Arbejdsbog, Celle, Celleart, Kolonne};
///
/// let mut bog = Arbejdsbog::i_hukommelse();
/// let kolonner = [
///     Kolonne { overskrift: "Navn".into(), art: Celleart::Tekst, bredde: 30.0 },
///     Kolonne { overskrift: "Timer".into(), art: Celleart::Decimal { decimaler: 2 }, bredde: 10.0 },
/// ];
/// let mut ark = bog.nyt_ark("Bevillinger", &kolonner)?;
/// ark.skriv_raekke(&[Celle::Tekst("Søren Ærø".into()), Celle::Decimal(37.5)])?;
/// // Using `bog` again ends the sheet writer's borrow: the sheet is complete.
/// let bytes = bog.til_bytes()?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok::<(), documents::excel::ExcelFejl>(())
/// ```
pub struct Arbejdsbog<W: Write + Seek + Send + 'static> {
    zip: Pakker<W>,
    niveau: u8,
    /// The sheets so far, the open one last.
    ark: Vec<Arkinfo>,
    /// Custom number format codes; format `i` has id `164 + i` and style `2 + i`.
    formater: Vec<String>,
    /// The open sheet's columns; empty when no sheet is open.
    kolonner: Vec<Kolonnestil>,
    /// Sheet XML not yet deflated.
    buf: Vec<u8>,
}

/// What the workbook part needs to know of a sheet.
struct Arkinfo {
    navn: String,
    /// Lower-cased (Excel compares sheet names without regard to case).
    navn_lille: String,
    sidste_kolonne: u16,
    dataraekker: u32,
}

/// A column of the open sheet, prepared for writing.
struct Kolonnestil {
    overskrift: String,
    art: Celleart,
    /// Style index of its numbers (0 for text).
    stil: u32,
    /// `r="…"` up to the row number: `<c r="AB`.
    start: Vec<u8>,
}

impl Arbejdsbog<File> {
    /// A workbook written to a new file at `sti` (replacing any file there).
    /// Call [`Arbejdsbog::afslut`] to complete it; a workbook dropped before
    /// that leaves an unreadable file, which the caller should remove.
    ///
    /// # Errors
    /// [`ExcelFejl::Skrivning`] when the file cannot be created.
    pub fn i_fil(sti: &Path) -> Result<Self, ExcelFejl> {
        // The file holds CPR numbers: readable by VITAS's own account only.
        let mut valg = std::fs::OpenOptions::new();
        valg.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut valg, 0o600);
        Ok(Self::i(valg.open(sti)?))
    }
}

impl Arbejdsbog<Cursor<Vec<u8>>> {
    /// A workbook held in memory, for small files and tests; see
    /// [`Arbejdsbog::til_bytes`]. Prefer [`Arbejdsbog::i_fil`] for large
    /// exports: here the whole compressed file stays in memory.
    #[must_use]
    pub fn i_hukommelse() -> Self {
        Self::i(Cursor::new(Vec::new()))
    }

    /// Completes the workbook and returns the xlsx file as bytes.
    ///
    /// # Errors
    /// See [`Arbejdsbog::afslut`].
    pub fn til_bytes(self) -> Result<Vec<u8>, ExcelFejl> {
        Ok(self.afslut()?.into_inner())
    }
}

impl<W: Write + Seek + Send + 'static> Arbejdsbog<W> {
    /// A workbook streamed into `maal`, deflated on a thread of its own.
    pub fn i(maal: W) -> Self {
        Self {
            zip: Pakker::ny(maal),
            niveau: STANDARD_KOMPRIMERING,
            ark: Vec::new(),
            formater: Vec::new(),
            kolonner: Vec::new(),
            buf: Vec::with_capacity(BUFFERSTOERRELSE + 4096),
        }
    }

    /// Sets the zip (deflate) level of the sheets started after this call, 1
    /// (fastest) to 9 (smallest); values outside are clamped. The default is
    /// [`STANDARD_KOMPRIMERING`].
    pub fn saet_komprimering(&mut self, niveau: u8) {
        self.niveau = niveau.clamp(1, 9);
    }

    fn indstillinger(&self) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(i64::from(self.niveau)))
    }

    /// Starts a new sheet named `navn` with the given columns, finishing the
    /// previous sheet.
    ///
    /// The first row holds the headings in bold; it is frozen and carries an
    /// autofilter that spans all rows written, set when the sheet is
    /// finished.
    ///
    /// # Errors
    /// A name Excel does not accept (blank, over 31 characters, one of
    /// `* ? : [ ] \ /`, a leading or trailing `'`, the reserved `History`) or
    /// already used in the workbook, no columns or too many, a width outside
    /// 0–255, a heading over the cell limit, or a failure to write.
    pub fn nyt_ark(&mut self, navn: &str, kolonner: &[Kolonne]) -> Result<ArkSkriver<'_, W>, ExcelFejl> {
        // Everything is checked before the previous sheet is closed, so a
        // rejected sheet leaves the workbook as it was.
        let navn_lille = navn.to_lowercase();
        if let Some(aarsag) = arknavnefejl(navn) {
            return Err(ExcelFejl::UgyldigtArknavn { navn: navn.to_owned(), aarsag: aarsag.to_owned() });
        }
        if self.ark.iter().any(|a| a.navn_lille == navn_lille) {
            return Err(ExcelFejl::UgyldigtArknavn {
                navn: navn.to_owned(),
                aarsag: "navnet er allerede brugt i projektmappen".to_owned(),
            });
        }
        if kolonner.is_empty() {
            return Err(ExcelFejl::IngenKolonner { ark: navn.to_owned() });
        }
        let sidste_kolonne = u16::try_from(kolonner.len() - 1)
            .ok()
            .filter(|&k| usize::from(k) < MAKS_KOLONNER)
            .ok_or_else(|| ExcelFejl::ForMangeKolonner { ark: navn.to_owned(), antal: kolonner.len() })?;
        for kolonne in kolonner {
            if !(0.0..=MAKS_BREDDE).contains(&kolonne.bredde) {
                return Err(ExcelFejl::UgyldigBredde {
                    ark: navn.to_owned(),
                    kolonne: kolonne.overskrift.clone(),
                    bredde: kolonne.bredde,
                });
            }
            let laengde = utf16_laengde(&neutraliser(&kolonne.overskrift));
            if laengde > MAKS_TEGN_I_CELLE {
                return Err(ExcelFejl::ForLangTekst {
                    ark: navn.to_owned(),
                    raekke: 1,
                    kolonne: kolonne.overskrift.clone(),
                    laengde,
                });
            }
        }

        self.afslut_aabent_ark()?;
        let nummer = self.ark.len() + 1;
        self.zip.start(format!("xl/worksheets/sheet{nummer}.xml"), self.indstillinger())?;
        self.kolonner = kolonner
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let stil = match k.art {
                    Celleart::Tekst => 0,
                    art => self.stil_for(talformat(art)),
                };
                let mut start = b"<c r=\"".to_vec();
                start.extend_from_slice(kolonnebogstaver(i).as_bytes());
                Kolonnestil { overskrift: k.overskrift.clone(), art: k.art, stil, start }
            })
            .collect();
        self.ark.push(Arkinfo { navn: navn.to_owned(), navn_lille, sidste_kolonne, dataraekker: 0 });

        let b = &mut self.buf;
        b.extend_from_slice(XML_ERKLAERING);
        b.extend_from_slice(
            b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
              xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        );
        // The heading row frozen at the top.
        b.extend_from_slice(b"<sheetViews><sheetView ");
        if nummer == 1 {
            b.extend_from_slice(b"tabSelected=\"1\" ");
        }
        b.extend_from_slice(
            b"workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>\
              <selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>\
              <sheetFormatPr defaultRowHeight=\"15\"/><cols>",
        );
        for (i, k) in kolonner.iter().enumerate() {
            let nr = i + 1;
            let bredde = excel_bredde(k.bredde);
            let skjult = if k.bredde == 0.0 { " hidden=\"1\"" } else { "" };
            b.extend_from_slice(
                format!("<col min=\"{nr}\" max=\"{nr}\" width=\"{bredde}\" customWidth=\"1\"{skjult}/>").as_bytes(),
            );
        }
        b.extend_from_slice(b"</cols><sheetData><row r=\"1\">");
        for k in &self.kolonner {
            b.extend_from_slice(&k.start);
            b.extend_from_slice(b"1\" s=\"");
            skriv_heltal(b, STIL_OVERSKRIFT);
            b.extend_from_slice(b"\" t=\"inlineStr\"><is>");
            skriv_t(b, &neutraliser(&k.overskrift));
            b.extend_from_slice(b"</is></c>");
        }
        b.extend_from_slice(b"</row>");

        let ark = self.ark.last_mut().ok_or_else(|| ExcelFejl::IngenKolonner { ark: navn.to_owned() })?;
        Ok(ArkSkriver { ark, kolonner: &self.kolonner, buf: &mut self.buf, zip: &mut self.zip })
    }

    /// The style index of a number format, registering it the first time.
    fn stil_for(&mut self, format: String) -> u32 {
        let i = match self.formater.iter().position(|f| *f == format) {
            Some(i) => i,
            None => {
                self.formater.push(format);
                self.formater.len() - 1
            }
        };
        FOERSTE_TALSTIL + u32::try_from(i).unwrap_or(0)
    }

    /// Writes the open sheet's closing XML, with the autofilter over every
    /// row written to it.
    fn afslut_aabent_ark(&mut self) -> Result<(), ExcelFejl> {
        if self.kolonner.is_empty() {
            return Ok(());
        }
        self.kolonner.clear();
        let Some(ark) = self.ark.last() else { return Ok(()) };
        let b = &mut self.buf;
        b.extend_from_slice(b"</sheetData><autoFilter ref=\"A1:");
        b.extend_from_slice(kolonnebogstaver(usize::from(ark.sidste_kolonne)).as_bytes());
        skriv_heltal(b, ark.dataraekker + 1);
        b.extend_from_slice(
            b"\"/><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>\
              </worksheet>",
        );
        self.zip.skriv(b)?;
        Ok(())
    }

    /// Finishes the last sheet, writes the parts that describe the workbook
    /// and the zip directory, and returns the destination.
    ///
    /// # Errors
    /// [`ExcelFejl::Skrivning`] or [`ExcelFejl::Zip`] when writing fails.
    pub fn afslut(mut self) -> Result<W, ExcelFejl> {
        if self.ark.is_empty() {
            // Excel will not open a workbook without a sheet.
            self.nyt_ark("Ark1", &[Kolonne { overskrift: String::new(), art: Celleart::Tekst, bredde: 10.0 }])?;
        }
        self.afslut_aabent_ark()?;
        let indstillinger = self.indstillinger();
        let dele: [(&str, String); 5] = [
            ("xl/workbook.xml", workbook_xml(&self.ark)),
            ("xl/_rels/workbook.xml.rels", workbook_rels(self.ark.len())),
            ("xl/styles.xml", styles_xml(&self.formater)),
            ("_rels/.rels", RODRELATIONER.to_owned()),
            ("[Content_Types].xml", indholdstyper(self.ark.len())),
        ];
        for (navn, xml) in dele {
            self.zip.start(navn.to_owned(), indstillinger)?;
            self.zip.skriv(&mut xml.into_bytes())?;
        }
        self.zip.afslut()
    }
}

/// What the deflating thread is told.
enum Besked {
    /// Start the next zip entry.
    Fil(String, SimpleFileOptions),
    /// Deflate this into the current entry.
    Data(Vec<u8>),
    /// Write the zip directory and hand back the destination.
    Slut,
}

/// The zip container, written on a thread of its own.
struct Pakker<W> {
    til: Option<SyncSender<Besked>>,
    /// Emptied buffers coming back for reuse.
    retur: Receiver<Vec<u8>>,
    traad: Option<JoinHandle<Result<W, ExcelFejl>>>,
    /// Why there is no thread, when the system would not start one.
    startfejl: Option<std::io::Error>,
}

impl<W: Write + Seek + Send + 'static> Pakker<W> {
    fn ny(maal: W) -> Self {
        let (til, fra) = sync_channel::<Besked>(BUFRE_I_KOE);
        let (retur_til, retur) = sync_channel::<Vec<u8>>(BUFRE_I_KOE + 1);
        let traad = std::thread::Builder::new().name("excel-zip".into()).spawn(move || {
            let mut zip = ZipWriter::new(maal);
            for besked in fra {
                match besked {
                    Besked::Fil(navn, indstillinger) => zip.start_file(navn, indstillinger)?,
                    Besked::Data(mut data) => {
                        zip.write_all(&data)?;
                        data.clear();
                        // A full return queue only means the buffer is not reused.
                        let _ = retur_til.try_send(data);
                    }
                    Besked::Slut => {
                        let mut maal = zip.finish()?;
                        maal.flush()?;
                        return Ok(maal);
                    }
                }
            }
            // The workbook was dropped unfinished.
            Err(ExcelFejl::Skrivning(std::io::Error::other("projektmappen blev ikke afsluttet")))
        });
        match traad {
            Ok(traad) => Self { til: Some(til), retur, traad: Some(traad), startfejl: None },
            // No thread to be had: every send fails, and the error says why.
            Err(fejl) => Self { til: None, retur, traad: None, startfejl: Some(fejl) },
        }
    }

    fn send(&mut self, besked: Besked) -> Result<(), ExcelFejl> {
        match &self.til {
            Some(til) if til.send(besked).is_ok() => Ok(()),
            // The thread stopped at an error: that error is the answer.
            _ => Err(self.vent().err().unwrap_or_else(|| std::io::Error::other("zip-tråden stoppede").into())),
        }
    }

    fn start(&mut self, navn: String, indstillinger: SimpleFileOptions) -> Result<(), ExcelFejl> {
        self.send(Besked::Fil(navn, indstillinger))
    }

    /// Hands the buffer's content on and leaves it empty (a reused buffer when one is back).
    fn skriv(&mut self, buf: &mut Vec<u8>) -> Result<(), ExcelFejl> {
        let tom = self.retur.try_recv().unwrap_or_else(|_| Vec::with_capacity(buf.capacity()));
        let fuld = std::mem::replace(buf, tom);
        self.send(Besked::Data(fuld))
    }

    fn afslut(mut self) -> Result<W, ExcelFejl> {
        self.send(Besked::Slut)?;
        self.vent()
    }

    /// Waits for the thread to end and returns what it returned.
    fn vent(&mut self) -> Result<W, ExcelFejl> {
        self.til = None;
        if let Some(fejl) = self.startfejl.take() {
            return Err(fejl.into());
        }
        match self.traad.take().map(JoinHandle::join) {
            Some(Ok(svar)) => svar,
            Some(Err(_)) => Err(std::io::Error::other("zip-tråden gik ned").into()),
            None => Err(std::io::Error::other("zip-tråden er allerede afsluttet").into()),
        }
    }
}

/// Writes the rows of one sheet, in order.
///
/// Drop it (or let it go out of scope) before starting the next sheet or
/// completing the workbook.
pub struct ArkSkriver<'a, W: Write + Seek + Send + 'static> {
    ark: &'a mut Arkinfo,
    kolonner: &'a [Kolonnestil],
    buf: &'a mut Vec<u8>,
    zip: &'a mut Pakker<W>,
}

impl<W: Write + Seek + Send + 'static> ArkSkriver<'_, W> {
    /// The sheet's name.
    #[must_use]
    pub fn navn(&self) -> &str {
        &self.ark.navn
    }

    /// Number of data rows written so far (the header not counted).
    #[must_use]
    pub fn antal_raekker(&self) -> u32 {
        self.ark.dataraekker
    }

    /// Appends one row below the previous one. `celler` holds one cell per
    /// column, in column order.
    ///
    /// # Errors
    /// See [`ExcelFejl`]: a full sheet, a wrong number of cells, a cell that
    /// does not match its column or exceeds Excel's limits, or a failure to
    /// write. The row is checked before anything is written, so after a
    /// rejected cell the sheet is unchanged.
    pub fn skriv_raekke(&mut self, celler: &[Celle]) -> Result<(), ExcelFejl> {
        if self.ark.dataraekker >= MAKS_DATARAEKKER {
            return Err(ExcelFejl::ForMangeRaekker { ark: self.ark.navn.clone() });
        }
        // Excel's row number; the header is row 1.
        let raekke = self.ark.dataraekker + 2;
        if celler.len() != self.kolonner.len() {
            return Err(ExcelFejl::ForkertAntalCeller {
                ark: self.ark.navn.clone(),
                raekke,
                forventet: self.kolonner.len(),
                fik: celler.len(),
            });
        }
        for (kolonne, celle) in self.kolonner.iter().zip(celler) {
            kontroller(&self.ark.navn, raekke, kolonne, celle)?;
        }

        let b = &mut *self.buf;
        let mut nummer = itoa::Buffer::new();
        let nummer = nummer.format(raekke).as_bytes();
        b.extend_from_slice(b"<row r=\"");
        b.extend_from_slice(nummer);
        b.extend_from_slice(b"\">");
        for (kolonne, celle) in self.kolonner.iter().zip(celler) {
            let tal = |b: &mut Vec<u8>| {
                b.extend_from_slice(&kolonne.start);
                b.extend_from_slice(nummer);
                b.extend_from_slice(b"\" s=\"");
                skriv_heltal(b, kolonne.stil);
                b.extend_from_slice(b"\"><v>");
            };
            match celle {
                Celle::Tom => {}
                Celle::Tekst(tekst) | Celle::Anmaerkning(tekst) if tekst.is_empty() => {}
                Celle::Tekst(tekst) | Celle::Anmaerkning(tekst) => {
                    b.extend_from_slice(&kolonne.start);
                    b.extend_from_slice(nummer);
                    b.extend_from_slice(b"\" t=\"inlineStr\"><is>");
                    skriv_t(b, &neutraliser(tekst));
                    b.extend_from_slice(b"</is></c>");
                }
                Celle::Heltal(heltal) => {
                    tal(b);
                    // Within ±2^53 (checked above): Excel's double holds it exactly.
                    b.extend_from_slice(itoa::Buffer::new().format(*heltal).as_bytes());
                    b.extend_from_slice(b"</v></c>");
                }
                Celle::Decimal(decimal) => {
                    tal(b);
                    // The shortest text that reads back as the same double.
                    b.extend_from_slice(ryu::Buffer::new().format_finite(*decimal).as_bytes());
                    b.extend_from_slice(b"</v></c>");
                }
                Celle::Dato(dato) => {
                    tal(b);
                    b.extend_from_slice(itoa::Buffer::new().format(excel_serienummer(*dato)).as_bytes());
                    b.extend_from_slice(b"</v></c>");
                }
            }
        }
        b.extend_from_slice(b"</row>");
        self.ark.dataraekker += 1;
        if b.len() >= BUFFERSTOERRELSE {
            self.zip.skriv(b)?;
        }
        Ok(())
    }
}

/// Checks that `celle` fits its column and Excel's limits. `raekke` is the
/// Excel row number used in error messages.
fn kontroller(ark: &str, raekke: u32, kolonne: &Kolonnestil, celle: &Celle) -> Result<(), ExcelFejl> {
    let passer = matches!(
        (kolonne.art, celle),
        (_, Celle::Tom | Celle::Anmaerkning(_))
            | (Celleart::Tekst, Celle::Tekst(_))
            | (Celleart::Heltal, Celle::Heltal(_))
            | (Celleart::Decimal { .. }, Celle::Heltal(_) | Celle::Decimal(_))
            | (Celleart::Dato, Celle::Dato(_))
    );
    if !passer {
        return Err(ExcelFejl::ForkertCelletype {
            ark: ark.to_owned(),
            raekke,
            kolonne: kolonne.overskrift.clone(),
            forventet: kolonne.art.navn(),
            fik: celle.navn(),
        });
    }
    match celle {
        Celle::Tom => {}
        Celle::Tekst(tekst) | Celle::Anmaerkning(tekst) => {
            // A UTF-16 string is never longer than the UTF-8 one, so only
            // long texts need counting.
            if tekst.len() >= MAKS_TEGN_I_CELLE {
                let laengde = utf16_laengde(&neutraliser(tekst));
                if laengde > MAKS_TEGN_I_CELLE {
                    return Err(ExcelFejl::ForLangTekst {
                        ark: ark.to_owned(),
                        raekke,
                        kolonne: kolonne.overskrift.clone(),
                        laengde,
                    });
                }
            }
        }
        Celle::Heltal(tal) => {
            if !(-MAKS_HELTAL..=MAKS_HELTAL).contains(tal) {
                return Err(ExcelFejl::TalForStort {
                    ark: ark.to_owned(),
                    raekke,
                    kolonne: kolonne.overskrift.clone(),
                    vaerdi: *tal,
                });
            }
        }
        Celle::Decimal(tal) => {
            if !tal.is_finite() {
                return Err(ExcelFejl::UgyldigtTal {
                    ark: ark.to_owned(),
                    raekke,
                    kolonne: kolonne.overskrift.clone(),
                });
            }
        }
        Celle::Dato(dato) => {
            let foerste = NaiveDate::from_ymd_opt(1900, 1, 1);
            let sidste = NaiveDate::from_ymd_opt(9999, 12, 31);
            if foerste.is_none_or(|f| *dato < f) || sidste.is_none_or(|s| *dato > s) {
                return Err(ExcelFejl::DatoUdenforInterval {
                    ark: ark.to_owned(),
                    raekke,
                    kolonne: kolonne.overskrift.clone(),
                    dato: *dato,
                });
            }
        }
    }
    Ok(())
}

/// Why Excel would refuse a sheet name, or `None` for a good one.
fn arknavnefejl(navn: &str) -> Option<&'static str> {
    if navn.is_empty() {
        Some("navnet er tomt")
    } else if navn.chars().count() > 31 {
        Some("navnet er længere end 31 tegn")
    } else if navn.contains(['*', '?', ':', '[', ']', '\\', '/']) {
        Some("navnet indeholder et af tegnene * ? : [ ] \\ /")
    } else if navn.starts_with('\'') || navn.ends_with('\'') {
        Some("navnet begynder eller slutter med en apostrof")
    } else if navn.eq_ignore_ascii_case("History") {
        Some("Excel bruger selv navnet «History»")
    } else {
        None
    }
}

/// The number format code of a column kind.
fn talformat(art: Celleart) -> String {
    match art {
        Celleart::Tekst => "General".to_owned(),
        Celleart::Heltal => HELTALSFORMAT.to_owned(),
        Celleart::Decimal { decimaler } => {
            let decimaler = usize::from(decimaler.min(MAKS_DECIMALER));
            if decimaler == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(decimaler)) }
        }
        Celleart::Dato => DATOFORMAT.to_owned(),
    }
}

/// Excel's letters of a zero-based column number: 0 → A, 25 → Z, 26 → AA.
fn kolonnebogstaver(mut kolonne: usize) -> String {
    let mut bogstaver = Vec::new();
    loop {
        bogstaver.push(b'A' + u8::try_from(kolonne % 26).unwrap_or(0));
        if kolonne < 26 {
            break;
        }
        kolonne = kolonne / 26 - 1;
    }
    bogstaver.reverse();
    String::from_utf8(bogstaver).unwrap_or_default()
}

/// A column width as Excel stores it: the character count plus the cell's
/// padding, in 1/256 of a character of the default font (Calibri 11, 7 pixels
/// a character, 5 pixels of padding).
fn excel_bredde(bredde: f64) -> f64 {
    if bredde <= 0.0 {
        return 0.0;
    }
    let pixels = if bredde < 1.0 { (bredde * 12.0 + 0.5).floor() } else { (bredde * 7.0 + 0.5).floor() + 5.0 };
    (pixels / 7.0 * 256.0).floor() / 256.0
}

/// A date as Excel's serial number: days since 1899-12-30 (1 = 1900-01-01).
/// Excel counts a 29 February 1900 that never was (a Lotus 1-2-3 bug it
/// kept), so the days before 1900-03-01 are one lower.
fn excel_serienummer(dato: NaiveDate) -> i64 {
    let dage = i64::from(dato.num_days_from_ce()) - i64::from(EXCEL_NUL.num_days_from_ce());
    if dato < FOERSTE_MARTS_1900 { dage - 1 } else { dage }
}

const EXCEL_NUL: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 30) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
const FOERSTE_MARTS_1900: NaiveDate = match NaiveDate::from_ymd_opt(1900, 3, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn skriv_heltal(b: &mut Vec<u8>, tal: u32) {
    b.extend_from_slice(itoa::Buffer::new().format(tal).as_bytes());
}

/// Writes `<t>…</t>` for a text: XML-escaped, with Excel's `_xHHHH_` escapes
/// for characters XML cannot carry, and `xml:space="preserve"` when the text
/// begins or ends with white space (which XML would otherwise let a reader
/// drop).
fn skriv_t(b: &mut Vec<u8>, tekst: &str) {
    let hvid = |c: Option<char>| c.is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    if hvid(tekst.chars().next()) || hvid(tekst.chars().next_back()) {
        b.extend_from_slice(b"<t xml:space=\"preserve\">");
    } else {
        b.extend_from_slice(b"<t>");
    }
    skriv_escaped(b, tekst.as_bytes());
    b.extend_from_slice(b"</t>");
}

/// XML-escapes UTF-8 text into `b`: `& < >` as entities, control characters
/// (but tab and line feed), U+FFFE and U+FFFF as `_xHHHH_`, and the `_` of a
/// literal `_xHHHH_` as `_x005F_` so it is not read as an escape.
fn skriv_escaped(b: &mut Vec<u8>, tekst: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut fra = 0;
    let mut i = 0;
    while i < tekst.len() {
        let c = tekst[i];
        let (erstatning, laengde): (&[u8], usize) = match c {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            0..=0x1f => {
                b.extend_from_slice(&tekst[fra..i]);
                b.extend_from_slice(b"_x00");
                b.push(HEX[usize::from(c >> 4)]);
                b.push(HEX[usize::from(c & 0xf)]);
                b.push(b'_');
                i += 1;
                fra = i;
                continue;
            }
            b'_' if er_excel_escape(&tekst[i..]) => (b"_x005F_", 1),
            0xEF if tekst.get(i + 1) == Some(&0xBF) && tekst.get(i + 2) == Some(&0xBE) => (b"_xFFFE_", 3),
            0xEF if tekst.get(i + 1) == Some(&0xBF) && tekst.get(i + 2) == Some(&0xBF) => (b"_xFFFF_", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        b.extend_from_slice(&tekst[fra..i]);
        b.extend_from_slice(erstatning);
        i += laengde;
        fra = i;
    }
    b.extend_from_slice(&tekst[fra..]);
}

/// Whether `tekst` starts with `_xHHHH_`, which Excel reads as an escaped
/// character.
fn er_excel_escape(tekst: &[u8]) -> bool {
    tekst.len() >= 7 && tekst[1] == b'x' && tekst[2..6].iter().all(u8::is_ascii_hexdigit) && tekst[6] == b'_'
}

/// XML-escapes a text for an attribute value in double quotes.
fn attribut(tekst: &str) -> String {
    let mut b = Vec::with_capacity(tekst.len());
    skriv_escaped(&mut b, tekst.as_bytes());
    String::from_utf8(b).unwrap_or_default().replace('"', "&quot;")
}

const XML_ERKLAERING: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const RODRELATIONER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

/// `xl/workbook.xml`: the sheets, and for each the hidden name Excel keeps
/// its autofilter range in.
fn workbook_xml(ark: &[Arkinfo]) -> String {
    let mut x = String::from_utf8_lossy(XML_ERKLAERING).into_owned();
    x.push_str(
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <bookViews><workbookView/></bookViews><sheets>",
    );
    for (i, a) in ark.iter().enumerate() {
        let nr = i + 1;
        x.push_str(&format!("<sheet name=\"{}\" sheetId=\"{nr}\" r:id=\"rId{nr}\"/>", attribut(&a.navn)));
    }
    x.push_str("</sheets><definedNames>");
    for (i, a) in ark.iter().enumerate() {
        // A sheet name in a reference is quoted, with its apostrophes doubled.
        let reference = format!(
            "'{}'!$A$1:${}${}",
            a.navn.replace('\'', "''"),
            kolonnebogstaver(usize::from(a.sidste_kolonne)),
            a.dataraekker + 1
        );
        x.push_str(&format!(
            "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">{}</definedName>",
            attribut(&reference)
        ));
    }
    x.push_str("</definedNames></workbook>");
    x
}

fn workbook_rels(ark: usize) -> String {
    let mut x = String::from_utf8_lossy(XML_ERKLAERING).into_owned();
    x.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for nr in 1..=ark {
        x.push_str(&format!(
            "<Relationship Id=\"rId{nr}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{nr}.xml\"/>"
        ));
    }
    x.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
        ark + 1
    ));
    x.push_str("</Relationships>");
    x
}

fn indholdstyper(ark: usize) -> String {
    let mut x = String::from_utf8_lossy(XML_ERKLAERING).into_owned();
    x.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    for nr in 1..=ark {
        x.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{nr}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    x.push_str("</Types>");
    x
}

/// `xl/styles.xml`: style 0 the default, 1 the bold heading, then one per
/// number format in `formater`.
fn styles_xml(formater: &[String]) -> String {
    let mut x = String::from_utf8_lossy(XML_ERKLAERING).into_owned();
    x.push_str("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    if !formater.is_empty() {
        x.push_str(&format!("<numFmts count=\"{}\">", formater.len()));
        for (i, f) in formater.iter().enumerate() {
            x.push_str(&format!("<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>", FOERSTE_FORMAT_ID + i, attribut(f)));
        }
        x.push_str("</numFmts>");
    }
    x.push_str(
        "<fonts count=\"2\">\
         <font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
         <font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
         </fonts>\
         <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
         <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    );
    x.push_str(&format!("<cellXfs count=\"{}\">", formater.len() + 2));
    x.push_str("<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>");
    x.push_str("<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>");
    for i in 0..formater.len() {
        x.push_str(&format!(
            "<xf numFmtId=\"{}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
            FOERSTE_FORMAT_ID + i
        ));
    }
    x.push_str(
        "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
         <dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>",
    );
    x
}

/// Length as Excel counts it: UTF-16 code units.
fn utf16_laengde(tekst: &str) -> usize {
    tekst.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutraliserer_hvert_farligt_foerste_tegn() {
        for (ind, ud) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tfane", "'\tfane"),
            ("\rretur", "'\rretur"),
            ("=", "'="),
        ] {
            let resultat = neutraliser(ind);
            assert_eq!(resultat, ud, "input {ind:?}");
            assert!(matches!(resultat, Cow::Owned(_)));
        }
    }

    #[test]
    fn lader_sikre_tekster_vaere() {
        for tekst in [
            "",
            "Bevilling",
            "Ærø Østergård Åbenrå",
            "æøå ÆØÅ",
            "1+1",
            "a=b",
            " =SUM(A1)",
            "'=allerede neutraliseret",
            "12-34",
            "\n=ny linje først",
        ] {
            let resultat = neutraliser(tekst);
            assert_eq!(resultat, tekst);
            assert!(matches!(resultat, Cow::Borrowed(_)), "input {tekst:?}");
        }
    }

    fn kolonner() -> Vec<Kolonne> {
        vec![
            Kolonne { overskrift: "Navn".into(), art: Celleart::Tekst, bredde: 20.0 },
            Kolonne { overskrift: "Antal".into(), art: Celleart::Heltal, bredde: 10.0 },
            Kolonne { overskrift: "Timer".into(), art: Celleart::Decimal { decimaler: 2 }, bredde: 10.0 },
            Kolonne { overskrift: "Dato".into(), art: Celleart::Dato, bredde: 12.0 },
        ]
    }

    #[test]
    fn afviser_vaerdier_excel_ikke_kan_rumme() {
        let mut bog = Arbejdsbog::i_hukommelse();
        let mut ark = bog.nyt_ark("Ark", &kolonner()).unwrap();
        let dato = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let god = |navn: Celle, antal: Celle, timer: Celle, dato: Celle| [navn, antal, timer, dato];

        let for_lang = Celle::Tekst("x".repeat(MAKS_TEGN_I_CELLE + 1));
        let lige_for_lang = Celle::Tekst(format!("={}", "x".repeat(MAKS_TEGN_I_CELLE - 1)));
        let cases = [
            god(for_lang, Celle::Tom, Celle::Tom, Celle::Tom),
            god(lige_for_lang, Celle::Tom, Celle::Tom, Celle::Tom),
            god(Celle::Tom, Celle::Heltal(MAKS_HELTAL + 1), Celle::Tom, Celle::Tom),
            god(Celle::Tom, Celle::Tom, Celle::Decimal(f64::NAN), Celle::Tom),
            god(Celle::Tom, Celle::Tom, Celle::Decimal(f64::INFINITY), Celle::Tom),
            god(Celle::Tom, Celle::Tom, Celle::Tom, Celle::Dato(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap())),
            god(Celle::Tom, Celle::Decimal(1.5), Celle::Tom, Celle::Tom),
            god(Celle::Dato(dato), Celle::Tom, Celle::Tom, Celle::Tom),
        ];
        for raekke in cases {
            let fejl = ark.skriv_raekke(&raekke).unwrap_err();
            assert!(fejl.to_string().contains("række 2"), "{fejl}");
        }
        assert!(matches!(
            ark.skriv_raekke(&[Celle::Tom]),
            Err(ExcelFejl::ForkertAntalCeller { forventet: 4, fik: 1, .. })
        ));
        assert_eq!(ark.antal_raekker(), 0);

        // The limits themselves are fine, and a Heltal fits a decimal column.
        ark.skriv_raekke(&[
            Celle::Tekst("x".repeat(MAKS_TEGN_I_CELLE)),
            Celle::Heltal(-MAKS_HELTAL),
            Celle::Heltal(3),
            Celle::Dato(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
        ])
        .unwrap();
        assert_eq!(ark.antal_raekker(), 1);
        assert!(bog.til_bytes().unwrap().starts_with(b"PK"));
    }

    #[test]
    fn afviser_ugyldige_ark() {
        let mut bog = Arbejdsbog::i_hukommelse();
        bog.nyt_ark("Bevillinger", &kolonner()).unwrap();
        for navn in ["bevillinger", "", "a/b", "'x", "history", &"x".repeat(32)] {
            let fejl = bog.nyt_ark(navn, &kolonner()).err().unwrap();
            assert!(matches!(fejl, ExcelFejl::UgyldigtArknavn { .. }), "{navn}: {fejl}");
        }
        assert!(matches!(bog.nyt_ark("Tom", &[]).err().unwrap(), ExcelFejl::IngenKolonner { .. }));
        let mut bred = kolonner();
        bred[0].bredde = 300.0;
        assert!(matches!(bog.nyt_ark("Bred", &bred).err().unwrap(), ExcelFejl::UgyldigBredde { .. }));
        // The failed attempts left no half-made sheets behind.
        bog.nyt_ark("Tillægsbevillinger", &kolonner()).unwrap();
        assert_eq!(
            bog.ark.iter().map(|a| a.navn_lille.as_str()).collect::<Vec<_>>(),
            ["bevillinger", "tillægsbevillinger"]
        );
        assert!(bog.til_bytes().is_ok());
    }

    #[test]
    fn arket_fyldes_ved_excels_raekkegraense() {
        let mut bog = Arbejdsbog::i_hukommelse();
        let mut ark = bog.nyt_ark("Fuldt", &kolonner()[..1]).unwrap();
        // Jump ahead instead of writing a million rows in a unit test.
        ark.ark.dataraekker = MAKS_DATARAEKKER - 1;
        ark.skriv_raekke(&[Celle::Tekst("sidste".into())]).unwrap();
        assert!(matches!(
            ark.skriv_raekke(&[Celle::Tekst("en for meget".into())]),
            Err(ExcelFejl::ForMangeRaekker { .. })
        ));
        assert!(bog.til_bytes().is_ok());
    }

    #[test]
    fn fejlbeskeder_er_danske() {
        let fejl = ExcelFejl::ForMangeRaekker { ark: "Tillægsbevillinger".into() };
        assert_eq!(
            fejl.to_string(),
            "arket «Tillægsbevillinger» har nået Excels grænse på 1.048.575 rækker under overskriften"
        );
    }

    #[test]
    fn decimalformater() {
        assert_eq!(talformat(Celleart::Decimal { decimaler: 0 }), "#,##0");
        assert_eq!(talformat(Celleart::Decimal { decimaler: 200 }), format!("#,##0.{}", "0".repeat(15)));
    }

    #[test]
    fn kolonnebogstaver_som_excel() {
        for (nr, bogstaver) in
            [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")]
        {
            assert_eq!(kolonnebogstaver(nr), bogstaver);
        }
    }

    #[test]
    fn datoer_som_excels_serienumre() {
        let d = |a, m, dag| NaiveDate::from_ymd_opt(a, m, dag).unwrap();
        // Excel's own numbers, including its phantom 29 February 1900 (= 60).
        for (dato, nr) in [
            (d(1900, 1, 1), 1),
            (d(1900, 2, 28), 59),
            (d(1900, 3, 1), 61),
            (d(2026, 12, 3), 46_359),
            (d(9999, 12, 31), 2_958_465),
        ] {
            assert_eq!(excel_serienummer(dato), nr, "{dato}");
        }
    }

    #[test]
    fn escaper_det_xml_ikke_kan_baere() {
        let mut b = Vec::new();
        skriv_escaped(&mut b, "a<b>&c\u{1}\r\t\n_x0041_ _xZZ_ \u{FFFE}\u{FFFF}ø".as_bytes());
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "a&lt;b&gt;&amp;c_x0001__x000D_\t\n_x005F_x0041_ _xZZ_ _xFFFE__xFFFF_ø"
        );
    }

    /// A destination that fails after some bytes, as a full disk does.
    struct FuldDisk {
        plads: usize,
        inde: Cursor<Vec<u8>>,
    }

    impl Write for FuldDisk {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            if data.len() > self.plads {
                return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "disken er fuld"));
            }
            self.plads -= data.len();
            self.inde.write(data)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for FuldDisk {
        fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
            self.inde.seek(pos)
        }
    }

    #[test]
    fn en_fuld_disk_giver_en_fejl_ikke_et_nedbrud() {
        let mut bog = Arbejdsbog::i(FuldDisk { plads: 100_000, inde: Cursor::new(Vec::new()) });
        let mut ark = bog.nyt_ark("Ark", &kolonner()).unwrap();
        let dato = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let mut fejl = None;
        for i in 0..200_000 {
            let raekke = [Celle::Tekst(format!("række {i}")), Celle::Heltal(i), Celle::Decimal(1.5), Celle::Dato(dato)];
            if let Err(e) = ark.skriv_raekke(&raekke) {
                fejl = Some(e);
                break;
            }
        }
        // The failure surfaces at a row or at the end, as the disk's own error.
        let fejl = match fejl {
            Some(e) => e,
            None => bog.afslut().err().expect("en fuld disk kan ikke give en færdig fil"),
        };
        assert!(matches!(fejl, ExcelFejl::Skrivning(_) | ExcelFejl::Zip(_)), "{fejl:?}");
        assert!(fejl.to_string().starts_with("Excel-filen kunne ikke"), "{fejl}");
    }
}
