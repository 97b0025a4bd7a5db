//! Streaming Excel (xlsx) export.
//!
//! The writer knows nothing about the database: the caller describes the
//! columns of a sheet with [`Kolonne`] and then feeds it one row of [`Celle`]s
//! at a time. Sheet names and column headings are Danish text supplied by the
//! caller.
//!
//! # Constant memory
//!
//! Every sheet is created in `rust_xlsxwriter`'s "constant memory" mode: when
//! a row is finished it is flushed as XML to a temporary file (one per sheet),
//! so only the current row is held in memory. Strings are stored inline in the
//! cells instead of in a shared-string table, which keeps memory flat at the
//! cost of a somewhat larger file. The temporary files live in
//! [`std::env::temp_dir`] unless [`Arbejdsbog::saet_tempmappe`] says otherwise;
//! if that directory is a RAM disk (tmpfs) the memory saving is lost.
//! The file is compressed at a low zip level by default, trading some file
//! size for speed (see [`STANDARD_KOMPRIMERING`]).
//!
//! Rows must be written in order, and a sheet must be completely written before
//! the next one is started. The API enforces both: [`ArkSkriver`] borrows the
//! workbook mutably, so it has to be dropped before [`Arbejdsbog::nyt_ark`] or
//! [`Arbejdsbog::gem`] can be called again, and it only appends rows.
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

use std::borrow::Cow;
use std::io::{Seek, Write};
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

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

/// Default zip (deflate) level. Compressing the sheet XML is about half of
/// the export time. Measured with `examples/excel_bench.rs` (100,000 rows ×
/// 25 columns, CPU time): level 1 took 2.0 s for a 29 MB file, level 2 2.2 s
/// for 20 MB, level 3 2.4 s for 19 MB, and `rust_xlsxwriter`'s default level
/// 6 3.3 s for 17 MB. Level 2 keeps the issue's 3 s target with margin at a
/// modest size cost; see [`Arbejdsbog::saet_komprimering`].
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
}

impl Celle {
    fn navn(&self) -> &'static str {
        match self {
            Celle::Tom => "tom",
            Celle::Tekst(_) => "tekst",
            Celle::Heltal(_) => "heltal",
            Celle::Decimal(_) => "decimaltal",
            Celle::Dato(_) => "dato",
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
    /// The underlying writer failed (temporary file, disk, zip).
    #[error("Excel-filen kunne ikke skrives: {0}")]
    Xlsx(#[from] XlsxError),
}

/// A workbook whose sheets are streamed to temporary files.
///
/// ```
/// use documents::excel::{Arbejdsbog, Celle, Celleart, Kolonne};
///
/// let mut bog = Arbejdsbog::ny();
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
pub struct Arbejdsbog {
    bog: Workbook,
    /// Lower-cased names of the sheets so far (Excel compares names without
    /// regard to case).
    arknavne: Vec<String>,
    /// The sheet being written, finished when the next one starts or the
    /// workbook is saved.
    aabent: Option<AabentArk>,
}

/// Bookkeeping for the sheet being written.
struct AabentArk {
    indeks: usize,
    navn: String,
    sidste_kolonne: u16,
    dataraekker: u32,
    kolonner: Vec<Kolonnestil>,
}

/// A column prepared for writing.
struct Kolonnestil {
    overskrift: String,
    art: Celleart,
}

impl Default for Arbejdsbog {
    fn default() -> Self {
        Self::ny()
    }
}

impl Arbejdsbog {
    /// An empty workbook.
    #[must_use]
    pub fn ny() -> Self {
        let mut bog = Workbook::new();
        bog.set_zip_compression_level(STANDARD_KOMPRIMERING);
        Self { bog, arknavne: Vec::new(), aabent: None }
    }

    /// Sets the zip (deflate) level, 1 (fastest) to 9 (smallest); values
    /// outside are clamped. The default is [`STANDARD_KOMPRIMERING`].
    pub fn saet_komprimering(&mut self, niveau: u8) {
        self.bog.set_zip_compression_level(niveau.clamp(1, 9));
    }

    /// Puts the temporary files of the sheets that follow in `mappe` instead
    /// of the system's temporary directory (useful when that is a RAM disk).
    ///
    /// # Errors
    /// [`ExcelFejl::Xlsx`] when no file can be created in `mappe`.
    pub fn saet_tempmappe(&mut self, mappe: &Path) -> Result<(), ExcelFejl> {
        self.bog.set_tempdir(mappe)?;
        Ok(())
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
    /// `* ? : [ ] \ /`, a leading or trailing `'`) or already used in the
    /// workbook, no columns or too many, a width outside 0–255, a heading over
    /// the cell limit, or a failure to create the temporary file.
    pub fn nyt_ark(&mut self, navn: &str, kolonner: &[Kolonne]) -> Result<ArkSkriver<'_>, ExcelFejl> {
        self.afslut_aabent_ark()?;

        let navn_lille = navn.to_lowercase();
        if self.arknavne.contains(&navn_lille) {
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

        let mut ark = self.bog.new_worksheet_with_constant_memory()?;
        ark.set_name(navn)
            .map_err(|fejl| ExcelFejl::UgyldigtArknavn { navn: navn.to_owned(), aarsag: arknavnefejl(&fejl) })?;

        let fed = Format::new().set_bold();
        let mut stile = Vec::with_capacity(kolonner.len());
        for (kolonnenummer, kolonne) in (0..=sidste_kolonne).zip(kolonner) {
            if !(0.0..=MAKS_BREDDE).contains(&kolonne.bredde) {
                return Err(ExcelFejl::UgyldigBredde {
                    ark: navn.to_owned(),
                    kolonne: kolonne.overskrift.clone(),
                    bredde: kolonne.bredde,
                });
            }
            ark.set_column_width(kolonnenummer, kolonne.bredde)?;

            let overskrift = neutraliser(&kolonne.overskrift);
            let laengde = utf16_laengde(&overskrift);
            if laengde > MAKS_TEGN_I_CELLE {
                return Err(ExcelFejl::ForLangTekst {
                    ark: navn.to_owned(),
                    raekke: 1,
                    kolonne: kolonne.overskrift.clone(),
                    laengde,
                });
            }
            ark.write_string_with_format(0, kolonnenummer, overskrift, &fed)?;

            // The number format is set on the column, and cells are written
            // unformatted so that they inherit it when the row is flushed.
            // This avoids hashing a `Format` for every cell (about 10% of the
            // row-writing time in excel_bench).
            if kolonne.art != Celleart::Tekst {
                ark.set_column_format(kolonnenummer, &talformat(kolonne.art))?;
            }

            stile.push(Kolonnestil { overskrift: kolonne.overskrift.clone(), art: kolonne.art });
        }
        ark.set_freeze_panes(1, 0)?;

        self.bog.push_worksheet(ark);
        let indeks = self.arknavne.len();
        self.arknavne.push(navn_lille);
        let tilstand = self.aabent.insert(AabentArk {
            indeks,
            navn: navn.to_owned(),
            sidste_kolonne,
            dataraekker: 0,
            kolonner: stile,
        });
        let ark = self.bog.worksheet_from_index(indeks)?;
        Ok(ArkSkriver { ark, tilstand })
    }

    /// Finishes the workbook and writes it to `sti`, replacing any file
    /// there. The zip container is streamed to the file.
    ///
    /// # Errors
    /// [`ExcelFejl::Xlsx`] when the file or a temporary file cannot be
    /// written.
    pub fn gem(mut self, sti: &Path) -> Result<(), ExcelFejl> {
        self.afslut_aabent_ark()?;
        self.bog.save(sti)?;
        Ok(())
    }

    /// Finishes the workbook and streams it into `maal` (a file, a socket
    /// wrapper, …).
    ///
    /// # Errors
    /// [`ExcelFejl::Xlsx`] when writing fails.
    pub fn skriv_til<W: Write + Seek + Send>(mut self, maal: W) -> Result<(), ExcelFejl> {
        self.afslut_aabent_ark()?;
        self.bog.save_to_writer(maal)?;
        Ok(())
    }

    /// Finishes the workbook and returns the xlsx file as bytes. The whole
    /// (compressed) file is held in memory; prefer [`Arbejdsbog::gem`] for
    /// large exports.
    ///
    /// # Errors
    /// [`ExcelFejl::Xlsx`] when a temporary file cannot be read.
    pub fn til_bytes(mut self) -> Result<Vec<u8>, ExcelFejl> {
        self.afslut_aabent_ark()?;
        Ok(self.bog.save_to_buffer()?)
    }

    /// Sets the autofilter of the open sheet over every row written to it.
    fn afslut_aabent_ark(&mut self) -> Result<(), ExcelFejl> {
        if let Some(ark) = self.aabent.take() {
            self.bog.worksheet_from_index(ark.indeks)?.autofilter(0, 0, ark.dataraekker, ark.sidste_kolonne)?;
        }
        Ok(())
    }
}

/// Writes the rows of one sheet, in order.
///
/// Drop it (or let it go out of scope) before starting the next sheet or
/// saving the workbook.
pub struct ArkSkriver<'a> {
    ark: &'a mut Worksheet,
    tilstand: &'a mut AabentArk,
}

impl ArkSkriver<'_> {
    /// The sheet's name.
    #[must_use]
    pub fn navn(&self) -> &str {
        &self.tilstand.navn
    }

    /// Number of data rows written so far (the header not counted).
    #[must_use]
    pub fn antal_raekker(&self) -> u32 {
        self.tilstand.dataraekker
    }

    /// Appends one row below the previous one. `celler` holds one cell per
    /// column, in column order.
    ///
    /// # Errors
    /// See [`ExcelFejl`]: a full sheet, a wrong number of cells, a cell that
    /// does not match its column or exceeds Excel's limits. The row is checked
    /// before anything is written, so after an error the sheet is unchanged.
    pub fn skriv_raekke(&mut self, celler: &[Celle]) -> Result<(), ExcelFejl> {
        let tilstand = &*self.tilstand;
        if tilstand.dataraekker >= MAKS_DATARAEKKER {
            return Err(ExcelFejl::ForMangeRaekker { ark: tilstand.navn.clone() });
        }
        // Zero-based sheet row; the header is row 0.
        let raekke = tilstand.dataraekker + 1;
        if celler.len() != tilstand.kolonner.len() {
            return Err(ExcelFejl::ForkertAntalCeller {
                ark: tilstand.navn.clone(),
                raekke: raekke + 1,
                forventet: tilstand.kolonner.len(),
                fik: celler.len(),
            });
        }
        for (kolonne, celle) in tilstand.kolonner.iter().zip(celler) {
            kontroller(&tilstand.navn, raekke + 1, kolonne, celle)?;
        }

        for (kolonnenummer, celle) in (0..=tilstand.sidste_kolonne).zip(celler) {
            match celle {
                Celle::Tom => {}
                Celle::Tekst(tekst) => {
                    self.ark.write_string(raekke, kolonnenummer, neutraliser(tekst))?;
                }
                Celle::Heltal(tal) => {
                    // Checked above to lie within ±2^53, so the conversion is exact.
                    #[expect(clippy::cast_precision_loss, reason = "checked to be exact")]
                    let tal = *tal as f64;
                    self.ark.write_number(raekke, kolonnenummer, tal)?;
                }
                Celle::Decimal(tal) => {
                    self.ark.write_number(raekke, kolonnenummer, *tal)?;
                }
                Celle::Dato(dato) => {
                    self.ark.write_datetime(raekke, kolonnenummer, dato)?;
                }
            }
        }
        self.tilstand.dataraekker += 1;
        Ok(())
    }
}

/// Checks that `celle` fits its column and Excel's limits. `raekke` is the
/// Excel row number used in error messages.
fn kontroller(ark: &str, raekke: u32, kolonne: &Kolonnestil, celle: &Celle) -> Result<(), ExcelFejl> {
    let passer = matches!(
        (kolonne.art, celle),
        (_, Celle::Tom)
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
        Celle::Tekst(tekst) => {
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

/// The cell format of a column kind.
fn talformat(art: Celleart) -> Format {
    match art {
        Celleart::Tekst => Format::new(),
        Celleart::Heltal => Format::new().set_num_format(HELTALSFORMAT),
        Celleart::Decimal { decimaler } => {
            let decimaler = usize::from(decimaler.min(MAKS_DECIMALER));
            let format = if decimaler == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(decimaler)) };
            Format::new().set_num_format(format)
        }
        Celleart::Dato => Format::new().set_num_format(DATOFORMAT),
    }
}

/// Length as Excel counts it: UTF-16 code units.
fn utf16_laengde(tekst: &str) -> usize {
    tekst.encode_utf16().count()
}

/// A Danish reason for a sheet name `rust_xlsxwriter` rejected.
fn arknavnefejl(fejl: &XlsxError) -> String {
    match fejl {
        XlsxError::SheetnameCannotBeBlank(_) => "navnet er tomt".to_owned(),
        XlsxError::SheetnameLengthExceeded(_) => "navnet er længere end 31 tegn".to_owned(),
        XlsxError::SheetnameContainsInvalidCharacter(_) => "navnet indeholder et af tegnene * ? : [ ] \\ /".to_owned(),
        XlsxError::SheetnameStartsOrEndsWithApostrophe(_) => "navnet begynder eller slutter med en apostrof".to_owned(),
        andet => andet.to_string(),
    }
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
        let mut bog = Arbejdsbog::ny();
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
        let mut bog = Arbejdsbog::ny();
        bog.nyt_ark("Bevillinger", &kolonner()).unwrap();
        for navn in ["bevillinger", "", "a/b", "'x", &"x".repeat(32)] {
            let fejl = bog.nyt_ark(navn, &kolonner()).err().unwrap();
            assert!(matches!(fejl, ExcelFejl::UgyldigtArknavn { .. }), "{navn}: {fejl}");
        }
        assert!(matches!(bog.nyt_ark("Tom", &[]).err().unwrap(), ExcelFejl::IngenKolonner { .. }));
        let mut bred = kolonner();
        bred[0].bredde = 300.0;
        assert!(matches!(bog.nyt_ark("Bred", &bred).err().unwrap(), ExcelFejl::UgyldigBredde { .. }));
        // The failed attempts left no half-made sheets behind.
        bog.nyt_ark("Tillægsbevillinger", &kolonner()).unwrap();
        assert_eq!(bog.arknavne, ["bevillinger", "tillægsbevillinger"]);
        assert!(bog.til_bytes().is_ok());
    }

    #[test]
    fn arket_fyldes_ved_excels_raekkegraense() {
        let mut bog = Arbejdsbog::ny();
        let mut ark = bog.nyt_ark("Fuldt", &kolonner()[..1]).unwrap();
        // Jump ahead instead of writing a million rows in a unit test.
        ark.tilstand.dataraekker = MAKS_DATARAEKKER - 1;
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
        assert_eq!(talformat(Celleart::Decimal { decimaler: 0 }), Format::new().set_num_format("#,##0"));
        assert_eq!(
            talformat(Celleart::Decimal { decimaler: 200 }),
            Format::new().set_num_format(format!("#,##0.{}", "0".repeat(15)))
        );
    }
}
