//! PDF letters: the application (ansøgning), the grant (bevilling) and the rejection
//! (afslag), typeset by typst as a library and written as tagged PDF.
//!
//! The templates are typst files compiled into the binary (`pdf/*.typ`). The data never
//! becomes typst markup: it is serialised to JSON and the template reads it with
//! `json("/data.json")`, so a user's text is a string value and comes out verbatim, whatever
//! characters it holds. The fonts are typst-assets' Libertinus Serif, embedded in the binary;
//! nothing is read from disk or network at run time (docs/decisions.md 46).

use chrono::NaiveDate;
use serde_json::{Value, json};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// What can go wrong while making a PDF. The messages are Danish; the typst diagnostics
/// (template faults, never user text) are kept for the log.
#[derive(Debug, thiserror::Error)]
pub enum PdfFejl {
    #[error("PDF-skabelonen kunne ikke sættes: {0}")]
    Skabelon(String),
    #[error("PDF-filen kunne ikke skrives: {0}")]
    Eksport(String),
    #[error("Data til PDF-filen kunne ikke forberedes: {0}")]
    Data(String),
}

/// The letter head every document carries: who sends it, which case, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brevhoved {
    /// The jobcentre's name, e.g. "Jobcenter København".
    pub jobcenter: String,
    /// The case's VITAS id.
    pub vitas_id: i64,
    /// The letter's date (the date received, or the decision date).
    pub dato: NaiveDate,
}

/// The company the letter concerns or comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VirksomhedPdf {
    pub navn: String,
    pub cvr: String,
    pub pnummer: String,
}

/// One section of a letter: a heading and its (label, value) rows; empty values are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSektion {
    pub titel: String,
    pub raekker: Vec<(String, String)>,
}

/// The signed application as the company sent it, for any scheme: the summary's sections
/// as the caller read them from the scheme's form. Strings are shown as given: the caller
/// decides what a reader may see (e.g. a masked CPR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsoegningPdf {
    pub hoved: Brevhoved,
    pub virksomhed: VirksomhedPdf,
    /// "Ansøgning om virksomhedspraktik".
    pub titel: String,
    pub sektioner: Vec<PdfSektion>,
    /// Long texts (heading, text), each in full: never cut (seed 001 §4.2).
    pub fritekster: Vec<(String, String)>,
    pub bemaerkning: String,
    /// Who signed and when, as recorded with the application; empty if not signed.
    pub underskrevet_af: String,
    pub underskrevet: String,
    /// The citizen's signature on an agreement the citizen signs too; empty otherwise or
    /// until the citizen has signed (left out of the letter then).
    pub borger_underskrevet_af: String,
    pub borger_underskrevet: String,
}

/// The grant letter to the company (the jobcentre approved the application).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BevillingPdf {
    pub hoved: Brevhoved,
    pub virksomhed: VirksomhedPdf,
    /// "Bevilling af virksomhedspraktik".
    pub titel: String,
    /// The scheme inside a sentence: "har bevilget virksomhedspraktik til …".
    pub ordning: String,
    pub borger_navn: String,
    /// Masked (DDMMYY-XXXX) in a letter to the company (docs/decisions.md 46).
    pub cpr: String,
    pub stillingsbetegnelse: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    /// The current end date, when an extension or termination has moved it.
    pub aktuel_slutdato: Option<NaiveDate>,
    pub timer: String,
    /// Empty where the scheme has no wage (left out of the letter).
    pub timeloen: String,
    /// What the caseworker decided besides "yes" (label, value): the subsidy cap, the work
    /// intensity; empty where the scheme's decision has no fields.
    pub afgoerelse: Vec<(&'static str, String)>,
    /// Never cut (seed 001 §4.2).
    pub jobindhold: String,
}

/// The rejection letter to the company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfslagPdf {
    pub hoved: Brevhoved,
    pub virksomhed: VirksomhedPdf,
    /// "Afslag på ansøgning om virksomhedspraktik".
    pub titel: String,
    pub borger_navn: String,
    /// Masked (DDMMYY-XXXX) in a letter to the company (docs/decisions.md 46).
    pub cpr: String,
    pub stillingsbetegnelse: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    /// The text the caseworker sent, based on `domain::tekster::standard_afslag`; the caller
    /// passes it in. Paragraphs are separated by blank lines. Never cut.
    pub afslagstekst: String,
}

/// "03-12-2026", as everywhere else in VITAS (domain::periode::dansk_dato).
fn dato(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default()
}

fn periode(start: Option<NaiveDate>, slut: Option<NaiveDate>) -> String {
    match (start, slut) {
        (Some(_), Some(_)) => format!("{} – {}", dato(start), dato(slut)),
        (Some(_), None) => format!("Fra {}", dato(start)),
        (None, Some(_)) => format!("Til {}", dato(slut)),
        (None, None) => String::new(),
    }
}

/// Windows line ends and stray carriage returns would show as odd glyphs.
fn tekst(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn hoved(h: &Brevhoved, titel: &str) -> Value {
    json!({
        "titel": titel,
        "jobcenter": tekst(&h.jobcenter),
        "vitas_id": h.vitas_id.to_string(),
        "dato": dato(Some(h.dato)),
    })
}

fn virksomhed(v: &VirksomhedPdf) -> Value {
    json!({ "navn": tekst(&v.navn), "cvr": tekst(&v.cvr), "pnummer": tekst(&v.pnummer) })
}

/// A list of (label, value) rows; empty values are left out.
fn raekker(par: &[(&str, String)]) -> Value {
    Value::Array(par.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| json!([k, tekst(v)])).collect())
}

/// The application as a PDF.
pub fn ansoegning(a: &AnsoegningPdf) -> Result<Vec<u8>, PdfFejl> {
    let mut sektioner = vec![json!({
        "titel": "Virksomheden",
        "raekker": raekker(&[
            ("Virksomhed", a.virksomhed.navn.clone()),
            ("CVR-nummer", a.virksomhed.cvr.clone()),
        ]),
    })];
    sektioner.extend(a.sektioner.iter().map(|s| {
        let par: Vec<(&str, String)> = s.raekker.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        json!({ "titel": tekst(&s.titel), "raekker": raekker(&par) })
    }));
    let data = json!({
        "hoved": hoved(&a.hoved, &a.titel),
        "virksomhed": virksomhed(&a.virksomhed),
        "sektioner": sektioner,
        "fritekster": a.fritekster.iter().filter(|(_, t)| !t.trim().is_empty()).map(|(titel, t)| json!({ "titel": tekst(titel), "tekst": tekst(t) })).collect::<Vec<_>>(),
        "bemaerkning": tekst(&a.bemaerkning),
        "underskrift": raekker(&[
            ("Underskrevet af", a.underskrevet_af.clone()),
            ("Underskrevet", a.underskrevet.clone()),
            ("Underskrevet af borgeren", a.borger_underskrevet_af.clone()),
            ("Borgeren underskrev", a.borger_underskrevet.clone()),
        ]),
    });
    render(Skabelon::Ansoegning, &data)
}

/// The grant letter as a PDF.
pub fn bevilling(b: &BevillingPdf) -> Result<Vec<u8>, PdfFejl> {
    let aktuel = b.aktuel_slutdato.filter(|d| Some(*d) != b.slutdato);
    let mut linjer = vec![
        ("Borger", b.borger_navn.clone()),
        ("CPR-nummer", b.cpr.clone()),
        ("Stillingsbetegnelse", b.stillingsbetegnelse.clone()),
        ("Bevillingsperiode", periode(b.startdato, b.slutdato)),
        ("Aktuel slutdato", dato(aktuel)),
        ("Timer pr. uge", b.timer.clone()),
        ("Timeløn (kr.)", b.timeloen.clone()),
    ];
    linjer.extend(b.afgoerelse.iter().cloned());
    linjer.push(("Arbejdssted (P-nummer)", b.virksomhed.pnummer.clone()));
    let data = json!({
        "hoved": hoved(&b.hoved, &b.titel),
        "virksomhed": virksomhed(&b.virksomhed),
        "ordning": tekst(&b.ordning),
        "borger_navn": tekst(&b.borger_navn),
        "raekker": raekker(&linjer),
        "jobindhold": tekst(&b.jobindhold),
    });
    render(Skabelon::Bevilling, &data)
}

/// The rejection letter as a PDF.
pub fn afslag(a: &AfslagPdf) -> Result<Vec<u8>, PdfFejl> {
    let data = json!({
        "hoved": hoved(&a.hoved, &a.titel),
        "virksomhed": virksomhed(&a.virksomhed),
        "raekker": raekker(&[
            ("Borger", a.borger_navn.clone()),
            ("CPR-nummer", a.cpr.clone()),
            ("Stillingsbetegnelse", a.stillingsbetegnelse.clone()),
            ("Ansøgt periode", periode(a.startdato, a.slutdato)),
        ]),
        "afslagstekst": tekst(&a.afslagstekst),
    });
    render(Skabelon::Afslag, &data)
}

/// One case in the citizen's extract, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndsigtSag {
    pub id: i64,
    pub ordning: String,
    pub status: String,
    pub oprettet: String,
}

/// One read in the citizen's extract, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndsigtLaesning {
    pub tidspunkt: String,
    pub hvem: String,
    pub rolle: String,
    pub formaal: String,
    pub hvad: String,
}

/// The citizen's extract (GDPR Art. 15, issue 14 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndsigtPdf {
    /// Who makes it: STAR or the jobcentre.
    pub afsender: String,
    pub dannet: String,
    pub cpr: String,
    pub omfang: String,
    pub sager: Vec<IndsigtSag>,
    pub laesninger: Vec<IndsigtLaesning>,
    pub afkortet: bool,
}

/// The citizen's extract as a PDF.
pub fn indsigt(i: &IndsigtPdf) -> Result<Vec<u8>, PdfFejl> {
    let data = json!({
        "titel": "Indsigt i oplysninger i VITAS",
        "afsender": tekst(&i.afsender),
        "dannet": tekst(&i.dannet),
        "cpr": tekst(&i.cpr),
        "omfang": tekst(&i.omfang),
        "sager": i.sager.iter().map(|s| json!({
            "id": s.id.to_string(), "ordning": tekst(&s.ordning), "status": tekst(&s.status), "oprettet": tekst(&s.oprettet),
        })).collect::<Vec<_>>(),
        "laesninger": i.laesninger.iter().map(|l| json!({
            "tidspunkt": tekst(&l.tidspunkt), "hvem": tekst(&l.hvem), "rolle": tekst(&l.rolle),
            "formaal": tekst(&l.formaal), "hvad": tekst(&l.hvad),
        })).collect::<Vec<_>>(),
        "afkortet": i.afkortet,
    });
    render(Skabelon::Indsigt, &data)
}

/// Forget everything typst has memoised, so the next render starts cold (the standard library
/// and the fonts stay loaded). For `vitas-tools bench pdf`; the renders trim the cache themselves.
pub fn glem_mellemresultater() {
    typst::comemo::evict(0);
}

/// A one-line document through the same world, fonts and PDF writer: the baseline that
/// `vitas-tools bench pdf` sets a letter's cost against.
pub fn minimal() -> Result<Vec<u8>, PdfFejl> {
    render(Skabelon::Minimal, &json!({}))
}

// ---- typst ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Skabelon {
    Ansoegning,
    Bevilling,
    Afslag,
    Indsigt,
    Minimal,
}

/// The template files, compiled in. `brev.typ` is the shared letter frame they import.
const FILER: [(&str, &str); 6] = [
    ("/brev.typ", include_str!("pdf/brev.typ")),
    ("/ansoegning.typ", include_str!("pdf/ansoegning.typ")),
    ("/bevilling.typ", include_str!("pdf/bevilling.typ")),
    ("/afslag.typ", include_str!("pdf/afslag.typ")),
    ("/indsigt.typ", include_str!("pdf/indsigt.typ")),
    ("/minimal.typ", "#set text(lang: \"da\", font: \"Libertinus Serif\")\nVITAS\n"),
];

const DATA: &str = "/data.json";

impl Skabelon {
    fn sti(self) -> &'static str {
        match self {
            Skabelon::Ansoegning => "/ansoegning.typ",
            Skabelon::Bevilling => "/bevilling.typ",
            Skabelon::Afslag => "/afslag.typ",
            Skabelon::Indsigt => "/indsigt.typ",
            Skabelon::Minimal => "/minimal.typ",
        }
    }
}

fn fil_id(sti: &str) -> Option<FileId> {
    VirtualPath::new(sti).ok().map(|v| RootedPath::new(VirtualRoot::Project, v).intern())
}

/// What every compilation shares: the standard library, the fonts and the template sources.
/// Built once per process; typst's own caches (comemo) then reuse work between letters.
struct Faelles {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    kilder: Vec<(FileId, Source)>,
    data_id: Option<FileId>,
}

static FAELLES: LazyLock<Faelles> = LazyLock::new(|| {
    // Libertinus Serif only: the letters use no other face, and a small font book is quick
    // to search. The files are part of the typst-assets crate, compiled into the binary.
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .filter(|f| f.info().family == "Libertinus Serif")
        .collect();
    let kilder = FILER
        .iter()
        .filter_map(|(sti, kilde)| fil_id(sti).map(|id| (id, Source::new(id, (*kilde).to_string()))))
        .collect();
    Faelles {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        kilder,
        data_id: fil_id(DATA),
    }
});

/// The minimal typst world: the templates and one data file, nothing else.
struct Verden {
    faelles: &'static Faelles,
    main: FileId,
    data: Bytes,
}

impl World for Verden {
    fn library(&self) -> &LazyHash<Library> {
        &self.faelles.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.faelles.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.faelles
            .kilder
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_with_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if Some(id) == self.faelles.data_id {
            return Ok(self.data.clone());
        }
        self.source(id).map(|s| Bytes::from_string(s.text().to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.faelles.fonts.get(index).cloned()
    }

    /// The letters print the date they are given; typst's clock is never used.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn diagnoser(d: &[SourceDiagnostic]) -> String {
    d.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

fn render(skabelon: Skabelon, data: &Value) -> Result<Vec<u8>, PdfFejl> {
    let faelles: &'static Faelles = &FAELLES;
    let main = fil_id(skabelon.sti()).ok_or_else(|| PdfFejl::Skabelon(format!("ugyldig sti {}", skabelon.sti())))?;
    let json = serde_json::to_vec(data).map_err(|e| PdfFejl::Data(e.to_string()))?;
    let verden = Verden { faelles, main, data: Bytes::new(json) };
    let dokument: PagedDocument = typst::compile(&verden).output.map_err(|d| PdfFejl::Skabelon(diagnoser(&d)))?;
    let pdf = typst_pdf::pdf(&dokument, &typst_pdf::PdfOptions::default()).map_err(|d| PdfFejl::Eksport(diagnoser(&d)));
    // typst memoises between compilations; drop what the last 10 renders did not use, so a
    // long-running server does not grow (the typst CLI does the same after each compile).
    typst::comemo::evict(10);
    pdf
}

#[cfg(test)]
mod tests;
