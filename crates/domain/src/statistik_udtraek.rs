//! The pseudonymised extract for STAR's statistical data warehouse (issue 12 §3; seed 003
//! "Statistik": everything registered in VITAS feeds the warehouse, GDPR art. 9(2)(j)).
//!
//! The pure part: the three tables and their columns (one list, which both the CSV header and
//! the schema file `datapackage.json` are written from), the period, the citizen's pseudonym
//! (HMAC-SHA256 with STAR's key), birth year and gender from the CPR, which fields of a record's
//! JSON are kept, and the CSV encoding. Storage reads the rows; the CLI and the API write them.
//! The format is documented in docs/statistik-udtraek.md (decisions 128–130).

use chrono::{DateTime, NaiveDate, Utc};

use crate::elementdata::{Bevillingsdata, Forlaengelsesdata, Ophoersdata};
use crate::ident::{Cpr, hmac_hex};
use crate::ophoer::Systemophoer;
use crate::status::Elementart;

/// The format's name and major version, in `datapackage.json` (`vitas:format`). A column
/// removed, renamed or changed in meaning raises the number; a column added at the end does
/// not (docs/statistik-udtraek.md "Versioning").
pub const FORMAT: &str = "vitas-statistik/1";

/// The rows one database read takes (keyset pages): memory stays flat whatever the period.
pub const SIDE: u64 = 1000;

/// The three files of an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tabel {
    Sager,
    Elementer,
    Statusskift,
}

impl Tabel {
    pub const ALLE: [Tabel; 3] = [Tabel::Sager, Tabel::Elementer, Tabel::Statusskift];

    /// The name in the API's address and in `datapackage.json`.
    pub fn navn(self) -> &'static str {
        match self {
            Tabel::Sager => "sager",
            Tabel::Elementer => "elementer",
            Tabel::Statusskift => "statusskift",
        }
    }

    pub fn fra_navn(navn: &str) -> Option<Tabel> {
        Tabel::ALLE.into_iter().find(|t| t.navn() == navn)
    }

    pub fn fil(self) -> String {
        format!("{}.csv", self.navn())
    }

    pub fn beskrivelse(self) -> &'static str {
        match self {
            Tabel::Sager => {
                "Hver sag med et statusskift i perioden eller oprettet i perioden, som den står ved udtrækket."
            }
            Tabel::Elementer => "Sagselementerne (ansøgning, bevilling, forlængelse, ophør) på sagerne i sager.csv.",
            Tabel::Statusskift => "Hvert statusskift (sagshændelse) i perioden.",
        }
    }

    pub fn kolonner(self) -> &'static [Kolonne] {
        match self {
            Tabel::Sager => SAGER,
            Tabel::Elementer => ELEMENTER,
            Tabel::Statusskift => STATUSSKIFT,
        }
    }

    /// The column every row is unique by.
    pub fn noegle(self) -> &'static str {
        match self {
            Tabel::Sager => "sag_uuid",
            Tabel::Elementer => "element_uuid",
            Tabel::Statusskift => "haendelse_id",
        }
    }

    /// The header line.
    pub fn overskrift(self) -> String {
        let navne: Vec<Option<String>> = self.kolonner().iter().map(|k| Some(k.navn.to_string())).collect();
        csv_linje(&navne)
    }
}

/// A column's type as Frictionless Table Schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Tekst,
    Heltal,
    Dato,
    Tidspunkt,
    Bool,
}

impl Type {
    pub fn frictionless(self) -> &'static str {
        match self {
            Type::Tekst => "string",
            Type::Heltal => "integer",
            Type::Dato => "date",
            Type::Tidspunkt => "datetime",
            Type::Bool => "boolean",
        }
    }
}

/// One column: its name, type and meaning (Danish, for STAR's analysts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kolonne {
    pub navn: &'static str,
    pub type_: Type,
    pub beskrivelse: &'static str,
}

const fn k(navn: &'static str, type_: Type, beskrivelse: &'static str) -> Kolonne {
    Kolonne { navn, type_, beskrivelse }
}

const SAGER: &[Kolonne] = &[
    k("sag_uuid", Type::Tekst, "Sagens eksterne id (UUID), det samme som i webservices og notifikationer."),
    k("ordning", Type::Tekst, "Ordningens kode, fx loentilskud."),
    k("sagsart", Type::Tekst, "Sagens art, fx ansoegning eller tillaegsbevilling."),
    k("ansoegning_status", Type::Tekst, "Ansøgningens status (kode)."),
    k("afgoerelse_status", Type::Tekst, "Afgørelsens status (kode)."),
    k("forlaengelse_status", Type::Tekst, "Forlængelsens status (kode)."),
    k("jobcenter_kommunekode", Type::Tekst, "Jobcentrets kommunekode (4 cifre); tom for en kladde uden jobcenter."),
    k("anden_aktoer", Type::Bool, "Om en anden aktør behandler sagen (ikke hvilken)."),
    k("hovedsag_uuid", Type::Tekst, "Hovedsagens id for en tillægsbevilling; ellers tom."),
    k("cvr", Type::Tekst, "Virksomhedens CVR-nummer."),
    k("startdato", Type::Dato, "Forløbets startdato."),
    k("slutdato", Type::Dato, "Forløbets aktuelle slutdato."),
    k("oprindelig_slutdato", Type::Dato, "Slutdatoen før forlængelser og ophør."),
    k("modtaget_dato", Type::Dato, "Dagen jobcentret modtog ansøgningen."),
    k("afgoerelse_dato", Type::Dato, "Dagen for afgørelsen."),
    k("godkendt_dato", Type::Dato, "Dagen bevillingen blev godkendt."),
    k("timer_hundrededele", Type::Heltal, "Timer pr. uge i hundrededele (37,5 timer = 3750)."),
    k("konfliktramt", Type::Bool, "Om virksomheden var konfliktramt (arbejdskonflikt)."),
    k("oprettet", Type::Tidspunkt, "Hvornår sagen blev oprettet (UTC)."),
    k(
        "borger_pseudonym",
        Type::Tekst,
        "Borgerens pseudonym: HMAC-SHA256 med STARs nøgle over CPR-nummerets 10 cifre, hex. Tom uden borger eller efter sletning.",
    ),
    k("borger_foedselsaar", Type::Heltal, "Borgerens fødselsår ifølge CPR-nummeret."),
    k("borger_koen", Type::Tekst, "mand eller kvinde ifølge CPR-nummerets sidste ciffer (ulige: mand)."),
];

const ELEMENTER: &[Kolonne] = &[
    k("element_uuid", Type::Tekst, "Sagselementets id (UUID)."),
    k("sag_uuid", Type::Tekst, "Sagens id (sager.csv)."),
    k("art", Type::Tekst, "ansoegning, bevilling, forlaengelse eller ophoer."),
    k("status", Type::Tekst, "Elementets status (kode)."),
    k("startdato", Type::Dato, "Elementets startdato."),
    k("slutdato", Type::Dato, "Elementets slutdato."),
    k("oprettet", Type::Tidspunkt, "Hvornår elementet blev oprettet (UTC)."),
    k("ophoer_aarsag_id", Type::Heltal, "Ophør: årsagens id inden for ordningen (seed 001 §2.1)."),
    k("ophoer_dfdg_kode", Type::Heltal, "Ophør: DFDG-ophørskoden; tom når årsagen ikke indberettes."),
    k(
        "ophoer_systemophoer",
        Type::Tekst,
        "Ophør foretaget af VITAS selv: bevilling_ikke_godkendt eller ordinaert_udloeb.",
    ),
    k("bevilling_tilskudsloft_procent", Type::Heltal, "Bevilling: tilskudsloftet i procent (50 eller 75)."),
    k(
        "bevilling_arbejdsintensitet_hundrededele",
        Type::Heltal,
        "Bevilling (fleksjob): arbejdsintensiteten i hundrededele procent (42,5 % = 4250).",
    ),
    k("forlaengelse_ansaettelsesbrev_gaelder", Type::Bool, "Forlængelse: om ansættelsesbrevet stadig gælder."),
];

const STATUSSKIFT: &[Kolonne] = &[
    k("haendelse_id", Type::Heltal, "Hændelsens løbenummer; stigende, entydigt på tværs af udtræk."),
    k("sag_uuid", Type::Tekst, "Sagens id (sager.csv)."),
    k("tidspunkt", Type::Tidspunkt, "Hvornår statusskiftet skete (UTC)."),
    k(
        "handling",
        Type::Tekst,
        "Handlingen som historikken gemmer den, fx GodkendAnsoegning eller Indsend { med_hoering: true }.",
    ),
    k("rolle", Type::Tekst, "Rollen der handlede (kode), fx virksomhed, sagsbehandler eller system."),
    k("fra_status", Type::Tekst, "Status før."),
    k("til_status", Type::Tekst, "Status efter."),
];

/// The period of an extract: whole Danish days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periode {
    pub fra: NaiveDate,
    pub til: NaiveDate,
}

/// The years an extract may name: VITAS holds nothing older, and a year past 2100 is a typo.
const FOERSTE_AAR: i32 = 2000;
const SIDSTE_AAR: i32 = 2100;

impl Periode {
    /// Both dates as `åååå-mm-dd` (or as a Dane types them, `periode::parse_dato`); `fra` not
    /// after `til`. The error is Danish and never repeats more than the field's name.
    pub fn parse(fra: &str, til: &str) -> Result<Periode, crate::FieldError> {
        use chrono::Datelike;
        let fra = crate::periode::parse_dato(fra, "fra")?;
        let til = crate::periode::parse_dato(til, "til")?;
        for (d, felt) in [(fra, "fra"), (til, "til")] {
            if !(FOERSTE_AAR..=SIDSTE_AAR).contains(&d.year()) {
                return Err(crate::FieldError::new(
                    felt,
                    format!("Datoen skal ligge mellem år {FOERSTE_AAR} og {SIDSTE_AAR}."),
                ));
            }
        }
        if fra > til {
            return Err(crate::FieldError::new("til", "Til-datoen må ikke ligge før fra-datoen."));
        }
        Ok(Periode { fra, til })
    }

    /// The first instant of the period (Danish midnight of `fra`, in UTC).
    pub fn start(&self) -> DateTime<Utc> {
        crate::periode::dansk_midnat(self.fra)
    }

    /// The first instant after the period (Danish midnight after `til`, in UTC).
    pub fn slut(&self) -> DateTime<Utc> {
        crate::periode::dansk_midnat(self.til.succ_opt().unwrap_or(self.til))
    }
}

/// STAR's key for the pseudonyms. It comes from `VITAS_STATISTIK_NOEGLE` or a file, never from
/// the database, and there is no default: without it no extract is made. `Debug` hides it.
#[derive(Clone)]
pub struct Noegle(Vec<u8>);

impl std::fmt::Debug for Noegle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Noegle(…)")
    }
}

impl Noegle {
    /// The shortest key: 32 bytes, the output size of SHA-256 (RFC 2104 §3).
    pub const MINDST: usize = 32;

    /// The key as hex (only hex digits, an even count) or as base64 (standard alphabet, with
    /// or without padding); surrounding whitespace ignored. At least 32 bytes.
    pub fn fra_tekst(tekst: &str) -> Result<Noegle, String> {
        use base64::Engine;
        let t = tekst.trim();
        let bytes = if !t.is_empty() && t.len().is_multiple_of(2) && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(t).ok()
        } else {
            let b64 = base64::engine::general_purpose::STANDARD;
            let uden = base64::engine::general_purpose::STANDARD_NO_PAD;
            b64.decode(t).or_else(|_| uden.decode(t)).ok()
        };
        match bytes {
            None => Err("Statistiknøglen skal skrives som hex eller base64.".into()),
            Some(b) if b.len() < Self::MINDST => Err(format!(
                "Statistiknøglen skal være mindst {} bytes (fx fra `openssl rand -hex 32`); den givne er {}.",
                Self::MINDST,
                b.len()
            )),
            Some(b) => Ok(Noegle(b)),
        }
    }

    /// The citizen's pseudonym: HMAC-SHA256 over the CPR number's 10 digits, lower-case hex
    /// (issue 12 §3). The same person has the same pseudonym in every extract with this key.
    pub fn pseudonym(&self, cpr: &Cpr) -> String {
        hmac_hex(&self.0, cpr.as_str().as_bytes())
    }
}

/// Gender as the CPR number tells it: the last digit odd is a man, even a woman (CPR-kontoret).
pub fn koen(cpr: &Cpr) -> &'static str {
    let sidste = cpr.as_str().bytes().last().unwrap_or(b'0');
    if (sidste - b'0') % 2 == 1 { "mand" } else { "kvinde" }
}

/// A case as stored (storage reads it; the CPR stays in memory for the batch only).
#[derive(Debug, Clone, Default)]
pub struct Sag {
    pub uuid: String,
    pub ordning: String,
    pub sagsart: String,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
    pub jobcenter_kommunekode: Option<String>,
    pub anden_aktoer: bool,
    pub hovedsag_uuid: Option<String>,
    pub cvr: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub oprindelig_slutdato: Option<NaiveDate>,
    pub modtaget_dato: Option<NaiveDate>,
    pub afgoerelse_dato: Option<NaiveDate>,
    pub godkendt_dato: Option<NaiveDate>,
    pub timer_hundrededele: Option<i32>,
    pub konfliktramt: bool,
    pub oprettet: DateTime<Utc>,
    /// As stored: 10 digits, or None (no citizen, or removed by retention; decision 76).
    pub cpr: Option<String>,
}

/// A case record as stored: its JSON `data` is read here and only the coded fields kept.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub uuid: String,
    pub sag_uuid: String,
    pub art: String,
    pub status: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub oprettet: DateTime<Utc>,
    pub data: String,
}

/// A history row, without its free text and without who acted (it names a person).
#[derive(Debug, Clone, Default)]
pub struct Statusskift {
    pub id: i64,
    pub sag_uuid: String,
    pub tidspunkt: DateTime<Utc>,
    pub handling: String,
    pub rolle: String,
    pub fra_status: Option<String>,
    pub til_status: Option<String>,
}

fn dato(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Frictionless' default datetime form: ISO 8601 in UTC, whole seconds.
fn tidspunkt(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn sandt(b: bool) -> Option<String> {
    Some(if b { "true" } else { "false" }.into())
}

impl Sag {
    /// The row in the order of the table's columns.
    pub fn felter(&self, noegle: &Noegle) -> Vec<Option<String>> {
        let cpr = self.cpr.as_deref().and_then(|c| Cpr::parse(c, "cpr").ok());
        vec![
            Some(self.uuid.clone()),
            Some(self.ordning.clone()),
            Some(self.sagsart.clone()),
            self.ansoegning_status.clone(),
            self.afgoerelse_status.clone(),
            self.forlaengelse_status.clone(),
            self.jobcenter_kommunekode.clone(),
            sandt(self.anden_aktoer),
            self.hovedsag_uuid.clone(),
            Some(self.cvr.clone()),
            dato(self.startdato),
            dato(self.slutdato),
            dato(self.oprindelig_slutdato),
            dato(self.modtaget_dato),
            dato(self.afgoerelse_dato),
            dato(self.godkendt_dato),
            self.timer_hundrededele.map(|t| t.to_string()),
            sandt(self.konfliktramt),
            Some(tidspunkt(self.oprettet)),
            cpr.as_ref().map(|c| noegle.pseudonym(c)),
            cpr.as_ref().map(|c| chrono::Datelike::year(&c.foedselsdato()).to_string()),
            cpr.as_ref().map(|c| koen(c).to_string()),
        ]
    }
}

/// The coded fields of a record's JSON (issue 12 §3: never free text, never a name). What is
/// left out, and why, is in docs/statistik-udtraek.md.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kodede {
    pub ophoer_aarsag_id: Option<u32>,
    pub ophoer_dfdg_kode: Option<u32>,
    pub ophoer_systemophoer: Option<String>,
    pub tilskudsloft_procent: Option<u32>,
    pub arbejdsintensitet_hundrededele: Option<u32>,
    pub ansaettelsesbrev_gaelder: Option<bool>,
}

/// The DFDG code of a stored termination: the number before the dash ("15 – …"); none for a
/// reason that is not reported ("Mappes ikke", seed 001 §2.1).
fn dfdg_kode(d: &Ophoersdata) -> Option<u32> {
    let fra_tekst = d.dfdg.as_deref().and_then(|t| {
        let cifre: String = t.trim().chars().take_while(char::is_ascii_digit).collect();
        cifre.parse().ok()
    });
    fra_tekst.or_else(|| d.systemophoer.as_deref().and_then(Systemophoer::fra_kode).map(|s| s.dfdg().id))
}

/// The coded fields of a record of kind `art` (a code from `Elementart`); nothing for data that
/// does not fit its kind, and nothing at all from an application (who signed is a name).
pub fn kodede(art: &str, json: &str) -> Kodede {
    match Elementart::fra_kode(art) {
        Some(Elementart::Ophoer) => match Ophoersdata::laes(json) {
            Some(d) => Kodede {
                ophoer_aarsag_id: d.aarsag_id,
                ophoer_dfdg_kode: dfdg_kode(&d),
                ophoer_systemophoer: d
                    .systemophoer
                    .as_deref()
                    .and_then(Systemophoer::fra_kode)
                    .map(|s| s.kode().into()),
                ..Kodede::default()
            },
            None => Kodede::default(),
        },
        Some(Elementart::Bevilling) => match Bevillingsdata::laes(json) {
            Some(d) => Kodede {
                tilskudsloft_procent: d.tilskudsloft().map(|l| l.procent()),
                arbejdsintensitet_hundrededele: d.arbejdsintensitet.map(|a| a.hundrededele()),
                ..Kodede::default()
            },
            None => Kodede::default(),
        },
        Some(Elementart::Forlaengelse) => Kodede {
            ansaettelsesbrev_gaelder: Forlaengelsesdata::laes(json).map(|d| d.ansaettelsesbrev_gaelder),
            ..Kodede::default()
        },
        Some(Elementart::Ansoegning) | None => Kodede::default(),
    }
}

impl Element {
    pub fn felter(&self) -> Vec<Option<String>> {
        let kd = kodede(&self.art, &self.data);
        vec![
            Some(self.uuid.clone()),
            Some(self.sag_uuid.clone()),
            Some(self.art.clone()),
            Some(self.status.clone()),
            dato(self.startdato),
            dato(self.slutdato),
            Some(tidspunkt(self.oprettet)),
            kd.ophoer_aarsag_id.map(|v| v.to_string()),
            kd.ophoer_dfdg_kode.map(|v| v.to_string()),
            kd.ophoer_systemophoer,
            kd.tilskudsloft_procent.map(|v| v.to_string()),
            kd.arbejdsintensitet_hundrededele.map(|v| v.to_string()),
            kd.ansaettelsesbrev_gaelder.and_then(sandt),
        ]
    }
}

impl Statusskift {
    pub fn felter(&self) -> Vec<Option<String>> {
        vec![
            Some(self.id.to_string()),
            Some(self.sag_uuid.clone()),
            Some(tidspunkt(self.tidspunkt)),
            Some(self.handling.clone()),
            Some(self.rolle.clone()),
            self.fra_status.clone(),
            self.til_status.clone(),
        ]
    }
}

/// One CSV line (RFC 4180, CRLF): a field with a comma, a quote or a line break is quoted and
/// its quotes doubled; None is the empty field (Table Schema's `missingValues: [""]`). Nothing
/// is neutralised: the file is for a loader, not for a spreadsheet.
pub fn csv_linje(felter: &[Option<String>]) -> String {
    let mut s = String::new();
    for (i, f) in felter.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let f = f.as_deref().unwrap_or("");
        if f.contains([',', '"', '\r', '\n']) {
            s.push('"');
            s.push_str(&f.replace('"', "\"\""));
            s.push('"');
        } else {
            s.push_str(f);
        }
    }
    s.push_str("\r\n");
    s
}

/// `datapackage.json`: a Frictionless Tabular Data Package describing the three files, their
/// columns and types, the keys between them, the period and the format version.
pub fn datapakke(periode: &Periode, nu: DateTime<Utc>) -> serde_json::Value {
    use serde_json::json;
    let ressourcer: Vec<serde_json::Value> = Tabel::ALLE
        .iter()
        .map(|t| {
            let felter: Vec<serde_json::Value> = t
                .kolonner()
                .iter()
                .map(|k| json!({ "name": k.navn, "type": k.type_.frictionless(), "description": k.beskrivelse }))
                .collect();
            let mut skema = json!({
                "fields": felter,
                "primaryKey": [t.noegle()],
                "missingValues": [""],
            });
            if *t != Tabel::Sager {
                skema["foreignKeys"] = json!([{
                    "fields": ["sag_uuid"],
                    "reference": { "resource": "sager", "fields": ["sag_uuid"] }
                }]);
            }
            json!({
                "name": t.navn(),
                "path": t.fil(),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": t.beskrivelse(),
                "schema": skema,
            })
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "vitas-statistik",
        "title": "VITAS – pseudonymiseret udtræk til STARs statistiske datavarehus",
        "created": tidspunkt(nu),
        "vitas:format": FORMAT,
        "vitas:periode": { "fra": periode.fra.format("%Y-%m-%d").to_string(), "til": periode.til.format("%Y-%m-%d").to_string() },
        "vitas:pseudonym": "HMAC-SHA256 med STARs nøgle over CPR-nummerets 10 cifre uden bindestreg, hex med små bogstaver",
        "resources": ressourcer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpr(s: &str) -> Cpr {
        Cpr::parse(s, "cpr").expect("cpr")
    }

    #[test]
    fn noeglen_er_hex_eller_base64_og_mindst_32_bytes() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assert!(Noegle::fra_tekst(hex).is_ok());
        assert!(Noegle::fra_tekst(&hex[..62]).is_err(), "31 bytes er for kort");
        // 32 bytes in base64, with and without padding.
        assert!(Noegle::fra_tekst("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").is_ok());
        assert!(Noegle::fra_tekst("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").is_ok());
        assert!(Noegle::fra_tekst("").is_err());
        assert!(Noegle::fra_tekst("ikke en nøgle!").is_err());
        assert_eq!(format!("{:?}", Noegle::fra_tekst(hex).expect("nøgle")), "Noegle(…)");
    }

    /// RFC 4231 test case 2 ("Jefe"), so the pseudonym is standard HMAC-SHA256 that STAR can
    /// recompute with any library.
    #[test]
    fn hmac_er_rfc_4231() {
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pseudonymet_afhaenger_af_noeglen_og_personen() {
        let a = Noegle::fra_tekst(&"11".repeat(32)).expect("nøgle");
        let b = Noegle::fra_tekst(&"22".repeat(32)).expect("nøgle");
        let p = cpr("010190-1235");
        assert_eq!(a.pseudonym(&p), a.pseudonym(&cpr("0101901235")), "samme person, samme pseudonym");
        assert_ne!(a.pseudonym(&p), b.pseudonym(&p));
        assert_ne!(a.pseudonym(&p), a.pseudonym(&cpr("010190-1234")));
        assert_eq!(a.pseudonym(&p), hmac_hex(&[0x11; 32], b"0101901235"));
        assert_eq!(a.pseudonym(&p).len(), 64);
    }

    #[test]
    fn foedselsaar_og_koen_fra_cpr() {
        let n = Noegle::fra_tekst(&"11".repeat(32)).expect("nøgle");
        let sag = |c: &str| Sag { cpr: Some(c.into()), ..Sag::default() }.felter(&n);
        let idx = |navn: &str| SAGER.iter().position(|k| k.navn == navn).expect("kolonne");
        let r = sag("0101901235");
        assert_eq!(r[idx("borger_foedselsaar")].as_deref(), Some("1990"));
        assert_eq!(r[idx("borger_koen")].as_deref(), Some("mand"));
        // 7th digit 4 and year 05: born 2005 (the century table).
        let r = sag("0101054002");
        assert_eq!(r[idx("borger_foedselsaar")].as_deref(), Some("2005"));
        assert_eq!(r[idx("borger_koen")].as_deref(), Some("kvinde"));
        // No citizen (or removed by retention): no pseudonym, no year, no gender.
        let r = Sag::default().felter(&n);
        assert_eq!(r[idx("borger_pseudonym")], None);
        assert_eq!(r[idx("borger_foedselsaar")], None);
    }

    #[test]
    fn raekkerne_har_tabellens_kolonner() {
        let n = Noegle::fra_tekst(&"11".repeat(32)).expect("nøgle");
        assert_eq!(Sag::default().felter(&n).len(), SAGER.len());
        assert_eq!(Element::default().felter().len(), ELEMENTER.len());
        assert_eq!(Statusskift::default().felter().len(), STATUSSKIFT.len());
        for t in Tabel::ALLE {
            assert!(t.kolonner().iter().any(|k| k.navn == t.noegle()), "{t:?}");
            assert_eq!(Tabel::fra_navn(t.navn()), Some(t));
        }
    }

    #[test]
    fn kun_kodede_felter_fra_elementdata() {
        let o = r#"{"aarsag":"Borgeren er raskmeldt (2)","aarsagId":2,"undervalg":"Fik andet job","dfdg":"3 – Ophørt","modtagetTilskud":"10.000,00 kr."}"#;
        let k = kodede("ophoer", o);
        assert_eq!(k.ophoer_aarsag_id, Some(2));
        assert_eq!(k.ophoer_dfdg_kode, Some(3));
        assert_eq!(kodede("ophoer", r#"{"aarsag":"X","dfdg":"Mappes ikke"}"#).ophoer_dfdg_kode, None);
        let s = kodede("ophoer", r#"{"aarsag":"Bevillingen er udløbet","systemophoer":"ordinaert_udloeb"}"#);
        assert_eq!((s.ophoer_dfdg_kode, s.ophoer_systemophoer.as_deref()), (Some(15), Some("ordinaert_udloeb")));
        let b = kodede("bevilling", r#"{"tilskudsloft":"75 %","tilskudsloftProcent":75,"arbejdsintensitet":4250}"#);
        assert_eq!((b.tilskudsloft_procent, b.arbejdsintensitet_hundrededele), (Some(75), Some(4250)));
        assert_eq!(kodede("forlaengelse", r#"{"ansaettelsesbrevGaelder":true}"#).ansaettelsesbrev_gaelder, Some(true));
        // The application record names who signed: nothing of it is kept.
        assert_eq!(kodede("ansoegning", r#"{"underskrevetAf":"Karen Hansen"}"#), Kodede::default());
        // The free text of a termination reaches no column.
        let e = Element { art: "ophoer".into(), data: o.into(), ..Element::default() };
        let linje = csv_linje(&e.felter());
        assert!(!linje.contains("raskmeldt") && !linje.contains("andet job") && !linje.contains("10.000"), "{linje}");
    }

    #[test]
    fn csv_citerer_efter_rfc_4180() {
        let l = csv_linje(&[Some("a".into()), None, Some("b,c".into()), Some("d\"e".into()), Some("f\ng".into())]);
        assert_eq!(l, "a,,\"b,c\",\"d\"\"e\",\"f\ng\"\r\n");
        assert_eq!(
            Tabel::Statusskift.overskrift(),
            "haendelse_id,sag_uuid,tidspunkt,handling,rolle,fra_status,til_status\r\n"
        );
    }

    #[test]
    fn perioden_tjekkes() {
        let p = Periode::parse("2026-01-01", "2026-12-31").expect("periode");
        // Danish midnight: CET in January (+01:00), so 23:00 UTC the day before.
        assert_eq!(p.start().to_rfc3339(), "2025-12-31T23:00:00+00:00");
        assert_eq!(p.slut().to_rfc3339(), "2026-12-31T23:00:00+00:00");
        // CEST in July (+02:00).
        let s = Periode::parse("2026-07-01", "2026-07-01").expect("periode");
        assert_eq!(s.start().to_rfc3339(), "2026-06-30T22:00:00+00:00");
        assert_eq!(s.slut().to_rfc3339(), "2026-07-01T22:00:00+00:00");
        assert!(Periode::parse("2026-02-01", "2026-01-31").is_err(), "til før fra");
        assert!(Periode::parse("2026-02-30", "2026-03-01").is_err(), "ikke i kalenderen");
        assert!(Periode::parse("99999-01-01", "2026-03-01").is_err());
        assert!(Periode::parse("1800-01-01", "2026-03-01").is_err());
        assert!(Periode::parse("", "2026-03-01").is_err());
        assert!(Periode::parse("2026-01-01'; DROP TABLE sag;--", "2026-03-01").is_err());
    }

    #[test]
    fn datapakken_beskriver_hver_kolonne() {
        let p = Periode::parse("2026-01-01", "2026-12-31").expect("periode");
        let d = datapakke(&p, DateTime::<Utc>::default());
        assert_eq!(d["vitas:format"], FORMAT);
        let r = d["resources"].as_array().expect("ressourcer");
        assert_eq!(r.len(), 3);
        for (res, t) in r.iter().zip(Tabel::ALLE) {
            assert_eq!(res["path"], t.fil());
            assert_eq!(res["schema"]["fields"].as_array().map(Vec::len), Some(t.kolonner().len()));
        }
    }
}
